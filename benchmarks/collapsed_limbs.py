"""Limb ends collapsed onto their neighbour: an occluded wrist put on the elbow, an ankle on the knee.

Each clip (``--split``, every 5th clip, at most 300 frames) gets both wrists and both ankles on their
elbows and knees for two runs of ``--shortest``-``--longest`` frames each, then white noise (3D h36m17
8 mm, 2D coco17 2.5 px through one random camera per clip). Prints how many collapsed values the
measurements take out (``synsp.estimator_errors.astray_limbs``), and MPJPE (3D root-relative, and
absolute), its mean ratio to the input's per clip, and Accel, for the input and each method.

Run::

    .venv/bin/python benchmarks/collapsed_limbs.py [--space 2d] [--clips 12] [--split val]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.estimator_errors.measurements import measurements
from synsp.metrics import accel_error, mpjpe
from synsp.skeleton.layouts import get_layout

# (limb end, the neighbour it is put on) per layout: wrists on elbows, ankles on knees
COLLAPSES = {"h36m17": [(13, 12), (16, 15), (3, 2), (6, 5)], "coco17": [(9, 7), (10, 8), (15, 13), (16, 14)]}


def _runs(frames: int, rng: np.random.Generator, shortest: int, longest: int, count: int = 2) -> list[tuple[int, int]]:
    """``count`` runs (start, stop), one in each ``count``-th of the clip, 5 frames off its ends."""
    runs = []
    for k in range(count):
        length = int(rng.integers(shortest, longest + 1))
        low, high = k * frames // count + 5, (k + 1) * frames // count - length - 5
        start = int(rng.integers(low, max(low + 1, high)))
        runs.append((start, min(frames - 1, start + length)))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--shortest", type=int, default=10)
    parser.add_argument("--longest", type=int, default=25)
    parser.add_argument("--methods", nargs="+", default=["synsp", "smoothnet", "butterworth"])
    args = parser.parse_args()
    layout = "h36m17" if args.space == "3d" else "coco17"
    rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ["input", *args.methods]}
    found = total = 0
    for i, name in enumerate(list(load_split(args.split))[::5][: args.clips]):
        truth = load_clip(name, layout).astype(np.float64)[:300]
        if args.space == "2d":
            truth = project(truth, random_camera(np.random.default_rng(500 + i), subject=truth))
        rng = np.random.default_rng(1400 + i)
        noisy, collapsed = truth.copy(), np.zeros(truth.shape[:2], dtype=bool)
        for joint, neighbour in COLLAPSES[layout]:
            for start, stop in _runs(len(truth), rng, args.shortest, args.longest):
                noisy[start:stop, joint] = truth[start:stop, neighbour]
                collapsed[start:stop, joint] = True
        noisy += rng.normal(0, 8.0 if args.space == "3d" else 2.5, noisy.shape)
        found += int((measurements(noisy, get_layout(layout)).astray & collapsed).sum())
        total += int(collapsed.sum())
        relative = (lambda p: p - p[:, :1]) if args.space == "3d" else (lambda p: p)
        for method in rows:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = noisy if method == "input" else np.asarray(synsp.refine(noisy, method), np.float64)
            rows[method].append((mpjpe(relative(out), relative(truth)), mpjpe(out, truth), accel_error(out, truth)))
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.space}, {args.split}, {len(rows['input'])} clips, runs of {args.shortest}-{args.longest} frames: "
          f"collapsed values taken out {found} of {total}")
    kind = " root-relative" if args.space == "3d" else ""
    print(f"| method | MPJPE{kind} ({unit}) | x input | MPJPE absolute | Accel |")
    print("|---|---:|---:|---:|---:|")
    base = np.array(rows["input"])
    for method, values in rows.items():
        v = np.array(values)
        print(f"| {method} | {v[:, 0].mean():.2f} | {(v[:, 0] / base[:, 0]).mean():.3f} | {v[:, 1].mean():.2f} "
              f"| {v[:, 2].mean():.2f} |")


if __name__ == "__main__":
    main()
