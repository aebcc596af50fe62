"""Bring pose windows to the unit range the networks are trained on, and back.

3D: root-relative millimetres divided by 1000 (metres); a fixed scale keeps bone lengths
meaningful to the network. 2D: each window is centred on its mean keypoint and divided
by the size of the person's box, so any image size and any distance to the camera look
alike (2D SmoothNet, which sees each coordinate alone, is centred on each coordinate's own
mean when it refines: ``Refiner.refine_windows``; it was trained as above). Both statistics
come from the *input* window only (never the ground truth), so training and inference
normalise alike.
"""
from __future__ import annotations

import numpy as np

MM_PER_UNIT_3D = 1000.0


def window_stats(windows: np.ndarray, space: str) -> tuple[np.ndarray, np.ndarray]:
    """Centre and scale of each window.

    Parameters
    ----------
    windows : (..., F, J, C) array of input (noisy) windows, no NaN.
    space : "3d" (millimetres) or "2d" (pixels).

    Returns
    -------
    centre : (..., 1, 1, C) and scale : (..., 1, 1, 1), broadcastable against ``windows``.
    """
    lead = windows.shape[:-3]
    c = windows.shape[-1]
    if space == "3d":
        return np.zeros(lead + (1, 1, c), windows.dtype), np.full(lead + (1, 1, 1), MM_PER_UNIT_3D, windows.dtype)
    if space != "2d":
        raise ValueError(f"space must be '3d' or '2d', got {space!r}")
    centre = windows.mean(axis=(-3, -2), keepdims=True)
    extent = windows.max(axis=-2) - windows.min(axis=-2)  # (..., F, C): per-frame box sides
    size = np.median(extent.max(axis=-1), axis=-1)[..., None, None, None]  # (..., 1, 1, 1)
    return centre, np.maximum(size, 1e-3).astype(windows.dtype)


def normalize(windows: np.ndarray, centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``(windows - centre) / scale``; shapes as returned by :func:`window_stats`."""
    return (windows - centre) / scale


def denormalize(windows: np.ndarray, centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Inverse of :func:`normalize`."""
    return windows * scale + centre
