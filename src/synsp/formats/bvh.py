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

As a pose file (:func:`read`, read only: positions alone do not define a BVH's rotations),
positions are converted from the file's unit to millimetres with ``scale`` (default 10:
BVH from mocap studios, Bandai Namco included, is in centimetres). The layout is
``"bandai22"`` when the joint names are the Bandai Namco ones, fps is ``1 / Frame Time``
(rounded to an integer when within 0.001 of one). To turn Bandai Namco mocap into an
h36m17 skeleton, use :mod:`synsp.data.mocap`.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synsp.formats.posedata import PoseData
from synsp.skeleton import match_layout

MM_PER_CM = 10.0

_AXES = {"X": 0, "Y": 1, "Z": 2}
_CHANNELS = {f"{a}{kind}" for a in _AXES for kind in ("position", "rotation")}


@dataclass(frozen=True)
class BvhMotion:
    """One BVH file, parsed. Joints are in file (depth-first) order, so parents come first.

    Attributes
    ----------
    names : tuple[str, ...]
        Joint names, J of them (End Sites excluded).
    parents : ndarray (J,) int
        Parent index of every joint; -1 for the root.
    offsets : ndarray (J, 3) float64
        OFFSET lines, in the file's unit (centimetres for Bandai Namco).
    channels : tuple[tuple[str, ...], ...]
        The CHANNELS names of every joint, in file order.
    translations : ndarray (T, J, 3) float64
        Local translation of every joint per frame: the position channels where the joint
        has them (they replace the OFFSET), else the OFFSET.
    rotations : ndarray (T, J, 3) float64
        Euler angles in degrees, in each joint's own order (``orders``); zeros for a joint
        without rotation channels.
    orders : tuple[str, ...]
        Rotation order per joint, e.g. ``"ZXY"`` for ``Zrotation Xrotation Yrotation``.
    frame_time : float
        Seconds per frame (1/30 for Bandai Namco).
    """

    names: tuple[str, ...]
    parents: np.ndarray
    offsets: np.ndarray
    channels: tuple[tuple[str, ...], ...]
    translations: np.ndarray
    rotations: np.ndarray
    orders: tuple[str, ...]
    frame_time: float

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.translations.shape[0])

    @property
    def fps(self) -> float:
        """Frames per second, ``1 / frame_time``."""
        return 1.0 / self.frame_time


def _parse_hierarchy(tokens: list[str], where: str):
    """Joint names, parents, offsets and channel lists from the HIERARCHY tokens."""
    names: list[str] = []
    parents: list[int] = []
    offsets: list[list[float]] = []
    channels: list[tuple[str, ...]] = []
    stack: list[int] = []  # open joints; -2 marks an open End Site
    pending: int | None = None  # joint declared, its "{" not yet seen
    i = 0
    try:
        while i < len(tokens):
            tok = tokens[i]
            if tok in ("ROOT", "JOINT"):
                if (tok == "ROOT") != (not stack) or (stack and stack[-1] == -2):
                    raise ValueError(f"unexpected {tok} {tokens[i + 1]!r}")
                parent = stack[-1] if stack else -1
                names.append(tokens[i + 1])
                parents.append(parent)
                offsets.append([0.0, 0.0, 0.0])
                channels.append(())
                pending = len(names) - 1
                i += 2
            elif tok == "End":
                if not stack or tokens[i + 1] != "Site":
                    raise ValueError("misplaced End Site")
                pending = -2
                i += 2
            elif tok == "{":
                if pending is None:
                    raise ValueError("'{' without a joint")
                stack.append(pending)
                pending = None
                i += 1
            elif tok == "}":
                if not stack:
                    raise ValueError("unbalanced '}'")
                stack.pop()
                i += 1
            elif tok == "OFFSET":
                values = [float(v) for v in tokens[i + 1 : i + 4]]
                if not stack or len(values) != 3:
                    raise ValueError("misplaced or short OFFSET")
                if stack[-1] >= 0:
                    offsets[stack[-1]] = values
                i += 4
            elif tok == "CHANNELS":
                n = int(tokens[i + 1])
                chans = tuple(tokens[i + 2 : i + 2 + n])
                if not stack or stack[-1] < 0 or len(chans) != n:
                    raise ValueError("misplaced or short CHANNELS")
                unknown = [c for c in chans if c not in _CHANNELS]
                if unknown:
                    raise ValueError(f"unknown channel {unknown[0]!r} in joint {names[stack[-1]]!r}")
                channels[stack[-1]] = chans
                i += 2 + n
            else:
                raise ValueError(f"unexpected token {tok!r}")
    except IndexError:
        raise ValueError(f"{where}: truncated HIERARCHY") from None
    except ValueError as err:
        raise ValueError(f"{where}: bad HIERARCHY: {err}") from None
    if stack or pending is not None:
        raise ValueError(f"{where}: bad HIERARCHY: unbalanced braces")
    if not names:
        raise ValueError(f"{where}: bad HIERARCHY: no ROOT joint")
    return names, parents, offsets, channels


