"""Arms reaching up to a bar, read as limbs astray: the reach test of :mod:`synsp.estimator_errors.astray_limbs`.

A hand reaching a bar over a few frames and letting go 40 frames later (``real_holds.py``'s ``hang``) moves its arm
bones far in a frame at both ends, opposed, the limb held apart between: the limbs-astray step read it as an arm on a
neighbour and filled both arms from where they hung before and after. In 2D its jumps now must not be a reach's
fastest step (the bone's steps just before and after both over ``RAMP`` times it). Prints, per preset, the held arms'
values the step took out on the hold and its reach, with the reach test off (``RAMP`` infinite: as before it) and on,
and on how many cases. ``--guard``: the validation clips as the protocol corrupts them (65, 2D, ``clean-ish``,
``typical``, ``jitter``, ``hard``): the clips whose limbs astray differ with the test off (none: the protocol's outputs
are the same; 3D reads no reach test). Run::

    .venv/bin/python benchmarks/reach_astray.py [--reach 4] [--cameras 1] [--frames 40] [--presets clean-ish tremble]
    .venv/bin/python benchmarks/reach_astray.py --guard
"""
from __future__ import annotations

import argparse
import warnings
from unittest import mock

import numpy as np

from real_holds import held
from synsp.data.mocap import load_clips
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import load_split
from synsp.estimator_errors import astray_limbs as straying
from synsp.estimator_errors.measurements import measure
from synsp.evaluation.protocol import EVAL_SEED, make_cases
from synsp.skeleton import get_layout

ARMS = [7, 8, 9, 10]  # coco17 elbows and wrists


def both(noisy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, J) limbs astray of ``noisy`` (T, J, 2) px with the reach test off, and on."""
    lay = get_layout("coco17")
    with mock.patch.object(straying, "RAMP", np.inf):
        off = measure(noisy, lay).astray
    return off, measure(noisy, lay).astray


def guard() -> None:
    """Print, per protocol preset, the validation clips whose limbs astray the reach test changes (2D)."""
    for preset in ("clean-ish", "typical", "jitter", "hard"):
        changed = [case.name for case in make_cases("val", preset, layout="coco17", space="2d")
                   if not np.array_equal(*both(np.asarray(case.noisy, np.float64)))]
        print(f"2d {preset}: {len(changed)} of 65 clips changed: {', '.join(changed) or '-'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["clean-ish"])
    parser.add_argument("--clips", type=int, default=65)
    parser.add_argument("--cameras", type=int, default=1)
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--reach", type=int, default=4)
    parser.add_argument("--guard", action="store_true", help="the validation clips as the protocol corrupts them")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.guard:
        guard()
        return
    names = load_split("val")[: args.clips]
    clips = load_clips(names, layout="coco17")
    for preset in args.presets:
        error_model = get_preset("jitter" if preset == "tremble" else preset)
        counts, cases = np.zeros(2, int), np.zeros(2, int)
        for i, clip in enumerate(clips):
            hold = held(clip, "coco17", "hang", args.frames, args.reach)
            if hold is None:
                continue
            moved, run = hold
            for view in range(args.cameras):
                rng = np.random.default_rng([EVAL_SEED, i, view])  # real_holds.py's draws: the same cases
                noisy, clean = (np.asarray(a, np.float64) for a in estimate(
                    moved, clips[rng.integers(len(clips))], rng, preset=error_model, layout="coco17", space="2d"))
                if preset == "tremble":  # no error but +-0.5 px: a still joint read as well as an estimator could
                    noisy = clean + rng.uniform(-0.5, 0.5, clean.shape)
                near = slice(max(run.start - args.reach - 1, 0), run.stop + args.reach + 1)
                taken = np.array([int(a[near][:, ARMS].sum()) for a in both(noisy)])
                counts, cases = counts + taken, cases + (taken > 0)
        print(f"2d hang {preset} reach {args.reach} frames {args.frames} cameras {args.cameras}: held arms' values "
              f"taken out as astray, reach test off {counts[0]} ({cases[0]} cases), on {counts[1]} ({cases[1]} "
              f"cases)", flush=True)


if __name__ == "__main__":
    main()
