"""SMPL files at 30, 60 and 120 fps: SynSP (the default), SmoothNet, the Gaussian, One-Euro and the input, per rate.

An AMASS-style SMPL-H motion (22 body joints; the hands at rest): each clip of the split retargeted to SMPL
(:func:`synsp.data.smpl_mocap.load_smpl_clip`) is resampled to the rate (a rotation spline per joint), then every
body joint's local rotation turned by white jitter of ``--degrees`` per axis on every frame (an estimator run on
every frame of a high-rate video; a user audit's case: 3 degrees at 120 fps). Each method refines it as
:func:`synsp.refine_smpl` does (``synsp refine x.npz`` on an AMASS file); scored on the 24 SMPL joints' positions
after forward kinematics, root-relative: MPJPE (mm) / Accel (mm/frame^2), means over frames.

    .venv/bin/python benchmarks/smpl_rates.py --split val --every 3 --degrees 1 3 5
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.spatial.transform import Rotation, Slerp

import synsp
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.rotations.conversions import matrix_from_axis_angle
from synsp.rotations.smpl_template import BODY_JOINTS, smpl_positions

METHODS = ["input", "synsp", "smoothnet", "gaussian", "one-euro"]


def at_rate(rotations: np.ndarray, fps: float) -> np.ndarray:
    """(T, 24, 3, 3) rotations at 30 fps, at ``fps`` over the same span; the hands (22, 23) at rest, as SMPL-H's
    body holds none."""
    t0 = np.arange(len(rotations)) / 30.0
    t1 = np.arange(0.0, t0[-1] + 1e-9, 1.0 / fps)
    out = np.stack([Slerp(t0, Rotation.from_matrix(rotations[:, j]))(t1).as_matrix()
                    for j in range(rotations.shape[1])], axis=1)
    out[:, BODY_JOINTS:] = np.eye(3)
    return out


def scores(out: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """MPJPE (mm) and Accel (mm/frame^2) of the rotations ``out`` against ``truth`` (T, 24, 3, 3), root-relative."""
    p, q = smpl_positions(out), smpl_positions(truth)
    d = (p - p[:, :1]) - (q - q[:, :1])
    accel = d[2:] - 2 * d[1:-1] + d[:-2]
    return np.array([np.linalg.norm(d, axis=-1).mean(), np.linalg.norm(accel, axis=-1).mean()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["val", "test"])
    parser.add_argument("--every", type=int, default=3, help="every N-th clip of the split")
    parser.add_argument("--clips", type=int, default=22, help="at most this many clips")
    parser.add_argument("--fps", type=float, nargs="+", default=[30.0, 60.0, 120.0])
    parser.add_argument("--degrees", type=float, nargs="+", default=[3.0], help="white jitter per axis, degrees")
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS)
    args = parser.parse_args()
    names = load_split(args.split)[::args.every][:args.clips]
    clips = [load_smpl_clip(name)[0] for name in names]
    print(f"{args.split} split, {len(names)} clips (every {args.every}th); SMPL-H body, white rotation jitter; "
          "MPJPE after forward kinematics, root-relative (mm) / Accel (mm/frame^2)\n")
    print("| jitter | fps | " + " | ".join(args.methods) + " |\n|---|---:|" + "---:|" * len(args.methods))
    for degrees in args.degrees:
        for fps in args.fps:
            sums, frames = {m: np.zeros(2) for m in args.methods}, 0
            for i, rotations in enumerate(clips):
                clean = at_rate(rotations, fps)
                rng = np.random.default_rng([2024, i])
                noisy = clean.copy()
                noisy[:, :BODY_JOINTS] = clean[:, :BODY_JOINTS] @ matrix_from_axis_angle(
                    np.radians(degrees) * rng.normal(size=(len(clean), BODY_JOINTS, 3)))
                for m in args.methods:
                    out = noisy if m == "input" else synsp.refine_smpl(noisy, fps=fps, method=m)
                    sums[m] += scores(out, clean) * len(clean)
                frames += len(clean)
            print(f"| {degrees:g} deg | {fps:g} | " + " | ".join(
                f"{s[0] / frames:.2f} / {s[1] / frames:.2f}" for s in sums.values()) + " |", flush=True)


if __name__ == "__main__":
    main()
