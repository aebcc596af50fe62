"""Time the Sliding Window Average Algorithm: the literal naive loop vs the fast merge.

The paper reports its fast SWAA (a convolution) at 0.374% of the naive time. Run:

    .venv/bin/python benchmarks/swaa_speed.py                 # 100,000 frames, 17 joints x 3
    .venv/bin/python benchmarks/swaa_speed.py --frames 20000 --repeats 5
    .venv/bin/python benchmarks/swaa_speed.py --alternatives  # also other exact formulations

Prints, for each (window F, stride), the best-of-N time of both versions, their ratio, and a
memory-read floor: one plain pass over the windows (``windows.sum()``), which no exact merge
can beat, since every prediction must be read once. ``floor/naive`` is therefore the best
ratio any implementation could reach against this naive loop on this machine.
"""
from __future__ import annotations

import argparse
import time
from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import as_strided

from synsp.inference.swaa import sliding_window_average, sliding_window_average_naive, window_starts


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Smallest wall time of ``repeats`` calls, in seconds (the least disturbed run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# Other exact stride-1 formulations, kept here so the choice made in synsp.inference.swaa can be re-checked.
def shifted_adds(windows: np.ndarray, length: int) -> np.ndarray:
    """F shifted in-place adds ``out[k:k+N] += windows[:, k]``, then divide by the coverage."""
    n, f = windows.shape[:2]
    out = np.zeros((length, *windows.shape[2:]), dtype=windows.dtype)
    for k in range(f):
        out[k : k + n] += windows[:, k]
    count = np.minimum(np.minimum(np.arange(1, length + 1), np.arange(length, 0, -1)), min(f, n))
    return out / count.astype(windows.dtype).reshape(-1, *([1] * (windows.ndim - 2)))


def antidiagonal_einsum(windows: np.ndarray, length: int) -> np.ndarray:
    """Sum the anti-diagonals of the (N, F) window image through a strided view (interior frames)."""
    n, f = windows.shape[:2]
    flat = np.ascontiguousarray(windows).reshape(n * f, -1)
    row, col = flat.strides
    # frame t = f - 1 + q takes window t - f + 1 + m at position f - 1 - m: flat row q*f + f - 1 + m*(f - 1)
    view = as_strided(flat[f - 1 :], shape=(n - f + 1, f, flat.shape[1]), strides=(f * row, (f - 1) * row, col),
                      writeable=False)
    out = np.zeros((length, flat.shape[1]), dtype=windows.dtype)
    np.einsum("qmd->qd", view, out=out[f - 1 : n])
    return out / f


def conv_transpose(windows: np.ndarray, length: int) -> np.ndarray:
    """The paper's form: transposed convolution of the window image with the F x F identity (torch)."""
    import torch

    n, f = windows.shape[:2]
    x = torch.from_numpy(np.ascontiguousarray(windows.reshape(n, f, -1).transpose(2, 1, 0)))  # (D, F, N)
    kernel = torch.eye(f, dtype=x.dtype).reshape(f, 1, f)  # in channel k -> output offset k
    y = torch.nn.functional.conv_transpose1d(x, kernel)[:, 0]  # (D, N + F - 1) sums
    count = np.minimum(np.minimum(np.arange(1, length + 1), np.arange(length, 0, -1)), min(f, n))
    return y.numpy().T / count.astype(windows.dtype)[:, None]


def run(frames: int, window: int, stride: int, dim: int, repeats: int, naive_repeats: int,
        alternatives: bool) -> dict[str, float]:
    # Independent predictions per window (as a network gives), so the two merges really differ
    # in rounding: windows cut from one sequence would make every average trivially exact.
    n = len(window_starts(frames, window, stride))
    windows = np.random.default_rng(0).standard_normal((n, window, dim), dtype=np.float32)
    fast_out = sliding_window_average(windows, frames, stride)
    naive_out = sliding_window_average_naive(windows, frames, stride)
    result = {"windows": len(windows), "MB": windows.nbytes / 1e6,
              "max_diff": float(np.abs(fast_out - naive_out).max()),
              "fast": best_time(lambda: sliding_window_average(windows, frames, stride), repeats),
              "naive": best_time(lambda: sliding_window_average_naive(windows, frames, stride), naive_repeats),
              "floor": best_time(lambda: windows.sum(), repeats)}
    if alternatives and stride == 1:
        inner = slice(window - 1, frames - window + 1)  # the einsum form only fills interior frames
        for name, fn in (("shifted adds", shifted_adds), ("anti-diagonal einsum", antidiagonal_einsum),
                         ("torch conv_transpose1d", conv_transpose)):
            diff = float(np.abs(fn(windows, frames)[inner] - naive_out[inner]).max())
            result[name] = (best_time(lambda: fn(windows, frames), max(1, repeats // 2)), diff)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=51, help="values per frame (17 joints x 3)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of the fast version (best is kept)")
    parser.add_argument("--naive-repeats", type=int, default=3)
    parser.add_argument("--alternatives", action="store_true", help="also time other stride-1 formulations")
    args = parser.parse_args()
    print(f"SWAA on {args.frames:,} frames x {args.dim} float32 values; best of {args.repeats} (fast) / "
          f"{args.naive_repeats} (naive) runs")
    print(f"{'F':>3} {'stride':>6} {'windows':>8} {'MB':>6} {'naive s':>8} {'fast ms':>8} {'floor ms':>9} "
          f"{'fast/naive':>11} {'floor/naive':>12} {'max |diff|':>10}")
    for window, stride in ((8, 1), (8, 4), (32, 1), (32, 4)):
        r = run(args.frames, window, stride, args.dim, args.repeats, args.naive_repeats, args.alternatives)
        print(f"{window:>3} {stride:>6} {r['windows']:>8,} {r['MB']:>6.0f} {r['naive']:>8.3f} {r['fast'] * 1e3:>8.2f} "
              f"{r['floor'] * 1e3:>9.2f} {r['fast'] / r['naive']:>11.5f} {r['floor'] / r['naive']:>12.5f} "
              f"{r['max_diff']:>10.2e}")
        for name in ("shifted adds", "anti-diagonal einsum", "torch conv_transpose1d"):
            if name in r:
                seconds, diff = r[name]
                print(f"{'':>19}{name:>24}: {seconds * 1e3:8.2f} ms = {seconds / r['naive']:.5f} of naive, "
                      f"max |diff| {diff:.2e}")
    print("paper: fast/naive = 0.00374; goal here <= 0.002")


if __name__ == "__main__":
    main()
