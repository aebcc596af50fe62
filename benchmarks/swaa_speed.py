"""Time the Sliding Window Average Algorithm: reference loop vs the fast anti-diagonal sum.

The paper reports its fast SWAA at 0.374% of the naive time. Run:

    .venv/bin/python benchmarks/swaa_speed.py            # 100,000 frames, 17 joints x 3
    .venv/bin/python benchmarks/swaa_speed.py --frames 20000 --repeats 5

Prints, for each (window F, stride), the best-of-N time of both versions, their ratio, and a
memory-bound floor: one plain pass over the windows (``windows.sum()``), which no exact
merge can beat, since every prediction must be read once.
"""
from __future__ import annotations

import argparse
import time
from typing import Callable

import numpy as np

from synsp.swaa import sliding_window_average, sliding_window_average_naive, sliding_windows


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Smallest wall time of ``repeats`` calls, in seconds (the least disturbed run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(frames: int, window: int, stride: int, dim: int, repeats: int, naive_repeats: int) -> dict[str, float]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(frames, dim)).astype(np.float32)
    windows = sliding_windows(x, window, stride)  # stands in for a network's window outputs
    fast_out = sliding_window_average(windows, frames, stride)
    naive_out = sliding_window_average_naive(windows, frames, stride)
    max_diff = float(np.abs(fast_out - naive_out).max())
    fast = best_time(lambda: sliding_window_average(windows, frames, stride), repeats)
    naive = best_time(lambda: sliding_window_average_naive(windows, frames, stride), naive_repeats)
    floor = best_time(lambda: windows.sum(), repeats)
    return {"windows": len(windows), "MB": windows.nbytes / 1e6, "naive": naive, "fast": fast, "floor": floor,
            "ratio": fast / naive, "max_diff": max_diff}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=51, help="values per frame (17 joints x 3)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of the fast version (best is kept)")
    parser.add_argument("--naive-repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"SWAA on {args.frames:,} frames x {args.dim} float32 values; best of {args.repeats} (fast) / "
          f"{args.naive_repeats} (naive) runs")
    print(f"{'F':>3} {'stride':>6} {'windows':>8} {'MB':>6} {'naive s':>9} {'fast ms':>8} {'floor ms':>9} "
          f"{'fast/naive':>11} {'max |diff|':>10}")
    for window, stride in ((8, 1), (8, 4), (32, 1), (32, 4)):
        r = run(args.frames, window, stride, args.dim, args.repeats, args.naive_repeats)
        print(f"{window:>3} {stride:>6} {r['windows']:>8,} {r['MB']:>6.0f} {r['naive']:>9.3f} {r['fast'] * 1e3:>8.2f} "
              f"{r['floor'] * 1e3:>9.2f} {r['ratio']:>11.5f} {r['max_diff']:>10.2e}")
    print("paper: fast/naive = 0.00374; goal here <= 0.002")


if __name__ == "__main__":
    main()
