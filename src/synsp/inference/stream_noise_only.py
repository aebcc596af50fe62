"""Input whose errors are only light noise (:mod:`synsp.inference.noise_only`) on a live stream.

Offline, where a clip's errors read as light noise only, each joint takes the nearer of SynSP's output and
the zero-phase low-pass of least estimated risk (Stein's unbiased risk estimate for white noise), all read
over the whole clip. A stream reads them over the frames it has given back so far, called by its clean step
(:mod:`synsp.inference.stream_clean`) on its output, as offline runs the step around the whole route:

- the share: light noise (the clean step's running noise level in body sizes under
  :data:`~synsp.inference.noise_only.LIGHT_NOISE`) times the limbs' running drift (the floor step's,
  :attr:`~synsp.inference.stream_floor.RunningFloorStep.drift`) under
  :data:`~synsp.inference.noise_only.STILL_LIMBS` (offline: the larger of that and the whiteness; a stream
  reads no whiteness in 3D);
- each low-pass of :data:`~synsp.inference.risk_choice.CUTOFFS` (and the input itself) over the clean
  step's input history (the last 64 frames and the ones after that have arrived), read at the frames given
  back: a linear filter of the input, its divergence at each frame the diagonal of the filter's matrix at
  that place, so its risk is summed frame by frame
  (:class:`~synsp.inference.stream_risk_choice.RunningLowpasses`);
- the route's risk from the distance of the frames given back to their input, its divergence taken at 0
  (offline reads it by a second run of the route on a probe: 0.12-0.68 per value on validation clips at
  1 mm, 3D; a stream would pay a second network run per window). That under-reads the route's risk, so a
  joint takes its low-pass only where it wins by more than that.

3D only (:data:`SPACES`): a 2D stream lost with it (RESULTS, below). The running sums take the frames
whose share is above 0, and the step moves nothing before :data:`FIRST` of them are summed; where the share
is 0 (the simulator's presets) the frames are left as they are, bit for bit, and nothing is filtered. What it
gains: benchmarks/RESULTS.md, section 12, "A 3D stream of light noise only".
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.clean import opened
from synsp.inference.noise_only import LIGHT_NOISE, STILL_LIMBS
from synsp.inference.stream_risk_choice import RunningLowpasses

__all__ = ["SPACES", "FIRST", "RunningNoiseOnly"]

# The spaces whose streams take the step. Validation, 2D (first 6 clips, 1 px of white noise at 30 fps): the
# stream 0.5222 -> 0.5242 x input with it (the share read from the white-noise step's running whiteness), `jitter`
# moved on 2 of 10 clips (0.7642 -> 0.7643): not taken.
SPACES = ("3d",)

# Frames summed before the step moves any. Validation, 3D (6 clips, 1 mm of white noise at 30 fps; 10 clips of
# `jitter`): 1, 4, 8 and 16 gave 0.552, 0.571, 0.636 and 0.727 x input (the stream without the step 1.115); 1 and 4
# moved `jitter` (all 10 clips and 5, by up to 0.016 x input: its limbs' drift reads low over its first frames),
# 16 none. A stream's first 16 frames are left as they came (RESULTS, section 12, "A 3D stream of light noise only").
FIRST = 16


class RunningNoiseOnly:
    """The light-noise step of one 3D stream (the module docstring), called by its clean step on every batch
    of frames given back; ``drift`` gives the limbs' running drift (V,) in body sizes, or None before it is
    measured."""

    def __init__(self, drift: Callable[[], np.ndarray | None]):
        self.drift = drift
        self._lowpasses = RunningLowpasses()  # (L, V, J) running risks of each low-pass of CUTOFFS
        self._route = 0.0  # (V, J) summed squared distance of the route's output to the input

    @classmethod
    def of(cls, space: str, drift: Callable[[], np.ndarray | None] | None) -> "RunningNoiseOnly | None":
        """The step for a stream in ``space`` whose limbs' drift ``drift`` reads, or None where it takes none."""
        return cls(drift) if space in SPACES and drift is not None else None

    def share(self, level: np.ndarray) -> np.ndarray:
        """(V,) how far the stream's errors read as light noise only, its noise ``level`` (V,) in body sizes."""
        drift = self.drift()
        return (1.0 - opened(level, LIGHT_NOISE)) * (0.0 if drift is None else 1.0 - opened(drift, STILL_LIMBS))

    def __call__(self, outputs: np.ndarray, inputs: np.ndarray, around: np.ndarray, at: int, noise: np.ndarray,
                 level: np.ndarray) -> np.ndarray:
        """``outputs`` (k, V, J, C), the route's, refined from ``inputs`` (k, V, J, C, no NaN): rows ``at`` to
        ``at + k`` of ``around`` (n, V, J, C), the input history; ``noise`` (V, J) the running noise per joint
        (its RMS length), ``level`` (V,) the noise level in body sizes. Returns (k, V, J, C), each joint moved by
        the share towards its low-pass of least running risk where that is under the route's; ``outputs``
        itself where the share is 0."""
        share = self.share(level)
        if not share.any():  # the presets: nothing summed, nothing filtered
            return outputs
        c = outputs.shape[-1]
        x = np.asarray(inputs, np.float64)
        lows = self._lowpasses.add(x, around, at)  # (L, k, V, J, C)
        self._route = self._route + np.nansum((np.asarray(outputs, np.float64) - x) ** 2, axis=(0, 3))
        if self._lowpasses.count < FIRST:
            return outputs
        s2 = noise ** 2 / c  # (V, J) per coordinate
        n = self._lowpasses.count * c
        chosen, risk = self._lowpasses.best(s2, c)  # (V, J), -1: the input itself
        moved = np.maximum(risk, 0.0) < np.maximum(self._route - n * s2, 0.0)  # (V, J)
        if not moved.any():
            return outputs
        target = RunningLowpasses.target(lows, x, chosen)
        gain = (share[:, None] * moved)[None, :, :, None]
        return (outputs + gain * (target - outputs)).astype(outputs.dtype)
