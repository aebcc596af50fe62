"""Detections on every k-th frame: a detector run on every 2nd or 3rd frame leaves whole frames empty at a stride.

Clips of the split of 150 frames or more (every n-th, cut to 300 frames; 60 fps cases cut to 200 and resampled by a
cubic spline), 2D through a random virtual camera (seed 600 + i), 2 px / 8 mm white noise, whole frames emptied:

- ``1 in k``: every k-th frame detected (k = 2, 3), no rate given (the assumed 30 fps); noise seed 1100 + i;
- ``60 fps``: a 60 fps file detected on its odd frames, ``fps=60``; noise seed 3100 + i;
- ``random``: 10 % / 30 % of frames empty at random, no stride: the file's own route; noise seed 2900 + i.

Scored on the detected frames (MPJPE, px / mm): input, ``synsp.refine`` with SynSP, SmoothNet and Butterworth, and
SynSP given the detected frames alone at the detections' rate (fps / k). Since 2026-12-06 ``synsp.refine`` refines a
strided file that way itself (:mod:`synsp.refining.strided`), so its column equals the last (benchmarks/RESULTS.md,
section 4, "Detections on every k-th frame"; the same cases as user audit 11's e5, e15, e16 on validation).
``--held``: the frames between the detections hold the detection before them (an estimator run on every k-th frame
and its output repeated, or a 15 fps video doubled to 30), scored on every frame, the last column on the held ones::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/strided_detections.py [--split test] [--held]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
import torch
from scipy.interpolate import CubicSpline

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split

METHODS = ("synsp", "smoothnet", "butterworth")
# (name, space, stride k, fps given (None: none), share empty at random)
CASES = (("2D, 1 in 2", "2d", 2, None, 0.0), ("2D, 1 in 3", "2d", 3, None, 0.0), ("3D, 1 in 2", "3d", 2, None, 0.0),
         ("2D, 60 fps, odd frames", "2d", 2, 60.0, 0.0), ("3D, 60 fps, odd frames", "3d", 2, 60.0, 0.0),
         ("2D, 10 % empty at random", "2d", 1, None, 0.1), ("2D, 30 % empty at random", "2d", 1, None, 0.3))


def clips(split: str, n: int, frames: int) -> list[tuple[str, np.ndarray]]:
    """Every n-th clip of ``split`` with 150 frames or more, h36m17 mm (T, 17, 3), cut to ``frames``."""
    names = [name for name in load_split(split) if clip_frames(name) >= 150]
    names = names[::max(1, len(names) // n)][:n]
    return [(name, load_clip(name, "h36m17").astype(np.float64)[:frames]) for name in names]


def case_input(clip: np.ndarray, i: int, space: str, k: int, fps: float | None, share: float, held: bool = False):
    """(clean, noisy with empty frames, detected (T,) bool) of one case on ``clip``, the ``i``-th clip; ``held``:
    the frames not detected hold the detection before them instead (the first frame is always detected)."""
    clean = project(clip, random_camera(np.random.default_rng(600 + i), subject=clip)) if space == "2d" else clip
    if fps == 60.0:  # the mocap at 60 fps
        t30 = np.arange(len(clean)) / 30
        clean = CubicSpline(t30, clean, axis=0)(np.arange(0, t30[-1], 1 / 60))
    rng = np.random.default_rng((3100 if fps == 60.0 else 2900 if share else 1100) + i)
    noisy = clean + rng.normal(0, 2.0 if space == "2d" else 8.0, clean.shape)
    if share:
        detected = ~(rng.random(len(clean)) < share)
    else:
        detected = np.zeros(len(clean), bool)
        detected[1 if fps == 60.0 else 0::k] = True
    if held:
        detected[0] = True
        noisy = noisy[np.maximum.accumulate(np.where(detected, np.arange(len(noisy)), 0))]
    else:
        noisy[~detected] = np.nan
    return clean, noisy, detected


def err(pred: np.ndarray, clean: np.ndarray) -> float:
    return float(np.nanmean(np.linalg.norm(pred - clean, axis=-1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--cases", nargs="+", type=int, default=list(range(len(CASES))), help="indices of CASES")
    parser.add_argument("--held", action="store_true", help="the frames between the detections held, not empty")
    args = parser.parse_args()
    torch.set_num_threads(1)
    scored = "every frame" if args.held else "the detected frames"
    print(f"{args.split} split, {args.clips} clips of 150 frames or more; MPJPE on {scored} (px / mm)\n")
    last = "synsp.refine on the held frames" if args.held else "SynSP on the detected frames alone, fps/k"
    print(f"| case | input | synsp.refine | SmoothNet | Butterworth | {last} |")
    print("|---|---:|---:|---:|---:|---:|")
    for index in args.cases:
        name, space, k, fps, share = CASES[index]
        rows = []
        for i, (_, clip) in enumerate(clips(args.split, args.clips, 200 if fps == 60.0 else 300)):
            clean, noisy, seen = case_input(clip, i, space, k, fps, share, args.held)
            rate = {} if fps is None else {"fps": fps}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = [np.asarray(synsp.refine(noisy, m, layout="h36m17", **rate), float) for m in METHODS]
                if args.held:
                    rows.append([err(noisy, clean), *(err(o, clean) for o in out), err(out[0][~seen], clean[~seen])])
                    continue
                alone = np.asarray(synsp.refine(noisy[seen], layout="h36m17", fps=(fps or 30.0) / k), float)
            rows.append([err(noisy[seen], clean[seen]), *(err(o[seen], clean[seen]) for o in out),
                         err(alone, clean[seen])])
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in np.mean(rows, 0)) + " |", flush=True)


if __name__ == "__main__":
    main()
