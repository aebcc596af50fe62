"""Training losses: the paper's Eq. 4 for SynSP's three outputs, and SmoothNet's.

``L(y, k) = lambda_p * L1(y, g) + lambda_a * k * L1(accel(y), accel(g))`` with the
acceleration taken along the frame axis. SynSP: ``L(PB, 0) + L(AB, 1) + L(final, 0.5)``
(the position branch learns precision only, the acceleration branch adds smoothness,
the final output balances both). SmoothNet: ``L(y, 1)``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import torch
from torch import Tensor

if TYPE_CHECKING:  # keep `import synsp.training.loss` free of the model modules
    from synsp.model.synsp import SynSPOutput

FRAME_AXIS = -2  # windows are (B, V, F, D): frames are the second-to-last axis
# k of each SynSP output in Eq. 4: the position branch learns precision only, the acceleration
# branch adds smoothness, the final output balances both.
SYNSP_ACCEL_WEIGHTS = {"position": 0.0, "acceleration": 1.0, "final": 0.5}


def frame_acceleration(s: Tensor) -> Tensor:
    """Second difference along frames: ``a[t] = s[t] - 2 s[t+1] + s[t+2]``.

    Parameters
    ----------
    s : Tensor
        ``(..., F, D)`` windows (e.g. ``(B, V, F, D)``), any units.

    Returns
    -------
    Tensor
        ``(..., F - 2, D)`` accelerations in units per frame^2 (empty if F < 3).
    """
    if s.dim() < 2:
        raise ValueError(f"s must have shape (..., F, D), got {tuple(s.shape)}")
    return s[..., :-2, :] - 2 * s[..., 1:-1, :] + s[..., 2:, :]


def eq4_term(y: Tensor, g: Tensor, k: float, *, lambda_p: float = 1.0, lambda_a: float = 1.0) -> Tensor:
    """One term of Eq. 4: ``lambda_p * L1(y, g) + lambda_a * k * L1(accel(y), accel(g))``.

    Parameters
    ----------
    y, g : Tensor
        ``(B, V, F, D)`` prediction and ground truth (normalised units).
    k : float
        Weight of the acceleration part for this output (0 = positions only).
    lambda_p, lambda_a : float
        Position and acceleration weights (paper: 1 and 1; 0.1 for acceleration on
        AIST++ and 2D).

    Returns
    -------
    Tensor
        Scalar loss; L1 is the mean absolute error over all elements. With fewer than
        3 frames the acceleration part is 0.
    """
    if y.shape != g.shape or y.dim() < 2:
        raise ValueError(f"y and g must have the same shape (..., F, D), got {tuple(y.shape)} and {tuple(g.shape)}")
    loss = lambda_p * (y - g).abs().mean()
    if k != 0 and lambda_a != 0 and y.shape[FRAME_AXIS] >= 3:
        loss = loss + lambda_a * k * (frame_acceleration(y) - frame_acceleration(g)).abs().mean()
    return loss


def synsp_loss(out: "SynSPOutput", g: Tensor, *, lambda_p: float = 1.0,
               lambda_a: float = 1.0) -> tuple[Tensor, dict[str, float]]:
    """SynSP's training loss ``L(PB, 0) + L(AB, 1) + L(final, 0.5)``.

    Parameters
    ----------
    out : SynSPOutput
        Model outputs, each ``(B, V, F, D)``.
    g : Tensor
        ``(B, V, F, D)`` ground truth.
    lambda_p, lambda_a : float
        Eq. 4 weights.

    Returns
    -------
    total : Tensor
        Scalar to back-propagate.
    parts : dict[str, float]
        ``"position"``, ``"acceleration"``, ``"final"``: each output's term, for logging.
    """
    kw = dict(lambda_p=lambda_p, lambda_a=lambda_a)
    terms = {name: eq4_term(getattr(out, name), g, k, **kw) for name, k in SYNSP_ACCEL_WEIGHTS.items()}
    total = torch.stack(list(terms.values())).sum()
    return total, {name: float(t.detach()) for name, t in terms.items()}


def smoothnet_loss(y: Tensor, g: Tensor, *, lambda_p: float = 1.0, lambda_a: float = 1.0) -> Tensor:
    """SmoothNet's loss ``L(y, 1)``: positions plus accelerations, both L1.

    Parameters
    ----------
    y, g : Tensor
        ``(B, V, F, D)`` prediction and ground truth.
    lambda_p, lambda_a : float
        Eq. 4 weights (SmoothNet's published configs: 1 and 0.1).

    Returns
    -------
    Tensor
        Scalar loss.
    """
    return eq4_term(y, g, 1.0, lambda_p=lambda_p, lambda_a=lambda_a)


def _synsp_total(out: "SynSPOutput", g: Tensor, **weights: float) -> Tensor:
    return synsp_loss(out, g, **weights)[0]


# The training loss of each network kind (synsp.model.NETWORKS): f(output, target, *,
# lambda_p, lambda_a) -> scalar Tensor.
LOSSES: dict[str, Callable[..., Tensor]] = {"synsp": _synsp_total, "smoothnet": smoothnet_loss}


def training_loss(kind: str, out: Any, g: Tensor, *, lambda_p: float, lambda_a: float) -> Tensor:
    """The loss of network ``kind`` (a key of :data:`LOSSES`) on one batch."""
    if kind not in LOSSES:
        raise ValueError(f"no training loss for network kind {kind!r}; add one to synsp.training.loss.LOSSES")
    return LOSSES[kind](out, g, lambda_p=lambda_p, lambda_a=lambda_a)
