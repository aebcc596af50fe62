"""Which axis of a 4-D pose stack is time: a frames-first (T, P, J, C) stack told by its motion.

A (V, T, J, C) array is several views or persons of the same T frames; rtmlib and mmpose users
stack per-frame results the other way, (T, P, J, C). :func:`synsp.errors.check_frames_first`
tells the two apart by shape alone (16+ "persons" of a quarter as many frames or fewer). A short
crowd clip, T = 30-60 frames of P = 8-16 people, passes that rule and, read people first, is T
"people" whose every "frame" is another person: a body's width away, in another posture.

The motion cue reads the array both ways. Read as given, each step along axis 1 is one frame
of one person; swapped, each step along axis 0 is. A body moves a few percent of its size from
one frame to the next; neighbours in a crowd stand a body's
width or more apart. So the array is frames first when its steps along axis 1 are at least
:data:`JUMP` body sizes (typical) and :data:`SMOOTHER` times its steps along axis 0. Both must
hold: a crowd of copies of one body (views of one triangulated person) has no steps across
people, and is still people first because its own frames move little.

Body size is the typical diagonal of a pose's bounding box; a step is the mean joint distance
between consecutive poses; "typical" is the median, so missing joints (NaN, or exactly 0 in every
coordinate, as estimators write them) and a few outlying frames do not decide.
"""
from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from synsp.errors import ShapeError, check_frames_first

# A step along axis 1 of at least this many body sizes (bounding-box diagonals, median) reads as
# another person rather than the next frame. Measured on the 65 val clips (2D and 3D, presets
# clean-ish/typical/hard, crowds of 2-16, benchmarks/stack_axes.py): a person's own median step is
# at most 0.081 body sizes; the audit's frames-first crowds (100-120 px apart) step 0.27 or more.
JUMP = 0.15
# ... and at least this many times the steps along axis 0 (that reading's frames).
SMOOTHER = 4.0
# Entries read on each axis: the first 512 give the median of thousands of steps, while a long
# crowd's float64 copies would cost memory (16 people of 18,000 frames, 3D: ~0.1 GB each).
SPAN = 512


class StackReading(NamedTuple):
    """The two readings' typical steps, in body sizes: along axis 1 (as given, (V, T)) and along
    axis 0 (swapped, (T, V))."""
    as_given: float
    swapped: float

    @property
    def frames_first(self) -> bool:
        """True when the array reads as (T, P, J, C): every step as given jumps, the swapped reading is smooth."""
        # swapped 0: exact copies (one body given as several views), never people apart
        return bool(self.as_given >= JUMP and self.as_given >= SMOOTHER * self.swapped > 0)


def _typical_step(x: np.ndarray, axis: int) -> float:
    """Median over consecutive pairs along ``axis`` of the mean joint distance (the array's unit)."""
    with warnings.catch_warnings():  # all-NaN pairs and poses: NaN, left out of the median
        warnings.simplefilter("ignore", RuntimeWarning)
        per_pair = np.nanmean(np.sqrt(np.square(np.diff(x, axis=axis)).sum(-1)), -1)
        return float(np.nanmedian(per_pair)) if np.isfinite(per_pair).any() else float("nan")


def stack_reading(x: np.ndarray) -> StackReading | None:
    """Both readings of a 4-D ``x`` (A, B, J, C), C >= 2, in body sizes, read on the first :data:`SPAN` entries
    of each axis; None when one axis has a single entry, no pose spans a body, or the values are not numbers.

    Coordinates are the first 3 (the fourth channel of (x, y, z, score) is left out)."""
    if x.ndim != 4 or min(x.shape[:2]) < 2 or x.shape[-1] < 2 or not np.issubdtype(x.dtype, np.number):
        return None
    pts = np.asarray(x[:SPAN, :SPAN, :, :3], dtype=np.float64)  # the first SPAN of each axis tell
    pts = np.where((pts == 0).all(-1, keepdims=True) | ~(np.abs(pts) < 1e12), np.nan, pts)  # 0 0: not found
    with warnings.catch_warnings():  # all-NaN pairs and poses: NaN, left out of the median
        warnings.simplefilter("ignore", RuntimeWarning)
        size = float(np.nanmedian(np.linalg.norm(np.nanmax(pts, 2) - np.nanmin(pts, 2), axis=-1)))
    if not np.isfinite(size) or size <= 0:
        return None
    as_given, swapped = _typical_step(pts, 1) / size, _typical_step(pts, 0) / size
    if not (np.isfinite(as_given) and np.isfinite(swapped)):
        return None
    return StackReading(as_given, swapped)


def frames_first_by_motion(x: np.ndarray) -> str | None:
    """Why a 4-D ``x`` (A, B, J, C) that passes the shape rule reads as (T, P, J, C), frames first, by its motion:
    one clause naming both readings' steps, or None (people first, or too few entries on an axis to tell)."""
    reading = stack_reading(x)
    if reading is None or not reading.frames_first:
        return None
    return (f"as {x.shape[0]} persons of {x.shape[1]} frames every frame would jump {reading.as_given:.2f} body "
            f"sizes, frames first {reading.swapped:.2f}")


def check_stack_axes(x: np.ndarray, where: str, fix: str) -> None:
    """Raise :class:`ShapeError` when a 4-D ``x`` reads as (T, P, J, C), frames first: by shape
    (:func:`synsp.errors.check_frames_first`) or by its motion (:func:`frames_first_by_motion`).
    ``fix`` says how to pass it the other way round."""
    check_frames_first(np.shape(x), where, fix)
    why = frames_first_by_motion(x) if np.ndim(x) == 4 else None
    if why is not None:
        raise ShapeError(f"{where}: shape {tuple(np.shape(x))} is (T, P, J, C), frames first? {fix}; {why}")
