"""Loose trunk points (:func:`synsp.inference.joint_corrections.loose_trunk_points`: BODY-25's neck
and mid-hip, Halpe-26's neck and hip, Bandai-22's Hips) with and without
:func:`~synsp.inference.joint_corrections.rigid_on_trunk`, on :mod:`joint_groups`' clips and errors.

``--in-2d`` carries them in 2D too (the default does in 3D only, ``RIGID_TRUNK_COORDS``).
Per point and mean over the points: MPJPE (3D mm, 2D px) of the input, the default before (the
nearest model joints' correction), the default now, and SmoothNet. ``--stream``: the same points
through ``synsp stream`` (:class:`synsp.integrations.stream.PoseStream`, its defaults, the clip's
frames pushed one by one) instead: input, the offline default, the stream before (the nearest
model joints' correction), the stream now, and SmoothNet (offline). Validation split only. Run:

    PYTHONPATH=src .venv/bin/python benchmarks/loose_trunk.py --space 3d --max-clips 12
    PYTHONPATH=src .venv/bin/python benchmarks/loose_trunk.py --space 2d --max-clips 12 --in-2d
    PYTHONPATH=src .venv/bin/python benchmarks/loose_trunk.py --space 3d --max-clips 12 --stream \
        --layouts body25 halpe26 bandai22 --kinds typical jitter clean
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
import synsp.inference.stream_layouts as stream_layouts
import synsp.refining.person as person
from joint_groups import clip_in, noisy_of
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.splits import load_split
from synsp.inference.joint_corrections import loose_trunk_points
from synsp.integrations.stream import Frame, PoseStream
from synsp.metrics import mpjpe
from synsp.refining.arrays import model_layout
from synsp.skeleton import can_convert, get_layout


def streamed(x: np.ndarray, layout: str, space: str) -> np.ndarray:
    """(T, J, C) ``x`` through a stream of ``layout`` in ``space`` (its defaults), frame by frame."""
    stream, lines = PoseStream("synsp", layout=layout, space=space), []
    for t, frame in enumerate(x):
        lines += stream.push(Frame(t, {0: np.asarray(frame, np.float64)}))
    lines += stream.close()
    return np.array([[[np.nan if v is None else v for v in p] for p in line["people"][0]["keypoints"]]
                     for line in lines], np.float32)


def stream_before(x: np.ndarray, layout: str, space: str) -> np.ndarray:
    """:func:`streamed` with the loose trunk points moved by the nearest model joints' correction."""
    kept = stream_layouts.RIGID_TRUNK_COORDS
    stream_layouts.RIGID_TRUNK_COORDS = ()
    try:
        return streamed(x, layout, space)
    finally:
        stream_layouts.RIGID_TRUNK_COORDS = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--max-clips", type=int, default=16)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--layouts", nargs="+", default=["body25", "halpe26", "bandai22", "mediapipe33", "coco133"])
    parser.add_argument("--kinds", nargs="+", default=["typical", "jitter", "clean-ish", "outliers", "clean"])
    parser.add_argument("--in-2d", action="store_true", help="carry them rigidly in 2D too (not the default)")
    parser.add_argument("--stream", action="store_true", help="through synsp stream (columns: module docstring)")
    args = parser.parse_args()
    if args.in_2d:
        person.RIGID_TRUNK_COORDS = stream_layouts.RIGID_TRUNK_COORDS = (2, 3)
    torch.set_num_threads(1)
    names = load_split("val")[: args.max_clips]
    c = 3 if args.space == "3d" else 2
    rigid = person.rigid_on_trunk
    print(f"{args.space}, validation split, first {len(names)} clips (<= {args.frames} frames)")
    if args.stream:
        print("| layout | errors | point | input | offline default | stream before | stream now | SmoothNet |")
        print("|---|---|---|---:|---:|---:|---:|---:|")
    else:
        print("| layout | errors | point | input | default before | default now | SmoothNet |")
        print("|---|---|---|---:|---:|---:|---:|")
    for layout in args.layouts:
        target = model_layout(c)
        ok = can_convert(layout, target, c) and c in person.RIGID_TRUNK_COORDS
        points = loose_trunk_points(layout, target) if ok else ()
        if not points:
            print(f"<!-- {layout} {args.space}: no loose trunk point (route unchanged) -->", flush=True)
            continue
        for kind in args.kinds:
            rng = np.random.default_rng(7)
            rows = []
            for ci, name in enumerate(names):
                x = clip_in(name, layout)[: args.frames]
                scale = 1.0
                if c == 2:
                    camera = random_camera(np.random.default_rng(ci), subject=x)
                    x, scale = project(x, camera).astype(np.float32), pixels_per_mm(x, camera)
                noisy = noisy_of(x, kind, layout, scale, rng)
                now = synsp.refine(noisy)
                if args.stream:
                    outs = (noisy, now, stream_before(noisy, layout, args.space), streamed(noisy, layout, args.space))
                else:
                    person.rigid_on_trunk = lambda *a, **k: {}
                    try:
                        outs = (noisy, synsp.refine(noisy), now)
                    finally:
                        person.rigid_on_trunk = rigid
                smooth = synsp.refine(noisy, method="smoothnet")
                rows.append([[mpjpe(o[:, [j]], x[:, [j]]) for o in (*outs, smooth)] for j in points])
            per = np.mean(rows, axis=0)  # (points, methods), clips equally weighted
            labels = [get_layout(layout).joints[j] for j in points] + ["mean"]
            for label, row in zip(labels, [*per, per.mean(0)]):
                print(f"| {layout} | {kind} | {label} | " + " | ".join(f"{v:.2f}" for v in row) + " |", flush=True)


if __name__ == "__main__":
    main()
