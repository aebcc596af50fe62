"""TRC marker trajectories (OpenSim; what Pose2Sim and Sports2D write in ``pose-3d/``).

The layout Pose2Sim's ``make_trc`` writes, tab-separated::

    PathFileType  4  (X/Y/Z)  trial_0-99.trc
    DataRate  CameraRate  NumFrames  NumMarkers  Units  OrigDataRate  OrigDataStartFrame  OrigNumFrames
    30  30  100  22  m  30  0  100
    Frame#  Time  Hip      RHip ...     (one name per marker, every third column)
            X1  Y1  Z1  X2  Y2  Z2 ...
    0  0.0  0.01  0.93  -0.02  ...

Positions are read in millimetres (synsp's 3D unit): the ``Units`` field says what the file
holds (``m``, ``dm``, ``cm``, ``mm``, ``in`` or ``ft``; OpenSim's ``meters``, ``feet``, ... too) and the
writer puts the same unit back, spelt as the file spelt it. Empty cells and
``nan`` are missing markers.

Marker names map to a joint layout by name, in any order (:mod:`synsp.formats.marker_names`):
Pose2Sim's ``HALPE_26`` markers (``Hip, RHip, RKnee, ..., Neck, Head, Nose, RShoulder, ...``) read
as ``halpe26``, its ``BODY_25`` (``CHip``, ...) and ``COCO_17`` sets as ``body25``; ``RBigToe`` is
``right_big_toe``. The poses then hold the layout's joints in its order, NaN for the joints
the file does not have, and only the file's own markers are written back, in the file's
order; poses of a layout without marker names (an array's) get the layout's, spelt as Pose2Sim
spells them. Pose2Sim leaves out the eyes and ears, from which the networks find the head: they
are placed from the shoulders and hips (:func:`_place_face`) and flagged ``filled``. Any
other marker set keeps its own names with no layout (the networks refine it with SmoothNet or a
low-pass, its 3D gaps filled from the markers rigid with the gappy one:
:mod:`synsp.refining.no_layout`; the filters as is). A file naming a layout's joints and markers
of its own besides (Pose2Sim's marker augmentation adds ``*_study`` markers to its HALPE_26 ones)
reads as that layout's joints followed by its own markers, with no layout for the whole
(:meth:`~synsp.formats.posedata.PoseData.partial_layout` names the first joints'): ``synsp
refine`` refines the layout's joints as that layout and the others as joints of no layout.

A missing value is a blank cell, as Pose2Sim writes one: OpenSim's TRC reader takes it as NaN
and its inverse kinematics skips that marker in that frame. By default the writer still fills
them, as Pose2Sim does its long gaps (``fill_large_gaps_with = 'last_value'``; a frame with no
marker at all would leave IK nothing to fit): a missing value is linearly interpolated between
the marker's neighbouring frames, or holds its first / last value at the ends
(:func:`gap_count` tells how many values that is). With ``extra["keep_missing"]`` (``synsp
refine --max-gap``: long gaps are not to be invented) they are written blank. A marker never
seen in any frame keeps its columns, blank in every frame: the file keeps the user's marker set,
which an OpenSim marker set or scaling setup names. ``synsp refine`` fills the gaps inside the person's
span before refining and reports the ones the writer fills or leaves blank.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from synsp.formats.csv_cells import is_number_text, not_a_number
from synsp.formats.marker_names import marker_names, match_markers
from synsp.formats.posedata import PoseData, text_options, text_style
from synsp.paths import atomic_path
from synsp.sequence import fill_gaps
from synsp.skeleton import LAYOUTS, generic_names

# "px": Sports2D's 2D tracks in pixels (one coordinate constant), read as they are
# OpenSim's length units (its Units class: in, ft, m, cm, mm) and decimetres; a C3D's POINT:UNITS reads this too
UNITS_TO_MM = {"m": 1000.0, "dm": 100.0, "cm": 10.0, "mm": 1.0, "in": 25.4, "ft": 304.8, "px": 1.0}
# The long names OpenSim's own Units parser takes (its tools and some exporters write them).
_UNIT_NAMES = {"meters": "m", "metres": "m", "decimeters": "dm", "decimetres": "dm", "millimeters": "mm",
               "millimetres": "mm", "centimeters": "cm", "centimetres": "cm", "inches": "in", "inch": "in",
               "feet": "ft", "foot": "ft", "pixels": "px"}


def _header(lines: list[str], path: Path) -> tuple[dict, list[str], int]:
    """Header fields, marker names and the index of the first data line."""
    if not lines or not lines[0].startswith("PathFileType"):
        raise ValueError(f"{path}: not a TRC file (the first line must start with 'PathFileType')")
    if len(lines) < 5:
        raise ValueError(f"{path}: the TRC header is cut short: {len(lines)} lines, where the header alone has 5 "
                         "(PathFileType, the field names and values, the marker names, X1 Y1 Z1 ...)")
    sep = _separator(lines)
    keys = lines[1].rstrip("\r\n").split(sep)
    values = lines[2].rstrip("\r\n").split(sep)
    fields = {k.strip(): v.strip() for k, v in zip(keys, values) if k.strip()}
    names = lines[3].rstrip("\r\n").split(sep)
    if len(names) < 3 or names[0].strip() != "Frame#":
        raise ValueError(f"{path}: line 4 must start with 'Frame#' and 'Time' then the marker names")
    # tabs: each name then two empty cells (its Y and Z columns); spaces: the names alone
    markers = [m.strip() for m in (names[2::3] if sep else names[2:]) if m.strip()]
    if not markers:
        raise ValueError(f"{path}: no marker names on line 4")
    twice = next((m for k, m in enumerate(markers) if m in markers[:k]), None)
    if twice is not None:  # two markers of one name: a layout would take one for the other
        raise ValueError(f"{path}: marker {twice!r} is named twice on line 4; every marker needs a name of its own")
    start = 5 if lines[4].strip().startswith("X1") or not lines[4].strip() else 4
    while start < len(lines) and not lines[start].strip():
        start += 1
    return fields, markers, start


def _separator(lines: list[str]) -> str | None:
    """The cells' separator: a tab (OpenSim's), or None (runs of spaces) for a file with no tab in its
    header, re-saved by a tool that wrote spaces (it can hold no blank cell)."""
    return "\t" if any("\t" in line for line in lines[1:4]) else None


def read(path: Path) -> PoseData:
    """Read a TRC file.

    Returns
    -------
    PoseData
        ``poses`` (1, T, J, 3) in millimetres, NaN where missing; ``fps`` = DataRate;
        ``extra["frame_ids"]`` = the Frame# column; ``extra["trc"]`` the header, marker names,
        their joint indices, units, times, line endings and BOM for writing back (refined on an even grid where uneven,
        :mod:`synsp.refining.uneven_times`).
    """
    with open(path, encoding="utf-8-sig") as f:
        lines = f.readlines()
    fields, markers, start = _header(lines, path)
    units = unit_name(fields.get("Units", "m"), f"{path}: Units")
    n_cols = 2 + 3 * len(markers)
    sep = _separator(lines)
    numbered = [(n, line.rstrip("\r\n").split(sep)) for n, line in enumerate(lines[start:], start + 1) if line.strip()]
    numbered = _whole_rows(numbered, n_cols, path)
    notes = _frame_count_note(fields, len(numbered), path)  # the rows read: a last row cut short is left out
    if not numbered:
        raise ValueError(f"{path}: header but no data rows")
    rows = [row for _, row in numbered]
    table = np.full((len(rows), n_cols), np.nan)
    for r, (number, row) in enumerate(numbered):
        cells = row[:n_cols]
        try:
            table[r, :len(cells)] = [float(c) if c.strip() else np.nan for c in cells]
        except ValueError:
            bad = next(c for c in cells if c.strip() and not is_number_text(c))
            raise ValueError(f"{path}: {not_a_number(bad, f'line {number}')}") from None
    values = table[:, 2:].reshape(len(rows), len(markers), 3) * UNITS_TO_MM[units]
    poses, layout, columns, estimated, joints = markers_to_layout(values, markers)
    frames = table[:, 0]
    frame_ids = [int(f) if np.isfinite(f) and float(f).is_integer() else t for t, f in enumerate(frames)]
    rate = _number(fields.get("DataRate"))
    extra = {"frame_ids": frame_ids,
             "trc": {"fields": fields, "markers": markers, "columns": columns, "units": units,
                     "times": table[:, 1].tolist(), "time_decimals": _decimals(row[1] for row in rows if len(row) > 1),
                     "time_texts": [row[1].strip() for row in rows],  # written back where a time is kept
                     "blank_lines": sum(not line.strip() for line in lines[4:start]),  # OpenSim writes one
                     **partial_layout(layout, joints),
                     **text_style(path)}, **notes}  # saved on Windows (CRLF, a BOM): written back so
    return PoseData(poses=poses[None], layout=None if "layout" in extra["trc"] else layout, fps=rate, format="trc",
                    extra=extra, filled=None if estimated is None else estimated[None])


def _frame_count_note(fields: dict, rows: int, path: Path) -> dict:
    """``{"notes": [...]}`` saying the header's ``NumFrames`` is not the ``rows`` of data the file
    holds (a file cut short, or rows deleted by hand): the rows there are read, and the output's
    header counts them; {} when they agree or the header gives no count."""
    said = _number(fields.get("NumFrames"))
    if said is None or not float(said).is_integer() or int(said) == rows:
        return {}
    return {"notes": [f"frames: {path.name}'s header says NumFrames {int(said)}, but {rows} data rows follow: "
                      f"the {rows} rows were read (the file cut short, or rows deleted?), and a TRC written from "
                      "them says their count"]}


def _whole_rows(numbered: list[tuple[int, list[str]]], n_cols: int, path: Path) -> list[tuple[int, list[str]]]:
    """The data rows (line number, cells) with a cell for every column (a blank cell is a missing
    value, as Pose2Sim writes one). A last row short of cells is a file cut short (a copy or a
    recording stopped mid-row), its last number likely cut too: left out, with a warning naming it;
    a short row before the last is refused (``ValueError``), as no writer leaves cells out."""
    short = [k for k, (_, row) in enumerate(numbered) if len(row) < n_cols]
    if short and short[0] < len(numbered) - 1:
        number, row = numbered[short[0]]
        raise ValueError(f"{path}: line {number} has {len(row)} cells; its markers need {n_cols} (Frame#, Time and "
                         "X, Y, Z per marker, a blank cell where one is missing)")
    if short:
        number, row = numbered[-1]
        warnings.warn(f"{path}: line {number}, the last, has {len(row)} of its {n_cols} cells: the file is cut short "
                      "there; that row is left out", stacklevel=4)
        return numbered[:-1]
    return numbered


def markers_to_layout(values: np.ndarray, markers: list[str]):
    """Named markers (T, M, 3) as a layout's joints when their names make one (:func:`match_markers`).

    Returns ``poses`` (T, J, 3) (the layout's joints, NaN where the file has none, then the
    markers of the file's own, if any, in the file's order; the markers as they are when no
    layout fits), the layout name or None, each marker's joint index, the (T, J) mask of face
    points placed by :func:`_place_face` (None when none were), and the names of the J joints.
    """
    matched = match_markers(markers)
    if matched is None:
        return values, None, list(range(len(markers))), None, list(markers)
    layout, named = matched
    joints = list(LAYOUTS[layout].joints)
    columns = []
    for marker, column in zip(markers, named):  # the file's own markers go after the layout's joints
        columns.append(len(joints) if column is None else column)
        if column is None:
            joints.append(marker)
    poses = np.full((len(values), len(joints), 3), np.nan)
    poses[:, columns] = values
    estimated = _place_face(poses, layout, columns)
    return poses, layout, columns, estimated if estimated is not None and estimated.any() else None, joints


def partial_layout(layout: str | None, joints: list[str]) -> dict:
    """What a reader stores (``extra[fmt]``) of poses whose first joints are ``layout``'s and the
    rest markers of the file's own (:func:`markers_to_layout`): ``{"layout", "joints"}``, read by
    :meth:`PoseData.partial_layout`; nothing when every joint is the layout's or there is no layout."""
    if layout is None or len(joints) == len(LAYOUTS[layout].joints):
        return {}
    return {"layout": layout, "joints": joints}


