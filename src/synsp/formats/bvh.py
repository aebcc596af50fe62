"""BVH motion files: a small parser, vectorised forward kinematics, and the PoseData reader.

Written for the Bandai Namco Research Motion datasets (30 fps, centimetres, Y up), whose
files have one quirk: every joint carries 6 channels, and a joint's position channels are
its *full* local translation; they replace the joint's OFFSET instead of adding to it.
This reader follows that rule for any joint with position channels and uses the OFFSET
for joints without them (the usual BVH case). Rotation order is read per joint from its
CHANNELS line. End Sites are skipped: they carry no channels and these files' are zero.

Euler convention: a CHANNELS line ``Zrotation Xrotation Yrotation`` means the local rotation
``R = Rz(z) @ Rx(x) @ Ry(y)`` applied to column vectors (intrinsic rotations in the listed
order; scipy's ``Rotation.from_euler("ZXY", [z, x, y], degrees=True)``).

>>> motion = read_bvh("dataset-1_walk_normal_001.bvh")          # doctest: +SKIP
>>> positions, rotations = forward_kinematics(motion)           # (T, J, 3) cm, (T, J, 3, 3)

As joint rotations (:func:`read_motion`, :func:`write_motion`), a BVH is refined on the
rotation manifold by ``synsp refine`` and written back with the input's hierarchy, channel
orders, frame time (its digits as written) and line endings (CRLF stays CRLF)
(:func:`write_bvh`); only the motion rows change.

As a pose file (:func:`read`; not writable from positions, which do not define rotations),
positions are converted from the file's unit to millimetres with ``scale`` (default 10:
BVH from mocap studios, Bandai Namco included, is in centimetres). The layout is
``"bandai22"`` when the joint names are the Bandai Namco ones, fps is ``1 / Frame Time``
(rounded to an integer when within 0.001 of one). To turn Bandai Namco mocap into an
h36m17 skeleton, use :mod:`synsp.data.mocap`.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.formats.bvh_text import BvhMotion, read_bvh, write_bvh
from synsp.formats.motion import JointMotion
from synsp.formats.posedata import PoseData
from synsp.rotations.conversions import euler_continuous
from synsp.rotations.conversions import forward_kinematics as chain_rotations
from synsp.rotations.conversions import (
    matrix_from_euler as euler_to_matrix,  # the BVH convention, kept under its old name
)
from synsp.skeleton import match_layout

MM_PER_CM = 10.0

def forward_kinematics(motion: BvhMotion) -> tuple[np.ndarray, np.ndarray]:
    """Global joint positions and orientations of every frame.

    Vectorised over frames; loops over joints once, in hierarchy order.

    Parameters
    ----------
    motion : BvhMotion
        A parsed file (see :func:`read_bvh`).

    Returns
    -------
    positions : ndarray (T, J, 3) float64
        Global joint positions, in the file's unit (centimetres for Bandai Namco).
    rotations : ndarray (T, J, 3, 3) float64
        Global orientation of every joint's frame (columns = its local axes in world).
    """
    return chain_rotations(motion.parents, _local_matrices(motion), motion.translations)


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
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    motion = read_bvh(path)
    positions, _ = forward_kinematics(motion)  # (T, J, 3) file unit
    names = list(motion.names)
    return PoseData(poses=positions[None] * scale, layout=match_layout(names), fps=_whole_fps(motion.fps),
                    format="bvh", extra={"bvh": {"joints": names}})



def _local_matrices(motion: BvhMotion) -> np.ndarray:
    """Every joint's local rotation (T, J, 3, 3) from its Euler channels."""
    local = np.empty(motion.rotations.shape + (3,))
    for order in set(motion.orders):
        idx = [j for j, o in enumerate(motion.orders) if o == order]
        local[:, idx] = euler_to_matrix(motion.rotations[:, idx], order)
    return local


