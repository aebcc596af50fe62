"""`synsp stream` with joints lost for longer than its lookahead (audit 10, finding 1; RESULTS section 12, "A
stream's joints lost past the lookahead"): the input's and the stream's error on the values seen, and the
stream's on the values it filled.

Clips: six travelling clips of the split (walks, runs, dashes; validation: audit 10's, every 5th clip's first
240 frames that travel; test: the split's walk/run/dash clips, 6 evenly), h36m17 mm (3D) or coco17 px through
one random camera (2D), white noise 8 mm / 2 px. Cases, drawn as audit 10 drew them:
``pelvis``: the pelvis (2D: both hips) lost for 6-12 frames every 2 s; ``scattered``: 20 % of the joint values
lost in runs of 1-6 frames. Each clip goes as JSON lines through ``run_stream`` (the ``synsp stream`` CLI's
path; SynSP, default lag and lookahead). Run::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_lost_joints.py --case pelvis [--space 2d]
        [--split test]
"""
from __future__ import annotations

import argparse
import io
import json

import numpy as np

from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.integrations.stream import PoseStream, run_stream

AUDIT = (1, 2, 3, 9, 10, 11)  # audit 10's indices of its 12 validation clips: the six that travel


def clips(split: str, layout: str) -> list[tuple[int, str, np.ndarray]]:
    """(index for the seeds, name, (T, J, 3) mm) of the six travelling clips, first 240 frames."""
    names = load_split(split)
    if split == "val":
        names = names[:: len(names) // 12][:12]
        picked = [(i, names[i]) for i in AUDIT]
    else:
        moving = [n for n in names if any(k in n for k in ("walk", "run", "dash"))]
        picked = list(zip(AUDIT, moving[:: len(moving) // 6][:6]))
    return [(i, n, load_clip(n, layout).astype(np.float64)[:240]) for i, n in picked]


def stream(x: np.ndarray, layout: str, space: str) -> np.ndarray:
    """(T, J, C) with NaN for lost joints through ``run_stream``; the output lines as (T, J, C)."""
    lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": [
        p.tolist() if np.isfinite(p).all() else None for p in x[t]]}]}) + "\n" for t in range(len(x)))
    out_io = io.StringIO()
    run_stream(PoseStream("synsp", layout=layout, space=space), io.StringIO(lines), out_io, io.StringIO())
    out = np.full_like(x, np.nan)
    for line in out_io.getvalue().splitlines():
        frame = json.loads(line)
        out[frame["t"]] = [[np.nan] * x.shape[-1] if k is None else k[: x.shape[-1]]
                           for k in frame["people"][0]["keypoints"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["pelvis", "scattered"], default="pelvis")
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="val")
    args = parser.parse_args()
    layout = "h36m17" if args.space == "3d" else "coco17"
    rows = []
    for i, name, clip in clips(args.split, layout):
        if args.case == "pelvis":
            rng = np.random.default_rng(1500 + i)
            clean = project(clip, random_camera(np.random.default_rng(i), subject=clip)) if args.space == "2d" else clip
        else:
            clean = clip if args.space == "3d" else project(clip, random_camera(np.random.default_rng(600 + i),
                                                                                subject=clip))
            rng = np.random.default_rng(700 + i)
        noisy = clean + rng.normal(0, 8.0 if args.space == "3d" else 2.0, clean.shape)
        lost = np.zeros(clean.shape[:2], bool)
        if args.case == "pelvis":
            t = 15
            while t < len(clean) - 5:
                lost[t: t + rng.integers(6, 13), [0] if args.space == "3d" else [11, 12]] = True
                t += 60
        else:
            while lost.mean() < 0.2:
                j, t, n = rng.integers(clean.shape[1]), rng.integers(len(clean)), rng.integers(1, 7)
                lost[t: t + n, j] = True
        noisy[lost] = np.nan
        out = stream(noisy, layout, args.space)
        error = lambda x, where: float(np.linalg.norm(x - clean, axis=-1)[where].mean())  # noqa: E731
        rows.append([error(noisy, ~lost), error(out, ~lost), error(out, lost)])
        print(name, len(clean), np.round(rows[-1], 2).tolist(), flush=True)
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.case}, {args.space}, {args.split}: input on the values seen / stream on them / stream on the values "
          f"lost ({unit}), mean over clips")
    print(np.round(np.mean(rows, 0), 2).tolist())


if __name__ == "__main__":
    main()
