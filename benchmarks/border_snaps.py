"""Joints snapped to the picture's edge (2D: x = 0, y and the rest kept) or thrown far (3D: x + 2 m) for a run.

Estimators clamp a joint that leaves the view to the image (x = 0) or their crop's box, for frames on end. Each
clip (``--split``, the first ``--clips`` of at least 150 frames, preset ``none`` through the protocol's cameras)
gets white noise (2D 2 px, 3D 8 mm), then one run of ``--runs`` frames in its middle (``--at start`` / ``end``: its
first / last frames) on a set of joints: the right wrist, the right arm (elbow and wrist), or both wrists and the right
ankle (audit 16's case). Prints the
mean error on the values hit and on the rest, for the input and each method, and how many values hit the
measurements took out (``synsp.estimator_errors.measurements``). Two rows check what must keep its values: a body
partly outside the picture (the clip moved so its lowest x over the clip is 0, the input clamped at x = 0: joints
really at x = 0-5), and clean clips played three times as fast (every third frame) under the same noise: values
taken out there, and the error.

Run::

    .venv/bin/python benchmarks/border_snaps.py [--space 3d] [--clips 6] [--split val] [--at start]
        [--methods synsp smoothnet butterworth]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout

SETS = {"right wrist": ("right_wrist",), "right arm": ("right_elbow", "right_wrist"),
        "wrists, right ankle": ("left_wrist", "right_wrist", "right_ankle")}
METHODS = ("synsp", "smoothnet", "butterworth")  # the filter at its defaults: a plain filter undoes no error


def _row(name: str, cases: list, corrupt, layout: str, methods: tuple[str, ...]) -> None:
    """Print one row: ``corrupt(truth, rng) -> (input, truth, hit (T, J) bool)`` applied to every case."""
    rng = np.random.default_rng(1)
    errs: dict[str, list[tuple[float, float]]] = {}
    taken = hit_count = 0
    for case in cases:
        x, truth, hit = corrupt(case.clean.astype(np.float64), rng)
        measured = measurements(x, get_layout(layout))
        out_of = hit if hit.any() else np.ones_like(hit)  # nothing hit: how many values of all were taken out
        taken += int((measured.gaps & ~measured.missing & out_of).sum())
        hit_count += int(out_of.sum())
        outs = {"input": x, **{m: synsp.refine(x.astype(np.float32), m, layout=layout, fps=30) for m in methods}}
        for m, out in outs.items():
            e = np.linalg.norm(out - truth, axis=-1)
            on_hit = float(np.nanmean(e[hit])) if hit.any() else np.nan
            errs.setdefault(m, []).append((on_hit, float(np.nanmean(e[~hit]))))
    cells = " | ".join(f"{np.mean([h for h, _ in v]):.2f} / {np.mean([r for _, r in v]):.2f}" for v in errs.values())
    print(f"| {name} | {taken}/{hit_count} | {cells} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--runs", type=int, nargs="+", default=[1, 3, 5, 10, 20, 30])
    parser.add_argument("--at", choices=("middle", "start", "end"), default="middle", help="where the run lies")
    parser.add_argument("--methods", nargs="+", default=list(METHODS))
    args = parser.parse_args()
    layout = "coco17" if args.space == "2d" else "h36m17"
    joints = get_layout(layout).joints
    cases = [c for c in make_cases(args.split, "none", layout=layout, space=args.space, max_clips=0)
             if len(c.clean) >= 150][: args.clips]
    sigma = 2.0 if args.space == "2d" else 8.0

    def snapped(names: tuple[str, ...], run: int):
        js = [joints.index(n) for n in names]

        def corrupt(truth: np.ndarray, rng: np.random.Generator):
            x = truth + rng.normal(0, sigma, truth.shape)
            hit = np.zeros(truth.shape[:2], dtype=bool)
            start = {"middle": len(truth) // 2 - 15, "start": 0, "end": len(truth) - run}[args.at]
            hit[start: start + run, js] = True
            if args.space == "2d":
                x[..., 0] = np.where(hit, 0.0, x[..., 0])  # onto the picture's left edge
            else:
                x[..., 0] = np.where(hit, x[..., 0] + 2000.0, x[..., 0])  # thrown 2 m off
            return x, truth, hit
        return corrupt

    def near_edge(truth: np.ndarray, rng: np.random.Generator):
        truth = truth.copy()
        truth[..., 0] -= np.nanmin(truth[..., 0])  # the body's leftmost point over the clip at x = 0
        x = truth + rng.normal(0, sigma, truth.shape)
        if args.space == "2d":
            x[..., 0] = np.maximum(x[..., 0], 0.0)  # the estimator clamps to the image
        return x, truth, np.zeros(truth.shape[:2], dtype=bool)

    def fast(truth: np.ndarray, rng: np.random.Generator):
        truth = truth[::3]
        return truth + rng.normal(0, sigma, truth.shape), truth, np.zeros(truth.shape[:2], dtype=bool)

    print(f"{args.space}, {len(cases)} {args.split} clips; cells: error on the values hit / on the rest")
    methods = tuple(args.methods)
    print(f"| case | taken out | input | {' | '.join(methods)} |")
    print("|---|---:|---:|" + "---:|" * len(methods))
    at = "" if args.at == "middle" else f" at the {args.at}"
    for names in SETS.values():
        for run in args.runs:
            _row(f"{', '.join(names)}: {run} frames{at}", cases, snapped(names, run), layout, methods)
    _row("body partly outside (none hit)", cases, near_edge, layout, methods)
    _row("clean x3 pace (none hit)", cases, fast, layout, methods)


if __name__ == "__main__":
    main()
