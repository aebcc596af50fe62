"""The loss for networks on joint rotations: Eq. 4 on the 6D form plus Eq. 4 on joint positions
after forward kinematics on the SMPL template skeleton (``[train] lambda_fk`` weighs the second).

A rotation error near the root moves every joint below it, one at a wrist only the hand: the
6D term treats all joints alike, the position term weighs each error by what it does to the
pose, as MPJPE will. Positions are root-relative, in metres.
"""
from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from synsp.model.sixd import matrix_from_sixd
from synsp.rotations.smpl_template import template
from synsp.training.loss import training_loss


def fk_positions(windows: Tensor) -> Tensor:
    """Root-relative joint positions (..., J * 3) in metres of 6D rotation windows (..., J * 6) of the SMPL tree."""
    n_joints = windows.shape[-1] // 6
    parents, offsets = template(n_joints)
    offsets = torch.as_tensor(offsets, dtype=windows.dtype, device=windows.device)
    local = matrix_from_sixd(windows.reshape(*windows.shape[:-1], n_joints, 6))
    orientation: list[Tensor] = []
    position: list[Tensor] = []
    for j, p in enumerate(parents):
        if p < 0:
            orientation.append(local[..., j, :, :])
            position.append(torch.zeros_like(local[..., j, :, 0]))
        else:
            orientation.append(orientation[p] @ local[..., j, :, :])
            position.append(position[p] + orientation[p] @ offsets[j])
    return torch.stack(position, dim=-2).reshape(*windows.shape[:-1], n_joints * 3)


def _map(out: Any, fn) -> Any:
    """``fn`` on a network's output: a tensor, or every field of a named tuple of them (SynSP's)."""
    return type(out)(*(fn(t) for t in out)) if isinstance(out, tuple) else fn(out)


def rotation_loss(kind: str, out: Any, g: Tensor, *, lambda_p: float, lambda_a: float, lambda_fk: float) -> Tensor:
    """The network ``kind``'s loss on 6D windows ``g`` (B, V, F, J * 6) plus ``lambda_fk`` times the
    same loss on their joint positions after forward kinematics."""
    loss = training_loss(kind, out, g, lambda_p=lambda_p, lambda_a=lambda_a)
    if lambda_fk:
        loss = loss + lambda_fk * training_loss(kind, _map(out, fk_positions), fk_positions(g),
                                                lambda_p=lambda_p, lambda_a=lambda_a)
    return loss


