"""The continuous 6D form of rotations (Zhou et al. 2019) in torch, for the networks and losses
on joint rotations; :func:`synsp.rotations.conversions.matrix_from_sixd` is the NumPy twin."""
from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["matrix_from_sixd"]


def matrix_from_sixd(d: Tensor) -> Tensor:
    """Rotation matrices (..., 3, 3) from 6D vectors (..., 6), the first two columns, by Gram-Schmidt."""
    a = torch.nn.functional.normalize(d[..., :3], dim=-1, eps=1e-8)
    b = d[..., 3:] - (a * d[..., 3:]).sum(-1, keepdim=True) * a
    b = torch.nn.functional.normalize(b, dim=-1, eps=1e-8)
    return torch.stack([a, b, torch.cross(a, b, dim=-1)], dim=-1)
