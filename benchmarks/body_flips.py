"""Whole-body left/right flips undone on or off (validation split): the input's MPJPE after the
measurement step (:func:`synsp.estimator_errors.measurements.measurements`) and the pair-frames it
exchanged back, with :func:`synsp.estimator_errors.inversions._with_the_body` off and on in the
given space. "flipped": every label exchanged (``Layout.flip_index``) for 4 frames at a quarter,
half and three quarters of each clip, for 30 frames (1 s) from a third, or for 4 frames from a
third of the clean clip; the last row counts exchanges where there is none (clean, 3x fast,
white noise of 20 mm or 4 px, 2x fast plus that noise). ``--twice``: the measurement step run
again on its own values, inversions read anew, as the routes after it do (a converted track's
SynSP and SmoothNet, :func:`synsp.refining.arrays.refine_track`). benchmarks/RESULTS.md, section 4. Run:

    .venv/bin/python benchmarks/body_flips.py [--space 2d|3d] [--layout h36m17] [--split val] [--twice]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp.estimator_errors.inversions as inversions
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases, score
from synsp.skeleton import get_layout


def flipped(x: np.ndarray, flip: np.ndarray, starts: list[int], length: int) -> np.ndarray:
    """``x`` (T, J, C) with every left/right label exchanged for ``length`` frames from each of ``starts``."""
    x = x.copy()
    for s in starts:
        x[s:s + length] = x[s:s + length][:, flip]
    return x


def rows(split: str, layout: str, space: str) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """Row name -> (input, truth) pairs of every clip."""
    flip = get_layout(layout).flip_index
    unit = 20.0 if space == "3d" else 4.0
    rng = np.random.default_rng(0)
    cases = {p: make_cases(split, p, layout=layout, space=space) for p in ("typical", "hard", "jitter", "none")}
    out = {p: [(c.noisy, c.clean) for c in cases[p]] for p in ("typical", "hard", "jitter")}
    out["jitter, flipped 4 frames x 3"] = [(flipped(c.noisy, flip, [len(c.noisy) * k // 4 for k in (1, 2, 3)], 4),
                                            c.clean) for c in cases["jitter"]]
    out["jitter, flipped 1 s"] = [(flipped(c.noisy, flip, [len(c.noisy) // 3], 30), c.clean) for c in cases["jitter"]]
    out["clean, flipped 4 frames"] = [(flipped(c.clean, flip, [len(c.clean) // 3], 4), c.clean) for c in cases["none"]]
    plain = [c.clean for c in cases["none"]]
    out["no flip: clean / 3x fast / white / 2x fast + white"] = [  # truth None: exchanges counted only
        (x, None) for x in (*plain, *(c[::3] for c in plain), *(c + rng.normal(0, unit, c.shape) for c in plain),
                            *(c[::2] + rng.normal(0, unit, c[::2].shape) for c in plain))]
    return out


def measure(pairs: list[tuple[np.ndarray, np.ndarray]], layout: str, space: str, twice: bool = False) -> str:
    """'MPJPE (pair-frames exchanged)': the clips' mean MPJPE; the count alone without truth."""
    errors, exchanged = [], 0
    for noisy, clean in pairs:
        measured = measurements(noisy, get_layout(layout))
        exchanged += measured.inverted
        if twice:
            measured = measurements(measured.values, get_layout(layout))
            exchanged += measured.inverted
        if clean is not None:
            errors.append(score(measured.values, clean, layout=layout, space=space)["MPJPE"])
    return f"{np.mean(errors):.3f} ({exchanged})" if errors else f"({exchanged})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["2d", "3d"], default="3d")
    parser.add_argument("--layout", default=None, help="default: h36m17 in 3D, coco17 in 2D")
    parser.add_argument("--split", default="val")
    parser.add_argument("--twice", action="store_true", help="measure the measured values again")
    args = parser.parse_args()
    layout = args.layout or ("h36m17" if args.space == "3d" else "coco17")
    dims = 3 if args.space == "3d" else 2
    title = f"{layout} ({args.space}, {args.split}{', twice' if args.twice else ''})"
    print(f"| {title} | whole-body rule off | on |\n|---|---|---|")
    for name, pairs in rows(args.split, layout, args.space).items():
        figures = []
        for on in (False, True):
            inversions.WHOLE_BODY = tuple(sorted({*inversions.WHOLE_BODY, dims} if on else
                                                 {*inversions.WHOLE_BODY} - {dims}))
            figures.append(measure(pairs, layout, args.space, args.twice))
        print(f"| {name} | {figures[0]} | {figures[1]} |", flush=True)


if __name__ == "__main__":
    main()
