"""The fastest contents played faster: kicks, dances, punches, slashes, dashes and runs at 2-3x, 30 fps.

A user audit (audit 6; its scripts were lost) played kicks, dances and runs 3 times as fast (every 3rd frame at
30 fps), 2D through 3 cameras under 2 px of white noise: SynSP came out at 1.761 x its input, One-Euro 1.061,
SmoothNet 2.23 (3D, root-relative: 1.355). :mod:`fast_light_noise` (every third validation clip) hides it in its
average, since the fastest contents are few. This rebuilds the case: the split's clips of :data:`FAST` contents
(validation: dashes and runs; ``--audit`` adds the training split's kicks, dances, punches and slashes, the
audit's contents, which no validation or test clip holds: the network saw them at 1x only), played ``--speeds``
times as fast (cubic spline, :func:`fast_motion.played_faster`) at 30 fps (the rate not given, as the audit ran
it), 2D through ``--cameras`` random cameras per clip (3D: the clip once), under white noise (:data:`WHITE`: 2 px,
8 mm per coordinate) or the simulator's `jitter`. Rows: the input, the public ``synsp.refine`` (today's
default), SmoothNet, One-Euro and a 6 Hz Butterworth; cells: frame-weighted MPJPE (x input; 3D root-relative),
clips worse than their input, and the worst case's ratio. Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_contents.py [--space 2d|3d] [--split val] [--audit]
        [--speeds 2 3] [--noises white jitter] [--cameras 3] [--methods input synsp ...] [--per-case]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import synsp
from fast_light_noise import noisy_view  # this folder's scripts share their noisy fast clips
from fast_motion import played_faster
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.filters import butterworth
from synsp.skeleton import root_position

FPS = 30.0
FAST = ("kick", "dance-short", "punch", "slash", "dash", "run")  # the contents whose limbs move fastest
AUDIT = ("kick", "dance-short", "punch", "slash")  # only the training split holds these
WHITE = {"3d": 8.0, "2d": 2.0}  # the audit's light noise: mm, px (white, per coordinate)
LAYOUT = {"3d": "h36m17", "2d": "coco17"}
METHODS = ("input", "synsp", "smoothnet", "one-euro", "butterworth")


def fast_names(split: str, audit: bool) -> list[str]:
    """The clips of ``split`` whose content is one of :data:`FAST`, then (``audit``) the training split's of
    :data:`AUDIT`."""
    content = lambda name: name.split("_")[1]  # noqa: E731  ("dataset-1_kick_normal_001" -> "kick")
    names = [n for n in load_split(split) if content(n) in FAST]
    return names + ([n for n in load_split("train") if content(n) in AUDIT] if audit else [])


def cases(clips: list[np.ndarray], names: list[str], space: str, speed: float, noise: str,
          cameras: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, noisy, clean) triples of ``clips`` (T, J, 3) mm played ``speed`` times as fast at 30 fps: 3D mm,
    or 2D px through ``cameras`` random cameras each; ``noise`` "white" (:data:`WHITE`) or a simulator preset;
    seeded by EVAL_SEED and the speed."""
    rng = np.random.default_rng([EVAL_SEED, int(speed * 10), 7])
    out = []
    for name, clip in zip(names, clips):
        fast = played_faster(clip, speed, FPS).astype(np.float64)
        for view in range(cameras if space == "2d" else 1):
            noisy, clean = noisy_view(fast, space, noise, WHITE[space], rng)
            out.append((f"{name} cam{view}" if space == "2d" else name, noisy, clean))
    return out


def refined(noisy: np.ndarray, method: str, **options) -> np.ndarray:
    """``method``'s output for ``noisy`` (T, J, C) at the assumed 30 fps ("input": the input itself)."""
    if method == "input":
        return noisy
    if method == "butterworth":
        return butterworth(noisy, cutoff=6.0, order=4, fps=FPS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return synsp.refine(noisy, method, **options)


def error(pred: np.ndarray, clean: np.ndarray, space: str) -> float:
    """MPJPE of ``pred`` against ``clean`` (T, J, C): 2D as they are, 3D root-relative."""
    pred = np.asarray(pred, np.float64)
    if space == "3d":
        pred, clean = pred - root_position(pred, "h36m17"), clean - root_position(clean, "h36m17")
    return float(np.linalg.norm(pred - clean, axis=-1).mean())


def scores(triples: list[tuple[str, np.ndarray, np.ndarray]], space: str, methods: tuple[str, ...],
           **options) -> np.ndarray:
    """(cases, methods) MPJPE of each method's output on each (label, noisy, clean) triple."""
    return np.asarray([[error(refined(noisy, m, **options), clean, space) for m in methods]
                       for _, noisy, clean in triples])


def row(label: str, s: np.ndarray, frames: np.ndarray, methods: tuple[str, ...]) -> str:
    """A markdown row from ``s`` (cases, methods), the first method the input: frame-weighted mean (x input),
    cases worse than their input, and the worst case's ratio to its input."""
    mean = np.average(s, axis=0, weights=frames)
    ratio = s / s[:, :1]
    cells = [f"{mean[0]:.3f}"] + [f"{mean[m]:.3f} ({mean[m] / mean[0]:.3f}), {int((ratio[:, m] > 1.001).sum())}, "
                                  f"worst {ratio[:, m].max():.2f}" for m in range(1, len(methods))]
    return f"| {label} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="2d")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures, once)")
    parser.add_argument("--audit", action="store_true", help="add the training split's kicks, dances, punches, "
                                                             "slashes (the audit's contents)")
    parser.add_argument("--speeds", type=float, nargs="+", default=[2.0, 3.0])
    parser.add_argument("--noises", nargs="+", default=["white", "jitter"], help="white and/or simulator presets")
    parser.add_argument("--cameras", type=int, default=3, help="2D: random cameras per clip")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), help="input first")
    parser.add_argument("--per-case", action="store_true", help="print every case's ratio to its input too")
    args = parser.parse_args()
    start, methods = time.time(), tuple(args.methods)
    names = fast_names(args.split, args.audit)
    clips = load_clips(names, layout=LAYOUT[args.space])
    unit = "mm" if args.space == "3d" else "px"
    for noise in args.noises:
        label = f"white {WHITE[args.space]:g} {unit}" if noise == "white" else f"`{noise}`"
        views = f" x {args.cameras} cameras" if args.space == "2d" else ""
        print(f"\n#### {args.space}, {label}, {len(names)} clips{views} ({args.split}"
              + (" + train's audit contents" if args.audit else "") + f"), 30 fps; MPJPE {unit}"
              + (" root-relative" if args.space == "3d" else "") + " (x input), cases worse, worst x input\n")
        print("| speed | " + " | ".join(methods) + " |\n|---|" + "---:|" * len(methods))
        for speed in args.speeds:
            triples = cases(clips, names, args.space, speed, noise, args.cameras)
            s = scores(triples, args.space, methods)
            print(row(f"{speed:g}x", s, np.asarray([len(c) for _, _, c in triples]), methods), flush=True)
            if args.per_case:
                for (name, _, _), r in zip(triples, s / s[:, :1]):
                    print(f"    {speed:g}x {name}: " + " ".join(f"{m} {v:.2f}" for m, v in zip(methods, r)))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
