"""What a pose array's last channels hold: coordinates, or an estimator's confidence scores
(x, y plus a score; x, y, z plus a score), told from the values."""
from __future__ import annotations

import warnings

import numpy as np

from synsp.sequence import body_size

__all__ = ["NORMALISED_SHARE", "POSE_LANDMARKS", "SCORE_MAX", "WAIST_UP", "confidence_like", "constant_channel",
           "depth_channel", "depth_not_score", "depth_entry", "entry_readings", "fourth_channel_error",
           "in_score_range", "landmarks_with_z",
           "normalised_image", "score_scale", "scored_2d_frame", "third_channel", "tracks_third_channel",
           "untold_channel", "wide_score"]


def confidence_like(values: np.ndarray) -> bool:
    """Whether finite ``values`` (any shape, at least one) read as confidences: every one in
    [0, 1.5] (some estimators' scores pass 1 a little) and at least 90 % in [0, 1]."""
    return bool(values.min() >= 0 and values.max() <= 1.5 and np.mean(values <= 1) >= 0.9)


def in_score_range(values: np.ndarray) -> bool:
    """Whether finite ``values`` (any shape, at least one) all lie within [0, :data:`SCORE_MAX`], where
    an estimator's scores lie (RTMPose's SimCC scores pass 1): a channel beyond it is no score."""
    return bool(values.min() >= 0 and values.max() <= SCORE_MAX)


def depth_channel(poses: np.ndarray) -> bool:
    """Whether the third channel of (..., J, 3) ``poses`` holds finite values that are no
    confidences (:func:`confidence_like`): beside image x, y, MediaPipe's z."""
    third = np.asarray(poses)[..., 2]
    third = third[np.isfinite(third)]
    return bool(third.size and not confidence_like(third))


def fourth_channel_error(poses: np.ndarray) -> str | None:
    """Why the fourth channel of (..., J, 4) poses, read as x, y, z plus a score, is no score
    (:func:`confidence_like`); None when it is one (or holds no finite value)."""
    channel = np.asarray(poses[..., 3], dtype=np.float64)
    seen = channel[np.isfinite(channel)]
    if seen.size and not confidence_like(seen) and score_scale(seen) != PERCENT:
        return (f"a fourth channel is read as a confidence in [0, 1] (or percent), but it holds values from "
                f"{seen.min():g} to {seen.max():g}; give x, y, z only")
    return None


def constant_channel(values: np.ndarray) -> bool:
    """Whether a channel (any shape) holds one value wherever it is finite, to 1e-6 of its size:
    a padded z or a fixed score, which says nothing about a joint. False when none is finite."""
    values = np.asarray(values, np.float64)
    values = values[np.isfinite(values)]
    return values.size > 0 and bool(np.ptp(values) <= 1e-6 * max(1.0, float(np.abs(values).max())))


SCORE_MAX = 2.0  # the highest score a third channel beside pixel x, y may hold (SimCC scores pass 1)


def _moves_together(channel: np.ndarray) -> bool:
    """Whether a channel (..., T, J) moves with the body, all joints at once, as a depth does: the
    spread over time of its per-frame median is over twice its median spread over the joints of a
    frame. Scores differ between the joints of a frame (a hidden hand, a seen face) more than
    their frames' medians drift."""
    values = channel.reshape(-1, channel.shape[-1])
    seen = np.isfinite(values).sum(-1) >= 2
    if seen.sum() < 2:
        return False
    values = values[seen]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        medians = np.nanmedian(values, axis=-1)
        within = float(np.median(np.nanpercentile(values, 90, axis=-1) - np.nanpercentile(values, 10, axis=-1)))
    drift = float(np.percentile(medians, 95) - np.percentile(medians, 5))
    return drift > 2 * within


