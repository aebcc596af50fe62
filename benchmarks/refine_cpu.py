"""CPU time of ``synsp refine``'s default route, per route and per stage: a long 2D file of one person, the same in
3D, a crowded 2D file (many 5-30-frame tracks beside long ones) and a 2D stream of two people.

Inputs are the validation clips under ``typical`` errors (:func:`synsp.evaluation.protocol.make_cases`, 2D through
its random cameras), joined end to end (each clip a track of its own: the joins are cuts). The crowd: ``--slots``
id slots over ``--crowd-frames`` frames, half holding tracks of 150-900 frames, half tracks of 5-30 frames that
reuse their slot after 3-40 empty frames (audit 24's ``mk_crowd.py``; seed 1). Times are this process's CPU
(``time.process_time``; on one thread, ``OMP_NUM_THREADS=1``), so other jobs on a shared machine weigh little;
the model's loading and torch's import are done before any timing. The crowd is refined twice: as ``synsp refine``
does (its short spans in lockstep, their network windows batched across spans: :mod:`synsp.lockstep`) and with
every span alone, one after another, as before that (the same outputs): their ratio is measured in one run. Per
stage: the network over windows (:meth:`~synsp.inference.network_windows.WindowNetwork._forward`, the batches
through it), the measurements (:func:`~synsp.estimator_errors.measurements.measure`) and the rest; and what
:mod:`synsp.memo` answered a second time within a person's refinement, with the CPU it took the first time (what
those repeats cost before :mod:`synsp.memo`, 2026-12-07). ::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/refine_cpu.py [--frames 1800] [--slots 8]
        [--crowd-frames 600] [--stream-frames 300]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import synsp
from synsp.estimator_errors import measurements as measurements_module
from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import load_model
from synsp.inference.network_windows import WindowNetwork
from synsp.inference.people_stream import MultiPersonStreamingRefiner

try:  # run on a checkout from before synsp.memo too, for its figures (its "repeats" columns then read 0)
    from synsp import memo
except ImportError:
    memo = None
try:  # ... and from before synsp.lockstep: every span was then refined alone
    from synsp import lockstep
except ImportError:
    lockstep = None

STAGES = {"network": 0.0, "measurements": 0.0}


def _timed(stage: str, function):
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            STAGES[stage] += time.process_time() - start
    return run


def _joined(space: str, frames: int) -> list[np.ndarray]:
    """The validation cases' noisy clips (T, J, C) until ``frames`` frames, each a track of its own."""
    layout = "coco17" if space == "2d" else "h36m17"
    out, total = [], 0
    for case in make_cases("val", "typical", layout=layout, space=space):
        out.append(case.noisy.astype(np.float32)[: frames - total])
        total += len(out[-1])
        if total >= frames:
            return out
    return out


def _one_file(space: str, frames: int) -> np.ndarray:
    """(V, T, J, C): the clips one after another, each in a slot of its own (NaN elsewhere)."""
    clips = _joined(space, frames)
    out = np.full((len(clips), sum(map(len, clips)), *clips[0].shape[1:]), np.nan, np.float32)
    at = 0
    for v, clip in enumerate(clips):
        out[v, at: at + len(clip)] = clip
        at += len(clip)
    return out


