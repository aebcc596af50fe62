"""Refine poses held in a pandas DataFrame, one row per frame, in the usual wide layouts.

Two layouts are recognised:

- flat columns ``<joint>_x, <joint>_y[, <joint>_z]`` (also ``<joint>.x`` or ``<joint> x``),
  as written by most CSV exporters (MediaPipe, Sports2D, hand-made);
- MultiIndex columns whose last level is the coordinate (``x``, ``y``, ``z``) and the one
  before it the joint, e.g. ``(joint, coord)`` or DeepLabCut's ``(scorer, bodyparts, coords)``;
  any further levels before the joint (e.g. DeepLabCut's ``individuals``) tell persons apart,
  each refined as its own track; DeepLabCut's ``single`` individual (a multi-animal project's unique body parts,
  no animal's joints: :func:`synsp.formats.dlc.unique_columns`) is left as it is, as ``synsp refine`` keeps it.

Rows are frames in the order of a ``frame`` (``frame_id``) column, else a ``time`` column
(``time_s``, ``timestamp``, ...), named as ``synsp refine``'s CSV reader names them (also as an
index level), else of a numeric or date index; a text index (``row10`` sorts before ``row2``) has
no time order, so its rows are taken as given. A shuffled frame is put back in order; the result
keeps the rows' own order and index. A ``track`` column (also ``track_id``, ``person``, ``person_id``)
holding several values is a long table of several persons: each value's rows are a track of
its own, as synsp's CSV reader reads such a column. A tidy table with one row per frame and joint (``frame, joint,
x, y``) is refined through its wide form and given back row for row (:mod:`synsp.integrations.joint_rows`).

A joint's confidence column (``<joint>_likelihood``, ``_score``, ``_confidence``,
``_visibility``, or the coordinate level's ``likelihood``) marks joints below ``threshold``
(0.3, ``synsp refine``'s) missing, as ``synsp refine`` does with a file: they are filled from
the confident values around them; a joint scored below it in most rows near one level is read at that
level (:mod:`synsp.score_levels`), and one seen only below the threshold otherwise is given back as it
was. A track whose every coordinate and confidence is empty in a row (DeepLabCut's animal not detected)
stays empty in that row: nobody is invented there.
Every other column (frame numbers, time, scores, labels) is left as it is. A frame or time column whose numbers skip
(frame numbers over ``fps``, else 30 fps; times in seconds, or dates) says when the frames were taken: the tracks are
refined on an even grid at those times and given back at the rows, as ``synsp refine`` does with such a CSV
(:func:`synsp.refining.uneven_times.refine_tracks_at`). Without ``fps``, a time column's rate is the table's, as
``synsp refine`` takes a CSV's (:func:`synsp.refining.uneven_times.column_rate`). With neither a frame or time column
nor a date index, a frame the capture skipped (the whole body stepping over two frame intervals at once) is put back
as a gap and taken out after, in every track, as ``synsp refine`` does with such a CSV
(:mod:`synsp.refining.dropped_frames`). pandas is imported only when a DataFrame is given: ``pip install
synsp[pandas]``.
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from synsp.filters import FPS_FILTERS
from synsp.formats.csv_rows import FRAME_COLUMNS, TRACK_COLUMNS, key_column, time_decimals, time_key, time_scale
from synsp.formats.dlc import unique_columns
from synsp.formats.posedata import scores_to_missing
from synsp.integrations.joint_rows import joint_column, refine_joint_rows
from synsp.model import NETWORKS
from synsp.refining.arrays import input_layout, method_function, model_layout
from synsp.refining.copied_joints import copies_to_leave_out, with_copies, without_copies
from synsp.refining.dropped_frames import capture_times, dropped_in_tracks
from synsp.refining.tracks import ASSUMED_FPS
from synsp.refining.uneven_times import column_rate, refine_tracks_at, uneven_column
from synsp.sequence import MIN_SCORE, max_gap_frames, not_found
from synsp.skeleton import in_layout_order, match_layout

__all__ = ["refine_dataframe"]

_COORD = re.compile(r"^(?P<joint>.+?)[_. ](?P<axis>[xyz])$", re.I)
_SCORES = ("likelihood", "score", "confidence", "visibility")
_SCORE = re.compile(r"^(?P<joint>.+?)[_. ](?P<what>" + "|".join(_SCORES) + r")$", re.I)
_TRACK_COLUMNS = TRACK_COLUMNS + ("person_id",)  # synsp's CSV reader's, and person ids


def _key(df, find) -> tuple[str, Any, str] | None:
    """``(what, values, name)`` of the key column ``find(names)`` picks among the plain columns, else among
    the index's level names (``df.set_index("frame")`` reads as the column did); None without one."""
    plain = [k for k, c in enumerate(df.columns) if not isinstance(c, tuple)]
    at = find([df.columns[k] for k in plain])
    if at is not None:
        name = df.columns[plain[at]]
        return f"column {name!r}", df.iloc[:, plain[at]], str(name)
    levels = [name if name is not None else "" for name in df.index.names]
    at = find(levels)
    return None if at is None else (f"index level {levels[at]!r}", df.index.get_level_values(at), str(levels[at]))


