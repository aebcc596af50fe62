"""A clip's first and last frames: each refiner's error by frame position, and how far a clip's refinement is from
that of its reversal and of its mirror image (audit 22, finding 5; RESULTS section 10, "A clip's first and last
frames").

The protocol's cases (``make_cases(split, preset)``, whole clips, seed 7); each clip refined as given, time-reversed
(``--reversed``) and mirrored left/right with every left/right label exchanged (``--mirrored``; 2D within a picture
2000 px wide), each undone. Cells: mean joint error (3D root-relative mm, 2D px) at frames 0-3, the first 3, the
frames 11 .. T - 12, the last 3 and the last 4 frames, over the clips longer than 22 frames; ``asym`` rows: the mean
distance between the output and the undone output of the reversed or mirrored clip; then the protocol's MPJPE and
Accel over every clip (as ``synsp evaluate`` scores them). Run:

    .venv/bin/python benchmarks/edge_frames.py [--split val] [--space 3d] [--preset typical clean-ish] [--methods synsp]
        [--reversed] [--mirrored] [--max-clips N]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases, score
from synsp.skeleton import flip_lr, root_position

EDGE = 11  # frames from either end kept out of the middle


def _errors(pred: np.ndarray, clean: np.ndarray, layout: str, space: str) -> np.ndarray:
    """(T, J) joint errors; 3D root-relative, as the protocol scores them."""
    pred = np.asarray(pred, np.float64)
    if space == "3d":
        pred = pred - root_position(pred, layout)
    return np.linalg.norm(pred - clean, axis=-1)


def _row(name: str, per_clip: list[np.ndarray]) -> str:
    """A table row from (T, J) arrays: frames 0-3, first 3, middle, last 3, frames T-4 .. T-1."""
    arrays = [x for x in per_clip if len(x) > 2 * EDGE]
    start = [np.nanmean([x[k] for x in arrays]) for k in range(4)]
    end = [np.nanmean([x[-1 - k] for x in arrays]) for k in range(4)][::-1]
    middle = np.nanmean(np.concatenate([x[EDGE:-EDGE].ravel() for x in arrays]))
    cells = [*start, np.mean(start[:3]), middle, np.mean(end[1:]), *end]
    return f"| {name} | " + " | ".join(f"{v:.2f}" for v in cells) + " |"


def _mirror(x: np.ndarray, layout: str, space: str) -> np.ndarray:
    """Mirrored left/right with the labels exchanged (flip_lr negates x); 2D inside a 2000 px picture."""
    shift = np.zeros(x.shape[-1])
    shift[0] = 2000.0 if space == "2d" else 0.0
    return flip_lr(np.asarray(x, np.float64), layout) + shift


def _unmirror(x: np.ndarray, layout: str, space: str) -> np.ndarray:
    shift = np.zeros(x.shape[-1])
    shift[0] = 2000.0 if space == "2d" else 0.0
    return flip_lr(np.asarray(x, np.float64) - shift, layout)


def _table(args: argparse.Namespace, preset: str) -> None:
    """One preset's table, and the protocol's MPJPE / Accel of each refiner over every clip."""
    layout = "h36m17" if args.space == "3d" else "coco17"
    began = time.time()
    cases = make_cases(args.split, preset, layout=layout, space=args.space, max_clips=args.max_clips)
    rows: dict[str, list[np.ndarray]] = {"input": [_errors(c.noisy, c.clean, layout, args.space) for c in cases]}
    scores: dict[str, list[dict[str, float]]] = {"input": [score(c.noisy, c.clean, layout=layout, space=args.space)
                                                           for c in cases]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in args.methods:
            for case in cases:
                out = np.asarray(synsp.refine(case.noisy, method), np.float64)
                rows.setdefault(method, []).append(_errors(out, case.clean, layout, args.space))
                scores.setdefault(method, []).append(score(out, case.clean, layout=layout, space=args.space))
                others = {}
                if args.reversed:
                    others["reversed"] = np.asarray(synsp.refine(np.ascontiguousarray(case.noisy[::-1]), method))[::-1]
                if args.mirrored:
                    mirrored = synsp.refine(_mirror(case.noisy, layout, args.space), method)
                    others["mirrored"] = _unmirror(mirrored, layout, args.space)
                for name, other in others.items():
                    rows.setdefault(f"{method} {name}", []).append(_errors(other, case.clean, layout, args.space))
                    rows.setdefault(f"asym {method} {name}", []).append(np.linalg.norm(out - other, axis=-1))
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.split} split, {args.space} `{preset}`: {len(cases)} clips, "
          f"{sum(len(c.clean) for c in cases)} frames ({unit}; {time.time() - began:.0f} s)\n")
    print("| row | f0 | f1 | f2 | f3 | first 3 | frames 11 .. T-12 | last 3 | T-4 | T-3 | T-2 | T-1 |")
    print("|---|" + "---:|" * 11)
    for name, per_clip in rows.items():
        print(_row(name, per_clip))
    weights = [len(c.clean) for c in cases]
    print("\nThe protocol's figures over every clip: " + "; ".join(
        f"{name} MPJPE {np.average([s['MPJPE'] for s in got], weights=weights):.2f}, "
        f"Accel {np.average([s['Accel'] for s in got], weights=weights):.2f}" for name, got in scores.items()) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--space", default="3d", choices=("3d", "2d"))
    parser.add_argument("--preset", nargs="+", default=["typical"])
    parser.add_argument("--methods", nargs="+", default=["synsp"])
    parser.add_argument("--reversed", action="store_true")
    parser.add_argument("--mirrored", action="store_true")
    parser.add_argument("--max-clips", type=int, default=0)
    args = parser.parse_args()
    for preset in args.preset:
        _table(args, preset)


if __name__ == "__main__":
    main()