def _crowd(slots: int, frames: int) -> np.ndarray:
    """(slots, frames, 17, 2): long tracks in the first half of the slots, 5-30-frame ones in the rest."""
    pool = np.concatenate(_joined("2d", 10 ** 9))
    rng = np.random.default_rng(1)
    out = np.full((slots, frames, 17, 2), np.nan, np.float32)
    at = 0
    for p in range(slots):
        t = int(rng.integers(0, 20))
        while t < frames - 5:
            length = min(int(rng.integers(150, 900) if p < slots // 2 else rng.integers(5, 31)), frames - t)
            start = at % (len(pool) - length)
            out[p, t: t + length] = pool[start: start + length] + rng.uniform(-600, 600, 2).astype(np.float32)
            at += length
            t += length + int(rng.integers(3, 40))
    return out


def _refine_file(poses: np.ndarray) -> tuple[float, int]:
    """CPU seconds of ``synsp.refine_file`` on ``poses`` (V, T, J, C) written as an .npz; person-frames."""
    with tempfile.TemporaryDirectory() as folder:
        src, dst = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(src, poses=poses, fps=30.0)
        start = time.process_time()
        synsp.refine_file(src, dst, force=True)
        seconds = time.process_time() - start
    return seconds, int(np.isfinite(poses).all(-1).any(-1).sum())


def _stream(frames: int) -> tuple[float, int]:
    """CPU seconds of a 2D stream of two people (the validation clips, the second 97 frames further in)."""
    seq = np.concatenate(_joined("2d", frames + 97))
    crowd = MultiPersonStreamingRefiner(load_model("synsp-coco17", "cpu"))
    start = time.process_time()
    for t in range(frames):
        crowd.push(np.stack([seq[t], seq[t + 97] + np.float32(500)]))
    crowd.flush()
    return time.process_time() - start, 2 * frames


def _alone(route):
    """``route()`` with every span refined alone, one after another, as before short spans ran in lockstep
    (``lockstep.SHORT_SPAN`` 0; 2026-12-07): the same outputs, the network's windows batched per span only."""
    if lockstep is None:
        return route()
    short = lockstep.SHORT_SPAN
    lockstep.SHORT_SPAN = 0
    try:
        return route()
    finally:
        lockstep.SHORT_SPAN = short


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=1800, help="frames of the one-person files (default: 1 min)")
    parser.add_argument("--slots", type=int, default=8)
    parser.add_argument("--crowd-frames", type=int, default=600)
    parser.add_argument("--stream-frames", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    WindowNetwork._forward = _timed("network", WindowNetwork._forward)
    if memo is not None:
        measurements_module.measure = _timed("measurements", measurements_module.measure)
    else:  # before synsp.memo: every caller's own name for it
        import synsp.inference.refiner as refiner
        import synsp.inference.stream_measurements as stream_measurements
        import synsp.refining.converted_layout as converted_layout
        import synsp.refining.no_layout as no_layout
        import synsp.refining.person as person
        import synsp.refining.segment_values as segment_values
        import synsp.refining.tracks as tracks

        timed = _timed("measurements", measurements_module.measurements)
        for module in (measurements_module, refiner, stream_measurements, person, converted_layout, tracks, no_layout,
                       segment_values):
            module.measurements = timed
    for space in ("2d", "3d"):  # the models (and their fallbacks) loaded and kept, torch warmed up: not timed
        _refine_file(_one_file(space, 120))
    routes = [(f"2D coco17 file, {args.frames} frames", lambda: _refine_file(_one_file("2d", args.frames))),
              (f"3D h36m17 file, {args.frames} frames", lambda: _refine_file(_one_file("3d", args.frames))),
              (f"2D crowd, {args.slots} slots x {args.crowd_frames} frames",
               lambda: _refine_file(_crowd(args.slots, args.crowd_frames))),
              (f"2D crowd, {args.slots} slots x {args.crowd_frames} frames, each span alone",
               lambda: _alone(lambda: _refine_file(_crowd(args.slots, args.crowd_frames)))),
              (f"2D stream, 2 people x {args.stream_frames} frames", lambda: _stream(args.stream_frames))]
    print("CPU time, 1 thread, validation clips under `typical`\n")
    print("| route | person-frames | CPU s | person-frames/s | network s | measurements s | rest s | "
          "repeats answered (network, measurements) | their CPU s |\n|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, route in routes:
        for stage in STAGES:
            STAGES[stage] = 0.0
        stats = {} if memo is None else memo.STATS
        stats.clear()
        seconds, count = route()
        hits = {kind: stats.get(kind, [0, 0.0]) for kind in ("network", "measurements")}
        rest = seconds - STAGES["network"] - STAGES["measurements"]
        print(f"| {name} | {count} | {seconds:.2f} | {count / seconds:.0f} | {STAGES['network']:.2f} | "
              f"{STAGES['measurements']:.2f} | {rest:.2f} | {hits['network'][0]}, {hits['measurements'][0]} | "
              f"{hits['network'][1] + hits['measurements'][1]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
