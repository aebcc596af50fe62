"""Normalised image coordinates of an image that is not square: x / width and y / height.

The validation split's 2D clips (pixels through random virtual cameras) are divided by the sides
of a 1920 x 1080 (landscape), 1080 x 1920 (portrait) and 1000 x 1000 image, refined by the shipped
SynSP and SmoothNet models as a file of normalised coordinates would be, and scored in pixels
(the output times the image's sides) against the clean poses, x input; beside them SynSP on the
pixels, and SynSP given the image's sides (``synsp.refine(..., image_size=(w, h))``, ``synsp refine
--image-size W H``), which refines the pixels and gives them back normalised (benchmarks/RESULTS.md,
section 11, "Normalised coordinates of an image that is not square")::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/image_aspect.py [--max-clips 12]
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from synsp.evaluation.protocol import evaluate, make_cases
from synsp.inference.checkpoint import load_model
from synsp.refining.arrays import refine

IMAGES = ((1920, 1080), (1080, 1920), (1000, 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-clips", type=int, default=12)
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    synsp, smoothnet = load_model("synsp-coco17"), load_model("smoothnet-coco17")
    print(f"val split, first {args.max_clips} clips, 2D; MPJPE x input\n")
    print("| preset | image (w x h) | SynSP, pixels | SynSP, normalised | SynSP, normalised, image size given "
          "| SmoothNet, normalised |")
    print("|---|---|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases("val", preset, layout="coco17", space="2d", max_clips=args.max_clips)
        for w, h in IMAGES:
            sides = np.array([w, h], np.float32)
            methods = {"pixels": synsp.refine, "normalised": lambda x: synsp.refine(x / sides) * sides,
                       "given": lambda x: refine(x / sides, image_size=(w, h)) * sides,
                       "smoothnet": lambda x: smoothnet.refine(x / sides) * sides}
            scores = evaluate(methods, cases, layout="coco17", space="2d")
            ratios = [scores[m]["MPJPE"] / scores["input"]["MPJPE"] for m in methods]
            print(f"| `{preset}` | {w} x {h} | " + " | ".join(f"{v:.3f}" for v in ratios) + " |", flush=True)


if __name__ == "__main__":
    main()
