"""The second pass (:mod:`synsp.inference.repeated_pull`) on a live stream: the 2D floor step's evidence.

Offline, 2D refinement passes its output through the network again and scales the floor step's
strength by the share of its slow correction the second pass repeats (a pull repeats; a
correction of an estimator's slow error does not), over the whole clip. A stream has the inputs of
the frames it gave back, so:

- every :data:`BLOCK` frames given back, the inputs of the last ``BLOCK + 2 * MARGIN`` of them go
  through the network twice (its output the second time), windows
  :data:`~synsp.inference.repeated_pull.REPEAT_STRIDE` frames apart as offline (the stream's own
  output is not that first pass: its windows are closer and moved to the model's joint definitions,
  :attr:`Refiner.keep_convention`, which the offline share does not see); the two slow parts
  (:func:`~synsp.inference.floor.slow_part`) are read on that chunk and their projections
  ``<s1, s2>`` and ``<s1, s1>`` summed over its middle ``BLOCK`` frames (each frame given back counted
  once, with ``MARGIN`` frames either side for the filter);
- the share is the ratio of the sums so far once :data:`MIN_FRAMES` frames are in them; before that
  (the stream's first ``BLOCK + MARGIN`` frames given back), once :data:`EARLY` frames have been given
  back, and again at twice, four times, ... as many, the share is read afresh over every input that has
  arrived (the frames given back and the ``lag`` after them) as one chunk (the default strength before the
  first such read).

It reads frames already given back: the output waits for nothing more (no added lag). Its cost is
two passes of ``(BLOCK + 2 * MARGIN) / REPEAT_STRIDE`` windows (16 in all) on one frame in ``BLOCK``
(RESULTS section 12, "A 2D stream reads the second pass"). The passes run at the frames' own rate
(offline: at the clip's pace, :mod:`synsp.motion_pace`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.floor import slow_part
from synsp.inference.repeated_pull import REPEAT_STRIDE, repeat_factor

BLOCK = 32  # frames given back between second passes (4 windows at REPEAT_STRIDE 8)
MARGIN = 16  # frames either side of a block that the slow parts' filter reads
MIN_FRAMES = 32  # frames in the sums before their share scales the step
# Before then, the share read over all the inputs so far once this many frames are given back, and at twice,
# four times, ... as many (0: not read; the default strength until MIN_FRAMES). Validation (6 clean clips, 0.5 px
# white noise): from 1, 2, 4 frames on 0.419 / 0.421 / 0.441 px over the first 48 frames, not read 0.663; the 30
# first clips of `typical` / `jitter` 0.9025 / 0.7523 -> 0.9014 / 0.7312 x input with 1 and 2 (benchmarks/RESULTS.md,
# section 12, "A stream's first second and a half").
EARLY = 1


class RunningRepeat:
    """The repeated share of one stream (see the module docstring).

    ``run`` maps poses (V, L, J, C), no NaN, to the network's output of the same shape (windows
    ``REPEAT_STRIDE`` apart); ``ramp`` the share -> strength ramp
    (:data:`~synsp.inference.repeated_pull.REPEAT_RAMP`).
    """

    def __init__(self, run: Callable[[np.ndarray], np.ndarray], ramp: tuple,
                 block: int = BLOCK, margin: int = MARGIN, min_frames: int = MIN_FRAMES, early: int = EARLY):
        self.run, self.ramp = run, ramp
        self.block, self.margin, self.min_frames, self.early = block, margin, min_frames, early
        self._given = 0  # frames given back so far
        self._inputs: np.ndarray | None = None  # (n, V, J, C) inputs given back, not yet out of every chunk
        self._cross = 0.0  # (V,) summed <s1, s2>
        self._energy = 0.0  # (V,) summed <s1, s1>
        self._count = 0  # frames in the sums
        self._started = False  # whether the first block was read
        # (V,) the repeated share so far; before MIN_FRAMES the last early read's (None: none yet)
        self.share: np.ndarray | None = None

    def add(self, inputs: np.ndarray, later: np.ndarray | None = None) -> None:
        """The inputs (k, V, J, C) of the frames given back now (model space, no NaN); runs the
        two passes on each chunk they complete. ``later`` (m, V, J, C): the inputs that arrived after
        them, read (with every input given back so far) by the early reads (:data:`EARLY`)."""
        if not len(inputs):
            return
        inputs = np.asarray(inputs, np.float64)
        self._inputs = inputs if self._inputs is None else np.concatenate([self._inputs, inputs])
        before, self._given = self._given, self._given + len(inputs)
        if (self.early and later is not None and not self._started and self._count < self.min_frames
                and _doublings(self._given, self.early) > _doublings(before, self.early)):
            self._read_early(np.concatenate([self._inputs, np.asarray(later, np.float64)]))
        if not self._started and len(self._inputs) >= self.block + self.margin:
            # the stream's first block has no frames before it: read with the margin after only
            self._read(self._inputs[:self.block + self.margin], 0)
            self._started = True
            self._inputs = self._inputs[self.block - self.margin:]
        while len(self._inputs) >= self.block + 2 * self.margin:
            self._read(self._inputs[:self.block + 2 * self.margin], self.margin)
            self._inputs = self._inputs[self.block:]

    def factor(self) -> np.ndarray | None:
        """(V,) the floor step's strength multiplier (:func:`repeat_factor`), None before MIN_FRAMES."""
        return None if self.share is None else repeat_factor(self.share, self.ramp)

    def _read(self, inputs: np.ndarray, at: int) -> None:
        """The two passes on a chunk of inputs (n, V, J, C); frames ``at .. at + BLOCK`` into the sums."""
        first = self._run(inputs)
        second = self._run(first)
        s1 = _slow(first - inputs)[at:at + self.block]
        s2 = _slow(second - first)[at:at + self.block]
        self._cross = self._cross + (s1 * s2).sum(axis=(0, 2, 3))
        self._energy = self._energy + (s1 * s1).sum(axis=(0, 2, 3))
        self._count += len(s1)
        if self._count >= self.min_frames:
            self.share = np.where(self._energy > 0, self._cross / np.maximum(self._energy, 1e-30), 0.0)

    def _read_early(self, inputs: np.ndarray) -> None:
        """The share over one chunk of inputs (n, V, J, C), every frame of it (not into the sums)."""
        first = self._run(inputs)
        s1 = _slow(first - inputs)
        s2 = _slow(self._run(first) - first)
        cross, energy = (s1 * s2).sum(axis=(0, 2, 3)), (s1 * s1).sum(axis=(0, 2, 3))
        self.share = np.where(energy > 0, cross / np.maximum(energy, 1e-30), 0.0)

    def _run(self, track: np.ndarray) -> np.ndarray:
        """``run`` on a (n, V, J, C) track, time first."""
        return np.moveaxis(np.asarray(self.run(np.moveaxis(track, 0, 1).astype(np.float32)), np.float64), 1, 0)


