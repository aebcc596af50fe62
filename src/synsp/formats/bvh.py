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

import io
import os
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.posedata import PoseData
from synsp.rotations.conversions import euler_continuous
from synsp.rotations.conversions import forward_kinematics as chain_rotations
from synsp.rotations.conversions import (
    matrix_from_euler as euler_to_matrix,  # the BVH convention, kept under its old name
)
from synsp.skeleton import match_layout

MM_PER_CM = 10.0

_CHANNELS = {f"{a}{kind}" for a in "XYZ" for kind in ("position", "rotation")}


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
    hierarchy : str
        The file's HIERARCHY section as written (End Sites and formatting included), so
        :func:`write_bvh` gives it back unchanged; "" for a motion built in memory.
    newline : str
        The file's line ending, ``"\n"`` or ``"\r\n"`` (Windows tools' files), written back alike.
    frame_time_text : str
        The ``Frame Time:`` value as written (e.g. ``"0.0333333"``), written back while it is
        ``frame_time``'s; "" for a motion built in memory.
    """

    names: tuple[str, ...]
    parents: np.ndarray
    offsets: np.ndarray
    channels: tuple[tuple[str, ...], ...]
    translations: np.ndarray
    rotations: np.ndarray
    orders: tuple[str, ...]
    frame_time: float
    hierarchy: str = ""
    newline: str = "\n"
    frame_time_text: str = ""

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
    # newline="": see its line endings; -sig: skip a byte-order mark, as Windows tools write one
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        text = f.read()
    first = text.find("\n")
    newline = "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
    if "\r" in text:  # read as universal newlines would, so the parser sees "\n" only
        text = text.replace("\r\n", "\n").replace("\r", "\n")
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
        frame_time_text = value.strip()
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
        hierarchy=head.strip(),
        newline=newline,
        frame_time_text=frame_time_text,
    )


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



def _hierarchy_text(motion: BvhMotion) -> str:
    """A HIERARCHY section for a motion built in memory (an End Site of zero length on every leaf)."""
    children: dict[int, list[int]] = {}
    for j, p in enumerate(motion.parents):
        children.setdefault(int(p), []).append(j)
    lines = ["HIERARCHY"]

    def joint(j: int, depth: int) -> None:
        pad = "  " * depth
        lines.append(f"{pad}{'ROOT' if motion.parents[j] < 0 else 'JOINT'} {motion.names[j]}")
        lines.append(f"{pad}{{")
        lines.append(f"{pad}  OFFSET {' '.join(f'{v:.6g}' for v in motion.offsets[j])}")
        if motion.channels[j]:
            lines.append(f"{pad}  CHANNELS {len(motion.channels[j])} {' '.join(motion.channels[j])}")
        for k in children.get(j, []):
            joint(k, depth + 1)
        if j not in children:
            lines.extend([f"{pad}  End Site", f"{pad}  {{", f"{pad}    OFFSET 0 0 0", f"{pad}  }}"])
        lines.append(f"{pad}}}")

    for root in children.get(-1, []):
        joint(root, 0)
    return "\n".join(lines)


def write_bvh(path: str | os.PathLike, motion: BvhMotion) -> None:
    """Write a BVH file atomically: ``motion.hierarchy`` as it was read (or one built from the
    names, offsets and channels), then one row per frame of every joint's channels in their
    CHANNELS order, from ``translations`` (file unit) and ``rotations`` (degrees). The lines end
    with ``motion.newline``; the Frame Time is written as read (``frame_time_text``) while it is
    ``frame_time``.

    Parameters
    ----------
    path : str or PathLike
        The ``.bvh`` file to write.
    motion : BvhMotion
        Its ``translations`` (T, J, 3) and ``rotations`` (T, J, 3) must hold finite numbers.
    """
    from synsp.paths import atomic_path

    n_frames, n_joints = motion.translations.shape[:2]
    if motion.rotations.shape != (n_frames, n_joints, 3) or n_joints != len(motion.names):
        raise ValueError(f"{path}: rotations {motion.rotations.shape} and translations {motion.translations.shape} "
                         f"do not fit {len(motion.names)} joints")
    columns = []
    for j, chans in enumerate(motion.channels):
        rotation = 0
        for c in chans:
            if c.endswith("position"):
                columns.append(motion.translations[:, j, "XYZ".index(c[0])])
            else:
                columns.append(motion.rotations[:, j, rotation])
                rotation += 1
    data = np.stack(columns, axis=1) if columns else np.zeros((n_frames, 0))
    if not np.isfinite(data).all():
        raise ValueError(f"{path}: the motion holds NaN or inf values; a BVH cannot store them")
    head = motion.hierarchy or _hierarchy_text(motion)
    given = motion.frame_time_text
    frame_time = given if given and float(given) == motion.frame_time else f"{motion.frame_time:.7g}"
    # open() turns each "\n" into the input's line ending (CRLF from Windows tools stays CRLF)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline=motion.newline) as f:
        f.write(f"{head}\nMOTION\nFrames: {n_frames}\nFrame Time: {frame_time}\n")
        np.savetxt(f, data, fmt="%.6f")


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
    the two angle triples of a rotation, and their 360-degree turns) nearest the frame before's
    (the first frame's nearest the source's): F-curves without the 180 / 360 degree flips an
    input may have, and an untouched joint without them gets its own numbers back. ``motion`` has
    the source's frames and joints.
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
        angles[:, idx] = euler_continuous(motion.rotations[:, idx], order, start=source.rotations[0, idx])
    has_rotation = np.array([any(c.endswith("rotation") for c in chans) for chans in source.channels])
    angles[:, ~has_rotation] = 0.0
    translations = np.where(motion.animated[None, :, None], motion.translations, source.translations)
    write_bvh(path, replace(source, rotations=angles, translations=translations))
