"""How much of its nearest model joints' correction a joint of another layout takes, on a live
stream (:class:`synsp.inference.stream_layouts.OtherLayout`).

The network's correction of a model joint (its output minus the stream's average of its input)
holds two things: a slow part, the network's fix of the estimator's slow errors (bias, drift),
which neighbouring joints share, and a fast part, mostly the model joint's own jitter taken out.
A foot's or a face point's jitter is its own, not its ankle's or its eye's: given the ankle's
fast part, a foot took the ankle's noise (validation, MediaPipe-33 `jitter`: feet 2.77 px against
2.38 for the input; benchmarks/RESULTS.md, section 12). So each joint takes

- the slow part whole: a running mean of the correction over the last :data:`SLOW_FRAMES` or so
  (an exponential mean, bias-corrected so that the first frames are not pulled to 0);
- the fast part scaled by how much of the model joints' fast input the joint's own fast input
  follows: the running regression slope of the one on the other (each the input minus the
  stream's average of it around the frame), within [0, 1], starting at 1 (the whole correction,
  as before) and trusted as frames come (:data:`PRIOR_FRAMES`). Independent jitter gives a slope
  near 0, a foot that follows its ankle (an estimator's foot box) one near 1.

Neither part moves a joint further than its own input's fast deviation justifies (the slow part
per frame :data:`SLOW_STEP` times it): a model joint's glitch taken back is not the foot's.
The stream's average of each joint is a centred Gaussian whose width each joint (and each model
joint) takes for its own noise and motion (:class:`RunningWidth`).
"""
from __future__ import annotations

import numpy as np

SLOW_FRAMES = 30.0  # time constant of the running mean that is the correction's slow part, frames
PRIOR_FRAMES = 30.0  # frames of evidence that weigh as much as the prior slope of 1
# The slow part moves, per frame, by at most this many times the joint's own fast deviation: 1 gave
# MediaPipe-33 `typical` face 13.78 px (13.46 before), 4 gives 13.45 (validation, stream_groups.py)
SLOW_STEP = 4.0


class RunningShare:
    """The share of the nearest model joints' correction that each of J joints takes, per stream."""

    def __init__(self):
        self._slow = 0.0  # (J, C) exponential running mean of the correction (not bias-corrected)
        self._decay = 1.0  # the weight the zero start still has in it
        self._across = 0.0  # (J,) running sum of <own fast part, model joints' fast part>
        self._power = 0.0  # (J,) running sum of |model joints' fast part|^2
        self._count = 0.0  # (J,) frames in those sums

    def __call__(self, correction: np.ndarray, own_fast: np.ndarray, model_fast: np.ndarray) -> np.ndarray:
        """(J, C) move of each joint for this frame, from ``correction`` (J, C), the nearest model
        joints' correction, ``own_fast`` (J, C), the joint's input minus the stream's average of it
        (NaN: not detected), and ``model_fast`` (J, C), the same of its nearest model joints,
        in the poses' unit. Frames must come in order."""
        rate = 1.0 / SLOW_FRAMES
        seen = np.isfinite(own_fast).all(axis=-1) & np.isfinite(model_fast).all(axis=-1)
        kept = correction
        if self._decay < 1.0:  # a jump of the correction that the joint's own input did not make is not slow
            before = self._slow / (1.0 - self._decay)
            kept = before + _within(correction - before, SLOW_STEP * own_fast, seen)
        self._slow = (1.0 - rate) * self._slow + rate * kept
        self._decay *= 1.0 - rate
        slow = self._slow / (1.0 - self._decay)
        a, b = np.where(seen[:, None], own_fast, 0.0), np.where(seen[:, None], model_fast, 0.0)
        self._across = self._across + (a * b).sum(axis=-1)
        self._power = self._power + (b * b).sum(axis=-1)
        self._count = self._count + seen
        slope = np.clip(self._across / np.maximum(self._power, 1e-12), 0.0, 1.0)
        trust = self._count / (self._count + PRIOR_FRAMES)
        share = trust * slope + (1.0 - trust)
        # never beyond the joint's own fast deviation: a model joint's jump taken back (a glitch, a
        # swap the stream's measurements undid) is not the joint's when its own input did not jump
        return slow + _within(share[:, None] * (correction - slow), own_fast, seen)


def _within(move: np.ndarray, bound: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """``move`` (J, C) shortened, where ``seen`` (J,), to at most the length of ``bound`` (J, C)."""
    size, most = np.linalg.norm(move, axis=-1), np.linalg.norm(np.where(seen[:, None], bound, 0.0), axis=-1)
    return move * np.where(seen & (size > most), most / np.maximum(size, 1e-12), 1.0)[:, None]


# Widths (frames at 30 fps) of the centred Gaussian mean a joint of another layout may take, widest
# first (the one before any evidence: the former single width, RESULTS section 12).
WIDTHS = (1.5, 1.0, 0.5)
LEFT_OUT = 2  # frames each side of a frame left out to predict it: the span of an estimator's jitter's correlation
WIDTH_FRAMES = 30.0  # time constant of the running prediction errors the width is chosen by, frames


class RunningWidth:
    """The width of the Gaussian mean of each of J joints, chosen per joint and frame by running
    cross-validation: each width's mean of the frames around a frame, without the :data:`LEFT_OUT`
    nearest each side (their jitter is the frame's own, correlated), predicts the frame's input; the
    width whose predictions have missed least, over the last :data:`WIDTH_FRAMES` or so, is taken.
    A fixed 1.5 frames cut fast motion: a foot turning fast (a kick, a spin) came back 4.4 px from
    the truth where the input was 1.9 (MediaPipe-33 `jitter`, benchmarks/RESULTS.md section 12)."""

    def __init__(self, n_widths: int):
        self.n_widths = n_widths
        self._missed: np.ndarray | None = None  # (S, J) exponential running mean of squared misses

    def __call__(self, given: np.ndarray, predicted: np.ndarray | None) -> np.ndarray:
        """(J,) index of the width each joint takes, from ``given`` (J, C), this frame's input (NaN:
        not detected), and ``predicted`` (S, J, C), each width's prediction of it (None: no frame
        beyond the left-out ones)."""
        if self._missed is None:
            self._missed = np.zeros((self.n_widths, len(given)))  # ties: the widest
        if predicted is not None:
            missed = ((predicted - given) ** 2).sum(axis=-1)  # (S, J)
            known = np.isfinite(missed)
            rate = known / WIDTH_FRAMES
            self._missed = (1.0 - rate) * self._missed + rate * np.where(known, missed, 0.0)
        return np.argmin(self._missed, axis=0)
