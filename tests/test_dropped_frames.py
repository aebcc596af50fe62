"""Frames dropped from a file with no times (synsp.refining.dropped_frames): found where the whole body steps twice
as far, refined as gaps in synsp.refine (each track at its own drops) and in ``synsp refine`` on a file
with no column of times or frame numbers, and taken out; no drop read on even frames, a start, a stop or a jump."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import synsp
import synsp.refining.uneven_times as uneven_times
from synsp.cli import main
from synsp.formats import read_poses
from synsp.refining.dropped_frames import dropped_after
from synsp.refining.files import refine_file
from walking import walking


def _fast_walk(frames: int = 120, noise: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) a walk crossing the picture at 600 px/s (20 px a frame), as a sprint filmed from the side."""
    clean, _ = walking(n_frames=frames, noise=0.0)
    clean = clean + np.arange(frames)[:, None, None] * np.array([18.0, 0.0])  # walking() drifts 2 px a frame
    return clean, clean + np.random.default_rng(3).normal(0, noise, clean.shape)


def _dropped(x: np.ndarray, every: int = 7) -> tuple[np.ndarray, np.ndarray]:
    keep = np.arange(len(x)) % every != 3
    return x[keep], np.flatnonzero(np.diff(np.flatnonzero(keep)) == 2)  # the kept frames before each drop


def test_every_drop_of_a_fast_body_is_found_and_nothing_else():
    _, noisy = _fast_walk()
    poses, before = _dropped(noisy)
    np.testing.assert_array_equal(dropped_after(poses), before)
    assert len(dropped_after(noisy)) == 0  # no frame missing: none read


def test_two_frames_dropped_in_a_row_are_put_back_as_two(tmp_path, capsys):
    """Review 3 #3: frames 40-41 dropped read as one frame after 39; the refiner then still saw a double step."""
    clean, noisy = _fast_walk(160)
    keep = np.ones(len(noisy), bool)
    keep[[40, 41, 90]] = False  # two in a row after kept frame 39, one after kept frame 87
    poses, truth = noisy[keep], clean[keep]
    np.testing.assert_array_equal(dropped_after(poses), [39, 39, 87])
    out = synsp.refine(poses, "gaussian", fps=30)
    gapped = np.where(keep[:, None, None], noisy, np.nan)  # the capture's clock: NaN at each dropped frame
    np.testing.assert_array_equal(out, synsp.refine(gapped, "gaussian", fps=30)[keep])
    as_one = synsp.refine(np.insert(poses, [40, 88], np.nan, axis=0), "gaussian", fps=30)[
        np.delete(np.arange(len(poses) + 2), [40, 89])]  # integ's route: one frame put back after 39
    assert np.linalg.norm(out - truth, axis=-1).mean() < np.linalg.norm(as_one - truth, axis=-1).mean()
    np.savez(tmp_path / "in.npz", poses=poses[None])
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--fps", "30"]) == 0
    assert "drops: 3 frames missing from the capture (after frames 39, 87:" in capsys.readouterr().out


def test_three_frames_dropped_in_a_row_are_put_back_as_three_and_four_are_left():
    """Review leftover 4: a run of 3 (a detector skipping 3 frames every 20) read none: its step over 4 intervals is
    3 / 2 of a 1-frame drop's sum, a residual ratio of 0.67 against MAX_RATIO 0.6. Now the residual is taken at the
    run read (the step over the neighbours' mean); this run longer than MAX_RUN is left as it is (not every one is:
    one whose step rounds one short is put back short, dropped_frames' docstring gives the measured share)."""
    clean, noisy = _fast_walk(160)
    keep = np.ones(len(noisy), bool)
    keep[[40, 41, 42, 90, 120, 121, 122, 123]] = False  # 3 after kept frame 39, 1 after 86, 4 after 112
    poses = noisy[keep]
    np.testing.assert_array_equal(dropped_after(poses), [39, 39, 39, 86])
    gapped = np.where(keep[:, None, None], noisy, np.nan)[:120]  # the capture's clock up to the run of 4
    np.testing.assert_array_equal(synsp.refine(poses[:keep[:120].sum()], "gaussian", fps=30),
                                  synsp.refine(gapped, "gaussian", fps=30)[keep[:120]])


