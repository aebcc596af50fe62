"""CSV tables: one row per frame (and per track), one column per joint coordinate.

Header columns ``<joint>_x, <joint>_y[, <joint>_z]`` name the joints (``nose_x`` or
``j0_x``; SLEAP's Analysis CSV ``nose.x``, its ``frame_idx`` the frame column, written back with its dots;
its ``instance.score``, a score of no joint's, is a column of the user's), optional ``<joint>_score``
columns (also ``_conf``, ``_confidence``, ``_visibility``, ``_likelihood``) give confidences, optional
``<joint>_filled`` columns (1 where the value was filled in rather than measured, else 0) give ``filled``,
an optional ``frame`` (or ``frame_id``, ``frame_idx``) column numbers the frames and an optional ``track``
(or ``track_id``, ``person``) column separates persons. Empty cells, ``nan`` and the words pandas reads as
missing (``NA``, ``#N/A``, ...) are missing values; any other cell that is no number is a one-line error
naming its line and column (:mod:`synsp.formats.csv_cells`). Other columns (a time stamp, a note) are the
user's: kept as text per (track, frame) and written back after the joints' columns.
One of them named ``time`` (``time_s``, ``timestamp``, in seconds; ``time_ms``, ``timestamp_ms`` in
milliseconds) also gives the frames' times, as a TRC's Time column does (``extra["csv"]["times"]``:
frames at uneven times are refined on an even grid, :mod:`synsp.refining.uneven_times`).
Joint names that equal a known layout's give ``layout``; names of a layout's joints in another
order or some of them (Pose2Sim's 22 HALPE_26 markers), matched as the TRC reader matches marker
names (:func:`synsp.formats.trc.match_markers`), read as that layout's joints, NaN for the
joints the file lacks, and the writer puts back the file's own columns in its order; so are 2D files' names of at
least 8 of COCO-17's joints whatever the limbs (:func:`synsp.formats.joint_subsets.match_subset`: a lab's subset,
``left_wrist``, ``LWrist``, ``wrist_l`` alike; in 3D ``--layout h36m17`` says so). ``.tsv`` files are tab-separated.

A track column of names (``alice``, ``bob``: SLEAP or DeepLabCut individuals, a hand-made table) reads
as tracks 0, 1, ... in order of first appearance, and the names are written back (a column of numbers
with one cell that is no number is that cell's error, not names).

The writer emits the track column (when there are track ids or several tracks; named as read, ``person`` stays
``person``, else ``track``) and the frame column (named as read: ``frame_id`` stays ``frame_id``)
in the file's order, then per joint its coordinates, score and
filled flag, and the file's rows in its order (by frame or by track), plus a row wherever a value was added;
the file's other columns follow. A table made elsewhere gets one row for every (track, frame), which reads
back to the same arrays.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from synsp.formats.csv_cells import numbers, track_names
from synsp.formats.csv_rows import FRAME_COLUMNS, TRACK_COLUMNS, key_column, other_cells, row_slots, time_column
from synsp.formats.joint_subsets import as_files_joints, placed_joints, read_as_subset
from synsp.formats.posedata import PoseData, text_options, text_style
from synsp.formats.trc import match_markers
from synsp.paths import atomic_path
from synsp.skeleton import LAYOUTS, generic_names, layout_joint_names, match_layout

_AXES = ("x", "y", "z")
# a joint's name, then '_' or SLEAP's '.' (its Analysis CSV: ``nose.x``, ``nose.score``), then the column's kind
_COORD = re.compile(r"^(.+)([_.])([xyz])$", re.IGNORECASE)
_SCORE = re.compile(r"^(.+)([_.])(score|conf|confidence|visibility|likelihood)$", re.IGNORECASE)
_FILLED = re.compile(r"^(.+)([_.])filled$", re.IGNORECASE)


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _rows(text: str, delimiter: str, path: Path) -> tuple[list[str], list[str] | list[list[str]]]:
    """Header cells and the body: its lines, or (a file with quoted cells) its rows of cells.
    Blank lines are skipped; a line with another cell count than the header's is an error."""
    if '"' in text:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in r)]
        except csv.Error as err:  # e.g. a cell over the csv module's field limit: no pose table
            raise ValueError(f"{path}: not a CSV table ({err})") from None
        counts = [len(row) for row in rows]
    else:
        rows = [line for line in text.splitlines() if line.strip(delimiter + " \t")]
        counts = [line.count(delimiter) + 1 for line in rows]
    if not rows:
        raise ValueError(f"{path}: empty file")
    # before the cell counts: a ';'-separated file with decimal commas has more cells per row than its header
    _same_separator(rows[0] if isinstance(rows[0], list) else rows[0].split(delimiter), path)
    for r, count in enumerate(counts[1:], start=2):
        if count != counts[0]:
            raise ValueError(f"{path}: line {r} has {count} cells, the header has {counts[0]}")
    header = rows[0] if isinstance(rows[0], list) else rows[0].split(delimiter)
    return header, rows[1:]


