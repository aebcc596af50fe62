"""Where SynSP places the body in 3D: the root's position and acceleration errors at 30-240 fps.

The network refines root-relative poses; the root's own trajectory (where the body stands) is
fitted around it (:func:`synsp.inference.root_track.smoothed_track`). Validation clips
(world positions, mm) are upsampled to each rate by a cubic spline, and every frame at that
rate gets white Gaussian noise (``--noise-mm`` per coordinate: a marker or multi-camera 3D
system's per-frame noise, uncorrelated between frames and joints). Every method is told the
rate. Rows: the input, SynSP placing the body by its pelvis (``mean_anchor=False``) and by the
mean over its joints (the default). Columns: the pelvis's position error (mm) and acceleration
error (m/s^2), and the mean absolute joint error without any alignment (where the body is, mm).

``--gait``: the validation split's walking clips at 30 fps with the simulator's `typical`
errors (slow per-joint bias and drift, jitter, spikes; world positions) and a monocular
camera's depth error along Z (``--depth-mm``: each joint's slow error, a part shared by the
whole body and a part its own, of that std each; :func:`depth_error`): the mean absolute error
along each axis (X, Z horizontal, Y up; mm, all joints, no alignment), per method, and how many
trials each method leaves better than its input (mean over the axes). Run:

    .venv/bin/python benchmarks/root_track.py [--max-clips 20] [--fps 30 60 120 240] [--gait [--depth-mm 70]]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.ndimage import gaussian_filter1d

from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.inference.checkpoint import load_model
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position


def at_rate(clip: np.ndarray, fps: float) -> np.ndarray:
    """``clip`` (T, J, 3) at 30 fps, resampled to ``fps`` by a cubic spline."""
    times = np.arange(len(clip)) / 30.0
    return CubicSpline(times, clip, axis=0)(np.arange(0, times[-1] + 1e-9, 1 / fps)).astype(np.float32)


def depth_error(rng: np.random.Generator, t: int, j: int, std_mm: float, fps: float = 30.0) -> np.ndarray:
    """(T, J) slow depth errors, mm: a part shared by the whole body (where the estimator puts
    it) and a part each joint's own (the depth order of the limbs), each of std ``std_mm``,
    white noise smoothed over 0.25 s (Gaussian sigma) and scaled to that std."""
    def slow(shape):
        x = gaussian_filter1d(rng.normal(size=shape), sigma=0.25 * fps, axis=0, mode="nearest")
        return x / x.std() * std_mm
    return slow((t, 1)) + slow((t, j))


def root_errors(out: np.ndarray, clean: np.ndarray, fps: float) -> tuple[float, float, float]:
    """(pelvis position error mm, pelvis acceleration error m/s^2, mean absolute joint error mm)
    of ``out`` against ``clean``, both (T, J, 3) mm at ``fps``."""
    gap = root_position(out, "h36m17")[:, 0] - root_position(clean, "h36m17")[:, 0]  # (T, 3)
    accel = np.linalg.norm(np.diff(gap, 2, axis=0), axis=-1).mean() * fps**2 / 1000
    return float(np.linalg.norm(gap, axis=-1).mean()), float(accel), float(np.linalg.norm(out - clean, axis=-1).mean())


def methods(refiner, fps: float) -> dict:
    """Name -> function (T, J, 3) -> (T, J, 3): the input, SynSP by its pelvis and by its joints' mean."""
    def synsp(mean_anchor: bool):
        def run(x):
            refiner.mean_anchor = mean_anchor
            return refiner.refine(x, fps=fps)
        return run
    return {"input": lambda x: x, "SynSP, pelvis anchor": synsp(False), "SynSP, mean anchor (default)": synsp(True)}


def rates_table(refiner, clips: list[np.ndarray], rates: list[float], noise_mm: float) -> str:
    rows = ["| fps | method | pelvis position (mm) | pelvis accel (m/s^2) | joints, absolute (mm) |",
            "|---:|---|---:|---:|---:|"]
    for fps in rates:
        rng = np.random.default_rng(EVAL_SEED)
        cases = [(clean := at_rate(clip, fps), clean + rng.normal(0, noise_mm, clean.shape).astype(np.float32))
                 for clip in clips]
        for name, run in methods(refiner, fps).items():
            figures = np.mean([root_errors(run(noisy), clean, fps) for clean, noisy in cases], axis=0)
            rows.append(f"| {fps:g} | {name} | {figures[0]:.2f} | {figures[1]:.2f} | {figures[2]:.2f} |")
    return "\n".join(rows)


def gait_table(refiner, names: list[str], depth_mm: float) -> str:
    walks = [n for n in names if "walk" in n]
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for clean in load_clips(walks):
        noisy, _ = fill_gaps(corrupt(clean, "typical", rng=rng, fps=30.0).noisy)
        noisy[..., 2] += depth_error(rng, *noisy.shape[:2], depth_mm).astype(np.float32)
        cases.append((clean, noisy))
    rows = [f"| method ({len(walks)} walking trials, 30 fps) | X (mm) | Y, up (mm) | Z (mm) | mean | "
            "trials better than input |",
            "|---|---:|---:|---:|---:|---:|"]
    base = None
    for name, run in methods(refiner, 30.0).items():
        per_axis = np.array([np.abs(run(noisy) - clean).mean(axis=(0, 1)) for clean, noisy in cases])  # (N, 3)
        base = per_axis.mean(axis=1) if base is None else base
        better = int((per_axis.mean(axis=1) < base).sum())
        x, y, z = per_axis.mean(axis=0)
        rows.append(f"| {name} | {x:.1f} | {y:.1f} | {z:.1f} | {(x + y + z) / 3:.1f} | "
                    f"{'-' if name == 'input' else f'{better} / {len(cases)}'} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N validation clips (0 = all)")
    parser.add_argument("--checkpoint", default="synsp-h36m17", help="the SynSP model (file or shipped name)")
    parser.add_argument("--fps", type=float, nargs="+", default=[30.0, 60.0, 120.0, 240.0])
    parser.add_argument("--noise-mm", type=float, nargs="*", default=[2.0, 10.0],
                        help="per-frame noise, std per coordinate (mm; none: only --gait)")
    parser.add_argument("--gait", action="store_true", help="also the walking trials' per-axis errors")
    parser.add_argument("--depth-mm", type=float, default=70.0, help="--gait: std of each depth error part (mm)")
    args = parser.parse_args()
    names = load_split("val")
    refiner = load_model(args.checkpoint)
    if args.gait:
        print(gait_table(refiner, names, args.depth_mm) + "\n")
    clips = load_clips(names[: args.max_clips] if args.max_clips else names)
    for noise in args.noise_mm:
        frames = sum(len(c) for c in clips)
        print(f"### White noise {noise:g} mm per coordinate ({len(clips)} validation clips, "
              f"{frames} frames at 30 fps)\n")
        print(rates_table(refiner, clips, args.fps, noise) + "\n")


if __name__ == "__main__":
    main()