EAR_HEIGHT = 0.4  # ears above the neck, as a fraction of hip centre -> neck (about 20 cm of 50)
EAR_HALF_WIDTH_MM = 75.0  # half the head's width at the ears
EAR_ALONG = 0.63  # the ears' midpoint along HALPE_26's neck -> head top (the mocap's Halpe-26: 0.63)


def _place_face(poses: np.ndarray, layout: str, columns: list[int]) -> np.ndarray | None:
    """Put the eyes and ears a marker set leaves out (Pose2Sim's do) where a head would have them.

    The networks find the head from the ears; left NaN they would be filled at the body's
    centre and drag the head down. Ears go ``EAR_ALONG`` of the way from HALPE_26's neck to its
    head top when the file has those (else ``EAR_HEIGHT`` of the trunk above the shoulders'
    midpoint), ``EAR_HALF_WIDTH_MM`` either side along the shoulder line; eyes a third of the
    way from ears to nose. These estimates are flagged filled and never written back.

    Returns the (T, J) mask of joints placed, or None when the file has them or the body to place them.
    """
    names = LAYOUTS[layout].joints
    face = [n for n in ("left_ear", "right_ear", "left_eye", "right_eye") if n in names]
    if not face or any(names.index(n) in columns for n in face):
        return None
    j = {n: poses[:, names.index(n)] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "nose")}
    neck = (j["left_shoulder"] + j["right_shoulder"]) / 2
    up = neck - (j["left_hip"] + j["right_hip"]) / 2
    across = j["left_shoulder"] - j["right_shoulder"]
    across = across / np.linalg.norm(across, axis=-1, keepdims=True)
    centre = neck + EAR_HEIGHT * up
    if all(n in names and names.index(n) in columns for n in ("neck", "head")):  # HALPE_26's neck and head top
        # the head's own markers follow it as it nods and turns, where the trunk does not
        halpe_neck, top = poses[:, names.index("neck")], poses[:, names.index("head")]
        centre = np.where(np.isfinite(halpe_neck + top), halpe_neck + EAR_ALONG * (top - halpe_neck), centre)
    nose = np.where(np.isfinite(j["nose"]), j["nose"], centre)
    placed = np.zeros(poses.shape[:2], dtype=bool)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        ear = centre + sign * EAR_HALF_WIDTH_MM * across
        for name, value in ((f"{side}_ear", ear), (f"{side}_eye", ear + (nose - ear) / 3)):
            if name in names:
                k = names.index(name)
                poses[:, k] = value
                placed[:, k] = np.isfinite(value).all(-1)
    return placed


