"""A pose CSV's own rows and columns, written back as read: its other columns' cells (a time
stamp, a note), the frames' times they give, and the order of its rows (:mod:`synsp.formats.csv`)."""
from __future__ import annotations

import numpy as np

from synsp.formats.posedata import PoseData

__all__ = ["other_cells", "time_column", "time_decimals", "time_scale", "row_slots", "key_column", "time_key",
           "TRACK_COLUMNS", "FRAME_COLUMNS", "TIME_COLUMNS"]

# The key columns' names (any case, spaces around ignored): a track's (persons apart), a frame's number
TRACK_COLUMNS = ("track", "track_id", "person")
FRAME_COLUMNS = ("frame", "frame_id", "frame_idx")  # frame_idx: SLEAP's Analysis CSV
# A time column's name and the seconds in one of its units: the file's times (as a TRC's Time column)
TIME_COLUMNS = {"time": 1.0, "time_s": 1.0, "time (s)": 1.0, "timestamp": 1.0, "seconds": 1.0,
                "time_ms": 0.001, "time (ms)": 0.001, "timestamp_ms": 0.001, "time_us": 1e-6, "time (us)": 1e-6,
                "timestamp_us": 1e-6, "time_ns": 1e-9, "timestamp_ns": 1e-9}
# Names that say no unit: their steps tell seconds from a logger's milliseconds or microseconds
UNITLESS_TIMES = ("time", "timestamp")
STEP_UNITS = (("ms", 1e-3), ("us", 1e-6))


def key_column(names: list[str], keys) -> int | None:
    """Position in ``names`` of the first of ``keys`` (e.g. :data:`FRAME_COLUMNS`) a column is
    named, in the keys' order of preference; None when no column is. Shared by the CSV reader and
    :func:`synsp.integrations.pandas.refine_dataframe`, so a table's key columns read alike in both."""
    lower = [str(name).strip().lower() for name in names]
    return next((lower.index(key) for key in keys if key in lower), None)


def time_key(names: list[str]) -> int | None:
    """Position of the first column named as a time column (:data:`TIME_COLUMNS`), or None."""
    return next((k for k, name in enumerate(names) if str(name).strip().lower() in TIME_COLUMNS), None)


def other_cells(body: list, others: list[int], header: list[str], delimiter: str, shape: tuple[int, int],
                v_index: np.ndarray, t_index: np.ndarray) -> dict:
    """The file's columns ``others`` that are no joint's, track's or frame's: their names and a
    (V, T) array of each row's cells (a tuple of texts; None for a (track, frame) the file lacks)."""
    cells = np.full(shape, None, dtype=object)
    for row, v, t in zip(body, v_index, t_index):
        row = row if isinstance(row, list) else row.split(delimiter)
        cells[v, t] = tuple(row[c] for c in others)
    return {"names": [header[c] for c in others], "cells": cells}


def time_column(others: dict, v_index: np.ndarray, t_index: np.ndarray, n_frames: int) -> dict:
    """``{"times", "time_decimals"}`` (seconds per frame, the digits written after the point) from a
    time column among ``others`` (:func:`other_cells`); {} when there is none, or a cell is no
    number, or two rows of one frame (two tracks) differ (no one time per frame to refine by)."""
    names = [name.strip().lower() for name in others["names"]]
    column = time_key(names)
    if column is None:
        return {}
    texts = [cells[column] for cells in others["cells"][v_index, t_index].tolist()]  # the rows' cells
    try:
        values = np.array([float(text) for text in texts])
    except ValueError:  # a clock time (12:00:01.5), a date: not seconds
        return {}
    times = np.full(n_frames, np.nan)
    times[t_index] = values
    if not np.allclose(times[t_index], values, rtol=0, atol=1e-9, equal_nan=True):
        return {}
    scale, unit = time_scale(names[column], values)
    return {"times": (times * scale).tolist(), "time_decimals": time_decimals(texts, scale),
            **({"time_unit": unit} if unit else {})}


def time_scale(name: str, values: np.ndarray) -> tuple[float, str | None]:
    """The seconds in one unit of the time column ``name`` holding ``values`` (rows,), and the unit when its steps,
    not its name, said it. A ``time`` or ``timestamp`` column (:data:`UNITLESS_TIMES`) whose median step in seconds
    would be 0.2 fps or slower, no video's rate, is read in milliseconds or microseconds when that makes 1-1000 fps
    (phone and MediaPipe loggers write ms); any other name keeps its unit (:data:`TIME_COLUMNS`)."""
    name = name.strip().lower()
    steps = np.diff(np.unique(values[np.isfinite(values)]))
    if name in UNITLESS_TIMES and len(steps) and (step := float(np.median(steps))) >= 5:
        return next(((scale, unit) for unit, scale in STEP_UNITS if 1 <= 1 / (step * scale) <= 1000),
                    (TIME_COLUMNS[name], None))
    return TIME_COLUMNS[name], None


def time_decimals(texts: list[str], scale: float = 1.0) -> int:
    """The digits after the point of a time column's ``texts`` (the most any is written with, trailing zeros not
    counted; nor exponents), in seconds: ``scale`` is the seconds in the column's unit (:data:`TIME_COLUMNS`; ms: 3
    digits more). A clock to 0.01 s written ``%.6f`` (0.030000, 0.070000) has 2: its steps of 30 and 40 ms are the
    rounding of an even clock, not a phone's jitter; a DataFrame's numbers (shortest digits) read the same."""
    decimals = max((len(t.strip().partition(".")[2].rstrip("0")) for t in texts if "e" not in t.lower()), default=0)
    return min(decimals + round(-np.log10(scale)), 12)


def row_slots(data: PoseData, n_tracks: int, n_frames: int) -> list[int]:
    """The rows to write, as slots ``track * n_frames + frame``: the file's own in its order (by
    frame or by track) and those where a value was added; every (track, frame) for a table the
    reader did not make, or of another shape."""
    rows = data.extra.get("csv", {}).get("rows")
    if rows is None or len(rows[0]) == 0 or rows[0].max() >= n_tracks or rows[1].max() >= n_frames:
        return list(range(n_tracks * n_frames))
    kept = np.isfinite(np.asarray(data.poses, np.float64)).any(axis=(2, 3)).ravel()
    kept[rows[0] * n_frames + rows[1]] = True
    slots = np.flatnonzero(kept)
    by_frame = np.all(np.diff(rows[1]) >= 0)  # the file listed frame after frame
    return (slots[np.lexsort((slots // n_frames, slots % n_frames))] if by_frame else slots).tolist()
