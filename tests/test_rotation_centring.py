"""Rotation windows seen about each joint's mean: a SmoothNet so built treats every rig alike."""
import numpy as np
import torch

from synsp.model.rotation_centring import turn_sixd, window_mean_rotation
from synsp.model.smoothnet import SmoothNet, SmoothNetConfig
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle, matrix_from_sixd, sixd_from_matrix


def _windows(rng, frames=8, joints=5, spread=1.0):
    """(2, 1, F, J * 6) windows of rotations, and the rotations (2, F, J, 3, 3)."""
    rotations = matrix_from_axis_angle(rng.normal(0, 1, (2, 1, joints, 3))
                                       + rng.normal(0, 0.1 * spread, (2, frames, joints, 3)))
    return torch.tensor(sixd_from_matrix(rotations).reshape(2, 1, frames, joints * 6)), rotations


def test_the_window_mean_is_a_rotation_near_every_frame_and_turning_back_is_exact():
    x, rotations = _windows(np.random.default_rng(0))
    mean = window_mean_rotation(x)  # (2, 1, 5, 3, 3)
    assert mean.shape == (2, 1, 5, 3, 3)
    np.testing.assert_allclose(torch.det(mean).numpy(), 1.0, atol=1e-9)
    np.testing.assert_allclose((mean @ mean.transpose(-1, -2)).numpy(), np.broadcast_to(np.eye(3), mean.shape),
                               atol=1e-9)
    assert geodesic_angle(rotations, mean.numpy()[:, 0, None]).max() < 25  # within the window's spread
    centred = turn_sixd(x, mean.transpose(-1, -2))
    np.testing.assert_allclose(turn_sixd(centred, mean).numpy(), x.numpy(), atol=1e-12)


def test_a_centred_smoothnet_turns_with_the_rig():
    """Another rig's rest frames turn every joint's rotation by a constant (C R): the centred
    network's output turns with it, so it refines any skeleton as it refines its own."""
    torch.manual_seed(0)
    net = SmoothNet(SmoothNetConfig(window=8, hidden=16, res_hidden=8, n_blocks=1, dropout=0.0,
                                    rotation_centred=True)).double().eval()
    rng = np.random.default_rng(1)
    x, rotations = _windows(rng)
    turn = matrix_from_axis_angle(rng.normal(0, 1.5, (5, 3)))  # per joint
    turned = torch.tensor(sixd_from_matrix(turn @ rotations).reshape(x.shape))
    out, out_turned = (matrix_from_sixd(net(w).detach().numpy().reshape(2, 8, 5, 6)) for w in (x, turned))
    np.testing.assert_allclose(out_turned, turn @ out, atol=1e-9)
    plain = SmoothNet(SmoothNetConfig(window=8, hidden=16, res_hidden=8, n_blocks=1, dropout=0.0)).double().eval()
    plain.load_state_dict(net.state_dict())
    moved = matrix_from_sixd(plain(turned).detach().numpy().reshape(2, 8, 5, 6))
    assert geodesic_angle(moved, turn @ matrix_from_sixd(plain(x).detach().numpy().reshape(2, 8, 5, 6))).mean() > 1
