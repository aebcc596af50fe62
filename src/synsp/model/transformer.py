"""Transformer parts of SynSP: attention, encoder and decoder layers, positions.

They follow the layer details of the authors' code (see ``shared/paper/notes.md``):
post-norm layers (sublayer -> dropout -> residual -> LayerNorm(eps 1e-6)), attention
projections without bias, scaled dot-product with temperature sqrt(d_k), a ReLU
feed-forward, sinusoidal positions added by encoders only, and decoder layers made of
cross-attention + feed-forward without self-attention over the queries.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

LAYER_NORM_EPS = 1e-6  # as in the authors' layers


def sinusoidal_positions(n_positions: int, d_model: int) -> Tensor:
    """Sinusoidal position table of "Attention is all you need".

    Parameters
    ----------
    n_positions : int
        Number of positions (frames).
    d_model : int
        Feature width.

    Returns
    -------
    Tensor
        ``(n_positions, d_model)``: ``sin(pos / 10000^(2i/d))`` in even columns and
        ``cos(...)`` in odd columns.
    """
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]  # (P, 1)
    i = torch.arange(d_model, dtype=torch.float64)[None, :]  # (1, d)
    angle = pos / torch.pow(10000.0, 2 * torch.div(i, 2, rounding_mode="floor") / d_model)
    table = torch.where(i.long() % 2 == 0, torch.sin(angle), torch.cos(angle))  # (P, d)
    return table.float()


class MultiHeadAttention(nn.Module):
    """Multi-head attention, post-norm: LN(query + dropout(W_o attn(q, k, v))).

    ``attn_dropout`` (on the attention weights) defaults to ``dropout``; the authors' code
    fixes it at 0.1 whatever ``dropout`` is (``variant = "official"`` does the same).
    """

    def __init__(self, d_model: int, n_heads: int, d_k: int, d_v: int, dropout: float,
                 attn_dropout: float | None = None):
        super().__init__()
        self.n_heads, self.d_k, self.d_v = n_heads, d_k, d_v
        self.w_q = nn.Linear(d_model, n_heads * d_k, bias=False)
        self.w_k = nn.Linear(d_model, n_heads * d_k, bias=False)
        self.w_v = nn.Linear(d_model, n_heads * d_v, bias=False)
        self.w_o = nn.Linear(n_heads * d_v, d_model, bias=False)
        self.attn_dropout = dropout if attn_dropout is None else attn_dropout  # on the attention weights
        self.dropout = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        n, lq, _ = query.shape  # (N, Lq, d_model)
        lk = memory.shape[1]  # memory (N, Lk, d_model)
        q = self.w_q(query).view(n, lq, self.n_heads, self.d_k).transpose(1, 2)  # (N, H, Lq, d_k)
        k = self.w_k(memory).view(n, lk, self.n_heads, self.d_k).transpose(1, 2)  # (N, H, Lk, d_k)
        v = self.w_v(memory).view(n, lk, self.n_heads, self.d_v).transpose(1, 2)  # (N, H, Lk, d_v)
        # softmax(q k^T / sqrt(d_k)) v; SDPA's default scale is exactly 1/sqrt(d_k).
        p = self.attn_dropout if self.training else 0.0
        out = F.scaled_dot_product_attention(q, k, v, dropout_p=p)  # (N, H, Lq, d_v)
        out = out.transpose(1, 2).reshape(n, lq, self.n_heads * self.d_v)  # (N, Lq, H*d_v)
        return self.norm(query + self.dropout(self.w_o(out)))  # (N, Lq, d_model)


class FeedForward(nn.Module):
    """Position-wise feed-forward, post-norm: LN(x + dropout(W_2 relu(W_1 x)))."""

    def __init__(self, d_model: int, d_inner: int, dropout: float):
        super().__init__()
        self.w_1 = nn.Linear(d_model, d_inner)
        self.w_2 = nn.Linear(d_inner, d_model)
        self.dropout = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(x + self.dropout(self.w_2(F.relu(self.w_1(x)))))  # (N, L, d_model)


class EncoderLayer(nn.Module):
    """Self-attention over the tokens, then feed-forward."""

    def __init__(self, d_model: int, n_heads: int, d_k: int, d_v: int, d_inner: int, dropout: float,
                 attn_dropout: float | None = None):
        super().__init__()
        self.attn = MultiHeadAttention(d_model, n_heads, d_k, d_v, dropout, attn_dropout)
        self.ffn = FeedForward(d_model, d_inner, dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.ffn(self.attn(x, x))  # (N, L, d_model)


class DecoderLayer(nn.Module):
    """Cross-attention from the queries to a memory, then feed-forward.

    No self-attention over the queries: each query frame reads the memory only.
    """

    def __init__(self, d_model: int, n_heads: int, d_k: int, d_v: int, d_inner: int, dropout: float,
                 attn_dropout: float | None = None):
        super().__init__()
        self.cross_attn = MultiHeadAttention(d_model, n_heads, d_k, d_v, dropout, attn_dropout)
        self.ffn = FeedForward(d_model, d_inner, dropout)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        return self.ffn(self.cross_attn(query, memory))  # (N, Lq, d_model)


class Encoder(nn.Module):
    """A stack of encoder layers on tokens carrying sinusoidal frame positions.

    ``forward(x, positions)`` takes the per-token position table so that the same
    module serves the local encoder (positions 0..F-1 for one view's frames) and the
    global encoder (positions 0..F-1 repeated for every view).
    """

    def __init__(self, n_layers: int, d_model: int, n_heads: int, d_k: int, d_v: int,
                 d_inner: int, dropout: float, attn_dropout: float | None = None):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            EncoderLayer(d_model, n_heads, d_k, d_v, d_inner, dropout, attn_dropout) for _ in range(n_layers))

    def forward(self, x: Tensor, positions: Tensor) -> Tensor:
        # x (N, L, d_model); positions (L, d_model)
        h = self.dropout(x + positions)  # (N, L, d_model)
        for layer in self.layers:
            h = layer(h)
        return h  # (N, L, d_model)


class Decoder(nn.Module):
    """A stack of decoder layers; unlike the encoders it adds no positions (as in the
    authors' code)."""

    def __init__(self, n_layers: int, d_model: int, n_heads: int, d_k: int, d_v: int,
                 d_inner: int, dropout: float, attn_dropout: float | None = None):
        super().__init__()
        self.layers = nn.ModuleList(
            DecoderLayer(d_model, n_heads, d_k, d_v, d_inner, dropout, attn_dropout) for _ in range(n_layers))

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        h = query  # (N, Lq, d_model)
        for layer in self.layers:
            h = layer(h, memory)
        return h  # (N, Lq, d_model)


def init_xavier_(module: nn.Module) -> None:
    """Xavier-uniform init of every weight matrix (dim > 1), as in the authors' code;
    biases and LayerNorm parameters keep PyTorch's defaults."""
    for p in module.parameters():
        if p.dim() > 1:
            nn.init.xavier_uniform_(p)
