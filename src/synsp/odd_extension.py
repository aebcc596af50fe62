"""A sequence extended past its ends by an odd reflection: frame -k is ``2 * e - x[k]``, frame T-1+k is
``2 * e' - x[T-1-k]``, with ``e``, ``e'`` the end frames (scipy's ``sosfiltfilt`` odd padding) or the ends of a
straight line fitted to the ``fit`` end frames, so an end frame's own noise is not kept in what is reflected about it.

One piece for the zero-phase low-pass's padding (:func:`synsp.filters.butterworth`'s ``end_fit``) and a clip's
extension before its network windows are cut (:mod:`synsp.inference.edge_pad`).
"""
from __future__ import annotations

import numpy as np

__all__ = ["line_end", "odd_extension"]


def _part(y: np.ndarray, axis: int, start: int | None, stop: int | None = None, step: int | None = None) -> np.ndarray:
    return y[(slice(None),) * axis + (slice(start, stop, step),)]


def line_end(y: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """The value at index 0 along ``axis`` of the least-squares line through ``y``'s values along it, and its slope
    per index (each kept as an axis of length 1; float64 or ``y``'s wider float)."""
    t = np.arange(y.shape[axis], dtype=np.float64)
    weights = (t - t.mean()) / ((t - t.mean()) ** 2).sum()
    slope = np.tensordot(np.moveaxis(y, axis, -1), weights, axes=1)
    return np.expand_dims(np.mean(y, axis=axis) - slope * t.mean(), axis), np.expand_dims(slope, axis)


def _end(x: np.ndarray, axis: int, fit: int) -> tuple[np.ndarray, np.ndarray]:
    """The value reflected about at index 0 of ``x`` along ``axis`` and the slope run on past its other end."""
    n = min(fit, x.shape[axis])
    if n > 2:
        return line_end(_part(x, axis, None, n), axis)
    if x.shape[axis] > 1:
        return _part(x, axis, 0, 1), _part(x, axis, 1, 2) - _part(x, axis, 0, 1)
    return _part(x, axis, 0, 1), np.zeros_like(_part(x, axis, 0, 1))


def _before(x: np.ndarray, axis: int, pad: int, fit: int) -> np.ndarray:
    """The ``pad`` frames before index 0 of ``x`` along ``axis``, frames -pad .. -1."""
    end, slope = _end(x, axis, fit)
    frames = x.shape[axis]
    if pad < frames:  # scipy's odd padding's steps
        return 2 * end - _part(x, axis, pad, 0, -1)
    k = np.arange(pad, 0, -1)  # a sequence shorter than the extension: the reflection runs on along the line
    reach = np.minimum(k, frames - 1)
    shape = [1] * x.ndim
    shape[axis] = pad
    return 2 * end - np.take(x, reach, axis=axis) - (k - reach).reshape(shape) * slope


def odd_extension(x: np.ndarray, before: int, after: int, axis: int, fit: int = 1) -> np.ndarray:
    """``x`` extended by ``before`` frames before index 0 and ``after`` past its end along ``axis``, each end's odd
    reflection about the end frame (``fit`` <= 2) or about the end of the straight line fitted to its ``fit`` end
    frames. Frames past the whole reflected sequence (an extension longer than ``x``) run on along that line (the
    end frames' step when ``fit`` <= 2). The same rule at both ends: reversed ``x``, reversed extension."""
    axis = axis % x.ndim
    parts = [x]
    if before > 0:
        parts.insert(0, _before(x, axis, before, fit))
    if after > 0:
        parts.append(_part(_before(_part(x, axis, None, None, -1), axis, after, fit), axis, None, None, -1))
    return np.concatenate(parts, axis=axis)
