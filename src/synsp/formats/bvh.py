"""BVH motion capture, read only (positions alone do not define a BVH's rotations).

Global joint positions come from forward kinematics.

Positions are converted from the file's unit to millimetres with ``scale`` (default 10:
BVH from mocap studios, Bandai Namco included, is in centimetres). The layout is
``"bandai22"`` when the joint names are the Bandai Namco ones, fps is ``1 / Frame Time``
(rounded to an integer when within 0.001 of one).
To turn Bandai Namco mocap into an h36m17 skeleton, use :mod:`synsp.mocap`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from synsp.formats import PoseData
from synsp.formats.joints import match_layout

MM_PER_CM = 10.0


def read(path: Path, scale: float = MM_PER_CM) -> PoseData:
    """Read a BVH file's joint positions.

    Parameters
    ----------
    path : Path
        The ``.bvh`` file.
    scale : float
        Factor from the file's unit to millimetres (10 for centimetres, 1000 for metres).

    Returns
    -------
    PoseData
        ``poses`` (1, T, J, 3) millimetres, ``scores`` None, ``extra["bvh"]["joints"]`` the names.
    """
    from synsp.bvh import forward_kinematics, read_bvh

    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    motion = read_bvh(path)
    positions, _ = forward_kinematics(motion)  # (T, J, 3) file unit
    names = list(motion.names)
    fps = float(motion.fps)
    if abs(fps - round(fps)) < 1e-3:  # "Frame Time: 0.0333333" means 30 fps, not 30.00003
        fps = float(round(fps))
    return PoseData(poses=positions[None] * scale, layout=match_layout(names), fps=fps,
                    format="bvh", extra={"bvh": {"joints": names}})

