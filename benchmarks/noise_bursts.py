"""Noise in bursts (benchmarks/RESULTS.md, section 4, "Noise in bursts"): white noise whose level changes within
a clip, as motion blur, a passing occluder or a turn makes it: LOW per coordinate with whole-body bursts of HIGH
lasting 1-2 s every 3-6 s (about 40 % of the frames). A user audit's set-up (audit 11, finding 2): clips of the
split of 200 frames or more, every k-th of them to give ``--clips``, cut to 360 frames, Human3.6M-17 joints; in 2D
through a random virtual camera (seed 600 + i; pixels), in 3D root-relative millimetres; noise seeds 1500 + i.
Prints per method the MPJPE over all frames, the burst frames and the calm ones, and how many joint values
SynSP's measurement step took for glitches (:mod:`synsp.estimator_errors.glitches`), of those in the bursts.
Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/noise_bursts.py [--space 2d|3d] [--low 1] [--high 10] [--clips 8] [--split val]
        [--runs 20 30] [--smooth]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import get_layout

METHODS = ("synsp", "smoothnet", "butterworth", "one-euro")


def _clips(split: str, count: int, frames: int = 360, min_len: int = 200) -> list[tuple[str, np.ndarray]]:
    """(name, (T, 17, 3) mm) for every k-th clip of ``split`` of ``min_len`` frames or more, cut to ``frames``."""
    names = [n for n in load_split(split) if clip_frames(n) >= min_len]
    names = names[:: max(1, len(names) // count)][:count]
    return [(n, load_clip(n, "h36m17").astype(np.float64)[:frames]) for n in names]


def _bursts(length: int, rng: np.random.Generator, runs: tuple[int, int] = (30, 60)) -> np.ndarray:
    """(T,) bool: bursts of ``runs`` frames (30-60), 60-120 frames apart, the first 20-60 frames in."""
    burst = np.zeros(length, dtype=bool)
    t = int(rng.integers(20, 60))
    while t < length:
        run = int(rng.integers(runs[0], runs[1] + 1))
        burst[t:t + run] = True
        t += run + int(rng.integers(60, 120))
    return burst


def _smooth_level(burst: np.ndarray, low: float, high: float) -> np.ndarray:
    """(T,) the noise per coordinate rising from ``low`` to ``high`` and back as a raised cosine over twice each burst
    of ``burst`` (n frames: over the 2n frames centred on it, above the half-way level on the burst's own frames)."""
    level = np.full(len(burst), low)
    t = np.arange(len(burst))
    edges = np.flatnonzero(np.diff(np.r_[0, burst.astype(np.int8), 0]))
    for start, end in zip(edges[::2], edges[1::2]):
        u = (t + 0.5 - (start + end) / 2) / (2 * (end - start)) + 0.5  # 0-1 over the bump
        bump = np.where((u > 0) & (u < 1), 0.5 - 0.5 * np.cos(2 * np.pi * u), 0.0)
        level = np.maximum(level, low + (high - low) * bump)
    return level


def _error(pred: np.ndarray, clean: np.ndarray, space: str) -> float:
    if space == "3d":  # root-relative: the pelvis (joint 0) taken off
        pred, clean = pred - pred[:, :1], clean - clean[:, :1]
    return float(np.linalg.norm(pred - clean, axis=-1).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--space", choices=["2d", "3d"], default="2d")
    parser.add_argument("--low", type=float, default=1.0, help="the calm noise per coordinate (px or mm)")
    parser.add_argument("--high", type=float, default=10.0, help="the bursts' noise per coordinate (px or mm)")
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--runs", type=int, nargs=2, default=(30, 60), metavar=("MIN", "MAX"),
                        help="each burst's length in frames (default 30 60: 1-2 s; 20 30: under a second)")
    parser.add_argument("--smooth", action="store_true", help="the noise rises and falls as a raised cosine over "
                        "twice each burst's length (the bursts' frames: those above the half-way level)")
    parser.add_argument("--split", default="val", help="val (choices, default) or test (the final figure, once)")
    args = parser.parse_args()
    layout = get_layout("h36m17")
    parts = {"all": [], "bursts": [], "calm": []}
    marked = []
    for i, (name, truth) in enumerate(_clips(args.split, args.clips)):
        clean = project(truth, random_camera(np.random.default_rng(600 + i), subject=truth)) if args.space == "2d" \
            else truth
        rng = np.random.default_rng(1500 + i)
        burst = _bursts(len(clean), rng, tuple(args.runs))
        level = _smooth_level(burst, args.low, args.high) if args.smooth else np.where(burst, args.high, args.low)
        burst = level > (args.low + args.high) / 2 if args.smooth else burst
        noisy = clean + rng.normal(0.0, 1.0, clean.shape) * level[:, None, None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outs = {"input": noisy, **{m: np.asarray(synsp.refine(noisy, m, layout="h36m17"), np.float64)
                                       for m in METHODS}}
        for part, frames in (("all", slice(None)), ("bursts", burst), ("calm", ~burst)):
            parts[part].append([_error(out[frames], clean[frames], args.space) for out in outs.values()])
        glitches = measurements(noisy, layout).glitches
        marked.append((int(glitches.sum()), int(glitches[burst].sum()), int(burst.sum()) * glitches.shape[1]))
        print(f"{name}: {len(clean)} frames, {int(burst.sum())} in bursts; all "
              + " ".join(f"{v:.3f}" for v in parts["all"][-1]), flush=True)
    unit = "px" if args.space == "2d" else "mm"
    shape = f"{args.runs[0]}-{args.runs[1]} frames{' (smooth)' if args.smooth else ''}"
    print(f"\n{args.split} split, {len(marked)} clips, {args.space.upper()} ({unit}): {args.low:g} {unit} with bursts "
          f"of {args.high:g} {unit}, {shape}; MPJPE{' root-relative' if args.space == '3d' else ''}\n")
    print("| frames | input | " + " | ".join(METHODS) + " |")
    print("|---|" + "---:|" * (len(METHODS) + 1))
    for part, rows in parts.items():
        print(f"| {part} | " + " | ".join(f"{v:.3f}" for v in np.mean(rows, axis=0)) + " |")
    total, in_bursts, burst_values = np.sum(marked, axis=0)
    print(f"\nglitches marked by the measurement step: {total} joint values, {in_bursts} of the bursts' {burst_values}")


if __name__ == "__main__":
    main()
