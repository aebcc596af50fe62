"""A tidy table of poses, one row per frame and joint (``frame, joint, x, y[, z][, score]``), as ``DataFrame.melt``
makes it and MediaPipe's and R's users keep landmarks: refined through its wide form, one row per frame with
``<joint>_x`` columns (:func:`synsp.integrations.pandas.refine_dataframe`), and given back row for row.

The joint column is named ``joint`` (``keypoint``, ``landmark``, ``bodypart``, ``part``, ``name``; any case), beside
``x`` and ``y`` columns. Frames are told apart by the table's frame, time and track columns (as a wide table's, e.g.
``frame`` and ``track``), else by each joint's rows in order. Only the coordinates change; every other column
(scores, labels) is left as it is.
"""
from __future__ import annotations

from typing import Callable

from synsp.formats.csv_rows import FRAME_COLUMNS, TRACK_COLUMNS, key_column, time_key

__all__ = ["JOINT_COLUMNS", "joint_column", "refine_joint_rows"]

JOINT_COLUMNS = ("joint", "keypoint", "landmark", "bodypart", "part", "name")
_COORDS = ("x", "y", "z")
_SCORES = ("likelihood", "score", "confidence", "visibility")
_ORDER = "__synsp_frame"  # each joint's row count, the frames of a table with no key column


def _lower(df) -> dict[str, object]:
    return {str(label).strip().lower(): label for label in df.columns}


def joint_column(df) -> object | None:
    """The label of ``df``'s joint column when it is a tidy table of poses (flat columns, ``x`` and ``y`` among them,
    no ``<joint>_x`` column), else None."""
    lower = _lower(df)
    if isinstance(df.columns[0], tuple) or not {"x", "y"} <= lower.keys():
        return None
    return next((lower[name] for name in JOINT_COLUMNS if name in lower), None)


def refine_joint_rows(df, joint, refine: Callable):
    """``df`` (a tidy table, ``joint`` its joint column's label) with its ``x``, ``y`` (``z``) columns refined by
    ``refine`` (a wide DataFrame -> the same refined, e.g. ``refine_dataframe`` with the caller's options): same rows,
    index, columns and dtypes. Raises ValueError, one line, when a joint has two rows in one frame."""
    import pandas as pd

    lower = _lower(df)
    named = {name: lower[name] for name in (*_COORDS, *_SCORES) if name in lower}  # x, y, ..., score: their labels
    values = list(named.values())
    keys = [label for label in df.columns if label != joint and label not in values
            and (key_column([str(label)], FRAME_COLUMNS + TRACK_COLUMNS) is not None or time_key([str(label)]) == 0)]
    table = df if keys else df.assign(**{_ORDER: df.groupby(joint, sort=False).cumcount()})
    index = keys or [_ORDER]
    twice = table.duplicated([*index, joint])
    if twice.any():
        row = table[twice].iloc[0]
        raise ValueError(f"DataFrame: joint {row[joint]!r} has two rows in one frame ({', '.join(map(str, index))} = "
                         f"{', '.join(str(row[k]) for k in index)}); one row per frame and joint is needed")
    joints = list(pd.unique(df[joint]))
    wide = table.set_index([*index, joint])[values].unstack(joint)  # columns (value, joint)
    wide = wide[[(label, name) for name in joints for label in values]]
    wide.columns = [f"{name}_{what}" for name in joints for what in named]
    refined = refine(wide.reset_index(drop=not keys)).set_index(wide.index)
    rows = pd.MultiIndex.from_frame(table[[*index, joint]])
    out = df.copy()
    for what in (c for c in _COORDS if c in named):  # only the coordinates change
        column = refined[[f"{name}_{what}" for name in joints]].set_axis(joints, axis=1)
        label = named[what]
        out[label] = column.stack(future_stack=True).reindex(rows).to_numpy().astype(df[label].dtype, copy=False)
    return out
