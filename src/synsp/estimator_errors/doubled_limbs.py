"""Doubled limbs: one side's joint read on its left/right partner's place for a run of frames.

Where one leg hides the other (a side view), a 2D estimator often reads the visible leg twice: the hidden
knee and ankle are written on the visible ones, give or take a pixel, for a fraction of a second, and come
back (audit 35, finding 1: 8-15 frames kept by the refinement, 2D legs 47.5 -> 36.2 px where a gap gives
18.1). No other step reads it: the jump is often under :mod:`~synsp.estimator_errors.astray_limbs`' limit
(legs side by side are close), and it is no exchange of the labels (:mod:`~synsp.estimator_errors.inversions`).
Such values measure nothing of the hidden joint, so they are taken out and filled as a gap.

A pair's joints are doubled over frames s .. e - 1 (at least :data:`MIN_RUN`, at most :data:`LONGEST`)
when

- their distance is under :data:`CLOSE` body sizes (:func:`synsp.sequence.body_size`) throughout, its
  median inside under :data:`SAME` times the pair's usual change of step in a frame (read on the same spot,
  no farther apart than their noise), and at both ends just outside the run more than :data:`APART` times
  that median (it collapsed and came back);
- their offset (one minus the other) breaks off its course into the run and back out of it: it lies further
  from its straight continuation from the two frames before (and after) the run than :data:`STAND` times
  every change of its step within :data:`NEAR` frames outside the run. The copy is the joint whose own
  track breaks off further there; its partner, which keeps its course, is the one measured. Its neighbours
  along the bones on their partners over those frames (a run of theirs covers them) are copies too (a knee
  that closed in on the other one as the ankle jumped).

Two copies have less to read (:func:`_one_sided`), on runs of frames each no farther apart than :data:`SPOT` times
the pair's usual change of step: one at the clip's edge, or beside values an earlier step took out (a glitch at its
first frames), has one side: it must collapse there, its offset break off its course :data:`EDGE` times (not
:data:`STAND`) every change of its step nearby, and the copy's own track break off while its partner keeps its
course; one that began while the legs were already together (a stance: no collapse into it) needs the copy's track
to break off there while its partner keeps its course, and a collapse at its other end. A run read from two sides
with the pair under :data:`CLOSE` just outside one of them (legs already together) is a copy only up to :data:`HELD`
frames: such a copy stands under :data:`CLOSE` from the truth, and a fill over more frames misses by more (legs
together, a copy of 15 frames taken out: 2D legs 10.07 -> 11.27 px, 2D arms 12.72 -> 19.99; of 8: 9.54 -> 6.38).

Real legs cross and touch: a crossing passes through a small distance in a smooth motion, with no step
standing out of its neighbours; legs standing together are close before and after as well, a whole clip long or
at its start or end they part (or meet) smoothly; in a side view's walk they pass each other every step. None fires
(benchmarks/doubled_limbs.py, ``--more``).
Thresholds were chosen on the validation split (benchmarks/RESULTS.md, section 10, "One limb read twice").
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median, true_runs

__all__ = ["APART", "CLOSE", "EDGE", "HELD", "SAME", "SPOT", "LONGEST", "MIN_RUN", "NEAR", "STAND", "doubled_limbs"]

CLOSE = 0.04  # body sizes: the pair's distance throughout the run at most
APART = 3.0  # times the run's median distance: the pair's distance just outside the run, at both ends, at least
SAME = 1.0  # times the pair's usual change of step (noise): their distance inside the run (median) under it
MIN_RUN = 3  # frames: shorter runs are glitches' (glitches.MAX_RUN = 2)
LONGEST = 90  # frames (astray_limbs.LONGEST)
STAND = 1.5  # times every change of step of the pair's offset nearby: how far it must break off its course
NEAR = 5  # frames on each side of a run whose changes of step the breaks are read against
SPOT = 2.0  # times the pair's usual change of step: a frame's distance on the same spot, at most
EDGE = 2.5  # times every change of step nearby: the break a copy at the clip's edge (one side to read) must make
HELD = 8  # frames: a copy read from two sides, the pair under CLOSE just outside one (legs together), at most


def doubled_limbs(poses: np.ndarray, pairs: Sequence[tuple[int, int]],
                  tree: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """Where a joint of ``poses`` sat on its left/right partner's place for a run of frames (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values (a run ends at one).
    pairs : the layout's left/right joint pairs (``Layout.left_right``).
    tree : the layout's bones as ``(parent, child)`` pairs (:func:`synsp.skeleton.bone_tree`): a copy's neighbour
        along a bone (its knee, its ankle) on its own partner over those frames (a run of its own covers them) went
        with it, and is marked too, its break off course hidden by the legs' own motion (legs closing in as it began).

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
        runs, read = _collapsed(x, a, b, close), []
        collapsed[a] = collapsed[b] = runs
        for start, stop in runs:
            misses = {j: _misses(x[:, j], start, stop) for j in (a, b)}
            copy = max(misses, key=lambda j: float(np.sum(misses[j])))
            if _unforeseen(x[:, a] - x[:, b], start, stop):
                read.append((copy, start, stop))
        # at an edge, or begun with the legs together
        sided, candidates = _one_sided(x, a, b, close, [(start, stop) for _, start, stop in read])
        runs += [run for run in candidates if run not in runs]
        copies += read + sided
    partner = {a: b for pair in pairs for a, b in (pair, pair[::-1])}
    for copy, start, stop in copies:
        marked[start:stop, copy] = True
        for along in {k for bone in tree if copy in bone for k in bone} - {copy}:  # its neighbours along bones
            covered = any(s <= start and stop <= e for s, e in collapsed.get(along, ()))  # its run may start earlier
            if covered and marked[start:stop, partner[along]].sum() == 0:
                marked[start:stop, along] = True


