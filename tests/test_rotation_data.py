"""Rotation ground truth (mocap retargeted to SMPL) and the rotation error simulator."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from synsp.data.rotation_errors import ROTATION_PRESETS, RotationErrorModel, corrupt_rotations
from synsp.metrics import accel_error, mpjpe
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle
from synsp.rotations.smpl_template import SMPL_JOINTS, smpl_positions

CLIP = "dataset-1_walk_normal_001"


@pytest.fixture(scope="module")
def smpl_clip():
    from synsp.data import smpl_mocap

    try:
        motion = smpl_mocap.load_bandai_motion(CLIP)
        return smpl_mocap, motion, smpl_mocap.load_smpl_clip(CLIP)
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")


def test_retargeted_smpl_bones_follow_the_mocap_bones(smpl_clip):
    smpl_mocap, motion, (rotations, trans) = smpl_clip
    assert rotations.shape == (motion.n_frames, 24, 3, 3) and trans.shape == (motion.n_frames, 3)
    np.testing.assert_allclose(rotations @ np.swapaxes(rotations, -1, -2),
                               np.broadcast_to(np.eye(3), rotations.shape), atol=1e-9)
    positions = smpl_positions(rotations, trans)  # mm
    mocap = motion.positions()
    for smpl, bandai, smpl_child, bandai_child in [("left_knee", "LowerLeg_L", "left_ankle", "Foot_L"),
                                                   ("right_elbow", "LowerArm_R", "right_wrist", "Hand_R"),
                                                   ("neck", "Neck", "head", "Head")]:
        a = positions[:, SMPL_JOINTS.index(smpl_child)] - positions[:, SMPL_JOINTS.index(smpl)]
        b = mocap[:, motion.names.index(bandai_child)] - mocap[:, motion.names.index(bandai)]
        cos = np.sum(a * b, -1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)
        assert cos.min() > 0.999, smpl
    # held-fixed joints keep the identity; the pelvis follows the mocap hips
    for fixed in ("spine2", "left_hand", "right_hand"):
        assert geodesic_angle(rotations[:, SMPL_JOINTS.index(fixed)], np.eye(3)).max() < 1e-6
    hips = mocap[:, motion.names.index("Hips")]
    np.testing.assert_allclose(positions[:, 0], hips, atol=1e-6)


def test_rotation_errors_are_seeded_and_scale_with_the_model():
    rng = np.random.default_rng(0)
    clean = matrix_from_axis_angle(np.cumsum(rng.normal(0, 0.02, (150, 24, 3)), axis=0))
    trans = np.zeros((150, 3))
    a, ta = corrupt_rotations(clean, trans, "3dpw-pare", rng=1)
    b, _ = corrupt_rotations(clean, trans, "3dpw-pare", rng=1)
    assert np.array_equal(a, b) and a.shape == clean.shape and ta.shape == (150, 3)
    calm = dataclasses.replace(ROTATION_PRESETS["jitter"], jitter_deg=0.5)
    small, _ = corrupt_rotations(clean, None, calm, rng=1)
    big, _ = corrupt_rotations(clean, None, "jitter", rng=1)
    assert geodesic_angle(small, clean).mean() < geodesic_angle(big, clean).mean()
    pos = lambda r: np.einsum("tjab,b->tja", r, np.ones(3))  # noqa: E731 - a point carried by each rotation
    assert accel_error(pos(small), pos(clean)) < accel_error(pos(big), pos(clean))


def test_swaps_mirror_left_and_right_and_freezes_hold():
    rng = np.random.default_rng(3)
    clean = matrix_from_axis_angle(rng.normal(0, 0.5, (60, 24, 3)))
    only_swaps = RotationErrorModel(jitter_deg=0, bias_deg=0, drift_deg=0, spike_rate=0, flip_rate=0, freeze_rate=0,
                                    swap_rate=100.0, swap_duration=(0.1, 0.2))
    noisy, _ = corrupt_rotations(clean, None, only_swaps, rng=0, pairs=((1, 2),))
    mirror = np.diag([-1.0, 1.0, 1.0])
    swapped = geodesic_angle(noisy[:, 1], mirror @ clean[:, 2] @ mirror) < 1e-6
    assert swapped.any() and (geodesic_angle(noisy[~swapped, 1], clean[~swapped, 1]) < 1e-6).all()
    only_freezes = dataclasses.replace(only_swaps, swap_rate=0.0, freeze_rate=50.0)
    frozen, _ = corrupt_rotations(clean, None, only_freezes, rng=0)
    held = geodesic_angle(frozen[1:], frozen[:-1]) < 1e-9
    assert held.any()
    assert mpjpe(frozen[..., 0], clean[..., 0]) > 0
    with pytest.raises(ValueError, match="preset"):
        corrupt_rotations(clean, None, "nope")