def _whole_fps(fps: float) -> float:
    """``1 / Frame Time`` as the rate meant: "Frame Time: 0.0333333" means 30 fps, not 30.00003."""
    fps = float(fps)
    return float(round(fps)) if abs(fps - round(fps)) < 1e-3 else fps


def read_motion(path: str | os.PathLike, scale: float = MM_PER_CM) -> JointMotion:
    """Read a BVH file as joint rotations (:class:`~synsp.formats.motion.JointMotion`).

    Joints with position channels have an animated translation (the root's trajectory; in
    Bandai Namco files every joint's, nearly constant below the hips).
    """
    motion = read_bvh(path)
    if motion.n_frames == 0:
        raise ValueError(f"{path}: no frames (Frames: 0), nothing to refine")
    _check_finite(motion, path)
    animated = np.array([any(c.endswith("position") for c in chans) for chans in motion.channels])
    return JointMotion(names=motion.names, parents=motion.parents, rotations=_local_matrices(motion),
                       translations=motion.translations, animated=animated, fps=_whole_fps(motion.fps),
                       mm_per_unit=scale, format="bvh", source=motion)


def _check_finite(motion: BvhMotion, path) -> None:
    """Refuse a non-finite channel value, naming its frame, joint and channel: joint rotations hold
    no gaps (an SMPL file's NaN poses are refused alike); the positions route reads them as missing."""
    for j, chans in enumerate(motion.channels):
        rot = [c for c in chans if c.endswith("rotation")]
        values = [(c, motion.rotations[:, j, k]) for k, c in enumerate(rot)]
        if any(c.endswith("position") for c in chans):
            values += [(f"{a}position", motion.translations[:, j, k]) for k, a in enumerate("XYZ")]
        bad = [(int(np.flatnonzero(~np.isfinite(v))[0]), c, v) for c, v in values if not np.isfinite(v).all()]
        if bad:
            frame, channel, v = min(bad, key=lambda b: b[0])
            raise ValueError(f"{path}: frame {frame + 1}, joint {motion.names[j]!r} channel {channel} is {v[frame]}; "
                             "joint rotations need every channel a number (an output .csv or .npz refines "
                             "it as joint positions, with that frame missing)")


def write_motion(path: str | os.PathLike, motion: JointMotion) -> None:
    """Write a :class:`~synsp.formats.motion.JointMotion` read from a BVH file back as BVH.

    The hierarchy, channel orders and frame time are the source file's; the Euler angles are
    recomputed from ``motion.rotations`` in each joint's own order, each frame's on the branch (of
    the two angle triples of a rotation, and their 360-degree turns) that continues the frame before's
    as the source's angles move, within the range the source's span and (-180, 180]
    (``euler_continuous``'s ``follow``): a root spinning through 180 degrees is written in
    (-180, 180] with its wraps, as read, not unwrapped; a flip of the source's within that range (a
    frame on the other branch) is smoothed away; an untouched joint gets its own numbers back.
    ``motion`` has the source's frames and joints.
    """
    source = motion.source
    if not isinstance(source, BvhMotion):
        raise ValueError(f"{path}: only a motion read from a BVH file can be written as BVH (this one is "
                         f"{motion.format or 'built in memory'})")
    if motion.rotations.shape != (source.n_frames, len(source.names), 3, 3):
        raise ValueError(f"{path}: rotations {motion.rotations.shape} do not fit the source's "
                         f"{source.n_frames} frames of {len(source.names)} joints")
    angles = np.empty_like(source.rotations)
    for order in set(source.orders):
        idx = [j for j, o in enumerate(source.orders) if o == order]
        angles[:, idx] = euler_continuous(motion.rotations[:, idx], order, follow=source.rotations[:, idx])
    has_rotation = np.array([any(c.endswith("rotation") for c in chans) for chans in source.channels])
    angles[:, ~has_rotation] = 0.0
    translations = np.where(motion.animated[None, :, None], motion.translations, source.translations)
    write_bvh(path, replace(source, rotations=angles, translations=translations))
