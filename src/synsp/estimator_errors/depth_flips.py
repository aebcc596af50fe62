"""A body mirrored front to back in depth: frames a monocular 3D estimator read the wrong way along the camera's axis.

From one picture a body and its mirror image through a plane facing the camera give the same image: every joint's
depth about the pelvis flipped (``z - z_pelvis`` negated), every bone's length kept, the labels right. Monocular 3D
estimators fall into this for runs of frames (depth ambiguity). Neither the left/right inversions
(:mod:`synsp.estimator_errors.inversions`) nor the cuts (:mod:`synsp.estimator_errors.body_cuts`) read it: the
frames are a body turned by 180 degrees *and* mirrored, no turn and no exchange of labels (audit 16, finding 5:
20 frames so, hit values input 145 mm, SynSP 136, SmoothNet 134).

:func:`depth_flips` reads the steps between frames: between two frames of one reading the joints' depths about the
pelvis correlate near +1 (the body moves little in a frame), across a mirror near -1. A step whose correlation is
below :data:`FLIP_R`, both its frames' depth profiles standing :data:`FLIP_DEPTH` times above the depth's noise
(a body seen flat from the front, whose mirror image is itself, votes for nothing), changes the reading. Which
reading is the body's, the handedness tells (:func:`handedness`: the nose in front of the head, the front told by
the left-to-right and upward axes, is behind it in a mirror image); without a nose, or where it tells the two
readings apart by less than :data:`HAND_MARGIN` of the frames, the reading most frames hold is the track's own. The
others are mirrored back (:func:`unflip`). An odd number of changes means an end missed (a body seen nearly flat
there): a second look at :data:`FLIP_DEPTH_SECOND` takes the likeliest step; if the count is still odd, the end is
put where the handedness agrees best (at any step anti-correlated in depth, or the clip's edge), and without a nose
nothing is mirrored (otherwise the wrong part might be: benchmarks/RESULTS.md, section 4, "A body mirrored in
depth: what was left"). A real turn changes the
depth profile a little each frame, its correlation stays near +1 (a turn of 180 degrees in 10 frames: 18 degrees a
step). Depth is the poses' last axis (z: the camera's axis in camera coordinates, MediaPipe's and most 3D
estimators' output); set on validation (benchmarks/depth_flips.py; benchmarks/RESULTS.md, section 4, "A body
mirrored in depth").
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, root_position

__all__ = ["FLIP_R", "FLIP_FIT", "FLIP_LABELS", "FLIP_DEPTH", "FLIP_DEPTH_SECOND", "HAND_MARGIN", "depth_flips",
           "depth_switches", "handedness", "unflip"]

FLIP_R = -0.8  # a step whose depth profiles about the pelvis correlate below this: the mirror reading
FLIP_FIT = 0.5  # the mirrored step, at most this share of the step as read
FLIP_LABELS = 0.5  # the mirrored step, at most this share of the step with the labels exchanged
FLIP_DEPTH = 3.0  # times the depth's noise: the depth profile's RMS, at least, in both frames of such a step
FLIP_DEPTH_SECOND = 1.5  # FLIP_DEPTH for the second look at a track whose ends number odd (one missed)
HAND_MARGIN = 0.2  # share of the frames by which the handedness must tell the readings apart, or the majority's


def depth_flips(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (T, J, 3), any unit, NaN missing, mirrored in depth about the pelvis
    against the track's own reading (module docstring)."""
    x = np.asarray(poses, np.float64)
    flip = np.asarray(layout.flip_index)
    switch, r = _switches(x, flip)  # r (T - 1,): each step's depth correlation
    if not switch.any():
        return np.zeros(x.shape[0], bool)
    seen = np.isfinite(x).all(-1).any(-1)
    if switch.sum() % 2:  # an end missed: a second look at the steps standing less above the noise, the likeliest
        second = depth_switches(x, flip, depth=FLIP_DEPTH_SECOND) & ~switch
        if second.any():
            switch = switch.copy()
            switch[np.flatnonzero(second)[np.argmin(r[second])]] = True
    hand = handedness(x, layout)
    if hand is None:
        if switch.sum() % 2:  # an end still missed, nothing tells where: the wrong part might be mirrored
            return np.zeros(x.shape[0], bool)
        state = _readings(switch)
        return state if seen[state].sum() < seen[~state].sum() else ~state
    if switch.sum() % 2:  # the missed end where the handedness agrees best, at a step anti-correlated at all, or none
        votes = np.nan_to_num(np.sign(hand)) * np.where(_readings(switch), -1.0, 1.0)  # (T,) each frame's
        after = np.cumsum(votes[::-1])[::-1][1:]  # (T - 1,) the frames after each step's: a change there negates it
        steps = np.flatnonzero((r < 0) & ~switch)
        if steps.size and np.abs(votes.sum() - 2 * after[steps]).max() > abs(votes.sum()):
            switch = switch | (np.arange(switch.size) == steps[np.argmax(np.abs(votes.sum() - 2 * after[steps]))])
    state = _readings(switch)
    vote = _vote(hand, state)
    if abs(vote) >= HAND_MARGIN * seen.sum():  # the reading whose handedness is a body's, not its mirror image's
        return state if vote > 0 else ~state
    return state if seen[state].sum() < seen[~state].sum() else ~state


