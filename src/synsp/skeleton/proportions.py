"""Other proportions: bodies whose bones are longer or shorter than the poses' own."""
from __future__ import annotations

import numpy as np

from synsp.skeleton.layouts import Layout, check_shape, get_layout
from synsp.skeleton.pose_geometry import bone_tree


def reproportion(x: np.ndarray, layout: str | Layout, factors: np.ndarray) -> np.ndarray:
    """Give the body other proportions: each bone of :func:`bone_tree` is stretched by its
    child's factor, and everything below it moves along.

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``, any unit.
    factors : ndarray (J,)
        Length factor of the bone ending at each joint (the tree's root entry is unused).

    Returns
    -------
    ndarray (..., T, J, C), same dtype; the root keeps its place and every bone its direction.
    """
    layout = get_layout(layout)
    x = check_shape(x, layout)
    factors = np.asarray(factors, dtype=x.dtype)
    if factors.shape != (len(layout.joints),):
        raise ValueError(f"factors must have one entry per joint ({len(layout.joints)}), got shape {factors.shape}")
    out = x.copy()
    for parent, child in bone_tree(layout):
        out[..., child, :] = out[..., parent, :] + (x[..., child, :] - x[..., parent, :]) * factors[child]
    return out


def random_proportions(layout: str | Layout, spread: float, rng: np.random.Generator) -> np.ndarray:
    """(J,) bone-length factors for :func:`reproportion`, uniform in ``1 +- spread`` and the
    same for a joint and its mirror (bodies are left/right symmetric)."""
    layout = get_layout(layout)
    if not 0 <= spread < 1:
        raise ValueError(f"proportions spread must be in [0, 1), got {spread}")
    factors = rng.uniform(1 - spread, 1 + spread, len(layout.joints))
    return factors[np.minimum(np.arange(len(factors)), layout.flip_index)]

