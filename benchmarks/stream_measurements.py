"""A stream's lookahead: SynSP streamed frame by frame with and without waiting for the frames
that tell glitches, held values, jumps, inversions and short gaps (synsp.inference.stream_measurements),
against offline refinement of the whole clip.

Inputs: the simulator's `typical`, `hard` and `jitter` errors (their misses filled by
interpolation, as in every table), and clean poses with joints missing (NaN) for 2-6 frames (1 %
of the values) or four of benchmarks/robustness.py's kinds: 1 % spikes (a glitch for a frame),
the whole body off its path for 2 frames (twice), every other frame a repeat of the one before,
joints held 5-15 frames, and every left and right label exchanged for a second. Root-relative
mm (3D) or COCO-17 pixels (2D). Run:

    .venv/bin/python benchmarks/stream_measurements.py [--space 2d] [--split val] [--max-clips 20] [--lookahead 0 3]
"""
from __future__ import annotations

import argparse

import numpy as np

from robustness import PX_PER_MM, _body_jumps, _exchanged_second, _half_rate, _held_joints, _spikes
from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.streaming import StreamingRefiner


def _missing_joints(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    t, j = x.shape[:2]
    for _ in range(max(1, t * j // 400)):  # runs of 4 frames on average: 1 % of the values
        start, length, joint = rng.integers(1, t), rng.integers(2, 7), rng.integers(j)
        y[start:start + length, joint] = np.nan
    return y


KINDS = [  # (name, amplitude in mm, noise on clean poses)
    ("joints missing (NaN) for 2-6 frames", 0.0, _missing_joints),
    ("spikes 1 %, {}", 200.0, _spikes),
    ("whole body off its path for 2 frames, {}", 100.0, _body_jumps),
    ("every other frame repeated", 0.0, _half_rate),
    ("joints held 5-15 frames", 0.0, _held_joints),
    ("every left and right label exchanged for 1 s", 0.0, _exchanged_second),
]


def streamed(model, lookahead: int, mm_per_unit: float | None):
    """A method (T, J, C) -> (T, J, C): the clip pushed through a stream frame by frame."""
    def run(x: np.ndarray) -> np.ndarray:
        return StreamingRefiner(model, lookahead=lookahead, mm_per_unit=mm_per_unit).refine_all(x)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--lookahead", type=int, nargs="+", default=[0, 3])
    args = parser.parse_args()
    layout, unit, per_mm = ("h36m17", "mm", 1.0) if args.space == "3d" else ("coco17", "px", PX_PER_MM)
    model = load_model(default_model("synsp", args.space))
    methods = {f"stream, lookahead {k}": streamed(model, k, 1.0 if args.space == "3d" else None)
               for k in args.lookahead}
    methods["offline"] = model.refine
    inputs = {preset: make_cases(args.split, preset, layout=layout, space=args.space, max_clips=args.max_clips)
              for preset in ("typical", "hard", "jitter")}
    clean = make_cases(args.split, "none", layout=layout, space=args.space, max_clips=args.max_clips)
    rng = np.random.default_rng(0)
    for name, amplitude, add in KINDS:
        if add is _body_jumps and args.space == "3d":
            continue  # root-relative: a whole-body jump does not show
        noise = name.format(f"{amplitude * per_mm:g} {unit}")
        inputs[noise] = [Case(c.name, add(c.clean, rng, layout, amplitude * per_mm).astype(np.float32), c.clean)
                         for c in clean]
    for name, cases in inputs.items():
        frames = sum(len(c.clean) for c in cases)
        print(f"### {name} ({args.space}, {len(cases)} {args.split} clips, {frames} frames, {unit})\n")
        print(markdown_table(evaluate(methods, cases, layout=layout, space=args.space)) + "\n", flush=True)


if __name__ == "__main__":
    main()
