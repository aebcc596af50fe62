"""Joints not found, written as (0, 0): how the refiners fare when a 2D file marks them that way.

OpenPose, AlphaPose and mmpose exports write (0, 0) for a joint the estimator did not find. The
split's 2D ``typical`` clips with such runs (each joint loses runs of 1-10 frames, about 5 % of
its values), MPJPE (px) against the ground truth for each method: on the input without the
zeros (the reference), with the zeros refined as points (before) and with them read as missing
(now: :func:`synsp.sequence.not_found`, which :func:`synsp.refine` applies). Run:

    .venv/bin/python benchmarks/not_found.py [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.refining.arrays import method_function, refine


def with_zeros(poses: np.ndarray, seed: int, start: float = 0.01, longest: int = 10) -> np.ndarray:
    """(T, J, 2) poses with runs of 1-``longest`` frames per joint set to (0, 0), a run starting at
    each frame with probability ``start``."""
    rng = np.random.default_rng(seed)
    out = poses.copy()
    for t, j in zip(*np.nonzero(rng.random(poses.shape[:2]) < start)):
        out[t : t + rng.integers(1, longest + 1), j] = 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    cases = make_cases(args.split, "typical", layout="coco17", space="2d", max_clips=args.max_clips)
    zeroed = [with_zeros(c.noisy, seed) for seed, c in enumerate(cases)]
    share = np.mean([(z == 0).all(-1).mean() for z in zeroed])
    weights = [len(c.clean) for c in cases]

    def mean(outputs) -> float:
        return float(np.average([np.linalg.norm(o - c.clean, axis=-1).mean() for o, c in zip(outputs, cases)],
                                weights=weights))

    print(f"\n2D, {args.split} split, {len(cases)} clips, `typical`, {100 * share:.1f} % of the joint values "
          "written as (0, 0): MPJPE (px)\n")
    print("| method | input without the zeros | zeros refined as points (before) | zeros read as missing (now) |")
    print("|---|---:|---:|---:|")
    print(f"| input | {mean([c.noisy for c in cases]):.2f} | {mean(zeroed):.2f} | - |")
    for method in ("savgol", "butterworth", "smoothnet", "synsp"):
        as_points = method_function(method)
        print(f"| {method} | {mean([refine(c.noisy, method) for c in cases]):.2f} "
              f"| {mean([as_points(z) for z in zeroed]):.2f} | {mean([refine(z, method) for z in zeroed]):.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
