"""Where a video cut: to another side of the person, or to another moment; the whole body jumped in one frame and
stayed so.

An edited video (a reverse shot, a broadcast cutting between cameras, a tracking camera that
keeps the athlete centred) turns the body's orientation by a large angle between two frames
while its position stays: the track is not cut by :mod:`synsp.estimator_errors.track_switches`,
and the steps that undo an estimator's errors read the turn as one (left and right exchanged for
whole stretches, an arm "astray" filled 0.9 m from where it was; benchmarks/RESULTS.md, section 4,
"A cut to another side of the body"). A cut in time (clips joined, a highlight reel, a root-relative
3D estimator's output across any edit, whose position never jumps) changes the pose as well: two
runs joined, the second turned by 180 degrees, read as the first with every label exchanged
(RESULTS section 4, "A cut in time"). :func:`turned_cuts` tells such cuts from those errors:

- most joints jump at once (the median joint, less the body's own move), by more than :data:`CUT_STEP`
  body sizes and :data:`CUT_NOISE` times the track's median step; a limb astray, a glitch or a limb on a
  neighbour moves a few joints, not most of them;
- the body stays as it is after the jump, for :data:`CUT_STAY` frames: as far from the pose before it,
  and nearer the pose after it than the pose before (a glitch comes back);
- 3D: the jump is a rigid turn of :data:`CUT_ANGLE` degrees or more: the best proper rotation of the
  pose before onto the pose after leaves less than the jump's limit, and fits better than one onto the
  pose after with its left/right labels exchanged (a mirror image, which an estimator's whole-body flip
  gives and no turn does; :mod:`synsp.estimator_errors.body_flips`), nor is the body's mirror in depth
  (:func:`~synsp.estimator_errors.depth_flips.depth_switches`: an estimator's depth ambiguity, mirrored back
  by the measurement step; 40 frames so were cut, each span refined in the wrong reading); and every other jump within
  :data:`CUT_RETURN` frames is such a turn too (MediaPipe's world landmarks of README's demo turn the
  body 162 degrees for frames 68-71, a poor fit, and back: an estimator's flip, undone as one);
  nor either end of a body turned half round for up to
  :data:`~synsp.estimator_errors.half_turns.TURN_FRAMES` frames and back
  (:func:`~synsp.estimator_errors.half_turns.half_turns`: an estimator reading the back as the front). A jump
  with no other within :data:`CUT_RETURN` frames either side, nor the track's edge, need not be rigid (the
  pose changed with the turn: the rotation need only fit better than the mirror), and is a cut in time
  without any turn when it is one under either labelling, as the frames after it stay;
- 2D, where a body turned by 180 degrees looks nearly like its labels exchanged: the jump is one
  under either labelling (a flip's is none once exchanged back), and no other jump comes within
  :data:`CUT_RETURN` frames before or after it (an estimator's flip comes back), nor the track's edge.
  A 2D cut and a cut back within a second are read as a flip;
- a cut to a closer or wider shot (a broadcast cutting to a close-up), 2D or 3D: the body's size (the distances
  between its joints, :func:`size_change`) changed by :data:`ZOOM_STEP` times or more in one frame and was not undone
  (:func:`zoomed`), whatever the other jumps around it: a fast mover's steps near it read as a flip's ends.

:func:`synsp.estimator_errors.track_switches.track_segments` cuts a track there, as at a jump in
position, when it is given the layout's left/right pairs (the networks' routes, which undo the
estimator's errors), and each span is refined alone. A live stream runs the same test of each jump
(:func:`cut_at`) on the frames that have arrived (:mod:`synsp.inference.stream_cuts`).
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from synsp.estimator_errors.depth_flips import depth_switches
from synsp.medians import nanmedian
from synsp.sequence import body_size
from synsp.skeleton.layout_type import pair_flip

__all__ = ["CUT_STEP", "CUT_NOISE", "CUT_STAY", "CUT_ANGLE", "CUT_RETURN", "CUT_OTHER", "turned_cuts",
           "jump_sizes", "turn_fits", "cut_at", "cut_note", "rigid_fit", "rotation_angle", "TurnFit", "turn_and_mirror",
           "ZOOM_STEP", "ZOOM_SHARE", "ZOOM_JOINTS", "size_change", "zoomed"]

# Set on validation clips cut to another side (`benchmarks/body_cuts.py --found`; RESULTS section 4): 3D,
# every cut of 90-180 degrees found (all 65 clips, cut at a third and back at two thirds, or to the end),
# 111 of 195 of 60 degrees; 2D, 63-71 of the 130 cuts of 90-180 degrees and back and 33-35 of the 65 to
# the end: 83-93 % of those in the 38 clips of 93 frames or more (the rest lie within CUT_RETURN of a
# clip's edge or of the cut back). No frame cut in any clip of `none`, `typical`, `hard` or `jitter`
# input, 2D or 3D, nor at the flips of benchmarks/body_flips.py (4 frames three times, 1 s, 3 s), nor in
# clean motion 2 or 3 times as fast or with white noise.
CUT_STEP = 0.03  # body sizes: the median joint's jump
CUT_NOISE = 3.0  # times the track's median step (of the median joint)
CUT_STAY = 5  # frames after the jump that stay turned
CUT_ANGLE = 45.0  # degrees (3D): the least turn
CUT_RETURN = 30  # frames (2D): no other jump so soon after (an estimator's flip of up to 1 s comes back)
CUT_OTHER = 0.75  # ... of this share of the limit or more (a flip's other end may be less sharp)
# A cut to a closer or wider shot (a broadcast cutting to a close-up): before this test, a fast mover's zoom about the
# body's centre was refined across (dash_tired 2.5 x bigger: 33 px for 2 frames; RESULTS section 4, "A cut to a
# closer or wider shot"). No body's joints do that: on the 65 val clips (`none`, `clean-ish`, `typical`, `jitter`,
# `hard`, 2D and 3D; `benchmarks/zoom_cuts.py --found`), 3 times as fast, turning at 3 turns a second, walking towards
# the camera (1 -> 2.5 x over the clip), ZOOM_SHARE of the distances changed one way by at most 1.06 x in a frame that
# was kept (:func:`zoomed`); every zoom of 1.5, 2, 2.5 and 0.4 x at the middle of the 65 `jitter` clips is cut.
ZOOM_STEP = 1.3  # times: the least change of the body's size in one frame
ZOOM_SHARE = 0.75  # of the distances between two joints (both seen in both frames) changed so, all one way
# A zoom scales every distance, so a sample of the joints reads it: every pair of a 543-joint layout (MediaPipe
# Holistic) took 6.8 s and 2.2 GB for 300 frames (RESULTS section 4, "A cut to a closer or wider shot"). Over this
# many joints seen in both frames, this many spread evenly along the layout's list (body, face, hands each keep
# their share); a layout of this many joints or fewer (the 17-33 of the val clips and the body layouts) uses all.
ZOOM_JOINTS = 32


def jump_sizes(before: np.ndarray, after: np.ndarray, flip: np.ndarray) -> np.ndarray:
    """(..., 2) the median over the joints of how far each moved from ``before`` to ``after``
    (..., J, C), less the median move of the joints seen in both (the body's move along its path):
    with the labels kept, and with ``after``'s left/right labels exchanged (``flip``: (J,) the index of
    each joint's partner, its own for a midline joint). NaN where no joint is seen in both."""
    both = np.isfinite(before).all(-1) & np.isfinite(after).all(-1) & np.isfinite(after[..., flip, :]).all(-1)
    moved = np.stack([after, after[..., flip, :]], axis=-3)  # (..., 2, J, C): both labellings at once
    a, b = (np.where(both[..., None, :, None], p, np.nan) for p in (before[..., None, :, :], moved))
    with np.errstate(invalid="ignore"):
        moves = b - a
        moves -= nanmedian(moves, axis=-2, keepdims=True)  # the body's own move: a median, which two joints
        return nanmedian(np.linalg.norm(moves, axis=-1), axis=-1)  # on a neighbour do not shift


def turn_fits(before: np.ndarray, after: np.ndarray, flip: np.ndarray, within: float = np.inf) -> float:
    """The angle (degrees) of the best proper rotation of ``before`` (J, 3) onto ``after``, both centred,
    when it fits: its root mean squared distance is under ``within``, and less than the best one's onto
    ``after`` with its left/right labels exchanged (``flip``): a turn of the body, not its mirror image
    nor a pose read wrong; else 0. Joints not seen in both are left out (0 with fewer than 4)."""
    fits = turn_and_mirror(before, after, flip)
    if fits is None:
        return 0.0
    return rotation_angle(fits.rotation) if fits.residual < min(within ** 2, fits.mirrored) else 0.0


class TurnFit(NamedTuple):
    """:func:`turn_and_mirror`'s fits of one pose onto another."""

    p: np.ndarray  # (N, C) the joints of ``before`` kept, about their mean
    q: np.ndarray  # (N, C) the same joints of ``after``, about their mean
    rotation: np.ndarray  # (C, C) the best proper rotation of p onto q (p @ rotation)
    residual: float  # the mean squared distance it leaves
    mirrored: float  # the one the best rotation onto ``after`` with its left/right labels exchanged leaves


def turn_and_mirror(before: np.ndarray, after: np.ndarray, flip: np.ndarray) -> TurnFit | None:
    """The best proper rotation of ``before`` (J, C) onto ``after``, C = 2 or 3, and the best one onto ``after`` with
    its left/right labels exchanged (``flip``), joints not seen in all three left out (:class:`TurnFit`); None with
    fewer than 4 joints."""
    both = np.isfinite(before).all(-1) & np.isfinite(after).all(-1) & np.isfinite(after[flip]).all(-1)
    if both.sum() < 4:
        return None
    p, q = before[both] - before[both].mean(axis=0), after[both] - after[both].mean(axis=0)
    rotation, residual = rigid_fit(p, q)
    return TurnFit(p, q, rotation, residual, rigid_fit(p, after[flip][both])[1])


def rigid_fit(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, float]:
    """The best proper rotation (C, C) of ``p`` (N, C) onto ``q`` (``p @ rotation``), both centred, rows with NaN
    left out (Kabsch), and the mean squared distance it leaves; C = 2 or 3."""
    ok = np.isfinite(p).all(-1) & np.isfinite(q).all(-1)
    p, q = p[ok] - p[ok].mean(axis=0), q[ok] - q[ok].mean(axis=0)
    u, _, vt = np.linalg.svd(p.T @ q)
    d = np.eye(p.shape[1])
    d[-1, -1] = np.sign(np.linalg.det(u @ vt)) or 1.0
    rotation = u @ d @ vt
    return rotation, float(((p @ rotation - q) ** 2).sum(axis=-1).mean())


def rotation_angle(rotation: np.ndarray) -> float:
    """A rotation's (3, 3) angle, degrees (of a (2, 2) one: the same formula, as the cut test reads it)."""
    return float(np.degrees(np.arccos(np.clip((np.trace(rotation) - 1) / 2, -1.0, 1.0))))


def turned_cuts(track: np.ndarray, pairs: Sequence[tuple[int, int]], size: float | None = None,
                turns: Sequence[tuple[int, int, np.ndarray]] | None = None) -> np.ndarray:
    """(T,) bool: the frames of ``track`` (T, J, C; NaN where not seen) at which the video cut to another
    side of the body or to another moment (module docstring); ``pairs``: the layout's (left, right) joint
    pairs; ``size``: the person's size (default :func:`body_size` of the track); ``turns``: the track's spans turned
    half round and back, (start, stop, rotation) each (default :func:`~synsp.estimator_errors.half_turns.half_turns`
    of it, read here; a caller that reads them too passes its own). Only frames in a row are read: the jump
    from the frame before, and the :data:`CUT_STAY` frames after it."""
    x = np.asarray(track, np.float64)
    t_count, j_count = x.shape[:2]
    cuts = np.zeros(t_count, dtype=bool)
    if not len(pairs) or t_count < CUT_STAY + 3:
        return cuts
    flip = pair_flip(pairs, j_count)
    size = body_size(x) if size is None else size
    # 2D: a jump under either labelling (a flip's is none once exchanged back); 3D: the mirror test tells a flip
    flat = x.shape[-1] != 3
    both = jump_sizes(x[:-1], x[1:], flip)  # (T - 1, 2): frame t - 1 to t at row t - 1, labels kept and exchanged
    steps = both.min(axis=-1) if flat else both[:, 0]
    with _quiet():
        usual = np.nanmedian(steps) if np.isfinite(steps).any() else np.nan
    limit = max(CUT_STEP * size, CUT_NOISE * usual)
    if not np.isfinite(limit) or limit <= 0:
        return cuts
    zooms = np.abs(size_change(x[:-1], x[1:])) >= np.log(ZOOM_STEP)  # a closer or wider shot, at any pace
    with np.errstate(invalid="ignore"):
        jumped = np.flatnonzero((steps > limit) | zooms) + 1  # frames t that jumped from t - 1
    mirrored = depth_switches(x, flip)  # 3D: a jump the body's mirror in depth explains is an estimator's (depth_flips)
    # 3D: a body turned half round for a few frames and back is an estimator's too, turned back by the measurement step
    if turns is None and not flat:
        from synsp.estimator_errors.half_turns import half_turns  # here: that module reads jumps as this one does
        turns = half_turns(x, pairs)
    ends = {end for start, stop, _ in turns for end in (start, stop)} if not flat else set()
    for t in jumped:
        if not cuts[max(t - CUT_STAY, 0):t].any() and not mirrored[t - 1] and t not in ends:
            cuts[t] = cut_at(x, t, steps, both, limit, flip)
    return cuts


def cut_at(x: np.ndarray, t: int, steps: np.ndarray, both: np.ndarray, limit: float, flip: np.ndarray,
           ends: tuple[bool, bool] = (True, True), stay: int = CUT_STAY) -> bool:
    """Whether the jump into frame ``t`` of ``x`` (T, J, C; NaN where not seen) is a cut (module docstring):
    ``steps`` (T - 1,) the jumps of :func:`turned_cuts` (2D: the lesser of ``both``, 3D: labels kept), ``both``
    (T - 1, 2) :func:`jump_sizes` of each frame from the one before, ``limit`` a jump's least size, ``flip`` (J,)
    each joint's left/right partner. ``ends``: whether ``x``'s first and last frames are the track's (a stream's
    newest frame is not: the frames after it have not arrived, and the test reads those that have); ``stay``:
    the frames after the jump that must stay (:data:`CUT_STAY`; a stream of less latency reads fewer)."""
    t_count, flat = len(x), x.shape[-1] != 3
    if t < 2 or stay < 1 or t + stay >= t_count:
        return False
    if zoomed(x, t, stay):
        return True  # a closer or wider shot: told by the body's size alone, whatever the other jumps around it
    if not steps[t - 1] > limit:
        return False  # no jump of the pose (a change of size that did not stay)
    lo = max(t - CUT_RETURN, 1)
    others = [u for u in np.flatnonzero(steps[lo - 1: t + CUT_RETURN] > CUT_OTHER * limit) + lo if u != t]
    alone = (t >= CUT_RETURN or not ends[0]) and (t < t_count - CUT_RETURN or not ends[1]) and not others
    if flat and not alone:
        return False  # 2D: the start or the end of a flip of up to CUT_RETURN frames (its other end maybe less sharp)
    if any(turn_fits(x[u - 1], x[u], flip, limit) < CUT_ANGLE for u in others):
        return False  # 3D: beside a jump that is no turn (an estimator's flip that came back, a part of it)
    later = x[t + 1: t + 1 + stay]
    away = jump_sizes(np.broadcast_to(x[t - 1], later.shape), later, flip)  # from the pose before, (stay, 2)
    near = jump_sizes(np.broadcast_to(x[t], later.shape), later, flip)[:, 0]  # from the pose after
    with np.errstate(invalid="ignore"):
        stays = [(moved > limit).all() and (near < moved).all() for moved in (away[:, 0], away.min(axis=-1))]
    if flat:
        return bool(stays[1])
    if stays[0] and turn_fits(x[t - 1], x[t], flip, np.inf if alone else limit) >= CUT_ANGLE:
        return True  # a turn alone in its second need not be rigid (the pose changed too); a mirror fits worse
    if not ends[1] and _mirrored(x[t - 1], x[t], flip):
        return False  # a stream (the second after not arrived): an estimator's flip, which offline sees come back
    # a cut in time: alone, and no exchange of labels explains the jump nor where the body stays
    return bool(alone and both[t - 1].min() > limit and stays[1])


def size_change(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(...,) the log of the factor by which :data:`ZOOM_SHARE` of the distances between two joints of ``before``
    (..., J, C) grew into ``after`` (> 0), or shrank (< 0; its 1 - ZOOM_SHARE quantile), pairs of joints seen in
    both (over :data:`ZOOM_JOINTS` joints, among that many of them, :func:`_spread`); 0 where they did neither or no
    pair is seen. A zoom scales every distance by its factor; a body's own move
    changes a few (a limb's), and a person's turn or a limb astray fewer than ZOOM_SHARE of them one way."""
    before, after = _spread(before, after)
    return _size_factor(_log_distances(after) - _log_distances(before))


def _spread(before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``before`` and ``after`` (..., J, C) as they are with :data:`ZOOM_JOINTS` joints or fewer, else (...,
    ZOOM_JOINTS, C) each: per frame, that many of the joints seen in both, evenly spread along the joints' order
    (fewer seen: all of them, the rest unseen ones, which give no pair). Memory linear in the frames."""
    if before.shape[-2] <= ZOOM_JOINTS:
        return before, after
    seen = np.isfinite(before).all(-1) & np.isfinite(after).all(-1)  # (..., J)
    order = np.argsort(~seen, axis=-1, kind="stable")  # the joints seen in both first, in the layout's order
    count = np.maximum(seen.sum(axis=-1, keepdims=True), ZOOM_JOINTS)  # (..., 1)
    picked = np.take_along_axis(order, np.arange(ZOOM_JOINTS) * count // ZOOM_JOINTS, axis=-1)[..., None]
    return np.take_along_axis(before, picked, axis=-2), np.take_along_axis(after, picked, axis=-2)


def _log_distances(x: np.ndarray) -> np.ndarray:
    """(..., J (J - 1) / 2) the log of the distance between each two joints of ``x`` (..., J, C); NaN where either is
    not seen or both are at one place (no evidence)."""
    i, j = np.triu_indices(x.shape[-2], 1)
    v = x[..., i, :] - x[..., j, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 0.5 * np.log(np.einsum("...c,...c->...", v, v))
    out[~np.isfinite(out)] = np.nan
    return out


def _size_factor(ratio: np.ndarray) -> np.ndarray:
    """:func:`size_change` of the log ratios ``ratio`` (..., P) of the distances (NaN: no evidence)."""
    # numpy's nanquantile, linear, by one sort (NaN last): its own goes row by row (30 s for a 30-minute track)
    ordered, seen = np.sort(ratio, axis=-1), np.count_nonzero(~np.isnan(ratio), axis=-1)[..., None]
    grew, shrank = (_at(ordered, share, seen) for share in (1 - ZOOM_SHARE, ZOOM_SHARE))
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(np.where(grew > 0, grew, np.where(shrank < 0, shrank, 0.0)))


def _at(ordered: np.ndarray, share: float, seen: np.ndarray) -> np.ndarray:
    """(...,) the ``share`` quantile of the first ``seen`` (..., 1) values of ``ordered`` (..., N), sorted along its
    last axis, linear between the two values either side, as :func:`numpy.nanquantile` (NaN where none is seen)."""
    last = np.maximum(seen - 1, 0)
    rank = share * last
    low = np.floor(rank).astype(int)
    a = np.take_along_axis(ordered, low, axis=-1)
    b = np.take_along_axis(ordered, np.minimum(low + 1, last), axis=-1)
    return (a + (rank - low) * (b - a))[..., 0]


def zoomed(x: np.ndarray, t: int, stay: int = CUT_STAY) -> bool:
    """Whether the video cut to a closer or wider shot at frame ``t`` of ``x`` (T, J, C; NaN where not seen): the
    body's size (:func:`size_change`) changed by :data:`ZOOM_STEP` times or more from frame t - 1 into frame t; it did
    not go back by half that (in log) from frame t into any of the ``stay`` frames after it (a glitch comes back), nor
    had it come the other way by half that into frame t - 1 from any of the ``stay`` before it (a glitch's return).
    Each change is read across one frame, or from the frame either side of the cut: a fast mover's pose changes too
    much over a few frames for its distances to keep one factor (read from the frame before the cut to each of the
    frames after, 2 of the 65 val clips zoomed 1.5 x, a dash and a run, were missed); a person walking towards the
    camera grows a few % a frame."""
    if t < 1 or t + stay >= len(x):
        return False
    jump = float(size_change(x[t - 1], x[t]))
    later, earlier = x[t + 1: t + 1 + stay], x[max(t - 1 - stay, 0): t - 1]
    back = np.sign(jump) * size_change(np.broadcast_to(x[t], later.shape), later)
    came = np.sign(jump) * size_change(earlier, np.broadcast_to(x[t - 1], earlier.shape))
    return bool(abs(jump) >= np.log(ZOOM_STEP) and (back > -abs(jump) / 2).all() and (came > -abs(jump) / 2).all())


def _mirrored(before: np.ndarray, after: np.ndarray, flip: np.ndarray) -> bool:
    """Whether ``after`` (J, 3) is nearer ``before``'s mirror image than any turn of it: the best proper rotation
    of ``before`` onto ``after`` with its left/right labels exchanged (``flip``) fits better than onto ``after``
    (validation: 3 of 4 whole-body flips of 8-11 frames in `typical` and `hard`, none of 23 joins of clips)."""
    fits = turn_and_mirror(before, after, flip)
    return fits is not None and fits.mirrored < fits.residual


def cut_note(cuts: list[tuple[int, int]], fps: float | None, times: np.ndarray | None = None) -> str | None:
    """The summary's line on ``cuts`` ((track, frame) each) where a track was cut at a turn of the whole
    body (:func:`turned_cuts`); ``fps`` the file's rate (None: not given), ``times`` (T,) s the file's own times of
    its frames where it has a time column, even or not (a phone's Time column, a clock that starts at 5 s: frame /
    fps is not the time there), said instead.
    None without any."""
    if not cuts:
        return None

    def when(t: int) -> str:
        return f" ({times[t]:.2f} s)" if times is not None else f" ({t / fps:.2f} s)" if fps else ""

    where = ", ".join(f"track {v} frame {t}" + when(t) for v, t in cuts[:6])
    more = f" and {len(cuts) - 6} more" if len(cuts) > 6 else ""
    return (f"cuts: the whole body jumped in one frame and stayed so at {where}{more} (a video cut to another side "
            "of the person, another moment, or a closer or wider shot); refined as separate spans, not undone as an "
            "estimator's left/right exchange")


@contextmanager
def _quiet():
    """Silence numpy's warnings on all-NaN slices (a joint not seen: no evidence)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
