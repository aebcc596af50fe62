"""CSV tables: one row per frame (and per track), one column per joint coordinate.

Header columns ``<joint>_x, <joint>_y[, <joint>_z]`` name the joints (``nose_x`` or
``j0_x``), optional ``<joint>_score`` columns (also ``_conf``, ``_confidence``,
``_visibility``, ``_likelihood``) give confidences, optional ``<joint>_filled`` columns (1 where
the value was filled in rather than measured, else 0) give ``filled``, an optional ``frame`` (or ``frame_id``)
column numbers the frames and an optional ``track`` (or ``track_id``, ``person``) column
separates persons. Empty cells and ``nan`` are missing values. Other columns are ignored.
Joint names that equal a known layout's give ``layout``. ``.tsv`` files are tab-separated.

The writer emits ``track`` (when there are track ids or several tracks), ``frame``, then per
joint its coordinates, score and filled flag, and one row for every (track, frame), so the table reads
back to exactly the same arrays.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from synsp.formats.posedata import PoseData, as_filled
from synsp.paths import atomic_path
from synsp.skeleton import generic_names, layout_joint_names, match_layout

_AXES = ("x", "y", "z")
_COORD = re.compile(r"^(.+)_([xyz])$", re.IGNORECASE)
_SCORE = re.compile(r"^(.+)_(score|conf|confidence|visibility|likelihood)$", re.IGNORECASE)
_FILLED = re.compile(r"^(.+)_filled$", re.IGNORECASE)
_TRACK_COLUMNS = ("track", "track_id", "person")
_FRAME_COLUMNS = ("frame", "frame_id")


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _number(text: str, where: str) -> float:
    text = text.strip()
    if text == "":
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where} is not a number ({text[:20]!r})") from None


def _parse_header(header: list[str], path: Path):
    for sep, name, hint in ((";", "semicolons", "convert it to commas, with decimal points"),
                            ("\t", "tabs", "name it .tsv")):
        if any(sep in cell for cell in header):  # the whole line landed in one cell: another separator
            raise ValueError(f"{path}: columns look separated by {name}; synsp reads comma-separated CSV: {hint}")
    lower = [h.strip().lower() for h in header]
    track_col = next((lower.index(c) for c in _TRACK_COLUMNS if c in lower), None)
    frame_col = next((lower.index(c) for c in _FRAME_COLUMNS if c in lower), None)
    joints: list[str] = []
    coords: dict[str, dict[str, int]] = {}
    score_cols: dict[str, int] = {}
    filled_cols: dict[str, int] = {}
    for col, name in enumerate(header):
        name = name.strip()
        if col in (track_col, frame_col):
            continue
        if m := _SCORE.match(name):
            score_cols[m.group(1)] = col
        elif m := _FILLED.match(name):
            filled_cols[m.group(1)] = col
        elif m := _COORD.match(name):
            joint, axis = m.group(1), m.group(2).lower()
            if joint not in coords:
                joints.append(joint)
                coords[joint] = {}
            coords[joint][axis] = col
    if not joints:
        shown = ", ".join(h[:20] for h in header[:6])
        raise ValueError(f"{path}: header has no <joint>_x/<joint>_y columns (got {shown[:120]} ...)")
    axes = sorted(coords[joints[0]])
    if axes not in (["x", "y"], ["x", "y", "z"]):
        raise ValueError(f"{path}: joint {joints[0]!r} has columns for axes {axes}; expected x, y[, z]")
    for joint in joints:
        if sorted(coords[joint]) != axes:
            raise ValueError(f"{path}: joint {joint!r} has axes {sorted(coords[joint])}, expected {axes}")
    if score_cols and set(score_cols) != set(joints):
        missing = sorted(set(joints) - set(score_cols)) or sorted(set(score_cols) - set(joints))
        raise ValueError(f"{path}: score columns must cover every joint exactly (mismatch at {missing[0]!r})")
    if filled_cols and set(filled_cols) != set(joints):
        missing = sorted(set(joints) - set(filled_cols)) or sorted(set(filled_cols) - set(joints))
        raise ValueError(f"{path}: filled columns must cover every joint exactly (mismatch at {missing[0]!r})")
    columns = np.array([[coords[j][a] for a in axes] for j in joints])  # (J, C)
    scores = np.array([score_cols[j] for j in joints]) if score_cols else None
    filled = np.array([filled_cols[j] for j in joints]) if filled_cols else None
    return track_col, frame_col, joints, columns, scores, filled


def read(path: Path) -> PoseData:
    """Read a pose CSV (see the module doc).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, C) with C = 2 or 3 in the file's unit; V = 1 without a track
        column; frames are the sorted distinct ``frame`` values, or row order.
    """
    with open(path, newline="", encoding="utf-8-sig") as f:
        try:
            rows = list(csv.reader(f, delimiter=_delimiter(path)))
        except csv.Error as err:  # e.g. a cell over the csv module's field limit: no pose table
            raise ValueError(f"{path}: not a CSV table ({err})") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError(f"{path}: empty file")
    header, body = rows[0], rows[1:]
    track_col, frame_col, joints, columns, score_columns, filled_columns = _parse_header(header, path)
    numeric = set(columns.ravel().tolist())
    for extra_columns in (score_columns, filled_columns):
        numeric |= set(extra_columns.tolist() if extra_columns is not None else [])
    records = []  # (track, frame key, coords (J, C), scores (J,) or None, filled (J,) or None)
    for r, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ValueError(f"{path}: line {r} has {len(row)} cells, the header has {len(header)}")
        values = np.array([_number(cell, f"line {r} column {header[c]!r}") if c in numeric else np.nan
                           for c, cell in enumerate(row)])
        track = 0
        if track_col is not None:
            track_val = _number(row[track_col], f"line {r} column {header[track_col]!r}")
            if not float(track_val).is_integer():
                raise ValueError(f"line {r}: track {row[track_col]!r} is not an integer")
            track = int(track_val)
        frame = _number(row[frame_col], f"line {r} column {header[frame_col]!r}") if frame_col is not None else None
        if frame is not None and frame != frame:
            raise ValueError(f"line {r}: empty frame number")
        flags = None
        if filled_columns is not None:
            flags = as_filled(np.nan_to_num(values[filled_columns]), (len(joints),), f"{path}: line {r}")
        records.append((track, frame, values[columns], values[score_columns] if score_columns is not None else None,
                        flags))
    if not records:
        raise ValueError(f"{path}: header but no data rows")
    track_ids = sorted({rec[0] for rec in records})
    v_of = {tid: v for v, tid in enumerate(track_ids)}
    if frame_col is not None:
        frame_ids = sorted({rec[1] for rec in records})
        t_of = {fid: t for t, fid in enumerate(frame_ids)}
        slots = [(v_of[rec[0]], t_of[rec[1]]) for rec in records]
        frame_ids = [int(f) if float(f).is_integer() else f for f in frame_ids]
    else:
        counters = dict.fromkeys(track_ids, 0)
        slots = []
        for rec in records:
            slots.append((v_of[rec[0]], counters[rec[0]]))
            counters[rec[0]] += 1
        frame_ids = None
    n_frames = 1 + max(t for _, t in slots)
    poses = np.full((len(track_ids), n_frames, len(joints), columns.shape[1]), np.nan)
    scores = np.zeros(poses.shape[:3]) if score_columns is not None else None
    filled = np.zeros(poses.shape[:3], dtype=bool) if filled_columns is not None else None
    seen = set()
    for (v, t), rec, line in zip(slots, records, range(2, 2 + len(records))):
        if (v, t) in seen:
            raise ValueError(f"line {line}: a second row for track {rec[0]} "
                             f"frame {rec[1] if rec[1] is not None else t}")
        seen.add((v, t))
        poses[v, t] = rec[2]
        if scores is not None:
            scores[v, t] = rec[3]
        if filled is not None:
            filled[v, t] = rec[4]
    extra = {"frame_ids": frame_ids} if frame_ids is not None else {}
    extra["csv"] = {"joints": joints}
    return PoseData(poses=poses, scores=scores, layout=match_layout(joints),
                    track_ids=track_ids if track_col is not None else None, format="csv", extra=extra,
                    filled=filled)


def _cell(x: float) -> str:
    return "" if x != x else repr(float(x))


def write(path: Path, data: PoseData, fmt: str = "csv") -> None:
    """Write a pose CSV: ``[track,] frame, <joint>_x, <joint>_y[, <joint>_z][, <joint>_score][, <joint>_filled] ...``.

    Joint names come from the source CSV, else the layout, else ``j0 .. j{J-1}``.
    """
    poses = np.asarray(data.poses)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords > 3:
        raise ValueError(f"{path}: CSV holds 2 or 3 coordinates per joint, poses have C = {n_coords}")
    names = data.extra.get("csv", {}).get("joints")
    if names is None or len(names) != n_joints:
        names = layout_joint_names(data.layout)
    if names is None or len(names) != n_joints:
        names = generic_names(n_joints)
    with_track = data.track_ids is not None or n_tracks > 1
    track_ids = data.track_ids if data.track_ids is not None else list(range(n_tracks))
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    header = (["track"] if with_track else []) + ["frame"]
    for name in names:
        header += [f"{name}_{a}" for a in _AXES[:n_coords]]
        header += [f"{name}_score"] if data.scores is not None else []
        header += [f"{name}_filled"] if data.filled is not None else []
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=_delimiter(path))
        writer.writerow(header)
        for v in range(n_tracks):
            for t in range(n_frames):
                row = ([str(track_ids[v])] if with_track else []) + [str(frame_ids[t])]
                for j in range(n_joints):
                    row += [_cell(x) for x in poses[v, t, j]]
                    if data.scores is not None:
                        row.append(_cell(data.scores[v, t, j]))
                    if data.filled is not None:
                        row.append("1" if data.filled[v, t, j] else "0")
                writer.writerow(row)
