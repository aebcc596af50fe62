"""Fast motion under 15 fps: the steps that read the fastest band as an estimator's error held back
(synsp.inference.low_rate)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.estimator_errors.measurements import measurements
from synsp.inference.low_rate import LOW_RATE, frames_rate, looks_for_jumps, reads_fast_band
from synsp.skeleton import COCO17
from walking import mean_accel, walking


def test_jumps_are_looked_for_from_15_fps_and_glitches_at_any_rate():
    assert looks_for_jumps(None) and looks_for_jumps(LOW_RATE) and looks_for_jumps(30.0)
    assert not looks_for_jumps(10.0) and not looks_for_jumps(12.0)
    clean, _ = walking(60, noise=0.0)
    x = clean.astype(np.float32)
    x[10, 5] += (100.0, 100.0)  # a glitch
    x[45] += (60.0, -40.0)  # the whole body off its path
    kept = measurements(x, COCO17, jumps=False)
    assert not kept.jumped.any() and set(zip(*np.nonzero(kept.glitches))) == {(10, 5)}
    np.testing.assert_array_equal(np.flatnonzero(measurements(x, COCO17).jumped), [45])


def test_the_fast_band_is_read_under_15_fps_only_for_motion_slow_for_the_rate():
    slow, _ = walking(60, noise=0.0, fps=30.0)  # a 1 Hz walk
    fast, _ = walking(60, noise=0.0, fps=4.0)  # the same walk filmed at 4 fps: 7.5 times as fast per frame
    assert reads_fast_band(fast, 30.0) and reads_fast_band(fast, None)  # from 15 fps whatever the motion
    assert reads_fast_band(slow, 10.0) and not reads_fast_band(fast, 10.0)


def test_from_15_to_30_fps_the_network_and_its_smoothing_read_the_frames_as_30_fps_ones():
    """A 15 fps clip told its rate was resampled onto 30 fps (its white jitter interpolated into motion) and
    low-passed at 6 Hz of 15 fps (nearly nothing): rougher than told 30 fps. Now refined as told 30, while the steps
    reading the rate itself (jumps, the fast band) still take 15 fps; rates from 30 up and under 15 fps as they were."""
    assert frames_rate(None) is None and frames_rate(30.0) == 30.0 and frames_rate(60.0) == 60.0
    assert frames_rate(LOW_RATE) == frames_rate(24.0) == 30.0 and frames_rate(10.0) == 10.0
    clean, noisy = walking(90, noise=4.0, fps=15.0)
    told, thirty = synsp.refine(noisy, "synsp", fps=15.0), synsp.refine(noisy, "synsp", fps=30.0)
    np.testing.assert_array_equal(told, thirty)
    assert mean_accel(told) < 0.5 * mean_accel(noisy)


def _followed(name: str, step: int) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, clean) 2D poses (T, 17, 2) px of clip ``name`` at 30 / ``step`` fps, filmed by a camera
    following the person at 4 m, with white jitter of 1 % of the body's height (the audit's set-up)."""
    from synsp.data.camera import Camera, look_at, project
    from synsp.data.mocap import load_clip

    clip = load_clip(name, "coco17")[:600:step][:200].astype(np.float64)
    hips = clip[:, [11, 12]].mean(1, keepdims=True)
    clip[..., [0, 2]] -= hips[..., [0, 2]]  # the camera pans with the person
    centre = np.nanmean(clip.reshape(-1, 3), axis=0)
    up = np.deg2rad(10.0)
    rotation, translation = look_at(centre + 4000.0 * np.array([0.0, np.sin(up), np.cos(up)]), centre)
    clean = project(clip, Camera(rotation, translation, (1000.0, 1000.0), (960.0, 540.0), (1920, 1080)))
    height = float(np.nanmedian(np.nanmax(clean[..., 1], 1) - np.nanmin(clean[..., 1], 1)))
    noisy = clean + np.random.default_rng(3).normal(0, 0.01 * height, clean.shape)
    return noisy.astype(np.float32), clean


@needs_data
@pytest.mark.parametrize("name", ["dataset-1_dance-short_normal_001", "dataset-1_dash_happy_001"])
def test_fast_2d_motion_at_10_fps_comes_out_no_worse_than_it_went_in(name):
    """A user audit: a dance (a bounce read as whole-body jumps) and a dash (its steps read as a
    shaking body and low-passed away) at 10 fps came out worse than the input (here 5.03 and 5.24 px
    against 4.25 and 4.10); now better than it (3.35 and 3.73 px)."""
    noisy, clean = _followed(name, 3)
    error = lambda x: float(np.linalg.norm(x - clean, axis=-1).mean())  # noqa: E731
    assert error(synsp.refine(noisy, "synsp", fps=10.0)) < 0.95 * error(noisy)
