"""A mirrored (selfie) 2D video through a live stream (``StreamingRefiner``): before and after the stream's handedness
reading (``synsp.inference.stream_handedness``).

The split's clips (COCO-17, pixels of a 1920-wide image) are pushed frame by frame through a stream of the shipped
``synsp-coco17`` with its defaults (lag 7, lookahead 3), as they are and mirrored (x -> 1920 - x, the labels kept; the
output mirrored back), with the reading off (``handedness.MIRROR_READ = None``) and on (the default). A stream as
given that the reading does not mirror is the same stream either way (nothing else reads it), so it runs once.
Prints MPJPE (px, x input), how many streams were mirrored, the readings, and the CPU time of the first ``--timed``
clips' streams as given with the reading over without it. ``--readings-only``: the stream's readings alone (a
:class:`~synsp.inference.stream_handedness.RunningHandedness` fed each clip's gap-filled frames, without the stream's
lookahead steps), as given and mirrored, per preset: the guard, fast. Run:

    .venv/bin/python benchmarks/selfie_stream.py [--presets typical jitter] [--max-clips N] [--timed 8]
    .venv/bin/python benchmarks/selfie_stream.py --readings-only --presets clean-ish typical hard jitter synthetic none
"""
from __future__ import annotations

import argparse
import sys
import time
import types
from pathlib import Path

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases, score
from synsp.inference import handedness
from synsp.inference.checkpoint import load_model
from synsp.inference.stream_convention import RunningPull
from synsp.inference.stream_handedness import FIRST_READ, LAST_READ, RunningHandedness
from synsp.inference.streaming import StreamingRefiner
from synsp.sequence import fill_gaps

sys.path.insert(0, str(Path(__file__).parent))
from selfie import mirrored, mpjpe_cells  # noqa: E402


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


class _Alone(types.SimpleNamespace):
    """A stream's state the reading asks for and sets, through the stream's own methods, with no stream around it."""
    turn = StreamingRefiner.turn
    mirror_from_now = StreamingRefiner.mirror_from_now


def read_alone(model, x: np.ndarray) -> list[float]:
    """The stream's readings of ``x`` (T, J, 2), its gaps filled (``fill_gaps``), fed to a
    :class:`RunningHandedness` alone: no stream's lookahead steps or windows (``--readings-only``)."""
    stream = _Alone(refiner=model, _windows=1, _axes=None, _pull=RunningPull())
    hand, made = RunningHandedness(stream), []
    for frame in fill_gaps(np.asarray(x, np.float32))[0][:LAST_READ]:
        hand.add(stream, frame[None])
        if hand.ratio is not None and (not made or made[-1] is not hand.ratio):
            made.append(hand.ratio)
    return made


def readings_only(model, args: argparse.Namespace) -> None:
    """``--readings-only``: per preset, the highest reading of the clips as given and mirrored (module docstring)."""
    read = handedness.MIRROR_READ
    print("| preset | clips | as given: highest reading | read mirrored | mirrored: last readings (median, highest) "
          "| read mirrored at the end |")
    print("|---|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases(args.split, preset, layout="coco17", space="2d", max_clips=args.max_clips)
        given = [max(read_alone(model, c.noisy), default=0.0) for c in cases]
        last = [(read_alone(model, mirrored(c.noisy)) or [0.0])[-1] for c in cases]
        g, m = np.array(given), np.array(last)
        print(f"| `{preset}` | {len(cases)} | {g.max():.2f} | {(g >= read).sum()} | {np.median(m):.2f}, {m.max():.2f} "
              f"| {(m >= read).sum()} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices; the test split is not run here)")
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--readings-only", action="store_true", help="the readings alone, on gap-filled inputs")
    parser.add_argument("--timed", type=int, default=8, help="clips whose streams as given are timed both ways")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, read = load_model("synsp-coco17"), handedness.MIRROR_READ
    if args.readings_only:
        return readings_only(model, args)
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
        g, m = np.array(given_r), np.array(mirror_r)
        print(f"| `{preset}` | {len(rows)} | {mpjpe_cells(rows)} | {sum(mirror_end)} | {(g >= read).sum()} "
              f"| {g.max():.2f} | {np.median(m):.2f}, {m.max():.2f} | {cpu[0] / cpu[1]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
