"""Motion faster than the mocap's: what the output low-pass and the networks do to sports moves.

The mocap's everyday and acted motions are played k times as fast (cubic spline), then sampled
at ``fps`` and corrupted by the simulator at that rate: k = 2 or 3 at 30 fps is a sprint or a
punch filmed at 30 fps, k = 4 at 120 fps the same filmed at 120 fps. Rows: the input, Pose2Sim's
6 Hz Butterworth, SmoothNet and SynSP each as shipped (following every clip's motion pace,
:mod:`synsp.motion_pace`) and with the given rate alone, and SynSP without its output
low-pass; every method is told the frame rate. Presets
`typical`, `jitter`, and `none` (how far clean motion is moved). 3D root-relative mm
(h36m17), or 2D pixels through the simulator's random cameras (coco17).

``--space rotation``: SMPL rotations (the mocap retargeted, played faster by a rotation spline),
presets `3dpw-pare`, `jitter` and `none`; rows: the default filter of rotation files (BVH's) and
the rotation network (SMPL files' default), each at the given rate alone and following the pace
(RESULTS section 14).
Run:

    .venv/bin/python benchmarks/fast_motion.py [--space 2d|rotation] [--split val] [--max-clips 20]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.spatial.transform import Rotation, RotationSpline

from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clips
from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.simulator import corrupt
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, Case, evaluate, markdown_table
from synsp.evaluation.rotations import RotationCase, evaluate_rotations
from synsp.filters import butterworth, cutoff_for
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.refiner import Refiner
from synsp.inference.rotation_refiner import RotationRefiner, load_rotation_model
from synsp.rotations.filters import ROTATION_DEFAULT, default_filter_rate, smooth_rotations
from synsp.rotations.smpl_template import smpl_positions
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position

MOCAP_FPS = 30.0


def played_faster(clip: np.ndarray, speed: float, fps: float) -> np.ndarray:
    """``clip`` (T, J, 3) at the mocap's 30 fps played ``speed`` times as fast and sampled at ``fps``."""
    times = np.arange(len(clip)) / (MOCAP_FPS * speed)
    return CubicSpline(times, clip, axis=0)(np.arange(0, times[-1] + 1e-9, 1 / fps)).astype(np.float32)


def cases_for(clips: list[np.ndarray], names: list[str], preset: str, speed: float, fps: float,
              space: str = "3d") -> list[Case]:
    """Cases of ``clips`` (T, J, 3) mm played ``speed`` times as fast at ``fps``, with ``preset``'s
    errors ("none": the clean motion as input): 3D root-relative h36m17, or 2D coco17 pixels
    (``clips`` in that layout)."""
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for name, clip in zip(names, clips):
        clean = played_faster(clip, speed, fps)
        if space == "2d":
            camera = random_camera(rng, subject=clean)
            clean2d = project(clean, camera).astype(np.float32)
            noisy = clean2d if preset == "none" else fill_gaps(corrupt(
                clean2d, preset, rng=rng, layout="coco17", unit_scale=pixels_per_mm(clean, camera), fps=fps).noisy)[0]
            cases.append(Case(name, noisy, clean2d))
            continue
        noisy = clean if preset == "none" else fill_gaps(corrupt(clean, preset, rng=rng, fps=fps).noisy)[0]
        cases.append(Case(name, noisy - root_position(noisy, "h36m17"), clean - root_position(clean, "h36m17")))
    return cases


def unpaced(model: Refiner | RotationRefiner, x: np.ndarray, fps: float) -> np.ndarray:
    """``model.refine(x, fps=fps)`` without following the clip's motion pace."""
    model.follow_pace = False
    try:
        return model.refine(x, fps=fps)
    finally:
        model.follow_pace = True


def rotations_played_faster(rotations: np.ndarray, trans: np.ndarray, speed: float,
                            fps: float) -> tuple[np.ndarray, np.ndarray]:
    """SMPL ``rotations`` (T, 24, 3, 3) and ``trans`` (T, 3) at the mocap's 30 fps played ``speed``
    times as fast and sampled at ``fps``: each joint by a rotation spline, the root by a cubic one."""
    times = np.arange(len(rotations)) / (MOCAP_FPS * speed)
    new = np.arange(0, times[-1] + 1e-9, 1 / fps)
    out = np.stack([RotationSpline(times, Rotation.from_matrix(rotations[:, j]))(new).as_matrix()
                    for j in range(rotations.shape[1])], axis=1)
    return out, CubicSpline(times, trans, axis=0)(new)


