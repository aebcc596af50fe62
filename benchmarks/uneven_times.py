"""TRC files with an uneven Time column (a phone's variable frame rate, dropped frames), refined
through ``refine_file`` as if evenly spaced (the file's times ignored) and on an even grid
(:mod:`synsp.refining.uneven_times`), scored at the file's own times.

Each validation clip (30 fps mocap, h36m17, mm) is sampled at phone-like times: steps of 1/30 s
jittered by +-30 % (uniform), then 5 % of the frames dropped (never the first or last); the clean
poses at those times are a cubic spline through the mocap, and the simulator's errors (preset,
at the median rate) are added after. The noisy poses are written as a TRC (mm, Time to 0.1 ms,
missing values blank) and refined by ``refine_file``. Scores are root-relative, at the file's
frames: MPJPE, Accel as ``synsp.metrics.accel_error`` takes it (second difference over the
frames) and "Accel (time)", the second derivative at the file's times (non-uniform differences)
times the median step squared, in mm/frame^2. Run:

    .venv/bin/python benchmarks/uneven_times.py [--max-clips 30] [--split val] [--method synsp]
        [--grid mean|median|shortest]

``--grid`` tries another grid step than the module's (the mean step, finer where a part was
filmed faster): the median step, or the shortest median step over any second. ``--no-lattice``:
frames dropped from an even rate (``synsp.refining.uneven_times.on_lattice``) on the mean step's
grid too, instead of every frame's. ``--format csv-time``: the phone-like times written as a CSV's
``time`` column (to 0.1 ms, no rate given: the column gives it) instead of a TRC's Time column.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

import synsp.refining.files as files
import synsp.refining.uneven_times as uneven_times
from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.formats import PoseData, read_poses, write_poses
from synsp.metrics import accel_error, mpjpe
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position


def phone_times(n_frames: int, rng: np.random.Generator, jitter: float = 0.3, dropped: float = 0.05) -> np.ndarray:
    """Times (T',) s inside the span of ``n_frames`` frames at 30 fps: steps 1/30 s times
    1 +- ``jitter`` (uniform), then a ``dropped`` share of the frames removed."""
    steps = (1 + rng.uniform(-jitter, jitter, n_frames)) / 30
    times = np.concatenate([[0.0], np.cumsum(steps)])
    times = times[times <= (n_frames - 1) / 30]
    drop = rng.choice(np.arange(1, len(times) - 1), int(round(dropped * len(times))), replace=False)
    return np.round(np.delete(times, drop), 4)


def dropped_rows(n_frames: int, rng: np.random.Generator, dropped: float = 0.05) -> np.ndarray:
    """Frame numbers (T',) of ``n_frames`` frames with a ``dropped`` share removed (never the first or last)."""
    drop = rng.choice(np.arange(1, n_frames - 1), int(round(dropped * n_frames)), replace=False)
    return np.delete(np.arange(n_frames), drop)


def time_accel(x: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Second derivative of ``x`` (T, J, C) at ``times`` (T,) s (non-uniform differences), times the
    median step squared: (T - 2, J, C) in the unit per frame^2."""
    h = np.diff(times)[:, None, None]
    v = np.diff(x, axis=0) / h
    return 2 * np.diff(v, axis=0) / (h[1:] + h[:-1]) * np.median(h) ** 2


def score(pred: np.ndarray, clean: np.ndarray, times: np.ndarray) -> dict[str, float]:
    pred = pred - root_position(pred, "h36m17")
    # nanmean: frames the simulator left undetected stay missing in the refined file (nothing invented)
    accel = np.nanmean(np.linalg.norm(time_accel(pred, times) - time_accel(clean, times), axis=-1))
    return {"MPJPE": mpjpe(pred, clean), "Accel": accel_error(pred, clean), "Accel (time)": float(accel)}


def grid_with_step(kind: str):
    """An ``even_grid`` whose step is the median step ("median") or the shortest median over any second ("shortest")."""
    def grid(times: np.ndarray) -> np.ndarray:
        steps = np.diff(times)
        step = float(np.median(steps))
        window = max(3, int(round(1.0 / step)))
        if kind == "shortest" and len(steps) > window:
            step = min(step, float(np.median(np.lib.stride_tricks.sliding_window_view(steps, window), axis=1).min()))
        return np.linspace(times[0], times[-1], int(np.ceil((times[-1] - times[0]) / step - 1e-9)) + 1)
    return grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=30)
    parser.add_argument("--method", default=None, help="refine_file's method (default: SynSP)")
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    parser.add_argument("--grid", choices=["mean", "median", "shortest"], default="mean")
    parser.add_argument("--format", choices=["trc", "csv", "csv-time"], default="trc")
    parser.add_argument("--no-lattice", action="store_true",
                        help="frames dropped from an even rate: the mean-step grid, not every frame's")
    args = parser.parse_args()
    if args.no_lattice:
        uneven_times.on_lattice = lambda times: False
    if args.grid != "mean":
        uneven_times.even_grid = grid_with_step(args.grid)
    names = load_split(args.split)[: args.max_clips]
    clips = load_clips(names)
    even_times = uneven_times.file_times
    as_if = "as consecutive rows" if args.format == "csv" else "as if evenly spaced"
    at = "at their frame numbers" if args.format == "csv" else "on an even grid"
    sampled = "frame numbers, 5 % of the rows dropped" if args.format == "csv" else "phone-like times"
    rate = {"fps": 30.0} if args.format == "csv" else {}  # a CSV says no rate
    for preset in args.presets:
        rng = np.random.default_rng(EVAL_SEED)
        rows: dict[str, list[dict[str, float]]] = {"input": [], as_if: [], at: []}
        weights, frames = [], 0
        with tempfile.TemporaryDirectory() as tmp:
            for name, clip in zip(names, clips):
                src = Path(tmp) / f"{name}.{args.format[:3]}"
                if args.format == "csv":
                    kept = dropped_rows(len(clip), rng)
                    times, clean = kept / 30.0, clip[kept]
                    noisy = corrupt(clip, preset, rng=rng, fps=30.0).noisy[kept]
                    write_poses(src, PoseData(poses=noisy[None], layout="h36m17", fps=30.0, format="csv",
                                              extra={"frame_ids": kept.tolist()}))
                else:
                    times = phone_times(len(clip), rng)
                    clean = CubicSpline(np.arange(len(clip)) / 30, clip, axis=0)(times).astype(np.float32)
                    noisy = corrupt(clean, preset, rng=rng, fps=1 / float(np.median(np.diff(times)))).noisy
                if args.format == "csv-time":
                    cells = np.empty((1, len(times)), dtype=object)
                    for t, time in enumerate(times):
                        cells[0, t] = (f"{time:.4f}",)
                    write_poses(src, PoseData(poses=noisy[None], layout="h36m17", format="csv",
                                              extra={"csv": {"others": {"names": ["time"], "cells": cells}}}))
                elif args.format == "trc":
                    write_poses(src, PoseData(poses=noisy[None], layout="h36m17", fps=30.0, format="trc",
                                              extra={"keep_missing": True, "trc": {"times": times.tolist(),
                                                                                   "units": "mm", "time_decimals": 4}}))
                truth = clean - root_position(clean, "h36m17")
                rows["input"].append(score(fill_gaps(noisy)[0], truth, times))
                out = Path(tmp) / f"out.{args.format[:3]}"
                for row, patched in ((as_if, lambda data: None), (at, even_times)):
                    uneven_times.file_times = patched
                    files.refine_file(src, out, method=args.method, force=True, **rate)
                    rows[row].append(score(read_poses(out).poses[0], truth, times))
                uneven_times.file_times = even_times
                weights.append(len(times))
                frames += len(times)
        print(f"### preset `{preset}` ({len(names)} {args.split} clips, {frames} frames at {sampled}, mm)\n")
        print("| | MPJPE | Accel | Accel (time) |\n|---|---:|---:|---:|")
        for row, scores in rows.items():
            mean = {k: np.average([s[k] for s in scores], weights=weights) for k in scores[0]}
            print(f"| {row} | {mean['MPJPE']:.2f} | {mean['Accel']:.2f} | {mean['Accel (time)']:.2f} |")
        print()


if __name__ == "__main__":
    main()