def _orderable(values) -> bool:
    """Whether values sort in time: numbers, dates or durations, not text (``row10`` before ``row2``)."""
    import pandas as pd

    types = pd.api.types
    return (types.is_numeric_dtype(values) and not types.is_bool_dtype(values)) or \
        types.is_datetime64_any_dtype(values) or types.is_timedelta64_dtype(values)


def _time_order(df) -> tuple[np.ndarray | None, str | None, Any]:
    """The rows' time key as a sortable array, what it is, and its values as given: a frame column
    (``frame``, ``frame_id``), else a time column (``time``, ``timestamp``, ...; the CSV reader's
    names, also as index levels), else a numeric or date index; (None, None, None) for any other
    index, whose rows are then taken in their given order (a text index has no time order)."""
    import pandas as pd

    for find, numeric_only in ((lambda n: key_column(n, FRAME_COLUMNS), True), (time_key, False)):
        found = _key(df, find)
        if found is None:
            continue
        what, values, _ = found
        if not _orderable(values):  # numbers written as text ("12") still say the order
            given = pd.Series(np.asarray(values, dtype=object))
            numbers = pd.to_numeric(given, errors="coerce")
            bad = np.flatnonzero(numbers.isna() & given.notna())
            if len(bad) and numeric_only:  # a frame key that is no number cannot order frames: say so
                raise ValueError(f"DataFrame {what} holds {given.iloc[bad[0]]!r} (index {df.index[bad[0]]!r}), "
                                 "not a frame number; frame numbers order the rows")
            if len(bad):  # a clock time as text ("12:00:01.5"): not seconds, as the CSV reader reads it
                continue
            values = numbers
        empty = np.flatnonzero(pd.isna(np.asarray(values)))
        if len(empty):
            raise ValueError(f"DataFrame {what} is empty in the row with index {df.index[empty[0]]!r}; "
                             "every row needs its frame's key to be put in time order")
        return np.asarray(values), what, values
    if isinstance(df.index, pd.MultiIndex):
        levels = [df.index.get_level_values(k) for k in range(df.index.nlevels)]
        if all(_orderable(level) for level in levels):
            # each row's rank in the levels' order (the first level first): sorts as the tuples would
            return np.lexsort([np.asarray(level) for level in reversed(levels)]).argsort(kind="stable"), None, None
        return None, None, None
    return (np.asarray(df.index), None, None) if _orderable(df.index) else (None, None, None)


def _row_groups(df) -> list[np.ndarray]:
    """Row positions of each person of a long table (one group without a track column), each in
    time order (:func:`_time_order`): a track is refined along time, whatever order the rows came in."""
    import pandas as pd

    found = _key(df, lambda names: key_column(names, _TRACK_COLUMNS))
    ids = pd.factorize(np.asarray(found[1]), use_na_sentinel=False)[0] if found else np.zeros(len(df), int)
    key, what, values = _time_order(df)
    # a stable sort keeps rows of equal index (one frame's persons without a track column) in their order
    order = np.arange(len(df)) if key is None else np.argsort(key, kind="stable")
    groups = [order[ids[order] == g] for g in range(ids.max() + 1)]
    if what is not None:  # two rows of one person at one frame: which is the pose is not ours to guess
        shown = np.asarray(values, dtype=object)  # Python scalars, as the user wrote them
        for rows in groups:
            same = np.flatnonzero(key[rows][1:] == key[rows][:-1])
            if len(same):
                first, second = rows[same[0]], rows[same[0] + 1]
                where = f"two rows at {what} = {shown[first]!r} (index {df.index[first]!r} and {df.index[second]!r})"
                if found is None:
                    raise ValueError(f"DataFrame: {where}; several persons in one table need a track column "
                                     f"({', '.join(_TRACK_COLUMNS)})")
                raise ValueError(f"DataFrame: {where} for {found[0]} = {np.asarray(found[1], dtype=object)[first]!r};"
                                 " a person has one row per frame")
    return groups