def _decimals(cells) -> int:
    """The most digits after the decimal point among ``cells`` (text), at most 12."""
    return min(max((len(c.strip().partition(".")[2]) for c in cells if "e" not in c.lower()), default=0), 12)


def time_decimals(rate: float, given: int = 0) -> int:
    """Decimals to write a TRC's Time column with: the input's (``given``), and at least enough for
    ``rate`` (Hz) that a step is off by under 0.1 % (120 Hz: 5 decimals, 0.008 33 s)."""
    return max(given, int(np.ceil(np.log10(max(rate, 1.0)))) + 2)


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and np.isfinite(value) and value > 0 else None


def unit_name(text: str, field: str) -> str:
    """The key of :data:`UNITS_TO_MM` a file's unit ``text`` names (``Meters`` -> ``m``, ``feet`` -> ``ft``);
    ValueError naming the ``field`` ("<file>: Units") and the units understood for any other."""
    units = text.strip().lower()
    units = _UNIT_NAMES.get(units, units)
    if units not in UNITS_TO_MM:
        raise ValueError(f"{field} {text.strip()!r} not understood; expected {', '.join(UNITS_TO_MM)} "
                         "(or their names: meters, inches, feet, ...)")
    return units


def unit_text(given: str | None, units: str) -> str:
    """The unit field to write: the file's own spelling (``meters``) when it names ``units``."""
    text = (given or "").strip()
    return text if _UNIT_NAMES.get(text.lower(), text.lower()) == units else units


