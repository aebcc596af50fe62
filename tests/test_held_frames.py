"""Held frames: a frame repeating the one before it is refined as a gap by the networks."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.cli import main
from synsp.formats import read_poses
from synsp.held_frames import held_frames, without_held_frames
from walking import mpjpe, walking


def test_exact_repeats_are_held_runs_included_and_nothing_else():
    x = np.random.default_rng(0).normal(size=(12, 17, 2)) * 50
    x[4] = x[3]
    x[5] = x[3]  # a run of two
    x[8, 2] = np.nan
    x[9] = x[8]  # NaN where the frame before was NaN: still the same frame
    x[10] = x[9] + 1e-3  # a tiny move is a measurement
    np.testing.assert_array_equal(np.nonzero(held_frames(x))[0], [4, 5, 9])
    assert held_frames(np.stack([x, x[::-1]])).shape == (2, 12)


def test_a_frame_without_any_value_is_no_held_frame():
    x = np.full((5, 17, 3), np.nan)
    x[0] = 1.0
    assert not held_frames(x).any()


def test_without_held_frames_sets_them_missing_and_leaves_other_arrays_alone():
    clean, _ = walking(30, noise=0.0)
    x = clean.astype(np.float32)
    assert without_held_frames(x) is x
    x[7] = x[6]
    out = without_held_frames(x)
    assert out.dtype == np.float32 and np.isnan(out[7]).all() and not np.isnan(out[6]).any()


def test_a_person_who_keeps_still_is_refined_as_if_no_frame_were_held():
    still = np.repeat(walking(1, noise=0.0)[0], 60, axis=0)
    measured = still + np.random.default_rng(1).normal(0, 1e-3, still.shape)  # no two frames alike
    np.testing.assert_allclose(synsp.refine(still), synsp.refine(measured), atol=0.2)  # px, of 255


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_frames_held_by_a_half_rate_estimator_are_refined_between_their_neighbours(method):
    clean, noisy = walking(120, noise=0.5)
    held = noisy.copy()
    held[1::2] = held[0:-1:2]  # an estimator run on every other frame, its output held between
    gapped = np.where(held_frames(held)[:, None, None], np.nan, held)
    refined = synsp.refine(held, method)
    np.testing.assert_allclose(refined, synsp.refine(gapped, method), atol=1e-3)
    assert mpjpe(refined, clean) < 0.8 * mpjpe(held, clean)


def test_a_file_with_held_frames_says_so_and_flags_them_filled(tmp_path, capsys):
    _, noisy = walking(90, noise=1.0)
    poses = noisy.astype(np.float32)
    poses[4::5] = poses[3::5]  # a 24 -> 30 fps pulldown: every 5th frame repeats the one before
    src, dst = tmp_path / "pulldown.npy", tmp_path / "out.npz"
    np.save(src, poses)
    assert main(["refine", str(src), str(dst)]) == 0
    assert "held frames: 18 frames repeat the frame before them" in capsys.readouterr().out
    out = read_poses(dst)
    assert out.filled[0, 4::5].all() and out.filled.sum() == 18 * 17
