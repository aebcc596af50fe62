"""Two people crossing, their ids swapped by the tracker from just before the crossing (bodies overlapping: too
close for the half-size and path cuts; the centre's cut, centre_cuts) to 20 frames after it (cut) and back: a
user audit's case (audit 8, finding 2), on the split's walk clips. benchmarks/RESULTS.md, section 4, "Two
people crossing, their ids swapped".

Each pair: two walk clips projected through random cameras, ~500 px tall, walking towards each other on one
line (the second at 0.9 x the size), 2 px of noise, given as a (2, T, 17, 2) coco17 array (persons first). Cases:
``swap`` (the ids swapped from 5 frames before the crossing), ``swap3`` (3 frames before), ``swap8`` (8 frames
before: cut there), ``none`` (no swap: what nothing may change). Error of each output detection against the truth
of the person its input detection belonged to, px: far from the swapped stretch, within 10 frames of it, in it,
the worst value; and the pair-frames the measurement step (:func:`synsp.estimator_errors.measurements.measurements`,
what SynSP and SmoothNet see) exchanged on each track's spans. ``--space 3d``: audit 8's 3D version (h36m17, mm,
world Y-up: walkers on crossing straight paths 400 mm apart in depth, the second turned to face its way, 8 mm of
noise). Methods besides :data:`synsp.METHODS`: ``stream`` (each id through its own
:class:`~synsp.StreamingRefiner`, defaults) and ``crowd`` (both through one
:class:`~synsp.MultiPersonStreamingRefiner`, as ``synsp stream`` runs them); with them, the frames where the
streams cut (RESULTS section 12, "A stream at a crossing with ids swapped"). Run:

    .venv/bin/python benchmarks/crossing_swap.py [--split val] [--space 2d|3d]
        [--methods synsp smoothnet butterworth stream crowd] [CASE ...]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
import torch

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.track_switches import track_segments
from synsp.skeleton import get_layout

T = 150
MODELS = {"2d": "synsp-coco17", "3d": "synsp-h36m17"}
LEADS = {"swap": 5, "swap3": 3, "swap8": 8, "none": None}  # frames before the crossing the ids are swapped


def person(name: str, seed: int, x0: float, x1: float, scale: float) -> np.ndarray:
    """(T, 17, 2) a clip projected through a random camera, ~500 x ``scale`` px tall, walking from x0 to x1."""
    clip = load_clip(name, "coco17")[:T].astype(np.float64)
    image = project(clip, random_camera(seed, subject=clip))
    image = (image - image.mean(1, keepdims=True)) * scale / (np.ptp(image[..., 1], axis=1).mean() / 500)
    return image + np.stack([np.linspace(x0, x1, T), np.full(T, 540.0)], -1)[:, None]


def walker(name: str, x0: float, x1: float, z: float, turn: bool) -> np.ndarray:
    """(T, 17, 3) a clip in mm (Y up), its own horizontal path taken out, walking from x0 to x1 at depth z
    (``turn``: turned 180 degrees to face that way)."""
    clip = load_clip(name)[:T].astype(np.float64)
    clip[..., [0, 2]] -= clip[:, :1, [0, 2]]
    if turn:
        clip[..., [0, 2]] *= -1
    clip[..., 0] += np.linspace(x0, x1, T)[:, None]
    clip[..., 2] += z
    return clip


def cut_frames(stream, t: int) -> set:
    """The frames of the input (``t`` the newest pushed) where ``stream`` was cut since it last started afresh (a
    switch of people starts it afresh with a new watch, which counts its frames from there)."""
    watch = stream._cuts
    return {t + 1 - watch.frames + c for c in watch.cuts}


def streamed(x: np.ndarray, model: str, crowd: bool, cuts: list) -> np.ndarray:
    """(P, T, J, C) ``x`` pushed frame by frame through a stream per person (``crowd``: one crowd's stream, ids
    0..P-1), then flushed; the frames each person's stream was cut at are added to ``cuts``."""
    refiner = synsp.load_model(model)
    if not crowd:
        out = []
        for track in x:
            stream, found = synsp.StreamingRefiner(refiner), set()
            out.append([])
            for t, frame in enumerate(track):
                out[-1].append(stream.push(frame))
                found |= cut_frames(stream, t)
            cuts.append(sorted(found))
            out[-1] = np.concatenate([*out[-1], stream.flush()])
        return np.stack(out)
    stream, got = synsp.MultiPersonStreamingRefiner(refiner), {p: [] for p in range(len(x))}
    found: list[set] = [set() for _ in x]  # the crowd's frames each person's stream was cut at
    for t in range(x.shape[1]):
        for p, frames in stream.push(x[:, t]).items():
            got[p].append(frames)
            found[p] |= cut_frames(stream._people[p], t) if p in stream._people else set()
    cuts += [sorted(f) for f in found]
    for p, frames in stream.flush().items():
        got[p].append(frames)
    return np.stack([np.concatenate(got[p]) for p in range(len(x))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=["swap", "swap3", "swap8", "none"])
    parser.add_argument("--split", default="val")
    parser.add_argument("--space", choices=["2d", "3d"], default="2d")
    parser.add_argument("--methods", nargs="+", default=["synsp", "smoothnet", "butterworth"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    flat = args.space == "2d"
    layout, model, unit = get_layout("coco17" if flat else "h36m17"), MODELS[args.space], "px" if flat else "mm"
    names = [n for n in load_split(args.split) if "walk" in n and clip_frames(n) >= T]
    columns = ["input", *args.methods]
    for case in args.cases:
        rng = np.random.default_rng(100)
        rows, exchanged, cuts = {m: [] for m in columns}, [], {m: [] for m in ("stream", "crowd")}
        for k in range(len(names) // 2):
            if flat:
                truth = np.stack([person(names[2 * k], 40 + k, 300, 1600, 1.0),
                                  person(names[2 * k + 1], 60 + k, 1600, 300, 0.9)])
            else:
                truth = np.stack([walker(names[2 * k], -1500, 1500, 0, False),
                                  walker(names[2 * k + 1], 1500, -1500, 400, True)])
            x, own, c = truth + rng.normal(0, 2 if flat else 8, truth.shape), truth.copy(), T // 2
            stretch = np.zeros(T, dtype=bool)
            stretch[c - (LEADS[case] or 5):c + 20] = True
            if LEADS[case] is not None:
                x[:, stretch], own[:, stretch] = x[::-1, stretch], own[::-1, stretch]
            near = np.convolve(stretch.astype(float), np.ones(21), "same") > 0
            exchanged.append(sum(int(measurements(x[p, span], layout).exchanged.sum())
                                 for p in (0, 1) for span in track_segments(x[p], pairs=layout.left_right)))
            for m in columns:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if m in cuts:
                        y = np.asarray(streamed(x.astype(np.float32), model, m == "crowd", cuts[m]), float)
                    else:
                        y = x if m == "input" else np.asarray(synsp.refine(x.astype(np.float32), m, fps=30), float)
                e = np.linalg.norm(y - own, axis=-1)  # (2, T, J)
                rows[m].append((e[:, ~near].mean(), e[:, near & ~stretch].mean(), e[:, stretch].mean(), e.max()))
        means = {m: np.mean(rows[m], axis=0) for m in columns}
        noise = "2 px" if flat else "8 mm"
        print(f"\n### {args.split}, {args.space} {case} ({len(exchanged)} pairs of walk clips crossing, {noise} noise, "
              f"{unit})\n")
        print("| | " + " | ".join(columns) + " |\n|---|" + "---:|" * len(columns))
        for i, label in enumerate(("far from the stretch", "within 10 frames of it", "in the stretch", "worst value")):
            print(f"| {label} | " + " | ".join(f"{means[m][i]:.2f}" for m in columns) + " |")
        print(f"\nmeasurement step's exchanged pair-frames per pair: {exchanged} (total {sum(exchanged)})", flush=True)
        for m in cuts:
            if m in columns:
                print(f"{m}'s cuts per track: {cuts[m]}", flush=True)


if __name__ == "__main__":
    main()
