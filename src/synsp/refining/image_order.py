"""An image size given in numpy's (height, width) order, ``frame.shape[:2]``, told from the body's proportions.

Normalised image coordinates are refined in pixels of the image whose sides the user gives, (width, height)
(:mod:`synsp.refining.image_size`). Given the other way round, x is scaled by the height and y by the width: on a
16:9 video the body comes out (16/9)^2 = 3.2 x taller (landscape) or wider (portrait) than it is, and the
refinement's prior pulls it towards a body it is not (audit 34: the jitter left 1.894 px off instead of 1.628).
Neither the file nor the values tell the image's sides, but a person's proportions tell a pair that stretches
them by 3 x: the body's box far taller than any person's, or shoulders far wider than the trunk is long. When the
pair given reads so and the swapped pair reads as a person, one line says so. The numbers are the user's: they are
kept (a warning, not a swap), as a body seen from straight above or a pose no clip showed may read so too.
:func:`synsp.refining.image_size.to_pixels` asks (``order=True``) for a whole array or file, not a stream's frame.
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.sequence import not_found
from synsp.skeleton import get_layout, guessed_layout
from synsp.skeleton.pose_geometry import trunk_vector

__all__ = ["TALL", "WIDE", "order_note", "proportions"]

# A person's box, height over width (the median over frames): 1.5-7.8 on the 65 validation clips under
# `clean-ish`, `typical` and `jitter` (coco17 and h36m17, 2D); in (height, width) order on a 16:9 landscape
# video 4.7-24.6. Shoulders' width over the trunk's length where the trunk stands within 30 degrees of upright
# (the 90th percentile: the most frontal views): up to 1.14 there; 2-3 on a portrait video read in the wrong
# order (the body 3.2 x wider). Beyond either, no person of those clips (benchmarks/image_order.py).
TALL, WIDE = 9.0, 1.6
UPRIGHT_DEG = 30.0
_TRUNK = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")


def proportions(pixels: np.ndarray, layout: str | None = None) -> tuple[float, float]:
    """(height over width of the body's box, median over frames; shoulders' width over the trunk's length, 90th
    percentile over the frames whose trunk is within :data:`UPRIGHT_DEG` of upright) of 2D poses (..., T, J, C),
    x, y first, in pixels. The second is NaN when the layout (``layout``, or the one the joint count tells) has no
    shoulders and hips, or no frame shows them upright; either is NaN when no frame tells it."""
    xy = np.asarray(pixels, np.float64)[..., :2]
    xy = np.where(not_found(xy)[..., None], np.nan, xy)  # (0, 0): an estimator's "not found", no place
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with no joint seen
        sides = np.nanmax(xy, axis=-2) - np.nanmin(xy, axis=-2)  # (..., T, 2)
        tall = sides[..., 1] / sides[..., 0]
        tall = float(np.median(tall[np.isfinite(tall)])) if np.isfinite(tall).any() else np.nan
        name = layout or guessed_layout(xy)
        joints = get_layout(name).joints if name is not None else ()
        if not all(j in joints for j in _TRUNK):
            return tall, np.nan
        body = get_layout(name)
        trunk = trunk_vector(xy, body)  # (..., T, 2)
        length = np.linalg.norm(trunk, axis=-1)
        width = np.linalg.norm(xy[..., body.index("left_shoulder"), :] - xy[..., body.index("right_shoulder"), :],
                               axis=-1)
        upright = np.abs(trunk[..., 1]) >= np.cos(np.radians(UPRIGHT_DEG)) * length
        wide = (width / length)[upright & (length > 0)]
        wide = wide[np.isfinite(wide)]
    return tall, float(np.percentile(wide, 90)) if wide.size else np.nan


def _a_person(tall: float, wide: float) -> bool:
    return not (tall > TALL or wide > WIDE)


def order_note(pixels: np.ndarray, sides: np.ndarray, layout: str | None = None) -> str | None:
    """One line when 2D ``pixels`` (..., T, J, C), normalised coordinates times the image's ``sides`` (2,) as given,
    read as no person (:func:`proportions` beyond :data:`TALL` or :data:`WIDE`) and the swapped sides read as one;
    else None (a square image: nothing to swap)."""
    a, b = (float(s) for s in sides)
    if a == b:
        return None
    given = proportions(pixels, layout)
    if _a_person(*given):
        return None
    swapped = proportions(np.asarray(pixels, np.float64)[..., :2] * [b / a, a / b], layout)
    if not _a_person(*swapped):
        return None
    shape = (f"{given[0]:.1f} x taller than wide" if given[0] > TALL else
             f"its shoulders {given[1]:.1f} x as wide as its trunk is long")
    return (f"image size {a:g} x {b:g} (width, height) reads the body as no person's ({shape}); {b:g} x {a:g} "
            f"reads it as one: was the size given as (height, width), numpy's frame.shape[:2]? Refined as given")
