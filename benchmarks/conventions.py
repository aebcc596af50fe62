"""Other skeletons' joint conventions: does a refiner keep the input's joints where they are?

The test split is converted with the joint definitions of other skeletons
(:data:`synsp.conventions.CONVENTIONS`: an SMPL-like pelvis, a lower thorax, clavicle or wide
shoulders, a head centre, MediaPipe's and OpenPose BODY_25's points), and with other bone
lengths (``other-proportions``: x 1 +- 0.2). For each, two measurements:

- ``typical`` errors (the same simulated errors for every convention): MPJPE of every method
  and its ratio to the input's;
- the clean sequence itself: how far each method moves it (a refiner should leave it alone).

Filters are tuned on the validation split (mocap convention, ``typical``), as in
``synsp evaluate``. 3D root-relative mm, or 2D pixels with ``--space 2d`` (the clean
displacement is then also given in % of the person's box side). Run:

    .venv/bin/python benchmarks/conventions.py [--space 2d] [--max-clips N] [--checkpoint PATH[:raw] ...]
"""
from __future__ import annotations

import argparse
from functools import partial
from typing import Callable

import numpy as np

from synsp.conventions import convention_names
from synsp.evaluation.compare import tune_filter
from synsp.evaluation.protocol import make_cases, score
from synsp.filters import FILTERS
from synsp.inference.checkpoint import DEFAULT_MODEL, default_model, load_model


def _methods(space: str, checkpoints: list[str], max_clips: int) -> dict[str, Callable]:
    layout = "h36m17" if space == "3d" else "coco17"
    val = make_cases("val", "typical", layout=layout, space=space, max_clips=max_clips)
    methods: dict[str, Callable] = {}
    for name in ("gaussian", "one-euro", "savgol"):
        methods[name] = partial(FILTERS[name], **tune_filter(name, val, layout=layout, space=space))
    methods["SmoothNet"] = load_model(default_model("smoothnet", space)).refine
    for checkpoint in checkpoints:
        name, *options = checkpoint.split(":")
        model = load_model(name)
        for option in options:
            if option == "raw":  # the network alone, as before the clip-level steps and mirrored windows
                model.keep_convention, model.bone_strength, model.mirror_windows = False, 0.0, False
            elif option == "unmirrored":
                model.mirror_windows = False
            elif option == "before":  # the default until RESULTS section 9's last update
                model.keep_convention, model.mirror_windows, model.weights, model.stride = True, False, None, 1
            else:
                model.keep_convention = {"keep-all": True, "symmetric": "symmetric"}[option]
        methods["SynSP" if len(checkpoints) == 1 else f"SynSP {checkpoint}"] = model.refine
    return methods


def _mean_mpjpe(method: Callable, cases, layout: str, space: str) -> float:
    frames = np.array([len(c.clean) for c in cases], float)
    return float(np.average([score(method(c.noisy), c.clean, layout=layout, space=space)["MPJPE"] for c in cases],
                            weights=frames))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips of each split (0 = all)")
    parser.add_argument("--checkpoint", nargs="+", help="SynSP model(s), files or shipped names (default: the shipped "
                        "one); options after colons: NAME:raw is the network alone (no keep_convention, no bone "
                        "consistency, no mirrored windows), :keep-all undoes all of the constant pull, :symmetric "
                        "its symmetric part (the default), :unmirrored refines no window mirrored, :before is the "
                        "previous default (keep-all, unmirrored, every window, plain SWAA mean)")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--conventions", nargs="+", help="default: all, and other-proportions")
    args = parser.parse_args()
    layout = "h36m17" if args.space == "3d" else "coco17"
    unit = "mm" if args.space == "3d" else "px"
    methods = _methods(args.space, args.checkpoint or [DEFAULT_MODEL[args.space]], args.max_clips)
    conventions = args.conventions or [*convention_names(layout), "other-proportions"]
    typical_rows, clean_rows = [], []
    for convention in conventions:
        options = ({"proportions": 0.2} if convention == "other-proportions" else {"convention": convention})
        cases = make_cases(args.split, "typical", layout=layout, space=args.space, max_clips=args.max_clips, **options)
        clean = make_cases(args.split, "none", layout=layout, space=args.space, max_clips=args.max_clips, **options)
        base = _mean_mpjpe(lambda x: x, cases, layout, args.space)
        cells = [f"{base:.1f}"]
        for method in methods.values():
            value = _mean_mpjpe(method, cases, layout, args.space)
            cells.append(f"{value:.1f} ({value / base:.3f})")
        typical_rows.append(f"| {convention} | " + " | ".join(cells) + " |")
        moved = []
        size = np.mean([np.median((c.clean.max(-2) - c.clean.min(-2)).max(-1)) for c in clean])  # 2D box side
        for method in methods.values():
            value = _mean_mpjpe(method, clean, layout, args.space)
            if args.space == "2d":
                moved.append(f"{value:.1f} ({100 * value / size:.1f} %)")
            else:
                moved.append(f"{value:.1f}")
        clean_rows.append(f"| {convention} | " + " | ".join(moved) + " |")
        print(f"{convention} done", flush=True)
    names = list(methods)
    print(f"\n### `typical` errors: MPJPE ({unit}) and (x input), {args.split} split, {len(cases)} clips\n")
    print("| convention | input | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * (len(names) + 1))
    print("\n".join(typical_rows))
    print(f"\n### The clean sequence: how far each method moves it "
          f"({unit}{', % of the box side' if args.space == '2d' else ''})\n")
    print("| convention | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    print("\n".join(clean_rows))


if __name__ == "__main__":
    main()
