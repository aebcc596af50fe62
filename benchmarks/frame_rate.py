"""Input at frame rates other than the mocap's 30 fps: the network run as it is vs at its own rate.

Test clips are resampled (cubic spline) to 25, 50 and 60 fps, then corrupted by the simulator
at that rate (its times are in seconds). Rows: the input, a Gaussian filter whose sigma grows
with the rate (1.5 frames at 30 fps), SynSP given the frames alone, and SynSP told the rate
(``refine(..., fps=)``, see :mod:`synsp.inference.frame_rate`). 3D, root-relative mm. Run:

    .venv/bin/python benchmarks/frame_rate.py [--max-clips 20] [--checkpoint PATH]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline

from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, Case, evaluate, markdown_table
from synsp.filters import gaussian
from synsp.inference.checkpoint import load_model
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position


def at_rate(clip: np.ndarray, fps: float) -> np.ndarray:
    """``clip`` (T, J, 3) at 30 fps, resampled to ``fps``."""
    times = np.arange(len(clip)) / 30.0
    return CubicSpline(times, clip, axis=0)(np.arange(0, times[-1] + 1e-9, 1 / fps)).astype(np.float32)


def cases_at(clips: list[np.ndarray], names: list[str], preset: str, fps: float) -> list[Case]:
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for name, clip in zip(names, clips):
        clean = at_rate(clip, fps)
        noisy, _ = fill_gaps(corrupt(clean, preset, rng=rng, fps=fps).noisy)
        cases.append(Case(name, noisy - root_position(noisy, "h36m17"), clean - root_position(clean, "h36m17")))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N test clips (0 = all)")
    parser.add_argument("--checkpoint", default="synsp-h36m17", help="the SynSP model (file or shipped name)")
    parser.add_argument("--fps", type=float, nargs="+", default=[25.0, 50.0, 60.0])
    args = parser.parse_args()
    names = load_split("test")
    names = names[: args.max_clips] if args.max_clips else names
    clips = load_clips(names)
    synsp = load_model(args.checkpoint)
    for fps in args.fps:
        sigma = 1.5 * fps / 30
        methods = {
            f"gaussian (sigma {sigma:.2g})": lambda x, s=sigma: gaussian(x, sigma=s, window=2 * int(4 * s) + 1),
            "SynSP, rate not given": synsp.refine,
            "SynSP, fps given": lambda x, f=fps: synsp.refine(x, fps=f),
        }
        for preset in ("typical", "jitter"):
            cases = cases_at(clips, names, preset, fps)
            frames = sum(len(c.clean) for c in cases)
            print(f"### {fps:g} fps, preset `{preset}` ({len(cases)} test clips, {frames} frames, mm)\n")
            print(markdown_table(evaluate(methods, cases)) + "\n")


if __name__ == "__main__":
    main()
