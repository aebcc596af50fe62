"""BVH text: the HIERARCHY and MOTION sections parsed into a :class:`BvhMotion`
(:func:`read_bvh`) and written back from one (:func:`write_bvh`), the file's own formatting,
line endings and frame time kept. What the channels mean (forward kinematics, joint rotations,
poses) is :mod:`synsp.formats.bvh`'s."""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

import numpy as np

_CHANNELS = {f"{a}{kind}" for a in "XYZ" for kind in ("position", "rotation")}
# The MOTION keyword: a word of its own at a line's start, so that a joint named "SpineMOTIONfix" is no section break
_MOTION = re.compile(r"^[ \t]*MOTION(?=\s|$)", re.MULTILINE)


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
    header_labels : tuple[str, str]
        The two MOTION header lines up to their values, as written (``"Frames:\\t"``,
        ``"Frame Time:\\t"`` from tools that use tabs), written back alike.
    number_format : str
        The printf format the MOTION rows are written with: the input's (:func:`number_format`), so a
        value keeps the digits it was read with (``5.1072e-06`` is not ``0.000005``).
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
    header_labels: tuple[str, str] = ("Frames: ", "Frame Time: ")
    number_format: str = "%.6f"

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.translations.shape[0])

    @property
    def fps(self) -> float:
        """Frames per second, ``1 / frame_time``."""
        return 1.0 / self.frame_time


def _tokens(head: str) -> list[str]:
    """The HIERARCHY text's tokens, split at white space, but for a joint's name: the rest of its ROOT or
    JOINT line, stripped, spaces and all (3ds Max Biped's ``JOINT Bip01 L Thigh``), a ``{`` written on the
    same line after it split off."""
    tokens: list[str] = []
    for line in head.split("\n"):
        words = line.split(None, 1)
        if len(words) == 2 and words[0] in ("ROOT", "JOINT"):
            name = words[1].strip()
            brace = name.endswith("{") and (len(name) == 1 or name[-2].isspace())
            name = name[:-1].rstrip() if brace else name
            tokens += [words[0], name] if name else [words[0]]
            tokens += ["{"] if brace else []
        else:
            tokens += line.split()
    return tokens


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
                if tokens[i + 1] in ("{", "}"):
                    raise ValueError(f"{tok} without a name")
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
    found = _MOTION.search(text)
    if found is None:
        raise ValueError(f"{where}: no MOTION section")
    head, motion = text[:found.start()], text[found.end():]
    tokens = _tokens(head)
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
        labels = tuple(line[:len(line) - len(line.split(":", 1)[1].lstrip())] for line in lines[:2])
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
        header_labels=labels,
        number_format=number_format(body),
    )


def number_format(body: str, cells: int = 100_000) -> str:
    """The printf format the MOTION rows ``body`` were written with, read from its first ``cells`` numbers:
    ``"%.Nf"`` when every one has N decimals and no exponent (a fixed-point writer's), else ``"%.Ng"``
    with the most significant digits any has (C++ streams' 6: ``90.458``, ``-0``, ``5.1072e-06``),
    at least 6 and at most 17; ``"%.6f"`` for no rows."""
    numbers = body.split(maxsplit=cells)[:cells]
    if not numbers:
        return "%.6f"
    mantissas = [n.lower().partition("e")[0].lstrip("+-") for n in numbers]
    decimals = {len(m.partition(".")[2]) if "." in m else None for m in mantissas}
    if len(decimals) == 1 and None not in decimals and all("e" not in n.lower() for n in numbers):
        return f"%.{decimals.pop()}f"
    digits = max(len(m.replace(".", "").lstrip("0")) for m in mantissas)
    return f"%.{min(max(digits, 6), 17)}g"


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
    with ``motion.newline``; the MOTION header's labels as read (``header_labels``), the Frame Time
    as read (``frame_time_text``) while it is ``frame_time``.

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
        frames_label, time_label = motion.header_labels
        f.write(f"{head}\nMOTION\n{frames_label}{n_frames}\n{time_label}{frame_time}\n")
        np.savetxt(f, data, fmt=motion.number_format)  # the input's digits (5.1072e-06 stays so)