def _collapsed(x: np.ndarray, a: int, b: int, close: float) -> list[tuple[int, int]]:
    """The runs (start, stop) of frames where joints ``a`` and ``b`` of poses ``x`` (T, J, C) are under ``close``
    apart, at most :data:`SAME` times their usual change of step (median) and :data:`APART` times closer than
    at both ends just outside it: their distance collapsed there and came back (module docstring)."""
    t_count = len(x)
    distance, jitter = _distance(x, a, b)
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


def _distance(x: np.ndarray, a: int, b: int) -> tuple[np.ndarray, float]:
    """(T,) the distance of joints ``a`` and ``b`` of poses ``x`` (T, J, C), and their usual change of step in a
    frame (median |second difference|): noise and the motion's bends (a copy is read on the same spot)."""
    distance = np.linalg.norm(x[:, a] - x[:, b], axis=-1)
    return distance, nan_median(np.linalg.norm(x[2:, [a, b]] - 2 * x[1:-1, [a, b]] + x[:-2, [a, b]], axis=-1))


def _one_sided(x: np.ndarray, a: int, b: int, close: float,
               found: Sequence[tuple[int, int]]) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """The copies of joints ``a`` / ``b`` of poses ``x`` (T, J, C) that :func:`_collapsed` and :func:`_unforeseen`
    do not read (``found``: the runs of those they read): a run on the same spot that touches the clip's edge, or
    that began while the pair was already close (module docstring), as (copy, start, stop); and the runs whose
    distance collapsed at every side inside the clip (a neighbour's copy is read on frames it covers).

    A run's frames: the pair's distance (or its neighbours' on both sides: noise) under ``close`` and :data:`SPOT`
    times its usual change of step; its median under :data:`SAME` times that. Each side of the run inside the clip
    (and beside no missing value) gives evidence: a collapse (the distance :data:`APART` times the median just
    outside, and the pair's offset breaking off its course more than :data:`STAND` times every change of its step
    nearby on either side, as in :func:`_unforeseen`), or the copy's own track breaking off its course so while its
    partner's misses its own by under 1 / :data:`STAND` of that and :data:`EDGE` times its changes of step nearby
    (legs together: no collapse). A run between two sides needs a collapse on one and evidence on the other, and at
    most :data:`HELD` frames if the pair is under ``close`` just outside one (legs already together there); a run
    with one side needs both there, the collapse's break :data:`EDGE` (not :data:`STAND`) times every change of step
    nearby."""
    t_count, (distance, jitter) = len(x), _distance(x, a, b)
    with np.errstate(invalid="ignore"):
        spot = (distance < close) & (distance < SPOT * jitter)
    spot[1:-1] |= spot[:-2] & spot[2:] & np.isfinite(distance[1:-1])  # a frame's noise does not break a run
    copies, candidates = [], []
    for start, stop in true_runs(spot):
        inside = nan_median(distance[start:stop])
        if (not MIN_RUN <= stop - start <= LONGEST or not inside < SAME * jitter
                or any(start < b_stop and b_start < stop for b_start, b_stop in found)):
            continue
        offset = _side_breaks(x[:, a] - x[:, b], start, stop)  # (2, 2): per side, its miss and its bends nearby
        sides = np.flatnonzero(np.isfinite(offset[:, 0])).tolist()  # not at the clip's edge nor beside a gap
        tracks = {j: _side_breaks(x[:, j], start, stop) for j in (a, b)}
        copy = max(tracks, key=lambda j: float(np.nansum(tracks[j][sides, 0])))
        partner = b if copy == a else a
        ends = (distance[start - 1] if start else np.nan, distance[stop] if stop < t_count else np.nan)
        stand = STAND if len(sides) == 2 else EDGE
        apart = [bool(ends[side] > APART * inside) for side in sides]
        if sides and all(apart):  # collapsed on every side it has: a neighbour's copy is read on such a run
            candidates.append((start, stop))
        around = np.max(offset[sides, 1]) if sides else np.nan  # every change of step on both sides, as _unforeseen
        collapse = [ap and offset[side, 0] > stand * around for side, ap in zip(sides, apart)]
        together = [tracks[copy][side, 0] > STAND * tracks[copy][side, 1]
                    and tracks[partner][side, 0] * STAND < tracks[copy][side, 0]
                    and tracks[partner][side, 0] <= EDGE * tracks[partner][side, 1] for side in sides]
        held = len(sides) == 2 and min(ends) < close and stop - start > HELD  # long, beside legs already together
        if len(sides) == 2 and not held and any(collapse) and all(c or t for c, t in zip(collapse, together)) or (
                len(sides) == 1 and collapse[0] and together[0] and stop - start >= 2 * MIN_RUN):  # one side
            copies.append((copy, start, stop))
    return copies, candidates


