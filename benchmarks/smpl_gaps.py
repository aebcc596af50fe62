"""SMPL parameters with frames missing: NaN rows (nobody detected, a per-frame output padded with NaN) or rows of
zeros (SMPL's rest pose, what many tools write for "not found"), refined by ``synsp.refine_smpl``.

Validation clips of the mocap retargeted to SMPL (:mod:`synsp.data.smpl_mocap`), corrupted by the rotation error
simulator (``--preset``, default ``3dpw-pare-fast``: 3DPW's fast errors, which refining can remove; clip i seeded
[SEED, i]), as (T, 72) axis-angle and ``trans`` (T, 3). A share of the frames (``--shares``) is taken out in runs of
1-20 frames (``--longest``; lengths uniform, places uniform, seeded per clip and share). Routes, each scored on the
frames present (rotation error: the mean geodesic angle of the 24 local rotations, degrees; MPJPE: joint positions
after forward kinematics on the template, root-relative, mm) against the clean clip:

- ``input``: the noisy frames present as they are;
- ``no gap``: the whole noisy clip refined (nothing missing: the floor);
- ``slerp, then refine``: the gaps filled by the user (scipy's ``Slerp`` per joint, the root's line; the ends held),
  then ``refine_smpl`` (what a user had to do when ``refine_smpl`` refused NaN rows); its gap frames scored too
  ("gap frames");
- ``spans``: each span of present frames refined alone (``synsp refine``'s route for an SMPL file with absent frames,
  :mod:`synsp.refining.motion_people`; a span under 3 frames as it came);
- ``zeros as poses``: the gaps written as zeros (poses and ``trans``) and refined as real poses, what
  ``refine_smpl`` did with them before;
- ``NaN rows`` / ``zero rows``: ``refine_smpl`` given the gaps as NaN rows / zero rows;
- ``file``: the clip saved as an SMPL file (``poses`` (T, 72), ``trans`` (T, 3), NaN rows in the gaps) and refined by
  ``synsp.refine_file``, as ``synsp refine`` does (before: ``spans``'s numbers; now ``NaN rows``'s: with both run,
  a last line counts the clips x shares whose present frames the two give bit for bit).

``--routes`` runs some of them (``input`` always).

    SYNSP_DATA=../shared/data .venv/bin/python benchmarks/smpl_gaps.py [--clips 65] [--shares 0.1 0.3] [--longest 20]
"""
from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation, Slerp

import synsp
from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.formats.smpl import smpl_motion
from synsp.metrics import root_relative
from synsp.rotations.conversions import axis_angle_from_matrix, geodesic_angle, matrix_from_axis_angle

SEED = 2024
ROUTES = ("input", "no gap", "slerp, then refine", "spans", "zeros as poses", "NaN rows", "zero rows", "file")


def gap_frames(frames: int, share: float, rng: np.random.Generator, longest: int = 20) -> np.ndarray:
    """(T,) bool: ``share`` of ``frames`` missing, in runs of 1-``longest`` frames at uniform places (runs may
    meet)."""
    missing = np.zeros(frames, bool)
    while missing.sum() < round(share * frames):
        run = int(rng.integers(1, longest + 1))
        start = int(rng.integers(0, frames))
        missing[start:start + min(run, round(share * frames) - int(missing.sum()))] = True
    return missing


def slerp_filled(poses: np.ndarray, trans: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What a user would write: (T, 72) axis-angle and (T, 3) with the ``missing`` frames filled per joint by
    scipy's Slerp and the root's line between the frames around them, the ends held."""
    known = np.flatnonzero(~missing)
    times = np.clip(np.arange(len(poses)), known[0], known[-1])
    out = poses.reshape(len(poses), -1, 3).copy()
    for j in range(out.shape[1]):
        out[:, j] = Slerp(known, Rotation.from_rotvec(out[known, j]))(times).as_rotvec()
    lined = np.stack([np.interp(np.arange(len(trans)), known, trans[known, c]) for c in range(3)], axis=-1)
    return out.reshape(poses.shape), lined


def spans_refined(poses: np.ndarray, trans: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each span of present frames refined alone by ``refine_smpl`` (one under 3 frames as it came); NaN between."""
    out, root = np.full_like(poses, np.nan), np.full_like(trans, np.nan)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], (~missing).astype(int), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        out[a:b], root[a:b] = synsp.refine_smpl(poses[a:b], fps=30, trans=trans[a:b])
    return out, root


def scores(poses: np.ndarray, trans: np.ndarray, truth: tuple[np.ndarray, np.ndarray],
           frames: np.ndarray) -> tuple[float, float]:
    """(rotation error in degrees, MPJPE in mm) of ``poses`` (T, 72), ``trans`` (T, 3) over ``frames`` (T,) bool."""
    rot = matrix_from_axis_angle(poses[frames].reshape(int(frames.sum()), -1, 3))
    angle = float(geodesic_angle(rot, truth[0][frames]).mean())
    joints = root_relative(smpl_motion(poses[frames], trans[frames]).positions())
    return angle, float(np.linalg.norm(joints - truth[1][frames], axis=-1).mean())


