"""Postures no actor held: how much of a model's gain survives poses bent away from the mocap's.

Each model (its own floor, the refiner's defaults) refines the first ``--max-clips`` clips of the
split under the presets ``typical``, ``hard``, ``clean-ish`` and ``jitter``; the clean poses with
white noise (3D 5 mm; 2D 1 and 4 px); the clean poses alone (how far they move, mm or px); and the
clean poses bent by :func:`synsp.data.novel_motion.bend_posture` (each bend with probability 0.7)
by up to 25 and 40 degrees, plus the same white noise (2D: the image poses lifted to z = 0, bent,
and dropped back, with 2 px). Figures are MPJPE x input (3D root-relative, as the protocol's),
frame-weighted over the clips (benchmarks/RESULTS.md, section 4, "Postures no actor held")::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/postures.py [--space 3d|2d]
        [--checkpoint synsp-h36m17 smoothnet-h36m17 FILE ...] [--max-clips 30] [--split val]
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from synsp.data.novel_motion import bend_posture
from synsp.evaluation.protocol import Case, evaluate, make_cases
from synsp.inference.checkpoint import default_model, load_model

LAYOUTS = {"3d": "h36m17", "2d": "coco17"}
PRESETS = ("typical", "hard", "clean-ish", "jitter")
WHITE = {"3d": (5.0,), "2d": (1.0, 4.0)}  # mm, px
BENT_WHITE = {"3d": 5.0, "2d": 2.0}
DEGREES = (25.0, 40.0)


def bent(clean: np.ndarray, layout: str, degrees: float, rng: np.random.Generator) -> np.ndarray:
    """``clean`` (T, J, C) bent by up to ``degrees``; 2D poses turned as if they lay at z = 0."""
    if clean.shape[-1] == 3:
        return bend_posture(clean, layout, degrees, rng, probability=0.7).astype(np.float32)
    lifted = np.concatenate([clean, np.zeros_like(clean[..., :1])], -1)
    return bend_posture(lifted, layout, degrees, rng, probability=0.7)[..., :2].astype(np.float32)


def inputs(space: str, split: str, clips: int) -> dict[str, list[Case]]:
    """Row name -> the (input, truth) cases of that row, the same draws for every model."""
    layout = LAYOUTS[space]
    rows = {p: make_cases(split, p, layout=layout, space=space, max_clips=clips) for p in PRESETS}
    base = [c.clean for c in make_cases(split, "clean-ish", layout=layout, space=space, max_clips=clips)]
    rng = np.random.default_rng(0)
    unit = "mm" if space == "3d" else "px"
    for amp in WHITE[space]:
        rows[f"white {amp:g} {unit}"] = [Case("", (g + rng.normal(0, amp, g.shape)).astype(np.float32), g)
                                         for g in base]
    rows["clean moved"] = [Case("", g.astype(np.float32), g) for g in base]
    for degrees in DEGREES:
        draw = np.random.default_rng(3)
        cases = []
        for g in base:
            b = bent(g, layout, degrees, draw)
            cases.append(Case("", (b + draw.normal(0, BENT_WHITE[space], b.shape)).astype(np.float32), b))
        rows[f"bent {degrees:g}"] = cases
    return rows


def row_figure(refine, cases: list[Case], space: str, moved: bool) -> float:
    """MPJPE x input over ``cases`` (frame-weighted, as the protocol scores), or with ``moved`` the
    mean distance (mm, px)."""
    scores = evaluate({"model": refine}, cases, layout=LAYOUTS[space], space=space)
    return scores["model"]["MPJPE"] / (1.0 if moved else scores["input"]["MPJPE"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--space", choices=tuple(LAYOUTS), default="3d")
    parser.add_argument("--checkpoint", nargs="+", help="models, files or shipped names (default: the shipped "
                                                        "SynSP and SmoothNet of the space)")
    parser.add_argument("--max-clips", type=int, default=30)
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    names = args.checkpoint or [default_model("synsp", args.space), default_model("smoothnet", args.space)]
    rows = inputs(args.space, args.split, args.max_clips)
    print(f"{args.split} split, first {args.max_clips} clips, {args.space}; x input, clean moved in "
          f"{'mm' if args.space == '3d' else 'px'}\n")
    print("| model | " + " | ".join(f"`{r}`" if r in PRESETS else r for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in names:
        model = load_model(name)
        cells = [row_figure(model.refine, cases, args.space, row == "clean moved") for row, cases in rows.items()]
        print(f"| {name} | " + " | ".join(f"{v:.3f}" if row != "clean moved" else f"{v:.2f}"
                                          for row, v in zip(rows, cells)) + " |", flush=True)


if __name__ == "__main__":
    main()
