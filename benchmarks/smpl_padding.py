"""SMPL stacks as multi-person optimisers write them: zero-padded people, people on the second axis, split names.

Validation clips of the mocap retargeted to SMPL, corrupted as ``smpl_people.py`` does (clip i seeded [2024, i]),
with ``--preset``'s errors (default ``3dpw-pare-fast``: 3DPW's fast errors, which refining can remove), paired and
cut to the shorter's length, ``poses`` float32, refined by ``synsp refine``'s code with the default (SynSP on
rotations). Rows:

- "zero-padded": three people stacked, ``poses`` (3, T, 72), ``trans`` (3, T, 3): person 1 absent (every number
  zero, as a stack filled from ``np.zeros`` holds it) before a quarter of the clip and for 5 frames at its half,
  person 2 zeros throughout. MPJPE after forward kinematics on the template (mm, root-relative: the poses; the
  translation is compared by "as alone") against the clean clip: person 1 where present (and there when its whole
  clip, no frame padded, is refined as a file alone), and in the 5 frames each side of its gaps; "zeros kept": the
  absent frames written back as zeros; "as alone": person 1's present spans against each span refined as a file of
  those frames alone (the NaN-padded stack's route).
- "one person": person 1 with the same zero frames saved as a one-person file, ``poses`` (T, 72), ``trans``
  (T, 3), scored as above; "as alone": the output against person 1 of the zero-padded stack's.
- "track_mask": the zero-padded stack as SLAHMR's world results (``root_orient`` (3, T, 3), ``pose_body``
  (3, T, 63), ``track_mask`` (3, T) False where absent, ``latent_pose`` (3, T, 32)); "as alone": against the stack
  as ``poses`` (3, T, 66) (the same 22 joints, absent by their zeros); "zeros kept" says whether ``latent_pose``
  was dropped.
- "frames first": the pair as ``poses`` (T, 2, 72), ``trans`` (T, 2, 3), ``betas`` (2, 10), against the same
  people first (2, T, ...): MPJPE of both people; "as alone": the output with its axes swapped against the
  people-first output.
- "root_orient + pose_body": the pair as SLAHMR's world results (``root_orient`` (2, T, 3), ``pose_body``
  (2, T, 63), ``trans``, ``betas`` (2, 16)) against ``poses`` (2, T, 66) (the same 22 joints), compared by "as
  alone".

    SYNSP_DATA=../shared/data .venv/bin/python benchmarks/smpl_padding.py --pairs 3 [--preset 3dpw-pare]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from smpl_people import noisy_clip, refined_file  # the same clips and refinement
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.formats.smpl import smpl_motion
from synsp.metrics import root_relative
from synsp.rotations.conversions import axis_angle_from_matrix


def _joints(poses: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """(T, J, 3) mm, root-relative: SMPL axis-angle (T, 3K) posed on the template (``trans`` (T, 3) m: its root)."""
    return root_relative(smpl_motion(poses.astype(np.float64), trans.astype(np.float64)).positions())


def _mpjpe(poses: np.ndarray, trans: np.ndarray, truth: np.ndarray, frames: np.ndarray) -> float:
    return float(np.linalg.norm(_joints(poses, trans)[frames] - truth[frames], axis=-1).mean())


def _refined(path: Path, arrays: dict) -> dict[str, np.ndarray] | str:
    np.savez(path, **arrays)
    try:
        return refined_file(path)
    except Exception as err:  # a layout the code under test does not read: the row says so
        return f"{type(err).__name__}: {str(err).split(': ', 1)[-1][:60]}"


def _row(name: str, case: str, frames: int, *cells: str) -> str:
    return f"| {name} | {case} | {frames} | " + " | ".join(cells) + " |"


def run(pairs: int, preset: str) -> str:
    names = load_split("val")[:2 * pairs]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k in range(pairs):
            both = [(noisy_clip(2 * k + i, n, preset), load_smpl_clip(n)) for i, n in enumerate(names[2 * k:2 * k + 2])]
            frames = min(len(noisy[0]) for noisy, _ in both)
            aa = lambda rot: axis_angle_from_matrix(rot[:frames]).reshape(frames, 72)  # noqa: E731
            poses = np.stack([aa(noisy[0]) for noisy, _ in both]).astype(np.float32)
            trans = np.stack([noisy[1][:frames] for noisy, _ in both]).astype(np.float32)
            truth = [_joints(aa(clean[0]), clean[1][:frames]) for _, clean in both]
            pair = f"{names[2 * k]} + {names[2 * k + 1]}"
            # zero-padded: person 1 absent before a quarter and 5 frames at half; person 2 zeros throughout
            q, h = frames // 4, frames // 2
            zp = np.concatenate([poses, np.zeros_like(poses[:1])])
            zt = np.concatenate([trans, np.zeros_like(trans[:1])])
            zp[1, :q] = zt[1, :q] = zp[1, h:h + 5] = zt[1, h:h + 5] = 0
            present = np.ones(frames, bool)
            present[:q] = present[h:h + 5] = False
            near = np.zeros(frames, bool)
            for a, b in ((q, q + 5), (h - 5, h), (h + 5, h + 10)):
                near[a:b] = True
            out = _refined(tmp / "zero.npz", {"poses": zp, "trans": zt, "betas": np.zeros((3, 10), np.float32)})
            alone = [_refined(tmp / f"span{i}.npz", {"poses": poses[1, s], "trans": trans[1, s]})
                     for i, s in enumerate((np.s_[q:h], np.s_[h + 5:]))]
            unpadded = _refined(tmp / "unpadded.npz", {"poses": poses[1], "trans": trans[1]})
            cells = [f"{_mpjpe(poses[1], trans[1], truth[1], present):.2f}",
                     f"{_mpjpe(unpadded['poses'], unpadded['trans'], truth[1], present):.2f}"]
            if isinstance(out, str):
                cells += [out, "-", "-", "-"]
            else:
                zero = ~present
                kept = int((out["poses"][1][zero] == 0).all(-1).sum() + (out["poses"][2] == 0).all(-1).sum())
                spans = np.concatenate([out["poses"][1, q:h], out["poses"][1, h + 5:]])
                same = np.array_equal(spans, np.concatenate([a["poses"] for a in alone]))
                cells += [f"{_mpjpe(out['poses'][1], out['trans'][1], truth[1], present):.2f}",
                          f"{_mpjpe(poses[1], trans[1], truth[1], near):.2f} -> "
                          f"{_mpjpe(out['poses'][1], out['trans'][1], truth[1], near):.2f}",
                          f"{kept} of {int(zero.sum()) + frames}", "yes" if same else "no"]
            rows.append(_row(pair, "zero-padded (person 1)", frames, *cells))
            # one person's file with the same zeros: as person 1 of the stack
            lone = _refined(tmp / "lone.npz", {"poses": zp[1], "trans": zt[1]})
            cells = cells[:2]
            if isinstance(lone, str) or isinstance(out, str):
                cells += [lone if isinstance(lone, str) else out, "-", "-", "-"]
            else:
                cells += [f"{_mpjpe(lone['poses'], lone['trans'], truth[1], present):.2f}",
                          f"{_mpjpe(poses[1], trans[1], truth[1], near):.2f} -> "
                          f"{_mpjpe(lone['poses'], lone['trans'], truth[1], near):.2f}",
                          f"{int((lone['poses'][~present] == 0).all(-1).sum())} of {int((~present).sum())}",
                          "yes" if np.array_equal(lone["poses"], out["poses"][1]) else "no"]
            rows.append(_row(pair, "one person, zero frames", frames, *cells))
            # SLAHMR's world results of the zero-padded stack, with its track_mask and latent_pose
            mask = np.ones((3, frames), bool)
            mask[1, ~present], mask[2] = False, False
            slahmr = _refined(tmp / "slahmr.npz", {"root_orient": zp[..., :3], "pose_body": zp[..., 3:66], "trans": zt,
                                                   "betas": np.zeros((3, 16), np.float32), "track_mask": mask,
                                                   "latent_pose": np.zeros((3, frames, 32), np.float32)})
            body = _refined(tmp / "body.npz", {"poses": zp[..., :66], "trans": zt})
            cells = ["-", "-"]
            if isinstance(slahmr, str) or isinstance(body, str):
                cells += [slahmr if isinstance(slahmr, str) else body, "-", "-", "-"]
            else:
                same = np.array_equal(np.concatenate([slahmr["root_orient"], slahmr["pose_body"]], -1), body["poses"])
                cells += ["-", "-", "latent_pose " + ("kept" if "latent_pose" in slahmr else "dropped"),
                          "yes" if same else "no"]
            rows.append(_row(pair, "track_mask (SLAHMR)", frames, *cells))
            # frames first, against people first
            betas = np.zeros((2, 10), np.float32)
            first = _refined(tmp / "first.npz", {"poses": poses, "trans": trans, "betas": betas})
            second = _refined(tmp / "second.npz", {"poses": poses.swapaxes(0, 1), "trans": trans.swapaxes(0, 1),
                                                   "betas": betas})
            every = np.ones(frames, bool)
            inp = np.mean([_mpjpe(poses[p], trans[p], truth[p], every) for p in range(2)])
            cells = [f"{inp:.2f}", "-"]
            if isinstance(second, str):
                cells += [second, "-", "-", "-"]
            else:
                got = np.mean([_mpjpe(second["poses"][:, p], second["trans"][:, p], truth[p], every) for p in range(2)])
                same = np.array_equal(second["poses"].swapaxes(0, 1), first["poses"])
                cells += [f"{got:.2f}", "-", "-", "yes" if same else "no"]
            rows.append(_row(pair, "frames first (both)", frames, *cells))
            # SLAHMR's names against poses (2, T, 66)
            named = _refined(tmp / "named.npz", {"root_orient": poses[:, :, :3], "pose_body": poses[:, :, 3:66],
                                                 "trans": trans, "betas": np.zeros((2, 16), np.float32)})
            flat = _refined(tmp / "flat.npz", {"poses": poses[:, :, :66], "trans": trans})
            cells = ["-", "-"]
            if isinstance(named, str):
                cells += [named, "-", "-", "-"]
            else:
                same = np.array_equal(np.concatenate([named["root_orient"], named["pose_body"]], -1), flat["poses"])
                cells += ["-", "-", "-", "yes" if same else "no"]
            rows.append(_row(pair, "root_orient + pose_body", frames, *cells))
    return "\n".join(["| pair (val) | case | frames | input MPJPE | the person unpadded, refined | refined | next to "
                      "the gaps: input -> refined | zeros kept | as alone |", "|---|---|---|---|---|---|---|---|---|",
                      *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="pairs of validation clips (2 x this many clips)")
    parser.add_argument("--preset", default="3dpw-pare-fast", help="the rotation error simulator's preset")
    args = parser.parse_args()
    print(run(args.pairs, args.preset))


if __name__ == "__main__":
    main()