def _frames_in_row_order(df) -> bool:
    """Whether nothing but the rows' order says when the frames were taken: no frame or time column (or index level),
    no date or duration index. A frame the capture skipped is then read from the motion, as ``synsp refine`` reads
    a CSV's with neither column (:mod:`synsp.refining.dropped_frames`)."""
    import pandas as pd

    types = pd.api.types
    levels = [df.index.get_level_values(k) for k in range(df.index.nlevels)]
    return _time_order(df)[1] is None and not any(
        types.is_datetime64_any_dtype(level) or types.is_timedelta64_dtype(level) for level in levels)


def _key_seconds(df, fps: float | None) -> tuple[np.ndarray, int | None, bool] | None:
    """Each row's time (len(df),) s as ``synsp refine`` reads a CSV's: a time column's numbers in its unit
    (``time_ms``'s in ms), also beside a frame column (the reader's times are the time column's), dates or durations
    from the first; else frame numbers over ``fps`` (else ``ASSUMED_FPS``). With the digits the times are written to
    (:func:`~synsp.formats.csv_rows.time_decimals` of the numbers as ``DataFrame.to_csv`` writes them; None for dates
    and frame numbers) and whether they are times, not frame numbers. None without a key, or a numeric or date index."""
    import pandas as pd

    key, what, _ = _time_order(df)
    if what is None:
        return None
    found = _key(df, time_key)
    values, types = None if found is None else found[1], pd.api.types
    if values is not None and (types.is_datetime64_any_dtype(values) or types.is_timedelta64_dtype(values)):
        span = pd.Index(values)  # np.asarray makes tz-aware dates objects, which do not subtract
        return np.asarray((span - span.min()) / pd.Timedelta(1, "s"), np.float64), None, True
    if values is not None and not types.is_bool_dtype(values):
        numbers = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(np.float64)
        if np.isfinite(numbers).all():  # else a clock time or an empty cell: the CSV reader reads no times either
            scale = time_scale(found[2], numbers)[0]
            # float32's own shortest digits, as to_csv writes them (the float64 upcast's read as 12 decimals)
            own = values.dtype if types.is_float_dtype(values) else np.float64
            texts = [np.format_float_positional(v, trim="-") for v in numbers.astype(own)]
            return np.array(texts, np.float64) * scale, time_decimals(texts, scale), True
    if _key(df, lambda names: key_column(names, FRAME_COLUMNS)) is None:
        return None
    return np.asarray(key, np.float64) / (fps or ASSUMED_FPS), None, False


def _frame_times(df, seconds: np.ndarray) -> np.ndarray:
    """Each frame's time (F,) s, in time order, from the rows' ``seconds`` (len(df),) (:func:`_key_seconds`): one per
    distinct frame key (:func:`_time_order`; a frame column's numbers, else the times themselves), as the CSV reader
    keeps one time per frame. Beside a frame column, times a fast clock's rounding repeats (240 fps to 0.01 s) are
    kept, so that :func:`~synsp.refining.uneven_times.column_rate` reads them as the CLI does."""
    _, first = np.unique(_time_order(df)[0], return_index=True)
    return seconds[first]


def _key_times(seconds: np.ndarray, decimals: int | None) -> tuple[np.ndarray, np.ndarray] | None:
    """When the rows' times ``seconds`` (len(df),) s (:func:`_key_seconds`) skip: the distinct times (F,) s, ascending,
    and each row's place among them; None for even ones (:func:`~synsp.refining.uneven_times.uneven_column`, as a
    file's are read)."""
    times = uneven_column(np.unique(seconds), decimals)
    return None if times is None else (times, np.searchsorted(times, seconds))


