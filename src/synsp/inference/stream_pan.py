"""A hand-held camera's pan in 2D (:mod:`synsp.inference.camera_pan`) on a live stream.

Offline, the gap the refiner left between the input's and the output's joint-mean tracks is read over the whole
clip (:func:`~synsp.inference.camera_pan.gap_readings`: its lag-1 autocorrelation, and its power against what each
joint lost on its own), and where both read a pan (:func:`~synsp.inference.camera_pan.share_of`) the output's
joint-mean track is moved that share of the way to the input's. A stream reads the same two figures over the
frames it has given back so far, from running sums (the gap's time mean taken off as offline takes it, from the
sums), frame by frame, each frame's share read with it included; nothing moves before :data:`MIN_FRAMES` frames
(a few frames' readings are no measure). Its place is offline's: after the low-pass, before the over-smoothing
given back and the clean step. A person whose share reads 0 gets the frames as they came, bit for bit. What it
gains: benchmarks/RESULTS.md, section 12, "A stream's camera pan and depth drift".
"""
from __future__ import annotations

import numpy as np

from synsp.inference.camera_pan import share_of

__all__ = ["MIN_FRAMES", "RunningPan"]

# Frames given back before the step moves any (module docstring).
MIN_FRAMES = 16


class RunningPan:
    """The camera-pan step for one stream (see the module docstring)."""

    def __init__(self, min_frames: int | None = None):
        self.min_frames = MIN_FRAMES if min_frames is None else min_frames
        self.count = 0  # frames summed
        self._mean = 0.0  # (V, C) summed joint-mean gap
        self._power = 0.0  # (V,) its summed squares
        self._lagged = 0.0  # (V,) summed products of consecutive frames' joint-mean gaps
        self._first: np.ndarray | None = None  # (V, C) the first frame's joint-mean gap
        self._last: np.ndarray | None = None  # (V, C) the last frame's
        self._rest = 0.0  # (V, J, C) summed gap about its joint mean
        self._rest2 = 0.0  # (V, J, C) its summed squares
        self.share: np.ndarray | None = None  # (V,) the last frame's share

    def readings(self) -> tuple[np.ndarray, np.ndarray]:
        """(V,) and (V,): :func:`~synsp.inference.camera_pan.gap_readings` over the frames summed."""
        n = self.count
        mean = self._mean / n
        power = self._power - n * np.sum(mean * mean, axis=-1)
        ahead, behind = self._mean - self._first, self._mean - self._last  # sums of frames 1.. and ..n-2
        lagged = self._lagged - np.sum(mean * (ahead + behind), axis=-1) + (n - 1) * np.sum(mean * mean, axis=-1)
        rest = np.sum(self._rest2 - self._rest ** 2 / n, axis=-1).mean(axis=-1)
        safe = lambda v: np.where(v > 0, v, 1.0)  # noqa: E731
        return np.where(power > 0, lagged / safe(power), 0.0), np.where(rest > 0, power / safe(rest), 0.0)

    def __call__(self, frames: np.ndarray, inputs: np.ndarray) -> np.ndarray:
        """``frames`` (k, V, J, C) given back now, refined from ``inputs`` (k, V, J, C; model space, no NaN).
        Returns ``frames`` with each one's joint-mean track moved the running share towards the input's."""
        out = None
        for i in range(len(frames)):
            gap = np.asarray(inputs[i], np.float64) - np.asarray(frames[i], np.float64)  # (V, J, C)
            mean = gap.mean(axis=-2)  # (V, C)
            self._mean = self._mean + mean
            self._power = self._power + np.sum(mean * mean, axis=-1)
            if self._last is not None:
                self._lagged = self._lagged + np.sum(mean * self._last, axis=-1)
            self._first = mean if self._first is None else self._first
            self._last = mean
            rest = gap - mean[:, None]
            self._rest, self._rest2 = self._rest + rest, self._rest2 + rest * rest
            self.count += 1
            if self.count < self.min_frames:
                continue
            self.share = share_of(*self.readings())
            if np.any(self.share > 0):
                out = np.array(frames, copy=True) if out is None else out
                out[i] = frames[i] + (self.share[:, None, None] * mean[:, None]).astype(frames.dtype)
        return frames if out is None else out
