"""Held frames: a frame that repeats the one before it exactly, every joint.

A video converted to a higher frame rate (25 to 30 fps, a phone's variable rate) repeats
frames, and so does a pipeline that runs its estimator on every other frame and holds its
output between. The motion then moves in steps: still for a frame, then twice as far. No
estimator gives the very same floats for every joint of two frames it measured, so such a
frame is no measurement of its own moment; the networks take it for missing and fill it from
the frames around it, as a gap. A person who really keeps still loses nothing: the frames
around a still frame hold the same values.

The filters stay plain filters, and a stream takes a held frame as it came: holding the last
value is what a stream does for a missing frame anyway.
"""
from __future__ import annotations

import numpy as np

__all__ = ["held_frames", "without_held_frames"]


def held_frames(poses: np.ndarray) -> np.ndarray:
    """Which frames of ``poses`` repeat the frame before them.

    Parameters
    ----------
    poses : (..., T, J, C) array, any unit; NaN for missing values.

    Returns
    -------
    (..., T) bool array: True where every coordinate equals the previous frame's (NaN where it
    was NaN) and the frame has at least one finite joint. The first frame is never held.
    """
    x = np.asarray(poses)
    held = np.zeros(x.shape[:-2], dtype=bool)
    if x.shape[-3] < 2:
        return held
    now, before = x[..., 1:, :, :], x[..., :-1, :, :]
    same = (now == before) | (np.isnan(now) & np.isnan(before))
    seen = np.isfinite(now).all(axis=-1).any(axis=-1)
    held[..., 1:] = same.all(axis=(-2, -1)) & seen
    return held


def without_held_frames(poses: np.ndarray) -> np.ndarray:
    """``poses`` (T, J, C) or (V, T, J, C) with every held frame (:func:`held_frames`) set to NaN;
    the array itself when there is none."""
    x = np.asarray(poses)
    held = held_frames(x)
    if not held.any():
        return x
    return np.where(held[..., None, None], np.nan, x).astype(x.dtype, copy=False)
