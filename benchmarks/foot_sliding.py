"""Feet that slide while planted: how fast each method's output foot moves where the truth's is on the floor.

A user audit (audit 9, finding 5) found synsp's 3D feet sliding more than SmoothNet's while planted (about 4.7
against 3.6 mm/frame; its script is lost, this one rebuilds the measurement). The split's locomotion clips
(walks, runs, dashes, turns: :func:`locomotion`), whole, in absolute coordinates (3D mm with the body's path,
Y up; 2D pixels through the simulator's random cameras, seeded by ``EVAL_SEED``), under the simulator's
presets (``jitter``, ``typical``, and clean input). "feet not held": SynSP's default without its last step
(:mod:`synsp.inference.planted_feet`), as it was before it. A foot joint (h36m17's ankles; a layout's toes and heels
too, e.g. halpe26) is *planted* in frames t, t+1 where the truth's own joint moves less than
:data:`PLANT_MM` per frame (2D: that many mm in the camera's pixels) and, in 3D, lies within
:data:`NEAR_FLOOR_MM` of its lowest height in the clip. Cells: the mean speed of each method's foot joints over
the planted frame pairs (mm or px per frame; the truth's own speed there in its column) and the MPJPE of the
foot joints over all frames (absolute, not root-relative: sliding is in the world). Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/foot_sliding.py [--space 2d] [--layout halpe26]
        [--split val] [--max-clips 0] [--presets jitter typical none]
"""
from __future__ import annotations

import argparse
import re
import warnings
from unittest import mock

import numpy as np

import synsp
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.filters import butterworth, savgol
from synsp.inference import planted_feet
from synsp.sequence import fill_gaps
from synsp.skeleton import get_layout

FPS = 30.0
PLANT_MM = 10.0  # a planted foot's truth moves less than this per frame (mocap ankles: 1-5 mm while planted)
NEAR_FLOOR_MM = 60.0  # ... and lies within this of its lowest height over the clip (3D)
FOOT_WORDS = ("ankle", "toe", "heel", "foot")
METHODS = ("input", "synsp", "feet not held", "smoothnet", "butterworth", "savgol")


def locomotion(split: str) -> list[str]:
    """The split's clips whose feet plant and lift: walks, runs, dashes, turns."""
    return [n for n in load_split(split) if re.search(r"walk|run|dash|turn|dance", n)]


def foot_joints(layout: str) -> list[int]:
    """Indices of ``layout``'s foot joints (ankles, toes, heels)."""
    return [i for i, n in enumerate(get_layout(layout).joints) if any(w in n.lower() for w in FOOT_WORDS)]


def planted(clean: np.ndarray, feet: list[int], threshold: float, space: str) -> np.ndarray:
    """(T-1, F) bool: foot joint f of ``clean`` (T, J, C) planted from frame t to t+1 (module docstring)."""
    foot = clean[:, feet]
    still = np.linalg.norm(np.diff(foot, axis=0), axis=-1) < threshold
    if space == "2d":
        return still
    height = foot[..., 1]
    low = height <= height.min(axis=0) + NEAR_FLOOR_MM
    return still & low[1:] & low[:-1]


def cases(names: list[str], layout: str, space: str, preset: str):
    """[(noisy, clean, threshold)]: each clip (T, J, C) float64 under ``preset`` ("none": clean input)."""
    rng, cameras = np.random.default_rng(EVAL_SEED), np.random.default_rng([EVAL_SEED, 1])  # the same views per preset
    out = []
    for clip in load_clips(names, layout=layout):
        clean, scale = clip.astype(np.float64), 1.0
        if space == "2d":
            camera = random_camera(cameras, subject=clean)
            clean, scale = project(clean, camera).astype(np.float64), float(pixels_per_mm(clean, camera))
        if preset == "none":
            noisy = clean.copy()
        else:
            kw = dict(unit_scale=scale) if space == "2d" else {}
            noisy = fill_gaps(corrupt(clean.astype(np.float32), preset, rng=rng, layout=layout, fps=FPS, **kw).noisy)[0]
        out.append((np.asarray(noisy, np.float64), clean, PLANT_MM * scale))
    return out


def refined(noisy: np.ndarray, layout: str) -> dict[str, np.ndarray]:
    """Each of :data:`METHODS`' output for ``noisy`` (T, J, C) at 30 fps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mock.patch.object(planted_feet, "HOLD", False):
            before = synsp.refine(noisy, layout=layout, fps=FPS)
        return {"input": noisy, "synsp": synsp.refine(noisy, layout=layout, fps=FPS), "feet not held": before,
                "smoothnet": synsp.refine(noisy, "smoothnet", layout=layout, fps=FPS),
                "butterworth": butterworth(noisy, cutoff=6.0, order=4, fps=FPS),
                "savgol": savgol(noisy)}


def sliding(pred: np.ndarray, clean: np.ndarray, feet: list[int], mask: np.ndarray) -> tuple[float, float, int]:
    """(summed speed over the planted frame pairs, summed foot error over frames x feet, planted pairs)."""
    speed = np.linalg.norm(np.diff(np.asarray(pred, np.float64)[:, feet], axis=0), axis=-1)
    error = np.linalg.norm(np.asarray(pred, np.float64)[:, feet] - clean[:, feet], axis=-1)
    return float(speed[mask].sum()), float(error.sum()), int(mask.sum())


def table(names: list[str], layout: str, space: str, preset: str, methods=METHODS, refine=refined) -> dict:
    """{method: (planted speed, foot MPJPE)} and "truth": its own planted speed, over ``names``."""
    feet = foot_joints(layout)
    sums = {m: np.zeros(3) for m in ("truth",) + tuple(methods)}
    frames = 0
    for noisy, clean, threshold in cases(names, layout, space, preset):
        mask = planted(clean, feet, threshold, space)
        sums["truth"] += sliding(clean, clean, feet, mask)
        for name, pred in refine(noisy, layout).items():
            sums[name] += sliding(pred, clean, feet, mask)
        frames += clean.shape[0] * len(feet)
    return {m: (s[0] / max(s[2], 1), s[1] / frames) for m, s in sums.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--layout", help="default: h36m17 in 3D, coco17 in 2D")
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N locomotion clips (0 = all)")
    parser.add_argument("--presets", nargs="+", default=["jitter", "typical", "none"])
    args = parser.parse_args()
    layout = args.layout or ("h36m17" if args.space == "3d" else "coco17")
    names = locomotion(args.split)[: args.max_clips or None]
    unit = "mm" if args.space == "3d" else "px"
    print(f"#### {layout}, {args.space}, {args.split} split, {len(names)} locomotion clips; "
          f"planted speed ({unit}/frame) / foot MPJPE ({unit})\n")
    print("| preset | truth | " + " | ".join(METHODS) + " |\n|---|---:|" + "---:|" * len(METHODS), flush=True)
    for preset in args.presets:
        t = table(names, layout, args.space, preset)
        print(f"| `{preset}` | {t['truth'][0]:.2f} | "
              + " | ".join(f"{t[m][0]:.2f} / {t[m][1]:.2f}" for m in METHODS) + " |", flush=True)


if __name__ == "__main__":
    main()