def _readings(switch: np.ndarray) -> np.ndarray:
    """(T,) bool: the reading each frame holds, from the (T - 1,) steps that change it; frame 0 holds False."""
    return np.concatenate([[0], np.cumsum(switch) % 2]).astype(bool)


def _vote(hand: np.ndarray, mirrored: np.ndarray) -> float:
    """Frames whose handedness (T,) is a body's with the ``mirrored`` (T,) frames mirrored back, less those whose
    is a mirror image's; missing frames vote for neither."""
    return float(np.nansum(np.sign(hand) * np.where(mirrored, -1.0, 1.0)))


def handedness(poses: np.ndarray, layout: Layout) -> np.ndarray | None:
    """(T,) the nose's offset in front of the head in each frame of ``poses`` (T, J, 3), in the poses' unit, the
    front told by the left-to-right and the upward axes (hips to shoulders): positive for a body, negative for its
    mirror image, whatever way it faces; NaN where a joint is missing. The head is the ears' middle, or the head
    and thorax's (H36M). None if the layout has no nose."""
    j = {n: i for i, n in enumerate(layout.joints)}
    nose = j.get("nose", j.get("neck_nose"))
    head = (["left_ear", "right_ear"] if "left_ear" in j and "right_ear" in j
            else ["head", "thorax"] if "head" in j and "thorax" in j else None)
    needed = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    if nose is None or head is None or not all(n in j for n in needed):
        return None
    x = np.asarray(poses, np.float64)
    left, right = x[:, [j["left_shoulder"], j["left_hip"]]].sum(1), x[:, [j["right_shoulder"], j["right_hip"]]].sum(1)
    up = x[:, [j["left_shoulder"], j["right_shoulder"]]].sum(1) - x[:, [j["left_hip"], j["right_hip"]]].sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        front = np.cross(left - right, up)
        front /= np.linalg.norm(front, axis=-1, keepdims=True)
    return (front * (x[:, nose] - x[:, [j[n] for n in head]].mean(1))).sum(-1)


def depth_switches(poses: np.ndarray, flip: np.ndarray | None = None, depth: float | None = None) -> np.ndarray:
    """(T - 1,) bool: the steps of ``poses`` (T, J, C), NaN missing, from frame t to t + 1 that change the reading in
    depth (module docstring); none in 2D. A mirror about the pelvis is one about the joints' mean too (every depth
    about it negated), so no layout is needed: the cut test (:mod:`synsp.estimator_errors.body_cuts`) asks it.
    ``flip`` (J,): each joint's left/right partner (``Layout.flip_index``); a step its labels exchanged explains
    nearly as well (within :data:`FLIP_LABELS`: a body seen side-on, whose left and right lie along the depth) is
    left to the inversion step (:mod:`synsp.estimator_errors.inversions`). ``depth``: :data:`FLIP_DEPTH` unless
    given."""
    return _switches(poses, flip, depth)[0]


