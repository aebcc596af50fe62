"""Frames where the person was not seen, read past: an error beside them is told by the seen frames around them.

A detector that misses the person for a frame or a few (hidden, turned away, out of the picture) leaves frames with
no joint value. The error tests read a joint's steps between neighbouring frames (a glitch's line between the frames
before and after it, a limb's jump out and its jump back), and a step from or to a missing value is none: a glitch or a
limb astray just before or after such frames lost the frame that told it, and was refined as a measurement (a user
audit, audit 34: a knee 200 px off for the 4 frames before a one-frame miss, 168 px off after SynSP against 7.4 px
with no miss; benchmarks/RESULTS.md, section 10, "An error beside a missed frame"). The tests read the seen frames
as one sequence instead, each run of at most :data:`BRIDGED` unseen frames between two seen ones left out, and their
findings are put back at the seen frames. A longer absence is a new start: the body it comes back with may have
turned, a step across it no frame's step. A step across unseen frames spans several frames, which the tests' limits
(set per frame) do not allow for: a run is read past only between two stretches of :data:`STEADY` frames seen in a
row (a track seen in bursts of a frame or two, most frames empty, had a clean waving arm read astray), and the
limb-astray test reads the steps at their own pace where it is faster than the clip's
(:func:`synsp.estimator_errors.measurements.measurements`). ``BRIDGED`` and ``STEADY`` were set, not tuned (RESULTS
section 10, the same subsection, has what they change). A run is read past only where the frames on each side can be
one body's (:func:`one_body`): a detector that found someone else across the absence gave the tests another body
to read the first one's limbs against (the README's MediaPipe demo in 3D). What the tests take out beside a run read
past (:func:`beside_unseen`) the summary says.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from synsp.estimator_errors.astray_limbs import ASTRAY_JUMP
from synsp.sequence import body_size, nan_median, true_runs

__all__ = ["BRIDGED", "STEADY", "bridged_frames", "past_unseen", "one_body", "beside_unseen"]

BRIDGED = 10  # frames (1/3 s at 30 fps): the longest run of unseen frames read past
STEADY = 3  # frames seen in a row on each side of a run read past: the track's motion there is read


def bridged_frames(poses: np.ndarray, longest: int | None = None) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (T, J, C) with no joint value (every coordinate NaN) in a run of at most
    ``longest`` frames (None: :data:`BRIDGED`) with :data:`STEADY` frames with one on each side (a run at the clip's
    edge is no step between seen frames; a track seen in bursts of a frame or two, no motion read), where the frames
    on each side can be one body's (:func:`one_body`)."""
    longest = BRIDGED if longest is None else longest
    x = np.asarray(poses, np.float64)
    unseen = np.isnan(x).all(axis=(-2, -1))
    out = np.zeros(len(unseen), dtype=bool)
    size = None
    for start, stop in true_runs(unseen):
        if (STEADY <= start and stop + STEADY <= len(unseen) and stop - start <= longest
                and not unseen[start - STEADY:start].any() and not unseen[stop:stop + STEADY].any()):
            size = body_size(x) if size is None else size
            out[start:stop] = one_body(x[start - 1], x[stop], size)
    return out


def past_unseen(find: Callable[..., np.ndarray], poses: np.ndarray, *alongside: np.ndarray,
                longest: int | None = None, **options: Any) -> np.ndarray:
    """``find`` (an error test: poses (T', J, C) and the ``alongside`` arrays (T', ...), with ``options`` -> (T', ...)
    per frame) read over the frames of ``poses`` (T, J, C) and ``alongside`` (T, ...) with the unseen runs between
    seen frames (:func:`bridged_frames`, at most ``longest`` frames) left out; its result (T, ...) zero (False) at
    those frames. Where there is none, ``find(poses, *alongside, **options)`` as it is."""
    skip = bridged_frames(poses, longest)
    if not skip.any():
        return find(poses, *alongside, **options)
    found = find(np.asarray(poses)[~skip], *(np.asarray(a)[~skip] for a in alongside), **options)
    out = np.zeros((len(skip), *found.shape[1:]), dtype=found.dtype)
    out[~skip] = found
    return out


def beside_unseen(marked: np.ndarray, poses: np.ndarray, longest: int | None = None) -> np.ndarray:
    """(T, ...) bool: the values of ``marked`` (T, ...) bool, a test's finding read over ``poses`` (T, J, C) past
    unseen frames (:func:`past_unseen`), in runs (along T, value by value) beside a run read past: told by a step
    across frames where the person was not seen (the summary says how many)."""
    skip = bridged_frames(poses, longest)
    m = np.asarray(marked, bool)
    out = np.zeros_like(m)
    if not skip.any() or not m.any():
        return out
    beside = np.zeros(len(m), dtype=bool)
    for start, stop in true_runs(skip):  # a run read past has seen frames on both sides
        beside[[start - 1, stop]] = True
    flat, said = m.reshape(len(m), -1), out.reshape(len(m), -1)
    for column in np.flatnonzero(flat[beside].any(axis=0)):
        for start, stop in true_runs(flat[:, column]):
            said[start:stop, column] = beside[start:stop].any()
    return out


def one_body(before: np.ndarray, after: np.ndarray, size: float) -> bool:
    """Whether poses ``before`` and ``after`` (J, C), the seen frames on each side of an unseen run, can be one body's:
    the median joint moved about the joints' mean by at most :data:`~synsp.estimator_errors.astray_limbs.ASTRAY_JUMP`
    times ``size`` (the body's size, :func:`synsp.sequence.body_size`), a limb astray's jump. A limb astray or a
    glitch moves a few joints; a detector that found someone else across the absence (or the whole body turned)
    moves most of them: the README's MediaPipe demo in 3D, frames 168 and 170, a body bent over and another upright
    facing the other way, 0.33 body sizes (a median of 0.026 between neighbouring seen frames)."""
    moved = np.linalg.norm((after - np.nanmean(after, axis=0)) - (before - np.nanmean(before, axis=0)), axis=-1)
    return not nan_median(moved) > ASTRAY_JUMP * size  # joints seen on one side only (NaN): not read
