"""Peak memory and time of `synsp animate` and `synsp refine` on a long 60 fps file (RESULTS sections 7, 12).

The file: the first validation clip of at least 300 frames (up to 2,000), upsampled from 30 to 60 fps,
played forwards and backwards (continuous) to MINUTES, with white noise (2 px in 2D, 10 mm in 3D, seed
0); 2D is that motion seen by a random camera (seed 0). Each command runs in its own process; its
peak resident memory is the process's ru_maxrss.

    python benchmarks/long_file_memory.py --space 2d --minutes 10 --animate 300 1200 2400
    python benchmarks/long_file_memory.py --space 3d --minutes 10 --refine
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


def long_file(space: str, minutes: float, out: Path) -> Path:
    """Write the long noisy file (npz, poses (T, 17, C) float32, fps 60) and return its path."""
    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip
    from synsp.data.splits import clip_frames, load_split

    layout = "coco17" if space == "2d" else "h36m17"
    name = next(n for n in load_split("val") if clip_frames(n) >= 300)
    clip = load_clip(name, layout).astype(np.float64)[:2000]
    t, t2 = np.arange(len(clip)), np.arange(0, len(clip) - 1, 0.5)
    c60 = np.stack([[np.interp(t2, t, clip[:, j, k]) for k in range(3)] for j in range(clip.shape[1])])
    c60 = c60.transpose(2, 0, 1)
    n = int(minutes * 60 * 60)
    seq = np.concatenate([c60, c60[::-1]] * (n // (2 * len(c60)) + 1))[:n]
    if space == "2d":
        seq = project(seq, random_camera(np.random.default_rng(0), subject=seq))
    noisy = seq + np.random.default_rng(0).normal(0, 2 if space == "2d" else 10, seq.shape)
    np.savez(out, poses=noisy.astype(np.float32), fps=60.0)
    return out


def measured(args: list[str]) -> tuple[float, float]:
    """Run ``python -m synsp ARGS``; (seconds, peak resident memory in GB). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "synsp", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"synsp {' '.join(args)} failed: {proc.stderr.read().decode()[-500:]}")
    return seconds, usage.ru_maxrss * 1024 / 1e9  # Linux: kilobytes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--space", choices=("2d", "3d"), default="2d")
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--animate", type=int, nargs="*", default=[], help="frame counts to animate (--max-frames)")
    p.add_argument("--suffix", default=".gif", help="animation format (.gif or .mp4)")
    p.add_argument("--refine", action="store_true", help="also refine the whole file")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        noisy = long_file(a.space, a.minutes, Path(tmp) / "long.npz")
        refined = Path(tmp) / "long_synsp.npz"
        seconds, gb = measured(["refine", str(noisy), str(refined)])
        frames = int(a.minutes * 3600)
        print(f"{a.space}, {a.minutes:g} min at 60 fps ({frames} frames)")
        if a.refine:
            print(f"refine: {seconds:.1f} s, peak {gb:.2f} GB")
        for count in a.animate:
            out = Path(tmp) / f"anim_{count}{a.suffix}"
            seconds, gb = measured(["animate", str(noisy), str(refined), str(out), "--max-frames", str(count)])
            print(f"animate {count} frames ({a.suffix}): {seconds:.1f} s, peak {gb:.2f} GB, "
                  f"{out.stat().st_size / 1e6:.1f} MB written")


if __name__ == "__main__":
    main()
