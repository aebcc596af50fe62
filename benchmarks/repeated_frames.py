"""Frames repeated at a stride: a 20 fps video shown at 30 (every 3rd frame a copy of the one before), 15 -> 30 (every
2nd), 25 -> 30 (every 6th).

The protocol's clips of at least 150 frames (``make_cases(split, "none")``: 2D through the protocol's cameras, or 3D
root-relative), with white noise of 2 px (2D) or 8 mm (3D) per coordinate drawn once per clip before the repeats
(seed 1, in clip order), refined at ``fps=30``; MPJPE against the clean clip at every frame, and on the repeated
frames / the others (audit 19, finding 2; benchmarks/RESULTS.md, section 6, "Repeated frames and the half-pace look").

Run::

    .venv/bin/python benchmarks/repeated_frames.py --split val --space 2d --stride 3 --clips 14
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases

METHODS = ("input", "synsp", "smoothnet")


def repeated(x: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (T, J, C) with every ``stride``-th frame (the last of each group) a copy of the one before; (T,) bool the
    copies."""
    keep = np.arange(len(x))
    keep[stride - 1::stride] = keep[stride - 2::stride][:len(keep[stride - 1::stride])]
    return x[keep], keep != np.arange(len(x))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--space", default="2d", choices=("2d", "3d"))
    parser.add_argument("--stride", type=int, default=3, help="every this many frames, the last one repeated")
    parser.add_argument("--clips", type=int, default=14)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first this many clips")
    args = parser.parse_args()
    layout = "h36m17" if args.space == "3d" else "coco17"
    cases = [c for c in make_cases(args.split, "none", layout=layout, space=args.space, max_clips=0)
             if len(c.clean) >= 150][args.skip:args.skip + args.clips]
    rng = np.random.default_rng(1)
    sigma = 8.0 if args.space == "3d" else 2.0
    totals: dict[str, list[tuple[float, float, float]]] = {m: [] for m in METHODS}
    for case in cases:
        truth = case.clean.astype(np.float64)
        noisy, copies = repeated(truth + rng.normal(0.0, sigma, truth.shape), args.stride)
        row = []
        for method in METHODS:
            out = noisy if method == "input" else synsp.refine(noisy.astype(np.float32), method, layout=layout, fps=30)
            err = np.linalg.norm(np.asarray(out, np.float64) - truth, axis=-1)
            totals[method].append((err.mean(), err[copies].mean(), err[~copies].mean()))
            row.append(f"{method} {err.mean():.2f}")
        print(f"{case.name[:40]:40s} {len(truth):4d}  " + "  ".join(row), flush=True)
    unit = "mm" if args.space == "3d" else "px"
    print(f"mean over {len(cases)} clips ({args.split}, {args.space}, every {args.stride}. frame repeated; {unit}; "
          "all / repeated / other frames):")
    for method, rows in totals.items():
        print(f"  {method:10s} " + " / ".join(f"{v:.3f}" for v in np.mean(rows, axis=0)))


if __name__ == "__main__":
    main()
