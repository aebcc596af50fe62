"""Training on joint rotations: 6D pairs, the forward-kinematics loss, the sequence refiner, a smoke run."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from synsp.config import Config
from synsp.inference.rotation_refiner import refine_rotation_sequence
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle, sixd_from_matrix
from synsp.rotations.smpl_template import SMPL_PARENTS, smpl_positions
from synsp.training.rotation_loss import fk_positions, rotation_loss
from synsp.training.rotation_pairs import RotationPairs, mirror_rotations, other_rest_frames


def _motion(t: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return matrix_from_axis_angle(np.cumsum(rng.normal(0, 0.03, (t, 24, 3)), axis=0) + rng.normal(0, 0.3, (1, 24, 3)))


def test_torch_forward_kinematics_matches_the_numpy_template():
    r = _motion()
    windows = torch.from_numpy(sixd_from_matrix(r).reshape(1, 1, 40, 24 * 6))
    positions = fk_positions(windows).reshape(40, 24, 3).numpy() * 1000.0
    np.testing.assert_allclose(positions, smpl_positions(r), atol=1e-6)


def test_rotation_loss_is_zero_on_the_target_and_grows_with_error():
    g = torch.from_numpy(sixd_from_matrix(_motion()).reshape(1, 1, 40, -1)).float()
    assert rotation_loss("smoothnet", g, g, lambda_p=1.0, lambda_a=1.0, lambda_fk=1.0).item() < 1e-6
    noisy = g + 0.05 * torch.randn_like(g)
    with_fk = rotation_loss("smoothnet", noisy, g, lambda_p=1.0, lambda_a=1.0, lambda_fk=1.0)
    without = rotation_loss("smoothnet", noisy, g, lambda_p=1.0, lambda_a=1.0, lambda_fk=0.0)
    assert with_fk.item() > without.item() > 0


def test_pairs_are_6d_windows_and_mirroring_twice_is_identity():
    clips = [_motion(50, 1), _motion(30, 2)]
    config = Config.from_dict({"data": {"space": "rotation", "presets": {"3dpw-pare": 1.0}, "views": 2}}).data
    noisy, clean = RotationPairs(clips, config, window=8).epoch(np.random.default_rng(0))
    assert noisy.shape == clean.shape and noisy.shape[1:] == (2, 8, 144) and noisy.dtype == np.float32
    assert np.abs(noisy - clean).mean() > 0.01
    np.testing.assert_allclose(mirror_rotations(mirror_rotations(clips[0])), clips[0], atol=1e-12)
    with pytest.raises(ValueError, match="rotation error preset"):
        RotationPairs(clips, Config.from_dict({"data": {"space": "rotation"}}).data, window=8)


def test_other_rest_frames_turn_every_joints_world_frame_by_one_constant_rotation():
    rng = np.random.default_rng(0)
    motion = matrix_from_axis_angle(rng.normal(0, 0.5, (6, 24, 3)))
    turned = other_rest_frames(motion, 25.0, np.random.default_rng(1))

    def world(local):
        out = local.copy()
        for j, parent in enumerate(SMPL_PARENTS[1:], start=1):
            out[:, j] = out[:, parent] @ local[:, j]
        return out

    offsets = np.swapaxes(world(motion), -1, -2) @ world(turned)  # G_j^T G'_j, per frame
    np.testing.assert_allclose(offsets, np.broadcast_to(offsets[:1], offsets.shape), atol=1e-12)
    angles = geodesic_angle(offsets[0], np.eye(3))  # degrees
    assert 0 < angles.max() <= 25.0 + 1e-9 and angles.std() > 0  # a turn of its own for each joint


def test_sequence_refiner_of_an_identity_network_gives_the_input_back():
    r = _motion(23)
    out = refine_rotation_sequence(torch.nn.Identity(), r, window=8, stride=3)
    assert out.shape == r.shape and geodesic_angle(out, r).max() < 1e-3
    short = refine_rotation_sequence(torch.nn.Identity(), r[:5], window=8)
    assert short.shape == (5, 24, 3, 3)


def test_a_tiny_rotation_run_trains_validates_and_checkpoints(tmp_path):
    from synsp.inference.checkpoint import load_model
    from synsp.training.train import train

    try:
        from synsp.paths import data_root

        data_root()
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")
    config = Config.from_dict({
        "model": {"kind": "synsp", "window": 8, "d_model": 16, "n_layers": 1, "n_heads": 2, "d_k": 8, "d_v": 8,
                  "d_inner": 16},
        "data": {"space": "rotation", "presets": {"3dpw-pare": 1.0}, "train_clips": 2, "val_clips": 1,
                 "windows_per_epoch": 256},
        "train": {"epochs": 1, "batch_size": 64, "threads": 1, "progress": False, "out_dir": str(tmp_path)},
    })
    lines = []
    best = train(config, log=lines.append)
    assert best.is_file() and "val MPJPE" in lines[-2] and lines[-1] == f"best checkpoint: {best}"
    history = torch.load(tmp_path / "last.pt", weights_only=True)["history"]
    assert np.isfinite(history[0]["loss"]) and 20 < history[0]["val_mpjpe"] < 200
    with pytest.raises(ValueError, match="joint rotations"):
        load_model(best)
    # an SMPL file refined by the trained network (the root by the default filter)
    from synsp.refining.files import refine_file

    poses = np.random.default_rng(4).normal(0, 0.2, (30, 72)).astype(np.float32)
    np.savez(tmp_path / "in.npz", poses=poses, trans=np.zeros((30, 3)), betas=np.zeros(10))
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="synsp", checkpoint=str(best))
    # trained on a preset with slow errors, so it learnt to remove a constant change: it runs alone
    assert torch.load(best, weights_only=True)["meta"]["learnt_slow_errors"] is True
    assert "by synsp (" in summary.notes[0] and "best.pt, the network alone)" in summary.notes[0]
    summary = refine_file(tmp_path / "in.npz", tmp_path / "kept.npz", method="synsp", checkpoint=str(best),
                          keep_convention=True)
    assert "best.pt, rest frames kept)" in summary.notes[0]
    with np.load(tmp_path / "out.npz") as out:
        assert out["poses"].shape == (30, 72) and np.isfinite(out["poses"]).all()
    with pytest.raises(ValueError, match="not smoothnet|a synsp model"):
        refine_file(tmp_path / "in.npz", tmp_path / "out2.npz", method="smoothnet", checkpoint=str(best))
    with pytest.raises(ValueError, match="space must be"):
        Config.from_dict({"data": {"space": "4d"}})
