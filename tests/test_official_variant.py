"""``variant = "official"`` against a transcription of the authors' forward pass.

The transcription below is written from InvertedForest/SynSP (``lib/models/Models_inf.py``
``Transformer.forward``, ``Layers.py``, ``SubLayers.py``, ``Modules.py``) in plain torch over a
dict of weights named as in the authors' state dict, so it shares no code with
``synsp.model``. Both are given the same fixed weights and must agree.
"""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from synsp.model.synsp import SynSP, SynSPConfig

D_MODEL, N_LAYERS, N_HEADS, D_K, D_INNER, WINDOW, JOINTS = 32, 2, 2, 16, 24, 8, 17
COORD = JOINTS * 3


# ---------------------------------------------------------------- the authors' weights
def official_weights(seed: int = 0) -> dict[str, torch.Tensor]:
    """Random weights under the authors' parameter names (only the ones their forward uses)."""
    g = torch.Generator().manual_seed(seed)
    w: dict[str, torch.Tensor] = {}

    def linear(name: str, n_in: int, n_out: int, bias: bool = True) -> None:
        w[f"{name}.weight"] = torch.randn(n_out, n_in, generator=g) / math.sqrt(n_in)
        if bias:
            w[f"{name}.bias"] = 0.1 * torch.randn(n_out, generator=g)

    def norm(name: str) -> None:
        w[f"{name}.weight"] = 1 + 0.1 * torch.randn(D_MODEL, generator=g)
        w[f"{name}.bias"] = 0.1 * torch.randn(D_MODEL, generator=g)

    def attention(name: str) -> None:
        for proj in ("w_qs", "w_ks", "w_vs"):
            linear(f"{name}.{proj}", D_MODEL, N_HEADS * D_K, bias=False)
        linear(f"{name}.fc", N_HEADS * D_K, D_MODEL, bias=False)
        norm(f"{name}.layer_norm")

    def ffn(name: str) -> None:
        linear(f"{name}.w_1", D_MODEL, D_INNER)
        linear(f"{name}.w_2", D_INNER, D_MODEL)
        norm(f"{name}.layer_norm")

    linear("proj_i_a.0", COORD, D_MODEL)
    linear("proj_i_a.1", D_MODEL, D_MODEL)
    for stack, attn in (("encoder_local", "slf_attn"), ("encoder_global", "slf_attn"),
                        ("decoder", "enc_attn"), ("decoder_2", "enc_attn")):
        for i in range(N_LAYERS):
            attention(f"{stack}.layer_stack.{i}.{attn}")
            ffn(f"{stack}.layer_stack.{i}.pos_ffn")
    for head in ("proj_o_p", "proj_o_a", "proj_o_2"):
        linear(f"{head}.0", D_MODEL, 2 * D_MODEL)
        linear(f"{head}.1", 2 * D_MODEL, COORD)
    return w


# ---------------------------------------------------------------- the authors' forward pass
def torch_dct_unnormalised(x: torch.Tensor) -> torch.Tensor:
    """torch_dct.dct(x) (norm=None) along the last axis, by its FFT algorithm."""
    n = x.shape[-1]
    v = torch.cat([x[..., ::2], x[..., 1::2].flip([-1])], dim=-1)
    spec = torch.fft.fft(v, dim=-1)
    k = -torch.arange(n, dtype=x.dtype) * math.pi / (2 * n)
    return 2 * (spec.real * torch.cos(k) - spec.imag * torch.sin(k))


