"""refine_dataframe: wide <joint>_x/_y[/_z] columns or a MultiIndex in, the same frame out."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synsp.integrations.pandas import refine_dataframe
from synsp.skeleton import LAYOUTS
from walking import mean_accel, mpjpe, walking

README = Path(__file__).resolve().parents[1] / "README.md"
COCO = LAYOUTS["coco17"].joints


def _wide(poses: np.ndarray, names=COCO, index=None) -> pd.DataFrame:
    axes = "xyz"[:poses.shape[-1]]
    columns = {f"{joint}_{axis}": poses[:, j, c] for j, joint in enumerate(names) for c, axis in enumerate(axes)}
    df = pd.DataFrame({"frame": np.arange(len(poses)) * 2, **columns}, index=index)
    df["label"] = "walk"
    return df


def _stack(df: pd.DataFrame, names=COCO, axes="xy") -> np.ndarray:
    return np.stack([[df[f"{joint}_{axis}"].to_numpy() for axis in axes] for joint in names]).transpose(2, 0, 1)


def test_wide_columns_same_shape_index_columns_others_untouched():
    clean, noisy = walking(60)
    df = _wide(noisy, index=pd.RangeIndex(100, 160))
    df["nose_score"] = 0.9
    out = refine_dataframe(df, "synsp", fps=30)
    assert out is not df and out.shape == df.shape and out.index.equals(df.index) and out.columns.equals(df.columns)
    assert (out.dtypes == df.dtypes).all()
    for column in ("frame", "label", "nose_score"):
        assert out[column].equals(df[column])
    refined = _stack(out)
    assert mpjpe(refined, clean) < 0.8 * mpjpe(noisy, clean) and mean_accel(refined) < 0.3 * mean_accel(noisy)
    np.testing.assert_array_equal(_stack(df), noisy)  # the input is not changed


def test_multiindex_deeplabcut_style_with_individuals_and_likelihood():
    clean, noisy = walking(50)
    other = noisy + [300, 0]
    columns = pd.MultiIndex.from_tuples([("dlc", who, joint, coord) for who in ("a", "b") for joint in COCO
                                         for coord in ("x", "y", "likelihood")],
                                        names=["scorer", "individuals", "bodyparts", "coords"])
    values = np.concatenate([np.concatenate([p, np.full((50, 17, 1), 0.95)], -1).reshape(50, -1)
                             for p in (noisy, other)], axis=1)
    df = pd.DataFrame(values, columns=columns)
    df.loc[10:14, ("dlc", "a", "left_wrist", "likelihood")] = 0.1  # low confidence: treated as missing
    out = refine_dataframe(df, "savgol", threshold=0.5)
    assert out.shape == df.shape and out.columns.equals(df.columns)
    assert out.xs("likelihood", axis=1, level="coords").equals(df.xs("likelihood", axis=1, level="coords"))
    a = out.xs("a", axis=1, level="individuals").xs("x", axis=1, level="coords").to_numpy()
    b = out.xs("b", axis=1, level="individuals").xs("x", axis=1, level="coords").to_numpy()
    wrist = COCO.index("left_wrist")
    # each person refined on its own; refined as synsp refine reads a file, from float32 values: to their resolution
    np.testing.assert_allclose(np.delete(b - a, wrist, axis=1), 300, atol=np.spacing(np.float32(1024)))
    assert np.isfinite(a).all() and np.abs(a[10:15, wrist] - noisy[10:15, wrist, 0]).max() > 1  # filled anew


def test_3d_columns_and_max_gap():
    rng = np.random.default_rng(0)
    poses = np.cumsum(rng.normal(size=(40, 3, 3)), axis=0) + 1000
    poses[5:20, 1] = np.nan
    df = _wide(poses, names=["head", "hand", "foot"])
    out = refine_dataframe(df, "gaussian", max_gap=10)
    assert np.isnan(out.loc[5:19, ["hand_x", "hand_y", "hand_z"]].to_numpy()).all()
    assert np.isfinite(out.loc[:, ["head_x", "foot_z"]].to_numpy()).all()
    assert refine_dataframe(df, "gaussian")[["hand_x"]].notna().all().all()  # without the limit: filled


def test_bad_frames_are_one_line_errors():
    with pytest.raises(ValueError, match="no pose columns"):
        refine_dataframe(pd.DataFrame({"a": [1.0]}), "savgol")
    with pytest.raises(ValueError, match="'hand' has no y column"):
        refine_dataframe(pd.DataFrame({"hand_x": [1.0, 2.0], "head_x": [0.0, 1], "head_y": [1.0, 2]}), "savgol")
    with pytest.raises(ValueError, match="not numeric"):
        refine_dataframe(pd.DataFrame({"hand_x": ["a", "b"], "hand_y": [1.0, 2]}), "savgol")
    with pytest.raises(ValueError, match="DataFrame"):
        refine_dataframe(np.zeros((3, 2)), "savgol")


def test_a_table_given_to_synsp_refine_is_pointed_to_refine_dataframe():
    import synsp

    with pytest.raises(ValueError, match="refine_dataframe takes it"):
        synsp.refine(_wide(walking(20)[1]), "savgol")


def test_readme_example_runs(capsys):
    section = README.read_text().split("### pandas")[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)
    df, smooth = namespace["df"], namespace["smooth"]
    assert smooth.shape == df.shape and smooth["wrist_likelihood"].equals(df["wrist_likelihood"])
    assert mean_accel(smooth[["wrist_x", "wrist_y"]].to_numpy()[:, None]) < 0.2 * mean_accel(
        df[["wrist_x", "wrist_y"]].to_numpy()[:, None])
    assert "wrist_x" in capsys.readouterr().out


def test_zeros_for_joints_not_found_are_missing():
    """(0, 0) where an estimator found nothing is filled like a gap, not refined as a point in the corner."""
    clean, noisy = walking(60)
    noisy[[10, 11, 40], 9] = 0.0
    refined = _stack(refine_dataframe(_wide(noisy), "savgol"))
    assert np.abs(refined[[10, 11, 40], 9] - clean[[10, 11, 40], 9]).max() < 30


def test_long_table_of_two_tracks_and_a_shuffled_index_are_refined_along_each_persons_time():
    """A ``track`` column of two interleaved people is two tracks, and rows in shuffled index order
    are refined in index order, then written back in the rows' own order."""
    clean, noisy = walking(60)
    other_clean, other = clean + [300, 0], walking(60, seed=1)[1] + [300, 0]
    wide = [_wide(p).assign(track=t) for t, p in ((0, noisy), (1, other))]
    long = pd.concat(wide).sort_values(["frame", "track"], kind="stable").reset_index(drop=True)
    out = refine_dataframe(long, "savgol")
    for track, truth, given in ((0, clean, noisy), (1, other_clean, other)):
        refined = _stack(out[out.track == track])
        assert mpjpe(refined, truth) < 0.9 * mpjpe(given, truth)  # not one sequence: each person apart
    np.testing.assert_array_equal(_stack(out[out.track == 0]), _stack(refine_dataframe(wide[0], "savgol")))

    shuffled = _wide(noisy, index=pd.RangeIndex(100, 160)).sample(frac=1, random_state=0)
    back = refine_dataframe(shuffled, "savgol")
    assert back.index.equals(shuffled.index)
    np.testing.assert_array_equal(_stack(back.sort_index()), _stack(refine_dataframe(shuffled.sort_index(), "savgol")))


