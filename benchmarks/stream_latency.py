"""Latency of ``synsp stream`` per frame: one person, 17 COCO keypoints in pixels, on CPU.

A ``synsp stream`` process is fed one JSON line at a time, as a webcam loop would; for each
frame past the first window the clock runs from writing the line to reading the refined line
it releases (the frame ``lag`` older; for One-Euro the same frame). That is the work per
frame, JSON and pipes included; the delay a viewer sees adds ``lag`` frames (lag / fps).
The frames are the validation clips' 2D poses under the ``typical`` preset, one after another.
For comparison the same frames go through :class:`synsp.integrations.stream.PoseStream` in
this process (no JSON, no pipes). Run:

    .venv/bin/python benchmarks/stream_latency.py [--frames 300] [--threads 1]
"""
from __future__ import annotations

import argparse
import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases
from synsp.integrations.stream import PoseStream, parse_frame

WARM_UP = 20  # frames past the first window before timing starts (caches, allocator)


def _lines_of(pipe):
    """Generator of lines from a binary pipe as soon as each is complete."""
    fd, buffer, sel = pipe.fileno(), b"", selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    while True:
        while b"\n" not in buffer:
            sel.select()
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        yield line


def time_cli(frames: np.ndarray, args: list[str], lag: int, threads: int) -> np.ndarray:
    """Seconds from writing frame k to reading the line it releases, for the timed frames."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "synsp", "stream", "--threads", str(threads), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    replies, times = _lines_of(proc.stdout), []
    first = 0 if lag == 0 and "one-euro" in args else 7  # a network releases nothing before its first window
    for k, frame in enumerate(frames):
        line = json.dumps({"t": k, "people": [{"id": 0, "keypoints": frame.tolist()}]}).encode() + b"\n"
        start = time.perf_counter()
        proc.stdin.write(line)
        proc.stdin.flush()
        if k >= first:
            while json.loads(next(replies))["t"] < k - lag:
                pass
            if k >= first + WARM_UP:
                times.append(time.perf_counter() - start)
    proc.stdin.close()
    for _ in replies:
        pass
    proc.wait()
    return np.array(times)


def time_api(frames: np.ndarray, method: str, lag: int | None) -> np.ndarray:
    """Seconds per PoseStream.push in this process, for the timed frames."""
    stream, times = PoseStream(method, lag=lag), []
    for k, frame in enumerate(frames):
        parsed = parse_frame(json.dumps(frame.tolist()), k)
        start = time.perf_counter()
        stream.push(parsed)
        if k >= 7 + WARM_UP:
            times.append(time.perf_counter() - start)
    return np.array(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (here and in synsp stream)")
    parser.add_argument("--fps", type=float, default=30.0, help="for the delay column")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    seq = np.concatenate([c.noisy for c in make_cases("val", "typical", layout="coco17", space="2d")])
    frames = seq[: args.frames + 7 + WARM_UP].astype(np.float64)
    runs = [("SynSP", ["--method", "synsp"], "synsp", 7), ("SynSP", ["--method", "synsp", "--lag", "0"], "synsp", 0),
            ("One-Euro", ["--method", "one-euro"], "one-euro", 0)]
    print(f"synsp stream, 1 person x 17 keypoints (2D px), {args.frames} timed frames, "
          f"{args.threads} torch thread(s)\n")
    print("| method | lag (frames) | CLI mean ms/frame | CLI p95 ms | in-process mean ms | in-process p95 ms "
          f"| delay at {args.fps:g} fps (ms) |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, cli_args, method, lag in runs:
        cli = time_cli(frames, cli_args, lag, args.threads) * 1000
        api = time_api(frames, method, None if method == "one-euro" else lag) * 1000
        delay = lag * 1000 / args.fps + cli.mean()
        print(f"| {name} | {lag} | {cli.mean():.2f} | {np.percentile(cli, 95):.2f} | {api.mean():.2f} | "
              f"{np.percentile(api, 95):.2f} | {delay:.0f} |")


if __name__ == "__main__":
    main()
