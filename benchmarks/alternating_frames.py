"""Alternating frames (audit 28's error kind): every other frame from another box, on clean and noisy clips.

A tracker that detects on even frames and tracks on odd ones (two boxes in turn) reads the body on odd frames
scaled about its root (3D) or about its box centre and shifted (2, 4) px (2D), as ``unseen_errors.alternating``
makes it; here in three signs, since which box is right no refiner can tell: ``odd larger`` (3D x1.04, 2D box x1.03:
audit 28's case), ``odd smaller`` (x0.96, x0.97 and shifted back) and ``both halfway`` (even frames half of it one
way, odd frames half the other: the boxes' mean is the truth). Bases: the validation clip itself (``clean``: the
alternation alone), the simulator's ``jitter`` estimate (:func:`synsp.evaluation.protocol.make_cases`), or white
noise of N mm / px (``white:N``). Scores: MPJPE (3D root-relative mm, 2D px) frame-weighted over clips, through
``synsp.refine`` (30 fps) as ``benchmarks/unseen_errors.py`` runs it. ``--off``: the alternation step
(:mod:`synsp.inference.alternation`) never opens, the route before it. Validation split only. Run::

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/alternating_frames.py --max-clips 12 --base clean
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp.inference.alternation as alternation_step
from synsp.evaluation.protocol import Case, make_cases
from synsp.skeleton import root_position
from unseen_errors import LAYOUT, Change, refined, scored

SIGNS = {"odd larger": (0.0, 1.0), "odd smaller": (0.0, -1.0), "both halfway": (-0.5, 0.5)}
SCALE = {"3d": 0.04, "2d": 0.03}
SHIFT = {"3d": 0.0, "2d": np.array([2.0, 4.0])}
METHODS = ("smoothnet", "synsp")


def other_box(clean: np.ndarray, space: str) -> np.ndarray:
    """(T, J, C): how far the other box moves each joint of ``clean`` (3D about the root, 2D about the box centre)."""
    if space == "3d":
        about = clean - root_position(clean, LAYOUT[space])
    else:
        about = clean - (clean.min(axis=1, keepdims=True) + clean.max(axis=1, keepdims=True)) / 2
    return SCALE[space] * about + SHIFT[space]


def estimate(case: Case, base: str, space: str, sign: str, rng: np.random.Generator) -> np.ndarray:
    """The base estimate of ``case`` with the boxes alternating as ``sign`` says, (T, J, C) float32."""
    if base == "clean":
        x = case.clean.astype(np.float64)
    elif base == "jitter":
        x = case.noisy.astype(np.float64)
    else:
        x = case.clean + float(base.split(":")[1]) * rng.standard_normal(case.clean.shape)
    even, odd = SIGNS[sign]
    move = other_box(case.clean.astype(np.float64), space)
    x[0::2] += even * move[0::2]
    x[1::2] += odd * move[1::2]
    return x.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12, help="the first N validation clips (0 = all 65)")
    parser.add_argument("--base", default="clean", help="clean, jitter or white:N (mm / px)")
    parser.add_argument("--spaces", nargs="+", default=["3d", "2d"], choices=list(LAYOUT))
    parser.add_argument("--off", action="store_true", help="the alternation step never opens (the route before)")
    args = parser.parse_args()
    if args.off:
        alternation_step.SHARE_RAMP = (2.0, 3.0)  # a share of the noise reading never reached
    for space in args.spaces:
        cases = make_cases("val", "jitter", layout=LAYOUT[space], space=space, max_clips=args.max_clips)
        change = Change("alternating", space)  # scored as unseen_errors scores it: 3D about the root
        rng = np.random.default_rng(0)
        rows = {m: [] for m in ("input", *METHODS)}
        for sign in SIGNS:
            sums = dict.fromkeys(rows, 0.0)
            for case in cases:
                x = estimate(case, args.base, space, sign, rng)
                for method in rows:
                    out = x if method == "input" else refined(x, method, space)
                    sums[method] += scored(out, case.clean, change)["MPJPE"] * len(x)
            frames = sum(len(c.clean) for c in cases)
            for method in rows:
                rows[method].append(sums[method] / frames)
        unit = "mm" if space == "3d" else "px"
        print(f"### {space}, base {args.base}{' (step off)' if args.off else ''}: {len(cases)} val clips, "
              f"MPJPE {unit}\n\n| method | " + " | ".join(SIGNS) + " |\n|---|" + "---:|" * len(SIGNS))
        for method, values in rows.items():
            print(f"| {method} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
        print(flush=True)


if __name__ == "__main__":
    main()
