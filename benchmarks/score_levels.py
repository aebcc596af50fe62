"""Joints scored low all clip long vs an estimator's misses: the threshold alone against a steady joint's own level.

On the VALIDATION split (choices only), COCO-17 2D under ``typical``, a score per joint put on the noisy poses as
x, y, score (C = 3) and refined by ``synsp.refine`` (the file route reads scores alike: ``scores_to_missing``):

- ``steady S``: the 8 left-side joints (the far side of a side view) scored S in every frame, the rest 0.9; their
  positions as noisy as the rest;
- ``steady 0.25 +-0.1``: the same with each frame's score drawn from 0.15-0.35 (it crosses 0.3 now and then);
- ``garbage 0.2``: the left joints scored 0.2 and their positions thrown off by a slow random walk (a joint out of
  the picture the estimator guesses at): what reading them as measurements costs the confident joints;
- ``hidden``: every joint 0.85-0.95, the right elbow and wrist hidden in runs of 30-60 frames 15-30 apart (some
  two thirds of the clip), scored 0.1-0.29 there and placed on the left arm's joints (the estimator's guess):
  scored low in most frames, but at two levels, so read frame by frame as before;
- ``bursts``: every joint 0.85-0.95, and 8 stretches of 5-15 frames per clip where one joint is scored 0.1 and its
  position off by 40 px (the estimator's misses): must be refined as before.

Each case is refined twice: ``threshold`` (the rule before: a value scored below 0.3 is missing, and a joint never
above it is given back as it came) and ``own level`` (:func:`synsp.score_levels.measured_by_score`, today's).
Printed: mean error (px) of the low-scored joints and of the confident ones, input -> output.

Run (about 4 minutes on one thread for 6 clips)::

    .venv/bin/python benchmarks/score_levels.py --clips 6
    .venv/bin/python benchmarks/score_levels.py --guard      # benchmarks/low_scores.py's misses: none read so
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

import synsp
import synsp.refining.arrays as arrays
from synsp.evaluation.protocol import make_cases
from synsp.score_levels import steady_levels
from synsp.sequence import MIN_SCORE

LEFT = [1, 3, 5, 7, 9, 11, 13, 15]  # COCO-17's left eye, ear, shoulder, elbow, wrist, hip, knee, ankle


@contextmanager
def threshold_only() -> Iterator[None]:
    """The rule before: every value scored below the threshold is missing, whatever the joint's own level."""
    original = arrays.measured_by_score
    arrays.measured_by_score = lambda scores, threshold, seen=None: np.asarray(scores) >= threshold
    try:
        yield
    finally:
        arrays.measured_by_score = original


def scored(noisy: np.ndarray, case: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(T, 17, 3) x, y, score for ``case`` and the (T, 17) mask of the low-scored values."""
    t_count = len(noisy)
    poses, scores = noisy.copy(), np.full(noisy.shape[:2], 0.9)
    low = np.zeros(noisy.shape[:2], bool)
    if case.startswith("steady") or case.startswith("garbage"):
        level = float(case.split()[1])
        scores[:, LEFT] = level + (rng.uniform(-0.1, 0.1, (t_count, len(LEFT))) if "+-" in case else 0.0)
        low[:, LEFT] = True
        if case.startswith("garbage"):  # a slow random walk of some 30 px by the clip's end
            walk = np.cumsum(rng.normal(0.0, 30.0 / np.sqrt(t_count), (t_count, len(LEFT), 2)), axis=0)
            poses[:, LEFT] += walk
    elif case.startswith("hidden"):  # seen, then hidden in runs over 60% of the clip, guessed on the other arm
        scores = rng.uniform(0.85, 0.95, noisy.shape[:2])
        t = int(rng.integers(0, 20))
        while t < t_count:
            run = slice(t, t + int(rng.integers(30, 60)))
            n = len(poses[run])
            poses[run, [8, 10]] = noisy[run][:, [7, 9]]
            scores[run, [8, 10]] = rng.uniform(0.1, 0.29, (n, 2))
            low[run, [8, 10]] = True
            t = run.stop + int(rng.integers(15, 30))
    else:  # bursts
        scores = rng.uniform(0.85, 0.95, noisy.shape[:2])
        for _ in range(8):
            j, n = int(rng.integers(17)), int(rng.integers(5, 16))
            start = int(rng.integers(0, max(1, t_count - n)))
            scores[start:start + n, j] = 0.1
            poses[start:start + n, j] += 40.0
            low[start:start + n, j] = True
    return np.concatenate([poses, scores[..., None]], axis=-1), low


def error(a: np.ndarray, clean: np.ndarray, mask: np.ndarray) -> float:
    """Mean joint distance (px) over the values in ``mask`` (T, J)."""
    return float(np.linalg.norm(a[..., :2] - clean, axis=-1)[mask].mean())


def guard(clips: int) -> None:
    """How many joints of benchmarks/low_scores.py's cases (runs of an estimator's misses, 15-45 frames scored
    0.1-0.29, and the simulator's misses) are read at their own level: none, or their outputs changed."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from low_scores import LIMBS, clip_names, make

    names, fired, joints = clip_names("val", clips), 0, 0
    for case in ("noisy", "spot", "other", "sim"):
        for limb in LIMBS if case != "sim" else ["every joint"]:
            for i, name in enumerate(names):
                _, xy, scores = make(i, name, LIMBS.get(limb, []), case)
                fired += int(np.isfinite(steady_levels(scores, MIN_SCORE, np.isfinite(xy).all(-1))).sum())
                joints += scores.shape[-1]
    print(f"low_scores.py's cases on {len(names)} val clips: {fired} of {joints} joints read at their own level")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6, help="validation clips (of 65)")
    parser.add_argument("--guard", action="store_true", help="only count the joints read at their own level in "
                        "benchmarks/low_scores.py's cases (8 clips)")
    args = parser.parse_args()
    if args.guard:
        return guard(8)
    cases = make_cases("val", "typical", layout="coco17", space="2d", max_clips=args.clips)
    kinds = ["steady 0.1", "steady 0.2", "steady 0.25", "steady 0.35", "steady 0.25 +-0.1", "garbage 0.2", "hidden",
             "bursts"]
    print(f"{'case':<20} {'rule':<11} {'low-scored in -> out':>22} {'confident in -> out':>22}")
    for kind in kinds:
        rows: dict[str, list] = {"threshold": [], "own level": []}
        same = True
        for k, case in enumerate(cases):
            rng = np.random.default_rng(k)
            clean = np.asarray(case.clean, np.float64)
            x, low = scored(np.asarray(case.noisy, np.float64), kind, rng)
            with threshold_only():
                before = synsp.refine(x, fps=30)
            after = synsp.refine(x, fps=30)
            same &= bool(np.array_equal(before, after, equal_nan=True))
            for rule, out in (("threshold", before), ("own level", after)):
                rows[rule].append([error(x, clean, low), error(out, clean, low),
                                   error(x, clean, ~low), error(out, clean, ~low)])
        for rule, values in rows.items():
            m = np.mean(values, axis=0)
            print(f"{kind:<20} {rule:<11} {m[0]:9.2f} -> {m[1]:7.2f}    {m[2]:9.2f} -> {m[3]:7.2f}"
                  + (f"   identical outputs: {same}" if rule == "own level" else ""), flush=True)


if __name__ == "__main__":
    main()
