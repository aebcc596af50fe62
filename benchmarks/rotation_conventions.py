"""Joint rotations under another skeleton's rest orientations: the rotation analogue of
benchmarks/conventions.py, on the validation split.

Every joint's local rotation is offset by one constant rotation (a random axis, ``deg`` degrees;
another skeleton's rest orientation), in the estimator's output and the truth alike: in the
joint's own frame (``--rig own``, R C_j), or as another rig's rest frames do (``--rig rig``:
C_parent^T R C_j, so that every global rotation is turned by its joint's C_j). Printed for
each offset: MPJPE after forward kinematics (mm) of the input, each network of ``--checkpoints``
(default: the shipped ``synsp-smpl24``) and the default manifold filter under the ``3dpw-pare``
errors, and how far each moves the clean (offset) motion.

    .venv/bin/python benchmarks/rotation_conventions.py --clips 20

A checkpoint's ``:raw`` suffix turns off the rest frames kept
(:func:`synsp.inference.rotation_refiner.keep_rest_frames`): the network alone; ``:kept``
turns them on (SynSP's default, not SmoothNet's).
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.rotations import RotationCase, evaluate_rotations, rotation_cases, rotation_network
from synsp.rotations.conversions import matrix_from_axis_angle
from synsp.rotations.filters import ROTATION_DEFAULT, smooth_rotations
from synsp.rotations.smpl_template import SMPL_PARENTS, smpl_positions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=20, help="first N validation clips (0 = all)")
    parser.add_argument("--degrees", type=float, nargs="+", default=[0.0, 10.0, 20.0])
    parser.add_argument("--rig", choices=["own", "rig"], default="own",
                        help="own: each joint's local rotation offset in its own frame (R C_j); rig: another rig's "
                             "rest frames, whose local rotations are C_parent^T R C_j (the root's parent: the world)")
    parser.add_argument("--checkpoints", nargs="+", default=["synsp-smpl24"],
                        help="rotation networks: shipped names or checkpoint files (NAME:raw: the network alone)")
    args = parser.parse_args()
    method, options = ROTATION_DEFAULT
    networks = {name: rotation_network(name) for name in args.checkpoints}
    methods = {"input": lambda r: r, **networks, "filter": lambda r: smooth_rotations(r, method, **options)}
    cases = rotation_cases("val", "3dpw-pare", 2024, args.clips)
    rng = np.random.default_rng(0)
    print(f"validation, {len(cases)} clips, 3dpw-pare; MPJPE after forward kinematics (mm)\n")
    print("| offset (deg) | input | " + " | ".join(networks) + " | filter | "
          + " | ".join(f"clean moved: {name}" for name in networks) + " | clean moved: filter |")
    print("|---:|" + "---:|" * (2 * len(networks) + 3))
    for deg in args.degrees:
        axis = rng.normal(size=(24, 3))
        offset = matrix_from_axis_angle(axis / np.linalg.norm(axis, axis=1, keepdims=True) * np.radians(deg))
        before = np.eye(3)[None].repeat(24, 0)
        if args.rig == "rig":
            before[1:] = np.swapaxes(offset[SMPL_PARENTS[1:]], -1, -2)

        def rig(r: np.ndarray) -> np.ndarray:
            return before @ r @ offset

        shifted = [RotationCase(rig(c.noisy), rig(c.clean), smpl_positions(rig(c.clean))) for c in cases]
        clean = [RotationCase(c.clean, c.clean, c.positions) for c in shifted]
        noisy = {name: evaluate_rotations(fn, shifted)["MPJPE"] for name, fn in methods.items()}
        moved = {name: evaluate_rotations(methods[name], clean)["MPJPE"] for name in [*networks, "filter"]}
        cells = [f"{noisy['input']:.1f}", *(f"{noisy[n]:.1f} ({noisy[n] / noisy['input']:.2f})" for n in networks),
                 f"{noisy['filter']:.1f}", *(f"{moved[n]:.1f}" for n in [*networks, "filter"])]
        print(f"| {deg:g} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
