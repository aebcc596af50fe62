"""A live stream at the pace of motion the network learnt (:mod:`synsp.motion_pace`, live).

Offline, a clip whose motion is faster than the mocap's (a sprint at 30 fps) is refined as if
filmed at a lower rate: below the rates the network covers, frames are interpolated between the
input's so that the network sees the motion at the pace it learnt, and the output low-pass works
in that stretched time. A stream has only the frames seen so far, so:

- the pace is measured (:func:`synsp.motion_pace.motion_pace`) on the last :data:`HISTORY`
  frames that went to the network, every :data:`EVERY` frames once :data:`MIN_FRAMES` have
  arrived, and the rate to refine at follows it as offline's (:func:`synsp.motion_pace.paced_rate`),
  with a margin either way (:data:`MARGIN`) so that a pace near a threshold does not flicker;
- below the covered rates, a window still ends at the newest frame, but its F frames are
  sampled ``1 / stretch`` input frames apart (``stretch = 30 / rate``) by a monotone cubic through
  the frames held (as offline's :func:`synsp.inference.frame_rate.resample`): it spans
  ``(F - 1) / stretch`` input frames, fewer than F, so the lag does not grow. Its output is
  brought back to the input frames it spans by a cubic spline through its samples (offline:
  through the whole clip's), each with the SWAA weight read there, into the stream's running
  sums (:meth:`synsp.inference.streaming.StreamingRefiner._accumulate`); windows are cut every
  ``max(1, stride // stretch)`` frames, so that each frame takes about as many windows as
  offline's samples do;
- the output low-pass runs at the paced rate, as offline's
  (:meth:`synsp.inference.stream_lowpass.RunningLowPass.at_rate`); the floor step's filters stay
  at 30 fps (at the paced rate they cost the validation sprints more under jitter than they
  gained on clean input: RESULTS, section 12).

What it gains and costs: benchmarks/RESULTS.md, section 12, "A stream follows the pace".
"""
from __future__ import annotations

from collections import deque

import numpy as np
from scipy.interpolate import CubicSpline, PchipInterpolator

from synsp.config import TRAINING_FPS
from synsp.motion_pace import PACE, motion_pace

# Frames before the pace acts. From 16 on, the validation sprints read within 4 % of their
# whole clip's pace, and no slower clip reads fast enough to be resampled; 12 and 24 were
# about as good on average (RESULTS section 12, "A stream follows the pace").
MIN_FRAMES = 16
HISTORY = 90  # frames the pace is measured over (3 s at 30 fps; offline: the whole clip)
EVERY = 3  # frames between two measurements
MARGIN = 0.1  # a threshold is crossed upwards at (1 + MARGIN) times it, back at 1 / (1 + MARGIN)


class RunningPace:
    """The rate a stream refines at, from the pace of the frames so far (module docstring).

    ``covered``: the rates (fps) the network runs on as they are
    (:func:`synsp.inference.frame_rate.covered_rates`). :attr:`rate` is None while the stream
    is refined at its own 30 fps, else the paced rate; :attr:`stretch` is None while the
    network sees the frames as they come, else the input frames per network frame's inverse
    (network frames per input frame, > 1). ``steps``: the stream's clip-level steps whose filters
    run at :attr:`rate` (their ``at_rate``: the output low-pass); None: left out."""

    def __init__(self, covered: tuple[float, float], steps: tuple = (), pace: float = PACE):
        self.covered = covered
        self.steps = [step for step in steps if step is not None]
        self.pace = pace
        self.rate: float | None = None
        self.stretch: float | None = None
        self._frames: deque[np.ndarray] = deque(maxlen=HISTORY)
        self._count = 0

    def add(self, frame: np.ndarray) -> float | None:
        """One (V, J, C) frame as the network will see it (filled, model space); :attr:`stretch` after it."""
        self._frames.append(frame)
        self._count += 1
        if self._count >= MIN_FRAMES and (self._count - MIN_FRAMES) % EVERY == 0:
            self._measure()
        return self.stretch

    def _measure(self) -> None:
        measured = motion_pace(np.stack(self._frames, axis=1))  # (V, T, J, C)
        up = 1.0 + MARGIN
        threshold = self.pace * (1.0 / up if self.rate is not None else up)
        self.rate = min(TRAINING_FPS, TRAINING_FPS * self.pace / measured) if measured > threshold else None
        low = self.covered[0] * (up if self.stretch is not None else 1.0 / up)
        self.stretch = TRAINING_FPS / self.rate if self.rate is not None and self.rate < low else None
        for step in self.steps:
            step.at_rate(self.rate)


def paced_times(end: int, stretch: float, window: int) -> np.ndarray:
    """(F,) times, in input frames, of a window of ``window`` frames ending at frame ``end``
    and sampled ``1 / stretch`` input frames apart."""
    return end - (window - 1 - np.arange(window)) / stretch


def paced_cuts(covered: int, end: int, stretch: float, window: int) -> list[np.ndarray]:
    """The (F,) times of the paced windows to cut when one ends at frame ``end``, frames up to
    ``covered`` having a window already: that one, after as many as it takes, each starting at the
    first frame with none, where it would leave frames before it with no window. A window of F
    frames spans only ``(F - 1) / stretch`` input frames, so when the pace acts before the first
    full window (a window longer than :data:`MIN_FRAMES`: SmoothNet's 32) the stream's first frames
    had none, and every frame after them waited for them for ever (no output at all). One window
    before the last is not always enough: when the pace acts at frame 15 at a stretch above about 4
    (at frame 30, about 2), two spans fall short of the frames so far, and a frame between them was
    never given back (SmoothNet's stream stopped with an InternalError)."""
    times = paced_times(end, stretch, window)
    cuts = []
    while np.ceil(times[0] - 1e-6) > covered + 1:
        cuts.append(covered + 1 + np.arange(window) / stretch)
        covered = int(np.floor(cuts[-1][-1] + 1e-6))  # its last frame (back_to_frames); at least covered + 1
    return [*cuts, times]


def paced_window(inputs: dict[int, np.ndarray], times: np.ndarray) -> np.ndarray:
    """(1, V, F, J, C) window at ``times`` (F,), by a monotone cubic through the frames
    ``inputs`` (frame -> (V, J, C)) holds around them (one more either side where it can)."""
    first = int(np.floor(times[0]))
    held = [i for i in range(first - 1, int(np.ceil(times[-1])) + 2) if i in inputs]
    frames = np.stack([inputs[i] for i in held])  # (n, V, J, C)
    out = PchipInterpolator(np.array(held, float), frames, axis=0)(times).astype(frames.dtype)
    return np.moveaxis(out, 0, 1)[None]


def back_to_frames(final: np.ndarray, times: np.ndarray, weights: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A window's output ``final`` (1, V, F, J, C) at ``times`` (F,) brought back to the input
    frames it spans: (n,) frame indices, (n, V, J, C) values by a cubic spline through the
    samples, and (n,) SWAA weights (``weights`` (F,) read linearly there)."""
    frames = np.arange(int(np.ceil(times[0] - 1e-6)), int(np.floor(times[-1] + 1e-6)) + 1)
    at = np.clip(frames, times[0], times[-1])
    values = CubicSpline(times, final[0], axis=1)(at)  # (V, n, J, C)
    return frames, np.moveaxis(values, 1, 0).astype(final.dtype), np.interp(at, times, weights)
