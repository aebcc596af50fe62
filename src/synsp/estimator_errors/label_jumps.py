"""Two 3D markers' labels swapped, or one marker's ghost, told by each column's own continuity in time.

:func:`~synsp.estimator_errors.rigid_fill.off_partners` reads a ghost or a swap from a marker's rigid partners; a swap
of two markers on one segment with no third rigid one (a thigh's LTHI and LKNE: their distance is kept) and a ghost
whose distances change little stay there (benchmarks/RESULTS.md section 11, "Lab markers of no layout"). Here each
column is read alone, against its own noise:

- a column's *step* at the boundary between frames t and t + 1 is its path's jump there: the position extrapolated
  from t + 1 and t + 2 back to t + 1/2, minus the one extrapolated from t - 1 and t forward
  (1.5 x[t+1] - 0.5 x[t+2] - 1.5 x[t] + 0.5 x[t-1]); white noise of s per coordinate gives it s sqrt(5), a smooth
  path almost nothing, a jump D gives D at its boundary and -D/2 at the two beside it;
- a *jump* is a step over :data:`STEPS` times the column's median step and :data:`FLOOR` of the body's size;
- a swap: two columns jump at one boundary by nearly opposite steps (their separation), and both jump again within
  :data:`SWAPS` seconds; exchanging their values between the two boundaries makes each column's steps around both
  boundaries :data:`SMOOTHER` times smaller (sum of squares over :data:`NEAR` boundaries each side): exchanged;
- a swap at the clip's edge (from its first frame, or to its last; at least 2 frames: the first and last boundaries
  have no step) jumps once: where two columns still jump at one boundary by nearly opposite steps, and nowhere else
  once the swaps between two jumps are exchanged (a column that still jumps elsewhere is part of something else: two
  swaps sharing it, a ghost), within :data:`SWAPS` seconds of an edge and nearer to it than to the other, and
  exchanging them on that short side makes each one's steps around the boundary :data:`SMOOTHER` times smaller, that
  side is exchanged (one jump cannot tell which side is labelled right; the shorter is taken as swapped, as in the
  middle the run between the jumps is; benchmarks/RESULTS.md section 11, "Lab markers: swaps at a clip's edges");
- a ghost: one column jumps and jumps back by a nearly opposite step within ``ghosts`` frames (one frame: a spike);
  taking the jump off the run (its offset from the path extrapolated into it at each end, blended between) makes its
  steps around both boundaries :data:`SMOOTHER` times smaller: the run is emptied (a gap, filled after).

Fast real motion is left: a kick's or a clap's path bends over several frames (its steps beside the largest are no
-D/2), hands that meet and cross come close (a small step), and exchanging two real paths makes both rough.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.sequence import body_size

__all__ = ["STEPS", "FLOOR", "SWAPS", "SMOOTHER", "NEAR", "OPPOSITE", "label_jumps", "steps"]

# A jump: a step over this many times the column's median step (white noise: its median about 1.5 s)
STEPS = 12.0
# ... and over this share of the body's size (the largest side of its box)
FLOOR = 0.01
# The longest swap read (seconds)
SWAPS = 1.0
# The exchange (or the jump taken off) must cut each column's squared steps around both boundaries this many times.
# Chosen on validation (scratch sweep.py, 20 clips: every ghost and swap of benchmarks/lab_markers.py caught at 3, 10
# and 30; values touched on clean, clap and clips played 3 and 4 times as fast 162-189 / 92 / 0 at STEPS 6-24 and
# FLOOR 0.005-0.02, which moved nothing else). At 10 the benchmark's own marker frame, flipping where an upper arm
# lies along the hips' line, jumps 75 mm in a frame and back when played 3 times as fast: read as a ghost.
SMOOTHER = 30.0
# Boundaries each side of a jump whose steps count in that roughness
NEAR = 3
# Two steps are opposite where their sum is under this share of the larger
OPPOSITE = 0.5


def steps(x: np.ndarray) -> np.ndarray:
    """Each column's step (module docstring) at each boundary of ``x`` (T, J, 3): (T - 1, J, 3), row t the boundary
    between frames t and t + 1; NaN at the first and last boundary and where a frame it reads is unseen."""
    out = np.full((max(len(x) - 1, 0), *x.shape[1:]), np.nan)
    if len(x) >= 4:
        out[1:-1] = 1.5 * (x[2:-1] - x[1:-2]) - 0.5 * (x[3:] - x[:-3])
    return out


def _frames_read(t: int, t2: int) -> tuple[int, int]:
    """The frames [lo, hi) whose steps :func:`_smoother` reads around boundaries ``t`` and ``t2`` (``t`` <= ``t2``):
    :data:`NEAR` boundaries each side and the frames those steps read. Only these are cut out of a column, so a long
    file costs no more per jump (benchmarks/RESULTS.md section 15, "Marker label jumps": whole-column copies made a
    5-minute file of 40 markers 5-12 x slower)."""
    return max(t - NEAR - 1, 0), t2 + NEAR + 3


@lru_cache(maxsize=4096)
def _rows(bounds: tuple[int, ...], count: int) -> np.ndarray:
    """The boundaries within :data:`NEAR` of ``bounds`` among ``count``, in order (read-only: every call shares it)."""
    out = np.array(sorted({b + k for b in bounds for k in range(-NEAR, NEAR + 1) if 0 <= b + k < count}), int)
    out.flags.writeable = False
    return out


def _smoother(before: np.ndarray, after: np.ndarray, bounds: tuple[int, ...]) -> bool:
    """Whether one column's ``after`` is :data:`SMOOTHER` times smoother than ``before`` (both (L, 3), the frames
    :func:`_frames_read` gives, ``bounds`` counted from its first) around ``bounds``: the sums of squared steps (NaN
    passed over) over :data:`NEAR` boundaries each side. Both columns' steps are read at once (one call each step)."""
    rows = _rows(tuple(int(b) for b in bounds), len(before) - 1)
    squares = steps(np.stack([before, after], 1))[rows] ** 2  # (R, 2, 3)
    squares[np.isnan(squares)] = 0.0
    # each column's own (R, 3) block summed: the order NumPy sums a contiguous block in (the same sum to the bit)
    rough = [float(np.ascontiguousarray(squares[:, k]).sum()) for k in (0, 1)]
    return rough[0] > SMOOTHER * rough[1]


