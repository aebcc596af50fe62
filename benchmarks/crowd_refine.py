"""CPU of ``synsp.refine`` and of ``synsp.refine_file`` (what ``synsp refine`` runs) on a crowd of persons, three ways
in one run: every span alone, one after another (``SHORT_SPAN`` 0, as before 2026-12-07 for ``synsp.refine``), short
spans in lockstep (:mod:`synsp.lockstep`, the default) and every span in lockstep (``SHORT_SPAN`` unbounded).

Two crowds per space (2D coco17, 3D h36m17, validation clips under ``typical``): ``long``: ``--persons`` persons of
300-1800 frames, each a validation clip played forward and back to its length (continuous: no cut) before the errors
are simulated (:func:`synsp.evaluation.protocol.make_cases` with ``clips=``), starting at a random frame, with a few
frames and one joint missing for a while; ``val``: ``--persons`` x 2 validation clips stacked (mostly 80-150 frames
each), the same way. The file route writes the same array as an .npz of P tracks. Times are this process's CPU
(``time.process_time``, one torch thread), the settings interleaved per crowd so the machine's load falls on all
alike; the outputs of the three are checked equal (``np.array_equal``). ::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/crowd_refine.py [--persons 8] [--space 2d 3d]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import synsp
from synsp import lockstep
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases

LAYOUT = {"2d": "coco17", "3d": "h36m17"}
SETTINGS = {"each span alone": 0, "short spans in lockstep (default)": lockstep.SHORT_SPAN,
            "every span in lockstep": 10 ** 9}


def _placed(noisy: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """(P, T, J, C): each clip at a random start (NaN around it), 3 short gaps of all joints and one of a joint."""
    total = max(map(len, noisy)) + 60
    out = np.full((len(noisy), total, *noisy[0].shape[1:]), np.nan, np.float32)
    for p, clip in enumerate(noisy):
        start = int(rng.integers(0, total - len(clip) + 1))
        person = out[p, start: start + len(clip)]
        person[:] = clip
        for _ in range(3):
            t = int(rng.integers(10, len(clip) - 20))
            person[t: t + int(rng.integers(1, 6))] = np.nan
        t = int(rng.integers(0, len(clip) - 30))
        person[t: t + 12, int(rng.integers(0, person.shape[1]))] = np.nan
    return out


def long_crowd(space: str, persons: int, seed: int = 0, lengths: tuple[int, int] = (300, 1800)) -> np.ndarray:
    """``persons`` continuous persons of ``lengths`` frames (validation clips played forward and back)."""
    rng = np.random.default_rng(seed)
    names = load_split("val")
    clips = load_clips([names[i] for i in rng.choice(len(names), persons, replace=False)], layout=LAYOUT[space])
    played = {}
    for i, (clip, frames) in enumerate(zip(clips, rng.integers(lengths[0], lengths[1] + 1, persons))):
        parts, back = [clip], True
        while sum(map(len, parts)) < frames:
            parts.append((clip[::-1] if back else clip)[1:])
            back = not back
        played[f"p{i}"] = np.concatenate(parts)[:frames]
    cases = make_cases("val", "typical", layout=LAYOUT[space], space=space, clips=played)
    return _placed([c.noisy.astype(np.float32) for c in cases], rng)


def val_crowd(space: str, persons: int, seed: int = 0) -> np.ndarray:
    """The first ``persons`` validation clips under ``typical``, stacked."""
    cases = make_cases("val", "typical", layout=LAYOUT[space], space=space)[:persons]
    return _placed([c.noisy.astype(np.float32) for c in cases], np.random.default_rng(seed))


def _timed(route, x: np.ndarray, short: int) -> tuple[float, np.ndarray]:
    kept = lockstep.SHORT_SPAN
    lockstep.SHORT_SPAN = short
    try:
        start = time.process_time()
        out = route(x)
        return time.process_time() - start, out
    finally:
        lockstep.SHORT_SPAN = kept


def _file(x: np.ndarray) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        src, dst = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(src, poses=x, fps=30.0)
        synsp.refine_file(src, dst, force=True)
        with np.load(dst) as written:
            return written["poses"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=8)
    parser.add_argument("--space", nargs="+", choices=("2d", "3d"), default=["2d", "3d"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    for space in args.space:  # the models loaded, torch warmed up: not timed
        synsp.refine(val_crowd(space, 2), "synsp")
    print("CPU time, 1 thread, validation clips under `typical`\n")
    print("| crowd | route | person-frames | " + " | ".join(f"{name}: CPU s (person-frames/s)" for name in SETTINGS)
          + " | outputs |\n|---|---|---:|" + "---:|" * len(SETTINGS) + "---|")
    for space in args.space:
        for kind, crowd in (("long", long_crowd(space, args.persons)), ("val", val_crowd(space, 2 * args.persons))):
            frames = int(np.isfinite(crowd).all(-1).any(-1).sum())
            for name, route in (("synsp.refine", lambda x: synsp.refine(x, "synsp")), ("refine_file", _file)):
                runs = [_timed(route, crowd, short) for short in SETTINGS.values()]
                same = all(np.array_equal(runs[0][1], out, equal_nan=True) for _, out in runs[1:])
                print(f"| {space.upper()} {kind}, {len(crowd)} x {crowd.shape[1]} frames | {name} | {frames} | "
                      + " | ".join(f"{s:.2f} ({frames / s:.0f})" for s, _ in runs)
                      + f" | {'identical' if same else 'DIFFERENT'} |", flush=True)


if __name__ == "__main__":
    main()