# A score beyond SCORE_MAX (percent, 0-10) beside pixel x, y, told from a depth in the body's unit. Chosen on
# validation clips (benchmarks/RESULTS.md, section 11, "Sentinels and scores beyond 2"): a score spreads over a
# frame's joints less than SHALLOW of the body's width in pixels (a height in cm, as tall as the body, does not),
# and is unrelated to the geometry where a depth keeps the
# body's bones: their lengths vary less over time with the channel as read than with it taken from half a clip
# away (under RIGID of that, 0.34-0.88 where the body turns in depth; a score: 0.99-1.02), while a score is
# unrelated to the geometry; and a score sits near its top (median over TOP_HEAVY of its largest value) or jumps
# from frame to frame (its changes over its spread across joints ROUGH times x, y's), where a depth or a height
# of a body in centimetres does neither.
PERCENT, RIGID, TOP_HEAVY, ROUGH, SHALLOW = 100.0, 0.9, 0.6, 3.0, 0.5
# Logits (an estimator's raw classification scores, negative where a joint is unlikely) beside pixel x, y: a
# channel within +-LOGIT that goes below 0 is a score when it spreads over a frame's joints under SHALLOW_SIGNED
# of the body's width or height and keeps none of its bones (RIGID). Its sign says nothing (a depth about the hips
# goes below 0 too) and logits may vary as smoothly as a depth, so the spread carries it: validation
# (benchmarks/RESULTS.md, section 11, "Logits beside pixels"), 17 clips, a body's depth in cm or dm about its
# hips spreads 0.101-0.287 of its width or height, logits (smooth, per frame, x3) 0.003-0.044.
LOGIT, SHALLOW_SIGNED = 15.0, 0.05


