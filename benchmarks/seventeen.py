"""Seventeen joints, two orders: files of COCO's or Human3.6M's 17 joints with no layout in them.

A file of 17 joints that does not name them is in COCO's order (face first) or Human3.6M's
(pelvis and legs first). Until this benchmark `synsp refine` took the model's own order (2D:
COCO, 3D: H36M); now it tells the order from the poses (:func:`synsp.skeleton.seventeen_joint_layout`).
For the split's clips written in the *other* order (2D: H36M's, as 3D lifting pipelines take
them; 3D: COCO's), input and ground truth alike: how often the order is told right, and the
MPJPE of ``typical`` input (x input) and how far the clean clip is moved, for SmoothNet and for
SynSP reading the file as the model's order (the old default) or as the poses tell. Run:

    .venv/bin/python benchmarks/seventeen.py [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.refine import refine_track
from synsp.skeleton import seventeen_joint_layout

OTHER = {"2d": ("h36m17", "coco17"), "3d": ("coco17", "h36m17")}  # (the files' order, the model's)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    for space, (order, model) in OTHER.items():
        unit = "mm" if space == "3d" else "px"
        typical = make_cases(args.split, "typical", layout=order, space=space, max_clips=args.max_clips)
        clean = make_cases(args.split, "none", layout=order, space=space, max_clips=args.max_clips)
        told = sum(seventeen_joint_layout(c.noisy) == order for c in typical + clean)
        own = make_cases(args.split, "typical", layout=model, space=space, max_clips=args.max_clips)
        told_model = sum(seventeen_joint_layout(c.noisy) == model for c in own)
        methods = {"input": lambda x: x, "SmoothNet": lambda x: refine_track(x, None, "smoothnet"),
                   f"SynSP, read as {model} (before)": lambda x: refine_track(x, model, "synsp"),
                   "SynSP, order told from the poses": lambda x: refine_track(x, seventeen_joint_layout(x), "synsp")}

        def mean(method, cases) -> float:
            errors = [float(np.linalg.norm(method(c.noisy) - c.clean, axis=-1).mean()) for c in cases]
            return float(np.average(errors, weights=[len(c.clean) for c in cases]))

        base = mean(methods["input"], typical)
        print(f"\n{space.upper()}, {args.split} split, {len(typical)} clips in {order}'s order: told right in "
              f"{told} of {2 * len(typical)} (`typical` and clean); the model's own order told right in "
              f"{told_model} of {len(typical)}\n")
        print(f"| method | `typical` MPJPE ({unit}) | x input | clean clip moved by ({unit}) |\n|---|---:|---:|---:|")
        for name, method in methods.items():
            value = mean(method, typical)
            print(f"| {name} | {value:.2f} | {value / base:.3f} | {mean(method, clean):.2f} |", flush=True)


if __name__ == "__main__":
    main()
