"""Short clips (a sliding buffer, a trimmed gesture): does each refiner keep every frame of them?

The split's clean clips (3D Human3.6M-17 mm; 2D COCO-17 px through the protocol's random cameras,
``make_cases(split, "none")``) are cut into pieces of each ``--frames`` count at three starts (frames 0, 60,
120), given white Gaussian noise (8 mm or 3 px per coordinate, seeded per piece) and refined at 30 fps.
Cells: MPJPE / Accel over the pieces, then the worst frame position's mean error (the middle frame of a
9-frame clip was one, a user audit found: RESULTS section 10, "Short clips"). ``--positions`` adds a table of
each method's mean error on the first three frames, the frames between and the last three. Run:

    .venv/bin/python benchmarks/short_clips.py [--split val] [--clips 8] [--frames 9 10 12 20 40] [--positions]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.metrics import accel_error, mpjpe

METHODS = ("input", "synsp", "smoothnet", "butterworth", "savgol")
NOISE = {"3d": 8.0, "2d": 3.0}
STARTS = (0, 60, 120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--frames", type=int, nargs="+", default=[9, 10, 12, 20, 40])
    parser.add_argument("--positions", action="store_true", help="also each frame position's error: first 3, inside, "
                        "last 3")
    args = parser.parse_args()
    start = time.time()
    print(f"{args.split} split, {args.clips} clips x {len(STARTS)} starts; white noise 8 mm (3D) or 3 px (2D); "
          "MPJPE / Accel (worst frame position's mean error)")
    print("| space | frames | " + " | ".join(METHODS) + " |")
    print("|---|---:|" + "---:|" * len(METHODS))
    positions = []
    for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
        cases = make_cases(args.split, "none", layout=layout, space=space, max_clips=args.clips)
        for frames in args.frames:
            scores = {m: [] for m in METHODS}
            per_frame = {m: [] for m in METHODS}
            for index, case in enumerate(cases):
                for begin in STARTS:
                    clean = np.asarray(case.clean[begin:begin + frames], np.float64)
                    if len(clean) < frames:
                        continue
                    rng = np.random.default_rng([index, begin, frames])
                    noisy = (clean + rng.normal(0.0, NOISE[space], clean.shape)).astype(np.float32)
                    for method in METHODS:
                        out = noisy if method == "input" else synsp.refine(noisy, method, fps=30)
                        out = np.asarray(out, np.float64)
                        scores[method].append((mpjpe(out, clean), accel_error(out, clean)))
                        per_frame[method].append(np.linalg.norm(out - clean, axis=-1).mean(axis=-1))
            cells = []
            for method in METHODS:
                mean = np.mean(scores[method], axis=0)
                cells.append(f"{mean[0]:.2f} / {mean[1]:.2f} ({np.mean(per_frame[method], axis=0).max():.1f})")
            print(f"| {space} | {frames} | " + " | ".join(cells) + " |", flush=True)
            positions += [(space, frames, method, np.mean(per_frame[method], axis=0)) for method in METHODS[1:3]]
    if args.positions:
        print("\nMean error per frame position: frames 1, 2, 3 | the frames between | the last three")
        print("| space | frames | method | first 3 | inside | last 3 |\n|---|---:|---|---|---:|---|")
        for space, frames, method, error in positions:
            print(f"| {space} | {frames} | {method} | {' '.join(f'{e:.1f}' for e in error[:3])} | "
                  f"{error[3:-3].mean():.2f} | {' '.join(f'{e:.1f}' for e in error[-3:])} |")
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
