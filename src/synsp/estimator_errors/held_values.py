"""Held values: a joint that repeats its value from the frame before, exactly.

A video converted to a higher frame rate (25 to 30 fps, a phone's variable rate) repeats whole
frames, and so does a pipeline that runs its estimator on every other frame and holds its output
between; a tracker may hold a joint it lost at its last place. The motion then moves in steps:
still for a frame, then twice as far. No estimator gives the very same floats for a joint it
measured twice, so such a value is no measurement of its own moment; the networks take it for
missing and fill it from the frames around it, as a gap. A person who really keeps still loses
nothing: the values around a still one are the same.

Two kinds of repeat are measurements, and are never held:

- a joint that keeps one value in most of its frames is a fixed point (the root of root-relative
  poses, a padded joint), not a lost one;
- in coarsely rounded values (whole pixels, whole millimetres: a grid of at least a tenth of
  :data:`QUANTUM` body sizes) a slow joint repeats by rounding; there only whole frames held
  (every joint repeating at once) count.

The filters stay plain filters; a stream fills held values where its lookahead reaches the next
measurement (:mod:`synsp.inference.stream_measurements`).
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import body_size

__all__ = ["QUANTUM", "held_frames", "held_values"]

QUANTUM = 2e-4  # body sizes: rounding to a tenth of this or more is coarse


def held_values(poses: np.ndarray) -> np.ndarray:
    """Which values of ``poses`` repeat the frame before them (module docstring).

    Parameters
    ----------
    poses : (..., T, J, C) array, any unit; NaN for missing values.

    Returns
    -------
    (..., T, J) bool array, True on held values: a whole frame equal to the previous one (NaN
    where it was NaN, at least one joint seen), or a joint equal to its previous value where the
    joint's values are finely resolved and it is no fixed point. The first frame is never held.
    """
    x = np.asarray(poses)
    if x.ndim > 3:
        return np.stack([held_values(v) for v in x])
    held = held_frames(x)[:, None] & np.isfinite(x).all(axis=-1)
    if len(x) < 2:
        return held
    same = (x[1:] == x[:-1]).all(axis=-1)  # (T-1, J): a finite value repeated
    fixed = same.sum(axis=0) > 0.5 * np.isfinite(x).all(axis=-1).sum(axis=0)  # (J,)
    repeated = same & ~fixed
    if repeated.any():  # else nothing to tell rounded values from (a body size and a grid test saved)
        held[1:] |= repeated & ~_rounded(x)
    return held


def held_frames(x: np.ndarray) -> np.ndarray:
    """(T,) bool for any array (T, ...): the frames equal to the frame before in every value (NaN
    where it was NaN) that hold at least one finite value. The first frame is never held."""
    x = np.asarray(x)
    held = np.zeros(len(x), dtype=bool)
    if len(x) < 2:
        return held
    now, before = x[1:].reshape(len(x) - 1, -1), x[:-1].reshape(len(x) - 1, -1)
    held[1:] = ((now == before) | (np.isnan(now) & np.isnan(before))).all(axis=1) & np.isfinite(now).any(axis=1)
    return held


def _rounded(x: np.ndarray) -> np.ndarray:
    """(J,) bool: whether each joint's values in ``x`` (T, J, C) are rounded to a grid of no less than
    a tenth of :data:`QUANTUM` body sizes (whole pixels, whole millimetres), nearly all (99 %) of them."""
    size = body_size(x)
    if not np.isfinite(size) or size <= 0:
        return np.ones(x.shape[-2], dtype=bool)
    on_grid = x / 10.0 ** np.floor(np.log10(QUANTUM * size))
    with np.errstate(invalid="ignore"):
        exact = (np.abs(on_grid - np.round(on_grid)) < 1e-3).all(axis=-1)  # (T, J)
    seen = np.isfinite(x).all(axis=-1)
    return (exact & seen).sum(axis=0) >= 0.99 * seen.sum(axis=0)
