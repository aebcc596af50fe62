"""Joints of no layout (a lab's own markers, an animal's body parts, a layout no model converts to):
SmoothNet alone (before) against SmoothNet or a low-pass chosen per joint by Stein's unbiased risk
estimate (:mod:`synsp.inference.risk_choice`, today's route), with a 6 Hz Butterworth beside them.

The split's clips, 13 of the model's joints (a count no layout has, so none is guessed: 3D the
limbs and head, 2D the body and nose), are refined as joints of no layout
(:func:`synsp.refining.person.refine_track` with ``layout=None``), under white noise (a marker
system's or a per-frame tracker's; at 30 fps and, resampled on a cubic, at 100 Hz) and the
simulator's presets (correlated jitter with spikes, slow errors). MPJPE, 3D mm / 2D px, and the
share of joints the choice low-passed. Run:

    .venv/bin/python benchmarks/no_layout.py [--space 2d] [--split val] [--clips 12]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from extra_joints import at_rate  # this folder's: a 30 fps clip on a cubic at another rate
from synsp.evaluation.protocol import make_cases
from synsp.filters import butterworth
from synsp.inference.risk_choice import lowpass_or_network
from synsp.metrics import mpjpe
from synsp.refining.person import refine_track
from synsp.sequence import fill_gaps

# (label, preset, white noise std per coordinate (0: the preset's errors), frame rate)
CONDITIONS = {
    "3d": [("white 3 mm, 100 Hz", "none", 3.0, 100), ("white 3 mm", "none", 3.0, 30), ("white 8 mm", "none", 8.0, 30),
           ("white 15 mm", "none", 15.0, 30), ("clean (moved)", "none", 0.0, 30)],
    "2d": [("white 1 px, 100 Hz", "none", 1.0, 100), ("white 1 px", "none", 1.0, 30), ("white 3 px", "none", 3.0, 30),
           ("clean (moved)", "none", 0.0, 30)],
}
PRESETS = ("jitter", "clean-ish", "typical", "hard")
# 13 joints of each model's layout: h36m17 without its pelvis, spine, thorax and neck; coco17 without eyes and ears
KEEP = {"h36m17": [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16], "coco17": [0] + list(range(5, 17))}


def row(cases, keep: list[int], sigma: float, fps: int) -> list[float]:
    """Frame-weighted [input, SmoothNet, today's route, Butterworth 6 Hz, share low-passed] over ``cases``."""
    rows, frames = [], []
    for i, case in enumerate(cases):
        clean = at_rate(np.asarray(case.clean, np.float64).reshape(case.clean.shape[-3:])[:, keep], fps)
        noisy = (clean + np.random.default_rng(i).normal(0.0, sigma, clean.shape) if sigma or case.noisy is None
                 else np.asarray(case.noisy, np.float64).reshape(case.noisy.shape[-3:])[:, keep])
        filled = fill_gaps(noisy)[0]
        smoothnet = refine_track(noisy, None, "smoothnet", fps=fps)
        today = refine_track(noisy, None, "synsp", fps=fps)
        chosen = lowpass_or_network(filled, lambda v: refine_track(v, None, "smoothnet", fps=fps))[1]
        rows.append([mpjpe(filled, clean), mpjpe(smoothnet, clean), mpjpe(today, clean),
                     mpjpe(butterworth(filled, fps=fps), clean), chosen.mean()])
        frames.append(len(clean))
    return list(np.average(rows, axis=0, weights=frames))


def run(space: str, split: str, clips: int) -> str:
    layout = "h36m17" if space == "3d" else "coco17"
    unit = "mm" if space == "3d" else "px"
    lines = [f"Joints of no layout, {space.upper()} ({unit}), {split} split, first {clips or 'all'} clips",
             "", "| condition | input | SmoothNet alone (before) | today | Butterworth 6 Hz | joints low-passed |",
             "|---|---:|---:|---:|---:|---:|"]
    conditions = CONDITIONS[space] + [(preset, preset, 0.0, 30) for preset in PRESETS]
    for label, preset, sigma, fps in conditions:
        cases = make_cases(split, preset, layout=layout, space=space, max_clips=clips)
        m = row(cases, KEEP[layout], sigma, fps)
        ratio = (lambda v: f"{v:.2f} ({v / m[0]:.3f})") if m[0] > 0 else (lambda v: f"{v:.2f}")
        lines.append(f"| {label} | {m[0]:.2f} | {ratio(m[1])} | {ratio(m[2])} | {ratio(m[3])} | {m[4]:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=12, help="clips of the split (0: all)")
    args = parser.parse_args()
    start = time.time()
    print(run(args.space, args.split, args.clips))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
