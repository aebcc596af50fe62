"""One-Euro's body size (the scale of its speed term, ``body_beta`` per size per second): audit 34's findings 4
and 6, on the VALIDATION split (never the test split), each clip corrupted once with the fixed seed.

- ``guard``: One-Euro (defaults, 30 fps) on the 65 validation clips as they are, ``clean-ish`` and ``typical``,
  2D (coco17, px) and 3D (h36m17, mm): the mean MPJPE and a digest of every output (bit-identity before/after);
- ``track``: a single tracked joint (J=1: the left wrist) and two (J=2: both wrists), ``jitter``, 2D and 3D;
- ``first``: frame 0 with one joint astray (the left ankle +600 px, a false keypoint) or with only the face
  seen, 2D ``jitter``; scored over frames 1.. ;
- ``cost``: the streaming filter's time per frame (one person, 17 joints, 2D; the median frame, median of 5 runs
  of 300 frames), over the first second (where the size is read) and after it. A frame out per frame in.

    .venv/bin/python benchmarks/one_euro_size.py [--parts guard track first] [--clips N]   # about two minutes
"""
from __future__ import annotations

import argparse
import hashlib
import time

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.filters import OneEuroFilter, one_euro

WRISTS = {"coco17": [9, 10], "h36m17": [13, 16]}  # left, right
LAYOUTS = (("coco17", "2d", "px"), ("h36m17", "3d", "mm"))


def _mpjpe(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.nanmean(np.linalg.norm(a - b, axis=-1)))


def guard(clips: int) -> None:
    """Mean MPJPE of the input and of One-Euro, and a digest of One-Euro's outputs, per layout and preset."""
    for layout, space, unit in LAYOUTS:
        for preset in ("clean-ish", "typical"):
            cases = make_cases("val", preset, layout=layout, space=space, max_clips=clips)
            digest, rows = hashlib.sha1(), []
            for c in cases:
                out = one_euro(np.asarray(c.noisy, np.float64), fps=30.0)
                digest.update(np.ascontiguousarray(out).tobytes())
                rows.append((_mpjpe(c.noisy, c.clean), _mpjpe(out, c.clean)))
            m = np.mean(rows, axis=0)
            print(f"guard {layout} {space} {preset:9s} {len(cases)} clips: input {m[0]:.3f} one-euro {m[1]:.4f} "
                  f"{unit}  digest {digest.hexdigest()[:16]}", flush=True)


def track(clips: int) -> None:
    """One-Euro on the left wrist alone (J=1) and on both wrists (J=2), ``jitter``."""
    for layout, space, unit in LAYOUTS:
        rows = []
        for c in make_cases("val", "jitter", layout=layout, space=space, max_clips=clips):
            noisy, clean = np.asarray(c.noisy, np.float64), np.asarray(c.clean, np.float64)
            row = []
            for s in (WRISTS[layout][:1], WRISTS[layout]):
                row += [_mpjpe(noisy[:, s], clean[:, s]), _mpjpe(one_euro(noisy[:, s], fps=30.0), clean[:, s])]
            rows.append(row)
        m, worst = np.mean(rows, axis=0), np.max(np.array(rows)[:, [1, 3]] / np.array(rows)[:, [0, 2]], axis=0)
        print(f"track {layout} {space} jitter {len(rows)} clips ({unit}): J=1 input {m[0]:.2f} one-euro {m[1]:.2f} "
              f"(worst clip {worst[0]:.2f} x input) | J=2 input {m[2]:.2f} one-euro {m[3]:.2f} "
              f"(worst {worst[1]:.2f} x)", flush=True)


def first(clips: int) -> None:
    """Frame 0 as it is, with the left ankle 600 px astray, with only the face seen; frames 1.. scored."""
    rows = []
    for c in make_cases("val", "jitter", layout="coco17", space="2d", max_clips=clips):
        noisy, clean = np.asarray(c.noisy, np.float64), np.asarray(c.clean, np.float64)
        astray, face = noisy.copy(), noisy.copy()
        astray[0, 15] += 600.0
        face[0, 5:] = np.nan
        rows.append([_mpjpe(noisy[1:], clean[1:])]
                    + [_mpjpe(one_euro(x, fps=30.0)[1:], clean[1:]) for x in (noisy, astray, face)])
    m = np.mean(rows, axis=0)
    print(f"first coco17 2d jitter {len(rows)} clips (px, frames 1..): input {m[0]:.3f} | one-euro: frame 0 as it "
          f"is {m[1]:.3f}, its left ankle +600 px {m[2]:.3f}, only its face seen {m[3]:.3f}", flush=True)


def cost() -> None:
    """Microseconds per frame of :class:`OneEuroFilter` over its first second and after it."""
    frames = np.random.default_rng(0).normal(300.0, 50.0, (300, 17, 2))
    runs = []
    for _ in range(5):
        f, spent = OneEuroFilter(fps=30.0), []
        for frame in frames:
            start = time.perf_counter()
            f(frame)
            spent.append(time.perf_counter() - start)
        runs.append([np.median(spent[1:31]), np.median(spent[31:])])  # medians: a busy machine preempts
    first_s, after = 1e6 * np.median(runs, axis=0)
    print(f"cost OneEuroFilter, 17 joints 2D: {first_s:.0f} us per frame over the first second, {after:.0f} after",
          flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--parts", nargs="+", default=["guard", "track", "first", "cost"],
                   choices=["guard", "track", "first", "cost"])
    p.add_argument("--clips", type=int, default=0, help="validation clips for track and first (0: all 65)")
    args = p.parse_args()
    for part in args.parts:
        {"guard": lambda: guard(0), "track": lambda: track(args.clips), "first": lambda: first(args.clips),
         "cost": cost}[part]()


if __name__ == "__main__":
    main()
