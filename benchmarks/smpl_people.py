"""SMPL files of several people stacked, and rotation matrices flattened: does each come out as its one-person file?

Validation clips of the mocap retargeted to SMPL (:mod:`synsp.data.smpl_mocap`), corrupted by the rotation error
simulator (preset ``3dpw-pare``, clip i seeded ``[SEED, i]``), paired (clips 0 and 1, 2 and 3, ...) and cut to the
shorter's length. Each pair is written as one npz of two people stacked (``poses`` (2, T, 72) float32, ``trans``
(2, T, 3), ``betas`` (2, 10)) and as each person alone, all refined by ``synsp refine``'s code with the default
(SynSP on rotations); the table gives, per array, the largest difference between a person in the stacked output
and that person refined alone. Row "gaps": person 1 absent (NaN) before a quarter of the clip and for 5 frames at
half of it, each span it is present in against those frames alone. Then each clip as rotation matrices
flattened, ``poses`` (T, 216), against the same matrices (T, 24, 3, 3): the largest difference after both are
refined.

    SYNSP_DATA=../shared/data .venv/bin/python benchmarks/smpl_people.py --pairs 3
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.refining.motion import refine_motion_file
from synsp.rotations.conversions import axis_angle_from_matrix

SEED = 2024


def noisy_clip(i: int, name: str, preset: str = "3dpw-pare") -> tuple[np.ndarray, np.ndarray]:
    """Clip ``name``'s simulated estimator output (``preset``'s errors): rotations (T, 24, 3, 3) and the translation
    (T, 3), metres."""
    clean, trans = load_smpl_clip(name)
    noisy, moved = corrupt_rotations(clean, trans, preset, rng=np.random.default_rng([SEED, i]))
    return noisy, moved


def refined_file(src: Path) -> dict[str, np.ndarray]:
    dst = src.with_name(f"out_{src.name}")
    refine_motion_file(src, dst, "smpl")
    with np.load(dst) as out:
        return {k: out[k] for k in out.files}


def _largest(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())


def run(pairs: int) -> str:
    names = load_split("val")[:2 * pairs]
    clips = [noisy_clip(i, n) for i, n in enumerate(names)]
    rows, flat_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k in range(pairs):
            (r0, t0), (r1, t1) = clips[2 * k], clips[2 * k + 1]
            frames = min(len(r0), len(r1))
            poses = np.stack([axis_angle_from_matrix(r[:frames]).reshape(frames, 72) for r in (r0, r1)])
            trans = np.stack([t0[:frames], t1[:frames]])
            arrays = {"poses": poses.astype(np.float32), "trans": trans.astype(np.float32),
                      "betas": np.zeros((2, 10), np.float32), "mocap_framerate": np.array(30.0)}
            gaps = frames // 4, frames // 2  # person 1 enters at a quarter of the clip, is lost for 5 frames at half
            spans = {"whole": [(0, np.s_[0]), (1, np.s_[1])],
                     "gaps": [(0, np.s_[0]), (1, np.s_[1, gaps[0]:gaps[1]]), (1, np.s_[1, gaps[1] + 5:])]}
            for case, parts in spans.items():
                stack = dict(arrays)
                if case == "gaps":
                    for key in ("poses", "trans"):
                        stack[key] = stack[key].copy()
                        stack[key][1, :gaps[0]] = stack[key][1, gaps[1]:gaps[1] + 5] = np.nan
                np.savez(tmp / "two.npz", **stack)
                both = refined_file(tmp / "two.npz")
                diff, same = {"poses": 0.0, "trans": 0.0}, True
                for p, at in parts:
                    np.savez(tmp / "one.npz", **{key: (v[at] if v.ndim else v) for key, v in stack.items()
                                                 if key != "betas"}, betas=stack["betas"][p])
                    alone = refined_file(tmp / "one.npz")
                    for key in diff:
                        diff[key] = max(diff[key], _largest(both[key][at], alone[key]))
                        same &= bool(np.array_equal(both[key][at], alone[key]))
                rows.append(f"| {names[2 * k]} + {names[2 * k + 1]} | {case} | {frames} | {diff['poses']:.3g} | "
                            f"{diff['trans']:.3g} | {'yes' if same else 'no'} |")
        for i, (rot, moved) in enumerate(clips):
            frames = len(rot)
            np.savez(tmp / "flat.npz", poses=rot.reshape(frames, 216).astype(np.float32), trans=moved)
            np.savez(tmp / "full.npz", poses=rot.astype(np.float32), trans=moved)
            flat, full = refined_file(tmp / "flat.npz"), refined_file(tmp / "full.npz")
            same = np.array_equal(flat["poses"].reshape(full["poses"].shape), full["poses"])
            flat_rows.append(f"| {names[i]} | {frames} | {flat['poses'].shape} | "
                             f"{_largest(flat['poses'].reshape(full['poses'].shape), full['poses']):.3g} | "
                             f"{'yes' if same else 'no'} |")
    return "\n".join([
        "| pair (val) | person 1 | frames | poses: largest difference (rad) | trans (m) | bit-identical |",
        "|---|---|---|---|---|---|", *rows, "",
        "| clip (val) | frames | written shape | largest difference to (T, 24, 3, 3) | bit-identical |",
        "|---|---|---|---|---|", *flat_rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="pairs of validation clips (2 x this many clips)")
    print(run(parser.parse_args().pairs))


if __name__ == "__main__":
    main()
