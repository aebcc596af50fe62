"""Pinned joints: a joint an estimator left on an object (a table's edge, a bat, a railing) while its limb moved on.

A wrist beside a table's edge or a bat, an ankle beside a railing, is read on the object for a run of frames: the
value jumps there, stays (the object does not move), and jumps back to the body (audit 35, finding 2: 20 frames at
0.15 body heights kept, 98.7 -> 83.1 px, where a gap gives 13.3). The astray test
(:mod:`synsp.estimator_errors.astray_limbs`) reads only the jumps, which fast motion's steps hide, and a held value
(:mod:`synsp.estimator_errors.held_values`) is an exact repeat, not a value that trembles by half a pixel.

A joint is pinned over frames s .. e - 1 (at least :data:`MIN_RUN`, at most :data:`LONGEST`) when

- its bone to its parent in the layout's tree jumps by more than :data:`JUMP` body sizes into frame s and again into
  frame e, each more than :data:`JUMP_STILL` times the joint's longest step inside the run;
- the joint itself jumps, into the run or out of it: its step there is more than :data:`SUDDEN` times its own step
  beside (before the entry, after the exit). A hand or foot that really holds (a bar, a railing, the floor of a
  push-up) is reached and left by the limb's own motion, which slows into the hold and speeds up leaving it;
- the joint is still over the run: no step longer than :data:`QUIET` body sizes, no value further than :data:`STILL`
  from its median there (it stood on the object, trembling by a pixel or two);
- its parent moved on: the bone's length changes over the run (its range) by more than :data:`LENGTH_CHANGE` times
  its usual length (median outside the run), and by more than :data:`OWN` times what the clip's own motion does to
  that bone over as many frames (the median range of its other windows that long).

Real stillness has no such run: a hand resting on a table keeps its forearm's length (the elbow hardly moves), a
whole body standing still moves no bone, and a planted foot's shin turns about the ankle as the knee flexes but keeps
its length; none is entered and left by a jump. A hand really holding a bar while the body pulls up is still while
its parent moves on, and in 2D its forearm's length changes by foreshortening; what tells it from a pin is its
entry and exit: in the validation clips given such holds (benchmarks/real_holds.py), every one the other tests
marked was reached slowing and left speeding up (its step into the hold and out of it 0.15-0.86 times its step
beside, for reaches over 2-6 frames; a hand stopped dead from full pace gives 1), where each of the audit's pins
jumped at least 2.8 times the joint's own step at one edge (benchmarks/RESULTS.md, section 10, "Hands and feet
that really hold").
Thresholds were chosen on the validation split (benchmarks/RESULTS.md, section 10, "A joint pinned on an object"):
no value of the 65 clips is marked under the protocol's presets, 2D or 3D, with JUMP 0.02 and OWN 1.5 together
neither; MIN_RUN 4 marked a running foot's stance (4 frames, typical 2D), and with those LENGTH_CHANGE 0.1 six values
of a hard 2D clip. A joint whose parent hardly moves over the run (a slow arm) is not told from a resting one and is
kept.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median, true_runs

__all__ = ["QUIET", "JUMP", "JUMP_STILL", "SUDDEN", "STILL", "LENGTH_CHANGE", "OWN", "MIN_RUN", "LONGEST", "BESIDE",
           "pinned_joints", "edge_steps"]

JUMP = 0.03  # body sizes the bone (as a vector) moves into the run and out of it, each
JUMP_STILL = 5.0  # times the joint's longest step inside the run, each jump
SUDDEN = 1.5  # times the joint's own step beside: its step into the run or out of it, one edge (holds 0.86, pins 2.8)
QUIET = 0.01  # body sizes: the longest step of the joint inside the run
STILL = 0.01  # body sizes: the joint's farthest value from its median over the run
LENGTH_CHANGE = 0.2  # times the bone's usual length: its range over the run (the parent moved on)
OWN = 2.0  # times the bone's median length range over the clip's other windows as long as the run
MIN_RUN = 6  # frames: a running foot's stance reads still for 4 (validation, typical 2D)
LONGEST = 90  # frames (astray_limbs.LONGEST)
BESIDE = 2  # frames: a jump is read from the nearest value seen beside the run, at most this far (glitches.MAX_RUN)


def pinned_joints(poses: np.ndarray, tree: Sequence[tuple[int, int]]) -> np.ndarray:
    """Where joints of ``poses`` stood on an object while their limb moved on (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values (a step from or to one is no jump).
    tree : the layout's bones as ``(parent, child)`` pairs, parents first (:func:`synsp.skeleton.bone_tree`).

    Returns
    -------
    (T, J) bool: True where a joint stood pinned (the values to take out and fill as a gap).
    """
    x = np.asarray(poses, np.float64)
    marked, size = np.zeros(x.shape[:2], dtype=bool), body_size(x)
    if not (len(tree) and len(x) >= MIN_RUN + 2 and size > 0):  # a NaN size (nothing seen) fails too
        return marked
    parents, children = (np.array(side, dtype=int) for side in zip(*tree))
    bones = x[:, children] - x[:, parents]  # (T, B, C)
    lengths = np.linalg.norm(bones, axis=-1)  # (T, B)
    with np.errstate(invalid="ignore"):  # a step from or to a missing value is not quiet
        quiet = np.linalg.norm(np.diff(x, axis=0), axis=-1) <= QUIET * size  # (T - 1, J): into frame t + 1
    for b, joint in enumerate(children):
        for start, stop in true_runs(quiet[:, joint]):  # steps start .. stop - 1: frames start .. stop
            first, end = start, stop + 1  # the run's frames first .. end - 1
            if first > 0 and end < len(x) and MIN_RUN <= end - first <= LONGEST and _pinned(
                    x[:, joint], bones[:, b], lengths[:, b], first, end, size):
                marked[first:end, joint] = True
    return marked


def _pinned(track: np.ndarray, bone: np.ndarray, length: np.ndarray, start: int, stop: int, size: float) -> bool:
    """Whether the joint's ``track`` (T, C) is pinned over frames ``start`` .. ``stop`` - 1, its ``bone`` (T, C) to
    its parent (``length`` (T,) its length) jumping into both (module docstring); ``size`` the body's."""
    run = track[start:stop]
    before, after = _seen_beside(bone, start, -1), _seen_beside(bone, stop - 1, 1)
    if not np.isfinite(run).all() or before is None or after is None:
        return False
    before, after = bone[before], bone[after]
    spread = np.linalg.norm(run - np.median(run, axis=0), axis=-1).max()
    if spread > STILL * size:
        return False
    inner = np.linalg.norm(np.diff(run, axis=0), axis=-1).max()
    jumps = np.linalg.norm([bone[start] - before, after - bone[stop - 1]], axis=-1)
    if not (jumps > np.maximum(JUMP * size, JUMP_STILL * inner)).all() or not _sudden(track, start, stop):
        return False
    usual = nan_median(np.r_[length[:start], length[stop:]])
    change = np.ptp(length[start:stop])
    if not change > LENGTH_CHANGE * usual:
        return False
    return bool(change > OWN * _own_change(length, start, stop))


def _seen_beside(values: np.ndarray, frame: int, way: int) -> int | None:
    """The nearest frame where ``values`` (T, C) are seen whole beyond ``frame`` in direction ``way`` (-1, 1), at most
    :data:`BESIDE` frames away (a glitch taken out beside the run's first value leaves a gap there); None if none."""
    for t in range(frame + way, frame + way * (BESIDE + 1), way):
        if 0 <= t < len(values) and np.isfinite(values[t]).all():
            return t
    return None


def _sudden(track: np.ndarray, start: int, stop: int) -> bool:
    """Whether the joint's ``track`` (T, C) jumps into the run ``start`` .. ``stop`` - 1 or out of it: more than
    :data:`SUDDEN` times its own step at one edge at least (:func:`edge_steps`; a real hold is reached slowing and left
    speeding up). With neither edge read, True (the bone's jumps decide)."""
    ratios = edge_steps(track, start, stop)
    ratios = ratios[~np.isnan(ratios)]
    return not len(ratios) or bool(ratios.max() > SUDDEN)


def edge_steps(track: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The joint's step into the run ``start`` .. ``stop`` - 1 and its step out of it, each over its own step per
    frame just beyond (before the entry, after the exit), from the nearest values seen (at most :data:`BESIDE` frames
    away).

    Parameters
    ----------
    track : (T, C) array of one joint, any unit; NaN where not seen.
    start, stop : the run's first frame and the frame after its last.

    Returns
    -------
    (2,) float: entry, exit; NaN where an edge's steps are not seen, inf where the joint stood still beyond.
    """
    ratios = np.full(2, np.nan)
    for side, (edge, way) in enumerate(((start, -1), (stop - 1, 1))):
        near = _seen_beside(track, edge, way)
        far = None if near is None else _seen_beside(track, near, way)
        if far is not None:
            step = np.linalg.norm(track[near] - track[edge])
            pace = np.linalg.norm(track[far] - track[near]) / abs(far - near)
            ratios[side] = np.inf if pace == 0 else step / pace
    return ratios


def _own_change(length: np.ndarray, start: int, stop: int) -> float:
    """The median range of the bone's ``length`` (T,) over the clip's windows as long as the run ``start`` ..
    ``stop`` - 1 that do not meet it (0 where none is seen whole)."""
    span = stop - start
    windows = np.lib.stride_tricks.sliding_window_view(length, span)  # (T - span + 1, span)
    apart = np.r_[np.arange(0, max(start - span + 1, 0)), np.arange(stop, len(windows))]
    ranges = np.ptp(windows[apart], axis=-1) if len(apart) else np.array([])
    ranges = ranges[np.isfinite(ranges)]
    return float(np.median(ranges)) if len(ranges) else 0.0
