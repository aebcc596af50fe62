"""Bring pose windows to the unit range the networks are trained on, and back.

3D: root-relative millimetres divided by 1000 (metres); a fixed scale keeps bone lengths
meaningful to the network. 2D: each window is centred on its mean keypoint and divided
by the size of the person's box, so any image size and any distance to the camera look
alike; a network that sees each coordinate alone (2D SmoothNet, when it refines) centres each
coordinate on its own mean instead (``each_point``). Both statistics come from the *input*
window only (never the ground truth), so training and inference normalise alike.
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import box_sides, sorted_median

MM_PER_UNIT_3D = 1000.0


def window_stats(windows: np.ndarray, space: str, *, each_point: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Centre and scale of each window.

    Parameters
    ----------
    windows : (..., F, J, C) array of input (noisy) windows, no NaN.
    space : "3d" (millimetres) or "2d" (pixels).
    each_point : 2D: centre each coordinate on its own mean over the window's frames, not on
        the mean keypoint. A per-coordinate network's output then does not depend on the
        other points a file has: 2D SmoothNet's did, and a Halpe-26 or BODY-25 file's feet
        made its COCO points worse than the input on jitter (benchmarks/RESULTS.md, section 11).

    Returns
    -------
    centre : (..., 1, 1, C), or (..., 1, J, C) with ``each_point`` in 2D, and scale :
    (..., 1, 1, 1), broadcastable against ``windows``.
    """
    lead = windows.shape[:-3]
    c = windows.shape[-1]
    if space == "3d":
        return np.zeros(lead + (1, 1, c), windows.dtype), np.full(lead + (1, 1, 1), MM_PER_UNIT_3D, windows.dtype)
    if space != "2d":
        raise ValueError(f"space must be '3d' or '2d', got {space!r}")
    centre = windows.mean(axis=-3 if each_point else (-3, -2), keepdims=True)
    extent = box_sides(windows)  # (..., F, C): per-frame box sides
    size = sorted_median(extent.max(axis=-1), axis=-1)[..., None, None, None]  # (..., 1, 1, 1)
    # Only a window whose joints all lie on one point has no size: any floor above 0 would squash
    # poses in a tiny unit (pixels x 1e-8: 1e-3 made the output twice as far as the input).
    return centre, np.where(size > 0, size, 1.0).astype(windows.dtype)


def normalize(windows: np.ndarray, centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``(windows - centre) / scale``; shapes as returned by :func:`window_stats`."""
    return (windows - centre) / scale


def denormalize(windows: np.ndarray, centre: np.ndarray, scale: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """Inverse of :func:`normalize`. ``in_place``: written over ``windows`` (the same values, one
    full-size copy fewer: a long clip's windows are 100+ MB) and returned, when its dtype is the result's
    (float32 windows, float64 stats: a new array, as without it)."""
    if not in_place or np.result_type(windows, scale, centre) != windows.dtype:
        return windows * scale + centre
    np.multiply(windows, scale, out=windows)
    return np.add(windows, centre, out=windows)
