"""Estimator outputs the simulator does not make, built on its ``jitter`` errors: how each method copes.

`benchmarks/robustness.py` puts other noises on clean poses; here the simulator's ``jitter``
preset (validation or test clips) is changed the way real estimators and trackers change it:

- a top-down detector's box jitter on top (2D only): the whole body shifted by 2 % of its
  height per axis and scaled by 2 %, about its box centre, independently each frame;
- smoothed by the estimator itself (MediaPipe's and rtmlib's trackers smooth, with lag): an
  exponential moving average (weight 0.5 and 0.3 on the new frame) or a One-Euro filter
  (:func:`synsp.one_euro.one_euro` at its defaults) applied to the ``jitter`` input;
- low frame rates: the mocap resampled to 10 and 15 fps (cubic spline), the errors drawn at
  that rate (their times are in seconds), every method told the rate (``fps=``);
- people of other sizes in the image (2D only): the ``jitter`` clip, truth and errors scaled
  together about the first frame's box centre to a person 60, 100 or 2000 px tall (4K).

Rows of ``--space 3d`` are root-relative mm, of ``--space 2d`` COCO-17 pixels through the virtual
cameras of :func:`synsp.evaluation.protocol.make_cases`. A last table sums the rows up as
`benchmarks/robustness.py` does. Run:

    .venv/bin/python benchmarks/robustness_estimators.py [--space 2d] [--split val] [--max-clips 30] [--only TEXT]
"""
from __future__ import annotations

import argparse

import numpy as np

from frame_rate import at_rate  # this folder's scripts share their resampling
from robustness import _box_jitter, summary
from synsp.config import TRAINING_FPS
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTERS, FPS_FILTERS
from synsp.inference.checkpoint import default_model, load_model
from synsp.one_euro import one_euro
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position


def ema(x: np.ndarray, weight: float) -> np.ndarray:
    """An exponential moving average along time (T, J, C): ``weight`` on each new frame."""
    y = x.astype(np.float64)
    for t in range(1, len(y)):
        y[t] = weight * y[t] + (1 - weight) * y[t - 1]
    return y.astype(x.dtype)


def cases_at_rate(split: str, layout: str, space: str, fps: float, max_clips: int,
                  preset: str = "jitter") -> list[Case]:
    """The split's clips resampled to ``fps``, with ``preset``'s errors drawn at that rate."""
    names = load_split(split)[: max_clips or None]
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for name, clip in zip(names, load_clips(names, layout=layout)):
        clip = at_rate(np.asarray(clip, np.float32), fps)
        if space == "2d":
            camera = random_camera(rng, subject=clip)
            clean = project(clip, camera).astype(np.float32)
            noisy = corrupt(clean, preset, rng=rng, layout=layout, unit_scale=pixels_per_mm(clip, camera), fps=fps)
            cases.append(Case(name, fill_gaps(noisy.noisy)[0].astype(np.float32), clean))
        else:
            noisy = fill_gaps(corrupt(clip, preset, rng=rng, layout=layout, fps=fps).noisy)[0]
            cases.append(Case(name, (noisy - root_position(noisy, layout)).astype(np.float32),
                              clip - root_position(clip, layout)))
    return cases


def resized(case: Case, height: float) -> Case:
    """``case`` (2D, px), input and truth, scaled about its first box centre to a person ``height`` px tall."""
    low, high = case.clean.min(axis=1), case.clean.max(axis=1)
    factor = height / float(np.median(high[:, 1] - low[:, 1]))
    centre = (low[0] + high[0]) / 2
    return Case(case.name, (centre + factor * (case.noisy - centre)).astype(np.float32),
                (centre + factor * (case.clean - centre)).astype(np.float32))


def methods_at(fps: float, space: str, synsp, smoothnet) -> dict:
    """Every classic filter, SmoothNet and SynSP, each told the frame rate ``fps``."""
    methods = {name: (lambda x, f=fn: f(x, fps=fps)) if name in FPS_FILTERS else fn
               for name, fn in FILTERS.items() if name != "identity"}
    methods["SmoothNet"] = lambda x: smoothnet.refine(x, fps=fps)
    methods["SynSP"] = lambda x: synsp.refine(x, fps=fps)
    return methods


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--only", default="", help="only the rows whose name holds this text")
    args = parser.parse_args()
    layout, unit = ("h36m17", "mm") if args.space == "3d" else ("coco17", "px")
    synsp = load_model(default_model("synsp", args.space))
    smoothnet = load_model(default_model("smoothnet", args.space))
    base = make_cases(args.split, "jitter", layout=layout, space=args.space, max_clips=args.max_clips)
    rng = np.random.default_rng(1)
    rows: dict[str, tuple] = {"`jitter`": (base, TRAINING_FPS)}
    if args.space == "2d":
        rows["`jitter` and a detector's box jitter 2 %"] = (
            [Case(c.name, _box_jitter(c.noisy, rng, layout, 0.02).astype(np.float32), c.clean) for c in base],
            TRAINING_FPS)
    for weight in (0.5, 0.3):
        rows[f"`jitter` smoothed by the estimator: moving average {weight:g}"] = (
            [Case(c.name, ema(c.noisy, weight), c.clean) for c in base], TRAINING_FPS)
    rows["`jitter` smoothed by the estimator: One-Euro"] = (
        [Case(c.name, one_euro(c.noisy), c.clean) for c in base], TRAINING_FPS)
    for fps in (15.0, 10.0):
        rows[f"`jitter` at {fps:g} fps"] = (fps, fps)
    if args.space == "2d":
        for height in (60, 100, 2000):
            rows[f"`jitter`, a person {height} px tall"] = ([resized(c, height) for c in base], TRAINING_FPS)
    results = {}
    for name, (cases, fps) in rows.items():
        if args.only not in name:
            continue
        if not isinstance(cases, list):
            cases = cases_at_rate(args.split, layout, args.space, fps, args.max_clips)
        frames = sum(len(c.clean) for c in cases)
        print(f"### {name} ({len(cases)} {args.split} clips, {frames} frames, {unit})\n", flush=True)
        results[name] = evaluate(methods_at(fps, args.space, synsp, smoothnet), cases, layout=layout, space=args.space)
        print(markdown_table(results[name]) + "\n", flush=True)
    print("### Summary: MPJPE (x input)\n\n" + summary(results) + "\n")


if __name__ == "__main__":
    main()
