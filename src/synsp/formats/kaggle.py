"""Kaggle's "Isolated Sign Language Recognition" landmark files, as CSV (MediaPipe Holistic, long form).

One row per landmark per frame: ``frame, row_id, type, landmark_index, x, y, z`` (``row_id``
``<frame>-<type>-<index>``; ``type`` face, left_hand, pose or right_hand); x, y are normalised
image coordinates (0 to 1 across the image, whose size the file does not give) and z MediaPipe's
relative depth; a block MediaPipe did not find has rows with empty (NaN) x, y, z. Read as one
track (1, T, 543, 3) in the ``holistic543_kaggle`` layout (face, left hand, pose, right hand),
frames the sorted distinct ``frame`` values (``extra["frame_ids"]``), a landmark without a row
NaN. ``synsp refine`` refines x, y in 2D and writes z back as read
(:func:`synsp.refining.file_channels.holistic_depth`).

The writer changes only x, y (and z when it was refined, ``--space 3d``) of the rows read:
every other cell, the row order and the spelling of a value that did not change (NaN included)
are written back as read. Told apart from a plain pose CSV by its ``type`` and
``landmark_index`` columns. Kaggle ships Parquet, which needs pyarrow (not a synsp dependency):
a ``.parquet`` is a one-line error saying how to convert it to this CSV.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from synsp.formats.csv_cells import is_number_text
from synsp.formats.posedata import PoseData
from synsp.paths import atomic_path
from synsp.skeleton import BLOCKS

LAYOUT = "holistic543_kaggle"
# type -> (first point in the layout, number of points)
TYPES = {block: (first, end - first) for block, first, end in BLOCKS[LAYOUT]}
KEYS = ("frame", "type", "landmark_index", "x", "y")  # the columns that say it is this format


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        return [h.strip() for h in next(csv.reader(f), [])]


def sniff(content) -> bool:
    """Kaggle's long CSV: ``frame``, ``type``, ``landmark_index``, ``x`` and ``y`` columns."""
    return isinstance(content, Path) and content.suffix.lower() == ".csv" and set(KEYS) <= set(_header(content))


def _parquet(path: Path) -> ValueError:
    csv_name = path.with_suffix(".csv").name
    return ValueError(f"{path}: Parquet needs pyarrow, not a synsp dependency; convert it with pandas: "
                      f"pd.read_parquet(f).to_csv('{csv_name}', index=False)")


def _floats(cells: list[str], what: str, path: Path) -> np.ndarray:
    """The cells as float64, an empty cell NaN; a ValueError naming the file and line otherwise."""
    try:
        return np.array([c if c.strip() else "nan" for c in cells], dtype=np.float64)
    except ValueError:
        line = next(i for i, c in enumerate(cells) if c.strip() and not is_number_text(c)) + 2
        raise ValueError(f"{path}: line {line}: {what} {cells[line - 2]!r} is not a number") from None