def _side_breaks(track: np.ndarray, start: int, stop: int) -> np.ndarray:
    """(2, 2): per side of frames ``start`` .. ``stop`` - 1 (into the run, back out of it), how far ``track`` (T, C)
    lies from its straight continuation from the two frames outside (:func:`_misses`), and the largest change of its
    step (|second difference|) within :data:`NEAR` frames outside; NaN for a side at the clip's edge."""
    out = np.full((2, 2), np.nan)
    out[:, 0] = _misses(track, start, stop)
    bends = np.linalg.norm(track[2:] - 2 * track[1:-1] + track[:-2], axis=-1)  # (T - 2,): at frames 1 .. T - 2
    if start >= 2:
        out[0, 1] = _largest(bends[max(start - 1 - NEAR, 0): start - 2])
    if stop <= len(track) - 2:
        out[1, 1] = _largest(bends[stop: stop + NEAR])
    return out


def _largest(values: np.ndarray) -> float:
    """The largest finite value of ``values``, 0 if none (no change of step to compare with)."""
    values = values[np.isfinite(values)]
    return float(values.max()) if len(values) else 0.0


def _misses(track: np.ndarray, start: int, stop: int) -> np.ndarray:
    """(2,) how far ``track`` (T, C) at frame ``start`` and at frame ``stop`` - 1 lies from its straight
    continuation from the two frames before ``start`` and after ``stop`` - 1; NaN where one is missing or outside
    the clip (a run from frame 0 or 1, or to the last frame or the one before: no two frames to continue from)."""
    t_count, out = len(track), np.full(2, np.nan)
    if start >= 2:  # frame start - 2 is in the clip (not wrapped round to its end)
        out[0] = np.linalg.norm(track[start] - (2 * track[start - 1] - track[start - 2]))
    if stop <= t_count - 2:
        out[1] = np.linalg.norm(track[stop - 1] - (2 * track[stop] - track[stop + 1]))
    return out


def _unforeseen(offset: np.ndarray, start: int, stop: int) -> bool:
    """Whether the pair's ``offset`` (T, C: one joint minus the other) breaks off its course into the run over frames
    ``start`` .. ``stop`` - 1 and back out of it: both :func:`_misses` more than :data:`STAND` times every change of
    its step (second difference) within :data:`NEAR` frames outside the run (a crossing keeps its course)."""
    misses, around = _side_breaks(offset, start, stop).T  # (2,) each: per side, its miss and its bends nearby
    return bool(np.isfinite(misses).all() and misses.min() > STAND * around.max())
