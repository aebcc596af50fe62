"""The limbs' slow over fast length change (:func:`synsp.inference.smoothnet_blend.noise_share`'s reading) per kind of
input error, over a split's clips: min / median / max, and the share it gives. Noise should read under the first
figure of :data:`~synsp.inference.smoothnet_blend.NOISE_RATIO` (share 1) and an estimator's drift above the second
(share 0): the simulator's ``jitter`` and ``synthetic`` presets, MediaPipe-shaped noise
(``benchmarks/mediapipe_known.py``'s, each clip seeded as there) and its white control are noise; ``clean-ish``,
``typical`` and ``hard`` (``synsp evaluate``'s inputs, :func:`synsp.evaluation.protocol.make_cases`) carry an
estimator's drift. Read on the 3D input with its gaps filled linearly, in H36M-17 (MediaPipe's world landmarks
converted, as the refiner's model reads them), at 30 fps: not on the values the refiner measured (glitches and held
values taken out first), so a clip near the ramp may read otherwise inside ``synsp refine``. Run:

    .venv/bin/python benchmarks/noise_ratio.py [--split val] [--max-clips 0] [--kinds jitter synthetic ...]
"""
from __future__ import annotations

import argparse

import numpy as np

import mediapipe_known as mk
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases
from synsp.formats.mediapipe import MM_PER_M
from synsp.inference.smoothnet_blend import NOISE_RATIO, limb_ratio, noise_share
from synsp.sequence import fill_gaps
from synsp.skeleton.conversions import convert

KINDS = ("jitter", "synthetic", "mediapipe", "mediapipe-white", "clean-ish", "typical", "hard")


def inputs(kind: str, split: str, max_clips: int) -> list[np.ndarray]:
    """Each clip's 3D input (T, 17, 3) mm in H36M-17, gaps filled, for ``kind`` (:data:`KINDS`)."""
    if not kind.startswith("mediapipe"):
        return [fill_gaps(case.noisy.astype(np.float64))[0] for case in make_cases(split, kind, max_clips=max_clips)]
    with np.load(mk.DEMO) as demo:
        levels = mk.demo_levels(demo["kp3d_world"] * MM_PER_M)
    out = []
    for i, name in list(enumerate(load_split(split)))[: max_clips or None]:
        clean = mk.truth(name)
        noise = mk.demo_noise(levels, len(clean), np.random.default_rng([7, i]), "white" if "white" in kind else "tree")
        out.append(convert(mk.about_hips(clean + noise), "mediapipe33", "h36m17"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    print(f"{args.split} split, NOISE_RATIO {NOISE_RATIO}: the limbs' slow / fast length change, and the share")
    print("| input | clips | min | median | max | share 1 (noise) | share 0 (drift) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in args.kinds:
        clips = inputs(kind, args.split, args.max_clips)
        ratios = np.array([limb_ratio(x, "h36m17") for x in clips])
        shares = np.array([noise_share(x[None], "h36m17")[0] for x in clips])
        print(f"| {kind} | {len(clips)} | {ratios.min():.2f} | {np.median(ratios):.2f} | {ratios.max():.2f} | "
              f"{(shares == 1).sum()} | {(shares == 0).sum()} |", flush=True)


if __name__ == "__main__":
    main()