def _slow(track: np.ndarray) -> np.ndarray:
    """:func:`slow_part` of a (n, V, J, C) track, time first."""
    return np.moveaxis(slow_part(np.moveaxis(track, 0, 1)), 1, 0)


def _doublings(given: int, early: int) -> int:
    """How many of the early reads' points (``early``, ``2 * early``, ``4 * early``, ...) ``given`` frames reach."""
    return 0 if given < early else int(np.log2(given // early)) + 1


def second_pass(stream) -> RunningRepeat | None:
    """The :class:`RunningRepeat` of a :class:`~synsp.inference.streaming.StreamingRefiner`: for
    a refiner with a repeat ramp (2D, :attr:`Refiner.repeat_ramp`) and a floor step; else None."""
    model = stream.refiner
    if model.repeat_ramp is None or stream._floor is None:
        return None

    def run(poses: np.ndarray) -> np.ndarray:
        """(V, L, J, C) in the input's axes -> the network's output, turned as the stream's windows are."""
        axes = stream.turn[1]  # the turn to the model's axes the windows take (a selfie's mirror too)
        out = model._run(poses if axes is None else poses @ axes.T, REPEAT_STRIDE, model.batch_size, ("final",))
        return out["final"] if axes is None else out["final"] @ axes

    return RunningRepeat(run, model.repeat_ramp)
