"""SynSP network: shapes, DCT, cues, Pose Quality Encoding and its gradient barrier, overfit."""
from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.fft
import torch

from synsp.model import SynSP, SynSPConfig, SynSPOutput
from synsp.model.dct import TemporalDCT, dct_matrix
from synsp.model.quality import PoseQualityEncoding, cross_view_similarity, own_view_tokens, pose_quality
from synsp.model.synsp import OutputHead
from synsp.training.loss import synsp_loss


def tiny(**kw) -> SynSPConfig:
    base = dict(d_model=16, n_layers=2, n_heads=2, d_k=8, d_v=8, d_inner=16, dropout=0.0)
    return SynSPConfig(**{**base, **kw})


def randomize_heads_(model: SynSP) -> SynSP:
    """Non-zero output heads and gains: an untrained pose_residual model is the identity,
    which would hide any mix-up of windows, views or frames."""
    torch.manual_seed(1)
    with torch.no_grad():
        for head in (m for m in model.modules() if isinstance(m, OutputHead)):
            torch.nn.init.normal_(head.fc_out.weight, std=0.1)
        if hasattr(model, "spectral_gain"):
            model.spectral_gain.normal_(std=0.05)
    return model.eval()


@pytest.mark.parametrize("v", [1, 4])
@pytest.mark.parametrize("joints, coords", [(17, 3), (17, 2), (5, 3)])
def test_outputs_keep_each_window_and_view_in_place(v, joints, coords):
    """Shape (B, V, F, D) in and out, and every output slot belongs to its own input slot:
    a window's outputs do not depend on the other windows of the batch, and permuting the
    views permutes the outputs alike (a reshape that mixes B, V or F breaks both)."""
    torch.manual_seed(0)
    model = randomize_heads_(SynSP(tiny(n_joints=joints, n_coords=coords)))
    x = torch.randn(3, v, 8, joints * coords)
    out = model(x)
    assert isinstance(out, SynSPOutput)
    for y in out:
        assert y.shape == x.shape and y.dtype == x.dtype and torch.isfinite(y).all()
        assert (y - x).abs().max() > 1e-3  # not the identity: the checks below have teeth
    alone = model(x[1:2])
    perm = torch.arange(v).flip(0)
    permuted = model(x[:, perm])
    for y, y_alone, y_perm in zip(out, alone, permuted):
        torch.testing.assert_close(y_alone, y[1:2], atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(y_perm, y[:, perm], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("shape", [(2, 1, 8, 50), (2, 1, 7, 51), (1, 8, 51), (0, 1, 8, 51)])
def test_bad_input_shape_raises(shape):
    model = SynSP(tiny())
    with pytest.raises(ValueError, match="x must"):
        model(torch.zeros(shape))


def test_config_round_trip_and_unknown_key():
    c = tiny(n_joints=21, n_coords=2, window=16, pose_residual=False, spectral_output=False)
    assert SynSPConfig.from_dict(c.to_dict()) == c
    assert SynSPConfig() == SynSPConfig.from_dict(SynSPConfig().to_dict())
    with pytest.raises(ValueError, match="unknown"):
        SynSPConfig.from_dict({**c.to_dict(), "bogus": 1})
    with pytest.raises(ValueError, match="window"):
        SynSPConfig(window=0)


def test_state_dict_reloads_into_model_from_config():
    torch.manual_seed(0)
    a = SynSP(tiny()).eval()
    b = SynSP(SynSPConfig.from_dict(a.config.to_dict())).eval()
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 2, 8, 51)
    assert torch.equal(a(x).final, b(x).final)


def test_dct_matrix_is_orthonormal_type_ii():
    for n in (1, 8, 32):
        m = dct_matrix(n, dtype=torch.float64)
        assert torch.allclose(m @ m.T, torch.eye(n, dtype=torch.float64), atol=1e-12)
    s = np.random.default_rng(0).normal(size=(2, 3, 8, 5))
    ours = TemporalDCT(8).double()(torch.from_numpy(s)).numpy()
    assert np.allclose(ours, scipy.fft.dct(s, type=2, axis=-2, norm="ortho"))


def test_dct_inverse_round_trips():
    dct = TemporalDCT(8).double()
    s = torch.randn(2, 3, 8, 5, dtype=torch.float64)
    assert torch.allclose(dct.inverse(dct(s)), s) and torch.allclose(dct(dct.inverse(s)), s)


@pytest.mark.parametrize("spectral", [True, False])
def test_spectral_output_is_the_inverse_dct_of_the_heads(spectral):
    """With spectral output, a head that outputs a constant spectrum c at coefficient 0
    only moves every frame by c / sqrt(F); without it, the head writes frames directly."""
    model = SynSP(tiny(spectral_output=spectral)).eval()
    head = model.refinement.head
    torch.nn.init.zeros_(head.fc_out.weight)
    x = torch.randn(2, 1, 8, 51)
    bias = torch.zeros(51)
    bias[3] = 1.0
    with torch.no_grad():
        head.fc_out.bias.copy_(bias)
    delta = model(x).final - x  # (B, V, F, D): every token's head adds `bias`
    want = torch.zeros(8, 51)
    if spectral:
        want[:, 3] = dct_matrix(8).T.sum(dim=1)  # inverse DCT of the all-ones spectrum
    else:
        want[:, 3] = 1.0
    assert torch.allclose(delta, want.expand_as(delta), atol=1e-5)


def test_spectral_gain_can_remove_a_frequency():
    """gain -1 (parameter -0.1, scaled x10) at coefficient k cancels the input's k-th
    frequency in that output, whatever the input's amplitude: the LayerNorm-free path."""
    model = SynSP(tiny()).eval()  # heads start at zero: only the gain path acts
    k = 7
    with torch.no_grad():
        model.spectral_gain[2, k] = -0.1
    dct = TemporalDCT(8)
    for amplitude in (1e-3, 1.0):
        x = amplitude * torch.randn(2, 1, 8, 51)
        out = model(x)
        want = dct(x)
        want[:, :, k] = 0
        assert torch.allclose(dct(out.final), want, atol=1e-6 * amplitude + 1e-7)
        assert torch.equal(out.position, x)


def test_cross_view_similarity_by_hand():
    x = torch.randn(2, 3, 4, 6, dtype=torch.float64)
    sim = cross_view_similarity(x)  # (B, V, V*F)
    assert sim.shape == (2, 3, 12)
    for b in range(2):
        for v in range(3):
            for u in range(3):
                for f in range(4):
                    want = torch.exp(-((x[b, v, f] - x[b, u, f]) ** 2).mean())
                    assert torch.isclose(sim[b, v, u * 4 + f], want)
    assert torch.equal(cross_view_similarity(x[:, :1]), torch.ones(2, 1, 4, dtype=torch.float64))


def test_pose_quality_matches_formula_by_hand():
    rng = np.random.default_rng(1)
    p, a = rng.normal(size=(2, 3, 8, 6)), rng.normal(size=(2, 3, 8, 6))
    q = pose_quality(torch.from_numpy(p), torch.from_numpy(a)).numpy()
    want = np.zeros((2, 3, 8))
    for b in range(2):
        for v in range(3):
            d = np.abs((p[b, v] - a[b, v]) / 2) + 1e-6  # (F, D)
            scale = d.max(axis=0) + 1e-5  # (D,) max over frames
            for f in range(8):
                want[b, v, f] = np.mean(np.exp(-d[f] / scale))
    assert np.allclose(q, want)
    # agreement means top quality; the frame that disagrees most scores lowest
    p[0, 0, 5] += 10.0
    q = pose_quality(torch.from_numpy(p), torch.from_numpy(a)).numpy()
    assert q[0, 0].argmin() == 5 and np.all((q > np.exp(-1) - 1e-9) & (q <= 1))


def test_quality_sits_at_own_view_tokens_only():
    q = torch.arange(1.0, 2 * 3 * 4 + 1).reshape(2, 3, 4)  # (B, V, F), no zeros
    spread = own_view_tokens(q).reshape(2, 3, 3, 4)  # (B, V, U, F)
    for v in range(3):
        for u in range(3):
            assert torch.equal(spread[:, v, u], q[:, v] if u == v else torch.zeros(2, 4))


def test_pqe_returns_detached_cues():
    p = torch.randn(2, 3, 8, 6, requires_grad=True)
    a = torch.randn(2, 3, 8, 6, requires_grad=True)
    quality, similarity = PoseQualityEncoding()(p, a)
    assert not quality.requires_grad and not similarity.requires_grad
    assert torch.allclose(similarity, cross_view_similarity((p + a).detach() / 2))


@pytest.mark.parametrize("v", [1, 3])
def test_no_gradient_through_pqe_into_branch_heads(v):
    """The final output reaches the PB and AB *heads* only through PQE and the refreshed
    similarity cue; both are detached, so those heads get no gradient from it. The AB
    decoder layer feeds the refinement memory directly and must get one (non-vacuous)."""
    torch.manual_seed(0)
    model = SynSP(tiny())
    for head in (model.base.position.head, model.base.acceleration.head, model.refinement.head):
        torch.nn.init.xavier_uniform_(head.fc_out.weight)  # undo the zero start: live paths everywhere
    seen = {}
    model.quality.register_forward_hook(lambda m, inp, out: seen.update(inp=inp, out=out))
    out = model(torch.randn(4, v, 8, 51))
    assert all(t.requires_grad for t in seen["inp"]) and not any(t.requires_grad for t in seen["out"])
    base = model.base
    heads = list(base.position.parameters()) + list(base.acceleration.head.parameters())
    grads = torch.autograd.grad(out.final.sum(), heads, allow_unused=True, retain_graph=True)
    assert all(g is None or torch.count_nonzero(g) == 0 for g in grads)
    grads = torch.autograd.grad(out.final.sum(), list(base.acceleration.layer.parameters()))
    assert all(torch.count_nonzero(g) > 0 for g in grads)


def test_views_are_exchangeable_and_windows_independent():
    torch.manual_seed(0)
    model = SynSP(tiny()).eval()
    x = torch.randn(3, 4, 8, 51)
    perm = torch.tensor([2, 0, 3, 1])
    out, out_perm = model(x), model(x[:, perm])
    for y, y_perm in zip(out, out_perm):
        assert torch.allclose(y[:, perm], y_perm, atol=1e-5)
    assert torch.allclose(model(x[1:2]).final, out.final[1:2], atol=1e-5)


def test_eval_is_deterministic_and_train_uses_dropout():
    torch.manual_seed(0)
    model = SynSP(tiny(dropout=0.2, pose_residual=False))  # zero-start heads would hide dropout
    x = torch.randn(2, 1, 8, 51)
    model.eval()
    assert torch.equal(model(x).final, model(x).final)
    model.train()
    assert not torch.equal(model(x).final, model(x).final)


def smooth_windows(n: int, v: int, d: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    t = torch.linspace(0, 1, 8)[None, None, :, None]  # (1, 1, F, 1)
    target = torch.sin(3 * t + 6.0 * torch.rand(n, v, 1, d))  # (n, v, 8, d) smooth windows
    return target + noise * torch.randn_like(target), target


def fit(model: SynSP, noisy, target, steps: int, lr: float) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss, _ = synsp_loss(model(noisy), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def test_untrained_model_with_pose_residual_is_identity():
    x = torch.randn(2, 3, 8, 51)
    assert all(torch.equal(y, x) for y in SynSP(tiny()).eval()(x))


def test_tiny_model_overfits_a_few_windows():
    torch.manual_seed(0)
    noisy, target = smooth_windows(4, 2, 34, noise=0.1)  # 2 views, 2D
    model = SynSP(tiny(n_coords=2, d_model=32, d_k=16, d_v=16, d_inner=32))
    start = time.perf_counter()
    losses = fit(model, noisy, target, steps=300, lr=3e-3)
    assert min(losses[-10:]) < losses[0] / 10, (losses[0], losses[-10:])
    assert time.perf_counter() - start < 60  # ~5 s alone; generous for a shared 2-core machine


def test_literal_variant_of_the_notes_outputs_the_heads_frames():
    """pose_residual = spectral_output = False: each head's output is the window itself, token
    k -> frame k: no residual added, no inverse DCT, no spectral gain."""
    model = SynSP(tiny(d_model=32, d_k=16, d_v=16, d_inner=32, pose_residual=False, spectral_output=False)).eval()
    assert not hasattr(model, "spectral_gain")
    with torch.no_grad():
        for head in (model.base.position.head, model.base.acceleration.head, model.refinement.head):
            head.fc_out.weight.zero_()
            head.fc_out.bias.fill_(0.5)
    x = torch.randn(2, 1, 8, 51)
    for y in model(x):
        assert torch.equal(y, torch.full_like(x, 0.5))  # not x + 0.5, not the inverse DCT of a constant
    # The same heads in the default output path: the residual and the inverse DCT both show.
    model = SynSP(tiny(d_model=32, d_k=16, d_v=16, d_inner=32, spectral_gain=False)).eval()
    with torch.no_grad():
        for head in (model.base.position.head, model.base.acceleration.head, model.refinement.head):
            head.fc_out.bias.fill_(0.5)
    want = x + TemporalDCT(8).inverse(torch.full((8, 1), 0.5))
    for y in model(x):
        torch.testing.assert_close(y, want)


def test_final_from_branches_starts_at_the_branches_mean():
    model = randomize_heads_(SynSP(tiny(final_from="branches")))
    with torch.no_grad():
        model.refinement.head.fc_out.weight.zero_()
        model.refinement.head.fc_out.bias.zero_()
        model.spectral_gain[2].zero_()
    x = torch.randn(2, 1, 8, 51)
    p, a, final = model(x)
    assert (p - a).abs().max() > 1e-3
    torch.testing.assert_close(final, (p + a) / 2)


def test_repeated_base_stage_runs_the_branches_mean_through_a_second_copy():
    """refinement = "repeat" (supplementary Sec. 2.5): the final output is the mean of a second
    base pipeline's two branches, run on the first one's mean; the first pipeline is untouched."""
    model = randomize_heads_(SynSP(tiny(refinement="repeat")))
    assert not hasattr(model, "refinement") and model.spectral_gain.shape[0] == 5
    x = torch.randn(2, 1, 8, 51)
    p, a, final = model(x)
    second = model._base_pass((p + a) / 2, model.second, (3, 4))
    torch.testing.assert_close(final, (second.position + second.acceleration) / 2)
    with torch.no_grad():
        model.second.base.position.head.fc_out.bias.add_(0.1)
    p2, a2, final2 = model(x)
    assert torch.equal(p2, p) and torch.equal(a2, a) and not torch.allclose(final2, final)
