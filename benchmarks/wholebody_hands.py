"""COCO-WholeBody-133's hands against SmoothNet: per joint group, and a signer's hands exchanged.

``--part groups``: the validation split's first ``--clips`` Bandai clips (at most 300 frames) in
COCO-WholeBody-133 as :func:`joint_groups.coco133` builds them (hands and face fixed mixes of
MediaPipe's and Halpe's points), 3D mm or 2D pixels through a random camera, under the simulator's
``typical`` and ``jitter`` and white noise (``--white`` px per coordinate; 3D: 5 x that in mm),
and, in 2D, fingerspelling clips (:func:`synsp.data.fingerspelling.fingerspelling`, seeds from 100
on validation, from 0 on test). MPJPE per group: body (COCO-17), feet (6), face (68), each hand
(21); input, ``synsp.refine(x, layout="coco133")`` and ``method="smoothnet"``.

``--part swaps``: fingerspelling clips whose hand detector put each hand in the other's slot for
runs of 3-10 frames, ``--share`` of the frames (audit 9's signer clips): the hands' MPJPE in the
exchanged frames and elsewhere, and the body's, feet's and face's (px). Run:

    .venv/bin/python benchmarks/wholebody_hands.py --part groups [--space 3d] [--clips 10] [--split val]
    .venv/bin/python benchmarks/wholebody_hands.py --part swaps [--seeds 100 120] [--share 0.1]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import synsp
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.fingerspelling import fingerspelling
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.sequence import fill_gaps

GROUPS = {"body": np.arange(17), "feet": np.arange(17, 23), "face": np.arange(23, 91),
          "left hand": np.arange(91, 112), "right hand": np.arange(112, 133)}
LEFT, RIGHT = GROUPS["left hand"], GROUPS["right hand"]
METHODS = {"input": lambda x: x, "synsp": lambda x: synsp.refine(x, layout="coco133"),
           "smoothnet": lambda x: synsp.refine(x, method="smoothnet", layout="coco133")}


def groups_part(space: str, n_clips: int, split: str, white: float) -> None:
    """Part ``groups`` (module docstring)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from joint_groups import clip_in

    clean = []
    for c, name in enumerate(load_split(split)[:n_clips]):
        x, scale = clip_in(name, "coco133")[:300], 1.0
        if space == "2d":
            camera = random_camera(np.random.default_rng(c), subject=x)
            x, scale = project(x, camera).astype(np.float32), pixels_per_mm(x, camera)
        clean.append((x, scale))
    print(f"| errors ({space}, {split}) | group | input | synsp | SmoothNet | synsp / SmoothNet |")
    print("|---|---|---:|---:|---:|---:|")
    for kind in ("typical", "jitter", "white", "fingerspelling"):
        rng = np.random.default_rng(7)
        if kind == "fingerspelling":
            if space == "3d":
                continue
            first = 100 if split == "val" else 0
            drawn = (fingerspelling(300, seed=s) for s in range(first, first + n_clips))
            cases = [(n.astype(np.float32), c) for c, n in drawn]
        elif kind == "white":
            sigma = white if space == "2d" else 5.0 * white
            cases = [((x + rng.normal(0, sigma, x.shape)).astype(np.float32), x) for x, _ in clean]
        else:
            cases = [(fill_gaps(corrupt(x, kind, rng=rng, layout="coco133", unit_scale=s).noisy)[0], x)
                     for x, s in clean]
            cases = [(n.astype(np.float32), x) for n, x in cases]
        weights = [len(c) for _, c in cases]
        cells: dict[str, list[float]] = {}
        for method in METHODS.values():
            outs = [method(noisy) for noisy, _ in cases]
            for group, joints in GROUPS.items():
                cells.setdefault(group, []).append(np.average(
                    [np.linalg.norm(o[:, joints] - c[:, joints], axis=-1).mean() for o, (_, c) in zip(outs, cases)],
                    weights=weights))
        label = f"white {white:g}" + (" px" if space == "2d" else f" ({5 * white:g} mm)") if kind == "white" else kind
        for group, (a, b, c) in cells.items():
            print(f"| {label} | {group} | {a:.3f} | {b:.3f} | {c:.3f} | {b / c:.3f} |", flush=True)


def swaps_part(seeds: range, share: float) -> None:
    """Part ``swaps`` (module docstring)."""
    cases = []
    for seed in seeds:
        clean, noisy = fingerspelling(300, seed=seed)
        rng = np.random.default_rng(seed + 1000)
        hit = np.zeros(len(clean), bool)
        while hit.mean() < share:
            start = rng.integers(5, len(clean) - 15)
            hit[start:start + rng.integers(3, 11)] = True
        x = noisy.copy()
        x[np.ix_(hit, LEFT)], x[np.ix_(hit, RIGHT)] = noisy[np.ix_(hit, RIGHT)], noisy[np.ix_(hit, LEFT)]
        cases.append((x.astype(np.float32), clean, hit))
    hands = np.r_[LEFT, RIGHT]
    print(f"| method (seeds {seeds.start}-{seeds.stop - 1}, {share:g} exchanged) | hands, exchanged frames | hands, "
          "other frames | body | feet | face | worst clip, exchanged frames |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, method in METHODS.items():
        rows = []
        for x, clean, hit in cases:
            e = np.linalg.norm(method(x) - clean, axis=-1)
            rows.append([e[hit][:, hands].mean(), e[~hit][:, hands].mean(), e[:, :17].mean(), e[:, 17:23].mean(),
                         e[:, 23:91].mean()])
        rows = np.array(rows)
        worst = int(np.argmax(rows[:, 0]))
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in rows.mean(0)) +
              f" | {rows[worst, 0]:.2f} (seed {seeds.start + worst}) |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("groups", "swaps"), default="swaps")
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--split", default="val")
    parser.add_argument("--white", type=float, default=2.0)
    parser.add_argument("--seeds", type=int, nargs=2, default=(100, 120), help="part swaps: seeds from, to (exclusive)")
    parser.add_argument("--share", type=float, default=0.1)
    args = parser.parse_args()
    if args.part == "groups":
        groups_part(args.space, args.clips, args.split, args.white)
    else:
        swaps_part(range(*args.seeds), args.share)


if __name__ == "__main__":
    main()
