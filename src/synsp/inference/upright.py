"""Upright: turn a clip so that its body stands as the network was trained to see it.

Files disagree on which way is up: +Y in BVH, TRC, SMPL and the training mocap; +Z in C3D,
Blender and many lab systems; -Y in camera coordinates (VideoPose3D, MotionBERT). 2D tracks
of a phone video whose rotation flag was ignored lie on their side, and tracks stored with y
up stand on their head. The networks saw upright bodies (3D: +Y up, tilted by at most 30
degrees half of the time; 2D: image y down) and are less precise on others, badly so in 2D
(benchmarks/RESULTS.md, section 9, "Which way is up").

:func:`upright_turn` finds the axis the clip's trunk (and legs, where seen) point along and returns the
axis-aligned turn (a rotation by multiples of 90 degrees) that makes it the model's up. A
clip already upright gets the identity, so nothing changes for it. In 3D, :func:`knee_bend`
also tells a mirrored (left-handed) clip, which :func:`model_axes` mirrors back. Turns and
mirrors are exact, so refining the turned clip and turning the result back costs nothing.
"""
from __future__ import annotations

import itertools

import numpy as np

from synsp.conventions import trunk_frame
from synsp.skeleton import Layout, get_layout, trunk_vector

__all__ = ["MODEL_UP", "MIN_AGREEMENT", "MAX_TILT", "MIRROR_BEND", "trunk_up", "legs_up", "upright_turn",
           "knee_bend", "model_axes", "needed_turn", "describe_axes"]

# The model's up: +Y in 3D (the mocap's), image up (-y, rows grow downwards) in 2D.
MODEL_UP = {3: np.array([0.0, 1.0, 0.0]), 2: np.array([0.0, -1.0])}
# The trunk must point the same way through the clip: the mean of its per-frame unit up
# vectors must be at least this long. A cartwheel or a somersault gives no up, and no turn.
MIN_AGREEMENT = 0.5
# ... and lie within this many degrees of another axis to be turned to it: a body bent over by
# 45 degrees (a 2D track of someone picking a ball up) is as near one axis as the other, and
# is left as it is.
MAX_TILT = 30.0
# A 3D clip whose knees bend backwards by more than this many thigh lengths (knee_bend) is
# mirrored: a left-handed file (Unity, some exports) or every left/right label exchanged. On
# the train and validation splits a right-handed clip never went below -0.071 (hard errors)
# and a clean one below 0.02; the mirrored clips of those splits are at -0.2 (median).
MIRROR_BEND = 0.1


def _rotations(c: int) -> list[np.ndarray]:
    """The 24 (3D) or 4 (2D) axis-aligned rotation matrices: signed permutations of det +1."""
    out = []
    for perm in itertools.permutations(range(c)):
        for signs in itertools.product((1.0, -1.0), repeat=c):
            m = np.zeros((c, c))
            m[np.arange(c), perm] = signs
            if np.linalg.det(m) > 0:
                out.append(m)
    return out


def _mean_direction(vectors: np.ndarray) -> np.ndarray:
    """The mean over rows of the unit ``vectors`` (N, C), skipping NaN and zero-length ones; zeros if none."""
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    ok = np.isfinite(norm[:, 0]) & (norm[:, 0] > 0)
    if not ok.any():
        return np.zeros(vectors.shape[-1])
    return (vectors[ok] / norm[ok]).mean(axis=0)


