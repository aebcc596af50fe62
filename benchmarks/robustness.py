"""Noise the estimator-error simulator does not make: how each method copes (3D, test split).

The accuracy benchmark scores errors drawn by our own simulator. Here the test clips get
noise of other kinds instead, none with the simulator's structure:

- none: the clean mocap itself (a refiner should leave it nearly as it is);
- white Gaussian noise of 5, 20 and 50 mm per coordinate (independent per frame and joint);
- uniform noise in +-40 mm per coordinate;
- low-pass noise: white noise of 30 mm smoothed by a Gaussian of 2 frames (slow wobble);
- and, on clean poses, errors of other kinds: every 5th frame a repeat of the one before (a
  24 -> 30 fps pulldown), both wrists 2 frames late, spikes (1 % of joint values off by 200 mm
  per coordinate), the body's size wobbling by 3 % and its orientation by 2 degrees per axis
  from frame to frame (about the pelvis), and coordinates rounded to whole centimetres.

Filters run at the paper's settings (no tuning on these noises). SynSP is the default and, as
"SynSP, whole correction", without the step that keeps its correction in proportion to the
model's floor (``floor=False``, :mod:`synsp.inference.floor`). Root-relative mm. Run:

    .venv/bin/python benchmarks/robustness.py [--max-clips 30] [--checkpoint PATH]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.spatial.transform import Rotation

from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTERS
from synsp.inference.checkpoint import load_model


def _repeat_frames(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    y = x.copy()
    y[4::5] = x[3::5][: len(y[4::5])]
    return y


def _late_wrists(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    y = x.copy()
    y[2:, [13, 16]] = x[:-2, [13, 16]]  # h36m17 wrists
    return y


def _spikes(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    hit = rng.random(x.shape[:2]) < 0.01
    y = x.copy()
    y[hit] += rng.normal(0, 200, (int(hit.sum()), 3))
    return y


def _about_pelvis(x: np.ndarray, matrices: np.ndarray) -> np.ndarray:
    root = x[:, :1]
    return root + np.einsum("tab,tjb->tja", matrices, x - root)


def _scale_wobble(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _about_pelvis(x, (1 + rng.normal(0, 0.03, len(x)))[:, None, None] * np.eye(3))


def _turn_wobble(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _about_pelvis(x, Rotation.from_rotvec(np.deg2rad(rng.normal(0, 2, (len(x), 3)))).as_matrix())


NOISES = {
    "none": lambda x, rng: x,
    "white 5 mm": lambda x, rng: x + rng.normal(0, 5, x.shape),
    "white 20 mm": lambda x, rng: x + rng.normal(0, 20, x.shape),
    "white 50 mm": lambda x, rng: x + rng.normal(0, 50, x.shape),
    "uniform 40 mm": lambda x, rng: x + rng.uniform(-40, 40, x.shape),
    "low-pass 30 mm": lambda x, rng: x + gaussian_filter1d(rng.normal(0, 30, x.shape), 2.0, axis=0),
    "every 5th frame repeated": _repeat_frames,
    "wrists 2 frames late": _late_wrists,
    "spikes 1 %, 200 mm": _spikes,
    "size wobble 3 %": _scale_wobble,
    "orientation wobble 2 deg": _turn_wobble,
    "rounded to 1 cm": lambda x, rng: np.round(x / 10) * 10,
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
    methods["SynSP, whole correction"] = lambda x: synsp.refine(x, floor=False)
    rng = np.random.default_rng(0)
    for noise, add in NOISES.items():
        cases = [Case(c.name, add(c.clean, rng).astype(np.float32), c.clean) for c in clean]
        frames = sum(len(c.clean) for c in cases)
        print(f"### {noise} ({len(cases)} test clips, {frames} frames, mm)\n")
        print(markdown_table(evaluate(methods, cases)) + "\n")


if __name__ == "__main__":
    main()
