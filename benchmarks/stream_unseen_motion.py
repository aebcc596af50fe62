"""A motion the network never saw, live: seated legs and cycling legs in 2D through ``StreamingRefiner`` without and
with its unseen-motion step (:mod:`synsp.inference.stream_unseen_motion`), against offline SynSP.

``--case seated``: ``benchmarks/seated_2d.py``'s clips (the first ``--clips`` of the 65 validation clips, coco17, the
preset's own errors; ``--azimuth 0``: in profile); ``--case cycling``: ``benchmarks/unseen_motion.py``'s legs turning a
crank at 90 rpm in 2D (``--view side``: a 3D clip's cycling seen from its side). Columns (px, all 17 joints, then the
legs: knees and ankles): the input, offline ``synsp.refine(x, fps=30, layout="coco17")``, the stream
(``StreamingRefiner(load_model("synsp-coco17")).refine_all``, its defaults: lag 7, lookahead 3) without the step (its
SPACES emptied) and with it; ``worse``: clips whose legs come out further from the truth than the input; then the
legs over the frames from the stream's :data:`~synsp.inference.stream_unseen_motion.FIRST` on (clips longer).

``--guard PRESET ...``: the validation clips as they are (2D coco17), streamed with the step held off: for the step
starting from each of several frames given back (the default ``FIRST`` among them), on how many clips it would move
a frame, and the largest ratio it reads with a clip's gate open (a joint's median correction beyond the low-pass
over its noise); where it moves none the stream's output is the one without it, bit for bit. RESULTS section 10,
"A stream takes the unseen-motion step". Run:

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_unseen_motion.py --case seated --clips 12
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_unseen_motion.py --case cycling --clips 12
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_unseen_motion.py --clips 0 --no-offline
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_unseen_motion.py --guard jitter typical
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_unseen_motion.py --guard clean-ish
"""
from __future__ import annotations

import argparse
import warnings
from unittest import mock

import numpy as np

import synsp
from seated_2d import LEGS, filmed
from synsp.evaluation.protocol import make_cases
from synsp.inference import stream_unseen_motion
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.inference.unseen_motion import ABOVE_NOISE, FILLED_NOISE, clip_gate
from synsp.sequence import sorted_median
from unseen_motion import circling, side_view

FIRSTS = (1, 16, 32, 48, 64)  # --guard: the frames given back from which the step could start


def _error(y: np.ndarray, truth: np.ndarray, joints: list[int] | slice = slice(None)) -> float:
    """Mean joint distance of ``y`` from ``truth`` (T, J, C) over ``joints``."""
    return float(np.nanmean(np.linalg.norm(y[:, joints] - truth[:, joints], axis=-1)))


