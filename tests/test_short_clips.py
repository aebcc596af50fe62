"""Clips of fewer than MIN_FRAMES frames come back as they came: two frames cannot tell noise from motion
(a user's audit: every method moved clean 2-frame clips by 11-36 mm and left 2-frame jitter worse)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.refining.methods import MIN_FRAMES
from test_bvh import TINY


def _walk(t: int, seed: int = 0) -> np.ndarray:
    """A jittery 3D body in mm (T, 17, 3)."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 200, (1, 17, 3)) + np.cumsum(rng.normal(0, 8, (t, 17, 3)), axis=0)).astype(np.float32)


def test_the_limit_is_three_frames():
    assert MIN_FRAMES == 3


@pytest.mark.parametrize("method", ["synsp", "smoothnet", "butterworth", "one-euro", "savgol"])
def test_two_frames_of_positions_come_back_as_they_came_gaps_filled(method):
    x = _walk(2)
    x[1, 3] = np.nan  # a joint missing in the second frame: held from the first
    out = synsp.refine(x, method=method, layout="h36m17" if method == "synsp" else None)
    assert out.shape == x.shape and out.dtype == x.dtype
    np.testing.assert_array_equal(np.delete(out, 3, axis=1), np.delete(x, 3, axis=1))
    np.testing.assert_array_equal(out[:, 3], x[[0, 0], 3])
    three = _walk(3)
    assert np.abs(synsp.refine(three, method="butterworth") - three).max() > 0.1  # three frames are refined


def test_a_two_frame_file_is_written_as_read_and_said_in_one_line(tmp_path):
    from synsp.formats import read_poses

    np.save(tmp_path / "in.npy", _walk(2))
    summary = str(synsp.refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="smoothnet"))
    said = [line for line in summary.splitlines() if "too few to refine" in line]
    assert len(said) == 1 and "2 frames" in said[0] and "smoothness:" not in summary, summary
    np.testing.assert_array_equal(read_poses(tmp_path / "out.npy").poses, read_poses(tmp_path / "in.npy").poses)


@pytest.mark.parametrize("method", [None, "smoothnet", "butterworth"])
def test_two_frames_of_smpl_rotations_come_back_as_they_came(method):
    poses = np.random.default_rng(1).normal(0, 0.3, (2, 72))
    np.testing.assert_allclose(synsp.refine_smpl(poses, fps=30, method=method), poses, atol=1e-9)


@pytest.mark.parametrize("method", [None, "butterworth"])
def test_a_two_frame_bvh_is_written_with_its_own_numbers(tmp_path, method):
    from synsp.formats.bvh import read_bvh

    rows = "0 0 0 5 10 20  1 0 0 0 0 0  30 40 50\n1 2 3 -8 12 25  1 0 0 3 4 5  35 38 52\n"
    (tmp_path / "in.bvh").write_text(TINY.split("Frames:")[0] + "Frames: 2\nFrame Time: 0.0333333\n" + rows)
    summary = str(synsp.refine_file(tmp_path / "in.bvh", tmp_path / "out.bvh", method=method))
    assert "2 frames, too few to refine" in summary, summary
    given, written = read_bvh(tmp_path / "in.bvh"), read_bvh(tmp_path / "out.bvh")
    np.testing.assert_allclose(written.rotations, given.rotations, atol=1e-5)
    np.testing.assert_allclose(written.translations, given.translations, atol=1e-5)
