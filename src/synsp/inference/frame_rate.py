"""Run a network at the frame rate it was trained at, whatever the input's rate.

The shipped networks learnt motion at 30 fps, with playback-speed augmentation that covers
what 20-43 fps footage looks like. A 60 fps sequence is slow motion to them: an 8-frame
window spans half the time it did in training, and the learnt smoothing is too weak. Outside
the covered range, :func:`run_at_rate` resamples the input onto the training rate, runs the
network there and interpolates the result back to the input's frames. Above the training
rate it refines several phase-shifted resamplings and averages them, so that every input
frame contributes. What it gains: benchmarks/RESULTS.md, section 6.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.interpolate import CubicSpline, PchipInterpolator

from synsp.config import TRAINING_FPS
from synsp.errors import check_fps


def covered_rates(time_scale: tuple[float, float], training_fps: float = TRAINING_FPS) -> tuple[float, float]:
    """The input frame rates (fps) a network trained with playback-speed factors ``time_scale``
    has seen: playing 30 fps motion 1.5 times faster looks like 20 fps footage."""
    return training_fps / max(time_scale), training_fps / min(time_scale)


def linear_weights(times: np.ndarray, new_times: np.ndarray,
                   held_ends: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each of ``new_times`` (N,), the samples before and after it (indices into ``times`` (T,), sorted, T >= 2)
    and its share of the way from one to the other (N,): 0 .. 1 inside the span, beyond it outside (a line
    extended) or, ``held_ends``, clipped to 0 .. 1 (the end sample held)."""
    hi = np.clip(np.searchsorted(times, new_times, side="right"), 1, len(times) - 1)
    lo = hi - 1
    share = (new_times - times[lo]) / (times[hi] - times[lo])
    return lo, hi, np.clip(share, 0.0, 1.0) if held_ends else share


def interpolate_linear(x: np.ndarray, times: np.ndarray, new_times: np.ndarray) -> np.ndarray:
    """Linear interpolation of ``x`` (V, T, J, C), sampled at ``times`` (T,) seconds, at
    ``new_times`` (N,) seconds inside that span; returns (V, N, J, C). Linear, not cubic, so
    that an outlier in the input does not ring into its neighbours."""
    lo, hi, share = linear_weights(times, new_times)
    w = share[None, :, None, None].astype(x.dtype)
    return x[:, lo] * (1 - w) + x[:, hi] * w


def run_at_rate(
    run: Callable[[np.ndarray], dict[str, np.ndarray]], seq: np.ndarray, fps: float | None,
    covered: tuple[float, float], training_fps: float = TRAINING_FPS, whole_span: bool = False,
) -> dict[str, np.ndarray]:
    """Apply ``run`` (a network over sequences (V, T, J, C) -> named outputs of that shape)
    to ``seq`` (V, T, J, C), without NaN, recorded at ``fps`` frames per second.

    ``fps`` None or inside ``covered``: ``run(seq)`` itself. Otherwise ``seq`` is resampled to
    ``training_fps`` (k = round(fps / training_fps) phase-shifted grids when faster), run, and
    each output brought back to the input's frames by cubic interpolation and averaged over
    the grids. Sequences too short to give two frames at the training rate are run as they are.
    ``whole_span``: each grid reaches past both ends, laid out symmetrically about the clip's middle (grid ``p`` of
    ``k`` at ``middle + (p - (k - 1) / 2) / (k * training_fps) + m / training_fps``, every ``m`` whose point lies in
    the clip's span and the nearest one beyond each end; the input extrapolated there), so a clip and its reversal
    are refined on mirrored grids and both ends are interpolated between grid points alike (benchmarks/RESULTS.md
    section 10, "A clip's first and last frames"); without it the grid starts on frame 0 and stops short of the end.
    """
    if fps is None or covered[0] <= fps <= covered[1]:
        return run(seq)
    check_fps(fps)  # outside errors.FPS_RANGE the grids below would take trillions of frames or hang
    times = np.arange(seq.shape[1]) / fps
    phases = max(1, int(round(fps / training_fps)))
    merged: dict[str, np.ndarray] = {}
    for phase in range(phases):
        grid = phase / (phases * training_fps) + np.arange(0.0, times[-1] + 1e-9, 1 / training_fps)
        grid = grid[grid <= times[-1] + 1e-9]
        if len(grid) < 2:
            return run(seq)
        if whole_span:
            grid = _mirrored_grid(times[-1], (phase - (phases - 1) / 2) / (phases * training_fps), training_fps)
        for name, out in run(resample(seq, times, grid)).items():
            back = CubicSpline(grid, out, axis=1)(times).astype(seq.dtype)  # extrapolates under one frame at the ends
            merged[name] = merged.get(name, 0) + back / phases
    return merged


def _mirrored_grid(span: float, offset: float, rate: float) -> np.ndarray:
    """The points ``span / 2 + offset + m / rate`` (seconds) within [0, ``span``] and the nearest one past each end:
    the same points, mirrored about ``span / 2``, as ``-offset`` gives."""
    low = int(np.floor((0.0 - span / 2 - offset) * rate + 1e-9))
    high = int(np.ceil((span / 2 - offset) * rate - 1e-9))
    return span / 2 + offset + np.arange(low, high + 1) / rate


def resample(x: np.ndarray, times: np.ndarray, new_times: np.ndarray, dense: bool | None = None) -> np.ndarray:
    """``x`` (V, T, J, C) sampled at ``times`` resampled at ``new_times`` (N,): linearly onto a
    sparser grid; onto a denser one (frames between the input's, for slow or fast-paced
    footage) by a monotone cubic (PCHIP), because a straight line between two frames of fast
    motion cuts its corners and the network smooths the corners too, while an ordinary cubic
    spline overshoots around a spike and rings it into the added frames. Validation, motion 3x
    as fast at 30 fps, jitter-only input: linear 0.973 x input, PCHIP 0.948, cubic 0.944 in 3D
    (2D: 1.120, 1.091, 1.086); at the mocap's pace PCHIP costs half the cubic's Accel (RESULTS
    section 6). ``dense``: resample as onto a denser grid (True) or not (False), whatever the counts (a
    piece of a track resampled as the whole track was, :func:`synsp.refining.uneven_times.to_grid`); None: by them."""
    if (len(new_times) > len(times)) if dense is None else dense:
        return PchipInterpolator(times, x, axis=1)(new_times).astype(x.dtype)
    return interpolate_linear(x, times, new_times)
