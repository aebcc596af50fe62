"""A tidy table with one row per frame and joint (``frame, joint, x, y``), as ``DataFrame.melt`` makes it, refines as
its wide form does, row for row (audit 34: it was refused, "DataFrame has no pose columns")."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synsp.integrations.pandas import refine_dataframe
from synsp.skeleton import LAYOUTS
from walking import walking

COCO = LAYOUTS["coco17"].joints


def _tables(track: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 60-frame 2D walk, wide (frame, <joint>_x, <joint>_y, <joint>_score) and long (frame, joint, x, y, score),
    the long one's rows shuffled; ``track``: a second person 300 px to the right (a ``track`` column in both)."""
    _, noisy = walking(60)
    columns = {f"{j}_{a}": noisy[:, k, c] if c < 2 else 0.9 for k, j in enumerate(COCO)
               for c, a in enumerate(("x", "y", "score"))}
    wide = pd.DataFrame({"frame": np.arange(60), **columns})
    long = pd.DataFrame([(t, j, *noisy[t, k], 0.9) for t in range(60) for k, j in enumerate(COCO)],
                        columns=["frame", "joint", "x", "y", "score"])
    if track:
        shifted = {f"{j}_x": wide[f"{j}_x"] + 300 for j in COCO}
        wide = pd.concat([wide.assign(track=0), wide.assign(track=1, **shifted)], ignore_index=True)
        long = pd.concat([long.assign(track=0), long.assign(track=1, x=long.x + 300)], ignore_index=True)
    return wide, long.sample(frac=1, random_state=0)


def _check(back: pd.DataFrame, refined: pd.DataFrame, keys: list[str]) -> None:
    """Each joint's rows of the long result ``back`` equal the wide result ``refined`` (both sorted by ``keys``)."""
    refined = refined.sort_values(keys)
    for joint in COCO:
        rows = back[back.joint == joint].sort_values(keys)
        np.testing.assert_allclose(rows[["x", "y"]].to_numpy(), refined[[f"{joint}_x", f"{joint}_y"]].to_numpy())


def test_a_table_of_joint_rows_refines_as_its_wide_form():
    wide, long = _tables()
    refined = refine_dataframe(wide)
    back = refine_dataframe(long)
    assert back.index.equals(long.index) and list(back.columns) == list(long.columns)
    assert back["score"].equals(long["score"]) and back["joint"].equals(long["joint"])
    _check(back, refined, ["frame"])
    assert not np.allclose(back[["x", "y"]].to_numpy(), long[["x", "y"]].to_numpy())


def test_joint_rows_of_two_tracks_and_without_a_frame_column():
    wide, long = _tables(track=True)
    _check(refine_dataframe(long), refine_dataframe(wide), ["track", "frame"])
    wide, long = _tables()
    ordered = long.sort_values("frame", kind="stable").drop(columns="frame")  # each joint's rows in time order
    _check(refine_dataframe(ordered).assign(frame=long.frame), refine_dataframe(wide), ["frame"])


def test_a_joint_twice_in_one_frame_is_one_clear_line():
    _, long = _tables()
    with pytest.raises(ValueError, match="joint 'nose' has two rows in one frame"):
        refine_dataframe(pd.concat([long, long[long.joint == "nose"].head(1)]))


def test_a_layouts_joints_in_another_column_order_refine_as_in_its_own():
    """COCO-17's named columns sorted (as ``pivot`` sorts them) refine as in COCO's order (``synsp refine`` reads a
    CSV so): 7.7 px apart before, the sorted table read as joints of no layout."""
    wide, _ = _tables()
    ordered = refine_dataframe(wide)
    mixed = refine_dataframe(wide[["frame", *sorted(wide.columns[1:])]])
    np.testing.assert_array_equal(mixed[wide.columns].to_numpy(), ordered.to_numpy())