def test_a_start_a_stop_and_a_jump_read_no_drop():
    clean, _ = _fast_walk()
    start = clean.copy()
    start[:60] = start[60]  # standing still, then off at full speed from one frame to the next
    stop = clean.copy()
    stop[60:] = stop[60]
    jump = clean.copy()
    jump[50:52] += 100.0  # the whole body thrown for two frames
    for poses in (start, stop, jump):
        assert len(dropped_after(poses)) == 0
    assert len(dropped_after(clean[:4])) == 0  # too short to read


@pytest.mark.parametrize("method", ["synsp", "gaussian"])
def test_refine_puts_the_drops_back_as_gaps_and_gives_the_input_frames(method, monkeypatch):
    clean, noisy = _fast_walk()
    poses, before = _dropped(noisy)
    out = synsp.refine(poses, method, layout="coco17", fps=30)
    assert out.shape == poses.shape and np.isfinite(out).all()
    gapped = np.insert(poses, before + 1, np.nan, axis=0)
    kept = np.delete(np.arange(len(gapped)), before + 1 + np.arange(len(before)))
    np.testing.assert_array_equal(out, synsp.refine(gapped, method, layout="coco17", fps=30)[kept])
    truth, _ = _dropped(clean)
    # refined as if no frame were missing (the route before): the step at each drop smeared
    monkeypatch.setattr("synsp.refining.arrays.dropped_after", lambda x: np.zeros(0, int))
    as_even = synsp.refine(poses, method, layout="coco17", fps=30)
    assert np.linalg.norm(out - truth, axis=-1).mean() < np.linalg.norm(as_even - truth, axis=-1).mean()


