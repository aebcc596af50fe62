"""A 2D network's whole-body turn kept within the legs' lean: a real lean is not undone.

The 2D network learnt to undo the simulator's whole-body rotation errors (a body turned a few
degrees about its root), and it undoes a real lean the same way: a body whose trunk bends
sideways over upright legs (`dataset-1_bye_tired_001` filmed with its trunk 18 degrees from the
image's up, legs within 3) was turned 4-5 degrees towards upright about the hips, its head
moved 31-43 px and its ankles 26 px on a 785 px body, at any frame rate (benchmarks/RESULTS.md,
section 6, "2D `jitter` at 10 fps"). The second pass (:mod:`synsp.inference.repeated_pull`)
does not catch it: the turn converges, so the network repeats only 0.40 of it.

An estimator's whole-body rotation turns the legs with the rest, so legs standing upright bound
the rotation error there is to undo. :func:`cap_turn` measures, per frame, the turn about the
hips that takes the baseline's poses (SmoothNet's output of the same input, which has no body
to turn) to the network's, and turns the output back by whatever of it exceeds the baseline's
legs' lean from the image's up (the line from the ankles' midpoint to the hips'). A body whose
legs lean keeps that much turn; an upright body keeps none beyond it. Chosen on the validation
split (RESULTS section 6).
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, get_layout

__all__ = ["CAP_TURN", "turn_angle", "cap_turn"]

# Whether the 2D refiner caps its output's whole-body turn (False: the network's turn kept whole).
CAP_TURN = True


def _middle(x: np.ndarray, layout: Layout, part: str) -> np.ndarray:
    """(..., T, 2) midpoint of the left and right ``part`` (shoulder, hip, ankle)."""
    return (x[..., layout.index(f"left_{part}"), :] + x[..., layout.index(f"right_{part}"), :]) / 2


def turn_angle(base: np.ndarray, refined: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Per frame, the angle (radians, (..., T)) of the rotation about ``centre`` (..., T, 1, 2)
    that best takes ``base`` (..., T, J, 2) to ``refined`` (same shape) in least squares; positive
    turns +x towards +y."""
    a, b = base - centre, refined - centre
    cross = (a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]).sum(-1)
    return np.arctan2(cross, (a * b).sum((-2, -1)))


def cap_turn(refined: np.ndarray, base: np.ndarray | None, layout: str | Layout | None) -> np.ndarray:
    """``refined`` (..., T, J, 2) pixels, turned back about the hips, per frame, by the part of its
    :func:`turn_angle` from ``base`` (shaped like it: SmoothNet's output of the same input) beyond
    the lean of ``base``'s legs from the image's up (-y). Same shape and dtype. Returned as it is
    where ``base`` or ``layout`` is None or falsy (no baseline; no legs to read) or :data:`CAP_TURN` is off."""
    if base is None or not layout or not CAP_TURN:
        return refined
    layout = get_layout(layout)
    out, base = np.asarray(refined, np.float64), np.asarray(base, np.float64)
    hips = _middle(base, layout, "hip")
    legs = hips - _middle(base, layout, "ankle")
    lean = np.abs(np.arctan2(legs[..., 0], -legs[..., 1]))
    centre = hips[..., None, :]
    turn = turn_angle(base, out, centre)
    back = -np.sign(turn) * np.maximum(np.abs(turn) - lean, 0.0)  # only the excess over the legs' lean
    cos, sin = np.cos(back), np.sin(back)
    rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)  # (..., T, 2, 2)
    turned = np.einsum("...tab,...tjb->...tja", rotation, out - centre) + centre
    return turned.astype(np.asarray(refined).dtype)
