"""Nearly clean input: how far SynSP moves it, before and after the step that keeps it
(:mod:`synsp.inference.clean`), and what that step costs on noisy input.

On the first ``--clips`` clips of a split (default: validation), each refined twice by the shipped
default (``synsp.refine``), the step off (before) and on (after):

- clean input: the true sequence itself (preset "none"), 3D h36m17 root-relative mm and 2D coco17
  pixels through random virtual cameras: MPJPE of the output against it (how far it moved);
- markers: 42 points on the Bandai skeleton (its 22 joints and a point on each bone), resampled to
  100 Hz, plus Gaussian noise of 0.37 mm per coordinate (a gait lab's Vicon data, ~0.6 mm): an
  unknown point set, refined by SmoothNet; MPJPE against the true points, mm;
- the presets `typical`, `jitter`, `hard` and `clean-ish` (the least noisy): MPJPE (x input) and Accel, 3D and 2D.

Frame-weighted means over clips, 30 fps (markers 100 Hz). Run::

    .venv/bin/python benchmarks/clean_input.py [--split val] [--clips 12]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases
from synsp.metrics import accel_error, mpjpe
from synsp.refining.arrays import network_model
from synsp.sequence import fill_gaps
from synsp.skeleton import bone_tree, get_layout

SPACES = (("3d", "h36m17", "mm"), ("2d", "coco17", "px"))
MARKER_FPS, MARKER_SIGMA = 100.0, 0.37  # Hz; mm per coordinate


def refined_both(poses: np.ndarray, n_coords: int, **options) -> tuple[np.ndarray, np.ndarray]:
    """``synsp.refine(poses)`` with the clean-input step off, then on."""
    outs = []
    for keep in (False, True):
        for kind in ("synsp", "smoothnet"):  # the route may end in either network
            network_model(kind, n_coords).keep_clean = keep
        outs.append(synsp.refine(poses, **options))
    return outs[0], outs[1]


def markers(clip: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(true, measured) marker tracks (T, 42, 3) mm at :data:`MARKER_FPS` of a bandai22 clip at 30 fps."""
    t30 = np.arange(len(clip)) / 30.0
    joints = CubicSpline(t30, clip, axis=0)(np.arange(0, t30[-1], 1 / MARKER_FPS))
    on_bones = np.stack([0.4 * joints[:, a] + 0.6 * joints[:, b] for a, b in bone_tree(get_layout("bandai22"))], 1)
    true = np.concatenate([joints, on_bones], axis=1)
    return true, true + rng.normal(0, MARKER_SIGMA, true.shape)


def _mean(values: list[float], frames: list[int]) -> float:
    return float(np.average(values, weights=frames))


def run(split: str, clips: int) -> str:
    lines = ["| input | space | before | after |", "|---|---|---:|---:|"]
    for space, layout, unit in SPACES:
        cases = make_cases(split, "none", layout=layout, space=space, max_clips=clips)
        moved = [[mpjpe(out, c.clean) for out in refined_both(c.noisy, c.clean.shape[-1], layout=layout)]
                 for c in cases]
        frames = [len(c.clean) for c in cases]
        lines.append(f"| clean (moved) | {space.upper()} {layout} ({unit}) | "
                     f"{_mean([m[0] for m in moved], frames):.2f} | {_mean([m[1] for m in moved], frames):.2f} |")
    rng = np.random.default_rng(0)
    errors, frames = [], []
    for clip in load_clips(load_split(split)[:clips], layout="bandai22"):
        true, measured = markers(clip.astype(np.float64), rng)
        errors.append([mpjpe(measured, true)] + [mpjpe(out, true) for out in refined_both(measured, 3, fps=MARKER_FPS)])
        frames.append(len(true))
    before, after = _mean([e[1] for e in errors], frames), _mean([e[2] for e in errors], frames)
    lines.append(f"| markers, 100 Hz, input {_mean([e[0] for e in errors], frames):.2f} mm | 3D 42 points (mm) | "
                 f"{before:.2f} | {after:.2f} |")
    lines += ["", "| preset | space | input MPJPE | before: MPJPE (x input) | after: MPJPE (x input) | "
              "Accel input / before / after |", "|---|---|---:|---:|---:|---:|"]
    for preset in ("typical", "jitter", "hard", "clean-ish"):
        for space, layout, unit in SPACES:
            cases = make_cases(split, preset, layout=layout, space=space, max_clips=clips)
            rows = []
            for c in cases:
                noisy = fill_gaps(c.noisy)[0]  # missing joints filled linearly, as benchmarks/presets.py scores input
                outs = refined_both(c.noisy, c.clean.shape[-1], layout=layout)
                rows.append([mpjpe(noisy, c.clean), *(mpjpe(o, c.clean) for o in outs),
                             accel_error(noisy, c.clean), *(accel_error(o, c.clean) for o in outs)])
            frames = [len(c.clean) for c in cases]
            m = [_mean([r[i] for r in rows], frames) for i in range(6)]
            lines.append(f"| {preset} | {space.upper()} ({unit}) | {m[0]:.2f} | {m[1]:.2f} ({m[1] / m[0]:.3f}) | "
                         f"{m[2]:.2f} ({m[2] / m[0]:.3f}) | {m[3]:.2f} / {m[4]:.2f} / {m[5]:.2f} |")
    for kind in ("synsp", "smoothnet"):
        for n_coords in (2, 3):
            network_model(kind, n_coords).keep_clean = True
    head = (f"Nearly clean input, {split} split, first {clips or 'all'} clips: before = the clean-input step off, "
            "after = on (today's default).")
    return head + "\n\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=12, help="clips of the split (0: all)")
    args = parser.parse_args()
    start = time.time()
    print(run(args.split, args.clips))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
