"""How fast SynSP refines 3D input recorded at 30, 60, 120 and 240 fps, in frames and in real time.

The same footage (the test clips, joined into ``--seconds`` of motion, resampled to each rate by
a cubic spline and corrupted by the simulator's `typical` preset at that rate) is refined with
the rate given (``refine(x, fps=)``: above 43 fps, k = round(fps / 30) phase-shifted 30 fps
resamplings, :mod:`synsp.inference.frame_rate`), on ``--threads`` torch threads; best of
``--repeats``, the rates interleaved. Columns: input frames per second, and seconds of footage per second of work
(x real time). Run:

    .venv/bin/python benchmarks/rate_speed.py [--seconds 120] [--repeats 3] [--threads 2]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from scipy.interpolate import CubicSpline

from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.inference.checkpoint import load_model
from synsp.sequence import fill_gaps


def footage(seconds: float, fps: float) -> np.ndarray:
    """(T, 17, 3) mm: test clips (30 fps) joined until ``seconds`` long, each resampled to ``fps``."""
    parts, total = [], 0.0
    clips = load_clips(load_split("test"))
    while total < seconds:
        for clip in clips:
            times = np.arange(len(clip)) / 30.0
            parts.append(CubicSpline(times, clip, axis=0)(np.arange(0, times[-1], 1 / fps)))
            total += times[-1]
            if total >= seconds:
                break
    clean = np.concatenate(parts)[: int(seconds * fps)].astype(np.float32)
    return fill_gaps(corrupt(clean, "typical", rng=EVAL_SEED, fps=fps).noisy)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="footage length, s")
    parser.add_argument("--fps", type=float, nargs="+", default=[30.0, 60.0, 120.0, 240.0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoint", default="synsp-h36m17")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    refiner = load_model(args.checkpoint)
    print(f"{args.seconds:g} s of footage, {args.threads} torch threads, best of {args.repeats}\n")
    print("| fps | frames | frames/s | x real time |\n|---:|---:|---:|---:|")
    inputs = {fps: footage(args.seconds, fps) for fps in args.fps}
    refiner.refine(inputs[args.fps[0]][:300], fps=args.fps[0])  # warm-up
    best = dict.fromkeys(args.fps, np.inf)
    for _ in range(args.repeats):  # interleaved, so that the machine's load weighs on every rate alike
        for fps, x in inputs.items():
            start = time.perf_counter()
            refiner.refine(x, fps=fps)
            best[fps] = min(best[fps], time.perf_counter() - start)
    for fps, x in inputs.items():
        print(f"| {fps:g} | {len(x):,} | {len(x) / best[fps]:,.0f} | {len(x) / fps / best[fps]:,.1f} |")


if __name__ == "__main__":
    main()
