"""How fast each method refines, offline (whole sequences) and streaming (frame by frame), on CPU.

Offline: frames per second refining one long 3D sequence (h36m17, 17 x 3) made of the test
clips under the `typical` preset, best of ``--repeats`` runs. Streaming: the time of each
:meth:`StreamingRefiner.push` (one window through the network per frame), median and 95th
percentile. Run:

    .venv/bin/python benchmarks/speed.py [--frames 20000] [--threads 1]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from swaa_speed import best_time  # this folder's scripts share their timer
from synsp.evaluation.protocol import make_cases
from synsp.filters import FILTERS
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--stream-frames", type=int, default=600)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    seq = np.concatenate([c.noisy for c in make_cases("test", "typical")])
    seq = np.resize(seq, (args.frames, *seq.shape[1:])).astype(np.float32)
    synsp, smoothnet = load_model("synsp-h36m17", "cpu"), load_model("smoothnet-h36m17", "cpu")
    methods = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    methods.update({"SmoothNet": smoothnet.refine, "SynSP": synsp.refine})
    print(f"Offline: one sequence of {args.frames:,} frames x 17 joints x 3, {args.threads} torch thread(s), "
          f"best of {args.repeats}\n")
    print("| method | seconds | frames/s |\n|---|---:|---:|")
    for name, fn in methods.items():
        seconds = best_time(lambda: fn(seq), args.repeats)
        print(f"| {name} | {seconds:.3f} | {args.frames / seconds:,.0f} |")
    print(f"\nStreaming: SynSP, {args.stream_frames} frames pushed one at a time\n")
    print("| lag (frames) | median ms/frame | p95 ms/frame |\n|---:|---:|---:|")
    for lag in (0, synsp.window - 1):
        stream, times = StreamingRefiner(synsp, lag=lag), []
        for frame in seq[: args.stream_frames]:
            start = time.perf_counter()
            stream.push(frame)
            times.append(time.perf_counter() - start)
        ms = np.array(times[synsp.window:]) * 1e3
        print(f"| {lag} | {np.median(ms):.2f} | {np.percentile(ms, 95):.2f} |")


if __name__ == "__main__":
    main()