def sinusoid_table(n_position: int, d_hid: int) -> torch.Tensor:
    table = [[pos / 10000 ** (2 * (j // 2) / d_hid) for j in range(d_hid)] for pos in range(n_position)]
    t = torch.tensor(table, dtype=torch.float64)
    t[:, 0::2], t[:, 1::2] = torch.sin(t[:, 0::2]), torch.cos(t[:, 1::2])
    return t.float()


def mha(w, name, q, kv):
    """MultiHeadAttention.forward (eval): residual + fc(attention), then LayerNorm."""
    b, lq, lk = q.shape[0], q.shape[1], kv.shape[1]
    qs = F.linear(q, w[f"{name}.w_qs.weight"]).view(b, lq, N_HEADS, D_K).transpose(1, 2)
    ks = F.linear(kv, w[f"{name}.w_ks.weight"]).view(b, lk, N_HEADS, D_K).transpose(1, 2)
    vs = F.linear(kv, w[f"{name}.w_vs.weight"]).view(b, lk, N_HEADS, D_K).transpose(1, 2)
    attn = F.softmax(torch.matmul(qs / D_K ** 0.5, ks.transpose(2, 3)), dim=-1)
    out = torch.matmul(attn, vs).transpose(1, 2).contiguous().view(b, lq, -1)
    out = F.linear(out, w[f"{name}.fc.weight"]) + q
    return F.layer_norm(out, (D_MODEL,), w[f"{name}.layer_norm.weight"], w[f"{name}.layer_norm.bias"], 1e-6)


def pos_ffn(w, name, x):
    h = F.linear(F.relu(F.linear(x, w[f"{name}.w_1.weight"], w[f"{name}.w_1.bias"])),
                 w[f"{name}.w_2.weight"], w[f"{name}.w_2.bias"]) + x
    return F.layer_norm(h, (D_MODEL,), w[f"{name}.layer_norm.weight"], w[f"{name}.layer_norm.bias"], 1e-6)


def layer(w, stack, i, x, memory):
    attn = "slf_attn" if stack.startswith("encoder") else "enc_attn"
    return pos_ffn(w, f"{stack}.layer_stack.{i}.pos_ffn", mha(w, f"{stack}.layer_stack.{i}.{attn}", x, memory))


def two_linear(w, name, x):
    return F.linear(F.linear(x, w[f"{name}.0.weight"], w[f"{name}.0.bias"]), w[f"{name}.1.weight"], w[f"{name}.1.bias"])


def similarity(s):  # s (b, p, f, c) -> (b*p, p*f, 1)
    temp_a = s.unsqueeze(1).repeat(1, s.shape[1], 1, 1, 1)
    temp_b = s.unsqueeze(2).repeat(1, 1, s.shape[1], 1, 1)
    c = torch.mean((temp_a - temp_b) ** 2, dim=-1)
    return torch.exp(-c.reshape(c.shape[0] * c.shape[1], c.shape[2] * c.shape[3], 1))


def official_forward(w, src):
    """Transformer.forward on (b, p, f, c); returns (out_p, out_a, out), the order the loss
    unpacks (the authors' multi-person branch returns (out, out_p, out_a): their bug)."""
    b, p, f, c = src.shape
    table = sinusoid_table(100, D_MODEL)
    dct_src = torch_dct_unnormalised(src.transpose(2, 3)).transpose(2, 3)
    src_em = two_linear(w, "proj_i_a", dct_src)
    local = src_em.reshape(b * p, f, D_MODEL)  # 'b p f c -> (b p) f c'
    h = local + table[:f]
    for i in range(N_LAYERS):
        h = layer(w, "encoder_local", i, h, h)
    enc_local = h
    g = src_em.reshape(b, p * f, D_MODEL) + table[:f].repeat(p, 1)
    for i in range(N_LAYERS):
        g = layer(w, "encoder_global", i, g, g)
    en_global = g.repeat_interleave(p, dim=0)  # 'b f e -> (b p) f e'
    en_world = torch.cat([enc_local, en_global + similarity(src)], dim=1)
    d = local
    for i in range(N_LAYERS):  # Decoder_two: every layer, then the last one twice more
        d = layer(w, "decoder", i, d, en_world)
    dec_out_p = layer(w, "decoder", N_LAYERS - 1, d, en_world) + local
    dec_out_a = layer(w, "decoder", N_LAYERS - 1, d, en_world) + local
    out_p = two_linear(w, "proj_o_p", dec_out_p).reshape(b, p, f, c)
    out_a = two_linear(w, "proj_o_a", dec_out_a).reshape(b, p, f, c)
    out_avg, out_dif = (out_p + out_a) / 2, (out_p - out_a) / 2
    atten = torch.exp(-(out_dif.abs() + 1e-6) / (out_dif.abs().max(dim=2, keepdim=True)[0] + 1e-5)).sum(-1) / c
    atten = atten.permute(0, 2, 1).diag_embed()  # (b, f, p, o)
    atten = atten.permute(0, 2, 3, 1).reshape(b * p, p * f, 1)  # 'b f p o -> (b p) (o f) i'
    en_world = torch.cat([dec_out_a, en_global + similarity(out_avg) + atten], dim=1)
    d = local
    for i in range(N_LAYERS):
        d = layer(w, "decoder_2", i, d, en_world)
    out = two_linear(w, "proj_o_2", d + local).reshape(b, p, f, c)
    return out_p, out_a, out


# ---------------------------------------------------------------- their names -> ours
def our_name(name: str) -> str:
    """The authors' parameter name -> the official variant's."""
    for theirs, ours in (("proj_i_a.0", "embedding.proj_in"), ("proj_i_a.1", "embedding.proj_out"),
                         ("proj_o_p.0", "base.position_head.fc_in"), ("proj_o_p.1", "base.position_head.fc_out"),
                         ("proj_o_a.0", "base.acceleration_head.fc_in"),
                         ("proj_o_a.1", "base.acceleration_head.fc_out"),
                         ("proj_o_2.0", "refinement.head.fc_in"), ("proj_o_2.1", "refinement.head.fc_out"),
                         ("encoder_local.layer_stack", "local_encoder.layers"),
                         ("encoder_global.layer_stack", "global_encoder.layers"),
                         ("decoder_2.layer_stack", "refinement.decoder.layers"),
                         ("decoder.layer_stack", "base.decoder.layers"),
                         ("slf_attn", "attn"), ("enc_attn", "cross_attn"), ("pos_ffn", "ffn"),
                         ("w_qs", "w_q"), ("w_ks", "w_k"), ("w_vs", "w_v"), (".fc.", ".w_o."),
                         ("layer_norm", "norm")):
        name = name.replace(theirs, ours)
    return name


def official_model(weights: dict[str, torch.Tensor]) -> SynSP:
    config = SynSPConfig(n_joints=JOINTS, n_coords=3, window=WINDOW, d_model=D_MODEL, n_layers=N_LAYERS,
                         n_heads=N_HEADS, d_k=D_K, d_v=D_K, d_inner=D_INNER, dropout=0.2, variant="official")
    model = SynSP(config)
    model.load_state_dict({our_name(k): v for k, v in weights.items()}, strict=True)
    return model.eval()


@pytest.mark.parametrize("views", [1, 3])
def test_official_variant_equals_the_authors_forward_pass(views):
    weights = official_weights()
    model = official_model(weights)
    x = torch.randn(5, views, WINDOW, COORD, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        ours = model(x)
        theirs = official_forward(weights, x)
    for name, a, b in zip(("position", "acceleration", "final"), ours, theirs):
        assert torch.allclose(a, b, atol=1e-5), f"{name}: max diff {(a - b).abs().max():.2e}"
    # The outputs are not trivially equal to each other or to the input.
    assert (ours.position - ours.acceleration).abs().max() > 1e-2
    assert (ours.final - x).abs().max() > 1e-2


def test_the_transcription_notices_a_changed_weight():
    """The comparison can fail: one perturbed weight of the repeated last layer shows."""
    weights = official_weights()
    model = official_model(weights)
    x = torch.randn(2, 1, WINDOW, COORD, generator=torch.Generator().manual_seed(2))
    name = f"decoder.layer_stack.{N_LAYERS - 1}.pos_ffn.w_2.bias"
    bumped = weights[name].clone()
    bumped[0] += 0.05  # one entry: LayerNorm would erase a shift of all of them
    weights = {**weights, name: bumped}
    with torch.no_grad():
        assert not torch.allclose(model(x).position, official_forward(weights, x)[0], atol=1e-5)


def test_official_variant_config():
    c = SynSPConfig(variant="official")
    assert (c.pose_residual, c.spectral_output, c.spectral_gain) == (False, False, False)
    assert SynSPConfig.from_dict(c.to_dict()) == c
    with pytest.raises(ValueError, match="variant"):
        SynSPConfig(variant="authors")
    model = SynSP(SynSPConfig(n_layers=2, d_model=32, d_k=16, d_v=16, d_inner=32, variant="official"))
    assert not hasattr(model, "spectral_gain")
    assert all(m.attn_dropout == 0.1 for m in model.modules() if hasattr(m, "attn_dropout"))
