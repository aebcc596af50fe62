"""Sentinels: a constant other than 0 written for a joint not found, e.g. (-1, -1) or (9999, 9999).

Estimators and users' dumps mark a joint not found by a point whose coordinates all equal one
constant: (0, 0) (OpenPose, mmpose; :func:`synsp.sequence.not_found`), and just as often (-1, -1)
(the lightweight OpenPose demo fills its keypoints with -1 before writing the ones it found), or a
far value such as (9999, 9999) or (-9999, -9999). Read as measurements, they drag a joint to the
picture's corner and its neighbours in time with it, and far ones blow up the body's size.

A point is such a sentinel when (1) its coordinates all equal one constant c != 0, (2) that exact
point recurs (at least :data:`RECURS` times in the sequence, over joints or frames) and (3) it lies
off the body: farther than :data:`OFF_TRACK` of the body's size, and than :data:`STEPS` times the
joint's own median move between frames, from where its joint is in the nearest frames in which it is
no such point, or, for a joint that is such a point in every frame,
outside every other joint of its frame. A real joint that sits on one diagonal value again and
again (an integer pixel held still) lies on its own track, so it is kept; a float estimate
almost never lands on x = y = ... exactly, let alone twice.
"""
from __future__ import annotations

import warnings

import numpy as np

__all__ = ["OFF_TRACK", "RECURS", "STEPS", "sentinel_points", "sentinel_values"]

RECURS = 2  # the exact point must be written at least twice (over joints or frames): a value, not a chance
# A sentinel lies farther than this share of the body's size (the median largest side of its box) from
# where its joint is: a joint's own frame-to-frame step is well below it (2.5 px on a 500 px person, 8 mm
# on 1.7 m), while the lightest sentinel case, (-1, -1, -1) in root-relative millimetres for a hip about
# 100 mm from the root, lies 0.06 away; chosen on validation clips (benchmarks/RESULTS.md, section 11,
# "Sentinels and scores beyond 2").
OFF_TRACK = 0.05
STEPS = 3.0  # ... and farther than this many times the joint's own median move between frames (a grid cell)


def _diagonal(x: np.ndarray) -> np.ndarray:
    """(..., T, J) bool: finite points whose coordinates all equal one constant other than 0."""
    first = x[..., :1]
    with np.errstate(invalid="ignore"):
        return (x == first).all(axis=-1) & np.isfinite(first[..., 0]) & (first[..., 0] != 0)


def _nearest_seen(x: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """(T, J, C): each joint's value in the nearest frame (before or after) in which ``seen`` (T, J),
    the earlier one on a tie; NaN for a joint never seen."""
    t = x.shape[0]
    frames = np.arange(t)[:, None]
    prev = np.maximum.accumulate(np.where(seen, frames, -1), axis=0)
    nxt = np.minimum.accumulate(np.where(seen, frames, t)[::-1], axis=0)[::-1]
    use_next = (prev < 0) | ((nxt < t) & (nxt - frames < frames - prev))
    idx = np.where(use_next, nxt, prev).clip(0, t - 1)
    out = np.take_along_axis(x, idx[..., None], axis=0)
    return np.where(seen.any(axis=0)[None, :, None], out, np.nan)


def _sequence(x: np.ndarray) -> np.ndarray:
    """(T, J) bool: the sentinels of one sequence ``x`` (T, J, C) (see the module's docstring)."""
    diagonal = _diagonal(x)
    if diagonal.sum() < RECURS:
        return np.zeros(x.shape[:-1], bool)
    values, counts = np.unique(x[..., 0][diagonal], return_counts=True)
    recurring = values[counts >= RECURS]
    candidate = diagonal & np.isin(x[..., 0], recurring)
    if not candidate.any():
        return candidate
    seen = ~candidate & np.isfinite(x).all(axis=-1)
    if not seen.any():
        return candidate  # nothing but the constant: no body to tell it from, nothing measured
    with warnings.catch_warnings():  # frames without any joint seen: NaN, left out of the medians
        warnings.simplefilter("ignore", RuntimeWarning)
        inside = np.where(seen[..., None], x, np.nan)
        low, high = np.nanmin(inside, axis=-2), np.nanmax(inside, axis=-2)  # (T, C): the body's box per frame
        size = float(np.nanmedian(np.nanmax(high - low, axis=-1)))
        # each joint's own largest steps between frames it is seen in (a quantised joint steps a whole grid cell)
        steps = np.linalg.norm(np.diff(np.where(seen[..., None], x, np.nan), axis=0), axis=-1)  # (T - 1, J)
        steps[steps == 0] = np.nan  # a joint held still: its moves are what count
        reach = STEPS * np.nan_to_num(np.nanmedian(steps, axis=0), nan=0.0) if len(x) > 1 else 0.0
    near = _nearest_seen(x, seen)  # where each joint is in its nearest frames without the constant
    with np.errstate(invalid="ignore"):
        off_track = np.linalg.norm(x - near, axis=-1) > np.maximum(OFF_TRACK * size, reach)
        outside = ((x < low[:, None]) | (x > high[:, None])).any(axis=-1)
    never = ~seen.any(axis=0)[None, :]  # a joint that is the constant in every frame: outside its frame's body?
    return candidate & np.where(never, outside, off_track)


def sentinel_points(x: np.ndarray) -> np.ndarray:
    """(..., T, J) bool for poses (..., T, J, C): the points written as a sentinel other than 0 for a
    joint not found (module docstring), per sequence of the leading axes; all False where none is."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.number) or x.ndim < 2 or not _diagonal(x).any():
        return np.zeros(x.shape[:-1], bool)
    x = x.astype(np.float64, copy=False)
    if x.ndim == 2:  # (J, C): one frame
        return _sequence(x[None])[0]
    flat = x.reshape((-1,) + x.shape[-3:])
    return np.stack([_sequence(s) for s in flat]).reshape(x.shape[:-1])


def sentinel_values(x: np.ndarray, lost: np.ndarray) -> str:
    """The summary's words for the points ``lost`` (..., T, J) of poses ``x`` (..., T, J, C) read as not
    found, by value: e.g. ``"12 joint values at exactly (0, 0), 57 at exactly (9999, 9999)"``; "" when none is."""
    lost = np.asarray(lost, bool)
    if not lost.any():
        return ""
    values, counts = np.unique(np.asarray(x)[..., 0][lost], return_counts=True)
    c = x.shape[-1]
    words = [f"{n} at exactly ({', '.join([f'{v + 0.0:g}'] * c)})" for v, n in zip(values, counts)]
    words[0] = words[0].replace(" at ", " joint values at ", 1)
    return ", ".join(words)
