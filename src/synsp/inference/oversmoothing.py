"""Over-smoothing undone: the part of a correction that has the shape of the motion's acceleration.

A smoother that cuts real motion leaves a signature: its correction ``c = out - in`` follows the
motion's second time-derivative (Gaussian smoothing of ``y`` gives ``y_s - y ~ (sigma^2 / 2) y''``),
while a correction of the estimator's errors (jitter, bias, drift) is not correlated with the true
motion's acceleration. The network, which saw few sprints, corrects their fast motion as if it were
error (benchmarks/RESULTS.md, "Every validation clip, per layout"), so per clip, joint and
coordinate the correction is regressed on the input's acceleration and the fitted part, when it
is significantly positive, is given back.

- The acceleration is read from frames ``t +- 3`` and ``t +- 4`` only (:data:`NEAR`, :data:`FAR`:
  the least-squares quadratic through them, :func:`far_acceleration`): the jitter of frame ``t``,
  which the correction takes out, is correlated mostly with its 2 nearest neighbours each side
  (the simulator's AR(1) of 0.04-0.05 s at 30 fps: 0.5 at 1 frame, 0.13 at 3), so noise alone
  gives the regression little slope. Read through the nearest frames (a 6 Hz Butterworth, then
  the second difference) it gives a large one: the step then took back the noise correction too
  (validation `jitter`, 3D Human3.6M-17 x input 0.696 -> 0.92).
- The slope ``k`` (frames^2) is kept only beyond :data:`Z` standard errors above 0 (``k - Z se``,
  floored at 0): a clip whose correction owes nothing to its motion is left as it is.
- What is given back is ``k`` times the same acceleration read on the *output* (smooth), not on
  the input, which would put the input's noise back.

The first and last :data:`FAR` frames have no such acceleration and keep the output, and a clip with
fewer than :data:`MIN_FRAMES` frames between them keeps all of it: on a 9-frame clip the regression
fitted its one frame exactly, the standard error read 0, and the network's whole correction of that
frame was given back (a user audit: its middle frame 23.5 mm off where its neighbours were 7; RESULTS
section 10, "Short clips"). Measured at 30 fps; frames are frames at any rate.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

NEAR = 2  # frames each side left out of the acceleration: the span of the jitter's correlation
FAR = 4  # frames each side read (t +- NEAR+1 .. t +- FAR)
Z = 2.0  # standard errors the slope must stand above 0; only the part beyond them is given back
MIN_FRAMES = 30  # frames in the regression before any is given back: one second at 30 fps (streams alike)


def far_acceleration(y: np.ndarray, near: int = NEAR, far: int = FAR) -> np.ndarray:
    """Second derivative along time (axis -3) of ``y`` (..., T, J, C), in units per frame^2, from
    frames ``t +- (near+1 .. far)`` only: the least-squares quadratic through them. Zero on the
    first and last ``far`` frames (and everywhere when T <= 2 * far)."""
    lags, weights = acceleration_weights(near, far)
    y = np.asarray(y, np.float64)
    t = y.shape[-3]
    acc = np.zeros_like(y)
    if t <= 2 * far:
        return acc
    for lag, w in zip(lags, weights):
        acc[..., far:t - far, :, :] += w * y[..., far + lag:t - far + lag, :, :]
    return acc


@lru_cache(maxsize=None)
def acceleration_weights(near: int = NEAR, far: int = FAR) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The frame offsets :func:`far_acceleration` reads and their weights (the quadratic's second
    derivative), computed once: a stream asks for them per person and frame (a pseudo-inverse each)."""
    lags = np.array([t for t in range(-far, far + 1) if abs(t) > near], np.float64)
    weights = 2.0 * np.linalg.pinv(np.stack([np.ones_like(lags), lags, lags**2], 1))[2]
    return tuple(int(lag) for lag in lags), tuple(weights.tolist())


def give_back_motion(measured: np.ndarray, out: np.ndarray, z: float = Z, *, pooled: bool = False) -> np.ndarray:
    """``out`` (..., T, J, C) with the over-smoothing part of its correction of ``measured`` (same
    shape and unit: mm or pixels) given back (module docstring); same shape and dtype as ``out``.
    ``pooled``: one slope per joint over its C coordinates (3D), not one per coordinate, so that the step turns
    with the input: per coordinate, a clip turned about the vertical was given back other parts (up to 0.7 mm;
    benchmarks/RESULTS.md, section 4, "The world's heading")."""
    if np.shape(out)[-3] - 2 * FAR < MIN_FRAMES:
        return out
    measured64, out64 = np.asarray(measured, np.float64), np.asarray(out, np.float64)
    acc = far_acceleration(measured64)
    correction = out64 - measured64
    axes = (-3, -1) if pooled else -3
    power = np.maximum((acc * acc).sum(axis=axes, keepdims=True), 1e-12)
    slope = (correction * acc).sum(axis=axes, keepdims=True) / power
    inner = correction[..., FAR:-FAR, :, :] - slope * acc[..., FAR:-FAR, :, :]  # the fit's residual where it fitted
    slope = kept_slope(slope, (inner * inner).sum(axis=axes, keepdims=True), inner.shape[-3], power, z)
    return (out64 - slope * far_acceleration(out64)).astype(np.asarray(out).dtype, copy=False)


def kept_slope(slope: np.ndarray, residual: np.ndarray, frames: int, power: np.ndarray, z: float = Z) -> np.ndarray:
    """The part of a regression ``slope`` beyond ``z`` standard errors above 0 (0 below): its
    standard error from the fit's summed squared ``residual`` over ``frames`` frames and the
    summed squared acceleration ``power`` (all broadcastable)."""
    return np.maximum(slope - z * np.sqrt(residual / max(frames - 1, 1) / power), 0.0)
