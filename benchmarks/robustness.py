"""Noise the estimator-error simulator does not make: how each method copes (3D, test split).

The accuracy benchmark scores errors drawn by our own simulator. Here the test clips get
noise of other kinds instead, none with the simulator's structure:

- none: the clean mocap itself (a refiner should leave it nearly as it is);
- white Gaussian noise of 5, 20 and 50 mm per coordinate (independent per frame and joint);
- uniform noise in +-40 mm per coordinate;
- low-pass noise: white noise of 30 mm smoothed by a Gaussian of 2 frames (slow wobble).

Filters run at the paper's settings (no tuning on these noises). Root-relative mm. Run:

    .venv/bin/python benchmarks/robustness.py [--max-clips 30] [--checkpoint PATH]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.ndimage import gaussian_filter1d

from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTERS
from synsp.inference.checkpoint import load_model

NOISES = {
    "none": lambda x, rng: x,
    "white 5 mm": lambda x, rng: x + rng.normal(0, 5, x.shape),
    "white 20 mm": lambda x, rng: x + rng.normal(0, 20, x.shape),
    "white 50 mm": lambda x, rng: x + rng.normal(0, 50, x.shape),
    "uniform 40 mm": lambda x, rng: x + rng.uniform(-40, 40, x.shape),
    "low-pass 30 mm": lambda x, rng: x + gaussian_filter1d(rng.normal(0, 30, x.shape), 2.0, axis=0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N test clips (0 = all)")
    parser.add_argument("--checkpoint", default="synsp-h36m17", help="the SynSP model (file or shipped name)")
    args = parser.parse_args()
    clean = make_cases("test", "clean-ish", max_clips=args.max_clips)  # only the ground truth is used
    methods = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    methods["SmoothNet"] = load_model("smoothnet-h36m17").refine
    synsp = load_model(args.checkpoint)
    methods["SynSP"] = synsp.refine
    rng = np.random.default_rng(0)
    for noise, add in NOISES.items():
        cases = [Case(c.name, add(c.clean, rng).astype(np.float32), c.clean) for c in clean]
        frames = sum(len(c.clean) for c in cases)
        print(f"### {noise} ({len(cases)} test clips, {frames} frames, mm)\n")
        print(markdown_table(evaluate(methods, cases)) + "\n")


if __name__ == "__main__":
    main()