def _persons() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(poses (2, T, J, 2), the kept frames before each drop, the fast walker's truth (T, J, 2)): every 7th frame
    dropped from a capture of a fast walker and a person standing still (who shows no drop) beside him."""
    clean, noisy = _fast_walk()
    walker, before = _dropped(noisy)
    truth, _ = _dropped(clean)
    still = walking(n_frames=len(walker), noise=0.0)[0][:1] + 300.0
    still = still + np.random.default_rng(5).normal(0, 1.0, walker.shape)
    return np.stack([walker, still]), before, truth


def test_refine_reads_each_entrys_own_drops_as_if_passed_alone():
    # synsp.refine cannot tell one capture's persons from unrelated clips of one length: each entry is refined at its
    # own drops (a file's tracks share one clock: synsp refine puts a drop back in every track, below)
    poses, before, _ = _persons()
    out = synsp.refine(poses, "gaussian", layout="coco17", fps=30)
    assert out.shape == poses.shape
    for v in range(len(poses)):
        np.testing.assert_array_equal(out[v], synsp.refine(poses[v], "gaussian", layout="coco17", fps=30))


@pytest.mark.parametrize("method", ["gaussian", "savgol"])
def test_an_unrelated_clean_clip_beside_one_with_drops_is_refined_as_alone(method):
    poses, _, _ = _persons()
    other = walking(n_frames=poses.shape[1], noise=1.0)[0] + 300.0  # another walk, no frame missing
    assert len(dropped_after(other)) == 0
    out = synsp.refine(np.stack([poses[0], other]), method, layout="coco17", fps=30)
    np.testing.assert_array_equal(out[1], synsp.refine(other, method, layout="coco17", fps=30))
    np.testing.assert_array_equal(out[0], synsp.refine(poses[0], method, layout="coco17", fps=30))


def test_synsp_refine_on_a_file_with_no_times_reads_the_drops_and_keeps_its_frames(tmp_path, capsys, monkeypatch):
    poses, before, truth = _persons()
    np.savez(tmp_path / "in.npz", poses=poses)
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--fps", "30"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("drops:")]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"drops: {len(before)} frames missing from the capture (after frames 2, 8, 14, 20, 26")
    out = np.load(tmp_path / "out.npz")["poses"]
    assert out.shape == poses.shape and np.isfinite(out).all()
    # refined as if no frame were missing (the route before): the step at each drop smeared
    monkeypatch.setattr(uneven_times, "dropped_in_tracks", lambda x: np.zeros(0, int))
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "even.npz"), "--fps", "30"]) == 0
    assert "drops:" not in capsys.readouterr().out
    even = np.load(tmp_path / "even.npz")["poses"]
    error, as_even = (np.linalg.norm(x[0] - truth, axis=-1).mean() for x in (out, even))
    assert error < 0.9 * as_even, (error, as_even)


def test_a_cut_after_drops_is_named_at_the_files_frame_as_the_drops_are(tmp_path, capsys):
    """Review1 #4: with drops read, the cut was named at the capture's frame (100), the drops beside it at the
    file's."""
    from test_body_cuts import _turned

    truth = _turned("h36m17", 180, 100)  # a cut to the other side of the walker at capture frame 100
    kept = np.delete(truth + np.random.default_rng(0).normal(0, 1.0, truth.shape), [20, 40, 60, 80], axis=0)
    np.save(tmp_path / "walk.npy", kept.astype(np.float32))
    assert main(["refine", str(tmp_path / "walk.npy"), str(tmp_path / "out.npy"), "--layout", "h36m17"]) == 0
    printed = capsys.readouterr().out
    assert "(after frames 19, 38, 57, 76:" in printed and "track 0 frame 96 " in printed, printed


def test_a_file_that_numbers_its_frames_is_refined_at_them_with_no_drop_read(tmp_path):
    poses, _, _ = _persons()
    header = "frame," + ",".join(f"j{j}_{a}" for j in range(17) for a in "xy")
    rows = [f"{t}," + ",".join(f"{v:.3f}" for v in pose.ravel()) for t, pose in enumerate(poses[0])]
    (tmp_path / "in.csv").write_text("\n".join([header, *rows]) + "\n")
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="gaussian", fps=30)
    assert "drops:" not in str(summary) and read_poses(tmp_path / "out.csv").poses.shape[1] == poses.shape[1]


def test_a_table_reads_the_drops_as_synsp_refine_reads_the_same_csv_and_a_frame_column_reads_none(tmp_path,
                                                                                                  monkeypatch):
    pd = pytest.importorskip("pandas")
    from synsp.integrations.pandas import refine_dataframe

    poses, before, _ = _persons()
    header = ",".join(f"j{j}_{a}" for j in range(17) for a in "xy")
    rows = [",".join(f"{v:.3f}" for v in pose.ravel()) for pose in poses[0]]
    (tmp_path / "in.csv").write_text("\n".join([header, *rows]) + "\n")
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="gaussian", fps=30)
    assert f"drops: {len(before)} frames" in str(summary)
    df = pd.read_csv(tmp_path / "in.csv")
    table = refine_dataframe(df, "gaussian", fps=30).to_numpy().reshape(poses[0].shape)
    # the file's cells exactly: float32's shortest digits (formats.decimals) of the same float32 values
    cli = pd.read_csv(tmp_path / "out.csv", float_precision="round_trip")[df.columns].to_numpy(np.float32)
    np.testing.assert_array_equal(table.astype(np.float32), cli.reshape(table.shape))
    # the array route reads the drops alike; from the same float32 values its own arithmetic is a float32 step apart
    arrays = synsp.refine(df.to_numpy(np.float32).reshape(poses[0].shape), "gaussian", fps=30)
    np.testing.assert_allclose(table, arrays, rtol=np.finfo(np.float32).eps, atol=0)
    # frames numbered 0..T-1: no drop read (as the file route, test above): the route with none read
    even = refine_dataframe(df.assign(frame=np.arange(len(df))), "gaussian", fps=30)[df.columns].to_numpy()
    monkeypatch.setattr("synsp.integrations.pandas.dropped_in_tracks", lambda x: np.zeros(0, int))
    np.testing.assert_array_equal(even, refine_dataframe(df, "gaussian", fps=30).to_numpy())
    assert np.abs(even.reshape(table.shape) - table).max() > 1.0
    # review 3 #1: the kept frames' numbers (skipping the dropped): refined at them, as synsp refine refines the CSV
    kept = np.arange(len(df)) + np.searchsorted(before, np.arange(len(df)))  # a drop after b: frames past b move on
    numbered = df.assign(frame=kept)[["frame", *df.columns]]
    numbered.to_csv(tmp_path / "numbered.csv", index=False)
    refine_file(tmp_path / "numbered.csv", tmp_path / "numbered_out.csv", method="gaussian", fps=30)
    at_frames = refine_dataframe(numbered, "gaussian", fps=30)[df.columns].to_numpy().reshape(poses[0].shape)
    np.testing.assert_allclose(at_frames, read_poses(tmp_path / "numbered_out.csv").poses[0], atol=1e-3)
    np.testing.assert_allclose(at_frames, table, atol=1e-3)  # one route: the drops read are the skipped numbers
    shuffled = numbered.sample(frac=1.0, random_state=0)  # rows in any order: each back at its frame
    np.testing.assert_array_equal(refine_dataframe(shuffled, "gaussian", fps=30).loc[numbered.index].to_numpy(),
                                  refine_dataframe(numbered, "gaussian", fps=30).to_numpy())


