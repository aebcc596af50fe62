"""Light white noise (:mod:`synsp.inference.white_noise`) on a live 2D stream.

Offline, where a clip's noise reads white (:func:`~synsp.inference.white_noise.whiteness` under
:data:`~synsp.inference.white_noise.WHITE_RAMP`), each joint keeps the share ``min(1, (ALPHA * n / s)^2)``
of its correction's slow part (its clip mean and its part below
:data:`~synsp.inference.white_noise.SLOW_BAND` of the Nyquist rate), ``n`` the joint's noise and ``s`` the
slow part's RMS, all over the whole clip. A stream reads them over the frames it has given back so far, as
its clean step reads the noise (:mod:`synsp.inference.stream_clean`, which runs this step first, as offline
runs it before the clean-input step):

- the whiteness from running sums, per joint, of the input's squared parts in the two bands (the same
  zero-phase filters over the clean step's input history and the frames after it that have arrived, taken
  at the frames given back), median over joints;
- ``n``: the clean step's running noise;
- the slow part of the correction at the frames given back now: the same low-pass over the last
  :data:`HISTORY` corrections given back and theirs. A zero-phase filter's value at the end of its track
  is, with odd padding, the last value itself (its noise with it), so the track's end is padded evenly
  (a one-sided mean of the last frames); ``s``: the running RMS of these slow parts.

The step starts once :data:`FIRST` frames have been given back (offline: clips of 32 frames or more) and
leaves the frames as they are, bit for bit, while the running whiteness reads at or over the ramp's top (an
estimator's correlated jitter: all but a few clips of the simulator's presets, whose first frames read loosely:
benchmarks/RESULTS.md, below). What it gains:
benchmarks/RESULTS.md, section 12, "A 2D stream of light white noise".
"""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from synsp.filters import butterworth
from synsp.inference.clean import NOISE_BAND, opened
from synsp.inference.white_noise import ALPHA, MID_BAND, SLOW_BAND, WHITE_RAMP, band_ratio

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner

__all__ = ["SPACES", "HISTORY", "PAD", "FIRST", "RunningWhiteNoise", "RunningWhiteness", "below_mid"]

SPACES = ("2d",)  # the spaces whose streams take the step (offline: white_noise.SPACES)
HISTORY = 64  # corrections given back kept for the slow part's low-pass (2 s at 30 fps; 4 of its periods)
PAD = 15  # frames mirrored past the last correction (a period of SLOW_BAND's cut-off, 2 Hz at 30 fps)
# Frames given back before the step starts. Validation (12 clips, 0.25 / 0.5 / 1 px; the 30 first of `typical`
# and `jitter`): 32 (offline's shortest clip), 16 and 8 gave 0.480 / 0.587 / 0.831, 0.452 / 0.568 / 0.803 and
# 0.437 / 0.562 / 0.789 px; 32 left those presets' streams bit for bit, 16 changed one and three clips, 8 three and
# three (within 0.0004 x input), and a `hard` clip read 0.97 on its first 8 frames: the running whiteness is loose
# that early.
FIRST = 16


