"""A 2D stream seen from high above: `synsp stream`'s SynSP before and after it gave way to SmoothNet
(:mod:`synsp.inference.stream_above`), against offline refinement's default, per camera elevation.

The views of tests/fixtures/cameras/seen_from_above.npz (a clean validation walk seen from 0, 75 and
89 degrees) and a few validation clips (their first ``--frames`` frames) seen by a fixed camera at each
elevation (:func:`synsp.data.camera.random_camera`, as benchmarks/high_cameras.py), clean or with
white jitter of 1 % of the body's height in the image. Cells: MPJPE px against the clean poses
(clean rows: px moved), mean over clips; "before": the stream with the model's ``foreshortened``
None (no give-way). Last, the stream's time per frame on the level views, before and after (best of
``--repeats``). Run:

    .venv/bin/python benchmarks/stream_above.py [--clips 3] [--frames 150] [--elevations 0 60 75 89]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.inference.streaming import StreamingRefiner
from synsp.refining.methods import network_model

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "cameras" / "seen_from_above.npz"


def streamed(noisy: np.ndarray, give_way: bool) -> tuple[np.ndarray, float]:
    """The stream's output for ``noisy`` (T, 17, 2) px, and its time per frame (s)."""
    model = network_model("synsp", 2)
    ramp = model.foreshortened
    try:
        model.foreshortened = ramp if give_way else None
        stream, start = StreamingRefiner(model), time.perf_counter()
        out = stream.refine_all(noisy)
        return out, (time.perf_counter() - start) / len(noisy)
    finally:
        model.foreshortened = ramp


def views(args: argparse.Namespace, rng: np.random.Generator) -> list[tuple[str, float, np.ndarray]]:
    """(source, elevation, clean (T, 17, 2) px) of the fixture and of the validation clips."""
    from high_cameras import clips  # benchmarks/, this script's folder

    fixture = np.load(FIXTURE)
    out = [("fixture", float(k.split("_")[1]), fixture[k].astype(np.float64)) for k in fixture.files]
    for _, clip in clips("val", args.clips):
        clip = clip[: args.frames]
        for elevation in args.elevations:
            out.append(("val", elevation, project(clip, random_camera(rng, subject=clip,
                                                                      elevation_deg=(elevation, elevation)))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument("--elevations", type=float, nargs="+", default=[0, 60, 75, 89])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    start, rng = time.time(), np.random.default_rng(5)
    rows: dict[tuple[str, float, str], list[list[float]]] = {}
    level = []
    for source, elevation, clean in views(args, rng):
        height = float(np.median(np.ptp(clean[..., 1], axis=1)))
        for errors in ("white", "none"):
            noise = rng.normal(0.0, 0.01 * height, clean.shape) if errors == "white" else 0.0
            noisy = (clean + noise).astype(np.float32)
            outs = [noisy, synsp.refine(noisy, fps=30), streamed(noisy, False)[0], streamed(noisy, True)[0]]
            rows.setdefault((source, elevation, errors), []).append(
                [float(np.linalg.norm(o - clean, axis=-1).mean()) for o in outs])
            if elevation == 0 and errors == "white":
                level.append(noisy)
    print("MPJPE px (clean rows: px moved); mean over clips")
    print("| views | elevation | errors | input | offline default | stream before | stream after |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (source, elevation, errors), scores in rows.items():
        cells = np.mean(scores, axis=0)
        label = "clean" if errors == "none" else "white 1 %"
        print(f"| {source} ({len(scores)}) | {elevation:.0f} | {label} | "
              + " | ".join(f"{c:.3f}" for c in cells) + " |")
    times = {give_way: [min(streamed(x, give_way)[1] for _ in range(args.repeats)) for x in level]
             for give_way in (False, True)}
    print(f"level views, stream ms per frame (best of {args.repeats}, mean over {len(level)} views): "
          f"before {1e3 * np.mean(times[False]):.2f}, after {1e3 * np.mean(times[True]):.2f}")
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
