"""Where the 3D Refiner places the body: the root's trajectory, fitted at the network's rate."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.skeleton import root_position

pytestmark = needs_data


@pytest.fixture(scope="module")
def refiner():
    return load_model("synsp-h36m17", device="cpu")


def walk_at(fps: float, seconds: float = 2.0) -> np.ndarray:
    """(T, 17, 3) mm: a validation walk (world positions) upsampled from 30 fps to ``fps``."""
    from synsp.data.mocap import load_clip

    clip = load_clip("dataset-2_walk_normal_002")[: int(30 * seconds)]
    times = np.arange(len(clip)) / 30
    return CubicSpline(times, clip, axis=0)(np.arange(0, times[-1] + 1e-9, 1 / fps)).astype(np.float32)


def pelvis_accel(x: np.ndarray, clean: np.ndarray, fps: float) -> float:
    """Mean |acceleration error| of the pelvis, m/s^2."""
    gap = (root_position(x, "h36m17") - root_position(clean, "h36m17"))[:, 0]
    return float(np.linalg.norm(np.diff(gap, 2, axis=0), axis=-1).mean() * fps**2 / 1000)


def test_root_is_fitted_at_the_networks_rate(refiner):
    """240 fps with 2 mm of per-frame noise: 9 frames of Savitzky-Golay at 240 fps (37 ms) left
    the pelvis 0.15 x its input's acceleration error (453 -> 68 m/s^2); fitted at 30 fps, 0.005 x (2.0)."""
    clean = walk_at(240.0)
    noisy = clean + np.random.default_rng(0).normal(0, 2, clean.shape).astype(np.float32)
    before = pelvis_accel(noisy, clean, 240.0)
    after = pelvis_accel(refiner.refine(noisy, fps=240.0), clean, 240.0)
    assert after < 0.02 * before, (before, after)


def test_body_is_placed_by_the_mean_over_its_joints(refiner):
    """A pelvis up to 100 mm off along one axis (slowly swaying: an estimator's depth error of that one
    joint) and 10 mm of noise on every joint. Placed by its pelvis, the whole body followed it;
    placed by the mean over its joints, the body stays where its joints say (mean absolute error
    14.7 mm by the pelvis, 6.3 by the mean; input 9.1)."""
    clean = walk_at(30.0, seconds=4.0)
    rng = np.random.default_rng(1)
    noisy = clean + rng.normal(0, 10, clean.shape).astype(np.float32)
    noisy[:, 0, 2] += (100 * np.sin(np.arange(len(clean)) / 30 * np.pi)).astype(np.float32)  # 0.5 Hz
    error = lambda x: float(np.abs(x - clean).mean())  # noqa: E731  mm, no alignment
    assert refiner.mean_anchor
    placed = error(refiner.refine(noisy, fps=30.0))
    refiner.mean_anchor = False
    try:
        by_pelvis = error(refiner.refine(noisy, fps=30.0))
    finally:
        refiner.mean_anchor = True
    assert placed < error(noisy) < by_pelvis, (placed, error(noisy), by_pelvis)


def test_a_paced_tracks_last_frames_are_interpolated():
    """A 60 fps track (a 0.7 Hz sway and a parabola, mm) fitted at 30 fps: a grid ending short of the last frame
    extrapolated the last 3 frames (2.6-3.0 mm off); the grid reaching past it (``whole_span``) halves that
    (1.4-1.6 mm), as far as the first 3 frames' 2.9 mm or nearer."""
    from synsp.inference.root_track import smoothed_track
    for frames in (101, 102, 103, 104):
        t = np.arange(frames) / 60.0
        track = np.zeros((1, frames, 1, 3), np.float32)
        track[0, :, 0, 0], track[0, :, 0, 1] = 500 * np.sin(2 * np.pi * 0.7 * t), 200 * t**2
        last = [float(np.linalg.norm(smoothed_track(track, 60.0, (20.0, 43.0), whole)[0, -3:] - track[0, -3:],
                                     axis=-1).mean()) for whole in (False, True)]
        assert last[1] < 0.6 * last[0] and last[1] < 2.0, (frames, last)
