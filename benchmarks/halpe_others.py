"""HALPE-26 in 2D, joint by joint: the 9 joints beyond COCO-17's (head top, neck, hip centre, six foot points).

Each validation clip (at most 300 frames) in Halpe-26 through one random camera per clip (as
``clip_sweep.py --space 2d``), corrupted by ``--preset`` (``joint_groups.noisy_of``, one generator
seeded 100 + the clip's index). Printed per joint, error summed over frames and clips x the input's
(px): the default (``synsp.refine``), SmoothNet, a 6 Hz Butterworth, and the candidate "offset from
the refined anchor": the joint's Butterworth plus ``k`` x (the default's anchor - its Butterworth),
anchors the face (head top), the shoulders (neck), the hips (hip centre), the ankle (foot points).
Also the 17 shared joints refined in Halpe-26 against the same 17 joints (same errors) refined as
COCO-17, to tell whether the conversion costs them. Run::

    PYTHONPATH=src .venv/bin/python benchmarks/halpe_others.py [--preset typical] [--step 1]
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
from joint_groups import noisy_of
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.filters import butterworth
from synsp.skeleton import get_layout

ANCHORS = {17: [0, 1, 2, 3, 4], 18: [5, 6], 19: [11, 12], 20: [15], 21: [16], 22: [15], 23: [16], 24: [15], 25: [16]}
KS = (0.0, 0.6, 1.0)


def _err(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(J,) Euclidean error summed over frames (px)."""
    return np.linalg.norm(a - b, axis=-1).sum(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--split", default="val")
    parser.add_argument("--step", type=int, default=1, help="every step-th clip")
    args = parser.parse_args()
    torch.set_num_threads(1)
    acc = {k: np.zeros(26) for k in ("input", "default", "SmoothNet", "Butterworth 6 Hz", *(f"k={k}" for k in KS))}
    shared = {"as Halpe-26": 0.0, "as COCO-17": 0.0}
    for c, name in list(enumerate(load_split(args.split)))[:: args.step]:
        clip = load_clip(name, "halpe26")[:300]
        camera = random_camera(np.random.default_rng(c), subject=clip)
        x, scale = project(clip, camera).astype(np.float32), pixels_per_mm(clip, camera)
        noisy = noisy_of(x, args.preset, "halpe26", scale, np.random.default_rng(100 + c))
        out, low = synsp.refine(noisy), butterworth(noisy, cutoff=6.0, fps=30.0)
        for key, y in (("input", noisy), ("default", out), ("SmoothNet", synsp.refine(noisy, method="smoothnet")),
                       ("Butterworth 6 Hz", low)):
            acc[key] += _err(y, x)
        for k in KS:
            cand = out.copy()
            for j, a in ANCHORS.items():
                cand[:, j] = low[:, j] + k * (out[:, a].mean(1) - low[:, a].mean(1))
            acc[f"k={k}"] += _err(cand, x)
        shared["as Halpe-26"] += float(_err(out[:, :17], x[:, :17]).sum())
        shared["as COCO-17"] += float(_err(synsp.refine(noisy[:, :17]), x[:, :17]).sum())
    names = get_layout("halpe26").joints
    print("| joint | " + " | ".join(k for k in acc if k != "input") + " |")
    print("|---|" + "---:|" * (len(acc) - 1))
    rows = [(names[j], [j]) for j in range(17, 26)] + [("the 9 others", list(range(17, 26))),
                                                       ("the 17 shared", list(range(17))), ("all 26", list(range(26)))]
    for label, js in rows:
        base = acc["input"][js].sum()
        print(f"| {label} | " + " | ".join(f"{acc[k][js].sum() / base:.3f}" for k in acc if k != "input") + " |")
    base = acc["input"][:17].sum()
    print("shared 17 x input: " + ", ".join(f"{k} {v / base:.4f}" for k, v in shared.items()))


if __name__ == "__main__":
    main()