def read(path: Path) -> PoseData:
    """Read a Kaggle sign-language landmark CSV (see the module doc).

    Returns
    -------
    PoseData
        ``poses`` (1, T, 543, 3) (x, y, z; 2 channels without a ``z`` column), layout
        ``holistic543_kaggle``; ``extra["kaggle"]`` the rows as read, for writing back.
    """
    if path.suffix.lower() == ".parquet":
        raise _parquet(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"{path}: empty file, not a Kaggle landmark CSV")
    header = [h.strip() for h in rows[0]]
    missing = [key for key in KEYS if key not in header]
    if missing:
        raise ValueError(f"{path}: not a Kaggle landmark CSV: no {', '.join(missing)} column")
    body = rows[1:]
    if not body:
        raise ValueError(f"{path}: header but no data rows")
    if any(len(row) != len(header) for row in body):
        line = next(i for i, row in enumerate(body) if len(row) != len(header)) + 2
        raise ValueError(f"{path}: line {line} has {len(body[line - 2])} cells, the header {len(header)}")
    axes = [a for a in "xyz" if a in header]
    at = {name: header.index(name) for name in (*KEYS, *axes)}
    frame_of = _floats([row[at["frame"]] for row in body], "frame", path)
    index = _floats([row[at["landmark_index"]] for row in body], "landmark_index", path)
    if not (np.isfinite(frame_of).all() and np.isfinite(index).all()):
        raise ValueError(f"{path}: a row without its frame or landmark_index")
    joint = np.empty(len(body), dtype=np.int64)
    for kind in {row[at["type"]].strip() for row in body}:
        rows_of = np.array([row[at["type"]].strip() == kind for row in body])
        if kind not in TYPES:
            line = int(np.flatnonzero(rows_of)[0]) + 2
            raise ValueError(f"{path}: line {line}: type {kind!r} is none of {', '.join(TYPES)}")
        first, count = TYPES[kind]
        bad = rows_of & ((index < 0) | (index >= count) | (index != np.round(index)))
        if bad.any():
            raise ValueError(f"{path}: line {int(np.flatnonzero(bad)[0]) + 2}: {kind} landmark_index "
                             f"{body[int(np.flatnonzero(bad)[0])][at['landmark_index']]!r} is not 0-{count - 1}")
        joint[rows_of] = first + index[rows_of].astype(np.int64)
    frames, t_of = np.unique(frame_of.astype(np.int64), return_inverse=True)
    cell = t_of * 543 + joint
    if len(np.unique(cell)) < len(cell):
        _, first_seen, counts = np.unique(cell, return_index=True, return_counts=True)
        line = int(first_seen[counts > 1][0]) + 2
        kind, number = body[line - 2][at["type"]].strip(), body[line - 2][at["landmark_index"]].strip()
        raise ValueError(f"{path}: line {line}: {kind} landmark {number} given twice in frame {frames[t_of[line - 2]]}")
    poses = np.full((1, len(frames), 543, len(axes)), np.nan)
    values = np.stack([_floats([row[at[a]] for row in body], a, path) for a in axes], axis=-1)
    poses[0, t_of, joint] = values
    extra = {"frame_ids": frames.tolist(),
             "kaggle": {"rows": rows, "axes": [at[a] for a in axes], "t": t_of, "joint": joint, "read": values}}
    return PoseData(poses=poses, layout=LAYOUT, format="kaggle", extra=extra)


def _nan_spelling(rows: list[list[str]], columns: list[int]) -> str:
    """How the file writes a missing value (pandas' ``to_csv``: an empty cell)."""
    for row in rows[1:]:
        for c in columns:
            if not is_number_text(row[c]) or row[c].strip().lower() == "nan":
                return row[c]
    return ""


def write(path: Path, data: PoseData, fmt: str = "kaggle") -> None:
    """Write a Kaggle sign-language landmark CSV: the rows read with new x, y (see the module doc)."""
    if path.suffix.lower() == ".parquet":
        raise _parquet(path)
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_tracks != 1 or n_joints != 543 or n_coords not in (2, 3):
        raise ValueError(f"{path}: a Kaggle landmark CSV holds one track of 543 points (x, y[, z]); poses are "
                         f"{poses.shape} (V, T, J, C)")
    source = data.extra.get("kaggle")
    if source and len(source["axes"]) == n_coords and int(source["t"].max()) < n_frames:
        rows, columns, t_of, joint, read = source["rows"], source["axes"], source["t"], source["joint"], \
            source["read"]
    else:  # poses from elsewhere: every landmark of every frame, in Kaggle's order
        frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
        kinds = [(kind, i) for kind, (_, count) in TYPES.items() for i in range(count)]
        rows = [["frame", "row_id", "type", "landmark_index", *"xyz"[:n_coords]]]
        rows += [[str(f), f"{f}-{kind}-{i}", kind, str(i)] + [""] * n_coords for f in frame_ids for kind, i in kinds]
        columns = list(range(4, 4 + n_coords))
        t_of, joint = np.repeat(np.arange(n_frames), 543), np.tile(np.arange(543), n_frames)
        read = np.full((len(t_of), n_coords), np.nan)
    nan = _nan_spelling(rows, columns)
    values = poses[0, t_of, joint]  # (rows, C), one per data row
    # a value that did not change keeps its text as read (digits, NaN spelling): only refined cells are new
    same = (values == read) | (np.isnan(values) & np.isnan(read))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for r, row in enumerate(rows[1:]):
        if not same[r].all():
            row = list(row)
            for k, c in enumerate(columns):
                if not same[r, k]:
                    row[c] = nan if values[r, k] != values[r, k] else repr(float(values[r, k]))
        writer.writerow(row)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