def test_refine_reads_the_drops_once_not_again_on_the_frames_it_put_back(monkeypatch):
    import synsp.refining.arrays as arrays

    seen = []
    monkeypatch.setattr(arrays, "dropped_after", lambda x: seen.append(len(x)) or dropped_after(x))
    poses, before = _dropped(_fast_walk()[1])
    synsp.refine(poses, "gaussian", layout="coco17", fps=30)
    assert seen == [len(poses)]  # the gapped array (len(poses) + len(before) frames) is not searched


def test_only_the_entries_with_drops_leave_the_crowds_lockstep(monkeypatch):
    """Review 3 #6: one entry with drops sent every entry through its own refine(), off the crowd's lockstep."""
    import synsp.refining.arrays as arrays
    from synsp import lockstep

    walker, _, _ = _persons()
    clip = np.load(Path(__file__).parent / "fixtures" / "edge_cut_2d.npy")
    poses = np.full((3, len(walker[0]), 17, 2), np.nan, np.float32)
    poses[0] = walker[0]  # every 7th frame dropped from a fast walk
    poses[1, :80], poses[2, 20:90] = clip[:80] + 100, clip[10:80] - 50  # two persons of short spans, no drop
    calls = []
    monkeypatch.setattr(arrays, "short_in_lockstep", lambda lengths, job: calls.append(sorted(lengths)) or
                        lockstep.short_in_lockstep(lengths, job))
    out = synsp.refine(poses, "synsp", fps=30)
    assert [(0, 0), (1, 0)] in calls  # the two with no drop: one lockstep
    np.testing.assert_array_equal(out[0], synsp.refine(poses[0], "synsp", fps=30))
    np.testing.assert_array_equal(out[1:], synsp.refine(poses[1:], "synsp", fps=30))


@pytest.mark.parametrize("args", [["--run", "3", "--every", "5"], ["--run", "0"]])
def test_the_benchmarks_runs_that_do_not_fit_are_refused(monkeypatch, capsys, args):
    """Review2 #7: --run 3 --every 5 dropped 2 in a row (residues 3 and 4) under a header saying 3; --run 0 none."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import dropped_frames_file

    monkeypatch.setattr(sys, "argv", ["dropped_frames_file.py", *args])
    with pytest.raises(SystemExit) as done:
        dropped_frames_file.main()
    assert done.value.code == 2 and "needs --every >= --run + 3" in capsys.readouterr().err