def _bone_rigidity(x: np.ndarray) -> float:
    """For (T, J, 3) poses: the median variation over time of the quarter of joint-pair distances that vary
    least relative to their length (the bones), with the third channel as read, over the same with the channel
    taken half a clip away; about 1 when the channel has nothing to do with the body's geometry."""
    def spread(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        iu = np.triu_indices(p.shape[1], 1)
        d = np.linalg.norm(p[:, iu[0]] - p[:, iu[1]], axis=-1)  # (T, pairs)
        return np.nanstd(d, axis=0), np.nanmean(d, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sd, mean = spread(x)
        rolled = x.copy()
        rolled[..., 2] = np.roll(x[..., 2], len(x) // 2, axis=0)
        sd_rolled, _ = spread(rolled)
        ok = np.flatnonzero(np.isfinite(sd) & np.isfinite(sd_rolled) & (mean > 0.2 * np.nanmedian(mean)))
        if ok.size < 3:
            return 1.0
        bones = ok[np.argsort(sd[ok] / mean[ok])[:max(3, ok.size // 4)]]
        return float(np.median(sd[bones]) / max(float(np.median(sd_rolled[bones])), 1e-12))


def _roughness(x: np.ndarray) -> float:
    """For (T, J, 3) poses: the third channel's median change between frames over its median spread over a
    frame's joints, over the same for the rougher of x and y (a depth moves as x, y do; a score jumps)."""
    def rough(v: np.ndarray) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.nanmedian(np.nanpercentile(v, 90, axis=-1) - np.nanpercentile(v, 10, axis=-1))
            return float(np.nanmedian(np.abs(np.diff(v, axis=0))) / max(float(spread), 1e-12))
    return rough(x[..., 2]) / max(rough(x[..., 0]), rough(x[..., 1]), 1e-12)


def wide_score(poses: np.ndarray) -> bool:
    """Whether the third channel of one entry's (T, J, 3) ``poses``, x, y spanning tens of units, holds a
    score beyond [0, :data:`SCORE_MAX`] (percent, 0-10, logits) rather than a depth: all of it within [0,
    :data:`PERCENT`], spread over a frame's joints under :data:`SHALLOW` of x's or y's, no bone kept by it
    (:func:`_bone_rigidity` >= :data:`RIGID`), and near its top or jumping between frames (:data:`TOP_HEAVY`,
    :func:`_roughness` >= :data:`ROUGH`); or, going below 0, within +-:data:`LOGIT`, spread under
    :data:`SHALLOW_SIGNED` of x's or y's and keeping no bone (logits)."""
    x = np.asarray(poses, dtype=np.float64)
    channel = x[..., 2][np.isfinite(x[..., 2])]
    signed = bool(channel.size) and channel.min() < 0
    if not channel.size or len(x) < 4 or (np.abs(channel).max() > LOGIT if signed else channel.max() > PERCENT):
        return False
    with warnings.catch_warnings():  # the channel's spread over a frame's joints against x's and y's
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmedian(np.nanpercentile(x, 90, axis=-2) - np.nanpercentile(x, 10, axis=-2), axis=0)  # (3,)
    if not spread[2] < (SHALLOW_SIGNED if signed else SHALLOW) * max(spread[0], spread[1]) or _bone_rigidity(x) < RIGID:
        return False  # as deep as the body is wide (a height in cm), or keeping its bones: a coordinate
    return signed or bool(np.median(channel) >= TOP_HEAVY * channel.max() or _roughness(x) >= ROUGH)


def score_scale(values: np.ndarray) -> float | None:
    """What finite scores ``values`` (any shape) are divided by to compare with a threshold in [0, 1]: 1 for
    scores within [0, :data:`SCORE_MAX`], :data:`PERCENT` for percent (within [0, 100], beyond 10), None for
    any other (0-10, logits): no threshold can be told for them. 1 when none is finite."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if not values.size or in_score_range(values):
        return 1.0
    return PERCENT if values.min() >= 0 and 10 < values.max() <= PERCENT else None


# Image landmarks normalised by the image's sides lie in [0, 1], a joint out of the picture a little
# outside; world landmarks are hip-centred metres, about half of x and y below 0.
NORMALISED_SHARE = 0.9


def normalised_image(poses: np.ndarray, share: float = NORMALISED_SHARE) -> bool:
    """Whether the x, y of ``poses`` (..., C) look like MediaPipe's normalised image landmarks: at
    least ``share`` of the finite values within [0, 1] and none beyond [-1, 2]."""
    xy = np.asarray(poses)[..., :2]
    xy = xy[np.isfinite(xy)]
    return bool(xy.size and ((xy >= 0) & (xy <= 1)).mean() >= share and (np.abs(xy - 0.5) <= 1.5).all())


# MediaPipe Pose's 33 image landmarks saved with their z: a waist-up view's legs lie below the picture
# (the demo, zoomed 1.5-2.5 x about the hips: 0.87-0.88 of x, y within [0, 1]), so this share is
# enough for them, while their world landmarks, the one 3D body of 33 joints, are hip-centred metres
# (0.49 within).
POSE_LANDMARKS, WAIST_UP = 33, 0.75


def landmarks_with_z(poses: np.ndarray) -> bool:
    """Whether (..., J, 3) ``poses`` read as MediaPipe Pose's image landmarks with their z: 33 joints,
    x, y normalised by the image's sides (:func:`normalised_image` at :data:`WAIST_UP`) and a third
    channel that is no score (:func:`confidence_like`): x, y to refine in 2D, z to give back."""
    x = np.asarray(poses)
    return x.shape[-1] == 3 and x.shape[-2] == POSE_LANDMARKS and depth_channel(x) and normalised_image(x, WAIST_UP)


def third_channel(poses: np.ndarray) -> str | None:
    """What the third channel of (..., T, J, 3) poses that come without confidences holds:
    ``"confidence"`` (x, y in pixels plus a score), ``"z"`` (3D), ``"constant"`` (one value
    everywhere: a padded z or a fixed score; either way x, y are a 2D pose and the channel
    carries nothing to refine), or None when it cannot be told.

    The rule, from cues that a 3D skeleton in any unit does not show all at once:

    - ``"confidence"`` needs all three: (1) x, y span a person far beyond 1: the median
      per-frame bounding-box side of x, y is at least 20 (pixels; a person in metres or in
      normalised image coordinates spans < 3); (2) the channel stays in [0, ``SCORE_MAX``]
      (2: RTMPose's and RTMW's SimCC scores are no probabilities and pass 1, to 1.1-1.7); (3) the
      channel varies (else ``"constant"``: no body has one depth for every joint in every frame)
      and, unless it is :func:`confidence_like` (within [0, 1.5], 90 % in [0, 1]), does not move
      with the body (:func:`_moves_together`: a depth in metres beside pixels does, all joints at
      once, as the person comes nearer; so do scores falling together, as a person walks away, into
      shade or out of the picture, which is why a channel within [0, 1] is a score whatever its
      drift: a depth of 0-1 m beside a whole body in pixels is no camera's). Together (1) and (2) mean the
      channel's spread is under 10 % of the body's, while in 3D the three coordinates share one
      unit and a body's depth is a sizeable part of its height in any posture; so a channel that
      is in [0, 2] only because it is small is not read as a score.
    - ``"z"``: the channel leaves [0, 2] with x, y in pixels, or is not confidence-like (values
      outside [0, 1.5]) with x, y smaller that do not read as normalised image coordinates
      (MediaPipe's z beside them is no 3D body's), or x, y span < 3 units and do not read as
      normalised image coordinates (:func:`normalised_image`; a skeleton in metres whose z happens
      to lie in [0, 1]).
    - None otherwise, e.g. x, y and the channel all in [0, 1] (normalised image coordinates
      with a score, or a skeleton in metres in the positive octant), or a channel in [0, 2] that
      passes 1.5 (or 1 for over 10 % of its values) and moves with the body: the caller asks the
      user (``--space`` for a file, ``space=`` for :func:`synsp.refine`).
    """
    x = np.asarray(poses, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        channel = x[..., 2][np.isfinite(x[..., 2])]
    if channel.size == 0:
        return None
    if constant_channel(channel):
        return "constant"
    span = body_size(x[..., :2])
    if np.isfinite(span) and span >= 20 and in_score_range(channel):
        # within [0, 1.5] (90 % in [0, 1]) beside a body tens of units across, the channel cannot be
        # its depth in the body's unit, whatever its drift: scores that fall together (a person walking
        # away, into shade, partly out of the picture; OpenPose's 0 for a joint not found) were read
        # as undecided and refined as a 3D body (a user's audit). Only a channel in (1, 2] beside
        # pixels (a depth in metres, or SimCC scores) is told by whether it moves with the body.
        return "confidence" if confidence_like(channel) or not _moves_together(x[..., 2]) else None
    if np.isfinite(span) and span >= 20 and wide_score(x.reshape((-1,) + x.shape[-2:])):
        return "confidence"  # percent or 0-10 beside pixels, no depth of the body (a user's audit: read as z)
    if not confidence_like(channel):  # (a confidence-like channel beside pixels was decided above)
        # beside x, y normalised by an image's sides, MediaPipe's z (hip-centred, in x's scale): no 3D body
        return None if normalised_image(x) else "z"
    if np.isfinite(span) and span < 3 and not normalised_image(x):
        # MediaPipe's landmarks of a joint just outside the picture lie a little beyond [0, 1]
        return "z"
    return None


def entry_readings(poses: np.ndarray) -> dict[int, str | None]:
    """:func:`third_channel` of each entry (a person, a view) of (V, T, J, 3) ``poses``, each read
    as if passed alone (V = 1 for (T, J, 3) poses), by index; an entry whose third channel holds no
    finite value (a person absent) says nothing and is left out. Read per entry, since a person's
    scores that drift beside others' that do not were told by the others, and undecided alone."""
    x = np.asarray(poses)
    entries = x.reshape((-1,) + x.shape[-3:])
    return {v: third_channel(entry) for v, entry in enumerate(entries) if np.isfinite(entry[..., 2]).any()}


def tracks_third_channel(poses: np.ndarray) -> str | None:
    """One reading of the third channel of (V, T, J, 3) ``poses`` from its entries'
    (:func:`entry_readings`): "z" or "constant" when every entry reads so, "confidence" when every
    one reads as a score (some constant, some not), None when one cannot be told, they disagree
    (a score beside a z) or no entry holds a finite value."""
    kinds = set(entry_readings(poses).values())
    if not kinds or None in kinds or "z" in kinds and len(kinds) > 1:
        return None
    return kinds.pop() if len(kinds) == 1 else "confidence"


def untold_channel(poses: np.ndarray) -> str:
    """The question a third channel of (..., J, 3) ``poses`` that cannot be told leaves, with its range, for the
    one-line errors of :func:`synsp.refine` and ``synsp refine``."""
    channel = np.asarray(poses)[..., 2]
    channel = channel[np.isfinite(channel)]
    return (f"cannot tell whether the third channel (values {channel.min():g} to {channel.max():g}) is a score "
            "beside x, y or the z of a 3D pose")


def depth_not_score(poses: np.ndarray, reading: str | None) -> str | None:
    """Why the third channel of one entry's (T, J, 3) ``poses``, said to be a score (``space="2d"``), is no
    score but a depth (a 3D pose passed as 2D), or None. ``reading`` is the caller's :func:`third_channel` of
    ``poses`` (:func:`entry_readings` has it; read once). Only a channel that reads as a depth
    (``reading`` "z") and lies in no score's scale is: not [0, :data:`SCORE_MAX`] (OpenPose's and
    RTMPose's scores pass 1), percent, nor 0-10 or logits as :func:`wide_score` tells them. Validation, 6 clips:
    every 3D pose (root-relative, world, camera; mm or m) reads so, no score (0-1, 0-1.7, 0-1.2, percent, 0-10,
    logits) does (/work/exp/apifix2/scores.py); a depth within [0, 2] (metres, all in front) cannot be told."""
    if reading != "z":
        return None
    x = np.asarray(poses, dtype=np.float64)
    third = x[..., 2][np.isfinite(x[..., 2])]
    if not third.size or score_scale(third) is not None or wide_score(x):
        return None
    return (f"the third channel holds values from {third.min():g} to {third.max():g} that move with the body as a "
            f"depth does, in no score's scale (0 to {SCORE_MAX:g}, percent)")


def depth_entry(poses: np.ndarray, readings: dict[int, str | None] | None = None) -> tuple[int, str] | None:
    """The first entry of (T, J, 3) or (V, T, J, 3) ``poses`` said to hold x, y and a score (``space="2d"``,
    ``--space 2d``) whose third channel is a depth instead, and why (:func:`depth_not_score`), or None.
    ``readings`` is :func:`entry_readings` of ``poses`` when the caller has it."""
    x = np.asarray(poses)
    readings = entry_readings(x) if readings is None else readings
    for v, entry in enumerate(x.reshape((-1,) + x.shape[-3:])):
        why = depth_not_score(entry, readings.get(v))
        if why is not None:
            return v, why
    return None


def scored_2d_frame(kp: np.ndarray) -> bool:
    """Whether keypoints (J, 3) of one frame read as [x, y, confidence] in pixels, as offline refine
    reads them (:func:`third_channel`), a fixed score included (no body has one depth): a live
    stream's check (:mod:`synsp.integrations.stream`) that a 3D stream is not given 2D keypoints."""
    reading = third_channel(kp[None])
    if reading == "constant":
        third = kp[:, 2][np.isfinite(kp[:, 2])]
        return confidence_like(third) and body_size(kp[None, :, :2]) >= 20
    return reading == "confidence"
