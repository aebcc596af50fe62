"""A live stream at a video cut (benchmarks/RESULTS.md, section 12, "A stream at a video cut"): the cases of
benchmarks/body_cuts.py (validation clips turned by ANGLE degrees about the vertical in one frame, at a third
and back at two thirds, or to the end; 3D 15 mm, 2D 2 px of white noise) and a take of the split's clips
joined end to end (``--joined MINUTES``: a cut in time at every join), each refined offline
(:meth:`~synsp.inference.refiner.Refiner.refine`, which cuts the track there: section 4, "A cut to another side
of the body") and pushed frame by frame through a :class:`~synsp.inference.streaming.StreamingRefiner` with its
defaults. Prints per angle MPJPE (x input; frames given with left and right exchanged) offline and streamed, and
the cuts the stream found of those made. ``--found``: body_cuts.py's ``--found`` lines (cuts found of those made
on every clip of the split, frames cut in the protocol's presets, at flips, in fast motion) with the cuts a
stream of ``--latency`` frames (default its defaults', lag + lookahead) finds, no network run. Run (PYTHONPATH=src)::

    .venv/bin/python benchmarks/stream_cuts.py [--space 3d|2d] [--angles 90 120 150 180] [--clips 6] [--to-end]
        [--joined 2] [--split val] [--found [--latency 10]]
"""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synsp  # noqa: E402
from body_cuts import cases, error, found_cuts, joined  # noqa: E402
from synsp.inference.checkpoint import load_model  # noqa: E402
from synsp.inference.stream_cuts import CutWatch  # noqa: E402
from synsp.inference.stream_measurements import LOOKAHEAD  # noqa: E402
from synsp.inference.streaming import StreamingRefiner  # noqa: E402
from synsp.skeleton import get_layout  # noqa: E402

MODELS = {"3d": "synsp-h36m17", "2d": "synsp-coco17"}


def streamed(model, noisy: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """``noisy`` (T, J, C) pushed through a new stream frame by frame, then flushed; and the frames it cut at
    (its ``cuts`` where the code has them)."""
    stream = StreamingRefiner(model)
    out = [stream.push(frame) for frame in noisy]
    cuts = list(getattr(stream, "cuts", []))
    out.append(stream.flush())
    return np.concatenate(out), cuts


def watched(x: np.ndarray, flip: np.ndarray, stay: int) -> set[int]:
    """The frames a stream's :class:`CutWatch` cuts ``x`` (T, J, C) at, reading ``stay`` frames after a jump (no
    network: the cut depends on the input only)."""
    watch = CutWatch(flip, stay, lambda frame: [], lambda: np.zeros(0))
    for frame in x:
        watch.push(frame[None])
    return set(watch.cuts)


def exchanged(out: np.ndarray, truth: np.ndarray, flip: np.ndarray) -> int:
    """Frames of ``out`` nearer ``truth`` with its left and right exchanged than ``truth``."""
    return int((np.linalg.norm(out - truth[:, flip], axis=-1).mean(1)
                < np.linalg.norm(out - truth, axis=-1).mean(1)).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["2d", "3d"], default="3d")
    parser.add_argument("--angles", type=float, nargs="+", default=[90, 120, 150, 180])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--to-end", action="store_true")
    parser.add_argument("--joined", type=float, metavar="MINUTES")
    parser.add_argument("--split", default="val")
    parser.add_argument("--found", action="store_true", help="body_cuts.py --found's lines with a stream's cuts")
    parser.add_argument("--latency", type=int,
                        help="--found: the stream's lag + lookahead (default the model's lag + lookahead)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load_model(MODELS[args.space])
    flip = get_layout("h36m17" if args.space == "3d" else "coco17").flip_index
    if args.found:
        latency = model.window - 1 + LOOKAHEAD if args.latency is None else args.latency
        return found_cuts(args.split, args.space, args.angles, lambda x: watched(x, flip, latency))
    if args.joined:
        rows = [(f"joined {args.joined:g} min", [joined(args.split, args.space, args.joined)])]
    else:
        rows = [(f"{a:g} deg", cases(args.split, args.space, a, args.clips, args.to_end)) for a in args.angles]
    print(f"| {args.space}, {'joined' if args.joined else 'to the end' if args.to_end else 'and back'} | input | "
          "offline (x input; frames L/R exchanged) | stream (x input; frames L/R exchanged) | stream's cuts found |")
    print("|---|---:|---:|---:|---:|")
    for name, runs in rows:
        inputs, offline, live, cells, found = [], [], [], [0, 0], [0, 0, 0]
        for noisy, truth, made in runs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                off = np.asarray(synsp.refine(noisy, "synsp"), np.float64)
                out, cuts = streamed(model, noisy)
            inputs.append(error(noisy, truth, args.space))
            offline.append(error(off, truth, args.space))
            live.append(error(np.asarray(out, np.float64), truth, args.space))
            cells[0] += exchanged(off, truth, flip)
            cells[1] += exchanged(np.asarray(out, np.float64), truth, flip)
            found[0] += len(set(cuts) & set(made))
            found[1] += len(made)
            found[2] += len(set(cuts) - set(made))
        i, o, s = np.mean(inputs), np.mean(offline), np.mean(live)
        frames = sum(len(n) for n, _, _ in runs)
        print(f"| {name} | {i:.2f} | {o:.2f} ({o / i:.3f}; {cells[0]} of {frames}) | {s:.2f} ({s / i:.3f}; "
              f"{cells[1]} of {frames}) | {found[0]} of {found[1]} (other frames {found[2]}) |", flush=True)


if __name__ == "__main__":
    main()
