"""Every clip of a split, per layout: where the default loses to the input or to SmoothNet.

Each validation clip (at most ``--frames`` frames) is made in each layout as
:func:`benchmarks.joint_groups.clip_in` makes it (3D world mm; 2D pixels through one random camera
per clip), corrupted by the simulator's preset (:func:`benchmarks.joint_groups.noisy_of`, one
generator seeded 11 over the clips in order), and refined by ``synsp.refine`` (the default) and by
SmoothNet. Printed per layout and preset: the mean over clips of MPJPE x input, and the clips
flagged, where the default is worse than the input or more than 1.15 x SmoothNet's error
(default / SmoothNet x input; the four worst). Preset ``none``: the clean clip itself, and the
figures are how far each method moves it (mean |out - in|, mm or px) instead. Run::

    .venv/bin/python benchmarks/clip_sweep.py [--space 2d] [--layouts coco17 halpe26] [--presets typical jitter none]
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
from joint_groups import clip_in, noisy_of
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.splits import load_split
from synsp.metrics import mpjpe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--layouts", nargs="+", default=["bandai22", "halpe26", "body25", "mediapipe33", "smpl24",
                                                         "h36m17"])
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    parser.add_argument("--split", default="val")
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("| layout | preset | default (x input) | SmoothNet (x input) | clips flagged: default / SmoothNet x input |")
    print("|---|---|---:|---:|---|")
    for layout in args.layouts:
        for preset in args.presets:
            rows, rng = [], np.random.default_rng(11)
            for c, name in enumerate(load_split(args.split)):
                x, scale = clip_in(name, layout)[: args.frames], 1.0
                if args.space == "2d":
                    camera = random_camera(np.random.default_rng(c), subject=x)
                    x, scale = project(x, camera).astype(np.float32), pixels_per_mm(x, camera)
                if preset == "none":  # how far the clean clip is moved
                    rows.append((mpjpe(synsp.refine(x), x), mpjpe(synsp.refine(x, method="smoothnet"), x),
                                 name.split("_", 1)[1]))
                    continue
                noisy = noisy_of(x, preset, layout, scale, rng)
                base = mpjpe(noisy, x)
                rows.append((mpjpe(synsp.refine(noisy), x) / base,
                             mpjpe(synsp.refine(noisy, method="smoothnet"), x) / base, name.split("_", 1)[1]))
            means = np.mean([r[:2] for r in rows], axis=0)
            if preset == "none":
                print(f"| {layout} | none: moved | {means[0]:.3f} | {means[1]:.3f} | |", flush=True)
                continue
            flagged = sorted((r for r in rows if r[0] > 1.0 or r[0] > 1.15 * r[1]), reverse=True)
            print(f"| {layout} | {preset} | {means[0]:.3f} | {means[1]:.3f} | {len(flagged)} of {len(rows)}: "
                  + "; ".join(f"{n} {a:.2f} / {b:.2f}" for a, b, n in flagged[:4]) + " |", flush=True)


if __name__ == "__main__":
    main()
