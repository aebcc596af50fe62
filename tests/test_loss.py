"""Eq. 4 losses: acceleration along frames, branch weights, SmoothNet's loss."""
from __future__ import annotations

import pytest
import torch

from synsp.model import SynSPOutput
from synsp.training.loss import eq4_term, frame_acceleration, smoothnet_loss, synsp_loss


def test_frame_acceleration_is_second_difference_along_frames():
    s = torch.randn(2, 3, 6, 4)
    a = frame_acceleration(s)
    assert a.shape == (2, 3, 4, 4)
    for t in range(4):
        assert torch.allclose(a[:, :, t], s[:, :, t] - 2 * s[:, :, t + 1] + s[:, :, t + 2])
    assert frame_acceleration(torch.randn(1, 1, 2, 4)).shape == (1, 1, 0, 4)
    with pytest.raises(ValueError, match="s must"):
        frame_acceleration(torch.randn(5))


def test_constant_velocity_in_frames_has_no_accel_loss_even_if_views_and_joints_differ():
    """The official multi-view code took differences over the wrong axis; ours must not."""
    frames = torch.arange(8.0)[None, None, :, None]  # (1, 1, F, 1)
    views = torch.tensor([0.0, 5.0, -3.0, 40.0])[None, :, None, None]  # (1, V, 1, 1) wildly different
    joints = torch.randn(1, 1, 1, 51) * 10  # (1, 1, 1, D)
    y = views + joints + 0.7 * frames  # (1, 4, 8, 51): straight lines in time
    g = views ** 2 - joints + 0.3 * frames  # other lines, other offsets
    assert torch.allclose(frame_acceleration(y), torch.zeros(1, 4, 6, 51), atol=1e-5)
    full, pos = eq4_term(y, g, 1.0), eq4_term(y, g, 0.0)
    assert torch.allclose(full, pos, atol=1e-5) and pos > 0
    # jitter along frames does count
    y_jit = y.clone()
    y_jit[:, :, 3] += 1.0
    assert eq4_term(y_jit, g, 1.0) > eq4_term(y_jit, g, 0.0) + 0.1


def test_eq4_term_weights():
    y, g = torch.randn(2, 2, 8, 6), torch.randn(2, 2, 8, 6)
    l1 = (y - g).abs().mean()
    acc = (frame_acceleration(y) - frame_acceleration(g)).abs().mean()
    assert torch.allclose(eq4_term(y, g, 0.0), l1)
    assert torch.allclose(eq4_term(y, g, 0.5, lambda_p=2.0, lambda_a=0.1), 2.0 * l1 + 0.1 * 0.5 * acc)
    assert torch.allclose(eq4_term(y[:, :, :2], g[:, :, :2], 1.0), (y[:, :, :2] - g[:, :, :2]).abs().mean())
    with pytest.raises(ValueError, match="same shape"):
        eq4_term(y, g[:, :1], 1.0)


def test_synsp_loss_combines_branches_as_in_eq4():
    g = torch.randn(2, 1, 8, 6)
    out = SynSPOutput(*(torch.randn(2, 1, 8, 6, requires_grad=True) for _ in range(3)))
    total, parts = synsp_loss(out, g, lambda_p=1.0, lambda_a=0.1)
    kw = dict(lambda_p=1.0, lambda_a=0.1)
    want = [eq4_term(out.position, g, 0.0, **kw), eq4_term(out.acceleration, g, 1.0, **kw),
            eq4_term(out.final, g, 0.5, **kw)]
    assert torch.allclose(total, sum(want))
    assert parts == pytest.approx({"position": want[0].item(), "acceleration": want[1].item(),
                                   "final": want[2].item()})
    total.backward()
    assert all(y.grad is not None for y in out)


def test_smoothnet_loss_is_full_eq4_term():
    y, g = torch.randn(3, 1, 32, 6), torch.randn(3, 1, 32, 6)
    assert torch.allclose(smoothnet_loss(y, g, lambda_a=0.1), eq4_term(y, g, 1.0, lambda_a=0.1))
