"""The world's heading: the same 3D clips turned about the vertical, refined by ``synsp.refine`` and turned back.

Audit 22 (finding 4) turned `typical` validation clips by 0/90/180/270 degrees about the vertical (+Y): the
outputs, turned back, differed by 4.5 mm per clip on average (the largest of the three mean differences to 0
degrees), though no heading was better on average: the network's own non-equivariance. Here, per clip, for
headings 0, 90, 180, 270 degrees and 37 degrees in a Z-up file (about its own vertical): MPJPE (root-relative, mm),
and the largest mean (and largest single) difference between a heading's output, turned back, and heading 0's.
``--no-heading`` refines with ``Refiner.heading = False`` (the network's windows as given; the rest as now).
Run:

    .venv/bin/python benchmarks/world_heading.py [--split val] [--max-clips N] [--no-heading]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.refining.methods import cached_model

Z_UP = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])  # x @ Z_UP.T: the Y-up mocap in a Z-up file


def about_y(degrees: float) -> np.ndarray:
    """(3, 3) rotation about +Y: ``x @ R.T`` turns poses by ``degrees``."""
    a = np.deg2rad(degrees)
    return np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])


TURNS = {"0": np.eye(3), "90": about_y(90), "180": about_y(180), "270": about_y(270),
         "37, Z up": Z_UP @ about_y(37)}  # x @ R.T: turned; y @ R: back


def mpjpe(p: np.ndarray, q: np.ndarray) -> float:
    """Root-relative MPJPE (mm) of (T, J, 3) poses."""
    return float(np.nanmean(np.linalg.norm((p - p[:, :1]) - (q - q[:, :1]), axis=-1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--no-heading", action="store_true", help="the network's windows as given")
    args = parser.parse_args()
    cached_model("synsp-h36m17", None).heading = not args.no_heading
    cases = make_cases(args.split, "typical", max_clips=args.max_clips)
    rows, seconds = [], 0.0
    print("| clip | input | " + " | ".join(f"{k} deg" for k in TURNS) + " | mean diff | max diff |")
    print("|---|" + "---:|" * (len(TURNS) + 3))
    for case in cases:
        noisy = case.noisy.astype(np.float64)
        outs = []
        for turn in TURNS.values():
            start = time.perf_counter()
            outs.append(np.asarray(synsp.refine((noisy @ turn.T).astype(np.float32)), np.float64) @ turn)
            seconds += time.perf_counter() - start
        errors = [mpjpe(o, case.clean) for o in outs]
        diffs = [np.linalg.norm(o - outs[0], axis=-1) for o in outs[1:]]
        row = [mpjpe(noisy, case.clean), *errors, max(float(d.mean()) for d in diffs),
               max(float(d.max()) for d in diffs)]
        rows.append(row)
        print(f"| {case.name} | " + " | ".join(f"{v:.2f}" for v in row) + " |", flush=True)
    mean = np.mean(rows, axis=0)
    cells = " | ".join(f"{v:.2f}" for v in mean[:-1])
    print(f"| **mean of {len(rows)}** | {cells} | {np.max(rows, 0)[-1]:.2f} |")
    print(f"\n{args.split} split, `typical`, heading {'off' if args.no_heading else 'on'}; max diff: the largest over "
          f"clips; refine time {seconds:.1f} s for {len(rows) * len(TURNS)} refinements")


if __name__ == "__main__":
    main()
