"""Temporal DCT: the first step of SynSP, a type-II DCT along the frame axis.

The network sees each (view, coordinate) trajectory of a window as its cosine spectrum,
so low temporal frequencies (the smooth motion) and high ones (the jitter) are separate
input features. The authors use no inverse transform (heads map features straight back to coordinates);
``SynSPConfig.spectral_output`` chooses between that and an inverse DCT after the heads.
"""
from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def dct_matrix(n: int, *, dtype: torch.dtype = torch.float32, orthonormal: bool = True) -> Tensor:
    """Type-II DCT matrix, orthonormal (default) or unnormalised as in the authors' code.

    Parameters
    ----------
    n : int
        Signal length (frames in a window), ``n >= 1``.
    dtype : torch.dtype
        Dtype of the returned matrix.
    orthonormal : bool
        False: the unnormalised transform of ``torch_dct.dct`` (the authors' choice),
        ``M[k, t] = 2 cos(pi (2t + 1) k / (2n))``.

    Returns
    -------
    Tensor
        ``(n, n)`` matrix ``M``; ``M @ s`` is the spectrum of a signal ``s`` of length ``n``.
        Orthonormal: ``M[k, t] = s_k cos(pi (2t + 1) k / (2n))``, ``s_0 = sqrt(1/n)``,
        ``s_k = sqrt(2/n)``, and ``M.T`` is its inverse (``M @ M.T = I``), only for
        ``orthonormal=True``. Unnormalised, ``M @ M.T = diag(4n, 2n, ..., 2n)``: the inverse is
        ``M.T @ diag(1/(4n), 1/(2n), ..., 1/(2n))``.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    k = torch.arange(n, dtype=torch.float64)[:, None]  # (n, 1) frequency
    t = torch.arange(n, dtype=torch.float64)[None, :]  # (1, n) time
    m = torch.cos(math.pi * (2 * t + 1) * k / (2 * n))  # (n, n)
    if not orthonormal:
        return (2 * m).to(dtype)
    m[0] *= math.sqrt(1.0 / n)
    m[1:] *= math.sqrt(2.0 / n)
    return m.to(dtype)


class TemporalDCT(nn.Module):
    """Type-II DCT along the frame axis (dim -2) of ``(..., F, D)`` windows.

    The authors use the unnormalised DCT; the orthonormal one keeps the coefficients
    on the scale of the (normalised) input, which suits the LayerNorm'd transformer.
    The matrix is a non-persistent buffer: it follows the module's device and dtype
    and is rebuilt from the config rather than stored in checkpoints.
    """

    def __init__(self, window: int, *, orthonormal: bool = True):
        super().__init__()
        self.window = window
        m = dct_matrix(window, dtype=torch.float64, orthonormal=orthonormal)
        self.register_buffer("matrix", m.float(), persistent=False)  # (F, F)
        inverse = m.T if orthonormal else torch.linalg.inv(m)
        self.register_buffer("inverse_matrix", inverse.float(), persistent=False)  # (F, F)

    def forward(self, x: Tensor) -> Tensor:
        # x: (..., F, D) -> spectrum (..., F, D), frequency replacing frame on dim -2.
        return torch.matmul(self.matrix, x)  # (F, F) @ (..., F, D) -> (..., F, D)

    def inverse(self, spectrum: Tensor) -> Tensor:
        """Inverse transform: ``(..., F, D)`` spectrum back to ``(..., F, D)`` frames."""
        return torch.matmul(self.inverse_matrix, spectrum)
