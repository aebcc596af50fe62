"""Values on the picture's edge: a joint out of the picture that the estimator wrote on the image's side.

An estimator that clamps its output to the image writes a joint beyond the picture (the feet of a person cut by
its bottom edge, an arm out at a side) exactly on the edge: y = H - 1 (or 1.0 normalised), x = 0. That value is
no measurement of the joint: its true place is beyond the edge, how far is unknown. Read as measured, the run of
clamped values held the legs short for seconds (a shin cut for 2-4 s: the ankles 50-87 px off, the output as the
input), and their jumps at the cut's ends read as a limb leaving the body (audit 20, finding 1). So the values on an
edge are taken out and filled from the body's motion, as a gap, and the fill is kept beyond the edge: where it
comes back inside the picture, it is put on the edge, where the estimator said the joint was at least. Their
coordinate along the edge is the estimator's, kept: the clamp took the other one only.

An edge is told by floats only a clamp gives: the clip's extreme on one axis (the largest or smallest x or y),
held exactly by at least :data:`EDGE_MIN` values that differ on the other axis (a joint held whole, every
coordinate repeated, is a held value: :mod:`synsp.estimator_errors.held_values`). Whole-pixel values share their
extremes by rounding: there nothing is read (a clamp in whole pixels is not told from rounding). 2D only: a 3D
pose has no picture. Validation: the protocol's inputs hold no such value (outputs unchanged); benchmarks/RESULTS.md,
section 4, "A person cut by the picture's edge: the audit's comparison, values written on the edge".
"""
from __future__ import annotations

import numpy as np

__all__ = ["EDGE_MIN", "WHOLE", "picture_edges", "edge_values", "beyond_edges"]

EDGE_MIN = 3  # values on the clip's extreme, at as many places along the edge: no float noise repeats so
WHOLE = 0.5  # share of a clip's values that are whole numbers above which it is read as rounded (no edge told)


def picture_edges(poses: np.ndarray) -> list[tuple[int, int, float, np.ndarray]]:
    """The picture's edges ``poses`` ((..., T, J, 2), NaN for missing values; other shapes: none) hold values on:
    (axis, side: +1 the largest value's edge, -1 the smallest's, the edge's value, (..., T, J) bool the values on
    it) (module docstring)."""
    x = np.asarray(poses)
    if x.ndim < 3 or x.shape[-1] != 2 or not np.issubdtype(x.dtype, np.floating):
        return []
    finite = x[np.isfinite(x)]
    if finite.size == 0 or np.mean(finite == np.round(finite)) > WHOLE:
        return []
    edges = []
    with np.errstate(invalid="ignore"):
        for axis in (0, 1):
            values = x[..., axis]
            for side, extreme in ((1, np.nanmax(values)), (-1, np.nanmin(values))):
                on = values == extreme  # (..., T, J)
                if on.sum() >= EDGE_MIN and np.unique(x[..., 1 - axis][on]).size >= EDGE_MIN:
                    edges.append((axis, side, float(extreme), on))
    return edges


def edge_values(poses: np.ndarray) -> np.ndarray:
    """(..., T, J) bool: the values of ``poses`` (..., T, J, C) on the picture's edge (:func:`picture_edges`)."""
    x = np.asarray(poses)
    marked = np.zeros(x.shape[:-1], dtype=bool)
    for *_, on in picture_edges(x):
        marked |= on
    return marked


def beyond_edges(out: np.ndarray, poses: np.ndarray, along: bool = False) -> np.ndarray:
    """``out`` (like ``poses``, (..., T, J, 2)) with the values ``poses`` held on the picture's edge kept on or beyond
    it: where ``out`` came back inside the picture, on the edge (module docstring). ``along``: their coordinate along
    the edge given back as ``poses`` had it (a gap's fill: the clamp lost the other coordinate only; filled, a foot
    walking across the bottom edge was put 30 px behind its measured x on a validation clip)."""
    edges = picture_edges(poses)
    if not edges or np.shape(out) != np.shape(poses):
        return out
    out = np.array(out, copy=True)
    for axis, side, value, on in edges:
        coord = out[..., axis]
        with np.errstate(invalid="ignore"):
            inside = on & ((coord - value) * side < 0)
        coord[inside] = value
        if along:
            out[..., 1 - axis][on] = np.asarray(poses)[..., 1 - axis][on]
    return out
