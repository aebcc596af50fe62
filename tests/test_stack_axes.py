"""A short crowd clip stacked frames first, (T, P, J, C), told by its motion (synsp.stack_axes): audit 31 finding 1."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.cli import main
from synsp.errors import ShapeError
from synsp.formats import read_poses
from synsp.stack_axes import JUMP, stack_reading


def _crowd(people: int = 8, frames: int = 30, gap: float = 120.0, seed: int = 0) -> np.ndarray:
    """(P, T, 17, 2) px: people ~200 px tall standing ``gap`` apart, each swaying and walking a little."""
    rng = np.random.default_rng(seed)
    template = rng.uniform([0, 0], [80, 200], (17, 2))
    t = np.arange(frames)[:, None, None]
    out = []
    for p in range(people):
        sway = 6 * np.sin(t / 5 + p + np.arange(17)[None, :, None])  # limbs swing, a few px a frame
        out.append(template + [p * gap + 300, 400] + sway + t * [1.5, 0.0]
                   + rng.normal(0, 1.5, (frames, 17, 2)))
    return np.stack(out).astype(np.float32)


def test_a_short_crowd_frames_first_is_refused_by_refine_and_people_first_is_refined():
    crowd = _crowd()  # (8, 30): the shape rule (16+ of a quarter as many frames) lets (30, 8) through
    stacked = crowd.transpose(1, 0, 2, 3)
    reading = stack_reading(stacked)
    assert reading.frames_first and reading.as_given >= JUMP and reading.swapped < 0.1
    with pytest.raises(ShapeError, match=r"shape \(30, 8, 17, 2\) is \(T, P, J, C\), frames first\? pass poses."
                                         r"transpose\(1, 0, 2, 3\); as 30 persons of 8 frames every frame would "
                                         r"jump .* body sizes"):
        synsp.refine(stacked, "savgol")
    assert not stack_reading(crowd).frames_first
    assert synsp.refine(crowd, "savgol").shape == crowd.shape


def test_copies_of_one_body_and_a_single_track_are_never_read_frames_first():
    one = _crowd(people=1, frames=40)
    views = np.repeat(one, 6, axis=0)  # six views of one triangulated person: no step across them
    assert not stack_reading(views).frames_first
    assert not stack_reading(views + np.random.default_rng(1).normal(0, 2, views.shape)).frames_first
    assert stack_reading(one) is None  # one track: nothing to compare
    jumpy = np.random.default_rng(2).normal(0, 50, (1, 30, 17, 2))  # white noise: every frame a jump
    assert not stack_reading(np.repeat(jumpy, 4, axis=0)).frames_first  # its exact copies are not 4 people apart
    still = np.repeat(one[:, :1], 5, axis=1)  # people who do not move at all, 20 px apart: people first still
    assert not stack_reading(np.concatenate([still + [20 * i, 0] for i in range(4)])).frames_first


def test_an_npz_crowd_frames_first_is_read_so_and_said_and_an_npy_refused(tmp_path, capsys):
    crowd = _crowd(people=12, frames=45, gap=100.0)
    stacked = crowd.transpose(1, 0, 2, 3)
    scores = np.full(stacked.shape[:3], 0.9, np.float32)
    np.savez(tmp_path / "crowd.npz", keypoints=stacked, keypoint_scores=scores)
    data = read_poses(tmp_path / "crowd.npz")
    np.testing.assert_array_equal(data.poses, crowd)
    assert data.scores.shape == crowd.shape[:3]
    note = data.extra["notes"][0]
    assert note.startswith("axes: array 'keypoints' (45, 12, 17, 2) read as (T, P, J, C), frames first (45 frames "
                           "of 12 persons; as 45 persons of 12 frames every frame would jump ")
    assert note.endswith("); written back in that order")
    assert main(["refine", str(tmp_path / "crowd.npz"), str(tmp_path / "out.npz"), "--method", "savgol"]) == 0
    said = capsys.readouterr().out
    assert "12 track(s), 45 frames" in said and "read as (T, P, J, C), frames first (45 frames of 12 persons" in said
    assert np.load(tmp_path / "out.npz")["keypoints"].shape == stacked.shape
    np.save(tmp_path / "crowd.npy", stacked)
    assert main(["refine", str(tmp_path / "crowd.npy"), str(tmp_path / "out.npy"), "--method", "savgol"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "(45, 12, 17, 2) is (T, P, J, C), frames first? save it as x.transpose(1, 0" in err[0]
    np.savez(tmp_path / "people.npz", keypoints=crowd)  # the same crowd people first: read as given, no note
    assert "notes" not in read_poses(tmp_path / "people.npz").extra
