"""refine_dataframe refines as ``synsp refine`` does on the same CSV (README, "pandas"), with the default method.

Every key the CSV reader reads (a time column in seconds or ms, a frame column that skips, none with --fps, a track
column) and 2D as 3D: the DataFrame's result equals the CLI's file cell for cell at the file's precision (the CLI
writes float32's shortest digits, synsp.formats.decimals). A time column in seconds once gave 0.035 px apart: its rate
(the CLI's ``fps: ... (the file's time column)``) was not read by the DataFrame route.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synsp.integrations.pandas import refine_dataframe
from synsp.refining.files import refine_file
from synsp.skeleton import LAYOUTS
from walking import walking

COCO = LAYOUTS["coco17"].joints
EVEN = np.arange(60)
KEEP = np.delete(EVEN, [20, 21, 40])  # the capture skipped three frames
# name: (frames kept, key columns, fps given)
CASES = {
    "time in s to the ms, frames dropped": (KEEP, lambda f: {"time": np.round(f / 30, 3)}, None),
    "time in s at 25 fps, even": (EVEN, lambda f: {"time": np.round(f / 25, 3)}, None),
    "time_ms, frames dropped": (KEEP, lambda f: {"time_ms": np.round(f / 0.03, 3)}, None),
    "time in ms, its name no unit": (KEEP, lambda f: {"time": np.round(f / 0.06, 3)}, None),
    "timestamp in us at 25 fps": (EVEN, lambda f: {"timestamp": f * 40_000}, None),
    "frame column that skips": (KEEP, lambda f: {"frame": f}, None),
    "frame and time columns": (KEEP, lambda f: {"frame": f, "time": np.round(f / 30, 3)}, None),
    "no key, fps given": (EVEN, lambda f: {}, 25.0),
}


def _table(poses: np.ndarray, frames: np.ndarray, keys: dict) -> pd.DataFrame:
    axes = "xyz"[:poses.shape[-1]]
    columns = {f"{joint}_{axis}": poses[frames, j, c] for j, joint in enumerate(COCO) for c, axis in enumerate(axes)}
    return pd.DataFrame({**keys, **columns})


def _poses(dim: int) -> np.ndarray:
    """A walk (T, 17, dim): pixels in 2D; in 3D a body about 1.7 m tall in mm, swaying in depth."""
    _, noisy = walking(60)
    if dim == 2:
        return noisy
    depth = 50 * np.sin(np.arange(60) / 10)[:, None, None] + np.random.default_rng(3).normal(0, 20, (60, 17, 1))
    return np.concatenate([7 * noisy, np.broadcast_to(depth, (60, 17, 1))], axis=-1)


def _both(df: pd.DataFrame, tmp_path, fps: float | None) -> tuple[np.ndarray, np.ndarray]:
    """(DataFrame route, CLI route) pose columns as float32 (rows, columns), the CLI's refining the CSV of ``df``."""
    df.to_csv(tmp_path / "in.csv", index=False)
    refine_file(tmp_path / "in.csv", tmp_path / "out.csv", fps=fps)  # the default method, as `synsp refine`
    columns = [c for c in df.columns if c[-2:] in ("_x", "_y", "_z")]
    cli = pd.read_csv(tmp_path / "out.csv", float_precision="round_trip")
    table = refine_dataframe(pd.read_csv(tmp_path / "in.csv", float_precision="round_trip"), fps=fps)
    return table[columns].to_numpy(np.float32), cli[columns].to_numpy(np.float32)


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("case", list(CASES))
def test_the_dataframe_route_refines_as_synsp_refine_on_the_same_csv(case, dim, tmp_path):
    frames, keys, fps = CASES[case]
    table, cli = _both(_table(_poses(dim), frames, keys(frames)), tmp_path, fps)
    np.testing.assert_array_equal(table, cli, err_msg=f"{case}, {dim}D")


@pytest.mark.parametrize("dim", [2, 3])
def test_a_long_table_of_two_tracks_refines_as_synsp_refine(dim, tmp_path):
    poses = _poses(dim)
    tracks = [_table(poses + 300 * k, KEEP, {"track": k, "time": np.round(KEEP / 30, 3)}) for k in range(2)]
    table, cli = _both(pd.concat(tracks, ignore_index=True), tmp_path, None)
    np.testing.assert_array_equal(table, cli, err_msg=f"{dim}D")


