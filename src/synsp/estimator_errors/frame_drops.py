"""Frames dropped from poses with no times, read from the steps: where the whole body steps over two or more frame
intervals at once.

The reading itself, shared by offline refinement (:mod:`synsp.refining.dropped_frames`, which puts a missing frame
at each drop read and reads again, and whose docstring gives the test and its figures) and a stream
(:mod:`synsp.inference.stream_drops`, which reads each boundary once its next frame has arrived). At the boundary
between frames ``t`` and ``t + 1`` ``k`` frames were dropped when, over the joints (the median), its step is about
``k + 1`` times its neighbours' mean step, the neighbours equal and the body moving above the frames' noise.
"""
from __future__ import annotations

import warnings

import numpy as np

__all__ = ["MAX_RATIO", "MAX_SIDES", "MIN_SPEED", "MAX_RUN", "dropped_once"]

MAX_RATIO = 0.6  # drop residual / no-drop residual, the joints' median, below this
MAX_SIDES = 1.0  # the neighbours' steps' difference / no-drop residual, the joints' median, below this
MIN_SPEED = 2.0  # the neighbours' mean step (joints' median) above this x the clip's median second difference
MAX_RUN = 3  # frames dropped in a row put back at one boundary, at most (a longer run reads mostly as none)


def dropped_once(poses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One reading of ``poses`` (T, J, C) (:func:`synsp.refining.dropped_frames.dropped_after`'s; a stream's:
    :mod:`synsp.inference.stream_drops`), NaN frames read as no joint seen: the (D,) frames after which frames were
    dropped, and (D,) how many (the step over the neighbours' mean step, less one, the
    joints' median; 1 to :data:`MAX_RUN`)."""
    x = np.asarray(poses, np.float64)
    if x.ndim != 3 or len(x) < 5:
        return np.zeros(0, int), np.zeros(0, int)
    d = np.diff(x, axis=0)  # (T - 1, J, C)
    prev, cur, nxt = d[:-2], d[1:-1], d[2:]
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a boundary with no joint seen: NaN, no drop
        none = np.linalg.norm(cur - (prev + nxt) / 2, axis=-1)  # the residual if no frame is missing
        mean = np.linalg.norm((prev + nxt) / 2, axis=-1)
        speed = np.nanmedian(mean, axis=-1)
        steps = np.nanmedian(np.linalg.norm(cur, axis=-1) / mean, axis=-1)  # k dropped: k + 1 intervals
        runs = np.where(np.isfinite(steps), np.rint(steps) - 1, 0).astype(int)  # (T - 3,) k, as read
        # the residual if k frames are missing, against the one if none is; measured at twice the neighbours' step
        # (k = 1's alone) a run of k reads (k - 1) / k: a run of 3 read 0.67, never found (review leftover 4)
        ratio = np.nanmedian(np.linalg.norm(cur - (runs + 1)[:, None, None] * (prev + nxt) / 2, axis=-1) / none,
                             axis=-1)  # the joints seen
        sides = np.nanmedian(np.linalg.norm(prev - nxt, axis=-1) / none, axis=-1)  # a start or stop: 2
        noise = np.nanmedian(np.linalg.norm(np.diff(x, 2, axis=0), axis=-1))
    if not np.isfinite(noise):
        return np.zeros(0, int), np.zeros(0, int)
    found = np.flatnonzero((runs >= 1) & (runs <= MAX_RUN) & (ratio < MAX_RATIO) & (sides < MAX_SIDES)
                           & (speed > MIN_SPEED * noise))
    return found + 1, runs[found]  # boundary b of ``cur`` lies between frames b + 1 and b + 2
