"""--max-gap: long gaps and never-seen joints stay missing, never invented; short gaps are filled."""
from __future__ import annotations

import json

import numpy as np
import pytest

import synsp
from synsp.cli import main
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.files import refine_file
from synsp.sequence import fill_gaps, left_missing, max_gap_frames


@pytest.mark.parametrize("value, fps, frames", [(15, None, 15), ("15", None, 15), ("0.5s", 30, 15),
                                                 (" 1S", 25.0, 25), (None, None, None), (0, None, 0)])
def test_max_gap_in_frames_or_seconds(value, fps, frames):
    assert max_gap_frames(value, fps) == frames


@pytest.mark.parametrize("value, fps, message", [("x", 30, "frames .* or seconds"), ("-1", 30, "whole number"),
                                                  ("1.5", 30, "whole number"), ("inf", 30, "whole number"),
                                                  ("0.5s", None, "frame rate is unknown")])
def test_bad_max_gap_is_one_line_error(value, fps, message):
    with pytest.raises(ValueError, match=message):
        max_gap_frames(value, fps)


def test_left_missing_long_gaps_ends_and_never_seen():
    missing = np.zeros((10, 3), bool)
    missing[2:4, 0] = True   # 2 frames: filled
    missing[5:, 1] = True    # 5 frames to the end: left missing with max_gap 2
    missing[:, 2] = True     # never seen: always left missing
    np.testing.assert_array_equal(left_missing(missing), np.repeat([[False, False, True]], 10, axis=0))
    kept = left_missing(missing, max_gap=2)
    assert not kept[:, 0].any() and kept[5:, 1].all() and not kept[:5, 1].any() and kept[:, 2].all()
    x = np.where(missing[..., None], np.nan, np.ones((10, 3, 2)))
    np.testing.assert_array_equal(np.isnan(fill_gaps(x, max_gap="0.1s", fps=20)[0]).any(-1), kept)


def _walk(fps=30.0):
    rng = np.random.default_rng(0)
    poses = np.cumsum(rng.normal(size=(1, 90, 17, 2)), axis=1) + rng.normal(size=(17, 2)) * 50 + 300
    poses[0, 10:14, 3] = np.nan   # 4 frames
    poses[0, 30:60, 4] = np.nan   # 30 frames = 1 s
    poses[0, :, 5] = np.nan       # never seen
    return PoseData(poses=poses, layout="coco17", fps=fps)


@pytest.mark.parametrize("max_gap", [15, "0.5s"])
def test_refine_file_leaves_long_gaps_and_never_seen_joints_missing(tmp_path, max_gap):
    write_poses(tmp_path / "in.npz", _walk())
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="savgol", max_gap=max_gap)
    out = read_poses(tmp_path / "out.npz")
    assert np.isfinite(out.poses[0, 10:14, 3]).all() and out.filled[0, 10:14, 3].all()  # short gap: filled
    assert np.isnan(out.poses[0, 30:60, 4]).all() and not out.filled[0, 30:60, 4].any()  # long gap: missing
    assert np.isnan(out.poses[0, :, 5]).all()  # never seen: not invented at the body's centre
    assert np.isfinite(np.delete(out.poses, [4, 5], axis=2)).all()
    assert (summary.filled, summary.long_gaps, summary.never_seen) == (4, 30, 90)
    text = str(summary)
    assert "30 joint values left missing: gaps longer than 15 frames (0.50 s)" in text
    assert "90 joint values left missing: joints never seen in their track" in text


def test_without_max_gap_every_gap_is_filled_but_never_seen_joints_stay_missing(tmp_path):
    write_poses(tmp_path / "in.npz", _walk())
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="one-euro")
    out = read_poses(tmp_path / "out.npz").poses
    assert np.isnan(out[0, :, 5]).all() and np.isfinite(np.delete(out, 5, axis=2)).all()
    assert summary.filled == 34 and summary.long_gaps == 0 and "gaps longer" not in str(summary)


def test_networks_get_finite_input_and_json_writes_null(tmp_path):
    write_poses(tmp_path / "in.npz", _walk())
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.json"), "--method", "synsp",
                 "--max-gap", "15"]) == 0
    doc = json.loads((tmp_path / "out.json").read_text())  # standard JSON: no NaN tokens
    keypoints = [frame["instances"][0]["keypoints"] for frame in doc]
    assert keypoints[40][4] == [None, None] and keypoints[0][5] == [None, None]
    assert all(v is not None for v in keypoints[12][3])
    back = read_poses(tmp_path / "out.json")
    assert np.isnan(back.poses[0, 30:60, 4]).all() and np.isfinite(back.poses[0, :, :4]).all()


