"""Cues SynSP adds to its memory: cross-view similarity and Pose Quality Encoding.

Both are per-token scalars broadcast over the feature width and added to the global
encoder's ``V * F`` tokens, so each view's decoder sees *which* of the other views'
frames resemble its own (similarity) and *how trustworthy* its own frames are (PQE).
Neither has parameters and neither passes gradients back (see ``PoseQualityEncoding``).
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

DIFF_EPS = 1e-6  # added to |d| (notes, step 7)
MAX_EPS = 1e-5  # added to the per-coordinate max over frames, so an all-agreeing window is finite


def cross_view_similarity(x: Tensor) -> Tensor:
    """Cross-view similarity cue (notes, step 5).

    Parameters
    ----------
    x : Tensor
        ``(B, V, F, D)`` poses in coordinate space (normalised units).

    Returns
    -------
    Tensor
        ``(B, V, V * F)``: row ``v`` holds, at token ``(u, f)``,
        ``exp(-mean_D (x[v, f] - x[u, f])^2)``; a view compared with itself gives 1,
        so with ``V = 1`` the cue is the constant 1.
    """
    b, v, f, _ = x.shape
    diff = x[:, :, None] - x[:, None, :]  # (B, V, V, F, D): view v against view u
    sim = torch.exp(-diff.pow(2).mean(dim=-1))  # (B, V, V, F)
    return sim.reshape(b, v, v * f)  # (B, V, V*F), token index u*F + f


def pose_quality(p: Tensor, a: Tensor, *, official: bool = False) -> Tensor:
    """Per-frame quality from the disagreement of the two base-stage branches.

    ``d = (p - a) / 2``; for every coordinate, ``|d|`` is scaled by its largest value over
    the window's frames; ``q[v, f] = mean_D exp(-(|d| + 1e-6) / (max_F(|d| + 1e-6) + 1e-5))``.
    High disagreement between smoothness (AB) and precision (PB) -> low quality.

    Parameters
    ----------
    p, a : Tensor
        ``(B, V, F, D)`` outputs of the Position and Acceleration Branches.
    official : bool
        The authors' epsilon placement: the max is taken over ``|d|`` without the 1e-6
        (``max_F |d| + 1e-5``); a difference of 1e-6 in the scale.

    Returns
    -------
    Tensor
        ``(B, V, F)`` quality in ``(exp(-1), 1]``; no gradient flows back to ``p``, ``a``.
    """
    diff = ((p.detach() - a.detach()) / 2).abs()  # (B, V, F, D)
    d = diff + DIFF_EPS
    scale = (diff if official else d).amax(dim=2, keepdim=True) + MAX_EPS  # (B, V, 1, D) max over frames
    return torch.exp(-d / scale).mean(dim=-1)  # (B, V, F)


def own_view_tokens(q: Tensor) -> Tensor:
    """Spread per-view values over the ``V * F`` global tokens, zero at other views.

    Parameters
    ----------
    q : Tensor
        ``(B, V, F)``.

    Returns
    -------
    Tensor
        ``(B, V, V * F)``: row ``v`` holds ``q[v, f]`` at token ``(v, f)`` and 0 elsewhere.
    """
    b, v, f = q.shape
    eye = torch.eye(v, dtype=q.dtype, device=q.device)  # (V, V)
    spread = eye[None, :, :, None] * q[:, :, None, :]  # (B, V, V, F): [b, v, u, f] = [v == u] q[b, v, f]
    return spread.reshape(b, v, v * f)  # (B, V, V*F)


class PoseQualityEncoding(nn.Module):
    """Pose Quality Encoding (PQE, notes step 7) and the refreshed similarity cue.

    Works on the *detached* base-stage outputs: the refinement stage learns to read the
    branches' disagreement, but its loss must not push the branches to agree (that
    would erase the very cue). Returns, per view, the token vectors the refinement
    stage adds to the global memory: quality at the view's own tokens and the
    similarity of the branches' averages ``(p + a) / 2`` across views.
    """

    def __init__(self, *, official: bool = False):
        super().__init__()
        self.official = official  # the authors' epsilon placement (see pose_quality)

    def forward(self, p: Tensor, a: Tensor) -> tuple[Tensor, Tensor]:
        # p, a: (B, V, F, D)
        p, a = p.detach(), a.detach()
        quality = own_view_tokens(pose_quality(p, a, official=self.official))  # (B, V, V*F)
        similarity = cross_view_similarity((p + a) / 2)  # (B, V, V*F)
        return quality, similarity