def _switches(poses: np.ndarray, flip: np.ndarray | None = None,
              depth: float | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`depth_switches` (T - 1,) and the depth correlation of each step it read them from (T - 1,; None in
    2D or under 3 frames, where no step switches)."""
    x = np.asarray(poses, np.float64)
    if x.shape[-1] != 3 or x.shape[0] < 3:
        return np.zeros(max(x.shape[0] - 1, 0), bool), None
    seen = np.isfinite(x).all(-1)
    (r, deep), (lateral, wide) = (_profile_steps(x[..., axis], seen, depth) for axis in (2, 0))
    # and across the body (x) the profile stays: a turn by 180 degrees (a video cut) negates both
    switch = (r < FLIP_R) & deep & ~((lateral < 0) & wide)
    if not switch.any():
        return switch, r
    with np.errstate(invalid="ignore"):
        rel = x - np.nanmean(x, axis=-2, keepdims=True)  # (T, J, 3) about the joints' mean
    laters = (rel[1:] * [1.0, 1.0, -1.0], rel[1:], rel[1:, np.arange(x.shape[1]) if flip is None else flip])
    mirrored, kept, exchanged = (np.nanmean(np.linalg.norm(later - rel[:-1], axis=-1), axis=-1) for later in laters)
    # the mirror explains most of the jump (a turn by 120 degrees read from a side also anti-correlates in depth),
    # and better than the labels exchanged
    return switch & (mirrored < FLIP_FIT * kept) & (mirrored < FLIP_LABELS * exchanged), r


def _profile_steps(values: np.ndarray, seen: np.ndarray, depth: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Of one coordinate's values (T, J) about the joints' mean in each frame (``seen`` (T, J): measured): the
    correlation of each step's two profiles (T - 1,), and whether both stand ``depth`` (:data:`FLIP_DEPTH`) times
    above the coordinate's noise (T - 1,). Between frames, z . z' is +|z|^2 as read and -|z|^2 with one mirrored."""
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(seen, values, 0.0).sum(-1, keepdims=True) / seen.sum(-1, keepdims=True)
        z = np.where(seen, values - centre, 0.0)  # a missing joint votes for neither reading
        energy = (z**2).sum(-1)
        r = (z[1:] * z[:-1]).sum(-1) / np.sqrt(energy[1:] * energy[:-1])
    floor = (FLIP_DEPTH if depth is None else depth) * _depth_noise(values)
    deep = np.sqrt(energy / np.maximum(seen.sum(-1), 1)) > floor
    return r, deep[1:] & deep[:-1]


def _depth_noise(z: np.ndarray) -> float:
    """The noise, per value, of (T, J) values of one coordinate: the median absolute second difference over
    sqrt(6) (white noise's share of it), in the poses' unit; 0 if none is measured."""
    second = np.abs(np.diff(z, 2, axis=0))
    second = second[np.isfinite(second)]
    return float(np.median(second)) / 0.6745 / np.sqrt(6.0) if second.size else 0.0


def unflip(poses: np.ndarray, flipped: np.ndarray, layout: Layout) -> np.ndarray:
    """``poses`` (T, J, 3) with the ``flipped`` (T,) frames mirrored back in depth about their pelvis; same dtype."""
    x = np.asarray(poses)
    if not flipped.any():
        return x
    root = root_position(x, layout)[flipped]
    out = x.copy()
    out[flipped, :, 2] = 2 * root[..., 2] - x[flipped, :, 2]
    return out