class RunningWhiteNoise:
    """The light-white-noise step of one 2D stream (the module docstring), called by its clean step
    (:class:`~synsp.inference.stream_clean.RunningCleanStep`) on every batch of frames given back."""

    def __init__(self):
        self._white = RunningWhiteness()
        self._slow = 0.0  # (V, J) summed squared slow part of the correction at those frames
        self._count = 0
        self._diffs: deque[np.ndarray] = deque(maxlen=HISTORY)  # (V, J, C) corrections given back, float64

    @classmethod
    def of(cls, model: "Refiner") -> "RunningWhiteNoise | None":
        """The step for a stream of ``model``, or None where offline takes none (3D, SmoothNet)."""
        return cls() if model.space in SPACES and not model.network.per_coordinate else None

    @property
    def whiteness(self) -> np.ndarray:
        """(V,) the running :func:`~synsp.inference.white_noise.whiteness` (NaN: no frame yet)."""
        return self._white.whiteness

    def __call__(self, outputs: np.ndarray, inputs: np.ndarray, fast: np.ndarray, below: np.ndarray,
                 noise: np.ndarray, rounding: float = 0.0) -> np.ndarray:
        """``outputs`` (k, V, J, C) refined from ``inputs`` (k, V, J, C, no NaN), in one unit, with the
        slow part of the correction limited where the noise so far reads white. ``fast`` and ``below``
        (k, V, J, C): the inputs' parts above :data:`~synsp.inference.clean.NOISE_BAND` and below
        ``MID_BAND[0]`` of the Nyquist rate (filtered over the stream's input history); ``noise`` (V, J)
        the clean step's running noise per joint (its RMS length, the input's unit); ``rounding``: the variance per
        coordinate of the input's grid's rounding (:func:`~synsp.inference.white_noise.rounding_variance`), allowed
        for in the whiteness as offline. Returns (k, V, J, C), ``outputs`` itself where nothing is limited."""
        k = len(outputs)
        x = np.asarray(inputs, np.float64)
        self._white.add(x, fast, below)
        self._white.rounding = rounding
        diff = np.nan_to_num(np.asarray(outputs, np.float64) - x)  # a NaN output (none known) must not stay in the sums
        track = np.concatenate([np.stack(self._diffs), diff]) if self._diffs else diff
        slow = _slow_end(track)[-k:]  # (k, V, J, C)
        self._diffs.extend(diff)
        self._slow = self._slow + np.sum(slow ** 2, axis=(0, 3))
        self._count += k
        share = 1.0 - opened(self.whiteness, WHITE_RAMP)  # (V,)
        if self._count < FIRST or not share.any():
            return outputs
        kept = np.minimum(1.0, (ALPHA * noise) ** 2 / np.maximum(self._slow / self._count, 1e-24))  # (V, J)
        cut = share[:, None] * (1.0 - kept)
        return (outputs - cut[None, :, :, None] * slow).astype(outputs.dtype)


class RunningWhiteness:
    """The running :func:`~synsp.inference.white_noise.whiteness` of a stream's input, summed over the frames
    given back (the module docstring; also :class:`~synsp.inference.stream_risk_choice.RunningWhereWhite`)."""

    def __init__(self):
        self._mid = 0.0  # (..., J) summed squared part of the input in MID_BAND at the frames given back
        self._top = 0.0  # (..., J) the same above NOISE_BAND
        self.count = 0
        self.coords = 0  # the inputs' coordinates (C)
        self.rounding = 0.0  # the variance per coordinate of their grid's rounding (white_noise.band_ratio)

    def add(self, inputs: np.ndarray, fast: np.ndarray, below: np.ndarray) -> None:
        """Sum the frames ``inputs`` (k, ..., J, C, float64) whose parts above
        :data:`~synsp.inference.clean.NOISE_BAND` and below ``MID_BAND[0]`` of the Nyquist rate, filtered over
        the stream's input history, are ``fast`` and ``below`` (shaped like it)."""
        mid = inputs - fast - below  # between MID_BAND's shares: the input less what lies above and below
        self._mid = self._mid + np.sum(mid ** 2, axis=(0, -1))
        self._top = self._top + np.sum(fast ** 2, axis=(0, -1))
        self.count += len(inputs)
        self.coords = inputs.shape[-1]

    @property
    def whiteness(self) -> np.ndarray:
        """(...) the running whiteness, median over joints (NaN: no frame yet)."""
        if not self.count:
            return np.full(1, np.nan)
        mid = self._mid / (MID_BAND[1] - MID_BAND[0])
        top = self._top / (1.0 - NOISE_BAND)
        return band_ratio(mid, top, self.coords * self.rounding)


def below_mid(track: np.ndarray) -> np.ndarray:
    """The part of a (n, V, J, C) track, time first, below ``MID_BAND[0]`` of the Nyquist rate (the same
    zero-phase Butterworth, order 4, as offline's :func:`~synsp.inference.white_noise.whiteness`), float64."""
    track = np.moveaxis(np.asarray(track, np.float64), 0, -3)
    return np.moveaxis(butterworth(track, cutoff=MID_BAND[0] * 15.0, order=4, fps=30.0), -3, 0)


def _slow_end(track: np.ndarray) -> np.ndarray:
    """The part of a (n, V, J, C) track, time first, below :data:`~synsp.inference.white_noise.SLOW_BAND` of
    the Nyquist rate (zero-phase Butterworth, order 4), its end padded evenly (:data:`PAD` frames mirrored
    about the last: its last rows are those of a one-sided mean, module docstring), float64."""
    track = np.asarray(track, np.float64)
    pad = min(PAD, len(track) - 1)
    if pad < 1:
        return track
    mirrored = np.concatenate([track, track[-2:-pad - 2:-1]])
    slow = butterworth(np.moveaxis(mirrored, 0, -3), cutoff=SLOW_BAND * 15.0, order=4, fps=30.0)
    return np.moveaxis(slow, -3, 0)[:len(track)]
