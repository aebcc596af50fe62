"""What each error preset does to real mocap: the input errors a refiner starts from.

For every preset, every clip of a split (default: test) is corrupted with a fixed seed, its
missing joints are filled by linear interpolation, and the raw estimate is scored against the
ground truth:

- 3D: h36m17, root-relative (pelvis subtracted from both), millimetres: MPJPE, PA-MPJPE, Accel
  (mm/frame^2), and the MPJPE of the error's slow part (the error low-passed by a Gaussian
  filter, sigma 3 frames, window 31): what smoothing alone cannot remove;
- 2D: the same clips in COCO-17 projected through random virtual cameras (fixed seed), pixels:
  MPJPE, PA-MPJPE (2D similarity), Accel (px/frame^2) and the same slow-part MPJPE.

The inputs are exactly those the accuracy benchmark scores (``synsp.evaluation.protocol.make_cases``).

Scores are frame-weighted means over clips, at the mocap's 30 fps. Run::

    .venv/bin/python benchmarks/presets.py [--split test] [--seed 7]

and it prints a markdown table.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synsp.data.simulator import PRESETS
from synsp.evaluation.protocol import EVAL_SEED, make_cases
from synsp.filters import gaussian
from synsp.metrics import accel_error, mpjpe, pa_mpjpe


def score(noisy: np.ndarray, clean: np.ndarray) -> dict[str, float]:
    """Input MPJPE, PA-MPJPE, Accel, and the MPJPE of the error's slow part.

    The slow part is the error low-passed by a Gaussian filter (an oracle smoother that
    removes the fast error but leaves the true motion intact): no smoothing can go below it.
    """
    slow = clean + gaussian(noisy - clean, sigma=3.0, window=31)  # the 3 frames this oracle was always measured with
    return {"MPJPE": mpjpe(noisy, clean), "PA-MPJPE": pa_mpjpe(noisy, clean), "Accel": accel_error(noisy, clean),
            "MPJPE slow": mpjpe(slow, clean)}


def run(split: str = "test", seed: int = EVAL_SEED) -> str:
    """The table, from exactly the inputs the accuracy benchmark scores (``evaluate.make_cases``)."""
    rows = ["| preset | space | MPJPE | PA-MPJPE | Accel | MPJPE of the slow error |", "|---|---|---:|---:|---:|---:|"]
    for preset in PRESETS:
        for space, layout, unit in (("3d", "h36m17", "mm"), ("2d", "coco17", "px")):
            cases = make_cases(split, preset, layout=layout, space=space, seed=seed)
            frames = np.array([len(c.clean) for c in cases], float)
            per_clip = [score(c.noisy, c.clean) for c in cases]
            mean = {k: float(np.average([s[k] for s in per_clip], weights=frames)) for k in per_clip[0]}
            rows.append(f"| {preset} | {space.upper()} {layout} ({unit}) | {mean['MPJPE']:.1f} | "
                        f"{mean['PA-MPJPE']:.1f} | {mean['Accel']:.2f} | {mean['MPJPE slow']:.1f} |")
    head = (f"Input errors of the simulated estimators ({split} split: {len(cases)} clips, {int(frames.sum())} frames, "
            f"30 fps, seed {seed}; 3D root-relative mm, 2D pixels through random virtual cameras; "
            "Accel per frame^2; missing joints filled linearly).")
    return head + "\n\n" + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--seed", type=int, default=EVAL_SEED)
    args = parser.parse_args()
    start = time.time()
    print(run(args.split, args.seed))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
