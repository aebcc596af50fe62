"""A long gap in the legs: knees and ankles hidden for G frames mid-clip (behind a table, a desk, a car).

The first ``--clips`` validation clips under the ``jitter`` preset (3D h36m17 or 2D coco17, the protocol's cases)
lose their knees and ankles for G frames in the middle (the rest of the body seen). Scored on those joints in those
frames (mm / px, not root-relative): ``synsp.refine(x, fps=30, layout=...)``, a straight line between the input's
frames either side (``np.interp``) and the last pose held; per clip, then the still or slow clips (bow, bye, guide)
and the moving ones (dash, run, walk) apart. ``fired``: the gap's joints the still-gap line
(:mod:`synsp.refining.still_gaps`) took, of 4; ``speed`` and ``path``: what it read of each
(:func:`~synsp.refining.still_gaps.stillness`: body sizes per second, body sizes).

Run (validation only):

    .venv/bin/python benchmarks/long_gaps.py [--space 2d] [--gaps 15,30,60] [--clips 12]
    .venv/bin/python benchmarks/long_gaps.py --guard   # the presets' validation clips holding a missing value

The step changes nothing where no value is missing (its first test), so ``--guard`` counting none under every
preset means the protocol's outputs are bit-identical.
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.refining.still_gaps import stillness
from synsp.sequence import body_size, missing_mask
from synsp.skeleton import bone_tree, get_layout

MOVING = ("dash", "run", "walk")


def _error(a: np.ndarray, b: np.ndarray) -> float:
    """Mean joint distance of (T, J, C) ``a`` from ``b``."""
    return float(np.linalg.norm(a - b, axis=-1).mean())


def main() -> None:
    """Print the table (module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--space", default="3d", choices=("2d", "3d"))
    ap.add_argument("--gaps", default="15,30,60")
    ap.add_argument("--clips", type=int, default=12)
    ap.add_argument("--guard", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    if args.guard:
        for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
            for preset in ("clean-ish", "typical", "hard", "jitter"):
                found = make_cases("val", preset, layout=layout, space=space)
                print(f"{space} {preset}: {len(found)} val clips, holding a missing value: "
                      f"{sum(bool(missing_mask(np.asarray(c.noisy)).any()) for c in found)}", flush=True)
        return
    layout = "coco17" if args.space == "2d" else "h36m17"
    legs = [13, 14, 15, 16] if layout == "coco17" else [2, 3, 5, 6]
    cases = [(c.name, np.asarray(c.noisy, np.float64), np.asarray(c.clean, np.float64))
             for c in make_cases("val", "jitter", layout=layout, space=args.space, max_clips=args.clips)]
    for gap in (int(g) for g in args.gaps.split(",")):
        rows = {"still": [], "moving": []}
        print(f"gap {gap} frames ({args.space}): clip, synsp, line, held, fired, speed, path")
        for name, noisy, clean in cases:
            n = len(noisy)
            if n < gap + 20:
                continue
            s = max(5, (n - gap) // 2)
            x = noisy.copy()
            x[s:s + gap, legs] = np.nan
            y = synsp.refine(x, fps=30, layout=layout)
            t, seen = np.arange(n), np.isfinite(x[:, legs[0], 0])
            line = np.stack([np.interp(t, t[seen], x[seen, j, k]) for j in range(x.shape[1])
                             for k in range(x.shape[2])], -1).reshape(x.shape)
            held = np.repeat(noisy[s - 1:s], gap, 0)
            truth = clean[s:s + gap, legs]
            row = [_error(v[:, legs], truth) for v in (y[s:s + gap], line[s:s + gap], held)]
            # the joints the still-gap step took: their gap frames on a straight line (no second difference)
            fired = sum(bool(np.allclose(np.diff(y[s - 1:s + gap + 1, j], 2, axis=0), 0, atol=1e-6 * np.ptp(clean)))
                        for j in legs)
            missing = ~np.isfinite(x).all(-1)
            parent = {c: p for p, c in bone_tree(get_layout(layout))}
            read = [stillness(y, missing, parent, j, (s, s + gap), body_size(y), 30) for j in legs]
            rows["moving" if any(m in name for m in MOVING) else "still"].append(row)
            print(f"  {name:36s} " + " ".join(f"{v:8.2f}" for v in row) + f"  {fired}/4  speed "
                  + " ".join(f"{r[0]:.3f}" for r in read) + "  path " + " ".join(f"{r[1]:.3f}" for r in read),
                  flush=True)
        for kind, r in rows.items():
            if r:
                m = np.mean(r, 0)
                print(f"MEAN {kind} ({len(r)} clips) gap {gap}: synsp {m[0]:.2f} line {m[1]:.2f} held {m[2]:.2f}; "
                      f"synsp worse than the line on {sum(v[0] > v[1] for v in r)}/{len(r)}")


if __name__ == "__main__":
    main()
