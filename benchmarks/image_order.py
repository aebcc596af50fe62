"""An image size given in numpy's (height, width) order (audit 34 finding 8; :mod:`synsp.refining.image_order`).

The VALIDATION split's 2D clips (never the test split; coco17 and h36m17, pixels through the protocol's virtual
cameras, fixed seed) are normalised by an image's sides, as MediaPipe's image landmarks are, and read back with
the sides in the right order (width, height) and swapped (height, width):

- ``tell``: all 65 clips, presets ``clean-ish``, ``typical`` and ``jitter``, images 1920 x 1080, 1080 x 1920 and
  1440 x 1080: the share of clips warned of in each order (the right order: false alarms) and the proportions'
  range (:func:`synsp.refining.image_order.proportions`);
- ``cost``: SynSP (``synsp.refine(..., image_size=)``) on the first 12 clips under ``jitter``, 1920 x 1080: MPJPE in
  the video's pixels with the right order, the swapped one (warned or not), and the warnings counted.

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/image_order.py [--parts tell cost]   # ~2 min
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.refining.image_order import order_note, proportions

IMAGES = ((1920.0, 1080.0), (1080.0, 1920.0), (1440.0, 1080.0))


def tell() -> None:
    """Share of clips warned of, right order and swapped, per layout, preset and image."""
    for layout in ("coco17", "h36m17"):
        for preset in ("clean-ish", "typical", "jitter"):
            cases = make_cases("val", preset, layout=layout, space="2d")
            for w, h in IMAGES:
                counts, tall = np.zeros(2), [[], []]
                for c in cases:
                    norm = np.asarray(c.noisy, np.float64) / [w, h]
                    for i, sides in enumerate((np.array([w, h]), np.array([h, w]))):
                        pixels = norm * sides
                        counts[i] += order_note(pixels, sides) is not None
                        tall[i].append(proportions(pixels))
                right, wrong = np.array(tall[0]), np.array(tall[1])
                print(f"tell {layout} {preset:9s} {w:.0f} x {h:.0f}, {len(cases)} clips: warned right order "
                      f"{counts[0]:.0f}, swapped {counts[1]:.0f} ({counts[1] / len(cases):.0%}) | box height/width "
                      f"right "
                      f"{right[:, 0].min():.2f}-{right[:, 0].max():.2f}, swapped {wrong[:, 0].min():.2f}-"
                      f"{wrong[:, 0].max():.2f}; shoulders/trunk right up to {np.nanmax(right[:, 1]):.2f}, swapped "
                      f"up to {np.nanmax(wrong[:, 1]):.2f}", flush=True)


def cost(clips: int = 12) -> None:
    """SynSP given the right and the swapped image size, MPJPE px in the video's pixels, warnings counted."""
    w, h = 1920.0, 1080.0
    rows, warned = [], np.zeros(2, int)
    for c in make_cases("val", "jitter", layout="coco17", space="2d", max_clips=clips):
        noisy, clean = np.asarray(c.noisy, np.float64), np.asarray(c.clean, np.float64)
        norm, row = noisy / [w, h], [noisy]
        for i, size in enumerate(((w, h), (h, w))):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                row.append(synsp.refine(norm, fps=30, image_size=size) * [w, h])
            warned[i] += any("(height, width)" in str(x.message) for x in caught)
        rows.append([np.nanmean(np.linalg.norm(x - clean, axis=-1)) for x in row])
    m = np.mean(rows, axis=0)
    print(f"cost coco17 jitter {len(rows)} clips, {w:.0f} x {h:.0f}: input {m[0]:.3f} px, image_size (w, h) "
          f"{m[1]:.3f} (warned {warned[0]}), (h, w) {m[2]:.3f} (warned {warned[1]} of {len(rows)})", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--parts", nargs="+", default=["tell", "cost"], choices=["tell", "cost"])
    for part in p.parse_args().parts:
        {"tell": tell, "cost": cost}[part]()


if __name__ == "__main__":
    main()
