"""The one type rotation files (BVH, SMPL parameters) are read into and written from.

Position files become a :class:`~synsp.formats.posedata.PoseData`; files that animate a
skeleton by joint rotations also become a :class:`JointMotion`, through their module's
``read_motion(path)``, and are written back with ``write_motion(path, motion)`` (the rows
of ``FORMATS`` with ``motion=True``). ``synsp refine`` refines such a file on the rotation
manifold (:func:`synsp.rotations.filters.refine_rotations`) and writes the same kind of file,
keeping everything but the motion as the input had it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from synsp.rotations.conversions import forward_kinematics


@dataclass
class JointMotion:
    """A skeleton animated by local joint rotations.

    Attributes
    ----------
    names : tuple of str, J joint names.
    parents : ndarray (J,) int, parent of every joint (-1 for a root), parents first.
    rotations : ndarray (T, J, 3, 3), every joint's rotation relative to its parent.
    translations : ndarray (T, J, 3), every joint's offset from its parent in the parent's
        frame (a root's: its position), in the file's unit.
    animated : ndarray (J,) bool, joints whose translation is part of the motion (a root's
        trajectory, BVH position channels); the others are the skeleton's fixed offsets.
    fps : float, frames per second.
    mm_per_unit : float, millimetres per file unit (10 for BVH centimetres, 1000 for SMPL metres).
    format : str, the ``FORMATS`` name the motion was read from.
    source : Any, what the format's ``write_motion`` needs to rewrite the file as it was
        (the parsed BVH, the npz's other arrays).
    """

    names: tuple[str, ...]
    parents: np.ndarray
    rotations: np.ndarray
    translations: np.ndarray
    animated: np.ndarray
    fps: float
    mm_per_unit: float
    format: str
    source: Any = None

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.rotations.shape[0])

    def positions(self) -> np.ndarray:
        """Global joint positions (T, J, 3) in millimetres, by forward kinematics."""
        return forward_kinematics(self.parents, self.rotations, self.translations)[0] * self.mm_per_unit
