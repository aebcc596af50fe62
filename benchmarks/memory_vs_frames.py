"""Peak memory of `synsp refine` against the clip's length (RESULTS section 7, audit 31 finding 4).

The file: the first validation clip played forwards and backwards (no jumps) to FRAMES frames at 30 fps,
with white noise (15 mm in 3D, 4 px in 2D, seed 0), saved as .npy (T, 17, C) float32, as audit 31's
`make_long.py` makes it. Each length is refined in its own process (one torch thread); its peak resident
memory is the process's ru_maxrss. The per-frame figure is the slope between the shortest and longest file.
Run it with PYTHONPATH pointing at another tree's `src` to measure that tree (the subprocess inherits it).

    python benchmarks/memory_vs_frames.py --space 3d --frames 1800 6000 18000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def long_clip(space: str, frames: int) -> np.ndarray:
    """(frames, 17, C) float32: the first validation clip forth and back, plus white noise (seed 0)."""
    from synsp.evaluation.protocol import make_cases

    layout = "coco17" if space == "2d" else "h36m17"
    clean = make_cases("val", "none", layout=layout, space=space, max_clips=1)[0].clean
    loop = np.concatenate([clean, clean[::-1]])
    seq = np.tile(loop, (-(-frames // len(loop)), 1, 1))[:frames]
    noise = np.random.default_rng(0).normal(0, 4 if space == "2d" else 15, seq.shape)
    return (seq + noise).astype(np.float32)


def peak_refine(path: Path, out: Path) -> tuple[float, int]:
    """``synsp refine PATH OUT --force`` in a new process: (seconds, peak resident memory in KB). Fails loudly."""
    start = time.perf_counter()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "synsp", "refine", str(path), str(out), "--force"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"synsp refine {path} failed: {proc.stderr.read().decode()[-500:]}")
    return time.perf_counter() - start, usage.ru_maxrss  # Linux: kilobytes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--space", choices=("2d", "3d"), default="3d")
    p.add_argument("--frames", type=int, nargs="+", default=[1800, 6000])
    p.add_argument("--keep", type=Path, help="folder to keep the refined outputs in (OUT_<frames>.npy)")
    a = p.parse_args()
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for frames in a.frames:
            noisy = Path(tmp) / f"long_{a.space}_{frames}.npy"
            np.save(noisy, long_clip(a.space, frames))
            out = (a.keep or Path(tmp)) / f"OUT_{a.space}_{frames}.npy"
            seconds, kb = peak_refine(noisy, out)
            peaks[frames] = kb
            print(f"{a.space} {frames} frames: peak {kb:,} KB ({kb / 2**20:.2f} GiB), {seconds:.1f} s", flush=True)
    if len(peaks) > 1:
        lo, hi = min(peaks), max(peaks)
        print(f"slope {lo}-{hi} frames: {(peaks[hi] - peaks[lo]) * 1024 / (hi - lo) / 1e3:.1f} KB per frame")


if __name__ == "__main__":
    main()