def _deeplabcut_table() -> tuple[pd.DataFrame, np.ndarray]:
    """Two animals' body parts (walking()'s first four points) as DeepLabCut's multi-animal table, with
    low-likelihood outliers, a body part never confident and the second animal absent for four frames."""
    clean, noisy = walking(60)
    parts = ["snout", "leftear", "rightear", "tailbase"]
    columns = pd.MultiIndex.from_tuples([("DLC_net", who, part, coord) for who in ("a", "b") for part in parts
                                         for coord in ("x", "y", "likelihood")],
                                        names=["scorer", "individuals", "bodyparts", "coords"])
    poses = np.stack([noisy[:, :4], noisy[:, :4] + [300, 0]])  # (2, 60, 4, 2)
    likelihood = np.full((2, 60, 4, 1), 0.95)
    poses[0, 10:15, 0] += 80  # the snout mistaken for something else ...
    likelihood[0, 10:15, 0] = 0.05  # ... with a likelihood that says so
    likelihood[0, :, 3] = 0.02  # a tail base never found with confidence, its likelihood at no steady level
    likelihood[0, ::3, 3] = 0.2  # (one held all along is a measurement: synsp.score_levels)
    poses[1, 20:24], likelihood[1, 20:24] = np.nan, np.nan  # the second animal not detected
    values = np.concatenate([poses, likelihood], -1).transpose(1, 0, 2, 3).reshape(60, -1)
    return pd.DataFrame(values, columns=columns), clean[:, :4]


def test_deeplabcut_table_uses_likelihoods_and_keeps_absent_animals_absent_as_the_file_route(tmp_path):
    from synsp.formats import read_poses
    from synsp.refining.files import refine_file

    df, clean = _deeplabcut_table()
    out = refine_dataframe(df, "savgol")
    xy = out.drop(columns="likelihood", level="coords").to_numpy().reshape(60, 2, 4, 2).transpose(1, 0, 2, 3)
    given = df.drop(columns="likelihood", level="coords").to_numpy().reshape(60, 2, 4, 2).transpose(1, 0, 2, 3)
    assert np.abs(xy[0, 10:15, 0] - clean[10:15, 0]).max() < 15  # the low-likelihood outlier is not followed
    np.testing.assert_array_equal(xy[0, :, 3], given[0, :, 3])  # never confident: kept as the input had it
    assert np.isnan(xy[1, 20:24]).all() and np.isfinite(np.delete(xy[1], np.s_[20:24], axis=0)).all()
    assert out.xs("likelihood", axis=1, level="coords").equals(df.xs("likelihood", axis=1, level="coords"))
    df.to_csv(tmp_path / "table.csv")
    refine_file(tmp_path / "table.csv", tmp_path / "refined.csv", method="savgol")
    np.testing.assert_allclose(xy, read_poses(tmp_path / "refined.csv").poses, atol=1e-3)  # NaN where NaN


