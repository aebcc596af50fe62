"""Which way is up: the same clips in other files' axes, refined with and without the upright turn.

The split's clips (3D: Y up, right-handed, mm; 2D: image pixels, y down) are written in the axes
other files use, input and ground truth alike: 3D Z up (C3D, Blender), camera coordinates (Y
down), a left-handed file (X mirrored), and both Z up and mirrored; 2D a video on its side
(turned 90 degrees), a track stored with y up (upside down, which is also mirrored) and a
mirrored image. For each: MPJPE of ``typical`` input (x input) and how far the clean clip is
moved, for SmoothNet, SynSP without the turn (``Refiner.upright = False``, the default until
this benchmark) and SynSP (the default). Run:

    .venv/bin/python benchmarks/axes.py [--space 2d] [--split val] [--max-clips N]
"""
from __future__ import annotations

import argparse
from typing import Callable

import numpy as np

from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import DEFAULT_MODEL, default_model, load_model

AXES_3D = {
    "as trained (Y up)": np.eye(3),
    "Z up": np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]]),
    "camera (Y down)": np.diag([1.0, -1, -1]),
    "left-handed (X mirrored)": np.diag([-1.0, 1, 1]),
    "Z up and left-handed": np.diag([-1.0, 1, 1]) @ np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]]),
}
AXES_2D = {
    "as trained (y down)": np.eye(2),
    "on its side (90 deg)": np.array([[0.0, -1], [1, 0]]),
    "y up (upside down, mirrored)": np.diag([1.0, -1]),
    "mirrored image": np.diag([-1.0, 1]),
}


def _mean(method: Callable, cases, axes: np.ndarray, space: str, layout: str) -> float:
    """Frame-weighted mean MPJPE of ``method`` on the cases written in ``axes``."""
    shift = 0.0 if space == "3d" else 3000.0  # keep 2D pixels positive, as an image's are
    scores = []
    for case in cases:
        noisy, clean = (case.noisy @ axes.T + shift).astype(np.float32), case.clean @ axes.T + shift
        scores.append(score(method(noisy), clean, layout=layout, space=space)["MPJPE"])
    return float(np.average(scores, weights=[len(c.clean) for c in cases]))


def space_arguments(description: str) -> tuple[argparse.Namespace, str, str]:
    """The command line of this folder's tables of transformed clips: ``--space``, ``--split``,
    ``--max-clips``; returns the arguments, the space's layout and its unit."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    return args, ("h36m17" if args.space == "3d" else "coco17"), ("mm" if args.space == "3d" else "px")


def main() -> None:
    args, layout, unit = space_arguments(__doc__.splitlines()[0])
    unturned = load_model(DEFAULT_MODEL[args.space])
    unturned.upright = False
    methods = {"input": lambda x: x, "SmoothNet": load_model(default_model("smoothnet", args.space)).refine,
               "SynSP, no turn": unturned.refine, "SynSP (default)": load_model(DEFAULT_MODEL[args.space]).refine}
    typical = make_cases(args.split, "typical", layout=layout, space=args.space, max_clips=args.max_clips)
    clean = make_cases(args.split, "none", layout=layout, space=args.space, max_clips=args.max_clips)
    print(f"\n{args.space.upper()}, {args.split} split, {len(typical)} clips: `typical` MPJPE ({unit}, x input) "
          f"| clean clip moved by ({unit})\n")
    print_table("axes", AXES_3D if args.space == "3d" else AXES_2D, methods, typical, clean,
                lambda method, cases, axes: _mean(method, cases, axes, args.space, layout))


def print_table(what: str, rows: dict, methods: dict[str, Callable], typical: list, clean: list,
                mean: Callable[[Callable, list, object], float]) -> None:
    """One markdown row per ``rows`` item (label -> how the clips are written): ``typical`` MPJPE
    of the input and of every other method (x input), then how far each moves the clean clips;
    ``mean(method, cases, row)`` scores a method on the cases written as ``row`` says."""
    names = list(methods)[1:]
    print(f"| {what} | input | " + " | ".join(names) + " | " + " | ".join(f"clean: {n}" for n in names) + " |")
    print("|---|" + "---:|" * (1 + 2 * len(names)))
    for label, row in rows.items():
        base = mean(methods["input"], typical, row)
        cells = [f"{base:.2f}"]
        cells += [f"{(v := mean(methods[n], typical, row)):.2f} ({v / base:.3f})" for n in names]
        cells += [f"{mean(methods[n], clean, row):.2f}" for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
