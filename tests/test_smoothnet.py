"""SmoothNet baseline: shapes, per-coordinate temporal processing, overfit, config."""
from __future__ import annotations

import pytest
import torch

from synsp.model import SmoothNet, SmoothNetConfig
from synsp.training.loss import smoothnet_loss


@pytest.mark.parametrize("shape", [(2, 1, 32, 51), (3, 4, 32, 34), (1, 2, 32, 15)])
def test_shapes(shape):
    y = SmoothNet(SmoothNetConfig())(torch.randn(shape))
    assert y.shape == shape and torch.isfinite(y).all()


@pytest.mark.parametrize("shape", [(2, 1, 31, 51), (32, 51)])
def test_bad_input_raises(shape):
    with pytest.raises(ValueError, match="x must"):
        SmoothNet(SmoothNetConfig())(torch.randn(shape))


def test_each_coordinate_is_refined_on_its_own():
    torch.manual_seed(0)
    model = SmoothNet(SmoothNetConfig(window=8, hidden=32, res_hidden=16)).eval()
    x = torch.randn(2, 3, 8, 10)
    x2 = x.clone()
    x2[1, 2, :, 4] += 1.0
    changed = (model(x2) - model(x)).abs().amax(dim=2) > 0  # (B, V, D)
    assert changed[1, 2, 4] and changed.sum() == 1
    # the same weights serve every coordinate: swapping coordinates swaps outputs
    assert torch.allclose(model(x.flip(-1)), model(x).flip(-1))


def test_config_round_trip():
    c = SmoothNetConfig(window=16, hidden=64, res_hidden=32, n_blocks=2, dropout=0.25)
    assert SmoothNetConfig.from_dict(c.to_dict()) == c
    with pytest.raises(ValueError, match="unknown"):
        SmoothNetConfig.from_dict({"window": 8, "size": 3})


def test_overfits_a_few_windows():
    torch.manual_seed(0)
    t = torch.linspace(0, 1, 16)[None, None, :, None]
    target = torch.sin(4 * t + 6.0 * torch.rand(4, 1, 1, 12))  # (4, 1, 16, 12) smooth windows
    noisy = target + 0.1 * torch.randn_like(target)
    model = SmoothNet(SmoothNetConfig(window=16, hidden=64, res_hidden=32, dropout=0.0))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(300):
        loss = smoothnet_loss(model(noisy), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert min(losses[-10:]) < losses[0] / 10, (losses[0], losses[-10:])


def test_a_2d_point_is_refined_whatever_other_points_the_file_has():
    """The shipped 2D SmoothNet on a COCO-17 walk, alone and with eight more points inside the
    person's box (a BODY-25 file's feet, say): the COCO points come out the same."""
    import numpy as np

    from synsp.inference.checkpoint import load_model
    from walking import walking

    _, noisy = walking(n_frames=60, noise=3.0)
    extra = np.repeat(noisy[:, 15:17], 4, axis=1) + [0.0, -5.0]  # near the ankles, inside the box
    model = load_model("smoothnet-coco17", device="cpu")
    alone = model.refine(noisy.astype(np.float32))
    along = model.refine(np.concatenate([noisy, extra], axis=1).astype(np.float32))
    np.testing.assert_allclose(along[:, :17], alone, atol=1e-3)
