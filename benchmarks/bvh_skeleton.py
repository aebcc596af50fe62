"""Joint rotations of a skeleton the networks never trained on: the mocap's own 22-joint BVH tree.

The rotation networks train on the mocap retargeted to SMPL's 24-joint tree; a BVH animates a
skeleton of its own (other joints, other rest frames). A network that refines every 6D number on
its own with the same weights (SmoothNet) runs on any tree; SynSP on rotations needs SMPL's. Here
the mocap's test clips are refined in their own tree (:func:`synsp.evaluation.rotations.skeleton_cases`:
the rotation error simulator's presets, without left/right swaps), by the default filter of BVH
files (``ROTATION_DEFAULT``), and by rotation networks. Metrics as in benchmarks/rotations.py,
on the file's own skeleton: MPJPE after forward kinematics (root-relative, mm), the mean
geodesic angle error of the local rotations (degrees), Accel (mm/frame^2); ``none``: how far clean
motion is moved.

    .venv/bin/python benchmarks/bvh_skeleton.py --split val --clips 20 --checkpoints smoothnet-smpl24
"""
from __future__ import annotations

import argparse

from synsp.evaluation.rotations import evaluate_rotations, skeleton_cases, skeleton_network
from synsp.rotation_filters import ROTATION_DEFAULT, smooth_rotations

PRESETS = ("jitter", "3dpw-pare-fast", "3dpw-pare", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["val", "test"])
    parser.add_argument("--clips", type=int, default=0, help="first N clips (0 = all)")
    parser.add_argument("--checkpoints", nargs="+", default=["smoothnet-smpl24"],
                        help="rotation networks that refine every joint on their own: shipped names or files "
                             "(NAME:raw: the network alone, NAME:kept: rest frames kept)")
    args = parser.parse_args()
    method, options = ROTATION_DEFAULT
    methods = {"input": lambda r, case: r,
               f"{method} ({options['cutoff']:g} Hz, the BVH default)":
                   lambda r, case: smooth_rotations(r, method, fps=30.0, **options),
               **{name: skeleton_network(name) for name in args.checkpoints}}
    print(f"The mocap's own 22-joint BVH tree, {args.split} split; MPJPE after forward kinematics (mm) / "
          "angle (deg) / Accel (mm/frame^2)\n")
    print("| method | " + " | ".join(f"`{p}`" if p != "none" else "clean (`none`), moved by" for p in PRESETS) + " |")
    print("|---|" + "---:|" * len(PRESETS))
    rows = {name: [] for name in methods}
    for preset in PRESETS:
        cases = skeleton_cases(args.split, preset, 2024, args.clips)
        for name, fn in methods.items():
            s = evaluate_rotations(fn, cases, given_case=True)
            rows[name].append("-" if preset == "none" and name == "input"
                              else f"{s['MPJPE']:.1f} / {s['Angle']:.2f} / {s['Accel']:.2f}")
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\n({len(cases)} clips)")


if __name__ == "__main__":
    main()
