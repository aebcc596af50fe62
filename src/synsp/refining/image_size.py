"""Normalised image coordinates (x / width, y / height) refined in pixels and given back.

MediaPipe's image landmarks, its web demos and Kaggle's sign-language CSVs write x divided by the
image's width and y by its height. On an image that is not square, x and y are then in different
units and the body looks narrower (landscape) or wider (portrait) than it is, which SynSP's pose
models never saw: a portrait video's jitter-only input came out 1.29 x worse than given
(benchmarks/RESULTS.md, section 11, "Normalised coordinates of an image that is not square").
Neither the files nor the body tell the image's sides reliably, so the user gives them
(``--image-size W H``, ``image_size=(W, H)``): x, y are refined in pixels and written back in
the file's unit.
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.errors import OptionError
from synsp.refining.image_order import order_note

__all__ = ["NORMALISED_MAX", "centred", "from_pixels", "image_sides", "to_pixels"]

# A value the refinement left as it was comes back from pixels within a few float roundings of
# the input's; it is then given back with the input's own digits.
_ROUNDINGS = 4
# Normalised coordinates lie within 0 to 1, a joint off the picture a little beyond; values past
# this are pixels already, which the image's sides would stretch (x by the width, y by the height),
# and 2D values all within it are no person in pixels (refining.summary's units line).
NORMALISED_MAX = 2.0
# OpenPose's ``--keypoint_scale 4`` writes x, y from -1 to 1 about the image's centre. A joint of 0-to-1
# coordinates lies below 0 only off the picture's left or top edge, by far less than half the image, and a
# person at that edge has a small share of values there (a walk past it: 18 %); a person in the centred
# picture's right or bottom quarter reads as 0 to 1, which the values cannot tell.
CENTRED_BELOW, CENTRED_SHARE = -0.5, 0.3


def centred(poses: np.ndarray, sides: tuple[float, float] | np.ndarray = (1.0, 1.0)) -> bool:
    """Whether normalised x, y of ``poses`` (..., C), times the image's ``sides`` (2,) where the refinement
    scaled them to pixels, lie -1 to 1 about the image's centre (OpenPose's ``--keypoint_scale 4``), not 0 to 1
    across it: some x or y below :data:`CENTRED_BELOW` of the side, or :data:`CENTRED_SHARE` of them below 0."""
    xy = np.asarray(poses)[..., :2] / np.asarray(sides, dtype=np.float64)
    xy = xy[np.isfinite(xy)]
    return bool(xy.size and ((xy < CENTRED_BELOW).any() or (xy < 0).mean() >= CENTRED_SHARE))


def image_sides(size) -> np.ndarray:
    """``size`` = (width, height) of the image, in pixels (any unit with their ratio works), as a
    float64 array (2,); an ``OptionError`` naming the value unless it is two finite numbers > 0."""
    try:
        sides = np.asarray(size, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        sides = np.array([])
    if sides.shape != (2,) or not (np.isfinite(sides).all() and (sides > 0).all()):
        raise OptionError(f"image size must be the image's width and height in pixels, two numbers > 0 "
                          f"(e.g. 1080 1920 for a phone held upright), got {size!r}")
    return sides


def to_pixels(poses: np.ndarray, sides: np.ndarray, where: str = "poses", order: bool = False) -> np.ndarray:
    """``poses`` (..., C) with normalised x, y (the first two channels) times the image's
    ``sides`` (2,) (:func:`image_sides`); the other channels (a score, MediaPipe's z) as they are.
    A new array of the poses' float dtype. x, y beyond ``NORMALISED_MAX`` are no normalised
    coordinates: an ``OptionError`` naming ``where`` (the file, the person) and the largest.
    ``order``: poses (..., T, J, C) whose body reads as no person's in these sides and as one's in the
    swapped sides (given as (height, width)? :func:`synsp.refining.image_order.order_note`) are warned of."""
    out = np.array(poses, dtype=np.result_type(np.asarray(poses).dtype, np.float32))
    with np.errstate(invalid="ignore"):
        largest = np.nanmax(np.abs(out[..., :2]), initial=0.0)
    if largest > NORMALISED_MAX:
        raise OptionError(f"{where}: an image size is for x, y normalised by the image's sides (0 to 1), but they "
                          f"reach {largest:.4g}: pixels already? (refine them without the image size)")
    out[..., :2] *= sides.astype(out.dtype)
    note = order_note(out, sides) if order else None
    if note is not None:  # one line; the numbers stay the user's
        warnings.warn(f"{where}: {note}", stacklevel=3)
    return out


def from_pixels(refined: np.ndarray, sides: np.ndarray, given: np.ndarray | None = None) -> np.ndarray:
    """:func:`to_pixels` undone: ``refined`` (..., C) with x, y divided by ``sides``. Where
    ``given`` (the input, (..., C') with C' >= 2, in its own unit) holds a value the refinement did
    not move, that value is given back with the input's own digits, not a float rounding of it."""
    out = np.array(refined, copy=True)
    out[..., :2] /= sides.astype(out.dtype)
    if given is not None:
        xy, was = out[..., :2], np.asarray(given)[..., :2]
        with np.errstate(invalid="ignore"):
            same = np.abs(xy - was) <= _ROUNDINGS * np.finfo(out.dtype).eps * np.abs(was)
        out[..., :2] = np.where(same, was, xy)
    return out
