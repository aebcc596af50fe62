"""Bodies other than the training actors': does a refiner pull them towards the poses it learnt?

The Bandai Namco actors are few, and another mocap system places joints differently (hip
width, neck and head points). Here every test clip gets other proportions before errors are
simulated: each bone's length is multiplied by a factor drawn uniformly in 1 +- spread, the
same for a bone and its mirror (``make_cases(..., proportions=spread)``). Spread 0 is the
plain test split. Errors: `none` (the clean poses themselves: a refiner should leave them
alone), `jitter` and `typical`. Rows: input, Gaussian (sigma 1.5 frames), SmoothNet, SynSP.
3D root-relative mm, or 2D pixels with ``--space 2d``. Run:

    .venv/bin/python benchmarks/bodies.py [--space 2d] [--max-clips 20] [--checkpoint PATH ...]
"""
from __future__ import annotations

import argparse

from synsp.evaluation.protocol import evaluate, make_cases, markdown_table
from synsp.filters import gaussian
from synsp.inference.checkpoint import DEFAULT_MODEL, default_model, load_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N test clips (0 = all)")
    parser.add_argument("--checkpoint", nargs="+",
                        help="SynSP model(s), files or shipped names (default: the shipped one)")
    parser.add_argument("--spread", type=float, nargs="+", default=[0.0, 0.1, 0.2])
    parser.add_argument("--presets", nargs="+", default=["none", "jitter", "typical"])
    args = parser.parse_args()
    default = DEFAULT_MODEL[args.space]
    synsp = [load_model(c) for c in args.checkpoint or [default]]
    layout = synsp[0].layout.name
    methods = {"gaussian": lambda x: gaussian(x, sigma=1.5, window=13),
               "SmoothNet": load_model(default_model("smoothnet", args.space)).refine}
    for checkpoint, model in zip(args.checkpoint or [default], synsp):
        methods["SynSP" if len(synsp) == 1 else f"SynSP {checkpoint}"] = model.refine
    unit = "mm" if args.space == "3d" else "px"
    for spread in args.spread:
        for preset in args.presets:
            cases = make_cases("test", preset, layout=layout, space=args.space, max_clips=args.max_clips,
                               proportions=spread)
            print(f"### bone lengths x (1 +- {spread:g}), errors `{preset}` ({len(cases)} test clips, {unit})\n")
            print(markdown_table(evaluate(methods, cases, layout=layout, space=args.space)) + "\n", flush=True)


if __name__ == "__main__":
    main()
