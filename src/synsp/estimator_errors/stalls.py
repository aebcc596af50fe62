"""Stalls: a video decoder that stalls writes the whole frame again for a few frames, then catches up.

The estimator reads the repeated picture and writes the very same pose again, every value of every joint, for as
long as the stall lasts; then the video jumps to where the person got to meanwhile. A moving body stops dead on
the first repeat and jumps on the catch-up, and to the switch tests (:mod:`synsp.estimator_errors.track_switches`)
both read as another person: the body left its path and stayed off it, then moved by more than half its size. Each
stall was cut off as a still person of its own and given back frozen (a user audit, audit 34, finding 2: a dash's
8 frames held 103 px off the truth, returned unchanged while the summary said "refined as gaps").

A repeat is no measurement (:mod:`synsp.estimator_errors.held_values`), so the switch tests read a stall's repeats
as a gap (:func:`without_stalls`), and its catch-up is judged along the body's path (:func:`carried`): the
person whose joints' mean lies where the body's pace around the stall carries it over the gap is the same person;
one more than half a body size off that is another (the tracker gave the id away while the video stalled). Only
runs of :data:`STALL_FRAMES` whole frames or more are stalls: a frame rate converted (24 or 25 to 30 fps, each
frame twice) repeats single frames, and an estimator run on every 3rd or 4th frame, its output held between, leaves
each new frame alone between runs of repeats: the switch tests read both as they come.

A stall with no catch-up, at a track's end, has no frame to fill towards, and the fill held it at the pose
repeated: a runner stopped dead (dash_masculinity's last 8 frames 123 px off, while the summary said "refined as
gaps"). Where the body travels (its pace before the stall over :data:`TRAVEL` body sizes a frame) the repeats are
carried on at that pace instead (:func:`carried_on`, in :func:`synsp.estimator_errors.measurements.measure`; for
:data:`CARRY_SECONDS` at most, at the footage's frame rate, then held: a longer run is a tracker's frozen pose, no
stall; a look told another rate than its frames', the second look at half the pace, counts it at theirs,
:func:`frames_at`), and the summary says how many. A stream reads its stalls alike, with no frame waiting for them:
each repeat its lookahead sees no end of is such a stall at the end (carried on), the ones it sees the catch-up of
are filled towards it, and its cut watches read the repeats as a gap and the catch-up along the body's path
(:func:`stall_free`, :func:`stall_before_last`, :func:`pose_at_catch_up`; benchmarks/RESULTS.md, section 10, "A
decoder's stall in a stream and at a track's end").
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import numpy as np

from synsp.estimator_errors.held_values import held_frames
from synsp.sequence import body_size, true_runs

__all__ = ["STALL_FRAMES", "PACE_FRAMES", "TRAVEL", "stall_gaps", "without_stalls", "stall_free", "carried",
           "CARRY_SECONDS", "carry_frames", "frames_at", "stall_before_last", "pose_at_catch_up", "carried_on"]

# Whole frames repeated in a row from which a run is a stall: a converted frame rate repeats one at a time.
STALL_FRAMES = 2
# Frames measured on each side of a stall over which the body's pace (its centre's mean step) is read.
PACE_FRAMES = 3
# Body sizes a frame the body's pace before a stall at the end (no catch-up) must reach for the stall to be carried on
# at it (carried_on): under it, a body in place, whose pace is its noise. Validation (20 clips, 2D jitter, 8 frames held
# at 3 places, benchmarks/RESULTS.md section 10): under 0.01 (a body waving, bowing, guiding in place) carrying lost to
# holding on 22 of 31 stalls (9.47 -> 9.69 px over their first 8 frames); above it (walks, runs, dashes) it won on 28
# of 29 (43.65 -> 22.15 px).
TRAVEL = 0.01
# Seconds of a stall at the end carried on at most (carried_on), then held where that left the body: a decoder's stall
# is a few frames (the benchmark's 4-8), and a run of repeats longer than half a second is no stall but a tracker that
# froze its last pose (the person left or was lost), whose place is not the body's pace on: carried to the end, 300
# frames held at 4 px a frame came out 1844 px away. A time, not frames: 15 frames were 0.25 s at 60 fps and 1.5 s at
# 10 fps. 0.5 s (15 frames at 30 fps) keeps the benchmark's 4- and 8-frame stalls as they were (benchmarks/RESULTS.md
# section 10, "A stall at a track's end carried at most half a second").
CARRY_SECONDS = 0.5


# Inside frames_at: the frames' own rate (fps), whatever rate the steps are told (None: the rate told).
_FRAMES_FPS: ContextVar[float | None] = ContextVar("frames_fps", default=None)


def carry_frames(fps: float | None = None) -> int:
    """Frames a stall at a track's end is carried on at most (:func:`carried_on`): :data:`CARRY_SECONDS` at ``fps``
    (frames per second; None: 30), rounded; 15 at 30 fps. Inside :func:`frames_at`, at the rate it was given."""
    own = _FRAMES_FPS.get()
    return round(CARRY_SECONDS * (own if own is not None else 30.0 if fps is None else float(fps)))


@contextmanager
def frames_at(fps: float | None) -> Iterator[None]:
    """Within it, :func:`carry_frames` counts at ``fps`` (frames per second; None: 30), the frames' own rate,
    whatever rate it is told; inside another, at the outer one's (the outermost call knows the frames' rate). Runs
    on the same frames told another rate: the second look at half the pace (:mod:`synsp.inference.half_pace`, told
    15 fps for 30 fps frames) and the floor step's SmoothNet base at the paced rate
    (:mod:`synsp.inference.floor_pass`); told it, a 30 fps stall's half second was 8 or 9 frames, not 15, and 3 of
    12 fast 2D clips with 30 frames held at the end moved (benchmarks/RESULTS.md, section 10, "A stall's carry capped
    in seconds")."""
    token = _FRAMES_FPS.set(30.0 if fps is None else float(fps)) if _FRAMES_FPS.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _FRAMES_FPS.reset(token)


def stall_gaps(track: np.ndarray) -> list[tuple[int, int]]:
    """The stalls of ``track`` (T, J, C; NaN where unseen), each as (a, b): frame ``a`` the one repeated, frames
    a + 1 .. b - 1 its :data:`STALL_FRAMES` or more repeats (:func:`~synsp.estimator_errors.held_values.held_frames`,
    every value equal to the frame before), ``b`` the first frame after them (``len(track)`` at the track's end); the
    frames before ``a`` and after ``b`` new too (not held; none at a track's ends), as a stall interrupts a stream of
    new frames: the repeats of an estimator run on every k-th frame leave each new frame alone between them, and stay
    what they were."""
    held = held_frames(track)
    around = np.r_[False, held, False, False]  # around[t + 1]: held[t]; frames beyond the track hold nothing
    # new frames on both sides (the frame repeated and the one before, the catch-up and the one after): an estimator
    # run on every k-th frame and held between has its new frames alone (the strided route's, refining.strided)
    return [(start - 1, stop) for start, stop in true_runs(held)
            if stop - start >= STALL_FRAMES and not around[start - 1] and not around[stop + 2]]


def without_stalls(track: np.ndarray, gaps: list[tuple[int, int]]) -> np.ndarray:
    """``track`` (T, J, C) with the repeats of its stalls ``gaps`` (:func:`stall_gaps`) NaN, a float64 copy; the
    track itself when there are none."""
    if not gaps:
        return track
    out = np.array(track, np.float64)
    for a, b in gaps:
        out[a + 1: b] = np.nan
    return out


def stall_free(track: np.ndarray) -> np.ndarray:
    """``track`` (T, J, C) with the repeats of its stalls (:func:`stall_gaps`) NaN (:func:`without_stalls`): what the
    switch tests read (a stream's, :mod:`synsp.inference.stream_path_cuts` and
    :mod:`synsp.inference.stream_centre_cuts`, on their few frames); the track itself when it has none."""
    return without_stalls(track, stall_gaps(track))


def carried(read: np.ndarray, gaps: list[tuple[int, int]]) -> np.ndarray:
    """(len(gaps), J, C) float64: where the pose of each stall's frame a (:func:`stall_gaps`, each b < T) of ``read``
    (T, J, C, :func:`without_stalls`' track, any unit) is carried by frame b at the body's pace: the pose at a plus
    b - a times the mean step of the centre (the mean of the joints seen) over up to :data:`PACE_FRAMES` frames
    measured in a row before a and after b, both sides' mean (one side's at a track's ends; none: not carried, the
    plain half-size rule across a gap). :mod:`~synsp.estimator_errors.track_switches` tells another person from the
    catch-up against it (:func:`~synsp.estimator_errors.track_switches.switched_people`)."""
    x = np.asarray(read, np.float64)
    out = np.empty((len(gaps),) + x.shape[1:])
    for i, (a, b) in enumerate(gaps):
        before, after = _pace(x[max(a - PACE_FRAMES, 0): a + 1]), _pace(x[b: b + PACE_FRAMES + 1][::-1])
        paces = [p for p in (before, None if after is None else -after) if p is not None]
        out[i] = x[a] + (b - a) * (np.mean(paces, axis=0) if paces else 0.0)
    return out


def stall_before_last(track: np.ndarray) -> tuple[int, int] | None:
    """The stall (a, b) of ``track`` (T, J, C, NaN where unseen; :func:`stall_gaps`) whose catch-up is the track's
    last frame (b = T - 1); None where it is none (the frame before it no repeat: a cheap test, most frames of a
    stream)."""
    if len(track) < 3 or not held_frames(track[-3:-1])[-1]:
        return None
    return next(((a, b) for a, b in stall_gaps(track) if b == len(track) - 1), None)


def pose_at_catch_up(track: np.ndarray) -> np.ndarray | None:
    """(J, C) float64: where the body's pace carries the pose of the stall of ``track`` (T, J, C, any unit) whose
    catch-up is its last frame (:func:`stall_before_last`), as :func:`carried` carries it; None where there is none.
    A stream tells its newest frame so (:mod:`synsp.inference.stream_switches`): a body running on while the video
    stalled is no other person."""
    stall = stall_before_last(track)
    return None if stall is None else carried(without_stalls(track, [stall]), [stall])[0]


def carried_on(values: np.ndarray, poses: np.ndarray, fps: float | None = None) -> np.ndarray:
    """``values`` (T, J, C; or (V, T, J, C), the poses' measured values) with the repeats of a stall at the end of
    ``poses`` (of the same shape, NaN where unseen; :func:`stall_gaps`, b = T: no catch-up) each where the body's pace
    carries the pose repeated (:func:`carried`): a track's end, or a stream's newest frames while it stalls, is no
    gap to fill towards a later frame, and held there the body stopped dead (RESULTS section 10, "A video decoder's
    stall"). Carried :data:`CARRY_SECONDS` at most at ``fps`` (frames per second; None: 30; :func:`carry_frames`),
    then held there: a longer run is a frozen tracker, no stall. ``values`` itself where there is none, else a copy."""
    x = np.asarray(poses)
    if x.ndim == 4:
        out = [carried_on(v, p, fps) for v, p in zip(values, x)]
        return values if all(o is v for o, v in zip(out, values)) else np.stack(out)
    if not held_frames(x[-2:])[-1]:  # the last frame no repeat: no stall at the end
        return values
    gaps = [(a, b) for a, b in stall_gaps(x) if b == len(x)]
    if not gaps:
        return values
    a = gaps[0][0]
    read = without_stalls(x, gaps)
    step = carried(read, [(a, a + 1)])[0] - read[a]  # (J, C) the body's pace, one frame on (NaN where unseen at a)
    with np.errstate(invalid="ignore"):
        if not np.nanmax(np.linalg.norm(step, axis=-1), initial=0.0) > TRAVEL * body_size(read):
            return values  # a body in place: held, as the fill holds a gap at a track's end
    out, most = np.array(values, copy=True), carry_frames(fps)
    for t in range(a + 1, len(x)):
        pose = read[a] + min(t - a, most) * step  # held after CARRY_SECONDS: a frozen track is no stall
        out[t] = np.where(np.isfinite(pose), pose, out[t])
    return out


def _pace(frames: np.ndarray) -> np.ndarray | None:
    """(C,) the mean step per frame of the centre of ``frames`` (N, J, C) over the run of frames with a joint seen
    that ends at the last (the centre the mean of the joints seen in every frame of the run); None under two."""
    shown = np.isfinite(frames).all(-1).any(-1)
    unseen = np.flatnonzero(~shown)
    run = frames[unseen[-1] + 1:] if len(unseen) else frames
    joints = np.isfinite(run).all(-1).all(0)
    if len(run) < 2 or not joints.any():
        return None
    centre = run[:, joints].mean(axis=1)
    return (centre[-1] - centre[0]) / (len(run) - 1)
