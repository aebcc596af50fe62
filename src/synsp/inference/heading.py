"""A canonical heading: each 3D window turned about the vertical so that the body faces one way, and back.

The 3D network was trained with the bodies turned about the vertical at random, yet its output is not
equivariant: the same clip turned by 90 degrees about the vertical, refined and turned back, differed by 4-5 mm
per clip (audit 22, finding 4), so two recordings of one motion in different world frames came out different.
Read from the body itself, the heading turns with the input; each window is turned so that its mean left-right
line (hips' and shoulders', horizontal part) points along +Z, refined there and turned back
(:meth:`synsp.inference.network_windows.WindowNetwork.refine_windows`), and the whole clip is first turned to its
own heading (:func:`synsp.inference.network_frame.into_network_frame`), for the steps there that treat each
coordinate alone (a paced clip's resampling); so a turn of the input about the vertical turns the output with it,
up to float rounding (benchmarks/RESULTS.md, section 4, "The world's heading").

Windows are in the model's axes (:mod:`synsp.inference.upright`): +Y up, so a Z-up file is turned upright
first and the heading is then read about its own vertical. A vertical tilted off every axis is read from the
floor where the clip's feet give one (:mod:`synsp.inference.floor_up`: a walk that turns), else not.
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, get_layout

__all__ = ["HEADING", "SIDE_PAIRS", "can_head", "heading_turn"]

# Turn 3D windows to the canonical heading before the network (False: as given).
HEADING = True
# A mean left-right line shorter than this (unit vectors averaged: a body spinning through the window) still gives
# a heading that turns with the input; only one of exactly no length (no joints seen) gives none, and no turn.
_NO_LINE = 1e-9
SIDE_PAIRS = (("left_hip", "right_hip"), ("left_shoulder", "right_shoulder"))


def can_head(layout: str | Layout) -> bool:
    """Whether ``layout`` has the hips and shoulders a heading is read from."""
    joints = get_layout(layout).joints
    return all(name in joints for pair in SIDE_PAIRS for name in pair)


def heading_turn(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The turn about +Y that brings each window's mean left-right line onto +Z (the body facing -X).

    Parameters
    ----------
    x : ndarray (..., F, J, 3) in ``layout``'s joints and the model's axes (+Y up), any unit; NaN skipped.

    Returns
    -------
    ndarray (..., 3, 3) float64 rotations ``R`` about +Y: ``x @ R.T`` (per leading index) is the turned window,
    ``y @ R`` turns a result back. The line of a frame is the sum of the hips' and the shoulders' left-minus-right
    vectors, its horizontal (x, z) part taken as a unit vector, so a frame counts alike whatever the body's size,
    and a few frames with left and right exchanged turn the mean little. The identity where no frame has a line.
    Any fixed target keeps the output turning with the input; +Z was the best of the four axes on 30 validation
    clips, all four within 0.2 mm (benchmarks/RESULTS.md, section 4, "The world's heading").
    """
    layout = get_layout(layout)
    x = np.asarray(x, np.float64)
    line = sum(x[..., layout.index(left), :] - x[..., layout.index(right), :] for left, right in SIDE_PAIRS)
    flat = line[..., [0, 2]]  # (..., F, 2): the horizontal part
    norm = np.linalg.norm(flat, axis=-1, keepdims=True)
    ok = np.isfinite(norm) & (norm > 0)
    mean = np.where(ok, flat / np.where(ok, norm, 1.0), 0.0).sum(axis=-2)  # (..., 2)
    length = np.linalg.norm(mean, axis=-1)
    found = length > _NO_LINE
    # R = [[c, 0, s], [0, 1, 0], [-s, 0, c]] with R @ (mx, 0, mz) = (0, 0, |m|): c = mz / |m|, s = -mx / |m|
    c = np.where(found, mean[..., 1] / np.where(found, length, 1.0), 1.0)
    s = np.where(found, -mean[..., 0] / np.where(found, length, 1.0), 0.0)
    turn = np.zeros(c.shape + (3, 3))
    turn[..., 0, 0] = turn[..., 2, 2] = c
    turn[..., 0, 2], turn[..., 2, 0] = s, -s
    turn[..., 1, 1] = 1.0
    return turn
