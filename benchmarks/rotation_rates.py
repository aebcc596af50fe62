"""Rotation files at high frame rates: the BVH and SMPL defaults against the filter at 30, 60 and 120 fps.

The mocap's clips (30 fps) are resampled to each rate (a rotation spline per joint, translations
linearly), then corrupted at that rate: white jitter of ``--white`` degrees per axis on every
frame, or a preset of the rotation error simulator (its times in seconds, so an estimator's
jitter is correlated over more frames at 120 fps; no left/right swaps). ``bvh``: the mocap's own
tree refined as ``synsp refine x.bvh`` refines it (:func:`synsp.refining.motion.refine_motion`,
default: SmoothNet, then the filter; ``butterworth``: the filter alone); ``smpl``: the clip
retargeted to SMPL (:func:`synsp.data.smpl_mocap.load_smpl_clip`) through
:func:`synsp.refine_smpl`. MPJPE after forward kinematics (root-relative, mm) / Accel
(mm/frame^2), means over frames; ``none``: how far clean motion is moved.

    .venv/bin/python benchmarks/rotation_rates.py --split val --every 6 --space bvh smpl
"""
from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np
from scipy.spatial.transform import Rotation, Slerp

import synsp
from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.smpl_mocap import load_bandai_motion, load_smpl_clip
from synsp.data.splits import load_split
from synsp.refining.motion import refine_motion
from synsp.rotations.conversions import matrix_from_axis_angle
from synsp.rotations.smpl_template import smpl_positions


def resampled(rotations: np.ndarray, translations: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """(T, J, 3, 3) rotations and (T, J, 3) translations at 30 fps, at ``fps`` over the same span."""
    t0 = np.arange(len(rotations)) / 30.0
    t1 = np.arange(0.0, t0[-1] + 1e-9, 1.0 / fps)
    rot = np.stack([Slerp(t0, Rotation.from_matrix(rotations[:, j]))(t1).as_matrix()
                    for j in range(rotations.shape[1])], axis=1)
    flat = translations.reshape(len(t0), -1)
    return rot, np.stack([np.interp(t1, t0, flat[:, k]) for k in range(flat.shape[1])], 1).reshape(len(t1), -1, 3)


def corrupted(clean: np.ndarray, preset: str, fps: float, white: float, seed: list[int]) -> np.ndarray:
    """``clean`` (T, J, 3, 3) with ``preset``'s errors at ``fps`` ("white": ``white`` degrees per axis per frame)."""
    rng = np.random.default_rng(seed)
    if preset == "none":
        return clean
    if preset == "white":
        return clean @ matrix_from_axis_angle(np.radians(white) * rng.normal(size=(*clean.shape[:2], 3)))
    return corrupt_rotations(clean, None, preset, rng=rng, pairs=(), fps=fps)[0]


def scores(out: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """MPJPE (mm) and Accel (mm/frame^2) of root-relative positions ``out`` against ``truth`` (T, J, 3)."""
    out, truth = out - out[:, :1], truth - truth[:, :1]
    accel = (out[2:] - 2 * out[1:-1] + out[:-2]) - (truth[2:] - 2 * truth[1:-1] + truth[:-2])
    return float(np.linalg.norm(out - truth, axis=-1).mean()), float(np.linalg.norm(accel, axis=-1).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["val", "test"])
    parser.add_argument("--every", type=int, default=6, help="every N-th clip of the split")
    parser.add_argument("--clips", type=int, default=11, help="at most this many clips")
    parser.add_argument("--fps", type=float, nargs="+", default=[30.0, 60.0, 120.0])
    parser.add_argument("--space", nargs="+", default=["bvh", "smpl"], choices=["bvh", "smpl"])
    parser.add_argument("--presets", nargs="+", default=["white", "3dpw-pare-fast", "3dpw-pare", "jitter", "none"])
    parser.add_argument("--white", type=float, default=2.0, help="degrees per axis of the preset 'white'")
    args = parser.parse_args()
    names = load_split(args.split)[::args.every][:args.clips]
    print(f"{args.split} split, {len(names)} clips (every {args.every}th); MPJPE (mm) / Accel (mm/frame^2)\n")
    for space in args.space:
        methods = ["input", "default"] + (["butterworth"] if space == "bvh" else [])
        print(f"| {space} | fps | " + " | ".join(methods) + " |\n|---|---:|" + "---:|" * len(methods))
        for preset in args.presets:
            for fps in args.fps:
                sums = {m: np.zeros(2) for m in methods}
                frames = 0
                for i, name in enumerate(names):
                    if space == "bvh":
                        motion = load_bandai_motion(name)
                        clean, trans = resampled(motion.rotations, motion.translations, fps)
                        motion = replace(motion, rotations=clean, translations=trans, fps=fps)
                        positions = lambda r: replace(motion, rotations=r).positions()  # noqa: E731
                        noisy = corrupted(clean, preset, fps, args.white, [2024, i])
                        outs = {"input": noisy, **{m: refine_motion(replace(motion, rotations=noisy), method=(
                            None if m == "default" else m))[0].rotations for m in methods[1:]}}
                    else:
                        clean, _ = resampled(load_smpl_clip(name)[0], np.zeros((len(load_smpl_clip(name)[0]), 1, 3)),
                                             fps)
                        positions = smpl_positions
                        noisy = corrupted(clean, preset, fps, args.white, [2024, i])
                        outs = {"input": noisy, "default": synsp.refine_smpl(noisy, fps=fps)}
                    truth = positions(clean)
                    for m, out in outs.items():
                        sums[m] += np.array(scores(positions(out), truth)) * len(clean)
                    frames += len(clean)
                label = f"white {args.white:g} deg" if preset == "white" else f"`{preset}`"
                print(f"| {label} | {fps:g} | " + " | ".join(
                    "-" if (m == "input" and preset == "none") else f"{s[0] / frames:.2f} / {s[1] / frames:.2f}"
                    for m, s in sums.items()) + " |", flush=True)
        print()


if __name__ == "__main__":
    main()
