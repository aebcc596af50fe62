"""A lost joint written at one fixed point (an image corner, a point on the bottom edge) for a few frames.

Some tools write a joint they lost at one fixed image point: clipped to the image box, it lands on a corner
((W - 1, H - 1), (0, H - 1)) or on an edge at a fixed place ((W / 2, H - 1)); both coordinates repeat exactly for
the run while the body moves. Each clip (``--split``, the first ``--clips``, preset ``typical``, coco17 2D in a
1920 x 1080 picture; no scores) gets the left wrist written so in 3 runs of ``--runs`` frames (at a fifth, half and
four fifths of the clip; as many of them as keep under 40 % of it). Prints, for the input and SynSP, the wrist's
error on the values hit and on its other values, the other joints' error, and how many hit values the measurements
took out (``synsp.estimator_errors.measurements``). Two rows check what must keep its values:

- ``held at its last place``: a tracker that holds the lost wrist at its last measured value for the run (its
  first value is a real measurement);
- ``cut by the corner``: the picture shrunk to the body's 10th / 90th percentiles (its smallest and largest x and y
  over frames) and every joint clipped to it, as mmpose and rtmlib clip: the joints really beyond a corner sit on it
  for frames on end, the others beyond one edge on it; errors against the truth beyond the picture, "hit" the
  values clipped.

"values on a corner": values whose x and y are both one of the clip's extremes (its smallest or largest).

``--guard`` counts instead, on every clip of the split (2D coco17 and 3D h36m17, presets clean-ish / typical /
hard), the first values of held runs that ``held_arrivals`` marks (each one a value no longer read as measured):
in the inputs as they are; with each joint in turn held at its last place in runs of ``--runs`` frames (none should
be); with each joint written at a fixed point (2D (W - 1, H - 1), 3D 1 m off its mean on every axis; all should be,
where the run is held at all: a joint at one value in most of its frames is a fixed point, ``held_values``); and 2D
cut by a picture at the body's 10th / 90th, 20th / 80th and 30th / 70th percentiles.

Run (on this branch, and with ``PYTHONPATH`` at another checkout for a before/after)::

    .venv/bin/python benchmarks/fixed_point_lost.py [--clips 6] [--runs 2 3 12 30] [--split val] [--guard]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout

W, H = 1920.0, 1080.0
WRIST = 9  # coco17's left wrist
# The runs' share of a clip at most: a joint at one value in most of its frames is a fixed point (held_values)
SHARE = 0.4
POINTS = {"corner (W-1, H-1)": (W - 1, H - 1), "corner (0, H-1)": (0.0, H - 1),
          "bottom edge (W/2, H-1)": (W / 2, H - 1)}


def _runs(t: int, length: int) -> np.ndarray:
    """(T,) bool: runs of ``length`` frames at a fifth, a half and four fifths of ``t`` frames, as many of the three
    as keep them under :data:`SHARE` of the clip (at least one)."""
    hit = np.zeros(t, bool)
    starts = (t // 2,) if SHARE * t < 2 * length else (t // 5, 4 * t // 5) if SHARE * t < 3 * length else (
        t // 5, t // 2, 4 * t // 5)
    for start in starts:
        hit[start:start + length] = True
    return hit


def _fixed(point: tuple[float, float]):
    """A corruption writing the wrist at ``point`` over the runs."""
    def corrupt(noisy: np.ndarray, clean: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
        x, hit = noisy.copy(), np.zeros(noisy.shape[:2], bool)
        hit[:, WRIST] = _runs(len(x), length)
        x[hit] = point
        return x, hit
    return corrupt


def _held(noisy: np.ndarray, clean: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """The wrist held at its value of the frame before each run (a tracker's last place)."""
    x, hit = noisy.copy(), np.zeros(noisy.shape[:2], bool)
    runs = _runs(len(x), length)
    for t in np.flatnonzero(runs):
        x[t, WRIST] = x[t - 1, WRIST]
    hit[:, WRIST] = runs
    return x, hit


def _cut(noisy: np.ndarray, clean: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Every joint clipped to a picture whose bottom-right corner is the 90th percentile over frames of the body's
    largest x and largest y, and whose top-left corner the 10th of its smallest (``length`` unused): the values
    clipped are hit, those beyond a corner written on it."""
    low = np.nanpercentile(noisy.min(axis=1), 10, axis=0)
    high = np.nanpercentile(noisy.max(axis=1), 90, axis=0)
    x = np.clip(noisy, low, high)
    return x, (x != noisy).any(axis=-1)


def _row(name: str, cases: list, corrupt, length: int) -> None:
    """One table row for ``corrupt`` over ``cases`` at runs of ``length`` frames."""
    layout = get_layout("coco17")
    errs: dict[str, list[list[float]]] = {"input": [], "synsp": []}
    taken = hits = corners = 0
    for case in cases:
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        x, hit = corrupt(noisy, clean, length)
        m = measurements(x, layout)
        taken, hits = taken + int((m.gaps & hit).sum()), hits + int(hit.sum())
        wrist_rest = np.zeros_like(hit)
        wrist_rest[:, WRIST] = ~hit[:, WRIST]
        others = np.ones_like(hit)
        others[:, WRIST] = False
        extreme = (x == x.min(axis=(0, 1))) | (x == x.max(axis=(0, 1)))  # (T, J, 2): on the clip's extent's side
        corners += int(extreme.all(axis=-1).sum())
        for method, out in (("input", x), ("synsp", synsp.refine(x, fps=30))):
            e = np.linalg.norm(out - clean, axis=-1)
            errs[method].append([float(e[mask].mean()) for mask in (hit, wrist_rest, others & ~hit)])
    cells = " | ".join("{:.2f} / {:.2f} / {:.2f}".format(*np.mean(v, axis=0)) for v in errs.values())
    print(f"| {name} | {length} | {corners} | {taken}/{hits} | {cells} |", flush=True)


def _marked(x: np.ndarray) -> tuple[int, int]:
    """(runs held, first values ``held_arrivals`` marks) of poses ``x`` (T, J, C)."""
    from synsp.estimator_errors.held_values import held_arrivals, held_values
    held = held_values(x)
    return int((held[1:] & ~held[:-1]).sum()), int(held_arrivals(x, held).sum())


def _guard(split: str, lengths: list[int]) -> None:
    """Print the ``--guard`` counts (module docstring)."""
    for space, layout in (("2d", "coco17"), ("3d", "h36m17")):
        for preset in ("clean-ish", "typical", "hard"):
            cases = [np.asarray(c.noisy, np.float64) for c in make_cases(split, preset, layout=layout, space=space)]
            print(f"{space} {preset}, as given: held runs, first values marked", np.sum([_marked(x) for x in cases], 0))
            for length in lengths:
                counts = np.zeros(4, int)  # held at the last place: runs, marked; at a fixed point: runs, marked
                for x in cases:
                    for j in range(x.shape[1]):
                        last, fixed = x.copy(), x.copy()
                        point = (W - 1, H - 1) if space == "2d" else np.nanmean(x[:, j], axis=0) + 1000.0
                        for t in np.flatnonzero(_runs(len(x), length)):
                            last[t, j] = last[t - 1, j]
                            fixed[t, j] = point
                        counts += [*_marked(last), *_marked(fixed)]
                print(f"{space} {preset}, runs of {length}: held at the last place (runs, marked) {counts[:2]}, "
                      f"at a fixed point {counts[2:]}", flush=True)
            if space == "2d":
                for q in (90, 80, 70):
                    counts = np.zeros(2, int)
                    for x in cases:
                        low, high = (np.nanpercentile(f(x, axis=1), p, axis=0) for f, p in ((np.min, 100 - q),
                                                                                            (np.max, q)))
                        counts += _marked(np.clip(x, low, high))
                    print(f"2d {preset}, cut at the {100 - q}th / {q}th percentiles: held runs, marked {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--runs", type=int, nargs="+", default=[2, 3, 12, 30])
    parser.add_argument("--guard", action="store_true", help="count the first values marked (module docstring)")
    args = parser.parse_args()
    if args.guard:
        _guard(args.split, args.runs)
        return
    cases = make_cases(args.split, "typical", layout="coco17", space="2d", max_clips=args.clips)
    print("| wrist written at | run (frames) | values on a corner | hit values taken out | input: hit / wrist's rest / "
          "other joints (px) | SynSP: same |")
    print("|---|---|---|---|---|---|")
    for length in args.runs:
        for name, point in POINTS.items():
            _row(name, cases, _fixed(point), length)
        _row("held at its last place", cases, _held, length)
    _row("cut by the corner (every joint clipped)", cases, _cut, 0)


if __name__ == "__main__":
    main()
