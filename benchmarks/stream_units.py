"""StreamingRefiner's 3D unit when the first frames show only 1-2 joints: the old rule (the
unit of the first detected frame) against the current one (wait for a frame that shows a
body), as the mean distance from offline refinement after the first 15 frames, in mm.

    PYTHONPATH=src .venv/bin/python benchmarks/stream_units.py [--clips 3]

Validation split, `typical` preset, shipped synsp-h36m17; the first 4 frames show 2 joints,
the next 2 one joint. Input in millimetres and in metres.
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference.streaming import StreamingRefiner
from synsp.sequence import mm_per_unit


def stream(refiner, x: np.ndarray, **options) -> np.ndarray:
    return StreamingRefiner(refiner, **options).refine_all(x)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    refiner = synsp.load_model("synsp-h36m17", device="cpu")
    print("| input | clip | old rule (first frame) | current (a body) | mm_per_unit given |")
    print("|---|---|---:|---:|---:|")
    for case in make_cases("val", "typical", max_clips=args.clips):
        for unit, scale in (("mm", 1.0), ("m", 0.001)):
            x = case.noisy[: args.frames].astype(np.float32) * np.float32(scale)
            x[:4, 2:] = np.nan
            x[4:6, 1:] = np.nan
            offline = refiner.refine(x)
            gaps = []
            for options in ({"mm_per_unit": mm_per_unit(x[0])}, {}, {"mm_per_unit": 1 / scale}):
                out = stream(refiner, x, **options)
                gaps.append(np.linalg.norm(out[15:] - offline[15:], axis=-1).mean() / scale)
            print(f"| {unit} | {case.name} | " + " | ".join(f"{g:.1f}" for g in gaps) + " |")


if __name__ == "__main__":
    main()
