"""Fast motion under a good estimator's light noise: is the output ever worse than its input?

A user audit (audit 6, finding 1) played mocap 2-3 times as fast at 30 fps (punches, kicks, dances) under
light white noise (2 px, 5 mm): the default came out worse than its input (2D 3x 2.50 -> 6.17 px, 3D 2x
10.47 -> 12.94 mm) where One-Euro kept level with it. This is the validation counterpart: the split's
clips played ``--speeds`` times as fast (cubic spline, :func:`fast_motion.played_faster`), seen at 30 fps
(the rate not given, as the audit ran it), in absolute coordinates (3D mm with the body's path, 2D pixels
through the simulator's random cameras), under white noise (:data:`WHITE`) or the simulator's `jitter`.
Rows: the input, the public ``synsp.refine`` (today's default: every step, the noise-only choice among
them), the same with its second look at half the pace aside (:mod:`synsp.inference.half_pace`: what it was
before), SmoothNet, One-Euro and a 6 Hz Butterworth. Cells: MPJPE (x input) and how many clips came out
worse than their input; 3D also root-relative MPJPE. ``--protocol PRESET ..`` scores the protocol's own cases
instead (``make_cases``, the split's first ``--max-clips``, as ``synsp evaluate`` draws them), but through the
public ``synsp.refine``: ``synsp evaluate`` runs the Refiner alone, without the steps around it. Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_light_noise.py [--space 2d] [--split val] [--every 3]
        [--speeds 1 2 3] [--noises white jitter] [--protocol typical jitter none --max-clips 20]
"""
from __future__ import annotations

import argparse
import time
import warnings
from unittest import mock

import numpy as np

import synsp
from fast_motion import played_faster  # this folder's scripts share their played-faster clips
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, make_cases
from synsp.filters import butterworth
from synsp.inference import half_pace
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position

FPS = 30.0
WHITE = {"3d": 5.0, "2d": 2.0}  # the audit's light noise: mm, px (white, per coordinate)
LAYOUT = {"3d": "h36m17", "2d": "coco17"}
METHODS = ("input", "synsp", "no half look", "smoothnet", "one-euro", "butterworth")


