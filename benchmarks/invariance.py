"""The same poses give the same output: how far SynSP's output moves when only their form changes.

A refinement should not depend on where the origin is, the unit, or a change far below the
estimator's own precision (float32 rounds a value near 1000 by up to 3e-5). For the first
``--clips`` validation clips under `typical` (2D COCO-17 in pixels, 3D H36M-17 in mm),
``synsp.refine`` of the poses and of the same poses

- moved by (+500, -300) px / (+1000, 0, -500) mm (the output moved back),
- in metres (3D) or at 1.5 x the image's resolution (2D; the output scaled back),
- with white noise of 1e-4 px / mm added,

and the mean and largest distance between the two outputs (px / mm), with the network in float32
(the default) and in int8 (``quantize=True``, the default until 2026-12-05), one run.

    .venv/bin/python benchmarks/invariance.py [--clips 6]
"""
from __future__ import annotations

import argparse
from typing import Callable

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.refining.methods import network_model

Change = Callable[[np.ndarray], tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]]


def changes(space: str) -> dict[str, Change]:
    """Name -> (poses -> (changed poses, output -> output in the poses' own form))."""
    shift = np.array([500.0, -300.0] if space == "2d" else [1000.0, 0.0, -500.0])
    scale = 1.5 if space == "2d" else 0.001
    noise = np.random.default_rng(0)
    return {
        "moved": lambda x: ((x + shift).astype(np.float32), lambda y: y - shift),
        "1.5 x resolution" if space == "2d" else "metres": lambda x: ((x * scale).astype(np.float32),
                                                                      lambda y: y / scale),
        "noise of 1e-4": lambda x: ((x + noise.normal(0, 1e-4, x.shape)).astype(np.float32), lambda y: y),
    }


def distances(space: str, layout: str, clips: int) -> dict[str, list[np.ndarray]]:
    """Change name -> per clip, the distances (T, J) between the outputs."""
    out: dict[str, list[np.ndarray]] = {}
    for case in make_cases("val", "typical", layout=layout, space=space, max_clips=clips):
        x = case.noisy.astype(np.float32)
        base = synsp.refine(x, layout=layout, fps=30)
        for name, change in changes(space).items():
            changed, back = change(x)
            other = back(np.asarray(synsp.refine(changed, layout=layout, fps=30), np.float64))
            out.setdefault(name, []).append(np.linalg.norm(other - base, axis=-1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    args = parser.parse_args()
    for space, layout, unit in (("2d", "coco17", "px"), ("3d", "h36m17", "mm")):
        model = network_model("synsp", 2 if space == "2d" else 3)
        float32 = distances(space, layout, args.clips)
        model.quantize()  # the cached model synsp.refine runs, now in int8
        int8 = distances(space, layout, args.clips)
        print(f"\n{space.upper()} ({layout}, {unit}), {args.clips} validation clips, `typical`: the outputs' distance, "
              "mean / max\n")
        print("| change | float32 (default) | int8 |\n|---|---:|---:|")
        for name in float32:
            cells = [f"{np.mean(np.concatenate([d.ravel() for d in ds])):.4f} / {max(d.max() for d in ds):.4f}"
                     for ds in (float32[name], int8[name])]
            print(f"| {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
