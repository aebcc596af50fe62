"""A detector's box shaking the whole body (synsp.inference.body_shake)."""
from __future__ import annotations

import numpy as np

from synsp.inference.body_shake import SHAKE_RAMP, shake_ratio, steady_body
from walking import mpjpe, walking


def _box_jitter(x: np.ndarray, share: float, seed: int = 1) -> np.ndarray:
    """``benchmarks/robustness.py``'s detector box jitter: the whole body shifted and scaled about
    its box centre by ``share`` of its height, independently each frame."""
    rng = np.random.default_rng(seed)
    low, high = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
    centre, height = (low + high) / 2, float(np.median(high - low, axis=0).max())
    scale = 1 + rng.normal(0, share, (len(x), 1, 1))
    return centre + scale * (x - centre) + rng.normal(0, share * height, (len(x), 1, x.shape[-1]))


def test_a_whole_body_shake_is_told_from_each_joints_own_noise():
    clean, jittery = walking(120, noise=2.0)
    own = shake_ratio(jittery)  # each joint's own noise: about 1 / sqrt(16)
    assert 0.15 < own < SHAKE_RAMP[0]
    assert shake_ratio(_box_jitter(clean, 0.02)) > SHAKE_RAMP[1]
    assert shake_ratio(np.stack([jittery, _box_jitter(jittery, 0.02)])).shape == (2,)
    assert steady_body(jittery, jittery) is jittery  # no shake: nothing done


def test_the_shaken_track_is_steadied_and_the_pose_about_it_kept():
    clean, _ = walking(120, noise=0.0)
    shaken = _box_jitter(clean, 0.02)
    out = steady_body(shaken, shaken)
    # the pose about the joints' mean is the input's own
    np.testing.assert_allclose(out - out.mean(axis=1, keepdims=True), shaken - shaken.mean(axis=1, keepdims=True),
                               atol=1e-9)
    track, truth = out.mean(axis=1), clean.mean(axis=1)
    assert np.linalg.norm(track - truth, axis=-1).mean() < 0.5 * np.linalg.norm(shaken.mean(axis=1) - truth,
                                                                                 axis=-1).mean()


def test_the_refiner_steadies_a_box_shaken_body_and_leaves_jitter_as_it_was():
    """Before the step the 2D default kept much of a detector box's shake of the whole body
    (validation, first 30 clips, box jitter 2 %: 0.534 x input against SmoothNet's 0.487;
    benchmarks/RESULTS.md section 4, "A detector's box shaking the whole body")."""
    from synsp.inference.checkpoint import default_model, load_model

    refiner = load_model(default_model("synsp", "2d"))
    clean, jittery = walking(150, noise=2.0)
    shaken = _box_jitter(clean, 0.02).astype(np.float32)
    steadied, plain_jitter = refiner.refine(shaken), refiner.refine(jittery.astype(np.float32))
    refiner.shake_hz = None
    before, jitter_before = refiner.refine(shaken), refiner.refine(jittery.astype(np.float32))
    assert mpjpe(steadied, clean) < 0.85 * mpjpe(before, clean)
    np.testing.assert_array_equal(plain_jitter, jitter_before)
