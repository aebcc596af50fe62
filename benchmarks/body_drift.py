"""A whole body drifting in depth (a monocular estimate's camera coordinates): the layout's joints beyond the model's.

Audit 15: 4D-Humans' 44 joints, SMPL's 24 or HALPE-26 in camera metres (y down, 4 m away) with white
noise, plus a slow drift of the whole body in depth (1/f^2 noise, the same for every joint, normalised
to ``--drift`` mm std). The drift does not change the pose, but the joints the model does not give used
to take a low-pass of their absolute values (:func:`synsp.inference.risk_choice.lowpass_where_white`)
that lagged the drift the model's joints follow, pulling the body apart. "Before" is the route with
that low-pass read on absolute values only (as before 2026-12-06); "today" tries it relative to the
body's refined path too (:func:`synsp.inference.risk_choice.refined_path`). MPJPE in mm relative to
the ``--root`` joint per frame (the pose; the drift moves every joint alike), per clip and mean,
without and with the drift; SmoothNet beside them. ``--stream``: SynSP's and SmoothNet's streams too
(``synsp stream``'s :class:`~synsp.integrations.stream.PoseStream`, its defaults, the frames pushed one by one). Run:

    .venv/bin/python benchmarks/body_drift.py [--layout hmr44] [--root 8] [--split val] [--max-clips 4]
        [--noise 15] [--drift 150] [--stream]
"""
from __future__ import annotations

import argparse
from unittest import mock

import numpy as np

import synsp
import synsp.refining.converted_layout as converted_layout
from camera_pan import streamed  # the same stream, its 3D lines
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.inference.risk_choice import lowpass_where_white


def brown(rng: np.random.Generator, n_frames: int, std: float) -> np.ndarray:
    """(n_frames,) 1/f^2 noise along frames, zero mean, normalised to ``std``."""
    spectrum = np.fft.rfft(rng.normal(size=n_frames))
    f = np.fft.rfftfreq(n_frames)
    f[0] = f[1]
    x = np.fft.irfft(spectrum / f, n=n_frames)
    x -= x.mean()
    return x / x.std() * std


def cases(split: str, layout: str, max_clips: int, noise: float, drift: float):
    """Per clip (name, truth, input, input with the drift), (T, J, 3) camera metres, 300 frames at most."""
    names = [n for n in load_split(split) if clip_frames(n) >= 200]
    names = names[1::max(1, len(names) // max_clips)][:max_clips]  # spread over the split
    for i, name in enumerate(names):
        clip = load_clip(name, layout).astype(np.float64)[:300] @ np.diag([1.0, -1.0, -1.0])  # y down, facing
        truth = (clip - clip[:1, :1] + np.array([0.0, 0.0, 4000.0])) / 1000.0
        rng = np.random.default_rng(i)
        x = truth + rng.normal(0.0, noise / 1000.0, truth.shape)
        depth = brown(rng, len(truth), drift / 1000.0)[:, None, None] * np.array([0.0, 0.0, 1.0])
        yield name, truth, x, x + depth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layout", default="hmr44")
    parser.add_argument("--root", type=int, default=8, help="the joint errors are taken relative to (hmr44: MidHip)")
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=4)
    parser.add_argument("--noise", type=float, default=15.0, help="white noise per coordinate, mm")
    parser.add_argument("--drift", type=float, default=150.0, help="the depth drift's std, mm")
    parser.add_argument("--stream", action="store_true", help="SynSP's and SmoothNet's streams too")
    args = parser.parse_args()
    r = args.root

    def error(out: np.ndarray, truth: np.ndarray) -> float:
        return float(np.linalg.norm((out - out[:, r:r + 1]) - (truth - truth[:, r:r + 1]), axis=-1).mean() * 1000)

    def absolute(values, refined, joints, anchors=()):  # before: the low-pass on absolute values only
        return lowpass_where_white(values, refined, joints)

    print(f"#### {args.layout} ({args.split} split, {args.noise:g} mm white, drift {args.drift:g} mm, mm "
          f"relative to joint {r})\n\n| clip | before: still | drifting | today: still | drifting | SmoothNet: still | "
          "drifting |" + (" SynSP stream: still | drifting | SmoothNet stream: still | drifting |"
                          if args.stream else "")
          + "\n|---|---:|---:|---:|---:|---:|---:|" + "---:|" * (4 if args.stream else 0), flush=True)
    rows = []
    for name, truth, x, xd in cases(args.split, args.layout, args.max_clips, args.noise, args.drift):
        row = []
        with mock.patch.object(converted_layout, "lowpass_where_white", absolute):
            row += [error(synsp.refine(v, layout=args.layout), truth) for v in (x, xd)]
        row += [error(synsp.refine(v, layout=args.layout), truth) for v in (x, xd)]
        row += [error(synsp.refine(v, method="smoothnet"), truth) for v in (x, xd)]
        if args.stream:
            row += [error(streamed(v, args.layout, m), truth) for m in ("synsp", "smoothnet") for v in (x, xd)]
        rows.append(row)
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in row) + " |", flush=True)
    print("| mean | " + " | ".join(f"{v:.2f}" for v in np.mean(rows, axis=0)) + " |")


if __name__ == "__main__":
    main()
