"""A stream of keypoints in another layout than the model's (``synsp stream --layout``): error per
joint group, input against the stream's output.

Each of the first ``--clips`` validation clips (at most 300 frames) is made in ``--layout`` and
projected through one random camera (2D, pixels; as :mod:`clip_sweep` makes them), corrupted by
the simulator's ``--preset`` (one generator seeded 11 over the clips in order), and pushed frame
by frame through :class:`synsp.integrations.stream.PoseStream` (SynSP, the default lag and
lookahead). Printed: the mean over clips of each group's mean joint error (px). Run::

    .venv/bin/python benchmarks/stream_groups.py --layout mediapipe33 --preset typical
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from joint_groups import clip_in, groups, noisy_of
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.splits import load_split
from synsp.integrations.stream import Frame, PoseStream


def streamed(noisy: np.ndarray, layout: str) -> np.ndarray:
    """(T, J, 2) pixels through a SynSP stream of one person in ``layout``."""
    stream = PoseStream("synsp", layout=layout, space="2d")
    lines = [line for t in range(len(noisy)) for line in stream.push(Frame(t, {0: noisy[t]}))] + stream.close()
    return np.array([np.asarray(line["people"][0]["keypoints"], np.float64)[:, :2] for line in lines])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layout", default="mediapipe33")
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--clips", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng, errors = np.random.default_rng(11), {}
    for c, name in enumerate(load_split("val")[: args.clips]):
        x = clip_in(name, args.layout)[:300]
        camera = random_camera(np.random.default_rng(c), subject=x)
        x, scale = project(x, camera).astype(np.float32), pixels_per_mm(x, camera)
        noisy = noisy_of(x, args.preset, args.layout, scale, rng)
        out = streamed(noisy, args.layout)
        for group, joints in groups(args.layout, 2).items():
            error = [np.nanmean(np.linalg.norm(y[:, joints] - x[:, joints], axis=-1)) for y in (noisy, out)]
            errors.setdefault(group, []).append(error)
    for group, rows in errors.items():
        given, refined = np.mean(rows, axis=0)
        print(f"{args.layout} {args.preset} {group}: input {given:.3f} px, stream {refined:.3f} px")


if __name__ == "__main__":
    main()