def test_rows_follow_a_frame_or_time_key_and_a_text_index_is_taken_in_its_given_order():
    """Time order comes from a frame column (or a time column, or such an index level) as ``synsp refine``
    reads a CSV's, else a numeric or date index; a text index (``row10`` sorts before ``row2``) is no time
    order, so its rows are taken as given. The result keeps the input's index and row order."""
    clean, noisy = walking(60)
    expected = _stack(refine_dataframe(_wide(noisy), "savgol"))  # rows in time order, RangeIndex
    shuffled = _wide(noisy).sample(frac=1, random_state=0)
    tables = {
        "frame column, fresh RangeIndex": shuffled.reset_index(drop=True),
        # 30 fps, the rate assumed of frame numbers (a time column's rate is the table's, as a CSV's in synsp refine)
        "time column, fresh RangeIndex": shuffled.reset_index(drop=True).rename(columns={"frame": "time"}).assign(
            time=lambda t: t.time / 60),
        "frame index level": shuffled.set_index("frame"),
        "frame column, text index": shuffled.set_axis([f"row{i}" for i in range(60)]),
        "text index, rows in order": _wide(noisy).drop(columns="frame").set_axis([f"row{i}" for i in range(60)]),
        "date index": shuffled.drop(columns="frame").set_axis(
            pd.Timestamp("2024-01-01") + pd.to_timedelta(shuffled.frame.to_numpy() * 100, unit="ms")),
    }
    for name, table in tables.items():
        out = refine_dataframe(table, "savgol")
        assert out.index.equals(table.index) and out.columns.equals(table.columns), name
        order = np.argsort(table["frame"].to_numpy() if "frame" in table else
                           table["time"].to_numpy() if "time" in table else
                           np.asarray(table.index) if name != "text index, rows in order" else np.arange(60))
        np.testing.assert_allclose(_stack(out)[order], expected, atol=1e-9, err_msg=name)


def test_a_time_key_that_skips_is_read_in_its_unit_as_synsp_refine_reads_it(tmp_path):
    """Review1 #2, #3: a ``time_ms`` key was read as seconds (33 s steps, then "fps must be ... got 0.03") and a
    column of tz-aware dates raised a bare TypeError. Every key gives what ``synsp refine`` gives on the CSV."""
    from synsp.formats import read_poses
    from synsp.refining.files import refine_file

    _, noisy = walking(60)
    keep = np.delete(np.arange(60), [20, 21, 40])  # the capture skipped three frames
    columns = _wide(noisy[keep]).drop(columns=["frame", "label"])
    columns.assign(time_ms=np.round(keep / 0.03, 3))[["time_ms", *columns.columns]].to_csv(tmp_path / "in.csv",
                                                                                            index=False)
    refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="one-euro", fps=30.0)
    expected = read_poses(tmp_path / "out.csv").poses[0]
    dates = pd.Timestamp("2026-01-01 12:00") + pd.to_timedelta(keep / 30, unit="s")
    for key, values in {"time_ms": np.round(keep / 0.03, 3), "time": keep / 30,
                        "timestamp": dates.tz_localize("Europe/Paris"), "time_s": dates - dates[0]}.items():
        out = refine_dataframe(columns.assign(**{key: values}), "one-euro", fps=30.0)
        np.testing.assert_allclose(_stack(out), expected, atol=1e-3, err_msg=key)


def test_a_frame_key_that_cannot_order_the_rows_is_one_line_error():
    _, noisy = walking(20)
    table = _wide(noisy)
    table.loc[3, "frame"] = table.loc[2, "frame"]
    with pytest.raises(ValueError, match=r"^DataFrame: two rows at column 'frame' = 4 \(index 2 and 3\); .*track"):
        refine_dataframe(table, "savgol")
    with pytest.raises(ValueError, match=r"^DataFrame column 'frame' holds 'b' \(index 1\), not a frame number"):
        refine_dataframe(_wide(noisy).assign(frame=[0, "b"] + list(range(2, 20))), "savgol")
    with pytest.raises(ValueError, match=r"^DataFrame column 'time' is empty in the row with index 5"):
        refine_dataframe(_wide(noisy).rename(columns={"frame": "time"}).astype({"time": float})
                         .assign(time=lambda d: d.time.where(d.index != 5)), "savgol")
