"""Which coordinates a pose file's channels are, before refinement.

A file may not say: an array's or CSV's third channel is z or a confidence (x, y in pixels plus
a score), a fourth one a confidence, and a 3D file (TRC, C3D) may hold a 2D track with one
coordinate constant (Sports2D writes pixels with Z = 0). ``synsp refine`` reads the channels with
these functions; each returns the data to refine and what to write back unchanged. MediaPipe
Holistic's 543 points, and MediaPipe Pose's 33 normalised image landmarks, carry its own z
(:func:`holistic_depth`); Holistic's come in blocks given whole or not at all (:func:`holistic_blocks`).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.channels import (
    PERCENT,
    POSE_LANDMARKS,
    constant_channel,
    depth_channel,
    depth_entry,
    fourth_channel_error,
    landmarks_with_z,
    normalised_image,
    score_scale,
    tracks_third_channel,
    untold_channel,
)
from synsp.errors import FormatError, MissingDataError, SpaceError
from synsp.formats import PoseData
from synsp.formats.mediapipe import SPACE_ARRAYS
from synsp.formats.trc import UNITS_TO_MM
from synsp.sequence import body_size
from synsp.skeleton import BLOCKS, LAYOUTS, depth_beside, guessed_layout, missing_blocks

__all__ = ["DEPTH_NOTE", "HOLISTIC", "SPACES", "UNDECLARED", "channel_notes", "check_space", "check_stated_unit",
           "confidence_channel", "flat_coordinate", "flat_track_unit", "holistic_blocks", "holistic_depth",
           "written_channels"]


# --space values: MediaPipe's own names and the generic ones; MediaPipe reads "2d"/"3d" as image/world
SPACES = {"image": "image", "world": "world", "2d": "image", "3d": "world"}


def check_space(space: str | None, fmt: str, src: Path) -> None:
    """``--space`` for a file of format ``fmt``: one of :data:`SPACES` (``SpaceError`` otherwise);
    ``image`` and ``world`` name MediaPipe's arrays, so only for a MediaPipe file. An ``.npz``
    lacking one of them reads as a plain npz: the message names the array it lacks and those it has."""
    if space not in (None, *SPACES):
        raise SpaceError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
    if space not in ("image", "world") or fmt == "mediapipe":
        return
    arrays = []
    if fmt == "npz":
        try:
            with np.load(src, allow_pickle=False) as npz:  # the names only: the arrays are read later, checked
                arrays = list(npz.files)
        except Exception:  # a corrupt file: the reader says how
            arrays = []
    lacking = [name for name in SPACE_ARRAYS.values() if name not in arrays]
    if arrays and len(lacking) == 1:  # one of MediaPipe's two arrays: a MediaPipe file cut down
        raise SpaceError(f"{src}: --space {space} is for MediaPipe files (arrays {' and '.join(SPACE_ARRAYS.values())}"
                         f"); this file has no {lacking[0]} array (its arrays: {', '.join(arrays)}), so it reads as "
                         "a plain npz: use --space 2d or 3d")
    raise SpaceError(f"{src}: --space {space} is for MediaPipe files; this is a {fmt} file (use 2d or 3d)")


# Formats whose (T, J, 3) poses do not say whether the third channel is z or a confidence
UNDECLARED = ("npz", "npy", "csv", "stream")


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


def rated_scores(data: PoseData, src: Path, channel: bool) -> tuple[np.ndarray | None, str | None]:
    """The scores (V, T, J) of ``data`` to compare with ``--threshold`` (in [0, 1]), or None for none to
    compare, and the summary's line saying how they were read (None when as they came). Percent (within
    [0, 100], beyond 10; :func:`synsp.channels.score_scale`) are divided by 100. A channel read as a score
    (``channel``: the third or fourth of an array or CSV) of no known scale (0-10) leaves no joint out; a CSV's
    ``_score`` columns of no known scale are a ``FormatError``, as a fourth channel beyond [0, 1] is."""
    if data.scores is None:
        return None, None
    scores = np.asarray(data.scores, dtype=np.float64)
    scale = score_scale(scores)
    if scale == 1.0:
        return data.scores, None
    low, high = np.nanmin(scores), np.nanmax(scores)
    what = f"the {'third' if data.poses.shape[-1] == 2 else 'fourth'} channel's" if channel else f"the {data.format}"
    if scale == PERCENT:
        return scores / PERCENT, f"scores: {what} scores run from {low:.3g} to {high:.3g}: read as percent (divided " \
                                 "by 100 for --threshold), written back as read"
    if channel:
        return None, (f"scores: {what} scores run from {low:.3g} to {high:.3g}, neither [0, 1] nor percent: no "
                      "joint left out by --threshold; refined in 2D, the channel written back as read")
    if data.format == "csv":
        raise FormatError(f"{src}: the _score columns hold values from {low:g} to {high:g}; scores in [0, 1] "
                          "(or percent, 0 to 100) expected")
    return data.scores, None


def flat_coordinate(data: PoseData, space: str | None, src: Path) -> tuple[PoseData, tuple[int, float] | None]:
    """A 3D file (TRC, C3D, ...) one of whose coordinates is the same constant for every marker
    and frame is a 2D track (Sports2D writes pixels with Z = 0): the data with the other two
    coordinates, to refine in 2D, and (that axis, its value) to write back; else (data, None).
    ``--space 2d`` asks for this and refuses a file with no such coordinate; ``--space 3d`` skips it.
    A 3D track is checked against the unit its file states (:func:`check_stated_unit`)."""
    if data.poses.shape[-1] != 3 or data.format in UNDECLARED or space in ("world", "image"):
        return data, None
    values = np.asarray(data.poses, dtype=np.float64)
    flat = [k for k in range(3) if constant_channel(values[..., k])] if space != "3d" else []
    if not flat or len(flat) == 3:
        if space == "2d":
            raise SpaceError(f"{src}: --space 2d, but none of the poses' 3 coordinates {data.poses.shape} is the same "
                             "constant for every marker and frame (a 2D track's)")
        check_stated_unit(data, src)
        return data, None
    axis = flat[-1]  # Sports2D's Z, the last
    finite = values[..., axis][np.isfinite(values[..., axis])]
    kept = [k for k in range(3) if k != axis]
    poses = np.array(data.poses[..., kept])
    if data.format == "trc" and data.filled is not None:  # face points the reader placed in 3D: none in 2D
        poses[np.asarray(data.filled, dtype=bool)] = np.nan
    return replace(data, poses=poses), (axis, float(finite[0]))


# A person's size (:func:`synsp.sequence.body_size`, the largest side of the joints' box) in mm,
# in any posture, with room: outside it, a file's stated unit is not the unit of its values.
PERSON_MM = (300.0, 3000.0)
# Where a format states its unit, for the message asking to fix it
_UNIT_FIELD = {"trc": "the Units line", "c3d": "POINT:UNITS"}


def check_stated_unit(data: PoseData, src: Path) -> None:
    """Refuse (``FormatError``) a 3D TRC or C3D whose body, in the unit the file states (``Units``,
    ``POINT:UNITS``), is no person's size (:data:`PERSON_MM`): cm values labelled ``m`` make a body
    170 m tall, which the refinement would take for another skeleton and refine wrongly. The message
    names the units in which the body is a person's (m, cm, mm, in: a file's feet or decimetres are
    its stated units, not guessed). Markers of no known layout (an animal's, a
    hand's) have no size to tell by: not checked."""
    label = str((data.extra.get(data.format) or {}).get("units", "")).lower()
    layout = data.partial_layout() or data.layout
    if data.format not in _UNIT_FIELD or label not in UNITS_TO_MM or label == "px" or layout not in LAYOUTS:
        return
    poses = np.array(data.poses, dtype=np.float64)
    if data.filled is not None:  # the face a TRC reader placed is in mm whatever the file's unit: not measured
        poses[np.asarray(data.filled, dtype=bool)] = np.nan
    size = body_size(poses[..., :len(LAYOUTS[layout].joints), :])  # mm, as read
    if not np.isfinite(size) or PERSON_MM[0] <= size <= PERSON_MM[1]:
        return
    stated = size / UNITS_TO_MM[label]
    fits = [unit for unit in ("m", "cm", "mm", "in") if PERSON_MM[0] <= stated * UNITS_TO_MM[unit] <= PERSON_MM[1]]
    look = f"the values look like {' or '.join(fits)}" if fits else "no unit makes it a person's size"
    raise FormatError(f"{src}: the body is {stated:.4g} {label} tall in the file's units ({label}), no person's "
                      f"size: {look}; fix {_UNIT_FIELD[data.format]} (in a copy of the file)")


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

    ``space`` "2d"/"3d" says; else :func:`synsp.channels.tracks_third_channel` decides (each track
    as if alone, as :func:`synsp.refine` reads each person of an array), and an
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
    if space == "2d":  # taken as a score unless clearly a depth, as synsp.refine(space="2d") takes it
        depth = depth_entry(data.poses)
        if depth is not None:
            v, why = depth
            track = f" (track {v})" if len(data.poses) > 1 else ""
            raise SpaceError(f"{src}: --space 2d, but the poses{track}: {why}; pass --space 3d for x, y, z")
    reading = "confidence" if space == "2d" else tracks_third_channel(data.poses)  # each track as if alone
    if reading is None and not np.isfinite(data.poses).any():  # not a question of --space: nothing to refine
        raise MissingDataError(f"{src}: every joint value is missing (NaN); nothing to refine")
    if reading is None:
        image = (", or --image-size W H if x, y are normalised by the image's sides" if normalised_image(data.poses)
                 else "")
        raise SpaceError(f"{src}: poses {data.poses.shape}: {untold_channel(data.poses)}; pass --space 2d or "
                         f"--space 3d (space='2d' / '3d' in synsp.refine){image}")
    if reading == "z":
        return data, None
    channel = np.asarray(data.poses[..., 2]).copy()
    scores = np.where(np.isfinite(channel), channel, 0.0) if reading == "confidence" else None
    return replace(data, poses=np.ascontiguousarray(data.poses[..., :2]), scores=scores), channel


def holistic_depth(data: PoseData, space: str | None, layout: str | None,
                   image: bool = False) -> tuple[PoseData, np.ndarray | None]:
    """(T, 543, 3) MediaPipe Holistic landmarks from an array or CSV file (or Kaggle's) are x, y and MediaPipe's z:
    the data with x, y alone, to refine in 2D, and z (V, T, J) to write back as read; else (data, None).
    So are MediaPipe Pose's 33 image landmarks named as such (a CSV's ``nose_x, nose_y, nose_z``, or
    ``--layout mediapipe33``) or not named, with a z beside them, whose x, y are normalised by the
    image's sides (:func:`normalised_image`); its world landmarks (hip-centred metres) are a 3D body.
    With ``image`` (the user gave the image's sides), any joints' x, y with a z beside them are.

    MediaPipe's z is a relative depth with an origin of each block's own (the hips for the pose,
    the face's centre, each hand's wrist) and a scale it estimates; refined with x, y as a 3D
    pose it would be taken for one depth in x's unit. ``space`` ("2d": a confidence, "3d": refine
    it as z) or a ``layout`` other than Holistic's turns this off."""
    named = layout if layout is not None else data.layout
    pose = named == "mediapipe33" and normalised_image(data.poses)
    if not pose and data.poses.shape[-1] == 3:  # a z beside x, y of an image, no score
        pose = named in (None, "mediapipe33") and landmarks_with_z(data.poses) or image and depth_channel(data.poses)
    if (space is not None or data.format not in (*UNDECLARED, "kaggle") or data.poses.shape[-1] != 3
            or not (pose or data.poses.shape[-2] == len(LAYOUTS["holistic543"].joints) and named in (None, *BLOCKS))):
        return data, None
    depth = np.asarray(data.poses[..., 2]).copy()
    return replace(data, poses=np.ascontiguousarray(data.poses[..., :2])), depth


POSE_DEPTH_NOTE = ("space: MediaPipe Pose's image landmarks (x, y normalised by the image's sides, z): x, y refined in "
                   "2D; z (MediaPipe's relative depth, from the hips) written back as read (--space 3d to refine it "
                   "with x, y)")
DEPTH_NOTE = ("space: MediaPipe Holistic's x, y, z: x, y refined in 2D; z (MediaPipe's relative depth, each block "
              "from its own origin) written back as read (--space 3d to refine it with x, y)")
IMAGE_DEPTH_NOTE = ("space: x, y normalised by the image's sides, and a z beside them: x, y refined in 2D; z "
                    "written back as read (--space 3d to refine it with x, y)")


def channel_notes(confidence: np.ndarray | None, c_count: int, scoreless: bool,
                  flat: tuple[int, float] | None) -> list[str]:
    """The summary's lines saying how the channels were read: :func:`confidence_channel`'s channel
    (V, T, J) beside ``c_count`` coordinates (``scoreless``: the file had no scores of its own, so
    the channel carries them), and :func:`flat_coordinate`'s (axis, value)."""
    notes = []
    if flat is not None:
        axis = "XYZ"[flat[0]]
        notes.append(f"space: {axis} is {flat[1] + 0.0:g} for every marker and frame: a 2D track; refined in 2D on "
                     f"{' and '.join(a for a in 'XYZ' if a != axis)}, {axis} written back unchanged")
    if confidence is not None and c_count == 2 and scoreless:
        notes.append(f"space: the third channel is {confidence.flat[0]:g} everywhere (a padded z or a fixed score); "
                     "refined in 2D, the channel written back unchanged")
    elif confidence is not None and c_count == 2:
        notes.append("space: the third channel is a confidence (x, y in pixels plus a score, "
                     f"{np.nanmin(confidence):.2g} to {np.nanmax(confidence):.3g}); refined in 2D, the channel "
                     "written back unchanged (--space 3d if it is z)")
    elif confidence is not None:
        notes.append("space: the fourth channel is a confidence (x, y, z plus a score in [0, 1]); refined in 3D, the "
                     "channel written back unchanged")
    return notes


def written_channels(out: np.ndarray, depth: np.ndarray | None, confidence: np.ndarray | None) -> np.ndarray:
    """The refined coordinates ``out`` (V, T, J, C) with the channel read beside them back last:
    :func:`confidence_channel`'s as read, or :func:`holistic_depth`'s z (V, T, J), missing where
    x, y are; ``out`` itself when there is neither."""
    if confidence is not None:
        return np.concatenate([out, confidence[..., None]], axis=-1)
    if depth is None:
        return out
    return depth_beside(out, depth)


# MediaPipe Holistic's two orders, in words.
HOLISTIC = {"holistic543": "MediaPipe Holistic's own order (pose, face, left hand, right hand)",
            "holistic543_kaggle": "Kaggle's order (face, left hand, pose, right hand)"}


def holistic_blocks(poses: np.ndarray, layout: str | None, told: bool, depth: np.ndarray | None = None,
                    absent: np.ndarray | None = None) -> tuple[np.ndarray | None, list[str]]:
    """The values (V, T, J) bool of MediaPipe Holistic's blocks (:data:`synsp.skeleton.BLOCKS`)
    missing whole in a frame of ``poses`` (V, T, J, C), as read (NaN or "not found"): MediaPipe
    gives no hand (or face) it did not find, so they stay missing, never filled. ``layout`` is the
    poses' (None: unknown); ``told``: no layout was given or declared, so 543 points are told
    Holistic's and their order from the poses; ``depth``: :func:`holistic_depth`'s z, if any;
    ``absent`` (V, T, J) bool: the values the file says are not there, if it says. Returns
    ``absent`` with the blocks not given added (None when neither is known) and the summary's
    notes: the channels read, the order told, the blocks not given."""
    if layout not in BLOCKS and told and poses.shape[-2] == len(LAYOUTS["holistic543"].joints):
        layout = guessed_layout(poses)
    note = {POSE_LANDMARKS: POSE_DEPTH_NOTE, len(LAYOUTS["holistic543"].joints): DEPTH_NOTE}.get(poses.shape[-2],
                                                                                             IMAGE_DEPTH_NOTE)
    notes = [note] * (depth is not None)
    if layout not in BLOCKS:
        return absent, notes
    if told:
        other = next(n for n in HOLISTIC if n != layout)
        notes.append(f"layout: the 543 points follow {HOLISTIC[layout]} ({layout}), told from the poses "
                     f"(--layout {other} if they follow {HOLISTIC[other]})")
    missing = ~np.isfinite(poses).all(-1)
    unseen = missing_blocks(missing, layout)
    seen = ~missing.all(-1)  # frames with nobody at all are no block's to count
    parts = [f"the {block.replace('_', ' ')} in {int((unseen[..., first] & seen).sum())}" for block, first, _
             in BLOCKS[layout] if (unseen[..., first] & seen).any()]
    notes += [f"blocks: {', '.join(parts)} frames not given at all (MediaPipe gives no block it did not find): "
              "kept missing, never filled"] * bool(parts)
    return unseen if absent is None else unseen | absent, notes


def lacking_joints(data: PoseData, layout: str | None) -> np.ndarray | None:
    """(J,) bool: the joints of ``layout`` that the file has no column for, as its reader matched
    the markers' names to the layout (TRC, C3D, CSV, anipose: ``extra[format]["columns"]``; Pose2Sim's 22
    HALPE_26 markers have no eyes or ears); None when the file has every one, names none of that
    layout (another given with ``--layout``), or keeps no such columns."""
    columns = (data.extra.get(data.format) or {}).get("columns")
    if columns is None or layout not in LAYOUTS or layout != (data.partial_layout() or data.layout):
        return None
    count = len(LAYOUTS[layout].joints)
    has = np.zeros(count, dtype=bool)
    has[[c for c in columns if c < count]] = True  # a marker of the file's own sits after the layout's joints
    return None if has.all() else ~has


def never_written(data: PoseData, layout: str | None, never_seen: np.ndarray, absent: np.ndarray) -> np.ndarray:
    """(V, T, J) bool: the ``never_seen`` values (of a joint never seen in its track) that the file would hold, to
    count as left missing: not those of a joint it has no column for (:func:`lacking_joints`: a SLEAP skeleton's 9
    of COCO-17's joints, Pose2Sim's markers without eyes; a DeepLabCut individual's body part with no column, as
    the ``single`` individual's animal parts), nor of a frame its person is left out of (``absent``, (V, T): no joint
    detected), which are never written."""
    never = never_seen & ~absent[..., None]
    slots = (data.extra.get("dlc") or {}).get("slots") if data.format == "dlc" else None
    if slots:  # DeepLabCut's columns, (individual, body part, coord): its unique body parts are no animal's
        held = np.zeros((never.shape[0], never.shape[-1]), dtype=bool)
        for v, j, _ in slots:
            if v < held.shape[0] and j < held.shape[1]:
                held[v, j] = True
        never &= held[:, None, :]
    lacking = lacking_joints(data, layout)
    return never if lacking is None else never & ~np.pad(lacking, (0, never.shape[-1] - lacking.size))
