"""Rotation forms against scipy.spatial.transform.Rotation: random, near-180-degree and identity rotations."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from synsp.rotations import conversions as rot

ORDERS = ["XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"]


def _rotations(n: int = 200, seed: int = 0) -> Rotation:
    """Random rotations plus the hard cases: identity, tiny angles, 180 degrees and just below."""
    rng = np.random.default_rng(seed)
    axes = rng.normal(size=(6, 3))
    axes /= np.linalg.norm(axes, axis=1, keepdims=True)
    hard = np.concatenate([np.zeros((1, 3)), axes[:2] * 1e-9, axes[2:4] * np.pi, axes[4:] * (np.pi - 1e-7)])
    return Rotation.concatenate([Rotation.random(n, random_state=seed), Rotation.from_rotvec(hard)])


def test_matrix_quaternion_axis_angle_sixd_match_scipy():
    r = _rotations()
    m = r.as_matrix()
    q = rot.quaternion_from_matrix(m)
    ref = r.as_quat()[:, [3, 0, 1, 2]]  # scipy is scalar-last
    np.testing.assert_allclose(np.abs(np.sum(q * ref, -1)), 1.0, atol=1e-9)  # same rotation, either sign
    assert (q[:, 0] >= 0).all()
    np.testing.assert_allclose(rot.matrix_from_quaternion(ref), m, atol=1e-9)
    np.testing.assert_allclose(rot.matrix_from_axis_angle(r.as_rotvec()), m, atol=1e-9)
    back = rot.matrix_from_axis_angle(rot.axis_angle_from_matrix(m))
    np.testing.assert_allclose(back, m, atol=1e-7)
    angles = np.linalg.norm(rot.axis_angle_from_matrix(m), axis=-1)
    np.testing.assert_allclose(angles, r.magnitude(), atol=1e-7)
    np.testing.assert_allclose(rot.matrix_from_sixd(rot.sixd_from_matrix(m)), m, atol=1e-12)


def test_sixd_gram_schmidt_gives_a_rotation_from_any_six_numbers():
    d = np.random.default_rng(1).normal(size=(5, 7, 6))
    m = rot.matrix_from_sixd(d)
    np.testing.assert_allclose(m @ np.swapaxes(m, -1, -2), np.broadcast_to(np.eye(3), m.shape), atol=1e-12)
    np.testing.assert_allclose(np.linalg.det(m), 1.0, atol=1e-12)


@pytest.mark.parametrize("order", ORDERS)
def test_euler_matches_scipy_intrinsic_and_round_trips(order):
    r = _rotations(seed=2)
    m = r.as_matrix()
    angles = rot.euler_from_matrix(m, order)
    np.testing.assert_allclose(rot.matrix_from_euler(angles, order), m, atol=1e-7)
    ref = r.as_euler(order, degrees=True)
    np.testing.assert_allclose(rot.matrix_from_euler(ref, order), m, atol=1e-9)
    ok = np.abs(np.abs(ref[:, 1]) - 90) > 1e-3  # away from gimbal lock the triple is unique
    np.testing.assert_allclose(angles[ok], ref[ok], atol=1e-6)


def test_euler_near_keeps_the_input_branch():
    angles = np.array([[170.0, 20.0, -175.0], [-190.0, 10.0, 365.0], [0.0, 89.9999, 0.0]])
    for order in ORDERS:
        m = rot.matrix_from_euler(angles, order)
        np.testing.assert_allclose(rot.euler_from_matrix(m, order, near=angles), angles, atol=1e-4)
    twin = np.array([[10.0, 160.0, 10.0]])  # the same rotation as (-170, 20, -170)
    m = rot.matrix_from_euler(twin, "ZXY")
    np.testing.assert_allclose(rot.euler_from_matrix(m, "ZXY", near=twin), twin, atol=1e-9)


def test_geodesic_angle_matches_scipy_magnitude():
    a, b = _rotations(seed=3), _rotations(seed=4)
    expected = np.rad2deg((a.inv() * b).magnitude())
    np.testing.assert_allclose(rot.geodesic_angle(a.as_matrix(), b.as_matrix()), expected, atol=1e-6)
    assert rot.geodesic_angle(np.eye(3), np.eye(3)) == 0.0


def test_quaternion_continuity_removes_sign_flips():
    rng = np.random.default_rng(5)
    q = rot.quaternion_from_matrix(Rotation.from_rotvec(np.linspace(0, 6, 80)[:, None] * [0, 0, 1]).as_matrix())
    q = q[:, None] * np.where(rng.random((80, 1, 1)) < 0.5, -1, 1)  # (T, 1, 4) with random signs
    c = rot.quaternion_continuous(q)
    assert (np.sum(c[1:] * c[:-1], -1) > 0).all()
    np.testing.assert_allclose(rot.matrix_from_quaternion(c), rot.matrix_from_quaternion(q), atol=1e-12)


def test_log_exp_and_product_agree_with_scipy():
    a, b = _rotations(seed=6), _rotations(seed=7)
    qa, qb = a.as_quat()[:, [3, 0, 1, 2]], b.as_quat()[:, [3, 0, 1, 2]]
    np.testing.assert_allclose(rot.matrix_from_quaternion(rot.quaternion_multiply(qa, qb)), (a * b).as_matrix(),
                               atol=1e-9)
    np.testing.assert_allclose(rot.matrix_from_quaternion(rot.quaternion_exp(rot.quaternion_log(qa))), a.as_matrix(),
                               atol=1e-7)
    np.testing.assert_allclose(rot.matrix_from_quaternion(rot.quaternion_conjugate(qa)), a.inv().as_matrix(),
                               atol=1e-9)


def test_forward_kinematics_chains_rotations_and_offsets():
    parents = np.array([-1, 0, 1])
    local = np.broadcast_to(Rotation.from_euler("z", 90, degrees=True).as_matrix(), (2, 3, 3, 3))
    offsets = np.array([[1.0, 0, 0], [1, 0, 0], [1, 0, 0]])
    positions, orientations = rot.forward_kinematics(parents, local, offsets)
    np.testing.assert_allclose(positions[0], [[1, 0, 0], [1, 1, 0], [0, 1, 0]], atol=1e-12)
    np.testing.assert_allclose(orientations[1, 2], Rotation.from_euler("z", 270, degrees=True).as_matrix(),
                               atol=1e-12)


def test_bad_shapes_are_value_errors():
    with pytest.raises(ValueError, match="matrix"):
        rot.quaternion_from_matrix(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="order"):
        rot.matrix_from_euler(np.zeros(3), "XXY")
