"""Joints that copy another: H36M-17 poses plus a copy of the pelvis (an export writing "root" and "pelvis").

Cases: the first ``--clips`` clips of the split under ``typical``, h36m17, 3D resampled 30 -> 60 Hz by a cubic
spline (as benchmarks/smooth_no_layout.py) and 2D at 30 fps; the 18-joint input is the 17 joints and a copy of
joint 0. Rows: the 17 joints refined (``synsp.refine`` default), the 18 with the copies step off (as before it:
``copied_joints`` finding nothing) and on; the CLI's route (``refine_file``) on a .npy and a .csv of the 18 (its
columns j0..j17, as synsp writes an array of no layout) for the clip of ``--file-clip``. MPJPE (mm / px) of the 17
joints; "copy" says whether the copy came out as its original. ``--guard``: how many val inputs (every clip x
preset x layout x space) hold a copied joint, and how many of those are refined without it (none: every
refinement is unchanged). benchmarks/RESULTS.md,
section 11, "Joints copied from another"::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/copied_joints.py [--clips 8] [--file-clip 5]
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/copied_joints.py --guard [--space 3d] [--layouts ...]
"""
from __future__ import annotations

import argparse
import tempfile
import warnings
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
import synsp.refining.copied_joints as copied_joints
from synsp.data.presets import PRESETS
from synsp.evaluation.protocol import make_cases, score
from synsp.formats import PoseData, write_poses
from synsp.refining.files import refine_file
from synsp.refining.input_layout import input_layout, model_layout
from synsp.sequence import not_found
from synsp.skeleton import LAYOUTS


@contextmanager
def copies_off():
    """The copies step as before it: no joint found copied."""
    found = copied_joints.copied_joints
    copied_joints.copied_joints = lambda poses, share=0.0: {}
    try:
        yield
    finally:
        copied_joints.copied_joints = found


def cases(split: str, space: str, clips: int):
    """(noisy, truth, fps) of the first ``clips`` clips: 3D at 60 Hz (cubic spline), 2D at 30 fps."""
    for case in make_cases(split, "typical", layout="h36m17", space=space, max_clips=clips):
        if space == "2d":
            yield case.noisy.astype(np.float32), case.clean, 30
            continue
        frames = len(case.clean)
        times = np.arange(0, frames - 1, 0.5)
        yield (*(CubicSpline(np.arange(frames), a.astype(np.float64))(times).astype(np.float32)
                 for a in (case.noisy, case.clean)), 60)


def compare(split: str, clips: int, file_clip: int) -> None:
    """Print the 17 joints' MPJPE per clip and the means: 17 joints, 18 before, 18 now (arrays and files)."""
    for space in ("3d", "2d"):
        rows = []
        for i, (x, truth, fps) in enumerate(cases(split, space, clips)):
            x18 = np.concatenate([x, x[:, :1]], axis=1)
            mpjpe = lambda out: score(out[:, :17], truth, layout="h36m17", space=space)["MPJPE"]  # noqa: E731
            with copies_off():
                before = synsp.refine(x18, fps=fps)
            now = synsp.refine(x18, fps=fps)
            row = [mpjpe(x), mpjpe(synsp.refine(x, fps=fps)), mpjpe(before), mpjpe(now)]
            rows.append(row)
            print(f"{space} clip {i} ({fps} Hz): input {row[0]:.2f}; 17 joints {row[1]:.2f}; 18 before {row[2]:.2f} "
                  f"(copy {np.array_equal(before[:, 17], before[:, 0], equal_nan=True)}); 18 now {row[3]:.2f} "
                  f"(copy {np.array_equal(now[:, 17], now[:, 0], equal_nan=True)})", flush=True)
            if i == file_clip:
                files(x18, truth, fps, space, mpjpe)
        mean = np.mean(rows, axis=0)
        print(f"{space} mean of {len(rows)}: input {mean[0]:.2f}; 17 joints {mean[1]:.2f}; 18 before {mean[2]:.2f}; "
              f"18 now {mean[3]:.2f}")


def files(x18: np.ndarray, truth: np.ndarray, fps: float, space: str, mpjpe) -> None:
    """The CLI's route on a .npy and a .csv of ``x18``, before and now, and the summary's line on the copy."""
    with tempfile.TemporaryDirectory() as tmp:
        for ext in ("npy", "csv"):
            src = Path(tmp) / f"in.{ext}"
            if ext == "npy":
                np.save(src, x18)
            else:
                write_poses(src, PoseData(poses=x18[None], fps=float(fps)))
            got = {}
            for when in ("before", "now"):
                dst = Path(tmp) / f"{when}.{ext}"
                if when == "before":
                    with copies_off():
                        summary = refine_file(src, dst, fps=fps)
                else:
                    summary = refine_file(src, dst, fps=fps)
                out = np.load(dst) if ext == "npy" else synsp.formats.read_poses(dst).poses[0]
                got[when] = f"{mpjpe(out):.2f}"
            note = next((n for n in summary.notes if n.startswith("copies:")), "(no line)")
            print(f"  {space} {ext} via refine_file: 18 before {got['before']}; 18 now {got['now']}; says: {note}")


def guard(split: str, spaces: list[str], only: list[str] | None = None) -> None:
    """Count the val inputs (clip x preset x layout x space; every layout of ``LAYOUTS`` the mocap clips convert to)
    in which a joint copies another, and those of them the arrays route refines without their copies (as
    ``synsp.refine`` reads the layout: :func:`synsp.refining.copied_joints.copies_to_leave_out`)."""
    total = found = left_out = 0
    layouts = []
    for layout in only or LAYOUTS:
        try:
            make_cases(split, "none", layout=layout, max_clips=1)
            layouts.append(layout)
        except ValueError:  # no conversion from the mocap's skeleton
            continue
    print(f"layouts the clips convert to: {', '.join(layouts)}", flush=True)
    for space in spaces:
        read = partial(input_layout, declared=None, given=None, where="poses", guess=model_layout(int(space[0])),
                       fit_given=True)
        for layout in layouts:
            for preset in ("none", *PRESETS):
                for case in make_cases(split, preset, layout=layout, space=space):
                    x = np.where(not_found(case.noisy)[..., None], np.nan, case.noisy)  # as refine reads them
                    copies = copied_joints.copied_joints(x)
                    acted = bool(copies) and copied_joints.copies_to_leave_out(x, read) is not None
                    total, found, left_out = total + 1, found + bool(copies), left_out + acted
                    if copies:
                        print(f"copy: {space} {layout} {preset} {case.name}: {copies}; "
                              f"{'refined without them' if acted else 'refined whole, as before'}", flush=True)
            print(f"{space} {layout}: {total} inputs so far, {found} with a copied joint, {left_out} refined without "
                  "them", flush=True)
    print(f"{total} inputs ({split}: clips x {1 + len(PRESETS)} presets x {len(layouts)} layouts x {len(spaces)} "
          f"spaces), {found} with a copied joint, {left_out} refined without them")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--file-clip", type=int, default=5)
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--space", choices=("3d", "2d"), help="--guard: this space only (default both)")
    parser.add_argument("--layouts", nargs="+", help="--guard: these layouts only (default every one)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.guard:
        guard(args.split, [args.space] if args.space else ["3d", "2d"], args.layouts)
    else:
        compare(args.split, args.clips, args.file_clip)


if __name__ == "__main__":
    main()
