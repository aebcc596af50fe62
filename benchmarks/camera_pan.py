"""A hand-held camera's pan in 2D: every joint moved together along a random walk (brown noise).

Clips of the split (>= 200 frames, every n-th, first 300 frames) seen by a random camera, 2 px
white noise on each joint and the whole body shifted by a brown (1/f^2) pan of AMP px std per
axis; the truth pans too (the camera moved, the person did not shake). MPJPE in px against the
panned truth, per layout: the input, SynSP (``synsp.refine``), SmoothNet, and without the pan.
``--stream``: SynSP's and SmoothNet's streams too (``synsp stream``'s :class:`~synsp.integrations.stream.PoseStream`,
its defaults, the frames pushed one by one), with and without the pan.

    PYTHONPATH=src python benchmarks/camera_pan.py --split val --clips 6 --amp 30 [--stream]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.integrations.stream import Frame, PoseStream


def streamed(x: np.ndarray, layout: str, method: str) -> np.ndarray:
    """(T, J, C) ``x`` through a stream of ``method`` in ``layout`` (its defaults; 2D for C = 2, 3D for C = 3), frame
    by frame; (T, J, C), a 2D line's scores left out. body_drift.py's stream too."""
    stream, lines = PoseStream(method, layout=layout, space=f"{x.shape[-1]}d"), []
    for t, frame in enumerate(x):
        lines += stream.push(Frame(t, {0: np.asarray(frame, np.float64)}))
    lines += stream.close()
    return np.array([[[np.nan if v is None else v for v in p] for p in line["people"][0]["keypoints"]]
                     for line in lines], np.float64)[..., :x.shape[-1]]


def brown(rng: np.random.Generator, frames: int, sigma: float) -> np.ndarray:
    """(frames, 1, 2) 1/f^2 noise along time, mean 0, std ``sigma`` (px)."""
    spectrum = np.fft.rfft(rng.normal(size=(frames, 1, 2)), axis=0)
    f = np.fft.rfftfreq(frames)
    f[0] = f[1]
    walk = np.fft.irfft(spectrum * f[:, None, None] ** -1.0, n=frames, axis=0)
    walk -= walk.mean(axis=0)
    return walk / walk.std() * sigma


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--amp", type=float, default=30.0, help="the pan's std per axis, px")
    parser.add_argument("--layouts", nargs="+", default=["coco17", "halpe26"])
    parser.add_argument("--stream", action="store_true", help="SynSP's and SmoothNet's streams too")
    args = parser.parse_args()
    names = [n for n in load_split(args.split) if clip_frames(n) >= 200]
    names = names[:: max(1, len(names) // args.clips)][: args.clips]
    err = lambda o, t: float(np.linalg.norm(np.asarray(o) - t, axis=-1).mean())  # noqa: E731
    print(f"### camera pan {args.amp:g} px, 2 px white ({args.split}, {len(names)} clips, px)\n")
    streams = (" SynSP stream | SmoothNet stream | SynSP stream without the pan | SmoothNet stream without the pan |"
               if args.stream else "")
    print("| layout | input | SynSP | SmoothNet | SynSP without the pan | SmoothNet without the pan |" + streams)
    print("|---|---:|---:|---:|---:|---:|" + "---:|" * (4 if args.stream else 0))
    for layout in args.layouts:
        rows = []
        for i, name in enumerate(names):
            clip = load_clip(name, layout).astype(float)[:300]
            rng = np.random.default_rng(i)
            truth = project(clip, random_camera(rng, subject=clip))
            still = truth + rng.normal(0, 2.0, truth.shape)
            pan = brown(rng, len(truth), args.amp)
            panned, moved = still + pan, truth + pan
            rows.append([err(panned, moved), err(synsp.refine(panned), moved),
                         err(synsp.refine(panned, "smoothnet"), moved), err(synsp.refine(still), truth),
                         err(synsp.refine(still, "smoothnet"), truth)])
            if args.stream:
                rows[-1] += [err(streamed(x, layout, m), t) for x, t in ((panned, moved), (still, truth))
                             for m in ("synsp", "smoothnet")]
        print(f"| {layout} | " + " | ".join(f"{v:.2f}" for v in np.mean(rows, axis=0)) + " |", flush=True)


if __name__ == "__main__":
    main()
