"""Latency of ``synsp stream`` per frame: P people, 17 COCO keypoints in pixels (or 17 H36M joints in mm), on CPU.

A ``synsp stream`` process is fed one JSON line at a time, as a webcam loop would; for each
frame past the first window the clock runs from writing the line to reading the refined line
it releases (the frame ``lag`` + ``lookahead`` older; for One-Euro the same frame). That is the
work per frame, JSON and pipes included; the delay a viewer sees adds those frames (/ fps).
The frames are the validation clips' 2D poses under the ``typical`` preset, one after another (``--space 3d``:
their 3D H36M poses in mm); person i of P starts 150 frames further into them (and 50 px, or 500 mm, to the
right), ids 0..P-1.
For comparison the same frames go through :class:`synsp.integrations.stream.PoseStream` in
this process (no JSON, no pipes), timed twice per push: wall time (``perf_counter``) and CPU time
(``process_time``, the process's threads; less moved by other jobs on a shared machine than wall time),
and with ``--baseline SRC`` through the ``synsp stream`` of another source tree (e.g. an older checkout's
``src``), alternating with this one row by row. The tree timed, in process and through the CLI, is the
``synsp`` this script imports (``PYTHONPATH``).
Run:

    PYTHONPATH=src .venv/bin/python benchmarks/stream_latency.py [--frames 300] [--threads 1] [--people 1 10]
        [--space 3d] [--baseline /path/to/other/checkout/src]
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

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.integrations.stream import PoseStream, parse_frame

WARM_UP = 20  # frames past the first window before timing starts (caches, allocator)
# the source tree of the synsp imported here, so that the CLI runs the tree timed in process
SRC = str(Path(synsp.__file__).resolve().parents[1])


# Seconds to wait for a frame's line before taking it as held back: the stream gives a frame back
# later than lag + lookahead where a person's track starts afresh (its first window; here where a
# person's clips meet, a jump read as a switch), and a loop that waits for each frame would hang.
HELD_AFTER = 2.0


def _lines_of(pipe, timeout: float | None = None):
    """Generator of lines from a binary pipe as soon as each is complete; None when ``timeout``
    seconds pass without one."""
    fd, buffer, sel = pipe.fileno(), b"", selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    while True:
        while b"\n" not in buffer:
            if not sel.select(timeout):
                yield None
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        yield line


def time_cli(frames: np.ndarray, args: list[str], lag: int, lookahead: int, threads: int,
             src: str = SRC) -> tuple[np.ndarray, int]:
    """Seconds from writing frame k (frames (T, P, J, 2)) to reading the line it releases (frame
    k - lag - lookahead), for the timed frames, and how many frames were held back past
    :data:`HELD_AFTER` (not timed); ``src``: the source tree whose ``synsp stream`` runs."""
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "synsp", "stream", "--threads", str(threads), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    replies, times, latest, held = _lines_of(proc.stdout, HELD_AFTER), [], -1, 0
    # a network releases nothing before its first window and the frames that measure its first frame
    first = 0 if "one-euro" in args else 7 + lookahead
    for k, frame in enumerate(frames):
        line = json.dumps({"t": k, "people": _people(frame)}).encode() + b"\n"
        start = time.perf_counter()
        proc.stdin.write(line)
        proc.stdin.flush()
        if k >= first:
            while latest < k - lag - lookahead:
                reply = next(replies)
                if reply is None:  # held back (HELD_AFTER): not timed
                    held += 1
                    break
                latest = json.loads(reply)["t"]
            else:
                if k >= first + WARM_UP:
                    times.append(time.perf_counter() - start)
    proc.stdin.close()
    for _ in replies:  # the last frames' lines (None while the stream still works on them), to its end
        pass
    proc.wait()
    return np.array(times), held


def _people(frame: np.ndarray) -> list[dict]:
    """One frame (P, J, 2) as the ``people`` of an input line."""
    return [{"id": i, "keypoints": person.tolist()} for i, person in enumerate(frame)]


def time_api(frames: np.ndarray, method: str, lag: int | None, lookahead: int,
             space: str = "2d") -> tuple[np.ndarray, np.ndarray]:
    """Seconds per PoseStream.push in this process, for the timed frames: wall time and CPU time
    (``time.process_time``), each (timed frames,)."""
    stream = PoseStream(method, lag=lag, lookahead=lookahead if method != "one-euro" else None, space=space)
    wall, cpu = [], []
    for k, frame in enumerate(frames):
        parsed = parse_frame(json.dumps({"people": _people(frame)}), k)
        start, start_cpu = time.perf_counter(), time.process_time()
        stream.push(parsed)
        end_cpu, end = time.process_time(), time.perf_counter()
        if k >= 7 + lookahead + WARM_UP:
            wall.append(end - start)
            cpu.append(end_cpu - start_cpu)
    return np.array(wall), np.array(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (here and in synsp stream)")
    parser.add_argument("--fps", type=float, default=30.0, help="for the delay column")
    parser.add_argument("--people", type=int, nargs="+", default=[1], help="people per frame, one table row each")
    parser.add_argument("--space", choices=("2d", "3d"), default="2d",
                        help="2d: COCO keypoints in pixels (default); 3d: H36M joints in mm")
    parser.add_argument("--baseline", help="another source tree's src/ whose synsp stream is timed alongside")
    parser.add_argument("--baseline-lookahead", type=int, default=LOOKAHEAD,
                        help="the baseline's default lookahead (default: this tree's; 0 for a tree from before "
                             "streams had one, else its stream never releases the frame waited for)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    layout = "coco17" if args.space == "2d" else "h36m17"
    seq = np.concatenate([c.noisy for c in make_cases("val", "typical", layout=layout, space=args.space)])
    space_args = ["--layout", layout, "--space", args.space]
    n = args.frames + 7 + LOOKAHEAD + WARM_UP
    runs = [("SynSP", [*space_args, "--method", "synsp"], "synsp", 7, LOOKAHEAD),  # the defaults
            ("SynSP", [*space_args, "--method", "synsp", "--lag", "0", "--lookahead", "0"], "synsp", 0, 0),
            ("One-Euro", [*space_args, "--method", "one-euro"], "one-euro", 0, 0)]
    unit = "2D px" if args.space == "2d" else "3D mm"
    print(f"synsp stream, {' / '.join(map(str, args.people))} people x 17 keypoints ({unit}), {args.frames} timed "
          f"frames, {args.threads} torch thread(s)" + (f"; baseline: {args.baseline}" if args.baseline else "") + "\n")
    base = " | baseline CLI mean ms | baseline CLI p95 ms | CLI mean / baseline" if args.baseline else ""
    print("| people | method | lag + lookahead (frames) | CLI mean ms/frame | CLI p95 ms | in-process mean ms | "
          f"in-process p95 ms | in-process CPU mean ms | in-process CPU p95 ms | delay at {args.fps:g} fps (ms){base} |"
          "\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:"
          + "|---:|---:|---:" * bool(args.baseline) + "|")
    held: list[int] = []  # per timed run, the frames held back
    for people in args.people:
        index = np.arange(n)[:, None] + 150 * np.arange(people)[None]  # (T, P) frame of each person
        frames = seq.take(index, axis=0, mode="wrap").astype(np.float64)  # (T, P, J, 2)
        frames[..., 0] += (50 if args.space == "2d" else 500) * np.arange(people)[:, None]
        for name, cli_args, method, lag, lookahead in runs:
            if args.baseline:  # first, so that a drift in the machine's load does not favour this tree
                own = cli_args[:-2] if "--lookahead" in cli_args and not args.baseline_lookahead else cli_args
                ahead = lookahead and args.baseline_lookahead
                old, old_held = time_cli(frames, own, lag, ahead, args.threads, args.baseline)
                old, held = old * 1000, held + [old_held]
            cli, cli_held = time_cli(frames, cli_args, lag, lookahead, args.threads)
            cli, held = cli * 1000, held + [cli_held]
            api, cpu = time_api(frames, method, None if method == "one-euro" else lag, lookahead, args.space)
            api, cpu = api * 1000, cpu * 1000
            delay = (lag + lookahead) * 1000 / args.fps + cli.mean()
            row = (f"| {people} | {name} | {lag} + {lookahead} | {cli.mean():.2f} | {np.percentile(cli, 95):.2f} | "
                   f"{api.mean():.2f} | {np.percentile(api, 95):.2f} | {cpu.mean():.2f} | "
                   f"{np.percentile(cpu, 95):.2f} | {delay:.0f} |")
            if args.baseline:
                row += f" {old.mean():.2f} | {np.percentile(old, 95):.2f} | {cli.mean() / old.mean():.2f} |"
            print(row, flush=True)
    if any(held):
        print(f"\nFrames given back later than lag + lookahead (a track starting afresh), not timed: {sum(held)} "
              f"over {len(held)} runs (at most {max(held)} in one).")


if __name__ == "__main__":
    main()
