"""A motion the network never saw (:mod:`synsp.inference.unseen_motion`) on a live 2D stream.

Offline, on a clip whose floor step reads no slow error to correct and whose noise is a video estimator's jitter, a
joint whose correction beyond a 6 Hz low-pass of its input has a median over the frames far above its noise takes
that low-pass, all read over the whole clip. A stream reads the same figures over the frames it has given back so
far, called by its clean step (:mod:`synsp.inference.stream_clean`) on its output, as offline runs the step after the
clean-input limit:

- the evidence of no slow error: the stream's floor step's strength over its default, in 2D the second pass's
  multiplier (:attr:`~synsp.inference.stream_floor.RunningFloorStep.scale`, :mod:`synsp.inference.stream_repeat`;
  none read yet: the default, which opens nothing);
- the noise: the clean step's running noise per joint and its median over the joints in body sizes;
- the low-pass: the offline one (:func:`~synsp.inference.unseen_motion.low_pass`) over the clean step's input
  history (the last 64 frames and the ones after that have arrived), read at the frames given back;
- each joint's median distance from its output to that low-pass over the frames given back so far (every other one
  kept once :data:`HISTORY` are held, so it stays a median over the whole stream).

The shares are then the offline ones (:func:`~synsp.inference.unseen_motion.clip_gate`,
:func:`~synsp.inference.unseen_motion.joint_shares`); the step moves nothing before :data:`FIRST` frames are given
back, and leaves the frames as they are, bit for bit, where no share is positive. What it gains: benchmarks/
RESULTS.md, section 10, "A stream takes the unseen-motion step".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from synsp.inference.unseen_motion import SPACES, clip_gate, joint_shares, low_pass, moved_to
from synsp.sequence import sorted_median

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner
    from synsp.inference.stream_floor import RunningFloorStep

__all__ = ["FIRST", "HISTORY", "RunningUnseenMotion"]

# Frames given back before the step moves any (the clean step's input history, 2 s at 30 fps): over fewer the running
# median and the second pass's share read loosely. Validation, 2D, the 65 clips (offline's ratio at most 1.92 under
# `jitter`; `typical` keeps the gate shut): the largest ratio read with a clip's gate open from 16, 32, 48 and 64 frames
# on was `jitter` 2.25, 2.25, 1.42, 1.42 and `typical` 4.99, 4.13, 3.65, 1.88, the step moving 3, 1, 0, 0 and 6, 2, 1,
# 0 clips (RESULTS section 10, "A stream takes the unseen-motion step").
FIRST = 64
HISTORY = 1024  # per-frame distances kept for the median; over that, every other one dropped


class RunningUnseenMotion:
    """The unseen-motion step of one 2D stream (the module docstring), called by its clean step on every batch of
    frames given back; ``floor``: the stream's floor step, whose :attr:`scale` is the clip's evidence; ``fps``: the
    frames' rate (None: 30), the low-pass's."""

    def __init__(self, floor: RunningFloorStep, fps: float | None = None):
        self.floor, self.fps = floor, fps
        self._beyond: np.ndarray | None = None  # (n, V, J) distance of each frame given back from its low-pass
        self.count = 0  # frames given back so far
        self.moved: np.ndarray | None = None  # (V, J) joints given a share of the low-pass so far (None: none)

    @classmethod
    def of(cls, model: Refiner, floor: RunningFloorStep | None, fps: float | None = None) -> RunningUnseenMotion | None:
        """The step for a stream of ``model`` at ``fps`` with the floor step ``floor``, or None where offline takes
        none (3D, SmoothNet, no floor step)."""
        if floor is None or model.space not in SPACES or model.network.per_coordinate:
            return None
        return cls(floor, fps)

    def __call__(self, outputs: np.ndarray, around: np.ndarray, at: int, noise: np.ndarray,
                 level: np.ndarray) -> np.ndarray:
        """``outputs`` (k, V, J, C) refined from rows ``at`` to ``at + k`` of ``around`` (n, V, J, C, no NaN), the
        input history, in one unit; ``noise`` (V, J) the running noise per joint (its RMS length), ``level`` (V,) its
        median over the joints in body sizes. Returns (k, V, J, C): each joint moved by its share to the low-pass of
        the input; ``outputs`` itself where no share is positive."""
        k = len(outputs)
        track = np.moveaxis(np.asarray(around, np.float64), 0, -3)  # (V, n, J, C)
        lowpassed = np.moveaxis(low_pass(track, self.fps), -3, 0)[at:at + k]
        beyond = np.linalg.norm(np.asarray(outputs, np.float64) - lowpassed, axis=-1)  # (k, V, J)
        self._beyond = beyond if self._beyond is None else np.concatenate([self._beyond, beyond])
        if len(self._beyond) > HISTORY:
            self._beyond = self._beyond[::2]
        self.count += k
        evidence = self.floor.scale
        gate = clip_gate(np.ones(len(level)) if evidence is None else evidence, level)  # (V,)
        if self.count < FIRST or not gate.any():
            return outputs
        shares = joint_shares(sorted_median(self._beyond, axis=0), noise, gate)  # (V, J)
        if not shares.any():
            return outputs
        self.moved = shares > 0 if self.moved is None else self.moved | (shares > 0)
        return np.moveaxis(moved_to(np.moveaxis(outputs, 0, 1), np.moveaxis(lowpassed, 0, 1), shares), 1, 0)
