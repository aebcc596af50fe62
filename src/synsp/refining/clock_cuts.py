"""Cuts on an uneven clock: where a file with uneven times cut to another moment or side of the body, kept apart
on the even grid.

:mod:`synsp.refining.uneven_times` resamples a file's tracks onto an even grid and back. Across a cut (clips joined,
a video edited: :func:`synsp.estimator_errors.body_cuts.turned_cuts`) a grid point between the last frame before it
and the first after is a blend of two poses no body held: the jump is spread over two grid steps, each half as
large, with no pose on either side that stays, and the refinement's cut test read none (validation clips joined, the
second turned by 180 degrees, 3D: 5 of 12 joins cut on a phone's clock, 2 of 12 with frames dropped, against 12 of
12 at 30 fps; RESULTS section 11, "A cut on an uneven clock"). So the cuts are read first at the file's own frames,
with the test and the gate the refinement uses (a network's route, a layout's left/right pairs), and the track is
resampled piece by piece: each grid point from the piece of its nearest file frame, each file frame back from the
grid points of its own piece. The jump then lies in one grid step, and the refinement is told the cut there
(``refine_tracks(cuts=)``): each side is refined as its own span, as on an even clock. Read again on the grid
instead, a join was missed where frames were dropped (benchmarks/uneven_cuts.py, 3D, pair 9): interpolation averages
the white noise, so the test's limit, three times the usual step, falls, and a bridged drop's step nearby reads as
another jump, which the test takes for an estimator's flip that comes back; the clip before the join came back
exchanged whole (326 mm). A jump over a step longer than :data:`LONG_STEP` median steps (frames dropped there) is
motion the test does not see in frames: no cut is read there (a clean walk, validation, a step of 2.24 median steps
read as one; RESULTS section 11).
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.body_cuts import turned_cuts
from synsp.model import NETWORKS
from synsp.skeleton import get_layout

__all__ = ["file_cuts", "pieces", "nearest_frames", "LONG_STEP"]

# A phone's variable rate steps 0.7-1.3 of its median step (+-30 %); a frame dropped makes 1.4 or more
LONG_STEP = 1.5


def file_cuts(poses: np.ndarray, times: np.ndarray, layout: str | None, method: str,
              network_only: bool = False) -> list[np.ndarray]:
    """Per track of ``poses`` (V, T, J, C; NaN where missing), taken at ``times`` (T,) s, the file frames (K,) at
    which it cut (the first frame after each cut), read where the refinement reads cuts
    (:func:`synsp.refining.tracks.refine_tracks`: a network's route that undoes the estimator's errors, on a layout
    with left/right pairs) and not after a step over :data:`LONG_STEP` median steps; none elsewhere."""
    if method not in NETWORKS or layout is None or network_only:
        return [np.zeros(0, int) for _ in poses]
    pairs = get_layout(layout).left_right
    steps = np.diff(times)
    short = np.concatenate([[False], steps <= LONG_STEP * np.median(steps)])  # (T,): frame t after a usual step
    return [np.flatnonzero(turned_cuts(track, pairs) & short) for track in poses]


def pieces(times: np.ndarray, grid: np.ndarray, cuts: np.ndarray) -> list[tuple[slice, np.ndarray]]:
    """The pieces of a track cut at file frames ``cuts`` (K,): for each, its file frames (a slice of ``times`` (T,) s)
    and its grid points (indices into ``grid`` (N,) s: those whose nearest file frame is in the piece), in time
    order. One piece, every frame and grid point, without cuts."""
    edges = [0, *(int(c) for c in cuts), len(times)]
    nearest = nearest_frames(times, grid)
    return [(slice(a, b), np.flatnonzero((nearest >= a) & (nearest < b))) for a, b in zip(edges[:-1], edges[1:])]


def nearest_frames(times: np.ndarray, at: np.ndarray) -> np.ndarray:
    """(N,) int: the index in ``times`` (T,) s, sorted, of the time nearest each of ``at`` (N,) s (the earlier on a
    tie); 0 for every one when T is 1 (the clip to 1 below would point past a single frame)."""
    if len(times) < 2:
        return np.zeros(len(at), dtype=int)
    hi = np.clip(np.searchsorted(times, at), 1, len(times) - 1)
    return np.where(at - times[hi - 1] <= times[hi] - at, hi - 1, hi)
