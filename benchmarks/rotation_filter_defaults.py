"""Each classic filter's setting on joint rotations: ``synsp refine x.bvh y.bvh --method F``.

The filters' own defaults were chosen for joint positions at 30 fps (SmoothNet's comparisons:
Savitzky-Golay 31 frames, order 2; Gaussian sigma 3; One-Euro 1.2 Hz). On a BVH's local
rotations they can leave the angles further from the truth than the input
(:data:`synsp.rotations.filters.ROTATION_SETTINGS`). Here each filter's grid runs on mocap clips
with an animator's kind of noise (per joint, per axis: white 2 degrees plus slow AR(1) 1.5
degrees, 6 spikes of 15 degrees; the root translation 1 cm), in the mocap's own BVH tree, at 30
fps and resampled to 120 fps. Metrics: the mean geodesic angle error of the local rotations
(degrees; the choice), MPJPE after forward kinematics with the root (mm).

    .venv/bin/python benchmarks/rotation_filter_defaults.py --choose   # ds2, every 31st clip
    .venv/bin/python benchmarks/rotation_filter_defaults.py            # ds1, every 12th clip
"""
from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from synsp.formats.bvh import read_motion
from synsp.paths import data_root
from synsp.refining.motion import refine_motion
from synsp.rotations.conversions import (
    geodesic_angle,
    matrix_from_axis_angle,
    matrix_from_quaternion,
    quaternion_continuous,
    quaternion_from_matrix,
)

FRAMES = 300  # of each clip at 30 fps: enough for every window, short enough for the grids
GRIDS = {
    "savgol": [{"window": w, "order": k} for w in (5, 7, 9, 11, 15, 21, 31) for k in (2, 3)],
    "gaussian": [{"sigma": s, "window": 31} for s in (0.75, 1.0, 1.5, 2.0, 3.0)],
    "one-euro": [{"min_cutoff": c, "beta": b} for c in (0.6, 1.2, 2.4) for b in (0.3, 1.0, 3.0, 10.0)],
    "median": [{"window": w} for w in (3, 5, 7, 9)],
    "hampel": [{"window": w, "n_sigma": s} for w in (5, 7, 15) for s in (2.0, 3.0)],
}


def clips(choose: bool) -> list:
    """The clips: ds2 every 31st file to choose, ds1 every 12th to report on (never the same data)."""
    folder = data_root() / "bandai-namco" / ("ds2" if choose else "ds1")
    files = sorted(folder.glob("*.bvh"))[:: 31 if choose else 12]
    out = []
    for path in files:
        motion = read_motion(path)
        n = min(FRAMES, motion.n_frames)
        out.append(replace(motion, rotations=motion.rotations[:n], translations=motion.translations[:n]))
    return out


def upsample(motion, factor: int):
    """``motion`` at ``factor`` times its frame rate: rotations by normalised quaternion
    interpolation (close to slerp at 30 fps steps), translations linearly."""
    t = np.arange(motion.n_frames)
    new = np.arange((motion.n_frames - 1) * factor + 1) / factor
    q = quaternion_continuous(quaternion_from_matrix(motion.rotations))
    lo = np.minimum(np.floor(new).astype(int), motion.n_frames - 2)
    w = (new - lo)[:, None, None]
    qi = (1 - w) * q[lo] + w * q[lo + 1]
    qi /= np.linalg.norm(qi, axis=-1, keepdims=True)
    tr = np.stack([np.interp(new, t, motion.translations[:, j, i]) for j in range(motion.translations.shape[1])
                   for i in range(3)], axis=1).reshape(len(new), -1, 3)
    return replace(motion, rotations=matrix_from_quaternion(qi), translations=tr, fps=motion.fps * factor)


def corrupt(motion, rng: np.random.Generator):
    """The animator's noise (module docstring) on every joint's local rotation and the hips' translation."""
    n_frames, n_joints = motion.rotations.shape[:2]
    noise = rng.normal(0, 2.0, (n_frames, n_joints, 3))
    slow = np.zeros((n_frames, n_joints, 3))
    for t in range(1, n_frames):
        slow[t] = 0.9 * slow[t - 1] + rng.normal(0, 1.5 * np.sqrt(1 - 0.81), (n_joints, 3))
    noise += slow
    for _ in range(6):
        noise[rng.integers(n_frames), rng.integers(n_joints)] += rng.normal(0, 15, 3)
    rotations = motion.rotations @ matrix_from_axis_angle(np.deg2rad(noise))
    translations = motion.translations.copy()
    moving = int(np.argmax(np.ptp(motion.translations, axis=0).max(-1)))  # the hips, which carry the trajectory
    translations[:, moving] += rng.normal(0, 1.0, (n_frames, 3))
    return replace(motion, rotations=rotations, translations=translations)


def score(truth, refined) -> tuple[float, float]:
    """(mean local angle error in degrees, MPJPE after FK with the root in mm)."""
    angle = float(geodesic_angle(truth.rotations, refined.rotations).mean())
    return angle, float(np.linalg.norm(truth.positions() - refined.positions(), axis=-1).mean())


def run(pairs, method: str | None, options: dict) -> tuple[float, float]:
    """Mean scores of ``method`` with ``options`` over (truth, noisy) pairs; method None: the input."""
    scores = [score(truth, noisy if method is None else refine_motion(noisy, method=method, **options)[0])
              for truth, noisy in pairs]
    return tuple(np.mean(scores, axis=0))


def at_rate(options: dict, fps: float) -> dict:
    """A setting chosen at 30 fps for ``fps``: windows and widths in frames scaled to span the same time."""
    from synsp.rotations.filters import at_frame_rate

    return at_frame_rate(options, fps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true", help="run the grids on ds2 (else report on ds1)")
    parser.add_argument("--fps", type=int, nargs="+", default=[30, 120])
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    base = clips(args.choose)
    for fps in args.fps:
        truths = [m if fps == 30 else upsample(m, fps // 30) for m in base]
        pairs = [(t, corrupt(t, rng)) for t in truths]
        print(f"\n{'ds2 (choose)' if args.choose else 'ds1 (report)'}: {len(pairs)} clips at {fps} fps; "
              "angle (deg) / MPJPE (mm)")
        print(f"input: {'%.3f / %.1f' % run(pairs, None, {})}")
        for method, grid in GRIDS.items():
            if args.choose:
                rows = [(run(pairs, method, at_rate(opts, fps)), opts) for opts in grid]
                for (angle, mpjpe), opts in sorted(rows, key=lambda r: r[0][0])[:3]:
                    print(f"{method} {opts}: {angle:.3f} / {mpjpe:.1f}")
            else:  # as `synsp refine --method F` runs it (run with the code before and after a change)
                import synsp.rotations.filters

                setting = getattr(synsp.rotations.filters, "ROTATION_SETTINGS", {}).get(method, "filter's own")
                print(f"{method} ({setting}): {'%.3f / %.1f' % run(pairs, method, {})}")

if __name__ == "__main__":
    main()
