"""3D joint positions of a body spinning about the vertical (a pirouette, a spin kick): refined with and without
the spin taken out (:mod:`synsp.inference.position_spin`; audit 33, finding 7).

Validation clips (h36m17, 3D, an error preset) with one full turn added from frame 40 about the vertical through
the pelvis, in N frames (a smooth ramp: ``t - sin(2 pi t) / (2 pi)`` of the turn), then that heading kept; the
noisy and the clean clip turned alike (the noise turns with the body). MPJPE (mm, root-relative) of ``synsp.refine``
(SynSP) and SmoothNet over the whole clip and over the spin's frames (36 to 44 + N), before (the spin step off) and
now; ``--file``: ``synsp refine`` of each as a .npy file (``--fps 30``) too, before and now. ``--guard``: of the 65
validation clips under each 3D preset, how many the step fires on (none: their outputs are the same code path as
before, so the same figures).

    .venv/bin/python benchmarks/position_spin.py --clips 6 --frames 30 12 8 --file
    .venv/bin/python benchmarks/position_spin.py --clips 6 --frames 12 8 --preset hard
    .venv/bin/python benchmarks/position_spin.py --clips 6 --frames 30 12 8 --still
    .venv/bin/python benchmarks/position_spin.py --guard --identical 8
"""
from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np

import synsp
from synsp.data.presets import PRESETS
from synsp.evaluation.protocol import make_cases
from synsp.inference.position_spin import position_spin

START = 40  # the frame the spin starts at


def spun(x: np.ndarray, frames: int) -> np.ndarray:
    """``x`` (T, J, 3) turned about +Y through its pelvis (joint 0) by one turn over ``frames`` frames from
    :data:`START` (a smooth ramp), then held at that heading."""
    t = np.clip((np.arange(len(x)) - START) / frames, 0.0, 1.0)
    turn = 2 * np.pi * (t - np.sin(2 * np.pi * t) / (2 * np.pi))
    c, s, r = np.cos(turn)[:, None], np.sin(turn)[:, None], x - x[:, :1]
    out = x.copy()
    out[..., 0] = x[:, :1, 0] + c * r[..., 0] + s * r[..., 2]
    out[..., 2] = x[:, :1, 2] - s * r[..., 0] + c * r[..., 2]
    return out


def mpjpe(a: np.ndarray, b: np.ndarray) -> float:
    """Root-relative (joint 0) MPJPE of ``a`` against ``b`` (T, J, 3), mm."""
    return float(np.linalg.norm((a - a[:, :1]) - (b - b[:, :1]), axis=-1).mean())


def refined_file(noisy: np.ndarray) -> np.ndarray:
    """``synsp refine`` of ``noisy`` (T, J, 3) written as a .npy, at 30 fps (its summary not printed)."""
    from synsp.cli import main

    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        path = Path(folder)
        np.save(path / "in.npy", noisy.astype(np.float32))
        main(["refine", str(path / "in.npy"), str(path / "out.npy"), "--fps", "30"])
        return np.load(path / "out.npy")


def measure(clips: int, preset: str, frames: list[int], files: bool = False) -> None:
    """Print, per spin length, the input's and each method's MPJPE before and now, whole clip | spin frames."""
    cases = make_cases("val", preset, layout="h36m17", space="3d", max_clips=clips)
    print(f"{preset}, {len(cases)} clips; MPJPE mm, whole clip | spin frames")
    for n in frames:
        rows: dict[str, list[float]] = {}
        for case in cases:
            noisy, clean = spun(np.asarray(case.noisy, np.float64), n), spun(np.asarray(case.clean, np.float64), n)
            spin = (np.arange(len(noisy)) >= START - 4) & (np.arange(len(noisy)) < START + 4 + n)
            outs = {"input": noisy}
            for method in ("synsp", "smoothnet"):
                with mock.patch("synsp.refining.arrays.without_spin", lambda *a: None):
                    outs[f"{method} before"] = synsp.refine(noisy, method, fps=30)
                outs[f"{method} now"] = synsp.refine(noisy, method, fps=30)
            if files:
                with mock.patch("synsp.refining.tracks.tracks_spins", lambda *a: []):
                    outs["file before"] = refined_file(noisy)
                outs["file now"] = refined_file(noisy)
            for name, out in outs.items():
                rows.setdefault(name, []).append([mpjpe(out, clean), mpjpe(out[spin], clean[spin])])
        cells = "; ".join(f"{name} {np.mean(v, 0)[0]:.2f} | {np.mean(v, 0)[1]:.2f}" for name, v in rows.items())
        print(f"one turn in {n} frames: {cells}", flush=True)


def still(clips: int, preset: str, frames: list[int]) -> None:
    """Print SynSP's MPJPE of the clips not spun over the frames each spin length's would cover (what a spin that
    costs nothing scores)."""
    cases = make_cases("val", preset, layout="h36m17", space="3d", max_clips=clips)
    outs = [(np.asarray(c.noisy, np.float64), synsp.refine(c.noisy, fps=30), np.asarray(c.clean)) for c in cases]
    for n in frames:
        spin = slice(START - 4, START + 4 + n)
        scores = np.mean([[mpjpe(x[spin], c[spin]), mpjpe(o[spin], c[spin])] for x, o, c in outs], 0)
        print(f"not spun, the frames of one turn in {n}: input {scores[0]:.2f}, synsp {scores[1]:.2f}", flush=True)


def guard(identical: int = 0) -> None:
    """Print, per 3D preset, on how many of the 65 validation clips the spin step fires; ``identical``: of that many
    clips per preset, how many ``synsp.refine`` outputs are bit-identical with the step off."""
    for preset in PRESETS:
        cases = make_cases("val", preset, layout="h36m17", space="3d")
        fired = sum(position_spin(np.asarray(c.noisy, np.float64), "h36m17", 30.0) is not None for c in cases)
        same = 0
        for case in cases[:identical]:
            with mock.patch("synsp.refining.arrays.without_spin", lambda *a: None):
                before = synsp.refine(case.noisy, fps=30)
            same += np.array_equal(before, synsp.refine(case.noisy, fps=30), equal_nan=True)
        alike = f"; bit-identical with the step off: {same} of {min(identical, len(cases))}" if identical else ""
        print(f"{preset}: fired on {fired} of {len(cases)} clips{alike}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--frames", type=int, nargs="+", default=[30, 12, 8])
    parser.add_argument("--file", action="store_true")
    parser.add_argument("--still", action="store_true")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--identical", type=int, default=0, help="with --guard: clips per preset refined both ways")
    args = parser.parse_args()
    if args.guard:
        guard(args.identical)
    elif args.still:
        still(args.clips, args.preset, args.frames)
    else:
        measure(args.clips, args.preset, args.frames, args.file)
