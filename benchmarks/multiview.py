"""Single-view vs multi-view SynSP on the test split (issue: multi-view / multi-person input).

Each test clip is given as V estimates of the same moment: "cameras" (V independently corrupted
copies of the clip, as V cameras brought into one root-relative frame would give) or "random"
(the clip plus V - 1 other test clips as extra persons, the paper's random combination). Rows:

- input: the V estimates as they are;
- SynSP, views apart: the shipped single-view model on each estimate alone (V = 1 each);
- SynSP, views together: the same model given all V at once (its global encoder sees them all);
- SynSP-mv, views together: the model fine-tuned on 3 views (configs/synsp-h36m17-mv.toml).

Scores are over all V estimates (root-relative mm). Run:

    .venv/bin/python benchmarks/multiview.py                      # typical preset, V = 3
    .venv/bin/python benchmarks/multiview.py --views 2 --preset hard --max-clips 20
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import evaluate, make_cases, markdown_table
from synsp.inference.checkpoint import load_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=3)
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N test clips (0 = all)")
    parser.add_argument("--mv-checkpoint", default="synsp-h36m17-mv",
                        help="the multi-view model (file or shipped name)")
    args = parser.parse_args()
    single, multi = load_model("synsp-h36m17"), load_model(args.mv_checkpoint)
    rows = {
        "SynSP, views apart": lambda x: np.stack([single.refine(view) for view in x]),
        "SynSP, views together": single.refine,
        "SynSP-mv, views together": multi.refine,
    }
    for mode in ("cameras", "random"):
        cases = make_cases("test", args.preset, views=args.views, multi_view=mode, max_clips=args.max_clips)
        frames = sum(c.clean.shape[-3] for c in cases)
        print(f"### {args.views} views ({mode}), preset `{args.preset}`: {len(cases)} test clips, "
              f"{frames} frames, mm\n")
        print(markdown_table(evaluate(rows, cases)) + "\n")


if __name__ == "__main__":
    main()