def test_max_gap_in_seconds_needs_a_frame_rate(tmp_path, capsys):
    write_poses(tmp_path / "in.npz", _walk(fps=None))
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--max-gap", "0.5s"]) == 2
    assert "frame rate is unknown" in capsys.readouterr().err and not (tmp_path / "out.npz").exists()
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--method", "savgol",
                 "--max-gap", "0.5s", "--fps", "30"]) == 0
    assert np.isnan(read_poses(tmp_path / "out.npz").poses[0, 30:60, 4]).all()


@pytest.mark.parametrize("method, options", [("savgol", {"max_gap": 15}), ("synsp", {"max_gap": "0.5s", "fps": 30})])
def test_refine_arrays_leave_never_seen_joints_and_long_gaps_missing(method, options):
    poses = _walk().poses[0].astype(np.float32)  # (T, 17, 2): joint 5 never seen, joint 4 lost for 30 frames
    out = synsp.refine(poses, method)
    assert np.isnan(out[:, 5]).all() and np.isfinite(np.delete(out, 5, axis=1)).all()
    out = synsp.refine(poses, method, **options)
    assert np.isnan(out[30:60, 4]).all() and np.isfinite(out[10:14, 3]).all() and out.dtype == np.float32


def _hidden(fps=30.0):
    """Two people; the second hidden (no joint detected) in frames 40-51, one of its joints lost in 20-22."""
    rng = np.random.default_rng(3)
    poses = np.cumsum(rng.normal(size=(2, 90, 17, 2)), axis=1) + rng.normal(size=(2, 1, 17, 2)) * 40
    poses[1] += 400
    poses[1, 40:52] = np.nan
    poses[1, 20:23, 7] = np.nan
    return PoseData(poses=poses, layout="coco17", fps=fps)


@pytest.mark.parametrize("method, max_gap", [("savgol", None), ("synsp", None), ("synsp", 2), ("smoothnet", None)])
def test_frames_without_any_joint_are_left_out_not_invented(tmp_path, method, max_gap):
    write_poses(tmp_path / "in.npz", _hidden())
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.json", method=method, max_gap=max_gap)
    doc = json.loads((tmp_path / "out.json").read_text())
    people = [len(frame["instances"]) for frame in doc]
    assert people[:40] == [2] * 40 and people[40:52] == [1] * 12 and people[52:] == [2] * 38  # nobody invented
    out = read_poses(tmp_path / "out.json")
    assert np.isnan(out.poses[1, 40:52]).all() and np.isfinite(out.poses[:, 52:]).all()
    assert np.isfinite(out.poses[1, 20:23, 7]).all() == (max_gap is None)  # a joint lost inside a person: filled
    assert summary.absent == 12 and summary.filled == (3 if max_gap is None else 0)
    assert summary.long_gaps == (0 if max_gap is None else 3)
    assert "12 frames of a track with no joint detected (the person hidden or not detected) left out" in str(summary)


@pytest.mark.parametrize("method", ["synsp", "one-euro"])
def test_refine_arrays_leave_frames_without_any_joint_nan(method):
    poses = _hidden().poses.astype(np.float32)
    for x in (poses, poses[1]):  # (P, T, J, C) and one person (T, J, C)
        out = synsp.refine(x, method)
        hidden = out[1, 40:52] if x.ndim == 4 else out[40:52]
        assert np.isnan(hidden).all() and np.isfinite(out[..., 52:, :, :]).all()
        assert np.isfinite(out[..., 20:23, 7, :]).all()


def test_an_npy_output_says_it_keeps_no_mask_of_the_filled_values(tmp_path):
    np.save(tmp_path / "in.npy", _walk().poses[0])
    text = str(refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", layout="coco17"))
    assert "34 joint values filled" in text
    assert "npy keeps no mask of which values were filled" in text and "--max-gap" in text
    text = str(refine_file(tmp_path / "in.npy", tmp_path / "out.npz", method="savgol", layout="coco17"))
    assert "keeps no mask" not in text  # .npz stores them ("filled")


def test_the_summary_names_the_longest_filled_gaps_and_hints_max_gap(tmp_path):
    write_poses(tmp_path / "in.npz", _walk())
    text = str(refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="savgol"))
    assert "longest gaps filled: right_ear frames 30-59 (30 frames, 1.00 s)\n" in text  # the 4-frame gap: not named
    assert "1 gap longer than 0.5 s was invented from the frames around it; --max-gap 0.5s leaves such gaps missing" \
        in text
    text = str(refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="savgol", max_gap=15, force=True))
    assert "longest gaps" not in text and "invented" not in text  # left missing, and said so
    poses = _walk(fps=None).poses
    poses[0, 60:70, 6] = np.nan  # 10 frames: long enough to be named, too short to be invented
    np.save(tmp_path / "in.npy", poses)
    text = str(refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", layout="coco17"))
    assert ("longest gaps filled: right_ear frames 30-59 (30 frames), right_shoulder frames 60-69 (10 frames)\n"
            "1 gap longer than 0.5 s (15 frames at the assumed 30 fps) was invented from the frames around it; "
            "--max-gap 15 leaves such gaps missing") in text