def _pose_columns(columns) -> tuple[list[tuple], str, dict[tuple, Any]]:
    """Group column labels: ``[(track, joint) ...]``, the axes (``"xy"`` or ``"xyz"``) and,
    per (track, joint, axis) and (track, joint, "score"), the column label."""
    found: dict[tuple, Any] = {}
    keys: list[tuple] = []  # (track, joint) in column order
    for label in columns:
        if isinstance(label, tuple):  # MultiIndex
            *track, joint, axis = label
            axis = str(axis).lower()
            key = (tuple(track), str(joint))
        else:
            match = _COORD.match(str(label)) or _SCORE.match(str(label))
            if match is None:
                continue
            axis = match.groupdict().get("axis", "score").lower()
            key = ((), match["joint"])
        if axis in _SCORES:
            axis = "score"
        if axis not in ("x", "y", "z", "score"):
            continue
        if key + (axis,) in found:  # the second column would silently replace the first
            name = "/".join(map(str, key[0] + (key[1],)))
            raise ValueError(f"DataFrame: joint {name!r} is named twice (columns {found[key + (axis,)]!r} and "
                             f"{label!r}); every joint needs a name of its own")
        found[key + (axis,)] = label
        if axis != "score" and key not in keys:
            keys.append(key)
    if not keys:
        raise ValueError("DataFrame has no pose columns: expected <joint>_x, <joint>_y[, <joint>_z] columns "
                         f"or a (joint, coord) MultiIndex; got columns {list(columns)[:6]}")
    axes = "xyz" if any(key + ("z",) in found for key in keys) else "xy"
    for key in keys:
        lacking = [a for a in axes if key + (a,) not in found]
        if lacking:
            name = "/".join(map(str, key[0] + (key[1],)))
            raise ValueError(f"DataFrame: joint {name!r} has no {', '.join(lacking)} column, "
                             f"but others have {', '.join(axes)}")
    return keys, axes, found


