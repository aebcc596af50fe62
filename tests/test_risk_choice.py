"""Joints of no layout: SmoothNet, or a low-pass where Stein's unbiased risk estimate puts it nearer."""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth
from synsp.inference.risk_choice import MARGIN, RISK_FRAMES, lowpass_or_network, white_margin
from synsp.refining.person import refine_track
from synsp.refining.route_notes import layout_notes
from walking import mpjpe, walking

BODY = [0] + list(range(5, 17))  # 13 of COCO's keypoints: a count no layout has


def markers(n_frames: int = 400, fps: float = 100.0, noise: float = 3.0, seed: int = 0) -> tuple[np.ndarray, ...]:
    """(clean, noisy) 3D points (T, 13, 3) in mm: the walk 1.7 m tall, swaying in depth, with a marker
    system's white noise (``noise`` mm per coordinate) at ``fps``."""
    clean = walking(n_frames, 0.0, fps=fps)[0][:, BODY] * 7.0
    t = np.arange(n_frames)[:, None] / fps
    depth = 300 * np.sin(2 * np.pi * 0.3 * t) + 0.2 * clean[..., 0] - 800
    clean = np.concatenate([clean, depth[..., None]], axis=-1)
    return clean, clean + np.random.default_rng(seed).normal(0.0, noise, clean.shape)


def test_white_noise_of_markers_is_low_passed_where_smoothnet_keeps_its_own_error():
    """3 mm of white noise at 100 Hz: SmoothNet alone leaves the points as far as they came (it
    learnt tens of mm); the route of joints of no layout low-passes them, well under the input."""
    clean, noisy = markers()
    alone = refine_track(noisy, None, "smoothnet", fps=100.0)
    today = refine_track(noisy, None, "synsp", fps=100.0)
    assert today.shape == noisy.shape
    assert mpjpe(alone, clean) > 0.9 * mpjpe(noisy, clean)
    assert mpjpe(today, clean) < 0.5 * mpjpe(noisy, clean)


def test_a_network_that_finds_the_truth_is_kept():
    """The risk estimate of a refiner that gives the clean poses is about nil: no low-pass is nearer."""
    clean, noisy = walking(n_frames=200, noise=2.0)
    out, lowpassed = lowpass_or_network(noisy, lambda v: clean.copy())
    assert not lowpassed.any()
    np.testing.assert_allclose(out, clean)


def test_short_clips_keep_the_network_and_the_dtype():
    clean, noisy = walking(n_frames=RISK_FRAMES - 1, noise=2.0)
    out, lowpassed = lowpass_or_network(noisy.astype(np.float32), lambda v: v[::-1].copy())
    assert out.dtype == np.float32 and not lowpassed.any()
    np.testing.assert_array_equal(out, noisy.astype(np.float32)[::-1])


def test_the_summary_names_the_low_pass_for_synsp_only():
    assert "low-pass" in layout_notes(None, "coco17", "synsp", 13, 2)[0]
    assert "low-pass" not in layout_notes(None, "coco17", "smoothnet", 13, 2)[0]


def test_the_margin_opens_where_the_noise_reads_white():
    """White noise: a low-pass nearer than the network by Stein's estimate replaces it (margin 1); an estimator's
    jitter, correlated over frames, keeps :data:`MARGIN` (the estimate, made for white noise, misreads it)."""
    clean, white = walking(n_frames=300, noise=2.0)
    rng = np.random.default_rng(3)
    jitter = np.zeros_like(clean)
    for t in range(1, len(clean)):  # AR(1) of about 3 frames, as the simulator's jitter
        jitter[t] = 0.7 * jitter[t - 1] + rng.normal(0.0, 2.0, clean.shape[1:])
    assert white_margin(white) == 1.0
    assert white_margin(clean + jitter) == MARGIN
    # a network that smooths too little: nearer than the input, farther than the best low-pass, within 1 / MARGIN of it
    network = lambda v: butterworth(v, cutoff=10.0, order=4, fps=30.0)  # noqa: E731
    out, lowpassed = lowpass_or_network(white, network)
    assert lowpassed.all()  # under MARGIN about half of them kept the network
    assert mpjpe(out, clean) < mpjpe(network(white), clean)