def _once(columns: dict, key: str, what: str, col: int, path: Path, joint: str | None = None) -> dict:
    """``columns``, after checking it has no column yet for ``key``: a joint named twice would
    have its second column overwrite the first, and one joint's values stand for two."""
    if key in columns:
        joint = key if joint is None else joint
        raise ValueError(f"{path}: joint {joint!r} is named twice (two {what} columns: {columns[key] + 1} and "
                         f"{col + 1}); every joint needs a name of its own")
    return columns


def _same_separator(header: list[str], path: Path) -> None:
    """Raise when the header's cells hold another separator (the whole line landed in one cell)."""
    for sep, name, hint in ((";", "semicolons", "convert it to commas, with decimal points"),
                            ("\t", "tabs", "name it .tsv")):
        if any(sep in cell for cell in header):
            raise ValueError(f"{path}: columns look separated by {name}; synsp reads comma-separated CSV: {hint}")


def _separator(header: list[str], keys: tuple) -> str:
    """The separator most coordinate columns use ('_' on a tie): in a file of ``nose_x`` joints a ``bbox.x`` column
    is the user's, and in SLEAP's ``nose.x`` joints a ``centroid_x`` one; kept and written back as read. The
    joints are written back with it."""
    seps = [m.group(2) for col, name in enumerate(header) if col not in keys and (m := _COORD.match(name.strip()))]
    return "." if seps.count(".") > seps.count("_") else "_"


def _parse_header(header: list[str], path: Path):
    _same_separator(header, path)
    track_col, frame_col = key_column(header, TRACK_COLUMNS), key_column(header, FRAME_COLUMNS)
    joints: list[str] = []
    coords: dict[str, dict[str, int]] = {}
    score_cols: dict[str, int] = {}
    filled_cols: dict[str, int] = {}
    separator = _separator(header, (track_col, frame_col))
    for col, name in enumerate(header):
        name = name.strip()
        if col in (track_col, frame_col):
            continue
        if (m := _SCORE.match(name)) and m.group(2) == separator:
            _once(score_cols, m.group(1), "score", col, path)[m.group(1)] = col
        elif (m := _FILLED.match(name)) and m.group(2) == separator:
            _once(filled_cols, m.group(1), "filled", col, path)[m.group(1)] = col
        elif (m := _COORD.match(name)) and m.group(2) == separator:
            joint, axis = m.group(1), m.group(3).lower()
            if joint not in coords:
                joints.append(joint)
                coords[joint] = {}
            _once(coords[joint], axis, axis, col, path, joint)[axis] = col
    if not joints:
        shown = ", ".join(h[:20] for h in header[:6])
        if header and header[0].strip().lower() == "time":  # Sports2D's angles saved as a table: curves, not joints
            raise ValueError(f"{path}: time, then no <joint>_x columns: angle curves? synsp refine filters angles in "
                             "an OpenSim .mot, and refines joint positions (a TRC, or <joint>_x, _y columns)")
        raise ValueError(f"{path}: header has no <joint>_x/<joint>_y columns (got {shown[:120]} ...)")
    # the axes most joints have: the joint that differs is the one to name, wherever it stands
    sets = [tuple(sorted(coords[joint])) for joint in joints]
    axes = list(max(dict.fromkeys(sets), key=lambda s: (sets.count(s), len(s))))
    if axes not in (["x", "y"], ["x", "y", "z"]):
        joint = joints[sets.index(tuple(axes))]
        raise ValueError(f"{path}: joint {joint!r} has columns for axes {axes}; expected x, y[, z]")
    for joint, have in zip(joints, sets):
        lacking, besides = [a for a in axes if a not in have], [a for a in have if a not in axes]
        if lacking:
            raise ValueError(f"{path}: joint {joint!r} has no {', '.join(lacking)} column (the other joints have "
                             f"{', '.join(axes)})")
        if besides:
            raise ValueError(f"{path}: joint {joint!r} has a {', '.join(besides)} column, the other joints only "
                             f"{', '.join(axes)}")
    # a score of no joint's (SLEAP's instance.score, a detector's box score) is the user's column, kept as read
    score_cols = {joint: col for joint, col in score_cols.items() if joint in coords}
    if score_cols and set(score_cols) != set(joints):
        missing = sorted(set(joints) - set(score_cols)) or sorted(set(score_cols) - set(joints))
        raise ValueError(f"{path}: score columns must cover every joint exactly (mismatch at {missing[0]!r})")
    if filled_cols and set(filled_cols) != set(joints):
        missing = sorted(set(joints) - set(filled_cols)) or sorted(set(filled_cols) - set(joints))
        raise ValueError(f"{path}: filled columns must cover every joint exactly (mismatch at {missing[0]!r})")
    columns = np.array([[coords[j][a] for a in axes] for j in joints])  # (J, C)
    scores = np.array([score_cols[j] for j in joints]) if score_cols else None
    filled = np.array([filled_cols[j] for j in joints]) if filled_cols else None
    return track_col, frame_col, joints, columns, scores, filled, separator


