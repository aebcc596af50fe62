"""The clip's own consistency: a person's bones keep their length over a clip.

Whatever points a skeleton marks, a rigid segment between two of them keeps its length, and
a left bone is as long as its right partner. An estimator's slow errors (drift, depth and size
errors) break both, and no 8-frame window sees enough of the clip to notice. Pulling every
bone part of the way towards the clip's own (left/right averaged) median length corrects
them without assuming anything about the person or the skeleton's joint definitions.
Only for 3D: in an image, bones shorten when they turn away from the camera.
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, bone_tree, get_layout

STRENGTH = 0.5  # share of each bone's deviation from the clip's length that is removed (chosen on the validation split)


def bone_lengths(x: np.ndarray, layout: str | Layout) -> dict[int, float]:
    """The clip's length of the bone ending at each joint of :func:`bone_tree`: the median over
    frames, averaged between left and right partners. ``x`` (T, J, 3) without NaN."""
    layout = get_layout(layout)
    parents, children = np.array(bone_tree(layout)).T
    # One median for all bones: streams call this for every frame.
    bones = x[:, children] - x[:, parents]
    medians = np.median(np.sqrt((bones * bones).sum(axis=-1)), axis=0)
    lengths = dict(zip(children.tolist(), medians.tolist()))
    for left, right in layout.left_right:
        if left in lengths and right in lengths:
            lengths[left] = lengths[right] = (lengths[left] + lengths[right]) / 2
    return lengths


def constant_bone_lengths(x: np.ndarray, layout: str | Layout, strength: float = STRENGTH,
                          lengths: dict[int, float] | None = None) -> np.ndarray:
    """Move each joint along its bone so that the bone's length comes ``strength`` of the way
    to the clip's length; the joints below it move along.

    Parameters
    ----------
    x : ndarray (..., T, J, 3)
        Poses without NaN, any unit.
    strength : 0 (nothing) .. 1 (exactly the clip's lengths).
    lengths : bone lengths to aim at (default: :func:`bone_lengths` of each sequence).

    Returns
    -------
    ndarray shaped and typed like ``x``; the root joint and every bone's direction are kept.
    """
    layout = get_layout(layout)
    x = np.asarray(x)
    if x.ndim > 3:
        return np.stack([constant_bone_lengths(v, layout, strength, lengths) for v in x])
    target = bone_lengths(x, layout) if lengths is None else lengths
    source = x.astype(np.float64)
    out = source.copy()
    for parent, child in bone_tree(layout):
        bone = source[:, child] - source[:, parent]
        length = np.sqrt((bone * bone).sum(axis=-1, keepdims=True))  # np.linalg.norm's overhead shows in streams
        wanted = length + strength * (target[child] - length)
        out[:, child] = out[:, parent] + bone / np.maximum(length, 1e-9) * wanted
    return out.astype(x.dtype, copy=False)
