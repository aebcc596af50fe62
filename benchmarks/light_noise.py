"""2D input with little white noise: does a refiner leave it better than it came?

The split's clean clips through the protocol's random cameras (COCO-17, px; ``make_cases(split, "none")``,
each clip's first 240 frames) are given white Gaussian noise of each ``--sigmas`` px per coordinate (seeded per
clip and sigma) and refined by each method at 30 fps. Cells: MPJPE px over all frames (as the protocol weighs
clips), then how many clips came out worse than their input. ``--per-clip`` prints every clip's figures too.
Run:

    .venv/bin/python benchmarks/light_noise.py [--split val] [--clips 12] [--sigmas 0.25 0.5 1 2] [--per-clip]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases

METHODS = ("input", "synsp", "smoothnet", "butterworth")


def errors(pred: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Per-frame mean joint error (T,), px."""
    return np.linalg.norm(np.asarray(pred, np.float64) - clean, axis=-1).mean(axis=-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0])
    parser.add_argument("--per-clip", action="store_true")
    args = parser.parse_args()
    start = time.time()
    cases = make_cases(args.split, "none", layout="coco17", space="2d", max_clips=args.clips)
    print(f"{args.split} split, {len(cases)} clean clips (240 frames or fewer), white noise per coordinate; "
          "MPJPE px (clips worse than their input)")
    print("| noise (px) | " + " | ".join(METHODS) + " |")
    print("|---:|" + "---:|" * len(METHODS))
    lines = []
    for sigma in args.sigmas:
        per_frame = {m: [] for m in METHODS}
        worse = dict.fromkeys(METHODS, 0)
        for index, case in enumerate(cases):
            clean = np.asarray(case.clean[:240], np.float64)
            rng = np.random.default_rng([index, int(round(sigma * 1000))])
            noisy = (clean + rng.normal(0.0, sigma, clean.shape)).astype(np.float32)
            outputs = {"input": noisy, "synsp": synsp.refine(noisy, fps=30),
                       "smoothnet": synsp.refine(noisy, "smoothnet", fps=30),
                       "butterworth": synsp.refine(noisy, "butterworth", fps=30)}
            clip = {m: errors(out, clean) for m, out in outputs.items()}
            for m in METHODS:
                per_frame[m].append(clip[m])
                worse[m] += bool(clip[m].mean() > clip["input"].mean())
            lines.append(f"  {sigma:g} px {case.name}: " + " ".join(f"{m} {clip[m].mean():.2f}" for m in METHODS))
        cells = [f"{np.concatenate(per_frame[m]).mean():.3f}" + ("" if m == "input" else f" ({worse[m]})")
                 for m in METHODS]
        print(f"| {sigma:g} | " + " | ".join(cells) + " |", flush=True)
    if args.per_clip:
        print("\n".join(lines))
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