def file_refined(poses: np.ndarray, trans: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The clip saved as an SMPL file with NaN rows where ``missing`` and refined by ``synsp.refine_file``."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.npz", Path(tmp) / "out.npz"
        np.savez(src, poses=np.where(missing[:, None], np.nan, poses), trans=np.where(missing[:, None], np.nan, trans),
                 mocap_framerate=np.array(30.0))
        synsp.refine_file(src, dst)
        with np.load(dst) as out:
            return out["poses"], out["trans"]


def routes(noisy: np.ndarray, trans: np.ndarray, missing: np.ndarray,
           chosen: tuple[str, ...] = ROUTES) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The ``chosen`` routes' refined (T, 72), (T, 3) for the noisy clip with ``missing`` frames (module docstring)."""
    out = {"input": (noisy, trans)}
    if "no gap" in chosen:
        out["no gap"] = synsp.refine_smpl(noisy, fps=30, trans=trans)
    if "slerp, then refine" in chosen:
        filled = slerp_filled(noisy, trans, missing)
        out["slerp, then refine"] = synsp.refine_smpl(filled[0], fps=30, trans=filled[1])
    if "spans" in chosen:
        out["spans"] = spans_refined(noisy, trans, missing)
    if "zeros as poses" in chosen:
        zeros = np.where(missing[:, None], 0.0, noisy), np.where(missing[:, None], 0.0, trans)
        out["zeros as poses"] = synsp.refine_smpl(zeros[0], fps=30, trans=zeros[1],
                                                  track_mask=np.ones(len(noisy), bool))
    for name, blank in (("NaN rows", np.nan), ("zero rows", 0.0)):
        if name in chosen:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the rest-pose rows' note
                out[name] = synsp.refine_smpl(np.where(missing[:, None], blank, noisy), fps=30,
                                              trans=np.where(missing[:, None], blank, trans))
    if "file" in chosen:
        out["file"] = file_refined(noisy, trans, missing)
    return out


def run(clips: int, shares: list[float], preset: str, longest: int = 20, chosen: tuple[str, ...] = ROUTES) -> str:
    names = load_split("val")[:clips]
    chosen = tuple(r for r in ROUTES if r in ("input", *chosen))
    sums = {(s, r): [] for s in shares for r in chosen}
    gaps = {s: [] for s in shares}
    same = 0  # clips x shares where the file route's present frames are refine_smpl's NaN rows' bit for bit
    for i, name in enumerate(names):
        clean, clean_trans = load_smpl_clip(name)
        noisy, moved = corrupt_rotations(clean, clean_trans, preset, rng=np.random.default_rng([SEED, i]))
        frames = len(clean)
        noisy = axis_angle_from_matrix(noisy).reshape(frames, -1)
        truth = clean, root_relative(smpl_motion(axis_angle_from_matrix(clean).reshape(frames, -1),
                                                 clean_trans).positions())
        for s in shares:
            missing = gap_frames(frames, s, np.random.default_rng([SEED, i, int(100 * s)]), longest)
            out = routes(noisy, moved, missing, chosen)
            for r in chosen:
                sums[(s, r)].append((*scores(*out[r], truth, ~missing), int((~missing).sum())))
            if "file" in chosen and "NaN rows" in chosen:
                same += all(np.array_equal(a[~missing], b[~missing]) for a, b in zip(out["file"], out["NaN rows"]))
            if "slerp, then refine" in chosen:
                gaps[s].append((*scores(*out["slerp, then refine"], truth, missing), int(missing.sum())))
    head = " | ".join(f"{int(100 * s)} % missing" for s in shares)
    lines = [f"SMPL frames missing (runs of 1-{longest} frames), {len(names)} val clips, preset {preset}; rotation "
             "error (deg) / MPJPE (mm) on the frames present, frame-weighted", "", f"| route | {head} |",
             "|---|" + "---:|" * len(shares)]
    mean = lambda rows: np.average(np.array(rows)[:, :2], axis=0, weights=np.array(rows)[:, 2])  # noqa: E731
    for r in chosen:
        lines.append(f"| {r} | " + " | ".join("{:.3f} / {:.2f}".format(*mean(sums[(s, r)])) for s in shares) + " |")
    if "slerp, then refine" in chosen:
            lines.append("| slerp, then refine: gap frames | " + " | ".join("{:.3f} / {:.2f}".format(*mean(gaps[s]))
                                                                          for s in shares) + " |")
    if "file" in chosen and "NaN rows" in chosen:
        lines.append(f"\nfile = NaN rows bit for bit on the frames present: {same} of {len(names) * len(shares)} "
                     "clips x shares")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=65)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.1, 0.3])
    parser.add_argument("--preset", default="3dpw-pare-fast")
    parser.add_argument("--longest", type=int, default=20, help="the longest run of missing frames")
    parser.add_argument("--routes", nargs="+", choices=ROUTES, default=list(ROUTES))
    args = parser.parse_args()
    print(run(args.clips, args.shares, args.preset, args.longest, tuple(args.routes)))


if __name__ == "__main__":
    main()
