"""A mirrored (selfie) 2D video through a live stream (``StreamingRefiner``): before and after the stream's handedness
reading (``synsp.inference.stream_handedness``).

The split's clips (COCO-17, pixels of a 1920-wide image) are pushed frame by frame through a stream of the shipped
``synsp-coco17`` with its defaults (lag 7, lookahead 3), as they are and mirrored (x -> 1920 - x, the labels kept; the
output mirrored back), with the reading off (``handedness.MIRROR_READ = None``) and on (the default). A stream as
given that the reading does not mirror is the same stream either way (nothing else reads it), so it runs once.
Prints MPJPE (px, x input), how many streams were mirrored, the readings, and the CPU time of the first ``--timed``
clips' streams as given with the reading over without it. Run:

    .venv/bin/python benchmarks/selfie_stream.py [--presets typical jitter] [--max-clips N] [--timed 8]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases, score
from synsp.inference import handedness
from synsp.inference.checkpoint import load_model
from synsp.inference.stream_handedness import FIRST_READ, LAST_READ
from synsp.inference.streaming import StreamingRefiner

sys.path.insert(0, str(Path(__file__).parent))
from selfie import mirrored  # noqa: E402


def streamed(model, x: np.ndarray, reading: float | None) -> tuple[np.ndarray, list[float], float]:
    """``x`` (T, J, 2) through a new stream of ``model`` with ``MIRROR_READ`` = ``reading``; the output (T, J, 2), the
    readings made (none with ``reading`` None) and the stream's CPU time (s)."""
    kept, ratio, made = handedness.MIRROR_READ, handedness.correction_ratio, []

    def recorded(*args, **kwargs) -> float:
        made.append(ratio(*args, **kwargs))
        return made[-1]
    handedness.MIRROR_READ, handedness.correction_ratio = reading, recorded
    start = time.process_time()
    try:
        out = StreamingRefiner(model).refine_all(np.asarray(x, np.float32))
    finally:
        handedness.MIRROR_READ, handedness.correction_ratio = kept, ratio
    return np.asarray(out, np.float64), made, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices; the test split is not run here)")
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--timed", type=int, default=8, help="clips whose streams as given are timed both ways")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, read = load_model("synsp-coco17"), handedness.MIRROR_READ
    print(f"readings at {FIRST_READ} frames and twice as many up to {LAST_READ}; mirrored at {read}")
    print("| preset | clips | input (px) | as given: before | after | mirrored: before | after | mirrored streams "
          "read mirrored (at the end) | streams as given read mirrored | as given: highest reading | mirrored: last "
          "readings (median, highest) | CPU, first clips as given (after / before) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        rows, given_r, mirror_r, mirror_end, cpu = [], [], [], [], np.zeros(2)
        for case in make_cases(args.split, preset, layout="coco17", space="2d", max_clips=args.max_clips):
            s = lambda y, c=case: score(y, c.clean, layout="coco17", space="2d")["MPJPE"]  # noqa: E731
            after, r_given, t_given = streamed(model, case.noisy, read)
            fired = max(r_given, default=0.0) >= read
            before = streamed(model, case.noisy, None)[0] if fired else after  # not read mirrored: the same stream
            m_after, r_mirror, _ = streamed(model, mirrored(case.noisy), read)
            fired = max(r_mirror, default=0.0) >= read
            m_before = streamed(model, mirrored(case.noisy), None)[0] if fired else m_after
            if len(rows) < args.timed:  # the CPU time of the stream as given without the reading
                cpu += (t_given, streamed(model, case.noisy, None)[2])
            rows.append((len(case.clean), s(case.noisy), s(before), s(after), s(mirrored(m_before)),
                         s(mirrored(m_after))))
            given_r.append(max(r_given, default=0.0))
            mirror_r.append(r_mirror[-1] if r_mirror else 0.0)
            mirror_end.append(bool(r_mirror) and r_mirror[-1] >= read)
        r, g, m = np.array(rows), np.array(given_r), np.array(mirror_r)
        v = [float(np.average(r[:, i], weights=r[:, 0])) for i in range(1, 6)]
        cells = " | ".join(f"{x:.2f} ({x / v[0]:.3f})" for x in v[1:])
        print(f"| `{preset}` | {len(rows)} | {v[0]:.2f} | {cells} | {sum(mirror_end)} | {(g >= read).sum()} "
              f"| {g.max():.2f} | {np.median(m):.2f}, {m.max():.2f} | {cpu[0] / cpu[1]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
