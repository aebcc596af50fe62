"""Held values: a joint that repeats its value from the frame before, exactly.

A video converted to a higher frame rate (25 to 30 fps, a phone's variable rate) repeats whole
frames, and so does a pipeline that runs its estimator on every other frame and holds its output
between; a tracker may hold a joint it lost at its last place. The motion then moves in steps:
still for a frame, then twice as far. No estimator gives the very same floats for a joint it
measured twice, so such a value is no measurement of its own moment; the networks take it for
missing and fill it from the frames around it, as a gap. A person who really keeps still loses
nothing: the values around a still one are the same.

Three kinds of repeat are measurements:

- a joint that keeps one value in most of its frames is a fixed point (the root of root-relative
  poses, a padded joint), not a lost one;
- in coarsely rounded values (whole pixels, whole millimetres: a grid of at least a tenth of
  :data:`QUANTUM` body sizes) a slow joint repeats by rounding; there only whole frames held
  (every joint repeating at once) count;
- on a grid of any other step (a heatmap read at its cells, without sub-pixel refinement: steps of
  5-10 px on a 500 px person, a third of the values repeating), found from the clip's moves (:func:`grid_steps`:
  nearly every move a whole number of one step per coordinate), a joint slower than a step repeats
  and then moves by one step; one held while lost repeats and then jumps. There a repeat is held
  only when the move that ends it is longer than the move after it by :data:`HELD_JUMP` steps (a
  lost joint's jump is its motion of several frames), a whole frame's when some joint's is, or all
  whole frames when many end so (:data:`RATE_CONVERTED`); joints are read on the frames not repeated
  whole (a converted rate's repeats would hide their pace).

A held run's first value is the one repeated; it is no repeat itself. A tracker that holds a lost joint at its last
place wrote it as measured, on the joint's track. But a tool that writes a lost joint at one fixed point (an image
corner, (W - 1, H - 1), as a clamp to the picture puts it; a point far from the body) writes the same value in the
first frame too, off the track: read as measured, the fill of the rest of the run started from it and the joint was
586 px off over the run (a user audit, audit 33, finding 2). :func:`held_arrivals` tells the two by where the first
value lies: jumped to (by more than :data:`HELD_OFF` body sizes a frame), further than that from the joint's track
(the line between its measured values around the run) and than the joint moved over the run, it is no measurement
of its moment (benchmarks/RESULTS.md, section 11, "A lost joint written at a fixed point").

The filters stay plain filters; a stream fills held values where its lookahead reaches the next
measurement (:mod:`synsp.inference.stream_measurements`).
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.sequence import body_size

__all__ = ["QUANTUM", "HELD_JUMP", "HELD_OFF", "held_frames", "held_values", "held_arrivals", "grid_steps"]

QUANTUM = 2e-4  # body sizes: rounding to a tenth of this or more is coarse
# On a grid, the move (in steps, along any coordinate) that ends a held repeat: a joint that repeats moves
# less than a step a frame, and then by one step (two if it speeds up at once); a lost one held, more.
HELD_JUMP = 1.5
# The share of a clip's moves (per coordinate, zeros aside) a grid's step must divide, and the share of
# them that must be one step long (the smallest common move) for that step to be read as the grid's.
ON_GRID, ONE_STEP = 0.9, 0.05
# On a grid, the share of a clip's runs of whole frames repeated that must end in a jump for every run to be
# read as held (a converted frame rate, whose slow frames end in no jump); below it, only those that do.
# Validation (grid_val.py): clips on 3-10 px grids, no frame held, 0 of 3-32 (a joint held: 1 of 20); each frame
# twice or three times, 7-100 % (3 of 44 on a clip that hardly moves), most 25-90 %.
RATE_CONVERTED = 0.1
# Body sizes (and body sizes a frame, jumped to) from a joint's track beyond which a held run's first value is a lost
# joint's fixed point, not its last measured place (held_arrivals). Validation (benchmarks/RESULTS.md, section 11, "A
# lost joint written at a fixed point"): a fast run's wrists step 0.12-0.15 a frame (at 0.1, 3 of their last places
# were marked; at 0.2 none); a corner lies about 1 body size off.
HELD_OFF = 0.2


def held_values(poses: np.ndarray) -> np.ndarray:
    """Which values of ``poses`` repeat the frame before them (module docstring).

    Parameters
    ----------
    poses : (..., T, J, C) array, any unit; NaN for missing values.

    Returns
    -------
    (..., T, J) bool array, True on held values: a whole frame equal to the previous one (NaN
    where it was NaN, at least one joint seen), or a joint equal to its previous value where the
    joint's values are finely resolved and it is no fixed point; on a grid, only those that end in a
    jump (module docstring). The first frame is never held.
    """
    x = np.asarray(poses)
    if x.ndim > 3:
        return np.stack([held_values(v) for v in x])
    held = held_frames(x)[:, None] & np.isfinite(x).all(axis=-1)
    if len(x) < 2:
        return held
    same = (x[1:] == x[:-1]).all(axis=-1)  # (T-1, J): a finite value repeated
    if not same.any():
        return held
    # (J,) a fixed point: one value in most of its frames (the median's, then); not a slow joint on a coarse grid
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a joint never seen
        fixed = (x == np.nanmedian(x, axis=0)).all(axis=-1).sum(axis=0) > 0.5 * np.isfinite(x).all(axis=-1).sum(axis=0)
    repeated = same & ~fixed
    if not (repeated.any() or held.any()):  # else nothing to tell rounded values from (a body size, a grid test saved)
        return held
    rounded = _rounded(x)  # (J,) on a decimal grid: its joints repeat by rounding, never held alone
    steps = grid_steps(x)
    if not steps.all() or np.isinf(steps).all():  # on no grid: every repeat is held (rounded joints' aside)
        held[1:] |= repeated & ~rounded
        return held
    # on a grid: a repeat is held where the move that ends it is a jump; a whole frame's, where some joint's is
    whole = held_frames(x)
    jumped = _ends_in(whole[:, None], _jumps(x, steps).any(axis=-1, keepdims=True))[:, 0]  # (T,)
    starts = whole & ~np.r_[False, whole[:-1]]  # each run of whole frames held, by its first frame
    if (jumped & starts).sum() < RATE_CONVERTED * starts.sum():  # else all: a converted rate's, slow or not
        held &= jumped[:, None]
    kept = np.nonzero(~whole)[0]  # joints are read on the other frames: a converted rate's repeats hide their pace
    y = x[kept]
    alone = (y[1:] == y[:-1]).all(axis=-1) & ~fixed & ~rounded
    held[kept[1:]] |= _ends_in(alone, _jumps(y, steps)[1:])
    return held


def _jumps(x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """(T, J) bool: whether the move of each joint of ``x`` (T, J, C) from frame t to t + 1 is longer than the
    move after it (none after the last frame or a gap) by more than :data:`HELD_JUMP` of ``steps`` (C,) along
    some coordinate: a held joint's jump is its motion of several frames, a slow joint's on a grid one step."""
    moves = np.full(x.shape, np.nan)
    moves[:-1] = np.abs(np.diff(np.asarray(x, np.float64), axis=0)) / steps
    after = np.zeros_like(moves)
    after[:-1] = np.nan_to_num(moves[1:])
    with np.errstate(invalid="ignore"):
        return (moves - after > HELD_JUMP).any(axis=-1)


def grid_steps(x: np.ndarray) -> np.ndarray:
    """(C,) the step of the grid each coordinate of ``x`` (T, J, C) lies on, 0 where none, inf where it
    never moves (module docstring): the shortest move that is :data:`ONE_STEP` of the coordinate's non-zero
    frame-to-frame moves (to a thousandth), if :data:`ON_GRID` of them are whole numbers of it. A grid fixed
    in the picture; one that moves with the person's box gives no repeats to tell."""
    moves = np.abs(np.diff(np.asarray(x, np.float64), axis=0)).reshape(-1, x.shape[-1])
    steps = np.zeros(x.shape[-1])
    for c in range(x.shape[-1]):
        m = np.sort(moves[:, c][np.isfinite(moves[:, c]) & (moves[:, c] > 0)])
        if not m.size:  # it never moves: on every grid, and no move of it is a jump
            steps[c] = np.inf
            continue
        near = np.searchsorted(m, m * (1 + 1e-3), side="right") - np.searchsorted(m, m * (1 - 1e-3))
        common = np.nonzero(near >= ONE_STEP * m.size)[0]
        if not common.size:
            continue
        step = m[common[0]]
        ratio = m / step
        if np.mean(np.abs(ratio - np.round(ratio)) < 1e-2) >= ON_GRID:
            steps[c] = step
    return steps


