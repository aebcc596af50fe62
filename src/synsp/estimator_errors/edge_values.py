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
pose has no picture.

A value on the edge is kept there only where the joint's track reaches the edge and stays (a clamp): its measured
values just before and after the run lie within :data:`CLAMP_NEAR` body sizes of the edge, or move towards it fast
(twice their step covers the distance: a limb swung out at a low frame rate). An estimator that
writes 0 for a coordinate it lost (a snap) puts the joint there from far away, the body 1000 px off: its values
are no edge's, they are left to the glitch and astray steps as any value thrown far (tests/test_border_snaps.py).
Nor is a joint on the edge every other frame only (a frame on it, the next off it, measured, and the one after on it
again): two boxes in turn (:mod:`synsp.inference.alternation`) put the whole body a little further out on one
box's frames, and where the joints' extreme holds still (a walk's ankles on the floor) that box's frames reach it
alone, exactly. A joint beyond the picture is clamped in both boxes' frames; read as a clamp, each of those values
was taken out and filled (a clean walk read from boxes 4 % of the body apart: 300 values, its output 2.38 px from
the truth against the input's 2.15). They are left measured, and the alternation step takes them to the boxes' mean.
Validation: the protocol's inputs hold no such value (outputs unchanged); benchmarks/RESULTS.md,
section 4, "A person cut by the picture's edge: the audit's comparison, values written on the edge".
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import body_size, true_runs

__all__ = ["EDGE_MIN", "WHOLE", "CLAMP_NEAR", "picture_edges", "edge_values", "beyond_edges"]

EDGE_MIN = 3  # values on the clip's extreme, at as many places along the edge (float noise never repeats one so)
# body sizes from the edge within which a run's neighbouring values lie for a clamp: the last value inside is a frame's
# motion from the edge (a few hundredths); a snap comes from the body, a large share of its size away
CLAMP_NEAR = 0.25
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
                    on = _clamped(x, values, on, float(extreme))
                    if on.any():
                        edges.append((axis, side, float(extreme), on))
    return edges


def _clamped(x: np.ndarray, values: np.ndarray, on: np.ndarray, edge: float) -> np.ndarray:
    """``on`` ((..., T, J) bool, the values of ``values`` (..., T, J) on the edge ``edge``) without its snaps: the
    runs of a joint whose measured value just before or just after lies further than :data:`CLAMP_NEAR` body sizes
    (of ``x`` (..., T, J, 2), the person's) from the edge (module docstring). A side without a value says nothing."""
    flat_on, flat_v = on.reshape(-1, *on.shape[-2:]), values.reshape(-1, *values.shape[-2:])
    people = np.asarray(x).reshape(-1, *x.shape[-3:])
    kept = flat_on.copy()
    for v in range(flat_on.shape[0]):
        far = CLAMP_NEAR * body_size(people[v])
        for j in np.flatnonzero(flat_on[v].any(axis=0)):
            track = flat_v[v, :, j]
            for start, stop in true_runs(flat_on[v, :, j]):
                if any(_far(track, t, t + step, edge, far) for t, step in ((start - 1, -1), (stop, 1))):
                    kept[v, start:stop, j] = False
                elif stop - start == 1 and _alone(flat_on[v, :, j], track, start) and any(
                        _alone(flat_on[v, :, j], track, t) for t in (start - 2, start + 2)):
                    kept[v, start, j] = False  # on the edge every other frame: two boxes in turn, no clamp
    return kept.reshape(on.shape)


def _alone(on: np.ndarray, track: np.ndarray, t: int) -> bool:
    """Whether frame ``t`` of a joint's values ``track`` (T,) is on the edge (``on``, (T,) bool) alone: its
    neighbours in the clip (at least one) measured and off it."""
    near = [n for n in (t - 1, t + 1) if 0 <= n < on.size]
    return 0 <= t < on.size and bool(on[t]) and bool(near) and all(not on[n] and np.isfinite(track[n]) for n in near)


def _far(track: np.ndarray, t: int, t_out: int, edge: float, far: float) -> bool:
    """Whether ``track`` (T,)'s value at ``t`` (beside a run on the edge ``edge``) is far from the edge: further than
    ``far``, and not moving towards it fast (twice its step from ``t_out``, the frame further out, covers less). No
    value there (NaN, outside the clip): not far."""
    if not 0 <= t < track.size or not np.isfinite(track[t]):
        return False
    gap = edge - track[t]
    if abs(gap) <= far:
        return False
    step = track[t] - track[t_out] if 0 <= t_out < track.size else np.nan
    return not (np.isfinite(step) and step * gap > 0 and abs(gap) <= 2.0 * abs(step))


def edge_values(poses: np.ndarray, edges: list | None = None) -> np.ndarray:
    """(..., T, J) bool: the values of ``poses`` (..., T, J, C) on the picture's edge (:func:`picture_edges`; or
    ``edges``, its result for ``poses`` read before)."""
    x = np.asarray(poses)
    marked = np.zeros(x.shape[:-1], dtype=bool)
    for *_, on in (picture_edges(x) if edges is None else edges):
        marked |= on
    return marked


def beyond_edges(out: np.ndarray, poses: np.ndarray, along: bool = False, edges: list | None = None) -> np.ndarray:
    """``out`` (like ``poses``, (..., T, J, 2)) with the values ``poses`` held on the picture's edge kept on or beyond
    it: where ``out`` came back inside the picture, on the edge (module docstring). ``along``: their coordinate along
    the edge given back as ``poses`` had it (a gap's fill: the clamp lost the other coordinate only; filled, a foot
    walking across the bottom edge was put 30 px behind its measured x on a validation clip). ``edges``:
    :func:`picture_edges` of ``poses`` read before (None: read here)."""
    edges = picture_edges(poses) if edges is None else edges
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