def refine_dataframe(df, method: str = "synsp", *, layout: str | None = None, fps: float | None = None,
                     max_gap: int | str | None = None, threshold: float | None = MIN_SCORE, **options):
    """Refine the poses of a DataFrame (one row per frame) and return a new DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame with pose columns in one of the layouts of the module docstring;
        rows are frames. Pixels for 2D, any unit for 3D (millimetres assumed by
        the networks' unit guess unless the body's size says metres or centimetres). Frames follow
        a frame or time column, else a numeric or date index, else the rows' order (module docstring);
        a ``track`` (``track_id``, ``person``, ``person_id``) column separates persons.
    method : one of ``synsp.METHODS``.
    layout : the joints' layout when their names do not say it (networks need one; see
        ``synsp refine --layout``).
    fps : frame rate in Hz (One-Euro, Butterworth, the networks; ``max_gap`` in seconds); None: a time column's
        rate, as ``synsp refine`` reads a CSV's, else 30 fps assumed.
    max_gap : gaps longer than this many frames, or seconds (``"0.5s"``), stay NaN.
    threshold : with confidence columns, joints scoring below this are treated as missing (None: the
        confidences are not looked at); those seen only below it are given back as they were.
    **options : passed to the method (``checkpoint``, ``device``, ``window``, ...).

    Returns
    -------
    pandas.DataFrame with the same shape, index, columns and dtypes; the pose columns hold the
    refined values (NaN where a track is never seen, or a gap is longer than ``max_gap``, or the
    track is absent from the row: every coordinate and confidence empty; joints never seen stay
    NaN), every other column is unchanged.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the dev extra
        raise ImportError("refine_dataframe needs pandas: pip install synsp[pandas]") from None
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"refine_dataframe takes a pandas DataFrame, got {type(df).__name__}")
    method_function(method)
    if len(df) == 0:
        raise ValueError("DataFrame has no rows (frames); nothing to refine")
    if (joint := joint_column(df)) is not None:  # one row per frame and joint: refined in its wide form
        return refine_joint_rows(df, joint, partial(refine_dataframe, method=method, layout=layout, fps=fps,
                                                    max_gap=max_gap, threshold=threshold, **options))
    labels = list(df.columns)
    if isinstance(df.columns, pd.MultiIndex):  # DeepLabCut's unique body parts: left as they are
        aside = set(unique_columns([tuple(map(str, label)) for label in labels], list(df.columns.names)))
        labels = [label for c, label in enumerate(labels) if c not in aside]
    keys, axes, found = _pose_columns(labels)
    tracks = list(dict.fromkeys(track for track, _ in keys))
    joints = in_layout_order(list(dict.fromkeys(joint for _, joint in keys)))  # a layout's names in any order
    groups = _row_groups(df)  # persons of a long table, each in time order
    keyed = _key_seconds(df, fps)
    if keyed is not None and keyed[2] and fps is None:  # a time column's rate, as synsp refine takes a CSV's
        fps = column_rate(_frame_times(df, keyed[0]), keyed[1])
    timed = None if keyed is None else _key_times(*keyed[:2])  # a key that skips: each row at its time's frame
    places = [np.arange(len(rows)) if timed is None else timed[1][rows] for rows in groups]
    frames = max(len(rows) for rows in groups) if timed is None else len(timed[0])
    # track k = (column track, row group): a group shorter than the longest ends in NaN frames (nobody there)
    measured = np.full((len(tracks) * len(groups), frames, len(joints), len(axes)), np.nan)
    scores = np.full(measured.shape[:3], np.inf)  # no confidence column: every value counts
    for track, joint in keys:
        score = None
        if (track, joint, "score") in found:
            score = pd.to_numeric(df[found[(track, joint, "score")]], errors="coerce").to_numpy(np.float64)
        for c, axis in enumerate(axes):
            column = df[found[(track, joint, axis)]]
            try:
                values = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                raise ValueError(f"DataFrame column {found[(track, joint, axis)]!r} is not numeric") from None
            for g, rows in enumerate(groups):
                at = (tracks.index(track) * len(groups) + g, places[g], joints.index(joint))
                measured[at + (c,)] = values[rows]
                if score is not None:
                    scores[at] = score[rows]
    measured[not_found(measured)] = np.nan  # (0, 0) written for a joint not found, as synsp refine reads it
    poses = measured.astype(np.float32)  # as synsp refine reads a file's: the same digits refined
    poses = poses if threshold is None else scores_to_missing(poses, scores, threshold)  # as the file route reads
    if not np.isfinite(poses).all(-1).any():
        raise ValueError("DataFrame: no joint has finite coordinates in any row; nothing to refine")
    copied = None  # joints that copy another: left out, given back as their refined originals (synsp refine's way)
    if method in NETWORKS:
        target = model_layout(len(axes), options.get("checkpoint"), options.get("device"))
        declared = match_layout(joints)
        if layout is None and declared is None:
            copied = copies_to_leave_out(poses, lambda p: input_layout(p, None, None, "DataFrame", target))
        layout = copied.layout if copied is not None else input_layout(poses, declared, layout, "DataFrame", target)
    if fps is not None and (method in FPS_FILTERS or method in NETWORKS):
        options["fps"] = fps
    after = dropped_in_tracks(poses) if timed is None and _frames_in_row_order(df) else np.zeros(0, int)
    # as synsp refine: a key's times, else the drops read, else even (refined as they are)
    times = timed[0] if timed is not None else capture_times(after, frames, fps or ASSUMED_FPS)
    kept = poses if copied is None else without_copies(poses, copied)
    refined = refine_tracks_at(kept, times, layout, method, max_gap=max_gap_frames(max_gap, fps), **options)[0].refined
    refined = refined if copied is None else with_copies(refined, copied, -2)
    # seen only below the threshold, with no confident value near: nothing better is known than the input's
    unrefined = ~np.isfinite(refined).all(-1) & np.isfinite(measured).all(-1)
    refined = np.where(unrefined[..., None], measured, refined)
    out = df.copy()
    for track, joint in keys:
        for c, axis in enumerate(axes):
            label = found[(track, joint, axis)]
            values = np.empty(len(df))
            for g, rows in enumerate(groups):  # back in the rows' own order
                values[rows] = refined[tracks.index(track) * len(groups) + g, places[g], joints.index(joint), c]
            dtype = out[label].dtype
            out[label] = values.astype(dtype) if np.issubdtype(dtype, np.floating) else values
    return out
