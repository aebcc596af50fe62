"""Doubled limbs: one side's joint read on its left/right partner's place for a run of frames.

Where one leg hides the other (a side view), a 2D estimator often reads the visible leg twice: the hidden
knee and ankle are written on the visible ones, give or take a pixel, for a fraction of a second, and come
back (audit 35, finding 1: 8-15 frames kept by the refinement, 2D legs 47.5 -> 36.2 px where a gap gives
18.1). No other step reads it: the jump is often under :mod:`~synsp.estimator_errors.astray_limbs`' limit
(legs side by side are close), and it is no exchange of the labels (:mod:`~synsp.estimator_errors.inversions`).
Such values measure nothing of the hidden joint, so they are taken out and filled as a gap.

A pair's joints are doubled over frames s .. e - 1 (at least :data:`MIN_RUN`, at most :data:`LONGEST`,
not at the clip's edge) when

- their distance is under :data:`CLOSE` body sizes (:func:`synsp.sequence.body_size`) throughout, its
  median inside under :data:`SAME` times the pair's usual change of step in a frame (read on the same spot,
  no farther apart than their noise), and at both ends just outside the run more than :data:`APART` times
  that median (it collapsed and came back);
- their offset (one minus the other) breaks off its course into the run and back out of it: it lies further
  from its straight continuation from the two frames before (and after) the run than :data:`STAND` times
  every change of its step within :data:`NEAR` frames outside the run. The copy is the joint whose own
  track breaks off further there; its partner, which keeps its course, is the one measured. Its neighbours
  along the bones on their partners over the same frames are copies too (a knee that closed in on the other
  one as the ankle jumped).

Real legs cross and touch: a crossing passes through a small distance in a smooth motion, with no step
standing out of its neighbours; legs standing together are close before and after as well. Neither fires
(benchmarks/doubled_limbs.py).
Thresholds were chosen on the validation split (benchmarks/RESULTS.md, section 10, "One limb read twice").
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median, true_runs

__all__ = ["APART", "CLOSE", "SAME", "LONGEST", "MIN_RUN", "NEAR", "STAND", "doubled_limbs"]

CLOSE = 0.04  # body sizes: the pair's distance throughout the run at most
APART = 3.0  # times the run's median distance: the pair's distance just outside the run, at both ends, at least
SAME = 1.0  # times the pair's usual change of step (noise): their distance inside the run (median) under it
MIN_RUN = 3  # frames: shorter runs are glitches' (glitches.MAX_RUN = 2)
LONGEST = 90  # frames (astray_limbs.LONGEST)
STAND = 1.5  # times every change of step of the pair's offset nearby: how far it must break off its course
NEAR = 5  # frames on each side of a run whose changes of step the breaks are read against


def doubled_limbs(poses: np.ndarray, pairs: Sequence[tuple[int, int]],
                  tree: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """Where a joint of ``poses`` sat on its left/right partner's place for a run of frames (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values (a run ends at one).
    pairs : the layout's left/right joint pairs (``Layout.left_right``).
    tree : the layout's bones as ``(parent, child)`` pairs (:func:`synsp.skeleton.bone_tree`): a copy's neighbour
        along a bone (its knee, its ankle) on its own partner over the very same frames went with it, and is marked
        too, its break off course hidden by the legs' own motion (legs closing in as it began).

    Returns
    -------
    (T, J) bool array, True on the values of a copy.
    """
    x = np.asarray(poses, np.float64)
    marked, size = np.zeros(x.shape[:2], dtype=bool), body_size(x)
    if len(pairs) and len(x) >= MIN_RUN + 2 and size > 0:  # NaN (no joint seen) is not
        _mark(marked, x, pairs, tree, CLOSE * size)
    return marked


def _mark(marked: np.ndarray, x: np.ndarray, pairs: Sequence[tuple[int, int]], tree: Sequence[tuple[int, int]],
          close: float) -> None:
    """Mark in ``marked`` (T, J) the copies of poses ``x`` (T, J, C) (:func:`doubled_limbs`), ``close``: the
    distance in the poses' unit a pair's joints are under throughout a run."""
    collapsed = {}  # joint -> the runs (start, stop) it sat on its partner over
    copies = []
    for a, b in pairs:
        runs = _collapsed(x, a, b, close)
        collapsed[a] = collapsed[b] = runs
        for start, stop in runs:
            misses = {j: _misses(x[:, j], start, stop) for j in (a, b)}
            copy = max(misses, key=lambda j: float(np.sum(misses[j])))
            if _unforeseen(x[:, a] - x[:, b], start, stop):
                copies.append((copy, start, stop))
    partner = {a: b for pair in pairs for a, b in (pair, pair[::-1])}
    for copy, start, stop in copies:
        marked[start:stop, copy] = True
        for along in {k for bone in tree if copy in bone for k in bone} - {copy}:  # its neighbours along bones
            if (start, stop) in collapsed.get(along, ()) and marked[start:stop, partner[along]].sum() == 0:
                marked[start:stop, along] = True


def _collapsed(x: np.ndarray, a: int, b: int, close: float) -> list[tuple[int, int]]:
    """The runs (start, stop) of frames where joints ``a`` and ``b`` of poses ``x`` (T, J, C) are under ``close``
    apart, at most :data:`SAME` times their usual change of step (median) and :data:`APART` times closer than
    at both ends just outside it: their distance collapsed there and came back (module docstring)."""
    t_count = len(x)
    distance = np.linalg.norm(x[:, a] - x[:, b], axis=-1)  # (T,)
    # the pair's usual change of step in a frame: noise and the motion's bends (a copy is read on the same spot)
    jitter = nan_median(np.linalg.norm(x[2:, [a, b]] - 2 * x[1:-1, [a, b]] + x[:-2, [a, b]], axis=-1))
    with np.errstate(invalid="ignore"):
        close_frames = distance < close
    runs = []
    for start, stop in true_runs(close_frames):
        if start < 2 or stop > t_count - 2 or not MIN_RUN <= stop - start <= LONGEST:
            continue
        inside = nan_median(distance[start:stop])
        if min(distance[start - 1], distance[stop]) > APART * inside and inside < SAME * jitter:
            runs.append((start, stop))
    return runs


def _misses(track: np.ndarray, start: int, stop: int) -> np.ndarray:
    """(2,) how far ``track`` (T, C) at frame ``start`` and at frame ``stop`` - 1 lies from its straight
    continuation from the two frames before ``start`` and after ``stop`` - 1 (NaN where one is missing)."""
    into = track[start] - (2 * track[start - 1] - track[start - 2])
    back = track[stop - 1] - (2 * track[stop] - track[stop + 1])
    return np.linalg.norm(np.stack([into, back]), axis=-1)


def _unforeseen(offset: np.ndarray, start: int, stop: int) -> bool:
    """Whether the pair's ``offset`` (T, C: one joint minus the other) breaks off its course into the run over frames
    ``start`` .. ``stop`` - 1 and back out of it: both :func:`_misses` more than :data:`STAND` times every change of
    its step (second difference) within :data:`NEAR` frames outside the run (a crossing keeps its course)."""
    misses = _misses(offset, start, stop)
    bends = np.linalg.norm(offset[2:] - 2 * offset[1:-1] + offset[:-2], axis=-1)  # (T - 2,): at frames 1 .. T - 2
    around = np.r_[bends[max(start - 1 - NEAR, 0): start - 2], bends[stop: stop + NEAR]]  # frames outside the run
    around = around[np.isfinite(around)]
    return bool(np.isfinite(misses).all() and (not len(around) or misses.min() > STAND * around.max()))
