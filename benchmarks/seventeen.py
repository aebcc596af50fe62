"""Seventeen joints, three orders: files of COCO's, Human3.6M's or MPI-INF-3DHP's 17 joints with no layout in them.

A file of 17 joints that does not name them is in COCO's order (face first), Human3.6M's
(pelvis and legs first) or MPI-INF-3DHP's (head top, neck, right arm first; H36M's joints in
another order). Until this benchmark `synsp refine` took the model's own order (2D: COCO, 3D:
H36M); now it tells the order from the poses (:func:`synsp.skeleton.seventeen_joint_layout`).
For the split's clips written in an order other than the model's (2D: H36M's, as 3D lifting
pipelines take them, and MPI's; 3D: COCO's and MPI's), input and ground truth alike: how often
the order is told right, and the MPJPE of ``typical`` input (x input) and how far the clean clip
is moved, for SmoothNet and for SynSP reading the file as the model's order, as the first test
of the order read it (COCO's or H36M's only), or as the poses tell. Run:

    .venv/bin/python benchmarks/seventeen.py [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import Case, make_cases
from synsp.refining.arrays import refine_track
from synsp.skeleton import H36M17, MPI17, SEVENTEEN_SPLIT, seventeen_joint_layout
from synsp.skeleton.joint_order import in_body_sizes

# (space, the files' order, the model's)
OTHER = [("2d", "h36m17", "coco17"), ("2d", "mpi17", "coco17"), ("3d", "coco17", "h36m17"), ("3d", "mpi17", "h36m17")]


def cases_in(order: str, split: str, preset: str, space: str, max_clips: int) -> list[Case]:
    """The split's cases with their joints in ``order`` (MPI's: H36M's clips reordered)."""
    if order != "mpi17":
        return make_cases(split, preset, layout=order, space=space, max_clips=max_clips)
    index = [H36M17.index(joint) for joint in MPI17.joints]
    return [Case(c.name, c.noisy[:, index], c.clean[:, index])
            for c in make_cases(split, preset, layout="h36m17", space=space, max_clips=max_clips)]


def first_reading(poses: np.ndarray) -> str:
    """The order the first test read (before MPI's order was known): COCO's or H36M's only."""
    def spread(joints: tuple[int, ...]) -> float:
        return float(np.nanmedian(np.max([np.linalg.norm(poses[:, a] - poses[:, b], axis=-1)
                                          for a in joints for b in joints if a < b], axis=0)))

    score = in_body_sizes(spread((0, 1, 2, 3, 4)) - spread((8, 9, 10)), poses)
    return "h36m17" if score > SEVENTEEN_SPLIT else "coco17"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    for space, order, model in OTHER:
        unit = "mm" if space == "3d" else "px"
        typical = cases_in(order, args.split, "typical", space, args.max_clips)
        clean = cases_in(order, args.split, "none", space, args.max_clips)
        told = sum(seventeen_joint_layout(c.noisy) == order for c in typical + clean)
        own = make_cases(args.split, "typical", layout=model, space=space, max_clips=args.max_clips)
        told_model = sum(seventeen_joint_layout(c.noisy) == model for c in own)
        methods = {"input": lambda x: x, "SmoothNet": lambda x: refine_track(x, None, "smoothnet"),
                   f"SynSP, read as {model}": lambda x: refine_track(x, model, "synsp"),
                   "SynSP, read as the first test read it": lambda x: refine_track(x, first_reading(x), "synsp"),
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
