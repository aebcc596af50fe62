"""Footage under 30 fps refined told its true rate vs told 30 fps (the rate assumed when none is given).

Validation clips are corrupted by the simulator at the mocap's 30 fps (``make_cases``), then brought to a lower
rate: integer steps keep every k-th frame of truth and estimate; other rates take the truth at its new times
(cubic spline) plus the estimate's error of the nearest 30 fps frame, so the error is the simulator's own. Rows:
the input, ``synsp.refine(x, fps=rate)`` and ``synsp.refine(x, fps=30)``. Run:

    .venv/bin/python benchmarks/low_rates.py [--max-clips 12] [--space 2d] [--presets jitter typical] [--fps 15 10]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
from scipy.interpolate import CubicSpline

from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.refining.arrays import refine


def at_rate(case: Case, fps: float) -> Case:
    """``case`` (30 fps) at ``fps``: every k-th frame for an integer step k, else the truth resampled plus the
    nearest frame's error."""
    step = 30.0 / fps
    if abs(step - round(step)) < 1e-9:
        k = int(round(step))
        return Case(case.name, case.noisy[::k], case.clean[::k])
    times = np.arange(0.0, (len(case.clean) - 1) / 30.0 + 1e-9, 1 / fps)
    nearest = np.clip(np.rint(times * 30.0).astype(int), 0, len(case.clean) - 1)
    clean = CubicSpline(np.arange(len(case.clean)) / 30.0, case.clean, axis=0)(times).astype(np.float32)
    return Case(case.name, clean + (case.noisy[nearest] - case.clean[nearest]), clean)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N validation clips (0 = all 65)")
    parser.add_argument("--space", choices=["2d", "3d"], default="2d")
    parser.add_argument("--presets", nargs="+", default=["jitter", "typical", "clean-ish"])
    parser.add_argument("--fps", type=float, nargs="+", default=[10.0, 12.5, 15.0, 20.0, 24.0, 25.0])
    args = parser.parse_args()
    layout = "coco17" if args.space == "2d" else "h36m17"
    unit = "px" if args.space == "2d" else "mm"
    for preset in args.presets:
        base = make_cases("val", preset, layout=layout, space=args.space, max_clips=args.max_clips)
        for fps in args.fps:
            cases = [at_rate(c, fps) for c in base]
            methods = {f"synsp, told {fps:g} fps": lambda x, f=fps: refine(x, fps=f, layout=layout),
                       "synsp, told 30 fps": lambda x: refine(x, fps=30.0, layout=layout)}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                table = markdown_table(evaluate(methods, cases, layout=layout, space=args.space))
            title = f"### {fps:g} fps, `{preset}`, {args.space} ({len(cases)} val clips, {unit})"
            print(f"{title}\n\n{table}\n", flush=True)


if __name__ == "__main__":
    main()
