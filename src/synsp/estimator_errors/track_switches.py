"""Where a track passes from one person to another: an estimator or tracker that switched to
someone else between two detections, told from what a body cannot do.

:func:`track_segments` cuts a track (T, J, C) into the spans that hold one person each:
where the body moved by more than half its size between two detections
(:func:`switched_people`), or stepped off its path as no body does and stayed off it
(:func:`left_path`: ids handed to someone close by). :mod:`synsp.refining.tracks` and
:func:`synsp.refine` refine each span alone; streams use :func:`switched_people`.

A switch between two bodies that overlap (two people crossing) may move the body by less than
that; the other person, facing the other way, reads as the first with its left and right labels
exchanged. No exchange of labels moves the body's centre, a switch does (:func:`centre_switches`):
:func:`track_segments` cuts there too where the centre ran along a line before and another after, its
motion turned (:func:`centre_cuts`: people crossing move towards each other), and
:func:`without_switches` keeps the inversion step (:mod:`synsp.estimator_errors.inversions`) from
exchanging a stretch that starts or ends at any switch it reads.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from synsp.estimator_errors.body_cuts import turned_cuts
from synsp.estimator_errors.depth_flips import depth_switches
from synsp.estimator_errors.half_turns import half_turns
from synsp.estimator_errors.stalls import carried, stall_gaps, without_stalls
from synsp.sequence import body_size, nan_median, true_runs
from synsp.skeleton.layout_type import pair_flip

__all__ = ["SWITCH_STEP", "SWITCH_NOISE", "SWITCH_STAY", "switched_people", "path_steps", "steps_by_path", "off_path",
           "left_path", "track_segments", "seen_cuts", "CENTRE_STEP", "CENTRE_NOISE", "CENTRE_STAY", "CENTRE_STILL",
           "CENTRE_TURN", "LIMB_SHARE", "centre_switches", "centre_turns", "centre_cuts", "body_stepped",
           "without_switches",
           "whole_track"]


def switched_people(before: np.ndarray, after: np.ndarray, size: float | np.ndarray,
                    jump: float = 0.5, share: float | None = None) -> np.ndarray:
    """Whether detections ``after`` are of other people than ``before`` (..., J, C), each pair
    consecutive among a track's detected frames (the estimator switched to someone else): the
    mean of the joints seen in both moved by more than ``jump`` times ``size``, the person's size
    (:func:`body_size`; one, or one per pair), and the median joint's move by more than :data:`LIMB_SHARE` of
    that. No joint seen in both, or a size of 0 (a single joint: nothing says how far is too far) or NaN, is no
    switch. Returns (...) bool.

    Another person moves every joint; a few joints thrown far (wrists and an ankle snapped to the picture's
    edge, x = 0, for 5 frames: 950 px on a 260 px person) move the mean alone, and were cut off as someone else,
    kept as they came (benchmarks/RESULTS.md, section 4, "Joints on the picture's edge"); the limb and glitch
    steps take them. ``share`` replaces :data:`LIMB_SHARE` (0: the mean's move alone, as for the routes that undo
    no error, :func:`track_segments`' ``thrown``)."""
    share = LIMB_SHARE if share is None else share
    both = np.isfinite(before).all(-1) & np.isfinite(after).all(-1)  # (..., J)
    seen = both.sum(-1)
    step = np.where(both[..., None], np.asarray(after, np.float64) - before, 0.0)  # (..., J, C)
    moved = step.sum(-2) / np.maximum(seen, 1)[..., None]  # the mean move of the joints seen in both
    limit = jump * np.asarray(size, np.float64)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # no joint seen in both: no median, no switch
        median = np.nanmedian(np.where(both, np.linalg.norm(step, axis=-1), np.nan), axis=-1)  # (...)
        limbs = (median > share * limit) | (share == 0)
        return (seen > 0) & (np.linalg.norm(moved, axis=-1) > limit) & limbs & (limit > 0)


# A tracker that hands a person's id to someone close by (two people crossing) moves the whole
# body off its path by less than half its size. What no body does: the median of its joints
# stepping off its constant-velocity path by SWITCH_STEP body sizes and SWITCH_NOISE times the
# track's median step, and staying off it for the SWITCH_STAY frames after (a return within
# them is a jump, synsp.estimator_errors.glitches.body_jumps, moved back, not cut). Set on the validation split
# (benchmarks/RESULTS.md, section 4, "Switches between close people"): no frame of `none`,
# `typical` or `hard` input, 2D or 3D, at 30 or 60 fps or played 2 or 3 times as fast, is cut
# (frames past 0.1 sizes reach 6.9 times their track's median step); MediaPipe's 3D world
# landmarks of the demo step 0.17 sizes, 10 times, where its image shows no switch; two walkers
# 0.2 sizes apart whose ids a tracker exchanged step 0.145 sizes, 19 times the median.
SWITCH_STEP = 0.1  # body sizes (:func:`body_size`)
SWITCH_NOISE = 12.0  # times the track's median step
SWITCH_STAY = 2  # frames after the step that stay off the path too
# A switch between overlapping bodies, seen by the body's centre (:func:`centre_switches`). Set on validation
# (benchmarks/RESULTS.md, section 4, "Two people crossing, their ids swapped"): two walkers crossing whose ids a
# tracker swapped 1-8 frames before the crossing: the centre's second difference there is at least 0.044 body
# sizes, and 16 times its median under 2 px noise (4 px: 13 times from 2 frames before the crossing, 7.5 at 1); at
# the inversion step's jumps in `none`, `typical`, `hard` and `jitter` input and benchmarks/robustness.py's
# noises, 2D and 3D, at most 7.5 times (0.007 sizes), or 0.071 sizes (2.6 times).
CENTRE_STEP = 0.03  # body sizes: no body's centre turns so in a frame (4.7 g at 30 fps)
CENTRE_NOISE = 10.0  # times the track's median
# A cut there (:func:`centre_cuts`), set on validation (RESULTS, the same subsection): at those swaps (2-8 frames
# before the crossing, 2 and 4 px noise) the centre's turn in the 3 frames before and the 3 from t + 2 is at most
# 0.26 times the step (2 px: 0.12), its velocity changes by 0.028-0.046 sizes a frame (walkers meeting); every
# centre switch read in `none`, `typical`, `hard`, `jitter`, robustness.py's noises (first 20 validation clips, 2D,
# 3D) and clean validation clips played 1-4 times as fast with as still frames around it is a shift of the
# estimator's box that stays (0.03-0.07 sizes, kept for 7-15 frames or for good), the velocity changed by at most
# 0.008 sizes a frame.
CENTRE_STAY = 3  # frames on a line before the step and after it (:func:`centre_cuts`)
CENTRE_STILL = 0.25  # times the step: the most the centre turns in those frames
CENTRE_TURN = 0.015  # body sizes per frame: the least change of the centre's velocity across the step
# times the centre's step: the least step of the median joint at a centre cut (a limb alone moved less; see centre_cuts)
LIMB_SHARE = 0.5


def path_steps(track: np.ndarray, stay: int = SWITCH_STAY, back: int = 3) -> np.ndarray:
    """(T,) how far the body of ``track`` (T, J, C; NaN where not seen) steps off its path at each
    frame and stays off: for frame t and a path through frames t - 2 - k and t - 1 - k (each joint's
    constant-velocity path; k = 0 .. ``back``, so that a path clear of a jump of up to two frames
    that came back, :func:`synsp.estimator_errors.glitches.body_jumps`, is among them), the smallest over
    s = t .. t + ``stay`` of the norm of the median over the joints of their distance from it at
    s; then the smallest over the paths (:func:`steps_by_path`: each path's). Only frames in a row
    count (every frame from the path's first to t + ``stay`` shows a joint: across a gap the
    half-size rule of :func:`track_segments` decides); NaN where no path has every frame it needs
    (the first frames, the last ``stay``, around gaps)."""
    by_path = steps_by_path(track, stay, back)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no path at a frame: NaN
        return np.nanmin(by_path, axis=0)


def steps_by_path(track: np.ndarray, stay: int = SWITCH_STAY, back: int = 3) -> np.ndarray:
    """(``back`` + 1, T) :func:`path_steps` of ``track`` (T, J, C) for each path alone: row k through frames
    t - 2 - k and t - 1 - k (NaN where that path lacks a frame it needs)."""
    x = np.asarray(track, np.float64)
    t_count = len(x)
    out = np.full((back + 1, t_count), np.nan)
    runs = np.concatenate([[0], np.cumsum(np.isfinite(x).all(-1).any(-1))])  # frames with a joint, so far
    for k in range(back + 1):
        n = t_count - 2 - k - stay  # frames t = 2 + k .. T - 1 - stay have every frame this path needs
        if n <= 0:
            break
        before, last = x[:n], x[1: n + 1]
        steps = [np.linalg.norm(_median_over_joints(
            x[2 + k + d: 2 + k + d + n] - (last + (k + d + 1) * (last - before))), axis=-1) for d in range(stay + 1)]
        found = np.min(steps, axis=0)  # NaN where a frame is missing: nothing says it stayed
        length = k + 3 + stay  # frames t - 2 - k .. t + stay, each with a joint: no gap across the step
        whole = runs[length: length + n] - runs[:n] == length
        out[k, 2 + k: 2 + k + n] = np.where(whole, found, np.nan)
    return out


def _median_over_joints(x: np.ndarray) -> np.ndarray:
    """(N, C) median over the joints of (N, J, C), each coordinate over the joints it is finite for (NaN: none)."""
    return nan_median(np.moveaxis(x, 1, -1).reshape(-1, x.shape[1]), axis=-1).reshape(x.shape[0], x.shape[2])


def left_path(track: np.ndarray, size: float | None = None, cuts: np.ndarray | None = None) -> np.ndarray:
    """(T,) bool: frames of ``track`` (T, J, C) where another person starts, told by what a body
    cannot do (:data:`SWITCH_STEP`): the body stepped off its constant-velocity path by more than
    :data:`SWITCH_STEP` times ``size`` (default :func:`body_size` of the track) and
    :data:`SWITCH_NOISE` times its median step (:func:`path_steps`) and stayed off it.

    After a start (one read here, or one of ``cuts``, (T,) bool: starts told otherwise), only paths from it
    on count (:func:`steps_by_path`): one through the frames before it is the first person's, and would
    tell that person's return (ids swapped for 3 frames) as the body keeping to its path, so the cut back
    would land a frame late (audit 13); the frame after a start has no such path and starts no one. A start
    whose frames lie on the path through frames k = 1 .. 3 before it (a return) starts one there too: a swap of
    a frame or two cut on its way back only (by the half-size rule) would leave them to the person's span. Only
    where those frames each lie off that path (people crossing, who overlap, may step onto the other's path)."""
    by_path = steps_by_path(track)
    known = np.zeros(len(by_path[0]), dtype=bool) if cuts is None else np.asarray(cuts, dtype=bool)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # no step measured: no switch
        steps = np.nanmin(by_path, axis=0)
        size = body_size(track) if size is None else size
        usual = np.nanmedian(steps) if np.isfinite(steps).any() else np.nan

        def is_off(step: np.ndarray) -> np.ndarray:
            return off_path(step, size, usual)

        off = is_off(steps)
        starts = np.zeros_like(off)
        t, last = 0, -len(by_path) - 2
        while t < len(off):
            reach = t - 2 - last  # the paths k <= reach start at or after the last start
            if known[t] or (off[t] if reach >= len(by_path) - 1 else is_off(np.nanmin(by_path[: reach + 1, t]))):
                starts[t] = not known[t]
                last = t + 1 if t + 1 < len(known) and known[t + 1] else t
                t = last + 2  # the first frame with a path from the start on
            elif reach < len(by_path) - 1:
                t += 1
            else:
                later = np.flatnonzero((off | known)[t + 1:])
                t = t + 1 + int(later[0]) if len(later) else len(off)
        for t in np.flatnonzero(starts | known):  # back onto the path before a few frames: they were someone else's
            on = np.isfinite(by_path[:, t]) & ~is_off(by_path[:, t])
            k = int(np.argmax(on))
            if on.any() and 0 < k < t and is_off(_off_path(track, t - 1 - k, k)).all():
                starts[t - k] |= not known[t - k]
    return starts


def off_path(step: np.ndarray | float, size: float, usual: float) -> np.ndarray:
    """Whether a body's ``step`` off its path (:func:`path_steps`, any shape) is one no body makes: more than
    :data:`SWITCH_STEP` times its ``size`` and :data:`SWITCH_NOISE` times its ``usual`` (median) step. NaN: not off."""
    with np.errstate(invalid="ignore"):
        return (step > SWITCH_STEP * size) & (step > SWITCH_NOISE * usual) & (size > 0)


def _off_path(track: np.ndarray, t: int, k: int) -> np.ndarray:
    """(k,) how far the frames t + 1 .. t + k of ``track`` (T, J, C) lie off the path through frames t - 1 and t (the
    norm of the median over the joints of their distance from each joint's constant-velocity path)."""
    x = np.asarray(track, np.float64)
    ahead = np.arange(1, k + 1)[:, None, None]
    return np.linalg.norm(_median_over_joints(x[t + 1: t + 1 + k] - (x[t] + ahead * (x[t] - x[t - 1]))), axis=-1)


def seen_cuts(track: np.ndarray, given: np.ndarray) -> np.ndarray:
    """(T,) bool: the cuts ``given`` (T,) bool of ``track`` (T, J, C), NaN where unseen, each moved to the first
    frame at or after it where the track has a joint: a span starts at a seen frame, so a cut at an unseen one is
    made at the next seen one (not dropped while said). Cuts at or before the first seen frame, or after the
    last, cut nothing and are left out."""
    seen = np.flatnonzero(np.isfinite(track).all(-1).any(-1))
    at = np.searchsorted(seen, np.flatnonzero(given))  # the first seen frame at or after each cut
    cut = np.zeros(len(track), dtype=bool)
    cut[seen[at[(at > 0) & (at < len(seen))]]] = True
    return cut


def track_segments(track: np.ndarray, jump: float = 0.5, pairs: Sequence[tuple[int, int]] = (),
                   thrown: bool = False, given: np.ndarray | None = None,
                   turns: Sequence[tuple[int, int, np.ndarray]] | None = None) -> list[slice]:
    """Spans of frames that hold one person, in a track (T, J, C) with NaN where nothing was seen.

    A track runs from its first to its last detected frame, and is cut where the estimator
    switched people: between two consecutive detected frames (any gap between them) the mean of
    the joints seen in both moved by more than ``jump`` times the person's size
    (:func:`synsp.sequence.body_size`), or, between frames in a row, the body stepped off its
    path as no body does and stayed off it (:func:`left_path`: a tracker that gave the id to
    someone close by), or its centre stepped off its line onto another, its motion turned
    (:func:`centre_cuts`: a switch between people crossing). Refining across a switch would smear two
    people into a ghost; the frames between two segments stay missing. Given the layout's left/right
    ``pairs`` (the networks' routes, which undo the estimator's errors), a 3D track is also cut where
    the video cut to another side of the body (:func:`synsp.estimator_errors.body_cuts.turned_cuts`),
    which those steps would undo as a left/right exchange or a limb astray. With ``thrown`` (the routes that undo
    no error: the plain filters, a bare network), a few joints thrown far cut too (:func:`switched_people` of the
    mean's move alone): those routes would smear them over the frames around (wrists and an ankle on the picture's
    edge for 5 frames: Butterworth 2.08 px on the values around, 1.72 cut; benchmarks/RESULTS.md, section 4,
    "Joints on the picture's edge: what was left"). ``given`` (T,) bool: frames where the track is cut besides (the
    first frame after a cut read before resampling: :mod:`synsp.refining.clock_cuts`). ``turns``: the track's spans
    turned half round and back (:func:`~synsp.estimator_errors.half_turns.half_turns`; None: read here, once). A
    video decoder's stall (the whole pose repeated for :data:`~synsp.estimator_errors.stalls.STALL_FRAMES` frames or
    more) is read as a gap, and its catch-up cut only where the pose lies off the body's path across it
    (:mod:`synsp.estimator_errors.stalls`); the spans hold its frames.
    """
    every = np.flatnonzero(np.isfinite(track).all(-1).any(-1))  # frames where the track has any joint
    if len(every) == 0:
        return []
    stalls = stall_gaps(track)  # a decoder's stall: its repeats are read as a gap, its catch-up along the path
    whole, track = track, without_stalls(track, stalls)
    seen = np.flatnonzero(np.isfinite(track).all(-1).any(-1)) if stalls else every
    size = body_size(track[seen])
    share = 0.0 if thrown else None
    told = np.zeros(len(track), dtype=bool)  # frames where another person starts, told by a move or the centre
    told[seen[1:]] = switched_people(track[seen[:-1]], track[seen[1:]], size, jump, share)
    if caught := [(a, b) for a, b in stalls if b < len(track)]:
        told[[b for _, b in caught]] = switched_people(carried(track, caught), track[[b for _, b in caught]], size,
                                                       jump, share)
    told |= centre_cuts(track, size)
    if len(pairs):
        turns = half_turns(track, pairs) if turns is None else turns  # read once: the cut test's and this one's
        # a video cut: the frame after it is read against the centre's line and the body's path through the frame
        # before the cut, the other shot's (a closer shot's: the centre's speed x 2.5), and would start a span of one
        # frame; the path test reads only paths from the cut on
        video = turned_cuts(track, pairs, size, turns)
        told[1:] &= ~video[:-1]
        told |= video
    switched = (told | left_path(track, size, told))[seen[1:]]
    if len(pairs):
        # a body mirrored in depth about its pelvis moves its centre too: no other person (estimator_errors.depth_flips)
        switched &= ~depth_switches(track[seen], pair_flip(pairs, track.shape[-2]))
        # nor does a body turned half round about its pelvis and back (estimator_errors.half_turns: turned back)
        ends = [end for start, stop, _ in turns for end in (start, stop)]
        switched &= ~np.isin(seen[1:], ends)
    starts = np.zeros(len(track), dtype=bool)  # the frames another person starts at
    starts[seen[1:]] = switched
    if given is not None:
        starts |= seen_cuts(whole, given)
    # the spans hold the stalls' frames (every frame with a joint): refined as gaps (estimator_errors.stalls)
    cuts = [0, *(np.flatnonzero(starts[every[1:]]) + 1), len(every)]
    return [slice(int(every[lo]), int(every[hi - 1]) + 1) for lo, hi in zip(cuts[:-1], cuts[1:])]


def centre_switches(track: np.ndarray, size: float | None = None, turns: np.ndarray | None = None) -> np.ndarray:
    """(T,) bool: the frames t of ``track`` (T, J, C, any unit) into which the body's centre stepped as
    a switch of people moves it: the centre's second difference at t (how far it lies off the line
    through frames t - 2 and t - 1) more than :data:`CENTRE_STEP` times ``size`` (default
    :func:`body_size` of the track) and :data:`CENTRE_NOISE` times its median over the track.

    The centre is the mean of the joints seen in every frame (of every joint seen, where none is):
    an exchange of left/right labels gives the same points other names and leaves it where it was,
    whatever the pairs exchanged (one, a limb, the whole body), while a switch moves it to the other
    person, or turns its motion back (two walkers crossing). ``turns``: :func:`centre_turns` of the
    track, where read already."""
    x = np.asarray(track, np.float64)
    size = body_size(x) if size is None else size
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a frame with no joint: no centre, no switch
        off = centre_turns(x) if turns is None else turns
        usual = np.nanmedian(off) if np.isfinite(off).any() else np.nan
        return (off > CENTRE_STEP * size) & (off > CENTRE_NOISE * usual) & (size > 0)


def centre_turns(track: np.ndarray, centres: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """(T,) the second difference of the body's centre of ``track`` (T, J, C) at each frame, in its unit: how far the
    centre lies off the line through the two frames before (NaN in the first two frames and where a frame has no
    joint). The centre is the mean of the joints seen in every frame (of every joint seen, where none is);
    ``centres``: also the centres (T, C)."""
    x = np.asarray(track, np.float64)
    seen = np.isfinite(x).all(axis=(0, 2))
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a frame with no joint: no centre
        centre = x[:, seen].mean(axis=1) if seen.any() else np.nanmean(x, axis=1)
    off = np.full(len(x), np.nan)
    off[2:] = np.linalg.norm(centre[2:] - 2 * centre[1:-1] + centre[:-2], axis=-1)
    return (off, centre) if centres else off


def centre_cuts(track: np.ndarray, size: float | None = None) -> np.ndarray:
    """(T,) bool: the frames of ``track`` (T, J, C) where another person starts, told by the body's centre
    (:func:`centre_switches`) where a switch between overlapping bodies moves it by less than
    :func:`left_path` asks: the centre stepped off its line at frame t, ran along a line before it and
    along another (the other person's) after it: its second difference (:func:`centre_turns`) at the
    :data:`CENTRE_STAY` frames before t and at as many from t + 2 (the first whose three frames are all past
    the step; t + 1 turns the centre back onto the other person's line) under :data:`CENTRE_STILL` times the
    step at t. A jump or spike that comes back turns the centre again within them (a one-frame jump: +G, -2G,
    +G; its return alike, after the jump), a repeated frame too (-v, +2v, -v), and is not cut."""
    x = np.asarray(track, np.float64)
    size = body_size(x) if size is None else size
    off, centre = centre_turns(x, centres=True)
    starts = np.zeros(len(x), dtype=bool)
    for t in np.flatnonzero(centre_switches(x, size, off)[:len(x) - 3]):
        around = np.concatenate([off[max(t - CENTRE_STAY, 0): t], off[t + 2: t + 2 + CENTRE_STAY]])
        turn = np.linalg.norm((centre[t + 2] - centre[t + 1]) - (centre[t - 1] - centre[t - 2]))
        with np.errstate(invalid="ignore"):  # NaN (a frame with no joint, the first two): not still, no turn
            starts[t] = (len(around) == 2 * CENTRE_STAY and bool((around < CENTRE_STILL * off[t]).all())
                         and bool(turn > CENTRE_TURN * size) and body_stepped(x[[t - 2, t - 1, t]], off[t]))
    return starts


def body_stepped(frames: np.ndarray, off: float) -> bool:
    """Whether the centre's step off its line, ``off`` (:func:`centre_turns` at the last of ``frames`` (3, J, C)),
    moved the whole body: the median joint's own step off its line beyond :data:`LIMB_SHARE` of it. A limb that went
    onto a neighbour moves the centre by its share alone, the median joint kept to its path (a user audit, audit 13:
    an elbow and wrist on the neighbour's for 10 frames cut there, the limb then left at its segment's edge); so does
    a lost joint written at an image corner; a switch moves the whole body. No joint seen in all three: True."""
    limb = nan_median(np.linalg.norm(frames[2] - 2 * frames[1] + frames[0], axis=-1))
    with np.errstate(invalid="ignore"):
        return bool(limb > LIMB_SHARE * off) if np.isfinite(limb) else True


def without_switches(marked: np.ndarray, track: np.ndarray, size: float | None = None) -> np.ndarray:
    """``marked`` (T, P: where each of P left/right pairs of ``track`` (T, J, C) is to be exchanged)
    without the runs one of whose ends is a switch of people (:func:`centre_switches` at the jump
    into the run's first frame or out of its last, or the frame after): there the track passed to
    someone else, whose pairs the inversion step read against the first person's. A user audit
    (audit 8): two walkers crossing, their ids swapped 5 frames before the crossing (bodies
    overlapping: no cut) and back 20 frames after it (cut); the person swapped in faced the other
    way, and the hips, right all along, were exchanged for the 25 frames (80 px each)."""
    if not marked.any():
        return marked
    moved = centre_switches(track, size)
    at = moved | np.append(moved[1:], False)  # a run's end may lie a frame off the switch
    out = marked.copy()
    for p in np.flatnonzero(marked.any(axis=0)):
        for start, stop in true_runs(marked[:, p]):
            if any(at[t] for t in (start, stop) if 0 < t < len(at)):
                out[start:stop, p] = False
    return out


def whole_track(spans: list[slice], frames: int) -> bool:
    """Whether ``spans`` (:func:`track_segments`) hold a track of ``frames`` frames as one span."""
    return len(spans) == 1 and (spans[0].start or 0) == 0 and spans[0].stop in (None, frames)
