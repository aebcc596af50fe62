"""Which coordinates a pose file's channels are, before refinement.

A file may not say: an array's or CSV's third channel is z or a confidence (x, y in pixels plus
a score), a fourth one a confidence, and a 3D file (TRC, C3D) may hold a 2D track with one
coordinate constant (Sports2D writes pixels with Z = 0). ``synsp refine`` reads the channels with
these functions; each returns the data to refine and what to write back unchanged.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.errors import SpaceError
from synsp.formats import PoseData
from synsp.formats.trc import UNITS_TO_MM
from synsp.sequence import body_size, constant_channel, fourth_channel_error, third_channel

__all__ = ["SPACES", "UNDECLARED", "flat_coordinate", "flat_track_unit", "confidence_channel"]


# --space values: MediaPipe's own names and the generic ones; MediaPipe reads "2d"/"3d" as image/world
SPACES = {"image": "image", "world": "world", "2d": "image", "3d": "world"}


# Formats whose (T, J, 3) poses do not say whether the third channel is z or a confidence
UNDECLARED = ("npz", "npy", "csv")


def _fourth_channel(data: PoseData, space: str | None, src: Path) -> tuple[PoseData, np.ndarray]:
    """(T, J, 4) poses from an array or CSV file: x, y, z plus a confidence (as 3D estimators that
    score their joints write them). Returns the 3D data with the channel as scores, and the
    channel to write back unchanged; a ``SpaceError`` if it is not a confidence."""
    if space in ("2d", "image"):
        raise SpaceError(f"{src}: --space {space}, but the poses have 4 channels {data.poses.shape} (x, y, z and a "
                         "confidence)")
    why = fourth_channel_error(data.poses)
    if why is not None:
        raise SpaceError(f"{src}: poses {data.poses.shape}: {why}")
    channel = np.asarray(data.poses[..., 3], dtype=np.float64).copy()
    scores = np.where(np.isfinite(channel), channel, 0.0)
    return replace(data, poses=np.ascontiguousarray(data.poses[..., :3]), scores=scores), channel


def flat_coordinate(data: PoseData, space: str | None, src: Path) -> tuple[PoseData, tuple[int, float] | None]:
    """A 3D file (TRC, C3D, ...) one of whose coordinates is the same constant for every marker
    and frame is a 2D track (Sports2D writes pixels with Z = 0): the data with the other two
    coordinates, to refine in 2D, and (that axis, its value) to write back; else (data, None).
    ``--space 2d`` asks for this and refuses a file with no such coordinate; ``--space 3d`` skips it."""
    if data.poses.shape[-1] != 3 or data.format in UNDECLARED or space in ("3d", "world", "image"):
        return data, None
    values = np.asarray(data.poses, dtype=np.float64)
    flat = [k for k in range(3) if constant_channel(values[..., k])]
    if not flat or len(flat) == 3:
        if space == "2d":
            raise SpaceError(f"{src}: --space 2d, but none of the poses' 3 coordinates {data.poses.shape} is the same "
                             "constant for every marker and frame (a 2D track's)")
        return data, None
    axis = flat[-1]  # Sports2D's Z, the last
    finite = values[..., axis][np.isfinite(values[..., axis])]
    kept = [k for k in range(3) if k != axis]
    poses = np.array(data.poses[..., kept])
    if data.format == "trc" and data.filled is not None:  # face points the reader placed in 3D: none in 2D
        poses[np.asarray(data.filled, dtype=bool)] = np.nan
    return replace(data, poses=poses), (axis, float(finite[0]))


def flat_track_unit(data: PoseData) -> tuple[float, str, list[str]]:
    """The unit of a 2D track ``data`` from a TRC or C3D (:func:`flat_coordinate`'s, read in mm):
    the factor its values are multiplied by, the unit's name ("px" or "mm") and a note when the
    file's label is not that unit. Sports2D writes pixels and labels them ``m`` (or ``mm``), so a
    flat track is pixels as the file holds them (the reader's unit factor undone), unless the
    label is m or cm and the body measures a person's 0.3-2.5 m in it (Sports2D's metres):
    then millimetres, as read. The refine summary and the pictures (``synsp plot``) both ask here."""
    label = str((data.extra.get(data.format) or {}).get("units", "px")).lower()
    size = body_size(data.poses)  # in mm, as the reader converted the label
    if label in ("m", "cm") and 300 <= size <= 2500:
        return 1.0, "mm", []
    factor = 1.0 / UNITS_TO_MM.get(label, 1.0)
    if label == "px" or factor == 1.0:
        return 1.0, "px", []
    note = (f"units: the file says {label}, but its 2D track's body is {size * factor:.0f} {label} tall, no person's "
            "size: read as pixels (Sports2D labels its pixels so); the figures below are in px")
    return factor, "px", [note]


def confidence_channel(data: PoseData, space: str | None, src: Path) -> tuple[PoseData, np.ndarray | None]:
    """(T, J, 3) poses without scores from an array or CSV file: x, y plus a confidence, or x, y, z?

    ``space`` "2d"/"3d" says; else :func:`synsp.sequence.third_channel` decides, and an
    ambiguous channel is a ``SpaceError`` asking for ``--space``. Returns the data to refine
    (2D poses with the channel as scores when it is a confidence) and the channel (V, T, J) to
    write back unchanged, or None.
    """
    c = data.poses.shape[-1]
    if c == 4:
        return _fourth_channel(data, space, src)
    if space == "3d" and c == 2:
        raise SpaceError(f"{src}: --space 3d, but the poses have 2 coordinates {data.poses.shape}")
    if space in ("3d", "world") or data.format not in UNDECLARED:
        return data, None
    if c == 2:
        return data, None
    if data.scores is not None:
        if space == "2d":
            raise SpaceError(f"{src}: --space 2d, but the file has 3 coordinates and its own scores")
        return data, None
    reading = "confidence" if space == "2d" else third_channel(data.poses)
    if reading is None:
        raise SpaceError(f"{src}: poses {data.poses.shape} without scores: cannot tell whether the third channel is "
                         "a confidence (x, y in pixels) or z; pass --space 2d or --space 3d (space= in Python)")
    if reading == "z":
        return data, None
    channel = np.asarray(data.poses[..., 2]).copy()
    scores = np.where(np.isfinite(channel), channel, 0.0) if reading == "confidence" else None
    return replace(data, poses=np.ascontiguousarray(data.poses[..., :2]), scores=scores), channel