def read_bvh(path: str | os.PathLike) -> BvhMotion:
    """Read a BVH file.

    Parameters
    ----------
    path : str or PathLike
        The ``.bvh`` file.

    Returns
    -------
    BvhMotion
        Hierarchy plus per-frame local translations (T, J, 3), in the file's unit, and Euler
        rotations (T, J, 3), in degrees.

    Raises
    ------
    ValueError
        If the file is malformed (naming the file and the problem), including a ``Frames:``
        count that differs from the number of motion rows.
    """
    where = os.fspath(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    head, sep, motion = text.partition("MOTION")
    if not sep:
        raise ValueError(f"{where}: no MOTION section")
    tokens = head.split()
    if not tokens or tokens[0] != "HIERARCHY":
        raise ValueError(f"{where}: does not start with HIERARCHY")
    names, parents, offsets, channels = _parse_hierarchy(tokens[1:], where)

    # Two header lines ("Frames: N", "Frame Time: dt"), then one row of numbers per frame.
    lines = motion.lstrip().split("\n", 2)
    if len(lines) < 2:
        raise ValueError(f"{where}: MOTION header is incomplete")
    try:
        key, value = lines[0].split(":")
        if key.strip() != "Frames":
            raise ValueError
        n_frames = int(value)
        key, value = lines[1].split(":")
        if key.strip() != "Frame Time":
            raise ValueError
        frame_time = float(value)
    except ValueError:
        raise ValueError(f"{where}: MOTION header must be 'Frames: N' and 'Frame Time: dt'") from None
    if frame_time <= 0:
        raise ValueError(f"{where}: Frame Time must be positive, got {frame_time}")

    n_channels = sum(len(c) for c in channels)
    body = lines[2] if len(lines) > 2 else ""
    if body.strip():
        try:
            data = np.loadtxt(io.StringIO(body), dtype=np.float64, ndmin=2)
        except ValueError as err:
            reason = str(err).split(";")[0]  # without numpy's advice about usecols
            raise ValueError(f"{where}: bad MOTION data, each row must hold {n_channels} numbers ({reason})") from None
    else:
        data = np.zeros((0, n_channels))
    if data.shape[0] != n_frames:
        raise ValueError(f"{where}: header says Frames: {n_frames} but {data.shape[0]} rows were read")
    if data.shape[1] != n_channels:
        raise ValueError(f"{where}: rows have {data.shape[1]} values, the HIERARCHY declares {n_channels} channels")

    n_joints = len(names)
    offsets_arr = np.asarray(offsets, dtype=np.float64)
    translations = np.broadcast_to(offsets_arr, (n_frames, n_joints, 3)).copy()
    rotations = np.zeros((n_frames, n_joints, 3))
    orders = []
    column = 0
    for j, chans in enumerate(channels):
        pos = {c[0]: column + k for k, c in enumerate(chans) if c.endswith("position")}
        rot = [(c[0], column + k) for k, c in enumerate(chans) if c.endswith("rotation")]
        column += len(chans)
        if pos:
            if len(pos) != 3:
                raise ValueError(f"{where}: joint {names[j]!r} needs 0 or 3 position channels, has {len(pos)}")
            translations[:, j] = data[:, [pos["X"], pos["Y"], pos["Z"]]]
        if rot and len({a for a, _ in rot}) != 3:
            raise ValueError(f"{where}: joint {names[j]!r} needs 0 or 3 distinct rotation channels")
        if rot:
            rotations[:, j] = data[:, [c for _, c in rot]]
        orders.append("".join(a for a, _ in rot) or "XYZ")
    return BvhMotion(
        names=tuple(names),
        parents=np.asarray(parents, dtype=np.int64),
        offsets=offsets_arr,
        channels=tuple(channels),
        translations=translations,
        rotations=rotations,
        orders=tuple(orders),
        frame_time=frame_time,
    )


def euler_to_matrix(angles: np.ndarray, order: str) -> np.ndarray:
    """Rotation matrices from Euler angles in BVH (intrinsic) convention.

    Parameters
    ----------
    angles : ndarray (..., 3)
        Angles in degrees, listed in ``order``.
    order : str
        Axis letters, e.g. ``"ZXY"``: ``R = Rz(a0) @ Rx(a1) @ Ry(a2)``.

    Returns
    -------
    ndarray (..., 3, 3)
        Rotation matrices acting on column vectors.
    """
    angles = np.asarray(angles, dtype=np.float64)
    if angles.shape[-1:] != (3,) or len(order) != 3 or set(order.upper()) != set("XYZ"):
        raise ValueError(f"angles must be (..., 3) with an order like 'ZXY', got {angles.shape} and {order!r}")
    rad = np.deg2rad(angles)
    result = None
    for k, axis in enumerate(order.upper()):
        c, s = np.cos(rad[..., k]), np.sin(rad[..., k])
        m = np.zeros(angles.shape[:-1] + (3, 3))
        a = _AXES[axis]
        b, d = (a + 1) % 3, (a + 2) % 3  # the plane the rotation about `a` acts in
        m[..., a, a] = 1.0
        m[..., b, b] = c
        m[..., d, d] = c
        m[..., b, d] = -s
        m[..., d, b] = s
        result = m if result is None else result @ m
    return result


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
    n_frames, n_joints = motion.translations.shape[:2]
    local = np.empty((n_frames, n_joints, 3, 3))
    for order in set(motion.orders):
        idx = [j for j, o in enumerate(motion.orders) if o == order]
        local[:, idx] = euler_to_matrix(motion.rotations[:, idx], order)
    positions = np.empty((n_frames, n_joints, 3))
    rotations = np.empty_like(local)
    for j, p in enumerate(motion.parents):
        if p < 0:
            positions[:, j] = motion.translations[:, j]
            rotations[:, j] = local[:, j]
        else:
            positions[:, j] = positions[:, p] + np.einsum("tab,tb->ta", rotations[:, p], motion.translations[:, j])
            rotations[:, j] = rotations[:, p] @ local[:, j]
    return positions, rotations


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
    fps = float(motion.fps)
    if abs(fps - round(fps)) < 1e-3:  # "Frame Time: 0.0333333" means 30 fps, not 30.00003
        fps = float(round(fps))
    return PoseData(poses=positions[None] * scale, layout=match_layout(names), fps=fps,
                    format="bvh", extra={"bvh": {"joints": names}})