def cases(clips: list[np.ndarray], space: str, speed: float, noise: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(noisy, clean) pairs of ``clips`` (T, J, 3) mm played ``speed`` times as fast at 30 fps: 3D mm or 2D px
    (a random camera each), with ``noise`` "white" (:data:`WHITE`) or a simulator preset; seeded by EVAL_SEED."""
    rng = np.random.default_rng([EVAL_SEED, int(speed * 10)])
    return [noisy_view(played_faster(clip, speed, FPS).astype(np.float64), space, noise, WHITE[space], rng)
            for clip in clips]


def noisy_view(poses: np.ndarray, space: str, noise: str, white: float,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(noisy float32, clean) of ``poses`` (T, J, 3) mm at 30 fps: 3D mm, or 2D px through a random camera drawn
    from ``rng``; ``noise`` "white" (``white`` mm or px per coordinate) or a simulator preset, drawn from ``rng``."""
    clean, scale = poses, 1.0
    if space == "2d":
        camera = random_camera(rng, subject=poses)
        clean, scale = project(poses, camera).astype(np.float64), pixels_per_mm(poses, camera)
    if noise == "white":
        noisy = clean + rng.normal(0.0, white, clean.shape)
    else:
        kw = dict(layout="coco17", unit_scale=scale) if space == "2d" else {}
        noisy = fill_gaps(corrupt(clean.astype(np.float32), noise, rng=rng, fps=FPS, **kw).noisy)[0]
    return noisy.astype(np.float32), clean


def refined(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """Each of :data:`METHODS`' output for ``noisy`` (T, J, C) at the assumed 30 fps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mock.patch.object(half_pace, "MIN_PACE", np.inf):  # the second look at half the pace aside
            aside = synsp.refine(noisy)
        return {"input": noisy, "synsp": synsp.refine(noisy), "no half look": aside,
                "smoothnet": synsp.refine(noisy, "smoothnet"), "one-euro": synsp.refine(noisy, "one-euro"),
                "butterworth": butterworth(noisy, cutoff=6.0, order=4, fps=FPS)}


def errors(pred: np.ndarray, clean: np.ndarray, space: str) -> tuple[float, float]:
    """MPJPE of ``pred`` against ``clean`` (T, J, C) as they are, and (3D) root-relative (2D: the same)."""
    pred = np.asarray(pred, np.float64)
    plain = float(np.linalg.norm(pred - clean, axis=-1).mean())
    if space == "2d":
        return plain, plain
    rr = lambda x: x - root_position(x, "h36m17")  # noqa: E731
    return plain, float(np.linalg.norm(rr(pred) - rr(clean), axis=-1).mean())


def row(label: str, pairs: list[tuple[np.ndarray, np.ndarray]], space: str) -> str:
    """A markdown row: each method's frame-weighted MPJPE over ``pairs`` (noisy, clean) (x input; 3D root-relative
    in brackets) and how many clips came out worse than their input. A clean input (preset `none`): the
    distance moved."""
    scores, frames = [], []
    for noisy, clean in pairs:
        outs = refined(noisy)
        scores.append([errors(outs[m], clean, space) for m in METHODS])
        frames.append(len(clean))
    s = np.asarray(scores)  # (clips, methods, 2)
    mean = np.average(s, axis=0, weights=frames)
    worse = (s[:, :, 0] > s[:, :1, 0] * 1.001).sum(axis=0)
    cells = []
    for m in range(len(METHODS)):
        ratio = lambda k: f" ({mean[m, k] / mean[0, k]:.4f})" if mean[0, k] > 0 else ""  # noqa: E731
        cell = f"{mean[m, 0]:.3f}{ratio(0)}"
        if space == "3d":
            cell += f" [{mean[m, 1]:.3f}{ratio(1)}]"
        cells.append(cell + (f", {worse[m]}" if m and mean[0, 0] > 0 else ""))
    return f"| {label} | " + " | ".join(cells) + " |"


def table(space: str, split: str, every: int, speeds: list[float], noises: list[str]) -> None:
    """Print one markdown table per noise: a row per speed, a cell per method."""
    names = load_split(split)[::every]
    clips = load_clips(names, layout=LAYOUT[space])
    unit = "mm" if space == "3d" else "px"
    for noise in noises:
        label = f"white {WHITE[space]:g} {unit}" if noise == "white" else f"`{noise}`"
        print(f"\n#### {space}, {label}, {len(names)} {split} clips (every {every}), 30 fps; MPJPE {unit} (x input)"
              + (", root-relative in brackets" if space == "3d" else "") + "; clips worse than input\n")
        print("| speed | " + " | ".join(METHODS) + " |\n|---|" + "---:|" * len(METHODS))
        for speed in speeds:
            print(row(f"{speed:g}x", cases(clips, space, speed, noise), space), flush=True)


def protocol(space: str, split: str, presets: list[str], max_clips: int) -> None:
    """Print one markdown table: a row per simulator preset on the protocol's cases (``make_cases``, the first
    ``max_clips`` of ``split``, 3D root-relative, as ``synsp evaluate`` scores them), a cell per method."""
    unit = "mm" if space == "3d" else "px"
    print(f"\n#### {space}, the protocol's cases, first {max_clips} {split} clips; MPJPE {unit} (x input)\n")
    print("| preset | " + " | ".join(METHODS) + " |\n|---|" + "---:|" * len(METHODS))
    for preset in presets:
        pairs = [(np.asarray(c.noisy, np.float32), np.asarray(c.clean, np.float64))
                 for c in make_cases(split, preset, layout=LAYOUT[space], space=space, max_clips=max_clips)]
        print(row(f"`{preset}`", pairs, space), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures, once)")
    parser.add_argument("--every", type=int, default=3, help="every N-th clip of the split (1 = all)")
    parser.add_argument("--speeds", type=float, nargs="+", default=[1.0, 1.5, 2.0, 3.0])
    parser.add_argument("--noises", nargs="+", default=["white", "jitter"], help="white and/or simulator presets")
    parser.add_argument("--protocol", nargs="*", default=[], help="presets on the protocol's own cases, instead")
    parser.add_argument("--max-clips", type=int, default=20, help="with --protocol: the split's first N clips")
    args = parser.parse_args()
    start = time.time()
    if args.protocol:
        protocol(args.space, args.split, args.protocol, args.max_clips)
    else:
        table(args.space, args.split, args.every, args.speeds, args.noises)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
