"""Nearly clean input kept (:mod:`synsp.inference.clean`) on a live stream.

Offline, each joint's correction is limited to what the input's own noise justifies, with the
noise and the correction measured over the whole clip. A stream measures both over the frames it
has given back so far: the input's part above :data:`~synsp.inference.clean.NOISE_BAND` of the
Nyquist rate is read by the same zero-phase filter over the last :data:`HISTORY` input frames and
the ones after them that have arrived, and taken at the frames given back now. The share of each
joint's correction kept is then the offline one, from these running figures: one number per joint
that settles as the stream goes on, so a clean stream is left nearly as offline leaves it, and a
noisy one keeps its whole correction. What it gains: benchmarks/RESULTS.md, section 12, "A stream
of nearly clean input".
"""
from __future__ import annotations

import numpy as np

from synsp.inference.clean import NOISE_BAND, NOISE_RAMP, fast_part, opened
from synsp.sequence import body_size

HISTORY = 64  # input frames before the ones given back that the noise filter runs over


class RunningCleanStep:
    """:func:`synsp.inference.clean.keep_to_noise` for one stream in ``space`` ("3d" or "2d")."""

    def __init__(self, space: str):
        self.ramp = NOISE_RAMP[space]
        self._noise = 0.0  # (V, J) summed squared fast part of the input over the frames given back
        self._correction = 0.0  # (V, J) summed squared correction of those frames
        self._count = 0

    def __call__(self, outputs: np.ndarray, inputs: np.ndarray, around: np.ndarray, at: int) -> np.ndarray:
        """``outputs`` (k, V, J, C) refined from ``inputs`` (k, V, J, C, no NaN), both in one unit,
        with the correction limited to the running noise; ``around`` (n, V, J, C) holds input frames
        before and after them, ``inputs`` being its rows ``at``..``at + k``. Returns (k, V, J, C)."""
        if not len(outputs):
            return outputs
        k = len(outputs)
        fast = fast_part(np.moveaxis(around, 0, -3))  # (V, n, J, C)
        self._noise = self._noise + np.sum(fast[:, at:at + k] ** 2, axis=(1, 3))
        diff = np.asarray(outputs, np.float64) - inputs
        self._correction = self._correction + np.nansum(diff ** 2, axis=(0, 3))
        self._count += k
        noise = np.sqrt(self._noise / self._count / (1.0 - NOISE_BAND))  # (V, J)
        sizes = np.array([body_size(view) for view in np.moveaxis(around, 0, -3)])  # (V,)
        whole = opened(np.median(noise, axis=-1) / np.maximum(sizes, 1e-12), self.ramp)  # (V,)
        if (whole >= 1).all():
            return outputs
        limited = np.minimum(1.0, noise ** 2 / np.maximum(self._correction / self._count, 1e-24))
        gain = np.maximum(whole[:, None], limited)  # (V, J)
        return (inputs + gain[None, :, :, None] * diff).astype(outputs.dtype)
