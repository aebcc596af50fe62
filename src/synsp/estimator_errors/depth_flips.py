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
(a body seen flat from the front, whose mirror image is itself, votes for nothing), changes the reading; the reading
most frames hold is the track's own, and the others are mirrored back (:func:`unflip`). A real turn changes the
depth profile a little each frame, its correlation stays near +1 (a turn of 180 degrees in 10 frames: 18 degrees a
step). Depth is the poses' last axis (z: the camera's axis in camera coordinates, MediaPipe's and most 3D
estimators' output); set on validation (benchmarks/depth_flips.py; benchmarks/RESULTS.md, section 4, "A body
mirrored in depth").
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, root_position

__all__ = ["FLIP_R", "FLIP_FIT", "FLIP_LABELS", "FLIP_DEPTH", "depth_flips", "depth_switches", "unflip"]

FLIP_R = -0.8  # a step whose depth profiles about the pelvis correlate below this: the mirror reading
FLIP_FIT = 0.5  # the mirrored step, at most this share of the step as read
FLIP_LABELS = 0.5  # the mirrored step, at most this share of the step with the labels exchanged
FLIP_DEPTH = 3.0  # times the depth's noise: the depth profile's RMS, at least, in both frames of such a step


def depth_flips(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (T, J, 3), any unit, NaN missing, mirrored in depth about the pelvis
    against the track's own reading (module docstring)."""
    x = np.asarray(poses, np.float64)
    switch = depth_switches(x, np.asarray(layout.flip_index))
    if not switch.any():
        return np.zeros(x.shape[0], bool)
    state = np.concatenate([[0], np.cumsum(switch) % 2]).astype(bool)  # (T,) the reading each frame holds
    seen = np.isfinite(x).all(-1).any(-1)
    return state if seen[state].sum() < seen[~state].sum() else ~state


def depth_switches(poses: np.ndarray, flip: np.ndarray | None = None) -> np.ndarray:
    """(T - 1,) bool: the steps of ``poses`` (T, J, C), NaN missing, from frame t to t + 1 that change the reading in
    depth (module docstring); none in 2D. A mirror about the pelvis is one about the joints' mean too (every depth
    about it negated), so no layout is needed: the cut test (:mod:`synsp.estimator_errors.body_cuts`) asks it.
    ``flip`` (J,): each joint's left/right partner (``Layout.flip_index``); a step its labels exchanged explains
    nearly as well (within :data:`FLIP_LABELS`: a body seen side-on, whose left and right lie along the depth) is
    left to the inversion step (:mod:`synsp.estimator_errors.inversions`)."""
    x = np.asarray(poses, np.float64)
    if x.shape[-1] != 3 or x.shape[0] < 3:
        return np.zeros(max(x.shape[0] - 1, 0), bool)
    seen = np.isfinite(x).all(-1)
    (r, deep), (lateral, wide) = (_profile_steps(x[..., axis], seen) for axis in (2, 0))
    # and across the body (x) the profile stays: a turn by 180 degrees (a video cut) negates both
    switch = (r < FLIP_R) & deep & ~((lateral < 0) & wide)
    if not switch.any():
        return switch
    with np.errstate(invalid="ignore"):
        rel = x - np.nanmean(x, axis=-2, keepdims=True)  # (T, J, 3) about the joints' mean
    laters = (rel[1:] * [1.0, 1.0, -1.0], rel[1:], rel[1:, np.arange(x.shape[1]) if flip is None else flip])
    mirrored, kept, exchanged = (np.nanmean(np.linalg.norm(later - rel[:-1], axis=-1), axis=-1) for later in laters)
    # the mirror explains most of the jump (a turn by 120 degrees read from a side also anti-correlates in depth),
    # and better than the labels exchanged
    return switch & (mirrored < FLIP_FIT * kept) & (mirrored < FLIP_LABELS * exchanged)


def _profile_steps(values: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of one coordinate's values (T, J) about the joints' mean in each frame (``seen`` (T, J): measured): the
    correlation of each step's two profiles (T - 1,), and whether both stand :data:`FLIP_DEPTH` times above the
    coordinate's noise (T - 1,). Between frames, z . z' is +|z|^2 as read and -|z|^2 with one of them mirrored."""
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(seen, values, 0.0).sum(-1, keepdims=True) / seen.sum(-1, keepdims=True)
        z = np.where(seen, values - centre, 0.0)  # a missing joint votes for neither reading
        energy = (z**2).sum(-1)
        r = (z[1:] * z[:-1]).sum(-1) / np.sqrt(energy[1:] * energy[:-1])
    deep = np.sqrt(energy / np.maximum(seen.sum(-1), 1)) > FLIP_DEPTH * _depth_noise(values)
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
