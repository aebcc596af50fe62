"""The :class:`Layout` type: a joint layout's names, bones, left/right pairs and root. Every known
layout is in :mod:`~synsp.skeleton.layouts` (:data:`~synsp.skeleton.layouts.LAYOUTS`); SMPL-H's and
SMPL-X's in :mod:`~synsp.skeleton.smplx_layouts`, which both build on this type.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Layout:
    """A joint layout.

    Attributes
    ----------
    name : str
        Key in :data:`LAYOUTS`.
    joints : tuple[str, ...]
        Joint names in array order.
    bones : tuple[tuple[int, int], ...]
        ``(parent, child)`` index pairs to draw or measure.
    left_right : tuple[tuple[int, int], ...]
        ``(left, right)`` index pairs swapped by a mirror.
    root : int or None
        Index of the root (pelvis) joint; ``None`` when the layout has none (COCO,
        MediaPipe): use :func:`root_position`, the midpoint of the hips.
    """

    name: str
    joints: tuple[str, ...]
    bones: tuple[tuple[int, int], ...]
    left_right: tuple[tuple[int, int], ...]
    root: int | None

    @property
    def flip_index(self) -> np.ndarray:
        """Permutation (J,) that swaps every left joint with its right partner."""
        return pair_flip(self.left_right, len(self.joints))

    @property
    def sides(self) -> np.ndarray:
        """(J,) +1 for a left joint, -1 for a right one, 0 for a joint of no pair (the midline)."""
        side = np.zeros(len(self.joints), dtype=np.int8)
        for left, right in self.left_right:
            side[left], side[right] = 1, -1
        return side

    def index(self, joint: str) -> int:
        """Index of the joint called ``joint``."""
        return self.joints.index(joint)


def pair_flip(pairs: Sequence[tuple[int, int]], n_joints: int) -> np.ndarray:
    """Permutation (``n_joints``,) that swaps the two joints of each (left, right) of ``pairs``."""
    index = np.arange(n_joints)
    for left, right in pairs:
        index[left], index[right] = right, left
    return index
