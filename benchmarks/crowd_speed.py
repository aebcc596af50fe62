"""Milliseconds per frame of a 2D crowd stream (:class:`MultiPersonStreamingRefiner`, the shipped
COCO-17 model, its defaults), for 1, 4 and 10 people, on one thread (``--space 3d``: a 3D crowd, the
shipped Human3.6M-17 model).

The frames are the validation clips' 2D (3D) poses under ``--preset`` (default ``typical``), one after
another; person i starts 97 frames further into them and 50 px (mm) to the right, ids 0..P-1. Each
crowd is pushed ``--frames`` frames (default 200), the crowds interleaved frame by frame so that
the machine's load falls on all alike; the first ``window`` frames (before the first output) are
not timed. Times are the process's CPU time (``time.process_time``), so that other jobs on a
shared machine weigh less on them than on the wall clock. Beside the whole push: the time in
giving frames back (the crowd's ``_emit_together``: bone step, floor step, low-pass, clean step;
no network). With ``--save FILE`` every person's output (the pushes' and the flush's) is written
to an .npz, and with ``--compare FILE`` checked against such a file (``np.allclose``, 1e-6):
run it before and after a change that must not alter the output, e.g. ::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/crowd_speed.py [--frames 200]
        [--people 1 4 10] [--preset typical] [--space 2d] [--save before.npz | --compare before.npz]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--people", type=int, nargs="+", default=[1, 4, 10])
    parser.add_argument("--preset", default="typical", help="the estimator errors of the input ('none': clean)")
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--save", help="write every person's output to this .npz")
    parser.add_argument("--compare", help="check every person's output against this .npz")
    args = parser.parse_args()
    torch.set_num_threads(1)
    layout = "coco17" if args.space == "2d" else "h36m17"
    seq = np.concatenate([c.noisy for c in make_cases("val", args.preset, layout=layout, space=args.space)])
    seq = seq.astype(np.float32)
    model = load_model(f"synsp-{layout}", "cpu")
    crowds = {p: MultiPersonStreamingRefiner(model) for p in args.people}
    emitting = [0.0]  # seconds in _emit_together since the last push began
    emit = MultiPersonStreamingRefiner._emit_together

    def timed_emit(self, streams):
        start = time.process_time()
        try:
            return emit(self, streams)
        finally:
            emitting[0] += time.process_time() - start

    MultiPersonStreamingRefiner._emit_together = timed_emit
    outputs: dict[str, list[np.ndarray]] = {}
    times: dict[int, list[float]] = {p: [] for p in args.people}
    given: dict[int, list[float]] = {p: [] for p in args.people}
    for t in range(args.frames):
        for p, crowd in crowds.items():
            poses = np.stack([seq[(t + 97 * i) % len(seq)] + np.float32(50 * i) for i in range(p)])
            emitting[0], start = 0.0, time.process_time()
            out = crowd.push(poses)
            times[p].append(time.process_time() - start)
            given[p].append(emitting[0])
            for pid, frames in out.items():
                outputs.setdefault(f"{p}_{pid}", []).append(frames)
    for p, crowd in crowds.items():
        for pid, frames in crowd.flush().items():
            outputs.setdefault(f"{p}_{pid}", []).append(frames)
    print(f"{args.space.upper()} crowd stream, synsp-{layout} defaults, 1 thread, CPU time, {args.frames} frames "
          f"(first {model.window} not timed), preset {args.preset}\n")
    print("| people | mean ms/frame | ms/frame per person | giving back, ms/frame | giving back, ms/frame per person |"
          "\n|---:|---:|---:|---:|---:|")
    for p in args.people:
        ms, back = (np.array(x[p][model.window:]) * 1e3 for x in (times, given))
        print(f"| {p} | {ms.mean():.2f} | {ms.mean() / p:.2f} | {back.mean():.2f} | {back.mean() / p:.2f} |")
    joined = {key: np.concatenate(parts) for key, parts in outputs.items()}
    if args.save:
        np.savez(args.save, **joined)
    if args.compare:
        with np.load(args.compare) as before:
            same = sorted(before.files) == sorted(joined) and all(
                np.allclose(before[key], joined[key], atol=1e-6, rtol=1e-6, equal_nan=True) for key in joined)
            worst = max(float(np.nanmax(np.abs(before[key] - joined[key]))) for key in joined)
        print(f"\noutput against {args.compare}: {'the same' if same else 'DIFFERENT'} "
              f"(np.allclose at 1e-6; largest difference {worst:.3g})")


if __name__ == "__main__":
    main()