def rotation_tables(split: str, max_clips: int, speeds: list[str]) -> None:
    """The default filter of rotation files and the rotation network (the default of SMPL files)
    on SMPL motion played faster, each at the given rate alone and following the pace
    (:func:`synsp.rotations.filters.default_filter_rate`, ``RotationRefiner.follow_pace``)."""
    method, options = ROTATION_DEFAULT
    network = load_rotation_model(default_model("synsp", "rotation"))

    def default_filter(rotations: np.ndarray, fps: float, paced: bool) -> np.ndarray:
        rate = default_filter_rate(smpl_positions(rotations), fps) if paced else fps
        return smooth_rotations(rotations, method, **{**options, "cutoff": cutoff_for(options["cutoff"], rate)},
                                fps=rate)

    names = load_split(split)[: max_clips or None]
    motions = [load_smpl_clip(name) for name in names]
    for case in speeds:
        speed, fps = (float(v) for v in case.split("x"))
        methods = {"default filter, given rate alone": lambda r, f=fps: default_filter(r, f, False),
                   "default filter, paced (BVH default)": lambda r, f=fps: default_filter(r, f, True),
                   "SynSP, given rate alone": lambda r, f=fps: unpaced(network, r, f),
                   "SynSP, paced (SMPL default)": lambda r, f=fps: network.refine(r, fps=f)}
        for preset in ("3dpw-pare", "jitter", "none"):
            cases = []
            for i, motion in enumerate(motions):
                clean, trans = rotations_played_faster(*motion, speed, fps)
                noisy = clean if preset == "none" else corrupt_rotations(
                    clean, trans, preset, rng=np.random.default_rng([EVAL_SEED, i]), fps=fps)[0]
                cases.append(RotationCase(noisy, clean, smpl_positions(clean)))
            frames = sum(len(c.clean) for c in cases)
            print(f"### motion {speed:g}x as fast, {fps:g} fps, preset `{preset}` "
                  f"({len(cases)} {split} clips, {frames} frames; MPJPE, Accel mm, Angle degrees)\n")
            results = {"input": evaluate_rotations(lambda r: r, cases)}
            results.update({name: evaluate_rotations(fn, cases) for name, fn in methods.items()})
            print(markdown_table(results) + "\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d", "rotation"], default="3d")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--checkpoint", help="the SynSP model (file or shipped name; default: the space's)")
    parser.add_argument("--cases", nargs="+", default=["1x30", "2x30", "3x30", "4x120"],
                        help="SPEEDxFPS: motion SPEED times as fast, filmed at FPS")
    args = parser.parse_args()
    if args.space == "rotation":
        return rotation_tables(args.split, args.max_clips, args.cases)
    names = load_split(args.split)
    names = names[: args.max_clips] if args.max_clips else names
    layout, unit = ("h36m17", "mm") if args.space == "3d" else ("coco17", "px")
    clips = load_clips(names, layout=layout)
    smoothnet = load_model(default_model("smoothnet", args.space))
    synsp = load_model(args.checkpoint or default_model("synsp", args.space))
    for case in args.cases:
        speed, fps = (float(v) for v in case.split("x"))
        methods = {
            "butterworth 6 Hz": lambda x, f=fps: butterworth(x, cutoff=cutoff_for(6.0, f), order=4, fps=f),
            "SmoothNet, given rate alone": lambda x, f=fps: unpaced(smoothnet, x, f),
            "SmoothNet": lambda x, f=fps: smoothnet.refine(x, fps=f),
            "SynSP, given rate alone": lambda x, f=fps: unpaced(synsp, x, f),
            "SynSP, no output low-pass": lambda x, f=fps: synsp.refine(x, fps=f, lowpass_hz=0),
            "SynSP (default)": lambda x, f=fps: synsp.refine(x, fps=f),
        }
        for preset in ("typical", "jitter", "none"):
            cases = cases_for(clips, names, preset, speed, fps, args.space)
            frames = sum(len(c.clean) for c in cases)
            print(f"### motion {speed:g}x as fast, {fps:g} fps, preset `{preset}` "
                  f"({len(cases)} {args.split} clips, {frames} frames, {unit})\n")
            print(markdown_table(evaluate(methods, cases, layout=layout, space=args.space)) + "\n", flush=True)


if __name__ == "__main__":
    main()
