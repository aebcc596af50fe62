"""A tracker's frozen pose through a stream: the same pose written for ``--seconds`` on a moving person.

A tracker that loses a walker may write its last pose again for seconds (a frozen run, no decoder's stall): offline
refinement carries the run's first half second on at the body's pace and holds it there (at a track's end; in the
middle it fills the run towards the frame after it). A stream sees no end of the run until it ends: it carries and
holds alike, but measures on its last 64 frames, and it stepped back to the pose repeated once the run's first frame
left them (RESULTS section 10, "A stream's long freeze").

Each validation clip (2D coco17 px, preset ``--preset``) at least ``--seconds`` + 3 s long gets a run: the clip's
last ``--seconds`` (``--where end``) or the ``--seconds`` in its middle (``--where mid``) a copy of the frame before
them (30 fps). Prints per clip and on average over the run's frames: the largest move of the joints' mean from one
frame to the next inside the run (px; the input's is 0, a carry's is the pace), through ``synsp.StreamingRefiner``
and offline (``synsp.refine(fps=30)``); the stream's mean distance from offline there, and its joints' mean's from
offline's; and each one's error against the truth there (px; the truth walks on).

``--guard`` instead reads every validation input of the protocol (clean-ish, typical, hard; 2D coco17 and 3D
h36m17) for its longest run of whole frames repeated (``held_frames``): the stream holds a run past the carry
(``stalls.carry_frames()``, 15) only.

Run::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_freeze.py --where end
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_freeze.py --where mid
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_freeze.py --guard
"""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import numpy as np

import synsp
from decoder_stalls import cases, error, streamed  # this folder's: the clips, a mean distance, a stream's output
from synsp.estimator_errors.held_values import held_frames
from synsp.evaluation.protocol import make_cases
from synsp.sequence import true_runs

COLUMNS = ("largest step: stream", "offline", "| stream from offline", "its joints' mean", "| error: input", "stream",
           "offline")


def largest_step(out: np.ndarray, run: slice) -> float:
    """The largest move (px) of the joints' mean of ``out`` (T, J, C) from one frame to the next within ``run``."""
    centre = np.asarray(out, np.float64)[run].mean(axis=1)
    return float(np.linalg.norm(np.diff(centre, axis=0), axis=-1).max())


def guard() -> None:
    """``--guard``: the longest run of whole frames repeated in the protocol's validation inputs (module docstring)."""
    inputs, longest = 0, 0
    for space, layout in (("2d", "coco17"), ("3d", "h36m17")):
        for preset in ("clean-ish", "typical", "hard"):
            for case in make_cases("val", preset, layout=layout, space=space):
                inputs += 1
                longest = max([longest] + [stop - start for start, stop in true_runs(held_frames(case.noisy))])
    print(f"{inputs} validation inputs: the longest run of whole frames repeated is {longest} frames")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--where", choices=("end", "mid"), default="end")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the frozen run")
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--guard", action="store_true", help="the protocol's inputs' longest run of repeats")
    args = parser.parse_args()
    if args.guard:
        return guard()
    frames, rows = int(round(args.seconds * 30)), []
    model = synsp.load_model("synsp-coco17")
    for name, truth, noisy in cases(SimpleNamespace(split="val", space="2d", preset=args.preset, clips=0, fps=30)):
        if len(noisy) < frames + 90:
            continue
        start = len(noisy) - 1 - frames if args.where == "end" else (len(noisy) - 1 - frames) // 2
        run = slice(start + 1, start + 1 + frames)
        held, frozen = noisy.copy(), np.zeros(len(noisy), bool)
        held[run], frozen[run] = held[start], True
        stream = np.asarray(streamed(model, held.astype(np.float32))[0], np.float64)
        offline = np.asarray(synsp.refine(held, fps=30), np.float64)
        rows.append([largest_step(stream, run), largest_step(offline, run), error(stream, offline, frozen),
                     error(stream.mean(axis=1, keepdims=True), offline.mean(axis=1, keepdims=True), frozen),
                     *(error(o, truth, frozen) for o in (held, stream, offline))])
        print(f"{name[:34]:34s} frames {run.start}-{run.stop - 1} of {len(noisy)}: " + "  ".join(
            f"{label} {value:.2f}" for label, value in zip(COLUMNS, rows[-1])), flush=True)
    where = f"{args.preset}, {args.seconds:g} s frozen at the {args.where}; px"
    print(f"mean over {len(rows)} clips ({where}): " + ", ".join(
        f"{label} {value:.2f}" for label, value in zip(COLUMNS, np.mean(rows, axis=0))))


if __name__ == "__main__":
    main()
