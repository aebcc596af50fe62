"""Bodies that do not stand upright: the split's clips leaning, lying, falling, turning cartwheels.

The mocap holds people standing, walking, dancing: every body upright. Here each clip is
turned about a horizontal axis of the world (its first, X, or its third, Z) through its root
before the errors are drawn (2D: before the virtual camera films it), by a constant angle
(leaning, lying, upside down) or one growing over the clip (a fall from upright to lying, a
cartwheel). For each: MPJPE of ``typical`` input (x input) and how far the clean clip is moved,
for SmoothNet, SynSP without the 2D windows' turn (``Refiner.max_lean = None``;
:mod:`synsp.inference.window_lean`) and SynSP (the default). Run:

    .venv/bin/python benchmarks/leaning.py [--space 2d] [--split val] [--max-clips N]
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.spatial.transform import Rotation

from axes import print_table, space_arguments  # this folder's scripts share their table
from synsp.data.mocap import load_clips
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, Case, score
from synsp.inference.checkpoint import DEFAULT_MODEL, default_model, load_model
from synsp.skeleton import root_position

# label -> (world axis, angle in degrees at the clip's first frame, at its last)
LEANS = {
    "upright": ("x", 0, 0),
    "leaning 20 deg sideways (about Z)": ("z", 20, 20),
    "leaning 45 deg sideways": ("z", 45, 45),
    "lying on its side (90 deg)": ("z", 90, 90),
    "falling sideways (0 -> 90 deg)": ("z", 0, 90),
    "cartwheel (0 -> 360 deg)": ("z", 0, 360),
    "upside down (180 deg)": ("z", 180, 180),
    "leaning 45 deg (about X)": ("x", 45, 45),
    "lying (90 deg about X)": ("x", 90, 90),
    "falling (0 -> 90 deg about X)": ("x", 0, 90),
    "somersault (0 -> 360 deg about X)": ("x", 0, 360),
}


def leaned(clip: np.ndarray, axis: str, start: float, stop: float, layout: str) -> np.ndarray:
    """``clip`` (T, J, 3) mm turned about the world ``axis`` through its root, by an angle going
    from ``start`` to ``stop`` degrees over the clip."""
    root = root_position(clip, layout)
    angles = np.linspace(start, stop, len(clip))[:, None]
    turn = Rotation.from_euler(axis, angles, degrees=True).as_matrix()  # (T, 3, 3)
    return (np.einsum("tab,tjb->tja", turn, clip - root) + root).astype(np.float32)


def leaning_cases(split: str, space: str, max_clips: int) -> tuple[dict[str, list[Case]], dict[str, list[Case]]]:
    """Per row of :data:`LEANS`: the ``typical`` cases, and the clean clips as cases (input =
    truth). Every row draws the same errors (one seed per row)."""
    layout = "h36m17" if space == "3d" else "coco17"
    names = load_split(split)[: max_clips or None]
    clips = load_clips(names, layout=layout)
    typical, clean = {}, {}
    for label, (axis, start, stop) in LEANS.items():
        rng = np.random.default_rng(EVAL_SEED)
        rows = []
        for name, clip in zip(names, clips):
            other = clips[rng.integers(len(clips))]
            noisy, truth = estimate(leaned(clip, axis, start, stop, layout), other, rng,
                                    preset=get_preset("typical"), layout=layout, space=space)
            rows.append(Case(name, noisy, truth))
        typical[label] = rows
        clean[label] = [Case(c.name, c.clean.astype(np.float32), c.clean) for c in rows]
    return typical, clean


def main() -> None:
    args, layout, unit = space_arguments(__doc__.splitlines()[0])
    methods: dict[str, Callable] = {"input": lambda x: x,
                                    "SmoothNet": load_model(default_model("smoothnet", args.space)).refine}
    if args.space == "2d":
        unturned = load_model(DEFAULT_MODEL["2d"])
        unturned.max_lean = None
        methods["SynSP, no turn"] = unturned.refine
    methods["SynSP (default)"] = load_model(DEFAULT_MODEL[args.space]).refine
    typical, clean = leaning_cases(args.split, args.space, args.max_clips)

    def mean(method: Callable, cases: dict[str, list[Case]], label: str) -> float:
        scores = [score(method(c.noisy), c.clean, layout=layout, space=args.space)["MPJPE"] for c in cases[label]]
        return float(np.average(scores, weights=[len(c.clean) for c in cases[label]]))

    print(f"\n{args.space.upper()}, {args.split} split, {len(typical['upright'])} clips: `typical` MPJPE "
          f"({unit}, x input) | clean clip moved by ({unit})\n")
    print_table("body", {label: label for label in LEANS}, methods, typical, clean, mean)


if __name__ == "__main__":
    main()
