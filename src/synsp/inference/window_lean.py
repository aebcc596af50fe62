"""Leaning bodies in 2D: a window whose whole body leans is turned upright for the network.

The 2D network learnt from people standing in front of cameras rolled by at most 3 degrees:
their trunks lean a little (a bow, a lunge, a kick), never the whole body. On a body leaning
30-45 degrees, a fall or a cartwheel it "corrected" the poses towards upright ones, made them
worse than doing nothing (1.2-1.7 x input) and moved clean ones 9-19 px (benchmarks/RESULTS.md,
section 4, "Bodies that do not stand upright"). :func:`~synsp.inference.upright.upright_turn`
only turns whole clips by multiples of 90 degrees (a video on its side), so each 8-frame window
whose trunk *and* legs lean the same way by more than :data:`MAX_LEAN` is turned here, in the
image plane about its mean keypoint, until the line from the ankles to the shoulders stands
upright, and the network's output is turned back. A turn is exact, and a window of a standing
person (its legs upright, whatever the trunk does) is left bit for bit as it was.
"""
from __future__ import annotations

import numpy as np

from synsp.inference.upright import MIN_AGREEMENT
from synsp.skeleton import Layout, get_layout

__all__ = ["MAX_LEAN", "LEAN_JOINTS", "can_lean", "window_turn", "turn_in_image"]

# Degrees both the trunk and the legs must lean from the image's up for a window to be turned
# (benchmarks/RESULTS.md, section 4, "Bodies that lean 10-15 degrees"). At 15 a real body leaning
# 11-14 degrees, filmed 700 px tall, was pulled towards upright by 22-24 px. The lower, the more
# the turn takes away what the network does right: a runner's forward lean, and the whole-body
# rotation errors of the simulator's `hard` preset, which it learnt to undo (validation, 15 -> 10:
# `typical` +0.14 %, `hard` +1.9 %; at 8 +0.26 % and +2.4 %).
MAX_LEAN = 10.0
# ... and at most this many degrees from each other (a body, not a bow or a kick).
SAME_WAY = 60.0
LEAN_JOINTS = ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_ankle", "right_ankle")


def can_lean(layout: str | Layout) -> bool:
    """Whether ``layout`` has the joints :func:`window_turn` reads (:data:`LEAN_JOINTS`)."""
    return set(LEAN_JOINTS) <= set(get_layout(layout).joints)


def _direction(vectors: np.ndarray) -> np.ndarray:
    """(...) radians from the image's up (-y) of the mean over frames of unit ``vectors``
    (..., F, 2), positive towards +x; NaN where that mean is shorter than
    :data:`~synsp.inference.upright.MIN_AGREEMENT` (no steady direction in the window)."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)
    mean = unit.mean(axis=-2)
    angle = np.arctan2(mean[..., 0], -mean[..., 1])
    return np.where(np.linalg.norm(mean, axis=-1) >= MIN_AGREEMENT, angle, np.nan)


def window_turn(windows: np.ndarray, layout: str | Layout, max_lean: float = MAX_LEAN) -> np.ndarray:
    """How far to turn each window so that its body stands upright.

    Parameters
    ----------
    windows : ndarray (..., F, J, 2) of pixel poses without NaN, in a layout with
        :data:`LEAN_JOINTS`.
    max_lean : degrees the trunk (hips to shoulders) and the legs (ankles to hips) must both
        lean, within :data:`SAME_WAY` of each other, for the window to be turned.

    Returns
    -------
    ndarray (...) in radians: minus the lean of the line from the ankles' midpoint to the
    shoulders' midpoint where the window is turned, else 0. :func:`turn_in_image` by it turns
    the window upright, by its negation back.
    """
    layout = get_layout(layout)
    x = np.asarray(windows, np.float64)
    middle = {part: (x[..., layout.index(f"left_{part}"), :] + x[..., layout.index(f"right_{part}"), :]) / 2
              for part in ("shoulder", "hip", "ankle")}
    trunk = _direction(middle["shoulder"] - middle["hip"])
    legs = _direction(middle["hip"] - middle["ankle"])
    body = _direction(middle["shoulder"] - middle["ankle"])
    limit = np.deg2rad(max_lean)
    with np.errstate(invalid="ignore"):  # NaN: no steady direction, no turn
        apart = np.abs(np.angle(np.exp(1j * (trunk - legs))))
        leaning = (np.abs(trunk) > limit) & (np.abs(legs) > limit) & (apart < np.deg2rad(SAME_WAY))
    return np.where(leaning & np.isfinite(body), -np.nan_to_num(body), 0.0)


def turn_in_image(windows: np.ndarray, angles: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Turn each window (..., F, J, 2) by ``angles`` (...) radians about ``centre``
    (..., 1, 1, 2); a positive angle turns the image's up towards +x. Same shape and dtype.
    ``turn_in_image(turn_in_image(w, a, c), -a, c)`` gives ``w`` back."""
    cos, sin = np.cos(angles), np.sin(angles)
    rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)  # (..., 2, 2)
    turned = np.einsum("...ab,...fjb->...fja", rotation, np.asarray(windows, np.float64) - centre) + centre
    return turned.astype(np.asarray(windows).dtype)
