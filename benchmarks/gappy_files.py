"""Files with many short gaps: SynSP on the values measured and on the ones filled.

A triangulation or a confidence threshold loses each joint for a few frames here and there. Every
(65 // 12)-th clip of the split (its first 240 frames; 12 clips: walks, runs, a dash, arm raises, a bow)
gets white noise (8 mm in 3D; 2 px in 2D, through a random camera), then ``share`` of its joint values
go missing (NaN) in runs of 1-6 frames on joints drawn at random (a user audit's case, 2026-12-06).
Mean error per joint value (mm / px, not root-relative) of ``synsp.refine(poses, layout=...)`` on:

- ``seen``: the values the input had; ``filled``: the ones it lacked;
- the same for the clips that travel (walk, run, dash), where a straight fill through a swinging
  shin is 100-200 mm off; ``worse``: the clips whose seen values come out worse than their input.

Run:

    .venv/bin/python benchmarks/gappy_files.py [--space 2d] [--split val] [--shares 0.35,0.2,0.1,0.05,0]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split

TRAVEL = ("walk", "run", "dash")


def clips(split: str, space: str, n: int = 12, frames: int = 240) -> list[tuple[str, np.ndarray]]:
    """(name, (T, 17, C) clean poses): every (len // n)-th clip of ``split``, h36m17 mm or coco17 px."""
    names = load_split(split)
    names = names[:: max(1, len(names) // n)][:n]
    out = []
    for i, name in enumerate(names):
        clip = load_clip(name, "h36m17" if space == "3d" else "coco17").astype(np.float64)[:frames]
        if space == "2d":
            clip = project(clip, random_camera(np.random.default_rng(600 + i), subject=clip))
        out.append((name, clip))
    return out


def gappy(clean: np.ndarray, share: float, seed: int, white: float) -> tuple[np.ndarray, np.ndarray]:
    """``clean`` with white noise and ``share`` of its values NaN in runs of 1-6 frames; and the (T, J) mask."""
    rng = np.random.default_rng(seed)
    noisy = clean + rng.normal(0, white, clean.shape)
    miss = np.zeros(clean.shape[:2], bool)
    while miss.mean() < share:
        j, t, length = rng.integers(clean.shape[1]), rng.integers(len(clean)), rng.integers(1, 7)
        miss[t:t + length, j] = True
    noisy[miss] = np.nan
    return noisy, miss


def _mean(values: np.ndarray) -> str:
    return "-" if np.isnan(values).all() else f"{np.nanmean(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    parser.add_argument("--shares", default="0.35,0.2,0.1,0.05,0", help="shares of the values missing")
    args = parser.parse_args()
    layout, white, unit = ("h36m17", 8.0, "mm") if args.space == "3d" else ("coco17", 2.0, "px")
    cases = clips(args.split, args.space)
    print(f"#### {args.space.upper()}, runs of 1-6 frames missing, {white:g} {unit} white noise "
          f"({args.split} split, {len(cases)} clips, {unit})\n")
    print("| missing | input | seen | filled | travelling: input | seen | filled | worse than input |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for share in (float(s) for s in args.shares.split(",")):
        rows, worse = [], []
        for i, (name, clean) in enumerate(cases):
            noisy, miss = gappy(clean, share, 700 + i, white)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = np.asarray(synsp.refine(noisy, layout=layout), np.float64)
            d, d_in = np.linalg.norm(out - clean, axis=-1), np.linalg.norm(noisy - clean, axis=-1)
            rows.append((d_in[~miss].mean(), d[~miss].mean(), d[miss].mean() if miss.any() else np.nan,
                         any(w in name for w in TRAVEL)))
            if rows[-1][1] > rows[-1][0]:
                worse.append(f"{name.split('_', 1)[1]} {rows[-1][1] / rows[-1][0]:.2f}x")
        r = np.array([row[:3] for row in rows])
        moving = np.array([row[3] for row in rows])
        print(f"| {share:.0%} | {r[:, 0].mean():.3f} | {r[:, 1].mean():.3f} | {_mean(r[:, 2])} | "
              f"{r[moving, 0].mean():.3f} | {r[moving, 1].mean():.3f} | {_mean(r[moving, 2])} | "
              f"{', '.join(worse) or 'none'} |", flush=True)


if __name__ == "__main__":
    main()
