"""Joint rotations whose frames are held: a 15 fps (or 10 fps) estimate repeated to 30 fps, and a 24 -> 30 fps pulldown.

Cases: every ``--every``-th clip of the split, the SMPL retarget (:func:`synsp.evaluation.rotations.rotation_cases`,
seed 7) under ``none`` (clean), ``jitter`` and ``3dpw-pare``, and the mocap's own BVH tree
(:func:`~synsp.evaluation.rotations.skeleton_cases`) under ``none`` and ``3dpw-pare``. Each case as it is
(``plain``), every 2nd frame repeated (``x2``: frame 2i + 1 = frame 2i), every 3rd (``x3``) and one frame in five
repeated (``pulldown``, no regular stride); a BVH's root translation repeated with its rotations.
Refined at 30 fps by the default route (:func:`synsp.refining.motion.refine_motion`: SynSP on SMPL, SmoothNet
then the filter on a BVH) and, for SMPL, a Gaussian on the rotation manifold; MPJPE (mm) of the root-relative FK
joints against the clean 30 fps clip. Since 2026-12-07 a motion held on a regular stride is refined on its new
frames at fps / k (:mod:`synsp.refining.held_motion`; benchmarks/RESULTS.md, section 14, "Rotations repeated on a
regular stride")::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/held_motion.py [--split val] [--every 4]
"""
from __future__ import annotations

import argparse
import warnings
from dataclasses import replace

import numpy as np

from synsp.evaluation.rotations import rotation_cases, skeleton_cases
from synsp.refining.motion import refine_motion, refine_smpl


def variants(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """``noisy`` (T, ...) as it is, repeated on a stride of 2 and 3, and with a 24 -> 30 fps pulldown."""
    frames = len(noisy)
    pulled = noisy.copy()
    pulled[4::5] = pulled[3::5][: len(pulled[4::5])]
    return {"plain": noisy, "x2": np.repeat(noisy[::2], 2, axis=0)[:frames],
            "x3": np.repeat(noisy[::3], 3, axis=0)[:frames], "pulldown": pulled}


def error(case, rotations: np.ndarray) -> float:
    """MPJPE (mm) of ``rotations``' root-relative FK joints against the case's clean ones."""
    out, truth = case.positions_of(rotations), case.positions
    out, truth = out - out[:, :1], truth - truth[:, :1]
    return float(np.linalg.norm(out - truth, axis=-1).mean())


def ratio(out: float, given: float) -> str:
    """``out`` x ``given`` as the table prints it; "-" for an input with no error (the clean clip as it is)."""
    return f"{out / given:.3f}" if given > 0 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--every", type=int, default=4, help="every n-th clip of the split")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    trees = [("SMPL", preset, rotation_cases(args.split, preset, 7)[::args.every])
             for preset in ("none", "jitter", "3dpw-pare")]
    trees += [("BVH", preset, skeleton_cases(args.split, preset, 7)[::args.every]) for preset in ("none", "3dpw-pare")]
    print(f"{args.split} split, every {args.every}th clip; MPJPE (mm) of FK joints, x the held input")
    print("| tree, errors | frames | input | default | x input | gaussian (SMPL) |")
    print("|---|---|---:|---:|---:|---:|")
    for tree, preset, cases in trees:
        for name in ("plain", "x2", "x3", "pulldown"):
            got = {"input": [], "default": [], "gaussian": []}
            for case in cases:
                given = variants(case.noisy)[name]
                got["input"].append(error(case, given))
                if tree == "SMPL":
                    got["default"].append(error(case, refine_smpl(given, 30.0)))
                    got["gaussian"].append(error(case, refine_smpl(given, 30.0, "gaussian")))
                else:  # the whole BVH held: its root translation repeated with the rotations
                    held = variants(case.skeleton.translations)[name]
                    motion = replace(case.skeleton, rotations=given, translations=held, fps=30.0)
                    got["default"].append(error(case, refine_motion(motion)[0].rotations))
            mean = {k: float(np.mean(v)) if v else float("nan") for k, v in got.items()}
            print(f"| {tree}, {preset} ({len(cases)} clips) | {name} | {mean['input']:.2f} | {mean['default']:.2f} | "
                  f"{ratio(mean['default'], mean['input'])} | {mean['gaussian']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
