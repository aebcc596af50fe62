"""Input whose errors are only light white noise (markers, mocap with noise added, a tracker): today's default
against the same without :mod:`synsp.inference.noise_only` (each joint the nearer of SynSP's route and a low-pass
where the input reads as noise only), SmoothNet and a 6 Hz Butterworth.

The split's clean clips in each layout (3D `h36m17`, 2D `coco17`, the models' own; `halpe26`, converted), resampled
on a cubic to the condition's frame rate, with white noise of SIGMA mm (px) per coordinate ("SIGMA@FPS"), and the
simulator's presets (correlated jitter, slow errors: the step should leave them as they were; `none`: how far each
method moves clean poses). Cells: MPJPE (3D mm, root-relative; 2D px) over every joint, frame-weighted, x input; then
how many clips read as noise only (:func:`~synsp.inference.noise_only.noise_only_share` above 0, in the model's
layout) and how many end worse than their input, before -> after. RESULTS section 10, "Input whose errors are only
light noise". Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/noise_only.py [--space 2d] [--split val] [--max-clips 0]
        [--layouts h36m17 halpe26] [--conditions 1@30 2@30 ... clean-ish jitter typical hard synthetic none]
"""
from __future__ import annotations

import argparse
import time
from unittest import mock

import numpy as np

import synsp
from extra_joints import clips  # this folder's scripts share their noisy clips
from synsp.filters import butterworth
from synsp.inference import noise_only
from synsp.skeleton import convert, root_position
from table_cells import x_input

PRESETS = ("clean-ish", "jitter", "typical", "hard", "synthetic", "none")
CONDITIONS = {"3d": ("1@30", "2@30", "3@30", "1@60", "2@100") + PRESETS,
              "2d": ("0.5@30", "1@30", "2@30", "1@60") + PRESETS}
LAYOUTS = {"3d": ("h36m17", "halpe26"), "2d": ("coco17", "halpe26")}
METHODS = ("input", "before", "synsp", "smoothnet", "butterworth")


def refined(noisy: np.ndarray, layout: str, fps: int) -> dict[str, np.ndarray]:
    """Each of :data:`METHODS`' output (T, J, 3) for ``noisy`` in ``layout`` at ``fps``; "before": the default
    without the step (its SPACES emptied)."""
    with mock.patch.object(noise_only, "SPACES", ()):
        before = synsp.refine(noisy, layout=layout, fps=fps)
    return {"input": noisy, "before": before, "synsp": synsp.refine(noisy, layout=layout, fps=fps),
            "smoothnet": synsp.refine(noisy, "smoothnet", layout=layout, fps=fps),
            "butterworth": butterworth(noisy, cutoff=6.0, fps=fps)}


def error(pred: np.ndarray, clean: np.ndarray, layout: str) -> float:
    """MPJPE of ``pred`` against ``clean`` (T, J, C): 3D (mm) both root-relative, 2D (px) as they are."""
    pred = np.asarray(pred, np.float64)
    if pred.shape[-1] == 2:
        return float(np.linalg.norm(pred - clean, axis=-1).mean())
    return float(np.linalg.norm(pred - root_position(pred, layout) - (clean - root_position(clean, layout)),
                                axis=-1).mean())


def row(condition: str, layout: str, space: str, split: str, max_clips: int) -> str:
    """One table row: ``condition`` in ``layout`` over the split's first ``max_clips`` clips (0: all)."""
    cases = clips(condition, layout, space, split, max_clips)
    scores, frames, read, worse = [], [], 0, [0, 0]
    for clean, noisy, fps in cases:
        noisy = noisy.astype(np.float32)
        outs = refined(noisy, layout, fps)
        s = [error(outs[m], clean, layout) for m in METHODS]
        target = "h36m17" if space == "3d" else "coco17"  # read in the model's layout, as the route reads it
        read += bool(noise_only.noise_only_share(convert(noisy, layout, target), target, fps=fps) > 0)
        worse[0] += s[1] > s[0]
        worse[1] += s[2] > s[0]
        scores.append(s)
        frames.append(len(clean))
    m = np.average(scores, axis=0, weights=frames)
    unit = " mm @ " if space == "3d" else " px @ "
    label = f"white {condition.replace('@', unit)} fps" if "@" in condition else f"`{condition}`"
    cells = x_input(m, moved_if_clean=True)
    return f"| {label} | " + " | ".join(cells) + f" | {read} of {len(cases)} | {worse[0]} -> {worse[1]} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--layouts", nargs="+", help="default: the space's LAYOUTS")
    parser.add_argument("--conditions", nargs="+", help="SIGMA@FPS or presets (default: the space's)")
    args = parser.parse_args()
    layouts, conditions = args.layouts or LAYOUTS[args.space], args.conditions or CONDITIONS[args.space]
    start = time.time()
    for layout in layouts:
        unit = "mm" if args.space == "3d" else "px"
        print(f"\n#### {layout} ({args.space}, {args.split} split, {args.max_clips or 'all'} clips, {unit})\n")
        print("| condition | " + " | ".join(METHODS) + " | read as noise only | clips worse than input |")
        print("|---|" + "---:|" * len(METHODS) + "---|---|")
        for condition in conditions:
            print(row(condition, layout, args.space, args.split, args.max_clips), flush=True)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
