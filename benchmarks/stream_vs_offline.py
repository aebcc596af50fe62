"""A live stream against offline refinement of the same clips, per preset, and the clips where the
stream loses most (RESULTS section 12, "A stream's over-smoothing given back").

On the VALIDATION split by default, the shipped model of each space (3D ``synsp-h36m17``, 2D
``synsp-coco17``): every clip refined offline (``Refiner.refine``) and pushed frame by frame
through a :class:`~synsp.inference.streaming.StreamingRefiner` with its defaults (lag 7,
lookahead 3). Frame-weighted MPJPE (mm or px) of the input, offline and the stream, and x input;
for preset ``none`` (the clean clips as input) how far each moved them. ``--no-give-back`` turns
the over-smoothing step off (offline and stream alike: the model's ``give_back_motion``). Run::

    .venv/bin/python benchmarks/stream_vs_offline.py --space 3d --presets jitter typical hard none
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner

MODELS = {"3d": ("h36m17", "synsp-h36m17"), "2d": ("coco17", "synsp-coco17")}


def streamed(model, noisy: np.ndarray) -> np.ndarray:
    """``noisy`` (T, J, C) pushed through a new stream of ``model`` frame by frame, then flushed."""
    return StreamingRefiner(model).refine_all(noisy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=sorted(MODELS), default="3d")
    parser.add_argument("--presets", nargs="+", default=["jitter", "typical", "hard", "none"])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--worst", type=int, default=4, help="clips listed where the stream loses most")
    parser.add_argument("--no-give-back", action="store_true", help="without the over-smoothing step")
    args = parser.parse_args()
    torch.set_num_threads(1)
    layout, checkpoint = MODELS[args.space]
    model = load_model(checkpoint)
    model.give_back_motion = model.give_back_motion and not args.no_give_back
    for preset in args.presets:
        cases = make_cases(args.split, preset, layout=layout, space=args.space, max_clips=args.max_clips)
        rows = []
        for case in cases:
            errors = [score(out, case.clean, layout=layout, space=args.space)["MPJPE"]
                      for out in (case.noisy, model.refine(case.noisy), streamed(model, case.noisy))]
            rows.append((case.name, len(case.clean), *errors))
        weights = np.array([r[1] for r in rows], float)
        inp, off, live = np.average(np.array([r[2:] for r in rows]), axis=0, weights=weights)
        if preset == "none":
            print(f"{preset}: clean clips moved by offline {off:.3f}, stream {live:.3f}")
            continue
        print(f"{preset}: input {inp:.3f}, offline {off:.3f} ({off / inp:.3f}), stream {live:.3f} ({live / inp:.3f})")
        for name, _, a, b, c in sorted(rows, key=lambda r: -r[4] / r[2])[:args.worst]:
            print(f"    {name}: input {a:.2f}, offline {b:.2f} ({b / a:.2f}), stream {c:.2f} ({c / a:.2f})")


if __name__ == "__main__":
    main()
