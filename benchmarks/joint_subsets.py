"""A user's own subset of the model's joints (a DeepLabCut project's 8 body parts of a person, a marker set of the
limbs): refined in the model's layout, the absent joints NaN (never seen: filled for the network, not scored), against
the same joints refined as joints of no layout (the route a file of such names took before), SmoothNet alone and a
Butterworth low-pass at its defaults. MPJPE on the present joints, 3D mm / 2D px.

The split's clips under the simulator's ``typical`` errors, or white noise (2 px / 8 mm per coordinate). The layout's
route is :func:`synsp.refining.person.refine_track` with ``layout=`` the model's and ``lacking=`` the absent joints, as
``synsp refine`` runs a file that names them (:mod:`synsp.formats.joint_subsets`). Run:

    .venv/bin/python benchmarks/joint_subsets.py [--space 2d] [--noise white] [--split val] [--clips 10]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.metrics import mpjpe
from synsp.refining.person import refine_track

# The joints each subset keeps, by the model layout's index
SUBSETS = {
    "coco17": {"nose, shoulders, wrists, left hip, ankles (8)": [0, 5, 6, 9, 10, 11, 15, 16],
               "arms and hips (8)": list(range(5, 13)),
               "limbs without the hips (10)": [5, 6, 7, 8, 9, 10, 13, 14, 15, 16],
               "limbs, no face (12)": list(range(5, 17))},
    "h36m17": {"head, shoulders, wrists, left hip, ankles (8)": [10, 11, 14, 13, 16, 4, 6, 3],
               "arms and hips (8)": [1, 4, 11, 12, 13, 14, 15, 16],
               "limbs without the hips (10)": [2, 3, 5, 6, 11, 12, 13, 14, 15, 16],
               "limbs (12)": [1, 2, 3, 4, 5, 6] + list(range(11, 17))},
}
WHITE = {"2d": 2.0, "3d": 8.0}  # std per coordinate, px / mm


def run(space: str, noise: str, split: str, clips: int) -> str:
    layout = "h36m17" if space == "3d" else "coco17"
    cases = make_cases(split, "none" if noise == "white" else noise, layout=layout, space=space, max_clips=clips)
    lines = [f"{space.upper()} ({'mm' if space == '3d' else 'px'}), {noise}, {split} split, first {clips} clips", "",
             "| joints | input | in the model's layout | as joints of no layout (before) | SmoothNet | Butterworth |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, keep in SUBSETS[layout].items():
        rows, frames = [], []
        for i, case in enumerate(cases):
            clean = np.asarray(case.clean, np.float64).reshape(case.clean.shape[-3:])
            noisy = (clean + np.random.default_rng(i).normal(0, WHITE[space], clean.shape) if noise == "white"
                     else np.asarray(case.noisy, np.float64).reshape(case.noisy.shape[-3:]))
            full = np.full_like(noisy, np.nan)
            full[:, keep] = noisy[:, keep]
            lacking = np.ones(full.shape[-2], dtype=bool)
            lacking[keep] = False
            sub = noisy[:, keep]
            outs = [sub, refine_track(full, layout, "synsp", lacking=lacking)[:, keep],
                    refine_track(sub, None, "synsp"), refine_track(sub, None, "smoothnet"),
                    refine_track(sub, None, "butterworth")]
            rows.append([mpjpe(out, clean[:, keep]) for out in outs])
            frames.append(len(clean))
        m = np.average(rows, axis=0, weights=frames)
        lines.append(f"| {label} | " + " | ".join(f"{v:.2f}" for v in m) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="2d")
    parser.add_argument("--noise", choices=("typical", "white"), default="typical")
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=10)
    args = parser.parse_args()
    start = time.time()
    print(run(args.space, args.noise, args.split, args.clips))
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
