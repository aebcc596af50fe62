"""Clean mocap in every layout: how far ``synsp.refine`` (the default, the layout told by the
joint count, as ``synsp refine`` reads a file) moves every clip of a split that it should leave
where it is.

Each clip of the split (default: validation, at most ``--frames`` frames) is made in each layout
by :func:`benchmarks.joint_groups.clip_in` (3D: world mm, the mocap's own place, Bandai-22's
ground root at the world origin; 2D: pixels through one random camera per clip). Printed per
layout: the mean over clips of the mean displacement (mm or px), and the three clips moved most
(mean, largest displacement, NaN values in the output). Run::

    .venv/bin/python benchmarks/clean_layouts.py [--space 2d] [--layouts bandai22 halpe26] [--split val]
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
from joint_groups import clip_in
from synsp.data.camera import project, random_camera
from synsp.data.splits import load_split

LAYOUTS = ("bandai22", "body25", "halpe26", "mediapipe33", "h36m17", "smpl24", "coco17", "coco133")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS))
    parser.add_argument("--split", default="val")
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    unit = "mm" if args.space == "3d" else "px"
    print(f"| layout | clips | mean moved ({unit}) | clips moved most: mean / largest ({unit}), NaN values |")
    print("|---|---:|---:|---|")
    for layout in args.layouts:
        moved = []
        for c, name in enumerate(load_split(args.split)):
            x = clip_in(name, layout)[: args.frames]
            if args.space == "2d":
                x = project(x, random_camera(np.random.default_rng(c), subject=x)).astype(np.float32)
            out = synsp.refine(x)
            d = np.linalg.norm(out - x, axis=-1)
            moved.append((float(np.nanmean(d)), float(np.nanmax(d)), name, int(np.isnan(out).sum())))
        worst = sorted(moved, reverse=True)[:3]
        print(f"| {layout} | {len(moved)} | {np.mean([m[0] for m in moved]):.2f} | "
              + "; ".join(f"{n.split('_', 1)[1]} {a:.1f} / {b:.1f}, {k}" for a, b, n, k in worst) + " |", flush=True)


if __name__ == "__main__":
    main()