@pytest.mark.parametrize("dim", [2, 3])
def test_a_float32_time_column_refines_as_its_csv(dim, tmp_path):
    """Times to the 10 ms held as float32, as written (0.03, not its float64 upcast 0.029999999329447746, which once
    read as 12 decimals, an uneven grid at 29.966 fps, 1.6 px from the CLI's even 29.97 fps)."""
    df = _table(_poses(dim), EVEN, {"time": np.round(EVEN / 30, 2).astype(np.float32)})
    _, cli = _both(df, tmp_path, None)
    columns = [c for c in df.columns if c[-2:] in ("_x", "_y", "_z")]
    np.testing.assert_array_equal(refine_dataframe(df)[columns].to_numpy(np.float32), cli, err_msg=f"{dim}D")


@pytest.mark.parametrize("rate, digits", [(30, 2), (30, 3), (29.97, 2)])
def test_a_time_column_padded_with_zeros_refines_as_its_dataframe(rate, digits, tmp_path):
    """An even clock rounded to ``digits`` and written ``%.6f`` (0.030000, 0.070000, ...): the zeros add no digit,
    so the CLI reads the clock the DataFrame route reads (to_csv's and pandas' shortest digits), an even one. The
    CLI once counted 6 digits: 30 fps to 0.01 s, steps of 30 and 40 ms read as a phone's jitter (the uneven grid at
    29.966 fps) against the DataFrame's even 29.97 fps; to 0.001 s, 29.9966 fps against 30. 29.97 fps to 0.01 s
    read as jitter in both (0.503 of a digit from the least-squares line, over the half digit then allowed)."""
    df = _table(_poses(2), EVEN, {"time": np.round(EVEN / rate, digits)})
    df.to_csv(tmp_path / "in.csv", index=False, float_format="%.6f")
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv")
    columns = [c for c in df.columns if c[-2:] in ("_x", "_y", "_z")]
    cli = pd.read_csv(tmp_path / "out.csv")[columns].to_numpy(np.float32)
    table = refine_dataframe(pd.read_csv(tmp_path / "in.csv"))[columns].to_numpy(np.float32)
    np.testing.assert_array_equal(table, cli)
    assert "uneven" not in str(summary)


@pytest.mark.parametrize("rate, digits", [(240, 2), (100, 1)])
def test_times_a_fast_clock_repeats_give_its_rate_in_both_routes(rate, digits, tmp_path):
    """A clock faster than its digits (240 fps to 0.01 s: 0.00, 0.00, 0.01, 0.01, 0.01, 0.02, ...) beside a frame
    column: both routes read its rate from the frames over the whole span (``fps: 240``). The CLI once read no rate
    (times that do not increase: 30 fps assumed) and the DataFrame route the distinct times' (100 fps): 8.6 px apart."""
    df = _table(_poses(2), EVEN, {"frame": EVEN, "time": np.round(EVEN / rate, digits)})
    df.to_csv(tmp_path / "in.csv", index=False)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv")
    columns = [c for c in df.columns if c[-2:] in ("_x", "_y", "_z")]
    cli = pd.read_csv(tmp_path / "out.csv")[columns].to_numpy(np.float32)
    table = refine_dataframe(pd.read_csv(tmp_path / "in.csv"))[columns].to_numpy(np.float32)
    np.testing.assert_array_equal(table, cli)
    assert f"fps: {rate} (the file's time column)" in summary.notes


def test_a_clock_that_stalls_gives_no_rate():
    """Repeated times far from an even line (a clock that stopped, then jumped) are no clock to read a rate from."""
    from synsp.refining.uneven_times import column_rate
    assert column_rate(np.round(np.arange(60) / 240, 2), 2) == 240
    assert column_rate(np.r_[np.zeros(30), np.arange(1, 31) / 30], 2) is None
    assert column_rate(np.r_[0.0, 0.1, 0.05, 0.15], 2) is None  # times that go back


@pytest.mark.parametrize("name, per_second, unit", [("time", 1e3, "ms"), ("timestamp", 1e6, "us")])
def test_a_time_column_in_ms_or_us_is_read_by_its_steps_and_said(name, per_second, unit, tmp_path):
    """A ``time`` or ``timestamp`` column a phone logger wrote in ms or us (its name says no unit) gives the file's
    rate, and the summary says which unit its steps told (audit 34: it was dropped silently, 30 fps assumed)."""
    df = _table(_poses(2), EVEN, {name: EVEN / 60 * per_second})
    df.to_csv(tmp_path / "in.csv", index=False)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert f"fps: 60 (the file's time column, read in {unit} by its steps)" in summary.notes
    from synsp.formats.csv_rows import time_scale
    assert time_scale("time", np.arange(10) * 0.5) == (1.0, None)  # seconds at 2 fps stay seconds
    assert time_scale("time_s", np.arange(10) * 40.0) == (1.0, None)  # a name with its unit is taken at its word
