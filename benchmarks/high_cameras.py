"""2D seen from cameras high above the person: today's default against SynSP without the give-way to
SmoothNet (:mod:`synsp.inference.foreshortening`), SmoothNet and a Butterworth, per camera elevation.

Each clip (its first 240 frames, 30 fps; clips of at least 150 frames spread over the split) is seen
by a fixed 1920 x 1080 camera at the given elevation above it, a random azimuth, distance and field
of view that keep the whole motion in the picture (:func:`synsp.data.camera.random_camera`), and
given white jitter of 1 % of the body's height in the image, the `typical` preset's errors (the
simulator at the camera's scale, another clip of the split as the person beside), or no error
(rows "clean": how far each method moves the truth, px). Cells: MPJPE x input (the mean over
clips of each method's error over the mean of the input's), and the median over clips of the
trunk's length over the shoulders' width (:func:`~synsp.inference.foreshortening.trunk_ratio`). Run:

    .venv/bin/python benchmarks/high_cameras.py [--split test] [--clips 12] [--elevations 0 45 60 75 89]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.presets import get_preset
from synsp.data.simulator import corrupt
from synsp.data.splits import clip_frames, load_split
from synsp.inference.foreshortening import trunk_ratio
from synsp.refining.methods import network_model
from synsp.sequence import fill_gaps
from synsp.skeleton import get_layout

COCO = get_layout("coco17")
METHODS = ("input", "synsp", "synsp without give-way", "smoothnet", "butterworth")


def clips(split: str, count: int) -> list[tuple[str, np.ndarray]]:
    """``count`` clips of ``split`` spread over it, each its first 240 frames (T, 17, 3) mm."""
    names = [n for n in load_split(split) if clip_frames(n) >= 150]
    names = names[:: max(1, len(names) // count)][:count]
    return [(n, load_clip(n, "coco17")[:240].astype(np.float64)) for n in names]


def corrupted(clean: np.ndarray, errors: str, rng: np.random.Generator, scale: float, other: np.ndarray) -> np.ndarray:
    """``clean`` (T, 17, 2) px given ``errors``: "white" (1 % of the body's height), "none" or a preset's name."""
    if errors == "none":
        return clean.copy()
    if errors == "white":
        height = float(np.median(np.ptp(clean[..., 1], axis=1)))
        return clean + rng.normal(0.0, 0.01 * height, clean.shape)
    result = corrupt(clean, get_preset(errors), rng=rng, layout="coco17", unit_scale=scale, others=other, fps=30)
    return fill_gaps(result.noisy)[0]


def refined(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """Every method's output for ``noisy`` (T, 17, 2) px."""
    model = network_model("synsp", 2)
    ramp = model.foreshortened
    try:
        model.foreshortened = None
        before = synsp.refine(noisy, fps=30)
    finally:
        model.foreshortened = ramp
    return {"input": noisy, "synsp": synsp.refine(noisy, fps=30), "synsp without give-way": before,
            "smoothnet": synsp.refine(noisy, "smoothnet", fps=30),
            "butterworth": synsp.refine(noisy, "butterworth", fps=30)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--elevations", type=float, nargs="+", default=[0, 15, 30, 45, 60, 75, 89])
    parser.add_argument("--errors", nargs="+", default=["white", "typical", "none"])
    args = parser.parse_args()
    start, rng = time.time(), np.random.default_rng(5)
    chosen = clips(args.split, args.clips)
    print(f"{args.split} split, {len(chosen)} clips of 240 frames or fewer; MPJPE x input, clean rows px moved")
    print("| elevation | errors | trunk / shoulders | " + " | ".join(METHODS[1:]) + " |")
    print("|---:|---|---:|" + "---:|" * (len(METHODS) - 1))
    for elevation in args.elevations:
        scores = {errors: {m: [] for m in METHODS} for errors in args.errors}
        ratios = {errors: [] for errors in args.errors}
        for i, (_, clip) in enumerate(chosen):
            other = np.resize(chosen[(i + 1) % len(chosen)][1], clip.shape)
            camera = random_camera(rng, subject=clip, elevation_deg=(elevation, elevation))
            clean = project(clip, camera)
            # the person beside, placed at the subject's start as the simulator places them
            beside = project(other - other[:1, 11:13].mean(1, keepdims=True) + clip[:1, 11:13].mean(1, keepdims=True),
                             camera)
            for errors in args.errors:
                noisy = corrupted(clean, errors, rng, pixels_per_mm(clip, camera), beside).astype(np.float32)
                ratios[errors].append(trunk_ratio(noisy, COCO))
                for method, out in refined(noisy).items():
                    scores[errors][method].append(float(np.linalg.norm(out - clean, axis=-1).mean()))
        for errors in args.errors:
            base = np.mean(scores[errors]["input"])
            cells = [np.mean(scores[errors][m]) if errors == "none" else np.mean(scores[errors][m]) / base
                     for m in METHODS[1:]]
            label = "clean (px)" if errors == "none" else errors
            print(f"| {elevation:.0f} | {label} | {np.median(ratios[errors]):.2f} | "
                  + " | ".join(f"{c:.3f}" for c in cells) + " |", flush=True)
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
