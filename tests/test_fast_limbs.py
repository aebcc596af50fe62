"""A limb's few fast frames given back where SynSP's output departs from a light low-pass of the input: a golf swing's
strike (synsp.inference.fast_limbs, in the Refiner's last steps)."""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth
from synsp.inference.fast_limbs import fast_note, fast_shares, give_back_fast, limb_speed, strike_frames


def _strike(frames: int = 120, start: int = 50, span: int = 15) -> np.ndarray:
    """(1, T, 6, 2) px: a body 400 px tall, joints 0-3 still, joint 4 still but for a fast arc of ``span`` frames
    (half a turn of 150 px radius, eased: up to 16 px a frame, 1.2 body sizes a second), joint 5 swaying slowly."""
    t = np.arange(frames)
    poses = np.zeros((frames, 6, 2))
    poses[:, :4] = [[0.0, 400.0], [0.0, 200.0], [-50.0, 0.0], [50.0, 0.0]]
    phase = (0.5 - 0.5 * np.cos(np.pi * np.clip((t - start) / span, 0.0, 1.0))) * np.pi
    poses[:, 4] = np.stack([150 * np.cos(phase), 200 + 150 * np.sin(phase)], -1)
    poses[:, 5] = np.stack([-100 + 20 * np.sin(2 * np.pi * t / 60), 200 + 0 * t], -1)
    return poses[None]


def test_a_fast_arc_the_output_smooths_is_given_back_and_nothing_else():
    truth = _strike()
    noisy = truth + np.random.default_rng(0).normal(0.0, 1.0, truth.shape)
    noise = np.full((1, 6), np.sqrt(2.0))
    smoothed = truth.copy()
    arc = slice(45, 72)
    kernel = np.hanning(13) / np.hanning(13).sum()  # the window's prior: the arc smoothed like a gesture
    for c in range(2):
        smoothed[0, :, 4, c] = np.convolve(np.pad(truth[0, :, 4, c], 6, mode="edge"), kernel, mode="valid")
    out, shares = give_back_fast(noisy, smoothed, noise)
    assert shares[0, arc, 4].max() == 1.0  # the arc's frames, wholly
    assert not shares[0, :35, 4].any() and not shares[0, 85:, 4].any()  # not its slow frames
    assert not shares[0, :, [0, 1, 2, 3, 5]].any()  # nor the still or slow joints, which keep to the low-pass
    err = lambda y: np.linalg.norm(y[0, arc, 4] - truth[0, arc, 4], axis=-1).mean()  # noqa: E731
    assert err(out) < 0.3 * err(smoothed)  # the arc given back (but the slow part of the correction, kept)
    assert np.array_equal(out[0, :, [0, 1, 2, 3, 5]], smoothed[0, :, [0, 1, 2, 3, 5]])


def test_an_output_that_keeps_to_the_lowpass_or_a_slow_departure_is_left_as_it_is():
    truth = _strike()
    noisy = truth + np.random.default_rng(1).normal(0.0, 1.0, truth.shape)
    noise = np.full((1, 6), np.sqrt(2.0))
    kept = butterworth(noisy, cutoff=6.0, order=4, fps=30.0)
    assert not fast_shares(noisy, kept, noise).any()  # the output keeps to the low-pass: nothing to give back
    still = np.repeat(truth[:, :1], 120, axis=1)  # no limb moves fast: a departure of 10 noise widths stays
    assert not fast_shares(still + np.random.default_rng(2).normal(0.0, 1.0, still.shape), still + 10.0, noise).any()
    out, shares = give_back_fast(noisy, kept.astype(np.float32), noise)
    assert out.dtype == np.float32 and shares.shape == (1, 120, 6)


def test_a_limb_fast_all_through_the_clip_is_no_strike_and_is_left_to_the_network():
    truth = _strike()
    t = np.arange(120)
    truth[0, :, 4] = np.stack([150 * np.cos(np.pi * t / 15), 200 + 150 * np.sin(np.pi * t / 15)], -1)  # the arc's pace
    noisy = truth + np.random.default_rng(3).normal(0.0, 1.0, truth.shape)
    smoothed = butterworth(truth, cutoff=2.0, order=4, fps=30.0)  # far from the low-pass on the fast joint
    assert not strike_frames(limb_speed(noisy)).any()  # fast, but as fast as it always is: no burst
    assert not fast_shares(noisy, smoothed, np.full((1, 6), np.sqrt(2.0))).any()
    near = strike_frames(limb_speed(_strike() + np.random.default_rng(4).normal(0.0, 1.0, truth.shape)))
    assert near[0, 50:65].all() and not near[0, :30].any() and not near[0, 90:].any()  # the strike's burst, 0.5 s on


def test_the_summary_counts_each_joints_frames_over_spans():
    note = fast_note([("left_wrist", 10), ("right_wrist", 4), ("left_wrist", 5)])
    assert "19 joint values (left_wrist 15, right_wrist 4)" in note and note.startswith("fast limbs:")
