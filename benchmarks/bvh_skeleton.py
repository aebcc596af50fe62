"""Joint rotations of a skeleton the networks never trained on: the mocap's own 22-joint BVH tree.

The rotation networks train on the mocap retargeted to SMPL's 24-joint tree; a BVH animates a
skeleton of its own (other joints, other rest frames). A network that refines every 6D number on
its own with the same weights (SmoothNet) runs on any tree; SynSP on rotations needs SMPL's. Here
the mocap's clips are refined in their own tree (:func:`synsp.evaluation.rotations.skeleton_cases`:
the rotation error simulator's presets, without left/right swaps) as ``synsp refine`` refines a
BVH (:func:`synsp.refining.motion.refine_motion`): by default (SmoothNet, then the manifold
filter), by the filter alone (``--method butterworth``), and by other rotation networks, then the
filter (``--method smoothnet --checkpoint ...``). ``--speed``: the motion also played 2 or 3 times
as fast. Metrics as in benchmarks/rotations.py, on the file's own skeleton: MPJPE after forward
kinematics (root-relative, mm), the mean geodesic angle error of the local rotations (degrees),
Accel (mm/frame^2); ``none``: how far clean motion is moved.

    .venv/bin/python benchmarks/bvh_skeleton.py --split val --speed 1 2 3
"""
from __future__ import annotations

import argparse

from synsp.evaluation.rotations import evaluate_rotations, skeleton_cases, skeleton_refiner

PRESETS = ("jitter", "3dpw-pare-fast", "3dpw-pare", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["val", "test"])
    parser.add_argument("--clips", type=int, default=0, help="first N clips (0 = all)")
    parser.add_argument("--speed", type=int, nargs="+", default=[1], help="the motion played N times as fast")
    parser.add_argument("--checkpoints", nargs="*", default=[],
                        help="other rotation networks that refine every joint on their own, then the filter: "
                             "shipped names or files (NAME:raw: the network alone, NAME:kept: rest frames kept)")
    args = parser.parse_args()
    methods = {"input": lambda r, case: r,
               "Butterworth 4 Hz (`--method butterworth`)": skeleton_refiner("butterworth"),
               "**`smoothnet-smpl24`, then the filter (the BVH default)**": skeleton_refiner(),
               **{f"`{spec}`, then the filter": skeleton_refiner("smoothnet", spec) for spec in args.checkpoints}}
    for speed in args.speed:
        print(f"\nThe mocap's own 22-joint BVH tree, {args.split} split, motion {speed} x as fast; "
              "MPJPE after forward kinematics (mm) / angle (deg) / Accel (mm/frame^2)\n")
        print("| method | " + " | ".join(f"`{p}`" if p != "none" else "clean (`none`), moved by" for p in PRESETS)
              + " |")
        print("|---|" + "---:|" * len(PRESETS))
        rows = {name: [] for name in methods}
        for preset in PRESETS:
            cases = skeleton_cases(args.split, preset, 2024, args.clips, speed)
            for name, fn in methods.items():
                s = evaluate_rotations(fn, cases, given_case=True)
                rows[name].append("-" if preset == "none" and name == "input"
                                  else f"{s['MPJPE']:.1f} / {s['Angle']:.2f} / {s['Accel']:.2f}")
        for name, cells in rows.items():
            print(f"| {name} | " + " | ".join(cells) + " |")
        print(f"\n({len(cases)} clips)", flush=True)


if __name__ == "__main__":
    main()
