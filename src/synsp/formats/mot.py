"""OpenSim motion files (``.mot``): joint angles over time, what Pose2Sim's inverse kinematics and Sports2D's
joint angles write. Not a pose file (no joint positions): read into a :class:`MotTable`, refined as angle curves
(:mod:`synsp.refining.angle_curves`) and written back with everything else as it came.

The layout OpenSim writes (Sports2D's alike), tab-separated after the header::

    Coordinates
    version=1
    nRows=120
    nColumns=9
    inDegrees=yes
    <free text lines>
    endheader
    time    pelvis_tilt    pelvis_tx    knee_angle_r ...
    0.000   -5.42          0.0123       12.3 ...

``inDegrees=yes`` (the default when the line is absent, as both tools write it): rotational columns are in
degrees, ``no``: radians. Columns named ``<...>_tx``, ``_ty``, ``_tz`` (OpenSim's models name their translational
coordinates so) are translations in metres. Cells of a column not changed are written back as their own text,
so a file read and written untouched is the same bytes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from synsp.formats.csv_cells import is_number_text, not_a_number
from synsp.formats.posedata import text_options, text_style
from synsp.paths import atomic_path

__all__ = ["MotTable", "read_mot", "write_mot", "translational"]

# decimals at least of a column written changed: Sports2D and Pose2Sim write 6; a file of fewer (a CSV export's 2)
# would round a filtered curve back onto its coarse grid, giving back the steps the filter smoothed (0.01 deg at 2)
MIN_DECIMALS = 6
_TRANSLATION = re.compile(r".*_t[xyz]$", re.IGNORECASE)


@dataclass
class MotTable:
    """One ``.mot`` file.

    Attributes
    ----------
    header : list of str, the lines before the column names (through ``endheader``), as written.
    columns : list of str, the K coordinate names after ``time``.
    times : ndarray (T,), seconds.
    values : ndarray (T, K), the coordinates (degrees or radians, translations in metres), NaN where blank or nan.
    in_degrees : bool, the rotational columns are in degrees (``inDegrees=yes`` or no such line).
    cells : list of list of str, every data row's cells as written (time first), for writing back.
    names_line : str, the column-name line as written.
    style : dict, line endings and BOM (:func:`synsp.formats.posedata.text_style`).
    """

    header: list[str]
    columns: list[str]
    times: np.ndarray
    values: np.ndarray
    in_degrees: bool
    cells: list[list[str]] = field(repr=False)
    names_line: str = ""
    style: dict = field(default_factory=dict)


def translational(columns: list[str]) -> np.ndarray:
    """(K,) bool: the columns OpenSim's naming makes translations (``pelvis_tx``), in metres; the rest are angles."""
    return np.array([bool(_TRANSLATION.match(name.strip())) for name in columns], dtype=bool)


def read_mot(path: str | Path) -> MotTable:
    """Read an OpenSim ``.mot`` file; ``ValueError`` (one line naming the file) for one that is not."""
    path = Path(path)
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    end = next((k for k, line in enumerate(lines) if line.strip().lower() == "endheader"), None)
    if end is None:
        raise ValueError(f"{path}: not an OpenSim .mot file (no 'endheader' line ends its header)")
    fields = dict(line.strip().split("=", 1) for line in lines[:end] if "=" in line)
    degrees = fields.get("inDegrees", "yes").strip().lower() != "no"
    start = next((k for k in range(end + 1, len(lines)) if lines[k].strip()), None)
    if start is None:
        raise ValueError(f"{path}: no column names after 'endheader'")
    sep = "\t" if "\t" in lines[start] else None
    names = [name.strip() for name in lines[start].split(sep)]
    while len(names) > 1 and not names[-1]:  # a tab after the last name (some writers end every line with one)
        names.pop()
    if len(names) < 2 or names[0].lower() != "time":
        raise ValueError(f"{path}: the column names after 'endheader' must start with 'time' then one name per "
                         f"coordinate (got {', '.join(names[:4])[:80]})")
    rows = [(n, line.split(sep)) for n, line in enumerate(lines[start + 1:], start + 2) if line.strip()]
    if not rows:
        raise ValueError(f"{path}: header but no data rows")
    table = np.full((len(rows), len(names)), np.nan)
    for r, (number, cells) in enumerate(rows):
        if len(cells) < len(names) or any(cell.strip() for cell in cells[len(names):]):
            raise ValueError(f"{path}: line {number} has {len(cells)} cells; its header names {len(names)} columns "
                             "(time and one per coordinate)")
        for c, cell in enumerate(cells[:len(names)]):
            text = cell.strip()
            if text and text.lower() != "nan":
                if not is_number_text(text):
                    raise ValueError(f"{path}: {not_a_number(text, f'line {number}')}")
                table[r, c] = float(text)
    if not np.isfinite(table[:, 0]).all():
        raise ValueError(f"{path}: the time column has a blank or nan cell; every row needs its time")
    return MotTable(header=lines[:start], columns=names[1:], times=table[:, 0], values=table[:, 1:],
                    in_degrees=degrees, cells=[cells for _, cells in rows], names_line=lines[start],
                    style=text_style(path))


def write_mot(path: str | Path, table: MotTable, values: np.ndarray | None = None) -> None:
    """Write ``table`` (with ``values`` (T, K) in its place when given) atomically: the header, names and time
    column as read; a column whose values are unchanged as its own text, a changed one with its cells' width and
    at least :data:`MIN_DECIMALS` decimals (NaN: ``nan``)."""
    path = Path(path)
    values = table.values if values is None else np.asarray(values, dtype=np.float64)
    if values.shape != table.values.shape:
        raise ValueError(f"{path}: values {values.shape} do not fit the file's {table.values.shape} (T, K)")
    cells = [list(row) for row in table.cells]
    for k in range(values.shape[1]):
        if np.array_equal(values[:, k], table.values[:, k], equal_nan=True):
            continue
        decimals = max(MIN_DECIMALS, max(len(row[k + 1].strip().partition(".")[2]) for row in cells))
        for row, value in zip(cells, values[:, k]):
            row[k + 1] = (f"{value:.{decimals}f}" if np.isfinite(value) else "nan").rjust(len(row[k + 1]))
    sep = "\t" if "\t" in table.names_line else " "
    text = "\n".join([*table.header, table.names_line, *(sep.join(row) for row in cells)]) + "\n"
    with atomic_path(path) as tmp, open(tmp, "w", **text_options(table.style)) as f:
        f.write(text)
