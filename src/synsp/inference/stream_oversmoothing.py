"""Over-smoothing given back (:mod:`synsp.inference.oversmoothing`) on a live stream.

Offline, per clip, joint and coordinate, the correction ``out - in`` is regressed on the input's
acceleration read from frames ``t +- 3, 4`` (:func:`~synsp.inference.oversmoothing.far_acceleration`),
and the part of the slope beyond :data:`~synsp.inference.oversmoothing.Z` standard errors is
given back as the output's own acceleration. A stream has the frames given back so far and the
``lag`` frames after the ones it gives back now (refined from the windows complete so far), so:

- the regression's sums run over the frames given back so far (a slope that settles as the
  stream goes on), and nothing is given back before :data:`MIN_FRAMES` of them: a slope's
  standard error read on a handful of frames is itself no measure (one frame fits any slope);
- the accelerations of a frame are read on the last :data:`FAR` frames given back, the frames
  given back now and the frames after them: a frame with fewer than :data:`FAR` frames after it
  (a lag under 4, the stream's end) keeps its output, as offline keeps the clip's last frames.

A stream works in the model's space, root-relative in 3D, where offline reads the whole motion;
a body's path is smoothed by its own fit (:mod:`synsp.inference.root_track`). What it gains:
benchmarks/RESULTS.md, section 12, "A stream's over-smoothing given back".
"""
from __future__ import annotations

import numpy as np

from synsp.inference.oversmoothing import FAR, MIN_FRAMES, Z, acceleration_weights, kept_slope


class RunningGiveBack:
    """The over-smoothing step for one stream (see the module docstring)."""

    def __init__(self, z: float = Z, *, pooled: bool = False):
        self.z = z
        self.pooled = pooled  # one slope per joint over its coordinates (oversmoothing.give_back_motion's)
        self._inputs: np.ndarray | None = None  # (<= FAR, V, J, C) inputs of the last frames given back
        self._outputs: np.ndarray | None = None  # their outputs before this step
        self._cross = 0.0  # (V, J, C) summed correction x input acceleration over the frames given back
        self._power = 0.0  # summed squared input acceleration
        self._square = 0.0  # summed squared correction
        self._count = 0  # frames with an acceleration in those sums

    def __call__(self, frames: np.ndarray, inputs: np.ndarray, later: np.ndarray,
                 later_inputs: np.ndarray) -> np.ndarray:
        """``frames`` (k, V, J, C) given back now, refined from ``inputs`` (k, V, J, C; model space,
        no NaN), with ``later`` (m, V, J, C) the frames after them as refined so far and
        ``later_inputs`` theirs. Returns ``frames`` with the over-smoothing part given back."""
        k = len(frames)
        if not k:
            return frames
        given_in = inputs[:0] if self._inputs is None else self._inputs
        given_out = frames[:0] if self._outputs is None else self._outputs
        h = len(given_in)
        track_in = np.concatenate([given_in, inputs, later_inputs]).astype(np.float64)
        track_out = np.concatenate([given_out, frames, later]).astype(np.float64)
        self._inputs = np.concatenate([given_in, inputs])[-FAR:]
        self._outputs = np.concatenate([given_out, frames])[-FAR:]
        n = len(track_in)
        index = np.arange(h, h + k)
        valid = index[(index >= FAR) & (index < n - FAR)]  # frames whose acceleration is read
        if not len(valid):
            return frames
        acc = _acceleration(track_in, valid)
        correction = track_out[valid] - track_in[valid]
        self._cross = self._cross + self._summed(correction * acc)
        self._power = self._power + self._summed(acc * acc)
        self._square = self._square + self._summed(correction * correction)
        self._count += len(valid)
        if self._count < MIN_FRAMES:
            return frames
        power = np.maximum(self._power, 1e-12)
        slope = self._cross / power
        residual = np.maximum(self._square - slope * self._cross, 0.0)  # of the fit, summed over frames
        kept = kept_slope(slope, residual, self._count, power, self.z)  # (V, J, C)
        if not kept.any():
            return frames
        out = np.asarray(frames, np.float64).copy()
        out[valid - h] -= kept * _acceleration(track_out, valid)
        return out.astype(frames.dtype, copy=False)

    def _summed(self, values: np.ndarray) -> np.ndarray:
        """(n, V, J, C) -> summed over the frames: (V, J, C), or pooled (V, J, 1)."""
        summed = values.sum(axis=0)
        return summed.sum(axis=-1, keepdims=True) if self.pooled else summed


def _acceleration(track: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`~synsp.inference.oversmoothing.far_acceleration` of a (n, V, J, C) track, time first,
    at its ``rows`` (each ``FAR <= row < n - FAR``) only, summed in the same order (the same values):
    a stream reads a few frames of a track it would otherwise differentiate whole, per person."""
    acc = np.zeros((len(rows), *track.shape[1:]))
    for lag, w in zip(*acceleration_weights()):
        acc += w * track[rows + lag]
    return acc
