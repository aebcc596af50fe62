"""The skeletons people have (Halpe-26, BODY-25, MediaPipe-33, SPIN-49, HMR-44, MPII-16, LSP-14, SMPL's), end to end.

A file in one of these layouts reaches SynSP converted to the model's layout; the joints the
conversion copies (COCO's 17 keypoints, of which the 3D model sees 12) take its output, and the
others (feet, hands, face, Halpe's head top and neck) are refined by SmoothNet and moved with the
model's correction of the nearest model joint (:func:`synsp.refining.arrays.refine_track`). This
measures that route on the test split made in each layout (:mod:`synsp.data.mocap_layouts`: the
points the mocap has no joint for are placed on its segments; SMPL's joints are the clips retargeted
to SMPL's template body, :func:`synsp.data.mocap.load_clip`), under ``typical`` errors drawn for
every joint (or ``--preset``'s), and on the clean poses (how far each method moves them). The
model's own layout is the reference row; in 2D, Human3.6M's 17 joints (3D lifters' input) are
measured too. Filters are tuned on the validation split (first 12 clips) of each layout.

MPJPE columns: every joint; COCO's 17 keypoints ("COCO-17"; in 3D these include the face,
which the 3D model only sees through its head and neck joints; H36M has 12 of them); the
layout's other joints.
3D root-relative mm, 2D pixels. Run:

    .venv/bin/python benchmarks/layouts.py [--space 2d] [--split test] [--max-clips N] [--preset jitter]
        [--checkpoint PATH ...] [--no-filters]
"""
from __future__ import annotations

import argparse
from functools import partial
from typing import Callable

import numpy as np

import synsp
from synsp.evaluation.compare import tune_filter
from synsp.evaluation.protocol import make_cases
from synsp.filters import FILTERS
from synsp.metrics import mpjpe
from synsp.skeleton import COCO17, get_layout, root_position

LAYOUTS = ("halpe26", "body25", "mediapipe33", "spin49", "hmr44", "mpii16", "lsp14")
# SMPL's joint positions: refined by SynSP in 3D; in 2D (no face to convert) by SmoothNet alone.
SMPL_LAYOUTS = ("smpl24", "smpl22")
# 2D only: Human3.6M's joints, the 2D input of 3D lifters (in 3D they are the model's own)
LAYOUTS_2D = ("h36m17",)


def _methods(layout: str, space: str, preset: str, checkpoints: list[str],
             filters: bool = True) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """Input, the tuned filters (unless not ``filters``), SmoothNet and SynSP with each of
    ``checkpoints`` (files or shipped names; none: the shipped default)."""
    methods: dict[str, Callable[[np.ndarray], np.ndarray]] = {"input": lambda x: x}
    if filters:
        val = make_cases("val", preset, layout=layout, space=space, max_clips=12)
        for name in ("gaussian", "butterworth"):
            methods[name] = partial(FILTERS[name], **tune_filter(name, val, layout=layout, space=space))
    methods["SmoothNet"] = partial(synsp.refine, method="smoothnet")
    for checkpoint in checkpoints or [None]:
        name = "SynSP" if len(checkpoints) < 2 else f"SynSP {checkpoint}"
        methods[name] = partial(synsp.refine, method="synsp", layout=layout,
                                **({"checkpoint": checkpoint} if checkpoint else {}))
    return methods


def _errors(pred: np.ndarray, clean: np.ndarray, layout: str, space: str) -> tuple[float, float, float]:
    """MPJPE over every joint, COCO's 17 and the rest (NaN when the layout has none)."""
    if space == "3d":
        pred = pred - root_position(pred, layout)
    names = get_layout(layout).joints
    coco = [names.index(n) for n in COCO17.joints if n in names]
    rest = [j for j in range(len(names)) if j not in coco]
    return (mpjpe(pred, clean), mpjpe(pred[:, coco], clean[:, coco]),
            mpjpe(pred[:, rest], clean[:, rest]) if rest else float("nan"))


def _table(layout: str, space: str, split: str, max_clips: int, preset: str, checkpoints: list[str],
           filters: bool) -> str:
    noisy = make_cases(split, preset, layout=layout, space=space, max_clips=max_clips)
    clean = make_cases(split, "none", layout=layout, space=space, max_clips=max_clips)
    weights = np.array([len(c.clean) for c in noisy], float)
    rows = []
    base = None
    for name, method in _methods(layout, space, preset, checkpoints, filters).items():
        def mean(cases, method=method):
            scores = [_errors(method(c.noisy), c.clean, layout, space) for c in cases]
            return np.average(scores, axis=0, weights=weights)
        errors, moved = mean(noisy), mean(clean)
        base = errors if base is None else base
        cells = [f"{e:.2f} ({e / b:.3f})" if np.isfinite(e) else "-" for e, b in zip(errors, base)]
        rows.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(
            f"{m:.2f}" if np.isfinite(m) else "-" for m in (moved[0], moved[2])) + " |")
    unit = "mm" if space == "3d" else "px"
    return "\n".join([
        f"#### {layout} ({space}, {split} split, {len(noisy)} clips, {int(weights.sum())} frames, {unit})\n",
        f"| method | `{preset}`: every joint | COCO-17 | other joints | clean moved: every joint | other joints |",
        "|---|---:|---:|---:|---:|---:|", *rows, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="test")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--preset", default="typical", help="the simulator's error preset (filters tuned on it)")
    parser.add_argument("--layouts", nargs="*", help="the layouts after the model's own (default: every one "
                        "above, and in 2D H36M-17's)")
    parser.add_argument("--checkpoint", nargs="+", default=[],
                        help="SynSP model(s), files or shipped names, side by side (default: the shipped one)")
    parser.add_argument("--no-filters", action="store_true", help="leave out the tuned filters (quicker)")
    args = parser.parse_args()
    own = "h36m17" if args.space == "3d" else "coco17"
    layouts = args.layouts if args.layouts is not None else [*LAYOUTS, *(LAYOUTS_2D if args.space == "2d" else ()),
                                                             *SMPL_LAYOUTS]
    for layout in (own, *layouts):
        print(_table(layout, args.space, args.split, args.max_clips, args.preset, args.checkpoint,
                     not args.no_filters), flush=True)


if __name__ == "__main__":
    main()
