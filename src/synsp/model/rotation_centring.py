"""Each window of joint rotations seen about each joint's own mean rotation over the window.

A network that refines every 6D number on its own (SmoothNet) sees the numbers of whichever
rotation a joint holds, so what it learnt depends on the rest frames and poses of the rig it
was trained on. Turned to the window's mean rotation first (``M^T R(t)``), every joint of every
skeleton moves about the identity; the output is turned back (``M R'(t)``). Both turns act on
the 6D form's two columns, so they are linear and need no Gram-Schmidt in between.
"""
from __future__ import annotations

import torch
from torch import Tensor

from synsp.model.sixd import matrix_from_sixd

__all__ = ["window_mean_rotation", "turn_sixd"]


def window_mean_rotation(sixd: Tensor) -> Tensor:
    """Each joint's mean rotation over a window: (..., F, J * 6) 6D windows -> (..., J, 3, 3).

    The chordal mean: the frames' rotation matrices (by Gram-Schmidt) summed, then the nearest
    rotation to that sum (its polar factor, by SVD, the determinant kept at +1).
    """
    frames = matrix_from_sixd(sixd.unflatten(-1, (-1, 6)))  # (..., F, J, 3, 3)
    u, _, vh = torch.linalg.svd(frames.sum(dim=-4))
    sign = torch.ones_like(u[..., 0, :])
    sign[..., -1] = torch.sign(torch.det(u @ vh))
    return (u * sign[..., None, :]) @ vh


def turn_sixd(sixd: Tensor, turn: Tensor) -> Tensor:
    """``turn`` (..., J, 3, 3) applied on the left of every frame's rotation in ``sixd`` (..., F, J * 6)."""
    cols = sixd.unflatten(-1, (-1, 2, 3))  # (..., F, J, 2, 3)
    turned = torch.einsum("...jab,...fjcb->...fjca", turn, cols)
    return turned.flatten(-3)
