"""Bodies other than the training actors': does a refiner pull them towards the poses it learnt?

The Bandai Namco actors are few, and another mocap system places joints differently (hip
width, neck and head points). Here every test clip gets other proportions before errors are
simulated: each bone's length is multiplied by a factor drawn uniformly in 1 +- spread (the
same for a bone and its mirror; :func:`synsp.skeleton.reproportion`). Spread 0 is the plain
test split. Rows: input, Gaussian (sigma 1.5 frames), SmoothNet, SynSP; 3D, root-relative mm.
Run:

    .venv/bin/python benchmarks/bodies.py [--max-clips 20] [--checkpoint PATH ...]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.checkpoint import load_model
from synsp.evaluate import EVAL_SEED, Case, evaluate, markdown_table
from synsp.filters import gaussian
from synsp.gaps import fill_gaps
from synsp.mocap import load_clips
from synsp.simulator import corrupt
from synsp.skeleton import get_layout, random_proportions, reproportion, root_position
from synsp.splits import load_split

LAYOUT = get_layout("h36m17")


def cases_for(clips: list[np.ndarray], names: list[str], preset: str, spread: float) -> list[Case]:
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for name, clip in zip(names, clips):
        clean = reproportion(clip, LAYOUT, random_proportions(LAYOUT, spread, rng))
        noisy = clean.copy() if preset == "none" else fill_gaps(corrupt(clean, preset, rng=rng).noisy)[0]
        cases.append(Case(name, noisy - root_position(noisy, LAYOUT), clean - root_position(clean, LAYOUT)))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N test clips (0 = all)")
    parser.add_argument("--checkpoint", nargs="+", default=["synsp-h36m17"], help="SynSP model(s): files or shipped names")
    parser.add_argument("--spread", type=float, nargs="+", default=[0.0, 0.1, 0.2])
    parser.add_argument("--presets", nargs="+", default=["none", "jitter", "typical"])
    args = parser.parse_args()
    names = load_split("test")
    names = names[: args.max_clips] if args.max_clips else names
    clips = load_clips(names)
    methods = {"gaussian": lambda x: gaussian(x, sigma=1.5, window=13), "SmoothNet": load_model("smoothnet-h36m17").refine}
    for checkpoint in args.checkpoint:
        methods["SynSP" if len(args.checkpoint) == 1 else f"SynSP {checkpoint}"] = load_model(checkpoint).refine
    for spread in args.spread:
        for preset in args.presets:
            cases = cases_for(clips, names, preset, spread)
            print(f"### bone lengths x (1 +- {spread:g}), errors `{preset}` ({len(cases)} test clips, mm)\n")
            print(markdown_table(evaluate(methods, cases)) + "\n", flush=True)


if __name__ == "__main__":
    main()
