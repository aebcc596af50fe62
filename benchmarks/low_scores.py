"""2D joints scored below 0.3: noisy measurements and guesses far off (RESULTS section 4, "Low-scored joints").

Clips of the VALIDATION split (or ``--split test`` for the final figures) in COCO-17, each through a
random virtual camera (:mod:`synsp.data.camera`), with 2 px of white noise and scores 0.85-0.99. On
15-45-frame runs of the right arm (elbow, wrist) or right leg (knee, ankle), 20-60 frames apart, the
scores are 0.1-0.29 and the values are, per case:

- ``noisy``: the truth plus 16 px of white noise (8 x the rest: an occluded limb, measured);
- ``spot``: one random spot of the clip's picture (its box over all frames) plus 2 px (a guess);
- ``other``: the left limb's joints plus 2 px (the other arm or leg taken for the hidden one);
- ``sim``: the simulator's own misses and swaps (:func:`synsp.data.simulator.corrupt`, ``hard`` with the
  missed joints held at their last value, as trackers do) on every joint, scored 0.1-0.29.

Rows: the input, ``synsp.refine`` with the scores (the default), the same x, y without them (every
value kept as a confident one), SmoothNet and Savitzky-Golay with the scores. MPJPE in px over every
frame; a frame where every joint is scored low is given back as it came by every row with scores.

Run (about 1 min per case and limb on 8 clips, one thread)::

    PYTHONPATH=src .venv/bin/python benchmarks/low_scores.py --cases noisy spot other sim --clips 8
"""
from __future__ import annotations

import argparse
import warnings
from dataclasses import replace

import numpy as np
import torch

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.simulator import MISS, SWAP, corrupt, get_preset
from synsp.data.splits import clip_frames, load_split
from synsp.metrics import mpjpe

LIMBS = {"arm": [8, 10], "leg": [14, 16]}  # COCO-17 right elbow, wrist / knee, ankle
MIRROR = {8: 7, 10: 9, 14: 13, 16: 15}
LOW = (0.1, 0.29)


def clip_names(split: str, count: int) -> list[str]:
    """``count`` clips of ``split`` of at least 100 frames, spread over the split's order."""
    names = [n for n in load_split(split) if clip_frames(n) >= 100]
    return [names[i] for i in np.linspace(0, len(names) - 1, count).round().astype(int)]


def make(i: int, name: str, limb: list[int], case: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(clean (T, 17, 2) px, values (T, 17, 2) px, scores (T, 17)) for clip ``name`` (seeded by ``i``)."""
    clean = project(load_clip(name, layout="coco17").astype(float),
                    random_camera(np.random.default_rng(2600 + i), subject=load_clip(name, layout="coco17")))
    rng = np.random.default_rng(2700 + i)
    frames = len(clean)
    xy = clean + rng.normal(0, 2, clean.shape)
    scores = rng.uniform(0.85, 0.99, (frames, 17))
    if case == "sim":
        out = corrupt(clean, replace(get_preset("hard"), miss_mode="freeze"), rng=rng, layout="coco17", fps=30)
        bad = (out.kind == MISS) | (out.kind == SWAP)
        return clean, np.where(bad[..., None], out.noisy, xy), np.where(bad, rng.uniform(*LOW, scores.shape), scores)
    lo, hi = clean.min(axis=(0, 1)), clean.max(axis=(0, 1))
    t = 5
    while t < frames:
        run = slice(t, t + int(rng.integers(15, 45)))
        n = len(xy[run])
        if case == "noisy":
            xy[run, limb] += rng.normal(0, 16, (n, len(limb), 2))
        elif case == "spot":
            xy[run, limb] = rng.uniform(lo, hi, (1, len(limb), 2)) + rng.normal(0, 2, (n, len(limb), 2))
        else:  # other
            xy[run, limb] = clean[run][:, [MIRROR[j] for j in limb]] + rng.normal(0, 2, (n, len(limb), 2))
        scores[run, limb] = rng.uniform(*LOW, (n, len(limb)))
        t = run.stop + int(rng.integers(20, 60))
    return clean, xy, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", nargs="+", default=["noisy", "spot", "other", "sim"])
    parser.add_argument("--limbs", nargs="+", default=list(LIMBS))
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--rows", nargs="+", help="only these rows besides the input (default: every row)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    names = clip_names(args.split, args.clips)
    rows = {"synsp": lambda xy, s: synsp.refine(np.dstack([xy, s]))[..., :2],
            "synsp, x, y only": lambda xy, s: synsp.refine(xy),
            "smoothnet": lambda xy, s: synsp.refine(np.dstack([xy, s]), "smoothnet")[..., :2],
            "savgol": lambda xy, s: synsp.refine(np.dstack([xy, s]), "savgol")[..., :2]}
    rows = {row: run for row, run in rows.items() if not args.rows or row in args.rows}
    for case in args.cases:
        for limb_name in args.limbs if case != "sim" else ["every joint"]:
            errors: dict[str, list[float]] = {"input": []}
            weights = []
            for i, name in enumerate(names):
                clean, xy, scores = make(i, name, LIMBS.get(limb_name, []), case)
                weights.append(len(clean))
                errors["input"].append(mpjpe(xy, clean))
                for row, run in rows.items():
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        errors.setdefault(row, []).append(mpjpe(np.asarray(run(xy, scores), float), clean))
            print(f"\n{case}, {limb_name} ({len(names)} {args.split} clips): MPJPE px (x input)")
            base = np.average(errors["input"], weights=weights)
            for row, values in errors.items():
                value = np.average(values, weights=weights)
                print(f"| {row} | {value:.3f} | {value / base:.3f} |")


if __name__ == "__main__":
    main()