def trunk_up(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The clip's mean trunk direction, hips -> shoulders.

    Parameters
    ----------
    x : ndarray (..., T, J, C), C = 2 or 3, in ``layout``; NaN joints are skipped.

    Returns
    -------
    ndarray (C,): the mean over frames (and leading dimensions) of the unit vector from the
    hips' midpoint to the shoulders' midpoint; its length (at most 1) says how steadily the
    trunk points that way. Zeros if no frame has all four joints.
    """
    x = np.asarray(x, np.float64)
    return _mean_direction(trunk_vector(x, layout).reshape(-1, x.shape[-1]))


def legs_up(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The clip's mean leg direction, ankles' midpoint -> hips' midpoint: (C,) as :func:`trunk_up` gives the trunk's
    for (..., T, J, C) poses; zeros when the layout has no ankles or no frame shows the four joints."""
    layout = get_layout(layout)
    x = np.asarray(x, np.float64)
    names = ("left_hip", "right_hip", "left_ankle", "right_ankle")
    if not all(name in layout.joints for name in names):
        return np.zeros(x.shape[-1])
    hips, ankles = ((x[..., layout.index(f"left_{j}"), :] + x[..., layout.index(f"right_{j}"), :]) / 2
                    for j in ("hip", "ankle"))
    return _mean_direction((hips - ankles).reshape(-1, x.shape[-1]))


def upright_turn(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The axis-aligned rotation that makes a clip's trunk point the model's way up.

    Parameters
    ----------
    x : ndarray (..., T, J, C), C = 2 (image pixels, y down) or 3 (any unit), in ``layout``
        (which must have left/right shoulders and hips); NaN joints are skipped.

    Returns
    -------
    ndarray (C, C) rotation ``R``: ``x @ R.T`` is the turned clip, ``y @ R`` turns a result
    back. The identity when the body's mean direction is nearest to the model's up, when the
    trunk points no steady way (:data:`MIN_AGREEMENT`), or when it is more than
    :data:`MAX_TILT` degrees from every axis. Where the legs point a steady way (:func:`legs_up`
    at least :data:`MIN_AGREEMENT` long; 2D only) the body's direction is the mean of the trunk's and the
    legs': a video on its side turns both, a person bending to the floor again and again (toe
    touches) only the trunk, over legs that stand. In 3D the smallest turn is chosen (90 degrees
    about a horizontal axis for a Z-up file, 180 for -Y up).

    Examples
    --------
    >>> import numpy as np
    >>> pose = np.zeros((1, 17, 3))
    >>> pose[0, [11, 14], 2] = 500.0  # h36m17 shoulders 0.5 m along +Z above the hips
    >>> (pose @ upright_turn(pose, "h36m17").T)[0, 11].round().tolist()
    [0.0, 500.0, 0.0]
    """
    c = np.asarray(x).shape[-1]
    if c not in MODEL_UP:
        raise ValueError(f"poses must have 2 or 3 coordinates, got shape {np.shape(x)}")
    up = trunk_up(x, layout)
    legs = legs_up(x, layout) if c == 2 else np.zeros(c)
    if np.linalg.norm(legs) >= MIN_AGREEMENT:
        # Not the trunk's alone: over a clip of toe touches it lies near horizontal most of the time, and the clip
        # was turned by 90 degrees, its standing legs shown to the network lying (benchmarks/RESULTS.md, section 4,
        # "Bending to the floor again and again, in 2D"). 2D only: 3D toe touches were fine, and a 3D clip read in
        # another layout's order (its "legs" other joints) was turned wrong, 53.5 -> 106.6 mm (tests/test_pipeline.py).
        up = (up + legs) / 2
    eye = np.eye(c)
    norm = np.linalg.norm(up)
    if norm < MIN_AGREEMENT or np.abs(up).max() < norm * np.cos(np.deg2rad(MAX_TILT)):
        return eye
    # The model's up must be where the trunk points most; among the turns that achieve it,
    # the one closest to the identity (largest trace: the smallest angle).
    target = MODEL_UP[c]
    return max(_rotations(c), key=lambda r: (round(float((r @ up) @ target), 9), np.trace(r)))


def knee_bend(x: np.ndarray, layout: str | Layout) -> float:
    """How far the knees stand in front of the hip-ankle lines, in thigh lengths (3D only).

    Knees bend only one way, so in a right-handed coordinate system this is positive for any
    motion (forward from :func:`synsp.conventions.trunk_frame`: ``left x up``); a left-handed
    (mirrored) file gives it negated.

    Parameters
    ----------
    x : ndarray (..., T, J, 3) in ``layout`` (with left/right hips, knees, ankles, shoulders).

    Returns
    -------
    The median over frames of the two knees' summed forward offsets divided by the median
    summed thigh length; 0.0 if no frame has the joints.
    """
    layout = get_layout(layout)
    x = np.asarray(x, np.float64).reshape(-1, *np.shape(x)[-2:])
    forward = trunk_frame(x, layout)[..., 2]
    bend, thigh = 0.0, 0.0
    for side in ("left", "right"):
        hip, knee, ankle = (x[:, layout.index(f"{side}_{name}")] for name in ("hip", "knee", "ankle"))
        bend = bend + np.sum((knee - (hip + ankle) / 2) * forward, axis=-1)
        thigh = thigh + np.linalg.norm(knee - hip, axis=-1)
    ok = np.isfinite(bend) & np.isfinite(thigh)
    if not ok.any() or np.median(thigh[ok]) <= 0:
        return 0.0
    return float(np.median(bend[ok]) / np.median(thigh[ok]))


def model_axes(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The orthogonal map from a clip's axes to the model's: :func:`upright_turn`, then in 3D
    a mirror of the lateral axis if the clip is left-handed (:func:`knee_bend` below
    ``-MIRROR_BEND``).

    Parameters
    ----------
    x : ndarray (..., T, J, C) in ``layout``, C = 2 or 3; NaN joints are skipped.

    Returns
    -------
    ndarray (C, C) ``M`` with ``M.T @ M = I``: ``x @ M.T`` is in the model's axes, ``y @ M``
    maps a result back. The identity for an upright, right-handed clip.
    """
    m = upright_turn(x, layout)
    if np.shape(x)[-1] == 3 and knee_bend(x, layout) < -MIRROR_BEND:
        m = np.diag([-1.0, 1.0, 1.0]) @ m
    return m


def needed_turn(x: np.ndarray, layout: str | Layout) -> np.ndarray | None:
    """:func:`model_axes` of ``x``, or None when the clip is already in the model's axes."""
    m = model_axes(x, layout)
    return None if np.allclose(m, np.eye(len(m))) else m


def describe_axes(m: np.ndarray) -> str:
    """In words, what :func:`model_axes`' ``m`` (C, C) found, e.g. "the bodies stand along the
    input's +z axis, not the model's +y"; "" for the identity."""
    m = np.asarray(m)
    c = m.shape[0]
    names = "xyz"[:c]
    axis = lambda v: ("+" if v[np.argmax(np.abs(v))] > 0 else "-") + names[int(np.argmax(np.abs(v)))]  # noqa: E731
    up = MODEL_UP[c]
    parts = []
    if not np.allclose(m.T @ up, up):
        parts.append(f"the bodies stand along the input's {axis(m.T @ up)} axis, not the model's {axis(up)}")
    if np.linalg.det(m) < 0:
        parts.append("the input is mirrored (left-handed, or every left/right label exchanged)" if c == 3 else
                     "the picture is mirrored, its labels kept (a front camera's selfie?)")  # inference.handedness
    return "; ".join(parts)