def _ends_in(runs: np.ndarray, jump: np.ndarray) -> np.ndarray:
    """(T, J) bool: which True entries of ``runs`` (T, J) belong to a run (consecutive along T) whose
    last frame has ``jump`` (T, J) True: the move after it, from the run's value, is a jump."""
    out = runs & jump
    for t in range(len(runs) - 2, -1, -1):  # each run takes its last frame's answer, backwards
        out[t] |= runs[t] & runs[t + 1] & out[t + 1]
    return out


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


def held_arrivals(poses: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Which first values of the runs of ``held`` (..., T, J) bool (:func:`held_values` of ``poses`` (..., T, J, C),
    any unit, NaN for missing values) are no measurement either (module docstring): the value a run repeats, where it
    lies further than :data:`HELD_OFF` body sizes, and than the joint moved over the run, from the straight line
    between the joint's measured values just before and just after the run, and the joint jumped to it (by more than
    :data:`HELD_OFF` body sizes a frame from its value before). At a clip's end, where one side has none, from that
    side's value, beyond twice the joint's pace there (:func:`_off_track`).

    Returns
    -------
    (..., T, J) bool array, True on those first values (never on a value ``held`` marks).
    """
    x, held = np.asarray(poses), np.asarray(held, bool)
    if x.ndim > 3:
        return np.stack([held_arrivals(v, h) for v, h in zip(x, held)])
    out = np.zeros(held.shape, dtype=bool)
    if not held.any() or len(x) < 2:
        return out
    size = body_size(x)
    if not np.isfinite(size) or size <= 0:
        return out
    x = x.astype(np.float64, copy=False)
    measured = np.isfinite(x).all(axis=-1) & ~held  # (T, J)
    # each run's first value: the frame before a run's start, measured (as arrays: one Python step per run was 8-9x
    # held_values' cost, every measure)
    firsts, joints = np.nonzero(held[1:] & ~held[:-1] & measured[:-1])
    if not firsts.size:
        return out
    frames = np.arange(len(x))[:, None]
    last = np.maximum.accumulate(np.where(measured, frames, -1), axis=0)  # (T, J): last measured frame <= t, or -1
    following = np.minimum.accumulate(np.where(measured, frames, len(x))[::-1], axis=0)[::-1]  # first >= t, or T
    prev = np.concatenate([np.full((1, x.shape[1]), -1), last[:-1]])  # last measured frame < t
    after_of = np.concatenate([following[1:], np.full((1, x.shape[1]), len(x))])  # first measured frame > t
    before, after = prev[firsts, joints], after_of[firsts, joints]
    has_before = before >= 0
    # at a clip's end (one side only): the measured frame further out than that side's, for the joint's pace there
    near, further = np.where(has_before, before, after), after_of[np.minimum(after, len(x) - 1), joints]
    beyond = np.where(has_before, prev[np.maximum(before, 0), joints], np.where(further < len(x), further, -1))
    away, moved = _off_track(x, firsts, joints, before, after, near, beyond)
    # jumped to: a long run's line is no track (a hand's swing over a second), a last place is a step away
    safe = np.where(has_before, before, firsts - 1)
    jump = np.where(has_before, np.sqrt(((x[firsts, joints] - x[safe, joints]) ** 2).sum(-1)) / (firsts - safe),
                    np.inf)
    out[firsts, joints] = (away > np.maximum(HELD_OFF * size, moved)) & (jump > HELD_OFF * size)
    return out


def _off_track(x: np.ndarray, t: np.ndarray, j: np.ndarray, before: np.ndarray, after: np.ndarray, near: np.ndarray,
               beyond: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each first value ``x`` (T, J, C)[t, j] ((N,) frames and joints): how far it lies from the line between
    the joint's values at ``before`` and ``after`` (measured frames; -1 / T: none), and how far the joint moved
    between those two. With one of them only (a run at a clip's end), from that value, ``near``, and the move is
    twice the joint's pace there (its step to ``beyond``, the measured frame further out, -1: none, over their
    distance in frames; on a rate-converted clip the frame beside it is a repeat, whose step of 0 read a real first
    value as fixed) over the frames between: a joint that reached a picture's corner fast, clipped there, is no lost
    one (``edge_values`` reads a clamp so). Neither: 0 and inf (never marked). Returns two (N,) arrays."""
    last = len(x) - 1
    both, neither = (before >= 0) & (after <= last), (before < 0) & (after > last)
    b, a, n, k = np.clip(before, 0, last), np.clip(after, 0, last), near.clip(0, last), beyond.clip(0, last)
    line = x[b, j] + ((t - b) / np.where(both, a - b, 1))[:, None] * (x[a, j] - x[b, j])
    away = _norm(x[t, j] - np.where(both[:, None], line, x[n, j]))
    step = np.where(beyond >= 0, _norm(x[n, j] - x[k, j]) / np.maximum(np.abs(n - k), 1), 0.0)
    moved = np.where(both, _norm(x[a, j] - x[b, j]), 2.0 * np.abs(t - n) * np.nan_to_num(step))
    return np.where(neither, 0.0, away), np.where(neither, np.inf, moved)


def _norm(v: np.ndarray) -> np.ndarray:
    """(N,) lengths of ``v`` (N, C), as ``np.linalg.norm`` of each row."""
    return np.sqrt((v * v).sum(axis=-1))
