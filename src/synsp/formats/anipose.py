"""anipose 3D CSV (``pose-3d/*.csv`` from ``anipose triangulate``).

Columns, per body part, ``<bp>_x, <bp>_y, <bp>_z, <bp>_error, <bp>_ncams, <bp>_score``, then the
alignment ``M_00 .. M_22`` and ``center_0 .. center_2``, and ``fnum`` (the frame number); one
row per frame; an untriangulated point has empty x, y, z. Positions are in the calibration's
unit (anipose users calibrate in millimetres, synsp's 3D unit). ``<bp>_score`` (the mean 2D
score) is the confidence.

The writer changes only the body parts' x, y, z cells: every other column (errors, camera
counts, scores, ``M_``, ``center_``, ``fnum``) is written back exactly as read. Body parts read as a
layout's in its places (some of its joints, or in another order) go back to the file's, each with its own
columns. Poses of other frames than the source table's, or from elsewhere, are written as a new table: the
source's body parts in its order, else the layout's, each with its own score. Told apart from a plain pose
CSV by the ``fnum`` column or ``_error`` / ``_ncams`` columns.
"""
from __future__ import annotations

import csv as csv_module
import io
from pathlib import Path

import numpy as np

from synsp.formats import csv as pose_csv
from synsp.formats.joint_subsets import as_files_joints
from synsp.formats.posedata import PoseData, text_options
from synsp.paths import atomic_path
from synsp.skeleton import generic_names, layout_joint_names


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        return next(csv_module.reader(f), [])


def sniff(content) -> bool:
    """An anipose CSV: a ``fnum`` column, or ``<bp>_error`` and ``<bp>_ncams`` columns."""
    if not isinstance(content, Path) or content.suffix.lower() != ".csv":
        return False
    header = [h.strip() for h in _header(content)]
    return "fnum" in header or (any(h.endswith("_error") for h in header) and any(h.endswith("_ncams") for h in header))


def read(path: Path) -> PoseData:
    """Read an anipose 3D CSV.

    Returns
    -------
    PoseData
        ``poses`` (1, T, J, 3) in the file's unit, ``scores`` (1, T, J) from ``<bp>_score``;
        ``extra["frame_ids"]`` = ``fnum``; ``extra["anipose"]`` the whole table (``rows``), each body
        part's x, y, z column numbers (``cells``) and, for some of a layout's body parts or its in another order,
        each one's joint in the layout (``columns``) for writing back.
    """
    data = pose_csv.read(path)
    if data.poses.shape[-1] != 3:
        raise ValueError(f"{path}: anipose 3D CSV needs <bp>_x, _y and _z columns")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv_module.reader(f) if any(cell.strip() for cell in row)]
    header = [h.strip() for h in rows[0]]
    joints = data.extra["csv"]["joints"]
    cells = [[header.index(f"{joint}_{axis}") for axis in "xyz"] for joint in joints]  # each joint's x, y, z column
    if "fnum" in header:
        fnum = [row[header.index("fnum")] for row in rows[1:]]
        data.extra["frame_ids"] = [int(float(f)) if f.strip() else t for t, f in enumerate(fnum)]
    # "cells", not "columns": extra[fmt]["columns"] is each body part's joint in a layout (lacking_joints reads it),
    # there when the body parts are some of a layout's or in another order (read in its places, written back so)
    placed = data.extra["csv"].get("columns")
    data.extra["anipose"] = {"rows": rows, "cells": cells, **({"columns": placed} if placed is not None else {})}
    data.format = "anipose"
    return data


def write(path: Path, data: PoseData, fmt: str = "anipose") -> None:
    """Write an anipose 3D CSV: the source table with new x, y, z (see the module doc)."""
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_tracks != 1 or n_coords != 3:
        raise ValueError(f"{path}: an anipose CSV holds one 3D track; poses are {poses.shape} (V, T, J, C)")
    source = data.extra.get("anipose")
    if source:  # some of a layout's body parts, read in its places: back to the file's own, in its order (scores too)
        data = as_files_joints(data, source.get("columns"))
        poses = np.asarray(data.poses, dtype=np.float64)
        n_joints = poses.shape[2]
    if source and len(source["cells"]) == n_joints and len(source["rows"]) == n_frames + 1:
        rows = [list(row) for row in source["rows"]]
        cells = source["cells"]
    else:  # poses from elsewhere, or of other frames: anipose's columns, with what synsp knows
        names = (data.extra.get("csv") or {}).get("joints") if source else None  # the source's, in its order
        if names is None or len(names) != n_joints:
            names = layout_joint_names(data.layout) or generic_names(n_joints)
        header = [f"{name}_{col}" for name in names for col in ("x", "y", "z", "error", "ncams", "score")] + ["fnum"]
        frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
        scores = data.scores[0] if data.scores is not None else np.isfinite(poses[0]).all(-1).astype(float)
        rows = [header] + [sum(([""] * 5 + [repr(float(scores[t, j])) if scores[t, j] == scores[t, j] else ""]
                                for j in range(n_joints)), []) + [str(frame_ids[t])] for t in range(n_frames)]
        cells = [[6 * j, 6 * j + 1, 6 * j + 2] for j in range(n_joints)]
    for t in range(n_frames):
        for j, cols in enumerate(cells):
            for c, value in zip(cols, poses[0, t, j].tolist()):
                rows[t + 1][c] = "" if value != value else repr(value)
    out = io.StringIO()
    csv_module.writer(out, lineterminator="\n").writerows(rows)
    # the source's line endings and BOM (pose_csv.read keeps them), else LF
    with atomic_path(path) as tmp, open(tmp, "w", **text_options(data.extra.get("csv"))) as f:
        f.write(out.getvalue())