def gap_count(poses: np.ndarray) -> int:
    """How many joint values of ``poses`` (V, T, J, C) the TRC writer fills (missing, of markers seen at all)."""
    poses = np.asarray(poses)
    missing = ~np.isfinite(poses).all(-1)  # (V, T, J)
    seen = (~missing).any(axis=1, keepdims=True)
    return int((missing & seen).sum())


def write(path: Path, data: PoseData, fmt: str = "trc") -> None:
    """Write a TRC file in Pose2Sim's layout (see the module doc); poses (1, T, J, 3) in millimetres.

    Missing values are interpolated or held, or written as blank cells when
    ``data.extra["keep_missing"]``; markers never seen are written blank in every frame. A file read
    from a TRC keeps its blank lines after the header and its Time cells' text where the times are its own.
    """
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords != 3:
        raise ValueError(f"{path}: TRC holds 3D markers; poses have C = {n_coords}")
    if n_tracks != 1:
        raise ValueError(f"{path}: a TRC file holds one person; poses have {n_tracks} tracks "
                         "(write one file per track, as Pose2Sim does)")
    trc = data.extra.get("trc", {})
    markers, columns = trc.get("markers"), trc.get("columns")
    if markers is None or columns is None or max(columns, default=-1) >= n_joints:
        markers = marker_names(data.layout) or generic_names(n_joints)
        columns = list(range(n_joints))
    track = poses[0][:, columns]  # (T, M, 3)
    never = ~np.isfinite(track).all(-1).any(0)  # (M,)
    if never.all():
        raise ValueError(f"{path}: no marker has a value in any frame; nothing to write")
    if not data.extra.get("keep_missing"):
        track = fill_gaps(track)[0]
        track[:, never] = np.nan  # fill_gaps would put them at the body's centre: no value was ever given
    units = trc.get("units", "m")
    track = track / UNITS_TO_MM[units]
    fields = dict(trc.get("fields", {}))
    rate = data.fps or _number(fields.get("DataRate")) or 30.0
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    times = trc.get("times")
    if times is None or len(times) != n_frames or not np.isfinite(times).all():
        times = (np.asarray(frame_ids, dtype=np.float64) - float(frame_ids[0])) / rate
    # the file's own text when its rate is kept (Sports2D's 29.970029970029966 is not "29.97")
    rate_text = fields["DataRate"] if _number(fields.get("DataRate")) == rate else f"{rate:g}"
    written_unit = unit_text(fields.get("Units"), units)
    # a rate given over the file's (synsp refine --fps): the fields that recorded the file's follow it
    given = {key: rate_text for key in ("CameraRate", "OrigDataRate") if key in fields and
             _number(fields[key]) == _number(fields.get("DataRate")) != rate}
    header = {"DataRate": rate_text, "CameraRate": given.get("CameraRate", fields.get("CameraRate", rate_text)),
              "NumFrames": str(n_frames), "NumMarkers": str(len(markers)), "Units": written_unit,
              "OrigDataRate": given.get("OrigDataRate", fields.get("OrigDataRate", rate_text)),
              "OrigDataStartFrame": fields.get("OrigDataStartFrame", str(frame_ids[0])),
              "OrigNumFrames": fields.get("OrigNumFrames", str(n_frames))}
    # the file's own fields in its order (an exporter's beyond OpenSim's eight too), OpenSim's it lacked after
    header = {**{key: header.get(key, value) for key, value in fields.items()}, **header}
    lines = [f"PathFileType\t4\t(X/Y/Z)\t{path.name}",
             "\t".join(header), "\t".join(header.values()),
             "Frame#\tTime\t" + "\t\t\t".join(markers) + "\t\t\t",
             "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(markers))) + "\t"]
    digits = {"m": 6, "dm": 5, "cm": 4, "mm": 3, "in": 5, "ft": 6, "px": 3}[units]  # micrometres or finer in each
    # the Time column with its own digits: millimetres' 3 would put 120 Hz steps 8 or 9 ms apart
    cells = np.concatenate([np.char.mod(f"%.{time_decimals(rate, trc.get('time_decimals', 0))}f",
                                        np.asarray(times, dtype=np.float64)[:, None]),
                            np.char.mod(f"%.{digits}f", track.reshape(n_frames, -1))], axis=1)
    texts = trc.get("time_texts")
    if texts is not None and len(texts) == n_frames:  # a time the input wrote, as written ("0.0")
        kept = np.array([float(t) if t else np.nan for t in texts]) == np.asarray(times, dtype=np.float64)
        cells = cells.astype(object)  # a fixed-width text array would cut a longer cell
        cells[kept, 0] = np.asarray(texts, dtype=object)[kept]
    body = np.concatenate([np.asarray(times, dtype=np.float64)[:, None], track.reshape(n_frames, -1)], axis=1)
    cells[~np.isfinite(body)] = ""  # a missing marker: a blank cell, as Pose2Sim writes it
    text = "\n".join(f"{fid}\t" + "\t".join(row) for fid, row in zip(frame_ids, cells.tolist()))
    with atomic_path(path) as tmp, open(tmp, "w", **text_options(trc)) as f:  # the input's line endings and BOM
        f.write("\n".join(lines) + "\n" * (1 + trc.get("blank_lines", 0)) + text + "\n")
