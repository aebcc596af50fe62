"""Detections on every k-th frame (synsp.refining.strided): told from the empty frames, refined on the detected frames
alone at fps/k in synsp.refine and synsp refine, the empty frames left empty, the summary's smoothness at the stride."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.strided import detection_stride, off_grid, on_grid
from walking import walking


def _every(k: int, frames: int = 120, phase: int = 0) -> np.ndarray:
    detected = np.zeros(frames, bool)
    detected[phase::k] = True
    return detected


@pytest.mark.parametrize("k", [2, 3, 4])
def test_a_regular_stride_is_told_even_with_a_few_detections_missed(k):
    assert detection_stride(_every(k)) == k
    assert detection_stride(_every(k, phase=1)) == k
    missed = _every(k)
    missed[[k * 5, k * 11, k * 20]] = False  # the detector found nobody three times
    assert detection_stride(missed) == k


@pytest.mark.parametrize("share", [0.1, 0.3, 0.5, 0.7])
def test_frames_empty_at_random_and_other_files_tell_no_stride(share):
    for seed in range(5):
        assert detection_stride(np.random.default_rng(seed).random(300) >= share) == 1
    assert detection_stride(np.ones(120, bool)) == 1  # every frame detected
    assert detection_stride(_every(5)) == 1  # sparser than every 4th frame: refined as it is
    assert detection_stride(_every(2, frames=14)) == 1  # too few detections to tell
    hidden = np.ones(200, bool)
    hidden[50:120] = False  # a person hidden for a while
    assert detection_stride(hidden) == 1


def test_the_grid_keeps_a_missed_detection_as_an_empty_step_and_gives_every_frame_back():
    detected = _every(2, frames=20)
    detected[8] = False  # missed: 3 empty frames
    poses = np.where(detected[:, None, None], np.arange(20.0)[:, None, None] + np.zeros((20, 2, 2)), np.nan)
    grid, steps = on_grid(poses, detected, 2)
    assert grid.shape[0] == 10 and np.isnan(grid[4]).all() and grid[5, 0, 0] == 10.0
    back = off_grid(grid, detected, steps, 0)
    assert np.array_equal(np.isnan(back), np.isnan(poses)) and np.array_equal(back[detected], poses[detected])


def _strided_walk(k: int = 2) -> tuple[np.ndarray, np.ndarray]:
    _, noisy = walking(n_frames=120, noise=2.0)
    detected = _every(k, len(noisy))
    return np.where(detected[:, None, None], noisy, np.nan), detected


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_refine_gives_the_detected_frames_refined_alone_at_fps_over_k(method):
    poses, detected = _strided_walk()
    out = synsp.refine(poses, method, layout="coco17", fps=30)
    alone = synsp.refine(poses[detected], method, layout="coco17", fps=15)
    assert np.isnan(out[~detected]).all()  # the empty frames stay empty, as today
    np.testing.assert_allclose(out[detected], alone, rtol=0, atol=1e-4)
    # no rate given: the assumed 30 fps / 2
    np.testing.assert_allclose(synsp.refine(poses, method, layout="coco17")[detected], alone, rtol=0, atol=1e-4)


def test_the_filters_keep_the_bridge():
    poses, detected = _strided_walk()
    out = synsp.refine(poses, "butterworth", layout="coco17", fps=30)
    assert np.isnan(out[~detected]).all()
    assert not np.allclose(out[detected], synsp.refine(poses[detected], "butterworth", layout="coco17", fps=15))


def test_synsp_refine_on_a_strided_file_says_so_and_measures_the_smoothness_at_the_stride(tmp_path):
    poses, detected = _strided_walk()
    src, dst = tmp_path / "strided.npz", tmp_path / "out.npz"
    write_poses(src, PoseData(poses=poses[None].astype(np.float32), fps=30.0, layout="coco17"))
    summary = synsp.refine_file(src, dst)
    text = str(summary)
    assert "refined on the detected frames alone at 15 fps (30 fps / 2)" in text
    assert "no acceleration to measure" not in text and "(over the detected frames, a step of 2 frames)" in text
    out = read_poses(dst).poses[0]
    alone = synsp.refine(poses[detected], "synsp", layout="coco17", fps=15)
    assert np.isnan(out[~detected]).all()
    np.testing.assert_allclose(out[detected], alone, rtol=0, atol=1e-3)


def test_a_cut_given_reaches_the_strided_route():
    """``refine_tracks(cuts=)`` (a cut read at a file's own times, refining.clock_cuts) on a file detected every 2nd
    frame: the cut is made at the first detection at or after it, each side refined as its own span, as the cut
    refined alone; before, the strided route dropped it."""
    from synsp.refining.strided import grid_cuts
    from synsp.refining.tracks import refine_tracks

    poses, detected = _strided_walk()
    assert [c.tolist() for c in grid_cuts([np.array([0, 61, 62, 200])], detected, np.arange(60))] == [[31]]
    cut = refine_tracks(poses[None], "coco17", "synsp", cuts=[np.array([61])], fps=30.0)
    plain = refine_tracks(poses[None], "coco17", "synsp", fps=30.0)
    assert cut.stride == 2 and cut.turned == [(0, 62)] and plain.turned == []
    # the frames before the cut refined as the first span alone, on the detected frames at 15 fps
    first = refine_tracks(poses[None, :62], "coco17", "synsp", fps=30.0)
    np.testing.assert_allclose(cut.refined[0, :62:2], first.refined[0, ::2], atol=1e-4)
    assert not np.allclose(cut.refined[0, 50:62:2], plain.refined[0, 50:62:2], atol=1e-3)


def test_a_cut_given_at_an_unseen_frame_is_made_at_the_next_seen_one():
    """``refine_tracks(cuts=)`` at a frame with no joint (review 1, finding 3): before, ``track_segments`` dropped the
    cut, yet ``turned`` (the summary's ``cuts:`` line, "refined as separate spans") still named it. Now it is made at
    the next seen frame and named there; the frames before it are the first span refined alone."""
    from synsp.estimator_errors.track_switches import seen_cuts, track_segments
    from synsp.refining.tracks import refine_tracks

    rng = np.random.default_rng(0)
    steps = np.arange(80)[:, None, None]
    poses = (rng.normal(size=(1, 17, 3)) * 100 + steps * [5.0, 0, 0] + rng.normal(size=(80, 17, 3)) * 3)
    poses = poses.astype(np.float32)
    poses[40:43] = np.nan  # the cut's frame and the two after it unseen
    given = np.isin(np.arange(80), [0, 40, 79])  # at the first seen frame: no cut; at the last: a cut before it
    assert np.flatnonzero(seen_cuts(poses, given)).tolist() == [43, 79]
    assert track_segments(poses, given=np.isin(np.arange(80), [40])) == [slice(0, 40), slice(43, 80)]
    cut = refine_tracks(poses[None], "h36m17", "savgol", cuts=[np.array([40])], fps=30.0)
    alone = refine_tracks(poses[None, :40], "h36m17", "savgol", fps=30.0)
    assert cut.turned == [(0, 43)]
    np.testing.assert_array_equal(cut.refined[0, :40], alone.refined[0])
