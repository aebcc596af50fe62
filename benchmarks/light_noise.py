"""2D input with little white noise: does a refiner leave it better than it came?

The split's clean clips through the protocol's random cameras (COCO-17, px; ``make_cases(split, "none")``,
each clip's first 240 frames) are given white Gaussian noise of each ``--sigmas`` px per coordinate (seeded per
clip and sigma) and refined by each method at 30 fps. Cells: MPJPE px over all frames (as the protocol weighs
clips), then how many clips came out worse than their input. ``--per-clip`` prints every clip's figures too.
``--stream`` adds a live stream of the same model (``StreamingRefiner``, lag 7, lookahead 3) without and with its
light-white-noise step (:mod:`synsp.inference.stream_white_noise`), its time per frame for each (ms, one process,
alternating clips), and ``--presets`` the same two streams on the split's simulator cases (MPJPE x input; `none`:
px the clean clips moved). Run:

    .venv/bin/python benchmarks/light_noise.py [--split val] [--clips 12] [--sigmas 0.25 0.5 1 2] [--per-clip]
    .venv/bin/python benchmarks/light_noise.py --stream --sigmas 0.25 0.5 1 --presets typical jitter none
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases, score
from synsp.inference import stream_white_noise
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner

METHODS = ("input", "synsp", "smoothnet", "butterworth")
STREAMS = ("stream before", "stream after")
TIMES: dict[str, list[float]] = {name: [0.0, 0] for name in STREAMS}  # name -> [seconds, frames]


def streamed(model, noisy: np.ndarray, name: str) -> np.ndarray:
    """``noisy`` (T, J, C) pushed through a new stream of ``model`` frame by frame, then flushed; "stream before"
    without the light-white-noise step (its SPACES emptied while the stream is made), timed into :data:`TIMES`."""
    spaces = stream_white_noise.SPACES
    stream_white_noise.SPACES = () if name == "stream before" else spaces
    try:
        start = time.perf_counter()
        out = StreamingRefiner(model).refine_all(noisy)
        TIMES[name][0] += time.perf_counter() - start
        TIMES[name][1] += len(noisy)
    finally:
        stream_white_noise.SPACES = spaces
    return out


def presets(model, split: str, names: list[str], clips: int) -> None:
    """The two streams and offline on the split's simulator cases of each preset in ``names``."""
    for preset in names:
        cases = make_cases(split, preset, layout="coco17", space="2d", max_clips=clips)
        rows = []
        for case in cases:
            outs = [case.noisy, model.refine(case.noisy, fps=30)] + [streamed(model, case.noisy, n) for n in STREAMS]
            rows.append([len(case.clean)] + [score(o, case.clean, layout="coco17", space="2d")["MPJPE"] for o in outs])
        rows = np.array(rows)
        inp, off, before, after = np.average(rows[:, 1:], axis=0, weights=rows[:, 0])
        moved = max(np.abs(a - b) for a, b in zip(rows[:, 3], rows[:, 4]))
        if preset == "none":
            print(f"{preset} ({len(cases)} clips): clean clips moved by offline {off:.4f} px, stream before "
                  f"{before:.4f}, after {after:.4f}", flush=True)
        else:
            print(f"{preset} ({len(cases)} clips): input {inp:.4f} px, offline {off / inp:.4f}, stream before "
                  f"{before / inp:.4f}, after {after / inp:.4f} x input (largest change of a clip {moved:.4f} px)",
                  flush=True)


def errors(pred: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Per-frame mean joint error (T,), px."""
    return np.linalg.norm(np.asarray(pred, np.float64) - clean, axis=-1).mean(axis=-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0])
    parser.add_argument("--per-clip", action="store_true")
    parser.add_argument("--stream", action="store_true", help="add the live stream without and with its step")
    parser.add_argument("--presets", nargs="*", default=[], help="streams on these presets' cases too")
    parser.add_argument("--preset-clips", type=int, default=30)
    args = parser.parse_args()
    start = time.time()
    methods = METHODS + (STREAMS if args.stream else ())
    model = load_model("synsp-coco17") if args.stream or args.presets else None
    cases = make_cases(args.split, "none", layout="coco17", space="2d", max_clips=args.clips)
    print(f"{args.split} split, {len(cases)} clean clips (240 frames or fewer), white noise per coordinate; "
          "MPJPE px (clips worse than their input)")
    print("| noise (px) | " + " | ".join(methods) + " |")
    print("|---:|" + "---:|" * len(methods))
    lines = []
    for sigma in args.sigmas:
        per_frame = {m: [] for m in methods}
        worse = dict.fromkeys(methods, 0)
        for index, case in enumerate(cases):
            clean = np.asarray(case.clean[:240], np.float64)
            rng = np.random.default_rng([index, int(round(sigma * 1000))])
            noisy = (clean + rng.normal(0.0, sigma, clean.shape)).astype(np.float32)
            outputs = {"input": noisy, "synsp": synsp.refine(noisy, fps=30),
                       "smoothnet": synsp.refine(noisy, "smoothnet", fps=30),
                       "butterworth": synsp.refine(noisy, "butterworth", fps=30)}
            if args.stream:  # alternating which goes first, so that neither gets the warmer caches
                for name in STREAMS[::1 if index % 2 else -1]:
                    outputs[name] = streamed(model, noisy, name)
            clip = {m: errors(out, clean) for m, out in outputs.items()}
            for m in methods:
                per_frame[m].append(clip[m])
                worse[m] += bool(clip[m].mean() > clip["input"].mean())
            lines.append(f"  {sigma:g} px {case.name}: " + " ".join(f"{m} {clip[m].mean():.2f}" for m in methods))
        cells = [f"{np.concatenate(per_frame[m]).mean():.3f}" + ("" if m == "input" else f" ({worse[m]})")
                 for m in methods]
        print(f"| {sigma:g} | " + " | ".join(cells) + " |", flush=True)
    if args.per_clip:
        print("\n".join(lines))
    if args.presets:
        presets(model, args.split, args.presets, args.preset_clips)
    if args.stream or args.presets:
        print("stream time per frame: " + ", ".join(f"{n} {1000 * s / max(f, 1):.2f} ms"
                                                    for n, (s, f) in TIMES.items()))
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
