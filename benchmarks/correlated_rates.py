"""High frame rates whose errors are correlated over a few frames: the light-noise readings at the input's rate
against the same at the network's (:func:`synsp.inference.white_noise.at_network_rate`: the noise-only share and
the white-noise limit of the slow correction).

An estimator run at 30 fps on interpolated video, or a tracker that smooths, hands over 120 fps poses whose errors
are its 30 fps errors resampled: correlated over about 4 frames. Conditions: ``PRESET~FPS``, the split's protocol
cases (``make_cases``: the preset's errors drawn at 30 fps) with clean and noisy poses resampled together by a cubic
to FPS, plus white noise of :data:`WHITE` mm (px) per frame at FPS (audit 21, finding 2); ``SIGMA@FPS``, the clean
clips resampled to FPS with white noise of SIGMA mm (px) per coordinate, independent per frame (what the light-noise
step was made for). Rows: the input, ``synsp.refine(..., fps=FPS)`` with the share read at the input's rate
("before") and at the network's ("after", today's), SmoothNet; cells MPJPE (3D mm root-relative, 2D px),
frame-weighted, x input; then the clips worse than their input, before -> after. Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/correlated_rates.py [--space 2d] [--split val] [--max-clips 12]
        [--conditions typical~120 typical~60 2@120 ...]
"""
from __future__ import annotations

import argparse
import time
from unittest import mock

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
from noise_only import error  # this folder's: MPJPE, 3D root-relative
from synsp.evaluation.protocol import make_cases
from synsp.inference import noise_only, white_noise
from table_cells import x_input

WHITE = {"3d": 5.0, "2d": 1.0}  # mm / px per frame at the rate, on top of the resampled errors
LAYOUT = {"3d": "h36m17", "2d": "coco17"}
CONDITIONS = {"3d": ("typical~60", "typical~100", "typical~120", "typical~240", "jitter~120", "2@60", "2@120"),
              "2d": ("typical~60", "typical~120", "typical~240", "1@60", "1@120")}
METHODS = ("input", "before", "after", "smoothnet")


def resampled(x: np.ndarray, fps: int) -> np.ndarray:
    """``x`` (T, J, C) at 30 fps on a cubic at ``fps`` over the same span; (T', J, C) float64."""
    t = np.arange(len(x)) / 30.0
    return CubicSpline(t, np.asarray(x, np.float64), axis=0)(np.arange(0.0, t[-1] + 1e-9, 1.0 / fps))


def cases(condition: str, space: str, split: str, max_clips: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """[(clean, noisy)] (T, J, C) of ``condition`` (module docstring) and its rate (fps)."""
    white = "@" in condition
    level, fps = condition.split("@" if white else "~")
    fps = int(fps)
    found = make_cases(split, "none" if white else level, layout=LAYOUT[space], space=space, max_clips=max_clips)
    out = []
    for i, case in enumerate(found):
        clean = resampled(case.clean, fps)
        rng = np.random.default_rng(i)
        if white:
            out.append((clean, clean + rng.normal(0.0, float(level), clean.shape)))
        else:
            out.append((clean, resampled(case.noisy, fps) + rng.normal(0.0, WHITE[space], clean.shape)))
    return out, fps


def row(condition: str, space: str, split: str, max_clips: int) -> str:
    """One table row: ``condition`` over the split's first ``max_clips`` clips (0: all)."""
    layout = LAYOUT[space]
    found, fps = cases(condition, space, split, max_clips)
    scores, frames, worse = [], [], [0, 0]
    for clean, noisy in found:
        noisy = noisy.astype(np.float32)
        with mock.patch.object(noise_only, "READ_AT_FROM", np.inf), \
                mock.patch.object(white_noise, "READ_AT_FROM", np.inf):
            before = synsp.refine(noisy, layout=layout, fps=fps)
        outs = {"input": noisy, "before": before, "after": synsp.refine(noisy, layout=layout, fps=fps),
                "smoothnet": synsp.refine(noisy, "smoothnet", layout=layout, fps=fps)}
        s = [error(outs[m], clean, layout) for m in METHODS]
        worse[0] += s[1] > s[0]
        worse[1] += s[2] > s[0]
        scores.append(s)
        frames.append(len(clean))
    m = np.average(scores, axis=0, weights=frames)
    cells = x_input(m)
    return f"| {condition} | " + " | ".join(cells) + f" | {worse[0]} -> {worse[1]} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=12, help="only the first N clips (0 = all)")
    parser.add_argument("--conditions", nargs="+", help="PRESET~FPS or SIGMA@FPS (default: the space's)")
    args = parser.parse_args()
    start = time.time()
    unit = "mm" if args.space == "3d" else "px"
    print(f"\n#### {LAYOUT[args.space]} ({args.space}, {args.split} split, {args.max_clips or 'all'} clips, {unit})\n")
    print("| condition | " + " | ".join(METHODS) + " | clips worse than input |")
    print("|---|" + "---:|" * len(METHODS) + "---|")
    for condition in args.conditions or CONDITIONS[args.space]:
        print(row(condition, args.space, args.split, args.max_clips), flush=True)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
