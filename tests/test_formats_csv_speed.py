"""The fast CSV path (pandas' C parser, else one float() loop) reads exactly what the cell-by-cell path does."""
from __future__ import annotations

import builtins

import numpy as np
import pytest

from synsp.formats import PoseData, read_poses, write_poses


@pytest.fixture(params=["pandas", "no pandas"])
def pandas_or_not(request, monkeypatch):
    if request.param == "no pandas":
        real_import = builtins.__import__

        def fake_import(name, *args, **kwargs):
            if name == "pandas":
                raise ImportError("no pandas here")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", fake_import)
    return request.param


def test_round_trip_is_exact_with_missing_values_everywhere(tmp_path, pandas_or_not):
    rng = np.random.default_rng(1)
    poses = rng.normal(0, 500, (2, 50, 5, 3))
    poses[rng.random(poses.shape[:3]) < 0.2] = np.nan
    poses[:, :, 0] = np.nan  # the first and last cells of lines empty
    poses[:, :, -1] = np.nan
    data = PoseData(poses=poses, scores=rng.uniform(0, 1, poses.shape[:3]), track_ids=[3, 7],
                    filled=rng.random(poses.shape[:3]) < 0.5)
    write_poses(tmp_path / "a.csv", data)
    back = read_poses(tmp_path / "a.csv")
    assert np.array_equal(back.poses, poses, equal_nan=True)  # repr precision: bit-exact
    assert np.array_equal(back.scores, data.scores) and np.array_equal(back.filled, data.filled)
    assert back.track_ids == [3, 7]


def test_ignored_text_columns_and_quoted_cells(tmp_path, pandas_or_not):
    (tmp_path / "a.csv").write_text('image,frame,nose_x,nose_y\nimg 1.png,0,1.5,\n"b,c.png",1,,2.5\n')
    data = read_poses(tmp_path / "a.csv")
    assert np.array_equal(data.poses[0, :, 0], [[1.5, np.nan], [np.nan, 2.5]], equal_nan=True)
    (tmp_path / "b.csv").write_text("frame,nose_x,nose_y\n0,1.5,x\n")
    with pytest.raises(ValueError, match="line 2 column 'nose_y' is not a number"):
        read_poses(tmp_path / "b.csv")
