"""Frames dropped from a file with no times: found where the whole body steps twice as far, and given back as gaps.

A capture that skipped frames (a phone under load, a webcam's USB budget, a frame grabber) writes the frames it
kept one after another; with no time column nothing says a frame is missing. At a drop every joint of a moving body
steps over two frame intervals at once, and every refiner reads that step as an error and smears it over the frames
around it: audit 28 (benchmarks/RESULTS.md, section 4, "Error kinds and conventions no benchmark made"), 2D, every
7th frame dropped from the validation clips' ``jitter`` estimate, SynSP 3.75 / 2.74 / 3.69 px on the two dash clips
and the run against the input's 2.82 / 1.81 / 2.78.

The step tells it where the body moves fast enough: the boundary between frames ``t`` and ``t + 1`` holds ``k``
dropped frames (a capture hiccup drops a few in a row) when, over the joints (the median), its step ``d_t`` is about
``k + 1`` times its neighbours' mean step ``m_t = (d_{t-1} + d_{t+1}) / 2`` (``k``: the step over that mean, rounded,
less one; 1 to :data:`MAX_RUN`), with ``d_{t-1} ~ d_{t+1}`` (the same speed on both sides), while far from that mean
(no drop: ``d_t ~ m_t``), and the mean is above the clip's noise (the joints' median second difference):
:data:`MAX_RATIO` of the residuals ``|d_t - (k + 1) m_t| / |d_t - m_t|``, :data:`MIN_SPEED` x the noise. A body
starting or stopping in one frame has unequal neighbours (their difference twice the no-drop residual;
:data:`MAX_SIDES`) and is no drop; a glitch or a jump of the whole body has a step far from every multiple. ``k``
missing frames are put back there. A longer run than :data:`MAX_RUN` mostly reads as none, not always: a run of K
whose step rounds one short reads a residual of about 1 / K at K - 1, under :data:`MAX_RATIO` (2D, 4 dropped every 20
from the 65 validation clips' ``jitter`` estimate: 15 of 441 runs put back as 3, RESULTS section 4, "Frames dropped
three in a row"; tried, a residual at k under the one at k + 1 still put 8 back as 3, and lost 10 of the 237
frames read in runs of 3).
The rotation route (an SMPL npz, a BVH) reads no drops, an SMPL npz from a video estimator included: its frames are
refined as they come.
:func:`refine_with_drops` puts a missing frame (NaN) at each drop, refines, and takes those frames out again:
``synsp.refine`` on a track, each entry of (V, T, J, C) at its own drops (the entries may be unrelated clips). A file's
tracks share one clock: a frame any track skipped (:func:`dropped_in_tracks`) is missing in every track, and the
tracks are refined at the capture's frame numbers (:func:`capture_frames`) as a file whose frame column skips numbers
is (:func:`synsp.refining.uneven_times.refine_tracks_at`), for ``synsp refine`` on a file with no column of times or
frame numbers (:func:`synsp.refining.uneven_times.refine_file_tracks`; a file with one is refined at the times it
says) and for a table whose rows' order is its frames' (:func:`synsp.integrations.pandas.refine_dataframe`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.estimator_errors.frame_drops import MAX_RATIO, MAX_RUN, MAX_SIDES, MIN_SPEED, dropped_once

__all__ = ["MAX_RATIO", "MAX_SIDES", "MIN_SPEED", "MAX_RUN", "dropped_after", "dropped_in_tracks", "with_gaps",
           "refine_with_drops", "refine_entries_with_drops", "capture_frames", "capture_times", "drop_note"]


def dropped_after(poses: np.ndarray, rounds: int = 3) -> np.ndarray:
    """(D,) int: the frames of ``poses`` (T, J, C) after which a frame was dropped, ascending, a frame named once per
    frame dropped after it (two dropped in a row: named twice; ``np.insert`` puts a NaN frame in for each); empty for
    none.

    Read over the joints seen in the four frames about a boundary (none: no drop there); a clip under 5 frames
    reads none. Read again with NaN frames put in at the drops found (up to ``rounds`` times in all): a boundary
    whose neighbour steps span a drop reads as none until that drop is put back (2D, every 7th frame dropped from
    the 65 validation clips' ``jitter`` estimate: 173 -> 200, all true; RESULTS section 4, "Review 1's mends")."""
    frames, counts = dropped_once(poses)
    for _ in range(rounds - 1):
        if not len(frames):
            break
        gapped, added = with_gaps(poses, np.repeat(frames, counts))
        more, more_counts = dropped_once(gapped)  # a boundary beside a NaN frame reads none: no step to compare
        more = more - np.searchsorted(added, more)  # as frames of ``poses``
        new = ~np.isin(more, frames)
        if not new.any():
            break
        frames, counts = np.concatenate([frames, more[new]]), np.concatenate([counts, more_counts[new]])
        counts, frames = counts[np.argsort(frames)], np.sort(frames)
    return np.repeat(frames, counts)


def dropped_in_tracks(poses: np.ndarray) -> np.ndarray:
    """(D,) int: the frames of ``poses`` (..., T, J, C) after which a frame was dropped in any track (one track: a
    (T, J, C) array), ascending, each named as often as the most frames any track shows dropped there
    (:func:`dropped_after`): a frame the capture skipped is missing for every person in it, those standing still
    (who show no drop) too."""
    tracks = np.reshape(poses, (-1,) + np.shape(poses)[-3:])
    most: dict[int, int] = {}
    for track in tracks:
        for frame, count in zip(*np.unique(dropped_after(track), return_counts=True)):
            most[int(frame)] = max(most.get(int(frame), 0), int(count))
    frames = sorted(most)
    return np.repeat(np.asarray(frames, int), [most[f] for f in frames]).astype(int)


def with_gaps(poses: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (..., T, J, C) with a NaN frame put after each frame of ``after`` (..., T + D, J, C), and the (D,)
    frames of that array the NaN frames are (``np.delete`` of them along axis -3 gives ``poses`` back)."""
    after = np.asarray(after, int)
    return np.insert(poses, after + 1, np.nan, axis=-3), after + 1 + np.arange(len(after))


def refine_with_drops(poses: np.ndarray, after: np.ndarray, run: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``run`` on ``poses`` (..., T, J, C) with a NaN frame put after each frame of ``after``, those frames taken out
    of its output: the output has the input's frames, refined at even time."""
    gapped, added = with_gaps(poses, after)
    return np.delete(run(gapped), added, axis=-3)


def refine_entries_with_drops(tracks: np.ndarray, after: list[np.ndarray],
                              alone: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """(V, T, J, C): each entry of ``tracks`` (V, T, J, C) refined by ``alone`` at its own drops (``after``: V
    arrays of :func:`dropped_after`'s, :func:`refine_with_drops`); the entries with none refined together in one
    call (a crowd's lockstep), each as alone."""
    even = [not len(a) for a in after]
    rest = iter(alone(tracks[even]) if any(even) else ())
    return np.stack([next(rest) if e else refine_with_drops(track, a, alone)
                     for track, a, e in zip(tracks, after, even)])


def capture_frames(after: np.ndarray, frames: int) -> np.ndarray:
    """(T,) int: the capture's frame number of each of the ``frames`` (T) frames kept, with frames dropped after
    those of ``after`` (D,) (:func:`dropped_after`): the times, over the rate, at which a file's tracks are refined
    on its even grid (:func:`synsp.refining.uneven_times.refine_tracks_at`, as a frame column that skips numbers)."""
    kept = np.arange(frames)
    return kept + np.searchsorted(np.asarray(after, int), kept)


def capture_times(after: np.ndarray, frames: int, fps: float) -> np.ndarray | None:
    """(T,) s: the capture's time of each of the ``frames`` (T) frames kept, at ``fps`` (:func:`capture_frames`), at
    which tracks with frames dropped after those of ``after`` (D,) are refined on their even grid; None with no drop
    (the frames are even: refined as they are)."""
    return capture_frames(after, frames) / fps if len(after) else None


def drop_note(after: np.ndarray, frame_ids: list | None = None, shown: int = 5) -> str:
    """The summary's line on the drops found after the frames ``after`` (D,) (:func:`dropped_after`: a frame named
    once per frame dropped after it; numbered by ``frame_ids`` when given, one a frame; else from 0), the first
    ``shown`` of the frames named."""
    number = (lambda t: frame_ids[t]) if frame_ids is not None else int
    places = np.unique(after)
    named = ", ".join(str(number(t)) for t in places[:shown]) + (", ..." if len(places) > shown else "")
    count = f"{len(after)} frame{'s' if len(after) > 1 else ''}"
    return (f"drops: {count} missing from the capture (after frame{'s' if len(places) > 1 else ''} {named}: the "
            "whole body steps over two or more frame intervals at once there); refined at even time and left out of "
            "the output")
