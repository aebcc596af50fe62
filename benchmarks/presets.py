"""What each error preset does to real mocap: the input errors a refiner starts from.

For every preset, every clip of a split (default: test) is corrupted with a fixed seed, its
missing joints are filled by linear interpolation, and the raw estimate is scored against the
ground truth:

- 3D: h36m17, root-relative (pelvis subtracted from both), millimetres: MPJPE, PA-MPJPE, Accel
  (mm/frame^2), and the MPJPE of the error's slow part (the error low-passed by a Gaussian
  filter, sigma 3 frames, window 31): what smoothing alone cannot remove;
- 2D: the same clips projected through random virtual cameras (fixed seed), pixels: MPJPE,
  PA-MPJPE (2D similarity), Accel (px/frame^2) and the same slow-part MPJPE.

Scores are frame-weighted means over clips, at the mocap's 30 fps. Run::

    .venv/bin/python benchmarks/presets.py [--split test] [--seed 7]

and it prints a markdown table.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synsp.camera import pixels_per_mm, project, random_camera
from synsp.filters import gaussian
from synsp.gaps import fill_gaps
from synsp.metrics import accel_error, mpjpe, pa_mpjpe
from synsp.mocap import load_clip
from synsp.simulator import PRESETS, corrupt
from synsp.skeleton import get_layout
from synsp.splits import load_split

FPS = 30.0


def score(noisy: np.ndarray, clean: np.ndarray) -> dict[str, float]:
    """Input MPJPE, PA-MPJPE, Accel, and the MPJPE of the error's slow part.

    The slow part is the error low-passed by a Gaussian filter (an oracle smoother that
    removes the fast error but leaves the true motion intact): no smoothing can go below it.
    """
    slow = clean + gaussian(noisy - clean)
    return {"MPJPE": mpjpe(noisy, clean), "PA-MPJPE": pa_mpjpe(noisy, clean), "Accel": accel_error(noisy, clean),
            "MPJPE slow": mpjpe(slow, clean)}


def estimate_3d(clip: np.ndarray, other: np.ndarray, preset: str, rng: np.random.Generator, root: int):
    """Root-relative (noisy, clean) mm of one clip."""
    noisy, _ = fill_gaps(corrupt(clip, preset, rng=rng, others=other, fps=FPS).noisy)
    return noisy - noisy[:, root : root + 1], clip - clip[:, root : root + 1]


def estimate_2d(clip: np.ndarray, other: np.ndarray, preset: str, rng: np.random.Generator, root: int):
    """(noisy, clean) pixels of one clip seen by a random camera; the other person stands beside it."""
    camera = random_camera(rng, subject=clip)
    clean = project(clip, camera)
    beside = other - other[:1, root : root + 1] + clip[:1, root : root + 1]
    unit = pixels_per_mm(clip, camera)
    out = corrupt(clean, preset, rng=rng, others=project(beside, camera), unit_scale=unit, fps=FPS)
    noisy, _ = fill_gaps(out.noisy)
    return noisy, clean


def run(split: str = "test", seed: int = 7, layout: str = "h36m17") -> str:
    names = load_split(split)
    clips = [load_clip(name, layout=layout) for name in names]
    root = get_layout(layout).root
    frames = np.array([len(c) for c in clips], float)
    rows = ["| preset | space | MPJPE | PA-MPJPE | Accel | MPJPE of the slow error |", "|---|---|---:|---:|---:|---:|"]
    for preset in PRESETS:
        for space, estimate, unit in (("3D", estimate_3d, "mm"), ("2D", estimate_2d, "px")):
            rng = np.random.default_rng(seed)
            per_clip = []
            for clip in clips:
                other = clips[rng.integers(len(clips))]
                per_clip.append(score(*estimate(clip, other, preset, rng, root)))
            mean = {k: float(np.average([s[k] for s in per_clip], weights=frames)) for k in per_clip[0]}
            rows.append(f"| {preset} | {space} ({unit}) | {mean['MPJPE']:.1f} | {mean['PA-MPJPE']:.1f} | "
                        f"{mean['Accel']:.2f} | {mean['MPJPE slow']:.1f} |")
    head = (f"Input errors of the simulated estimators ({split} split: {len(clips)} clips, {int(frames.sum())} frames, "
            f"{layout}, 30 fps, seed {seed}; 3D root-relative mm, 2D pixels through random 1920x1080 cameras; "
            "Accel per frame^2; missing joints filled linearly).")
    return head + "\n\n" + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layout", default="h36m17")
    args = parser.parse_args()
    start = time.time()
    print(run(args.split, args.seed, args.layout))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
