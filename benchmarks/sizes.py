"""Other sizes: the same 3D clips scaled as a wrong unit or another body would scale them.

The split's clips (millimetres), input and ground truth alike, multiplied by a factor: 0.39
(a file in inches read as centimetres), 0.6 (a child's size), 1.6, and 3.28 (feet read as
metres). For each: MPJPE of ``typical`` input (x input) and how far the clean clip is moved
(mm at the body's own size, i.e. divided by the factor), for SmoothNet, SynSP without the
size step (``Refiner.trained_size = False``) and SynSP (the default, which refines a body
outside the trained sizes at the nearest one: ``synsp.inference.body_scale``). Run:

    .venv/bin/python benchmarks/sizes.py [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse
from typing import Callable

import numpy as np

from axes import print_table  # this folder's scripts share their table
from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import DEFAULT_MODEL, default_model, load_model

FACTORS = {"as trained (mm)": 1.0, "inches read as cm (x0.39)": 1 / 2.54, "a child (x0.6)": 0.6, "x1.6": 1.6,
           "feet read as metres (x3.28)": 1 / 0.3048}


def _mean(method: Callable, cases, factor: float) -> float:
    """Frame-weighted mean MPJPE (mm at the body's own size) of ``method`` on the scaled cases."""
    scores = [score(method((factor * c.noisy).astype(np.float32)) / factor, c.clean, layout="h36m17",
                    space="3d")["MPJPE"] for c in cases]
    return float(np.average(scores, weights=[len(c.clean) for c in cases]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    unsized = load_model(DEFAULT_MODEL["3d"])
    unsized.trained_size = False
    methods = {"input": lambda x: x, "SmoothNet": load_model(default_model("smoothnet", "3d")).refine,
               "SynSP, no size step": unsized.refine, "SynSP (default)": load_model(DEFAULT_MODEL["3d"]).refine}
    typical = make_cases(args.split, "typical", max_clips=args.max_clips)
    clean = make_cases(args.split, "none", max_clips=args.max_clips)
    print(f"\n3D, {args.split} split, {len(typical)} clips: `typical` MPJPE (mm, x input) | clean clip moved by (mm)\n")
    print_table("scale", FACTORS, methods, typical, clean, _mean)

if __name__ == "__main__":
    main()