def _clips(args: argparse.Namespace) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, input, truth) of each clip of ``--case`` (module docstring), px."""
    if args.case == "seated":  # seated_2d.py's draw: all 65 cases, then the first N
        three = make_cases("val", args.preset, layout="coco17", space="3d")
        two = make_cases("val", args.preset, layout="coco17", space="2d")
        return [(c2.name, *filmed(np.asarray(c3.clean, np.float64), np.asarray(c2.noisy, np.float64),
                                  np.asarray(c2.clean, np.float64), "seated", args.azimuth))
                for c3, c2 in list(zip(three, two))[args.start:args.clips or None]]
    two = make_cases("val", args.preset, layout="coco17", space="2d", max_clips=args.clips)  # unseen_motion.py's
    three = make_cases("val", args.preset, layout="coco17", space="3d", max_clips=args.clips) if (
        args.view == "side") else two
    out = []
    for c3, c2 in zip(three, two):
        if args.view == "side":
            truth = side_view(circling(np.asarray(c3.clean, np.float64), "coco17", "legs", 1.5, 0.2),
                              np.asarray(c2.clean, np.float64))
        else:
            truth = circling(np.asarray(c2.clean, np.float64), "coco17", "legs", 1.5, 0.2)
        out.append((c2.name, truth + (np.asarray(c2.noisy, np.float64) - np.asarray(c2.clean, np.float64)), truth))
    return out


def motion_table(args: argparse.Namespace) -> None:
    """Print the seated or cycling table (module docstring)."""
    model = load_model("synsp-coco17")
    rows = []
    print(f"{args.case} {args.view if args.case == 'cycling' else f'azimuth {args.azimuth:g}'}, {args.preset} (px): "
          "input offline stream-before stream | legs: the same | legs from the stream's frame FIRST on: the same")
    for name, x, truth in _clips(args):
        with mock.patch.object(stream_unseen_motion, "SPACES", ()):
            before = StreamingRefiner(model).refine_all(x.astype(np.float32))
        offline = np.full_like(x, np.nan) if args.no_offline else synsp.refine(x, fps=30, layout="coco17")
        ys = [np.asarray(y, np.float64) for y in (x, offline, before,
                                                  StreamingRefiner(model).refine_all(x.astype(np.float32)))]
        later = slice(stream_unseen_motion.FIRST, None)
        row = [_error(y, truth) for y in ys] + [_error(y, truth, LEGS) for y in ys]
        row += [_error(y[later], truth[later], LEGS) if len(x) > stream_unseen_motion.FIRST else np.nan for y in ys]
        rows.append(row)
        print(f"{name:38s} " + " | ".join(" ".join(f"{v:6.2f}" for v in row[k:k + 4]) for k in (0, 4, 8)), flush=True)
    m = np.nanmean(rows, 0)
    worse = [sum(r[k] > r[4] for r in rows) for k in (5, 6, 7)]
    print(f"MEAN {args.case} {args.preset}, {len(rows)} clips: all " + " ".join(f"{v:.2f}" for v in m[:4])
          + " | legs " + " ".join(f"{v:.2f}" for v in m[4:8]) + " | legs worse than input: offline %d, stream before "
          "%d, stream %d" % tuple(worse) + f" | legs from frame {stream_unseen_motion.FIRST} on ("
          f"{sum(len(r) and not np.isnan(r[8]) for r in rows)} clips) " + " ".join(f"{v:.2f}" for v in m[8:]))


def guard_table(args: argparse.Namespace) -> None:
    """Print, per preset and for each of :data:`FIRSTS`, on how many validation clips the stream's step would move a
    frame had it started there: each clip streamed with the step held off (its output the one before the step, bit
    for bit), every call's gate and largest joint ratio read; the step moves a clip from frame N on iff a call there
    reads a ratio over ``ABOVE_NOISE[0]`` with the gate open (until it moves, its stream is the one held off)."""
    model = load_model("synsp-coco17")
    calls: list[tuple[int, float, float]] = []  # (frames given back, the gate, the largest joint ratio)
    step = stream_unseen_motion.RunningUnseenMotion.__call__

    def read(self, outputs, around, at, noise, level):
        out = step(self, outputs, around, at, noise, level)
        gate = clip_gate(np.ones(len(level)) if self.floor.scale is None else self.floor.scale, level)
        floor = np.maximum(noise, FILLED_NOISE * np.median(noise, axis=-1, keepdims=True))
        calls.append((self.count, float(gate.max()), float((sorted_median(self._beyond, axis=0) / floor).max())))
        return out

    for preset in args.guard:
        moved, top = {n: [] for n in FIRSTS}, {n: 0.0 for n in FIRSTS}
        for case in make_cases("val", preset, layout="coco17", space="2d", max_clips=args.clips):
            calls.clear()
            with mock.patch.object(stream_unseen_motion, "FIRST", 10 ** 9), \
                    mock.patch.object(stream_unseen_motion.RunningUnseenMotion, "__call__", read):
                StreamingRefiner(model).refine_all(np.asarray(case.noisy, np.float32))
            for n in FIRSTS:
                ratios = [r for count, gate, r in calls if count >= n and gate > 0]
                top[n] = max([top[n]] + ratios)
                if any(r > ABOVE_NOISE[0] for r in ratios):
                    moved[n].append(case.name)
        for n in FIRSTS:
            print(f"2d {preset}, from frame {n} on{' (the default)' * (n == stream_unseen_motion.FIRST)}: the step "
                  f"would move {len(moved[n])} clips {moved[n]}; the largest ratio with the gate open {top[n]:.2f}",
                  flush=True)


def main() -> None:
    """Parse the arguments and print the table asked for."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--case", choices=("seated", "cycling"), default="seated")
    p.add_argument("--preset", default="jitter")
    p.add_argument("--clips", type=int, default=None, help="the first N validation clips (0: all 65; default 12, "
                   "the guard all)")
    p.add_argument("--azimuth", type=float, default=0.0, help="seated: 0 in profile, 90 from the front")
    p.add_argument("--view", choices=("front", "side"), default="front", help="cycling: the 2D clip's or a side view")
    p.add_argument("--start", type=int, default=0, help="seated: from this clip on (a long run split over jobs)")
    p.add_argument("--no-offline", action="store_true", help="leave offline SynSP out (its column NaN): faster")
    p.add_argument("--guard", nargs="+", default=None)
    args = p.parse_args()
    warnings.filterwarnings("ignore")
    args.clips = (0 if args.guard else 12) if args.clips is None else args.clips
    (guard_table if args.guard else motion_table)(args)


if __name__ == "__main__":
    main()