def pose_header(path: Path) -> bool:
    """Whether ``path``'s first line that is not blank names joint coordinate columns (two or more cells, quotes
    stripped, read as ``<joint>_x``, ``<joint>.y``, ...): a folder's ``.txt`` file may be a table (``.txt`` is a CSV
    extension) or a log or a note (Pose2Sim's logs.txt). A table's faults are the reader's to say, with its message."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            first = next((line for line in f if line.strip()), "")
    except OSError:
        return False
    cells = next(csv.reader([first.rstrip("\r\n")], delimiter=_delimiter(path)), [])
    return sum(bool(_COORD.match(cell.strip().strip("\"'").strip())) for cell in cells) >= 2


def read(path: Path) -> PoseData:
    """Read a pose CSV (see the module doc).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, C) with C = 2 or 3 in the file's unit; V = 1 without a track
        column; frames are the sorted distinct ``frame`` values, or row order.
    """
    delimiter = _delimiter(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        header, body = _rows(f.read(), delimiter, path)
    track_col, frame_col, joints, columns, score_columns, filled_columns, separator = _parse_header(header, path)
    empty_track = None  # a track column left empty (SLEAP's untracked instances): one track, written back in place
    if track_col is not None and not any((row if isinstance(row, list) else row.split(delimiter))[track_col].strip()
                                         for row in body):
        empty_track, track_col = track_col, None
    if not body:
        raise ValueError(f"{path}: header but no data rows")
    n_rows = len(body)
    n_joints, n_coords = columns.shape
    wanted = columns.ravel().tolist()  # table columns: coordinates, scores, filled, track, frame
    for part in (score_columns, filled_columns):
        wanted += part.tolist() if part is not None else []
    keys, names = [c for c in (track_col, frame_col) if c is not None], None
    try:
        table = numbers(body, wanted + keys, header, delimiter)
    except ValueError:  # a track column of names ('alice', 'bob'); a bad cell elsewhere is raised again
        if track_col is None:
            raise
        table = numbers(body, wanted + keys[1:], header, delimiter)
        names, v_index = track_names(body, track_col, delimiter, header)
    wanted += keys  # the key columns are no user's
    at = n_joints * n_coords
    coords = table[:, :at].reshape(-1, n_joints, n_coords)
    scores_in = filled_in = None
    if score_columns is not None:
        scores_in, at = table[:, at:at + n_joints], at + n_joints
    if filled_columns is not None:
        filled_in, at = table[:, at:at + n_joints], at + n_joints
        if not np.isin(np.nan_to_num(filled_in), (0.0, 1.0)).all():
            line = 2 + int(np.flatnonzero(~np.isin(np.nan_to_num(filled_in), (0.0, 1.0)).all(1))[0])
            raise ValueError(f"{path}: line {line}: filled flags must be booleans or 0/1")
    if names:  # ids 0 .. n-1 in order of first appearance; the names written back
        track_ids = list(range(len(names)))
    else:
        tracks = np.zeros(n_rows, dtype=np.int64)
        if track_col is not None:
            values, at = table[:, at], at + 1
            bad = ~(np.isfinite(values) & (values == np.round(values)))
            if bad.any():
                r = int(np.flatnonzero(bad)[0])
                cell = (body[r] if isinstance(body[r], list) else body[r].split(delimiter))[track_col]
                raise ValueError(f"line {r + 2} column {header[track_col].strip()!r}: track {cell!r} is not an integer")
            tracks = values.astype(np.int64)
        track_ids, v_index = np.unique(tracks, return_inverse=True)
        track_ids = track_ids.tolist()
    if frame_col is not None:
        frames = table[:, at]
        if np.isnan(frames).any():
            raise ValueError(f"line {int(np.flatnonzero(np.isnan(frames))[0]) + 2}: empty frame number")
        frame_values, t_index = np.unique(frames, return_inverse=True)
        frame_ids = [int(f) if float(f).is_integer() else float(f) for f in frame_values.tolist()]
    else:  # row order within each track
        t_index = np.zeros(n_rows, dtype=np.int64)
        for v in range(len(track_ids)):
            rows_v = v_index == v
            t_index[rows_v] = np.arange(rows_v.sum())
        frame_ids = None
    slot = v_index * (int(t_index.max()) + 1) + t_index
    _, counts = np.unique(slot, return_counts=True)
    if (counts > 1).any():
        dup = int(np.flatnonzero(slot == np.unique(slot)[counts > 1][0])[1])
        frame = frame_ids[t_index[dup]] if frame_ids is not None else int(t_index[dup])
        raise ValueError(f"line {dup + 2}: a second row for track {track_ids[v_index[dup]]} frame {frame}")
    n_frames = int(t_index.max()) + 1
    poses = np.full((len(track_ids), n_frames, n_joints, n_coords), np.nan)
    poses[v_index, t_index] = coords
    scores = filled = None
    if scores_in is not None:
        scores = np.zeros(poses.shape[:3])
        scores[v_index, t_index] = scores_in
    # SLEAP's: a point a person labelled has no score (NaN in its .h5 too): 1 here, written back empty
    labelled = np.isnan(scores) & np.isfinite(poses).all(-1) if scores is not None and separator == "." else None
    if labelled is not None and labelled.any():
        scores[labelled] = 1.0
    if filled_in is not None:
        filled = np.zeros(poses.shape[:3], dtype=bool)
        filled[v_index, t_index] = np.nan_to_num(filled_in) == 1.0
    extra = {"frame_ids": frame_ids} if frame_ids is not None else {}
    extra["csv"] = {"joints": joints, **text_style(path)}  # saved by Excel (CRLF, a BOM): written back so
    if separator != "_":  # SLEAP's nose.x: written back so
        extra["csv"]["separator"] = separator
    if labelled is not None and labelled.any():
        extra["csv"]["labelled"] = labelled
    if frame_col is not None:  # the frame column's name (frame_id), written back as read
        extra["csv"]["frame_column"] = header[frame_col].strip()
    if track_col is not None:  # the rows' order, the key columns' and the track column's name, written back so
        extra["csv"].update(rows=np.stack([v_index, t_index]),
                            frame_first=frame_col is not None and frame_col < track_col,
                            track_column=header[track_col].strip())
        if names:
            extra["csv"]["track_names"] = names
    if empty_track is not None:  # its name and place among the key columns, its cells empty: written back so
        extra["csv"].update(empty_track=True, track_column=header[empty_track].strip(),
                            frame_first=frame_col is not None and frame_col < empty_track)
    if score_columns is not None:  # MediaPipe's "_visibility", DeepLabCut's "_likelihood": written back so
        extra["csv"]["score_name"] = _SCORE.match(header[score_columns[0]].strip()).group(3)
    used = set(wanted) | ({empty_track} if empty_track is not None else set())
    others = [c for c in range(len(header)) if c not in used]
    if others:
        extra["csv"]["others"] = other_cells(body, others, header, delimiter, (len(track_ids), n_frames),
                                             v_index, t_index)
        extra["csv"].update(time_column(extra["csv"]["others"], v_index, t_index, n_frames))
    layout = match_layout(joints)
    matched = match_markers(joints) if layout is None else None
    if matched is not None and None not in matched[1]:  # a layout's joints, some absent or in another order
        layout, columns = matched
        extra["csv"]["columns"] = columns  # each column's joint in the layout, to write the file's own back
        poses, scores, filled = (placed_joints(part, columns, len(LAYOUTS[layout].joints), fill)
                                 for part, fill in ((poses, np.nan), (scores, 0.0), (filled, False)))
    data = PoseData(poses=poses, scores=scores, layout=layout,
                    track_ids=track_ids if track_col is not None else None, format="csv", extra=extra,
                    filled=filled)
    # some of the 2D model's joints, by name: the others NaN, never written (3D: --layout h36m17 says so)
    return read_as_subset(data, joints) if n_coords == 2 else data


def _text(value, delimiter: str) -> str:
    """A header or key cell, quoted as the csv module would when it holds a delimiter or a quote."""
    text = str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if delimiter in text or '"' in text or "\n" in text else text


def write(path: Path, data: PoseData, fmt: str = "csv") -> None:
    """Write a pose CSV: ``[track,] frame, <joint>_x, <joint>_y[, <joint>_z][, <joint>_score][, <joint>_filled] ...``.

    Joint names come from the source CSV, else the layout, else ``j0 .. j{J-1}``; score columns
    keep the source's name (``_visibility``, ...).
    """
    poses = np.asarray(data.poses)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords > 3:
        raise ValueError(f"{path}: CSV holds 2 or 3 coordinates per joint, poses have C = {n_coords}")
    names = data.extra.get("csv", {}).get("joints")
    columns = data.extra.get("csv", {}).get("columns")
    if names is not None and columns is not None and len(columns) == len(names):
        # the file named a layout's joints (some of them, in its order): only those go back, in its order
        data = as_files_joints(data, columns)
        poses = np.asarray(data.poses)
        n_joints = poses.shape[2]
    if names is None or len(names) != n_joints:
        names = layout_joint_names(data.layout)
    if names is None or len(names) != n_joints:
        names = generic_names(n_joints)
    own = data.extra.get("csv", {})
    empty_track = bool(own.get("empty_track")) and data.track_ids is None and n_tracks == 1  # its cells, as read
    with_track = data.track_ids is not None or n_tracks > 1 or empty_track
    track_ids = data.track_ids if data.track_ids is not None else [""] if empty_track else list(range(n_tracks))
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    header = ([own.get("track_column", "track")] if with_track else []) + [own.get("frame_column", "frame")]
    labels = own.get("track_names")  # a column of names ('alice'), as read; ids beyond them as numbers
    if labels is not None:
        track_ids = [labels[i] if 0 <= i < len(labels) else i for i in map(int, track_ids)]
    score_name = data.extra.get("csv", {}).get("score_name", "score")
    sep = data.extra.get("csv", {}).get("separator", "_")
    for name in names:
        header += [f"{name}{sep}{a}" for a in _AXES[:n_coords]]
        header += [f"{name}{sep}{score_name}"] if data.scores is not None else []
        header += [f"{name}{sep}filled"] if data.filled is not None else []
    # one (rows, columns) float table, formatted row by row with one %-format: repr precision, NaN -> ""
    parts = [poses.reshape(n_tracks, n_frames, n_joints, n_coords)]
    formats = ["%r"] * n_coords
    if data.scores is not None:
        labelled = own.get("labelled")  # SLEAP's points a person labelled: their score cells empty, as read
        scores = np.asarray(data.scores, dtype=np.float64)
        if labelled is not None and np.shape(labelled) == scores.shape:
            scores = np.where(labelled, np.nan, scores)
        parts.append(scores[..., None])
        formats.append("%r")
    if data.filled is not None:
        parts.append(np.asarray(data.filled, dtype=np.float64)[..., None])
        formats.append("%d")
    table = np.concatenate(parts, axis=-1).reshape(n_tracks * n_frames, n_joints * len(formats))
    delimiter = _delimiter(path)
    row_format = delimiter.join(formats * n_joints)
    first = data.extra.get("csv", {}).get("frame_first") and with_track
    if first:
        header[:2] = header[1::-1]
    track_ids = [_text(i, delimiter) for i in track_ids]
    keys = [(f"{_text(frame_ids[t], delimiter)}{delimiter}{track_ids[v]}{delimiter}" if first else
             (f"{track_ids[v]}{delimiter}" if with_track else "") + f"{_text(frame_ids[t], delimiter)}{delimiter}")
            for v in range(n_tracks) for t in range(n_frames)]
    numbers = "\n".join(row_format % tuple(row) for row in table.tolist())
    numbers = numbers.replace("nan", "")  # only a missing value's repr says "nan"; it is an empty cell
    lines = [key + row for key, row in zip(keys, numbers.split("\n"))]
    others = data.extra.get("csv", {}).get("others")
    if others is not None and np.shape(others["cells"]) == (n_tracks, n_frames):  # the user's columns, as read
        header += others["names"]
        blank = ("",) * len(others["names"])
        lines = [line + "".join(delimiter + _text(cell, delimiter) for cell in (cells or blank))
                 for line, cells in zip(lines, others["cells"].ravel().tolist())]
    lines = [lines[slot] for slot in row_slots(data, n_tracks, n_frames)]
    text = "\n".join([delimiter.join(_text(name, delimiter) for name in header)] + lines) + "\n"
    with atomic_path(path) as tmp, open(tmp, "w", **text_options(data.extra.get("csv"))) as f:  # as read
        f.write(text)
