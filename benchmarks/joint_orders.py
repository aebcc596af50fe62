"""Joints in an order no known layout has: arrays of a known joint count whose joints are shuffled.

A file or array that names neither its layout nor its joints is read by its joint count (26:
Halpe-26, 25: BODY_25, ...). When its joints are in another order, SynSP refined it as the
layout it is not, and every joint was pulled towards another joint's place. Now the count's
layout must fit the poses (:func:`synsp.skeleton.follows_layout`: its bones no longer than
:data:`synsp.skeleton.TREE_EXCESS` times the shortest tree through the joints), else the array
is refined as of an unknown layout, by SmoothNet. For each layout: the share of clips in its own
order that still read as it (`typical` and clean), the share of shuffled clips (one fixed random
order per clip) that no longer do, and the `typical` MPJPE x input of the shuffled clips for
SynSP read by the joint count (before), synsp's default now and SmoothNet. Run:

    .venv/bin/python benchmarks/joint_orders.py [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.refining.arrays import guessed_layout, refine_track
from synsp.skeleton import follows_layout

LAYOUTS = {"3d": ["h36m17", "halpe26", "body25", "mediapipe33", "smpl24", "smpl22"],
           "2d": ["coco17", "halpe26", "body25", "mediapipe33", "smpl24", "smpl22"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=20, help="the first N clips (0 = all)")
    args = parser.parse_args()
    for space, layouts in LAYOUTS.items():
        model = "h36m17" if space == "3d" else "coco17"
        print(f"\n{space.upper()}, {args.split} split, `typical`; MPJPE x input of the shuffled clips\n")
        print("| layout | own order read as it | shuffled read as unknown | SynSP read by the count (before) "
              "| default now | SmoothNet |\n|---|---:|---:|---:|---:|---:|")
        for layout in layouts:
            typical = make_cases(args.split, "typical", layout=layout, space=space, max_clips=args.max_clips)
            clean = make_cases(args.split, "none", layout=layout, space=space, max_clips=args.max_clips)
            kept = sum(follows_layout(c.noisy, guessed_layout(c.noisy, model)) for c in typical + clean)
            rng = np.random.default_rng(0)
            orders = [rng.permutation(c.noisy.shape[1]) for c in typical]
            shuffled = [(c.noisy[:, o], c.clean[:, o]) for c, o in zip(typical, orders)]
            rejected = sum(not follows_layout(x, guessed_layout(x, model)) for x, _ in shuffled)
            methods = {"before": lambda x: refine_track(x, guessed_layout(x, model), "synsp"),
                       "now": synsp.refine, "SmoothNet": lambda x: refine_track(x, None, "smoothnet")}
            base = sum(len(g) * np.linalg.norm(x - g, axis=-1).mean() for x, g in shuffled)
            cells = []
            for method in methods.values():
                error = sum(len(g) * np.linalg.norm(method(x) - g, axis=-1).mean() for x, g in shuffled)
                cells.append(f"{error / base:.3f}")
            print(f"| {layout} | {kept} of {2 * len(typical)} | {rejected} of {len(typical)} | "
                  + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
