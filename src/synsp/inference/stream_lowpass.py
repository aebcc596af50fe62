"""SynSP's last low-pass (:data:`synsp.inference.refiner.LOWPASS_HZ`) on a live stream.

Offline, the output is low-passed without phase over the whole clip. A stream has the frames it
gave back and the ``lag`` frames after the ones it gives back now. So the same zero-phase filter
runs over three parts:

- the last :data:`~synsp.inference.stream_floor.HISTORY` frames given back, as they were before
  this step;
- the frames given back now;
- the frames after them, refined from the windows complete so far, with the floor step's share
  of their slow correction taken as for the frames given back. Without that share, the filter
  would bend towards the network's whole correction at the edge.

The filter is read at the frames given back now. What it gains and costs:
benchmarks/RESULTS.md, section 12, "A stream's output low-passed".
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.stream_floor import HISTORY, filter_together

# A stream is taken at the networks' training rate: it is told no frame rate.
STREAM_FPS = 30.0


class RunningLowPass:
    """The output low-pass for one stream at ``cutoff`` Hz (see the module docstring)."""

    def __init__(self, cutoff: float):
        self.hz = cutoff
        self.cutoff = cutoff_for(cutoff, STREAM_FPS)
        self._given: np.ndarray | None = None  # (n, V, J, C) the last HISTORY frames given back, before the step

    def at_rate(self, rate: float | None) -> None:
        """Filter as offline does a clip refined as if filmed at ``rate`` fps (None: the stream's
        30; :mod:`synsp.inference.stream_pace`): the cut-off offline takes there, in the stream's time."""
        rate = STREAM_FPS if rate is None else float(rate)
        self.cutoff = cutoff_for(self.hz, rate) * STREAM_FPS / rate

    def __call__(self, frames: np.ndarray, later: np.ndarray) -> np.ndarray:
        """``frames`` (k, V, J, C) given back now, low-passed, with ``later`` (m, V, J, C) the frames after them."""
        return lowpass_steps([(self, (frames, later))])[0]

    def _track(self, frames: np.ndarray, later: np.ndarray) -> tuple[np.ndarray, int]:
        given = frames[:0] if self._given is None else self._given
        track = np.concatenate([given, frames, later]).astype(np.float64)
        self._given = np.concatenate([given, frames])[-HISTORY:]
        return track, len(given)


def lowpass_steps(calls: list[tuple[RunningLowPass, tuple[np.ndarray, np.ndarray]]]) -> list[np.ndarray]:
    """Each ``step(frames, later)`` of ``calls``, as :meth:`RunningLowPass.__call__` gives it, the
    filters of every track of the same length and cut-off in one call."""
    prepared = [step._track(*arguments) for step, arguments in calls]
    out: list[np.ndarray | None] = [None] * len(calls)
    for cutoff in {step.cutoff for step, _ in calls}:
        same = [i for i, (step, _) in enumerate(calls) if step.cutoff == cutoff]
        run = lambda track: np.moveaxis(  # noqa: E731  (n, V, J, C), time first
            butterworth(np.moveaxis(track, 0, -3), cutoff=cutoff, order=4, fps=STREAM_FPS), -3, 0)
        for i, filtered in zip(same, filter_together([prepared[i][0] for i in same], run)):
            frames = calls[i][1][0]
            start = prepared[i][1]
            out[i] = filtered[start:start + len(frames)].astype(frames.dtype)
    return out