def _opposite(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.linalg.norm(a + b) < OPPOSITE * max(np.linalg.norm(a), np.linalg.norm(b)))


def _jumps(x: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    """(steps (T - 1, J, 3), jumps (T - 1, J) bool) of ``x`` (T, J, 3)."""
    s = steps(x)
    n = np.linalg.norm(s, axis=-1)
    with np.errstate(invalid="ignore"):
        noise = np.nanmedian(np.where(np.isfinite(n), n, np.nan), axis=0) if np.isfinite(n).any() else np.inf
        return s, np.nan_to_num(n) > np.maximum(STEPS * np.nan_to_num(noise, nan=np.inf), FLOOR * size)


def _opposite_pairs(s: np.ndarray, cols: np.ndarray) -> list[tuple[int, int]]:
    """The pairs (a, b), a before b in ``cols``, whose steps ``s`` (J, 3) at one boundary are :func:`_opposite`, in the
    order of a loop over a then b. All pairs are read at once (a file's join jumps every column at once: 780 pairs for
    40 markers); the norms here and :func:`_opposite`'s may differ in their last bits, so a pair within 1e-9 of the
    line is told by :func:`_opposite` itself: the pairs are the ones it gives."""
    v = s[cols]  # (m, 3)
    norms = np.sqrt((v * v).sum(-1))
    sums = v[:, None] + v[None]  # (m, m, 3)
    ratio = np.sqrt((sums * sums).sum(-1)) / (OPPOSITE * np.maximum(norms[:, None], norms[None]))
    ii, kk = np.nonzero(np.triu(ratio < 1 + 1e-9, 1))
    return [(cols[i], cols[k]) for i, k in zip(ii, kk)
            if ratio[i, k] < 1 - 1e-9 or _opposite(s[cols[i]], s[cols[k]])]


def _swaps(x: np.ndarray, s: np.ndarray, jump: np.ndarray, longest: int) -> tuple[int, list[int]]:
    """Exchange back, in place, the swaps of ``x`` (T, J, 3) of up to ``longest`` frames, read from its steps ``s``
    and ``jump`` (:func:`_jumps`; ``jump`` is changed); returns (how many, the columns exchanged, in order)."""
    done, exchanged = 0, set()
    for t in np.flatnonzero(jump.sum(1) >= 2):
        for a, b in _opposite_pairs(s[t], np.flatnonzero(jump[t])):
            if not (jump[t, a] and jump[t, b]):
                continue
            for t2 in np.flatnonzero(jump[t + 1:t + 1 + longest, a] & jump[t + 1:t + 1 + longest, b]) + t + 1:
                lo, hi = _frames_read(t, t2)  # only the frames the roughness reads: no whole-column copies
                y = x[lo:hi, [a, b]]  # a copy (fancy indexing)
                y[t + 1 - lo:t2 + 1 - lo] = y[t + 1 - lo:t2 + 1 - lo, ::-1]
                if all(_smoother(x[lo:hi, c], y[:, k], (t - lo, t2 - lo)) for k, c in enumerate((a, b))):
                    x[lo:hi, [a, b]] = y
                    jump[t:t2 + 1, [a, b]] = False  # read no other swap across this one
                    done += 1
                    exchanged |= {int(a), int(b)}
                    break
    return done, sorted(exchanged)


def _jumps_elsewhere(jump: np.ndarray, t: int, cols: tuple[int, int]) -> bool:
    """Whether a column of ``cols`` jumps (``jump`` (T - 1, J) bool) anywhere but within 2 boundaries of ``t`` (a jump
    D steps -D/2 beside it). An edge swap leaves each of its columns one jump; a column with another one left after
    the swaps between two jumps were exchanged is part of something else (two swaps sharing the column, a ghost)."""
    others = jump[:, list(cols)].copy()
    others[max(t - 2, 0):t + 3] = False
    return bool(others.any())


def _edge_swaps(x: np.ndarray, s: np.ndarray, jump: np.ndarray, longest: int) -> tuple[int, list[int]]:
    """Exchange back, in place, the swaps of ``x`` (T, J, 3) that start at its first frame or run to its last, of 2 (the
    first and last boundaries have no step) to ``longest`` frames and shorter than the rest of the clip, read from
    ``s`` and ``jump`` as read again after :func:`_swaps` (``jump`` is changed): two columns jump at one boundary by
    nearly opposite steps and nowhere else (:func:`_jumps_elsewhere`), and exchanging them on the shorter side, the
    side at the clip's edge, makes each column's steps around it :data:`SMOOTHER` times smaller.
    One jump cannot tell which side carries the right labels: the shorter one is taken as swapped, as a swap in
    the middle is the run between its jumps. Returns (how many, the columns exchanged, in order)."""
    done, exchanged, count = 0, set(), len(x)
    for t in np.flatnonzero(jump.sum(1) >= 2):
        head, tail = t + 1, count - t - 1  # frames before the boundary and after it
        if head <= longest and head < tail:
            run = slice(0, head)
        elif tail <= longest and tail < head:
            run = slice(head, count)
        else:
            continue
        for a, b in _opposite_pairs(s[t], np.flatnonzero(jump[t])):
            if not (jump[t, a] and jump[t, b]) or _jumps_elsewhere(jump, t, (a, b)):
                continue
            lo, hi = _frames_read(t, t)
            y = x[lo:hi, [a, b]]  # a copy (fancy indexing)
            inside = slice(max(run.start - lo, 0), min(run.stop, hi) - lo)
            y[inside] = y[inside, ::-1]
            if all(_smoother(x[lo:hi, c], y[:, k], (t - lo,)) for k, c in enumerate((a, b))):
                x[run, [a, b]] = x[run, [b, a]]
                across = slice(0, t + 1) if run.start == 0 else slice(t, count)  # read no other swap across it
                jump[across, a] = jump[across, b] = False
                done += 1
                exchanged |= {int(a), int(b)}
    return done, sorted(exchanged)


def _ghosts(x: np.ndarray, s: np.ndarray, jump: np.ndarray, longest: int) -> np.ndarray:
    """(T, J) bool: the runs of ``x`` (T, J, 3) of up to ``longest`` frames that jump off and back (a ghost), read
    from its steps ``s`` and ``jump`` (:func:`_jumps`)."""
    out = np.zeros(x.shape[:2], bool)
    for j in range(x.shape[1]):
        ts = np.flatnonzero(jump[:, j])
        k = 0
        while k < len(ts):
            t, hit = ts[k], False
            for t2 in ts[k + 1:]:
                if t2 - t > longest:
                    break
                if not _opposite(s[t, j], s[t2, j]):
                    continue
                w = ((np.arange(t + 1, t2 + 1) - t) / (t2 - t + 1.0))[:, None]
                lo, hi = _frames_read(t, t2)  # t >= 1 and t2 + 2 < T: the first and last steps are NaN, no jump
                y = x[lo:hi, j].copy()  # the run's offset at each end from the path extrapolated into it (a step's
                # size reads it wrong for a run of one frame, which its -D/2 beside it overlap)
                a, b = t - lo, t2 - lo
                into, out_of = 2 * y[a] - y[a - 1], 2 * y[b + 1] - y[b + 2]
                y[a + 1:b + 1] -= (y[a + 1] - into) * (1 - w) + (y[b] - out_of) * w
                if _smoother(x[lo:hi, j], y, (a, b)):
                    out[t + 1:t2 + 1, j] = hit = True
                    k = int(np.searchsorted(ts, t2, side="right"))
                    break
            k += 0 if hit else 1
    return out


def _read_again(x: np.ndarray, size: float, s: np.ndarray, jump: np.ndarray, cols: list[int]) -> None:
    """The steps ``s`` and ``jump`` (:func:`_jumps`) of the columns ``cols`` of ``x`` read again, in place, after
    swaps exchanged them: each column's steps and noise are its own."""
    if cols:
        s[:, cols], jump[:, cols] = _jumps(x[:, cols], size)


def label_jumps(poses: np.ndarray, fps: float, ghosts: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Undo the swaps of ``poses`` (T, J, 3) (NaN where unseen; any unit; ``fps`` its rate) and empty its ghosts of up
    to ``ghosts`` frames (module docstring). Returns (poses, float64, swaps exchanged and ghosts NaN; (T, J) bool
    the values emptied; the number of swaps exchanged)."""
    x = np.array(poses, np.float64)
    size = body_size(x)
    if x.ndim != 3 or x.shape[-1] != 3 or len(x) < 8 or not np.isfinite(size) or size <= 0:
        return x, np.zeros(x.shape[:2], bool), 0
    s, jump = _jumps(x, size)
    longest = int(round(SWAPS * fps))
    swapped, exchanged = _swaps(x, s, jump.copy(), longest)
    _read_again(x, size, s, jump, exchanged)
    at_edges, exchanged = _edge_swaps(x, s, jump.copy(), longest)  # on the jumps the middle's swaps left
    _read_again(x, size, s, jump, exchanged)
    swapped += at_edges
    emptied = _ghosts(x, s, jump, ghosts) if ghosts > 0 else np.zeros(x.shape[:2], bool)
    x[emptied] = np.nan
    return x, emptied, swapped
