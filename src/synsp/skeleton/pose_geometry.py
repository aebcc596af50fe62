"""What a pose's root, trunk, mirror and bone tree are in its layout: the root's position, the trunk's
vector, the pose mirrored left to right, the layout's bones as a tree from its root, and the lengths of bones."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.skeleton.layouts import Layout, check_shape, get_layout


def root_joints(layout: str | Layout) -> list[int]:
    """The joints whose mean is a pose's root: the root joint, else both hips, else the first joint."""
    layout = get_layout(layout)
    if layout.root is not None:
        return [layout.root]
    hips = [layout.joints.index(n) for n in ("left_hip", "right_hip") if n in layout.joints]
    return hips if len(hips) == 2 else [0]


def root_position(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The root of every frame: the mean of :func:`root_joints` (the root joint, or the midpoint
    of the hips when there is none).

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``.
    layout : str or Layout

    Returns
    -------
    ndarray (..., T, 1, C)
        Same dtype as ``x``; subtract it for root-relative poses.
    """
    layout = get_layout(layout)
    x = check_shape(x, layout)
    joints = root_joints(layout)
    if len(joints) == 1:
        return x[..., joints[0] : joints[0] + 1, :]
    left, right = joints
    return ((x[..., left : left + 1, :] + x[..., right : right + 1, :]) / 2).astype(x.dtype, copy=False)


def trunk_vector(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """From the hips' midpoint to the shoulders' midpoint, every frame: (..., T, J, C) poses in a
    layout with ``left/right_hip`` and ``left/right_shoulder`` -> (..., T, C), same unit."""
    layout = get_layout(layout)
    x = np.asarray(x)
    side = lambda name: x[..., layout.index(name), :]  # noqa: E731
    return (side("left_shoulder") + side("right_shoulder")) / 2 - (side("left_hip") + side("right_hip")) / 2


def flip_lr(x: np.ndarray, layout: str | Layout, axis: int = 0) -> np.ndarray:
    """Mirror poses: negate one coordinate and swap left and right joints.

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``.
    layout : str or Layout
    axis : int
        The coordinate to negate: the lateral one, 0 (x) for the Y-up mocap and for
        root-relative image coordinates.

    Returns
    -------
    ndarray (..., T, J, C)
        Same shape and dtype; applying it twice gives ``x`` back.
    """
    layout = get_layout(layout)
    x = check_shape(x, layout)
    if not -x.shape[-1] <= axis < x.shape[-1]:
        raise ValueError(f"axis must index one of the {x.shape[-1]} coordinates, got {axis}")
    out = x[..., layout.flip_index, :].copy()
    out[..., axis] = -out[..., axis]
    return out


def joint_distances(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The distance from joint ``a[i]`` to joint ``b[i]`` (two (B,) index arrays: a list of bones) in every pose of
    ``x`` (..., J, C): (..., B), the poses' unit, NaN where an end is NaN. The one reading of bone lengths: whichever
    bones are asked for (a layout's own, cycles included, or its :func:`bone_tree`), in the order asked."""
    bones = x[..., a, :] - x[..., b, :]
    return np.sqrt((bones * bones).sum(axis=-1))  # np.linalg.norm's (the same sums) overhead shows in streams


def layout_bone_lengths(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Each pose's length (..., B) of every bone of ``layout`` in poses ``x`` (..., J, C), the poses' unit, in the
    layout's own bone order, cycles included (COCO's shoulder to shoulder): not :func:`bone_tree`'s, which leaves
    out a bone that closes a loop."""
    bones = np.asarray(get_layout(layout).bones, np.intp).reshape(-1, 2)
    return joint_distances(x, bones[:, 0], bones[:, 1])


def bone_tree(layout: str | Layout) -> list[tuple[int, int]]:
    """The layout's bones as a spanning tree, ``(parent, child)`` in breadth-first order from
    the root (joint 0 for root-less layouts, or the first bone's parent when joint 0 has none:
    Kaggle's Holistic order starts with face points), so that every parent comes before its
    children. Bones that would close a loop (COCO's shoulder-shoulder link, say) are left out."""
    layout = get_layout(layout)
    start = layout.root if layout.root is not None else 0
    if not any(start in bone for bone in layout.bones) and layout.bones:
        start = layout.bones[0][0]
    return list(_spanning_tree(start, tuple(tuple(bone) for bone in layout.bones)))


@lru_cache(maxsize=64)  # streams ask for it for every person at every frame
def _spanning_tree(start: int, bones: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    neighbours: dict[int, list[int]] = {}
    for a, b in bones:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    tree, seen, queue = [], {start}, [start]
    for joint in queue:
        for other in neighbours.get(joint, []):
            if other not in seen:
                seen.add(other)
                tree.append((joint, other))
                queue.append(other)
    return tuple(tree)
