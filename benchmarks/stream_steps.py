"""Where a crowd's live stream spends its time: CPU ms per frame of each step of ``synsp stream``'s
:class:`synsp.integrations.stream.PoseStream` (SynSP, the defaults), P people on one thread.

The frames are ``benchmarks/stream_latency.py``'s: the validation clips' 2D poses under the
``typical`` preset, one after another, person i starting 150 frames further into them (and 50 px
to the right). Each step's function is wrapped by a timer (``time.process_time``, so that other
jobs on a shared machine weigh less); nested rows (indented) are part of the row above them.
The first 30 frames are not timed. A step the source tree does not have is left out, so the
script also times older trees (``PYTHONPATH=/path/to/old/src``). Run::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_steps.py [--people 10] [--frames 300]
"""
from __future__ import annotations

import argparse
import importlib
import json
import time

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases
from synsp.integrations.stream import PoseStream, parse_frame

UNTIMED = 30  # first frames: the first windows, caches
# (module, class or None, function, row): the steps, in the order printed
STEPS = [
    ("synsp.inference.people_stream", "MultiPersonStreamingRefiner", "push", "the crowd's push"),
    ("synsp.inference.stream_measurements", "RunningMeasurements", "push", "  lookahead measurements"),
    ("synsp.inference.stream_measurements", None, "measurements", "    of which in full (a frame off its path)"),
    ("synsp.inference.stream_switches", "SwitchWatch", "switched", "  switch test"),
    ("synsp.inference.stream_pace", "RunningPace", "add", "  pace"),
    ("synsp.inference.people_stream", "MultiPersonStreamingRefiner", "_run_pending", "  network (windows)"),
    ("synsp.inference.people_stream", "MultiPersonStreamingRefiner", "_emit_together", "  giving back"),
    ("synsp.inference.stream_repeat", "RunningRepeat", "add", "    second pass"),
    ("synsp.inference.stream_output", None, "floor_steps", "    floor steps"),
    ("synsp.inference.stream_output", None, "shake_steps", "    whole-body shake"),
    ("synsp.inference.stream_output", None, "lowpass_steps", "    low-passes"),
    ("synsp.inference.stream_oversmoothing", "RunningGiveBack", "__call__", "    over-smoothing given back"),
    ("synsp.inference.stream_output", None, "clean_steps", "    clean steps"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--frames", type=int, default=300, help="timed frames")
    args = parser.parse_args()
    torch.set_num_threads(1)
    seq = np.concatenate([c.noisy for c in make_cases("val", "typical", layout="coco17", space="2d")])
    n = args.frames + UNTIMED
    index = np.arange(n)[:, None] + 150 * np.arange(args.people)[None]
    frames = seq.take(index, axis=0, mode="wrap").astype(np.float64)  # (T, P, J, 2)
    frames[..., 0] += 50 * np.arange(args.people)[:, None]
    lines = [parse_frame(json.dumps({"people": [{"id": i, "keypoints": p.tolist()} for i, p in enumerate(frame)]}), k)
             for k, frame in enumerate(frames)]
    spent: dict[str, float] = {}
    rows = [row for module, owner, name, row in STEPS if _timed(module, owner, name, row, spent)]
    stream, whole = PoseStream("synsp"), 0.0
    for k, line in enumerate(lines):
        if k == UNTIMED:
            spent.clear()
            whole = 0.0
        start = time.process_time()
        stream.push(line)
        whole += time.process_time() - start
    print(f"synsp stream in-process (PoseStream.push), {args.people} people x 17 keypoints (2D px), SynSP defaults, "
          f"1 thread, CPU time, {args.frames} timed frames\n")
    print(f"| step | ms per frame |\n|---|---:|\n| PoseStream.push | {whole / args.frames * 1e3:.2f} |")
    for row in rows:
        print(f"| {row.replace('  ', '&nbsp;&nbsp;')} | {spent.get(row, 0.0) / args.frames * 1e3:.2f} |")


def _timed(module: str, owner: str | None, name: str, row: str, spent: dict[str, float]) -> bool:
    """Wrap ``module.owner.name`` (or ``module.name``) to add its CPU seconds to ``spent[row]``;
    False when the tree has no such step."""
    try:
        where = importlib.import_module(module)
    except ImportError:
        return False
    where = getattr(where, owner, None) if owner else where
    step = getattr(where, name, None)
    if step is None:
        return False

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return step(*args, **kwargs)
        finally:
            spent[row] = spent.get(row, 0.0) + time.process_time() - start

    setattr(where, name, timed)
    return True


if __name__ == "__main__":
    main()
