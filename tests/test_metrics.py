"""Metrics: hand-computed cases, invariances of PA-MPJPE, NaN handling and validation."""
import numpy as np
import pytest

from synsp.metrics import accel_error, acceleration, mpjpe, pa_mpjpe, pck, per_joint_mpjpe, root_relative


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def test_mpjpe_hand_computed():
    gt = np.zeros((2, 2, 3))
    pred = np.array([[[3.0, 4.0, 0.0], [0.0, 0.0, 1.0]], [[0.0, 0.0, 0.0], [0.0, 6.0, 8.0]]])
    assert mpjpe(pred, gt) == pytest.approx((5 + 1 + 0 + 10) / 4)
    np.testing.assert_allclose(per_joint_mpjpe(pred, gt), [2.5, 5.5])


def test_mpjpe_accepts_views_and_ignores_nan():
    gt = np.zeros((2, 3, 1, 2))  # (V, T, J, C)
    pred = np.ones((2, 3, 1, 2)) * np.array([3.0, 4.0])
    pred[0, 0, 0, 1] = np.nan  # this joint drops out of the mean
    gt[1, 2, 0, 0] = np.nan
    assert mpjpe(pred, gt) == pytest.approx(5.0)
    assert per_joint_mpjpe(pred, gt).shape == (1,)
    assert np.isnan(mpjpe(np.full((1, 1, 3), np.nan), np.zeros((1, 1, 3))))


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(4, 17, 3\).*\(4, 16, 3\)"):
        mpjpe(np.zeros((4, 17, 3)), np.zeros((4, 16, 3)))
    with pytest.raises(ValueError, match="shape"):
        accel_error(np.zeros((17, 3)), np.zeros((17, 3)))


def test_pa_mpjpe_invariant_to_similarity_transform():
    rng = np.random.default_rng(0)
    gt = rng.normal(size=(20, 17, 3)) * 300.0
    pred = gt + rng.normal(size=gt.shape) * 20.0
    base = pa_mpjpe(pred, gt)
    rots = np.stack([random_rotation(rng) for _ in range(20)])  # a different rotation per frame
    moved = 1.7 * np.einsum("tij,tkj->tki", rots, pred) + np.array([100.0, -50.0, 2000.0])
    assert pa_mpjpe(moved, gt) == pytest.approx(base, rel=1e-9)
    assert base < mpjpe(pred, gt)
    assert pa_mpjpe(moved, gt) < mpjpe(moved, gt)
    # a transformed copy of the ground truth aligns perfectly
    assert pa_mpjpe(1.7 * gt @ rots[0].T + 5.0, gt) == pytest.approx(0.0, abs=1e-9)


def test_pa_mpjpe_never_reflects():
    rng = np.random.default_rng(1)
    gt = rng.normal(size=(5, 10, 3))
    mirrored = gt * np.array([-1.0, 1.0, 1.0])
    # A reflection would align a mirror image perfectly; a rotation cannot.
    assert pa_mpjpe(mirrored, gt) > 0.1


def test_pa_mpjpe_hand_computed_and_nan():
    gt = np.array([[[0.0, 0.0], [2.0, 0.0]]])  # 2D, two joints: always aligns exactly
    pred = np.array([[[5.0, 5.0], [5.0, 9.0]]])
    assert pa_mpjpe(pred, gt) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(2)
    gt3 = rng.normal(size=(4, 6, 3))
    pred3 = gt3 + rng.normal(size=gt3.shape) * 0.1
    pred_nan = pred3.copy()
    pred_nan[:, 5] = np.nan  # dropping a joint everywhere = scoring the other five
    assert pa_mpjpe(pred_nan, gt3) == pytest.approx(pa_mpjpe(pred3[:, :5], gt3[:, :5]))


def test_pa_mpjpe_views_match_flattened():
    rng = np.random.default_rng(3)
    gt = rng.normal(size=(2, 4, 6, 3))
    pred = gt + rng.normal(size=gt.shape) * 0.2
    assert pa_mpjpe(pred, gt) == pytest.approx(pa_mpjpe(pred.reshape(8, 6, 3), gt.reshape(8, 6, 3)))


def test_accel_error():
    t = np.arange(12.0)[:, None, None]
    velocity = np.array([1.0, -2.0, 0.5])
    moving = t * velocity + np.random.default_rng(4).normal(size=(1, 5, 3))  # (T, J, C)
    assert accel_error(moving, np.zeros_like(moving)) == pytest.approx(0.0, abs=1e-9)
    # one spike of height 3 at frame 2 of T = 5: accelerations (1, -2, 1) * 3 at t = 0, 1, 2
    pred = np.zeros((5, 1, 3))
    pred[2, 0, 0] = 3.0
    assert accel_error(pred, np.zeros_like(pred)) == pytest.approx((3 + 6 + 3) / 3)
    assert np.isnan(accel_error(np.zeros((2, 1, 3)), np.zeros((2, 1, 3))))


def test_pck_threshold_edge_and_normalize():
    gt = np.zeros((1, 3, 2))
    pred = np.array([[[3.0, 4.0], [6.0, 8.0], [0.0, 1.0]]])  # distances 5, 10, 1
    assert pck(pred, gt, 5.0) == pytest.approx(2 / 3)  # exactly on the threshold counts
    assert pck(pred, gt, np.nextafter(5.0, 0.0)) == pytest.approx(1 / 3)
    assert pck(pred, gt, 0.05, normalize=100.0) == pytest.approx(2 / 3)
    two = np.concatenate([pred, pred])  # T = 2, per-frame sizes 100 and 1000
    assert pck(two, np.zeros_like(two), 0.05, normalize=np.array([100.0, 1000.0])) == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="normalize"):
        pck(two, np.zeros_like(two), 0.05, normalize=np.ones(3))
    pred[0, 1] = np.nan
    assert pck(pred, gt, 5.0) == pytest.approx(1.0)


def test_root_relative():
    x = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    out = root_relative(x, root=1)
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_array_equal(out[:, 1], 0)
    np.testing.assert_array_equal(out[:, 0], -3)
    np.testing.assert_array_equal(root_relative(x, root=-1)[:, 2], 0)
    with pytest.raises(ValueError, match="root"):
        root_relative(x, root=3)


def test_acceleration_is_the_second_difference_norm():
    x = np.zeros((5, 2, 3))
    x[2, 1] = [3.0, 4.0, 0.0]  # one joint jumps out for one frame
    acc = acceleration(x)
    assert acc.shape == (3, 2)
    np.testing.assert_allclose(acc[:, 1], [5.0, 10.0, 5.0])
    np.testing.assert_array_equal(acc[:, 0], 0.0)
