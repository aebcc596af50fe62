"""SmoothNet baseline (Zeng et al., ECCV 2022): a temporal-only refiner.

Every coordinate of every view is refined on its own: its length-F trajectory goes
through an MLP over time (Linear F -> hidden, residual blocks, Linear hidden -> F).
The same weights serve every joint and coordinate, which is what lets SmoothNet move
across skeletons and representations. Architecture as published (cure-lab/SmoothNet,
``lib/models/smoothnet.py``): no dropout after the first layer, LeakyReLU(0.1) there and
LeakyReLU(0.2) in the blocks, dropout after each block's linear layers, and no
input-to-output skip (the network outputs the pose itself).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from synsp.model.config_dict import ConfigDict
from synsp.model.rotation_centring import turn_sixd, window_mean_rotation


@dataclass
class SmoothNetConfig(ConfigDict):
    """Hyper-parameters of SmoothNet; defaults follow the published module."""

    window: int = 32  # frames per window (the SmoothNet paper's Human3.6M comparison)
    hidden: int = 512  # width after the first layer and between blocks
    res_hidden: int = 256  # width inside each residual block
    n_blocks: int = 3  # residual blocks
    dropout: float = 0.5  # published default (their H36M config: 0.25 with 5 blocks of 128)
    # rotation networks: each window's 6D about each joint's mean rotation over it
    # (synsp.model.rotation_centring), so that any skeleton's joints look alike
    rotation_centred: bool = False

    def __post_init__(self) -> None:
        for name in ("window", "hidden", "res_hidden"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.n_blocks < 0:
            raise ValueError(f"n_blocks must be >= 0, got {self.n_blocks}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


class ResidualBlock(nn.Module):
    """x + lrelu(drop(W_2 lrelu(drop(W_1 x)))), widths hidden -> res_hidden -> hidden."""

    def __init__(self, hidden: int, res_hidden: int, dropout: float):
        super().__init__()
        self.fc_in = nn.Linear(hidden, res_hidden)
        self.fc_out = nn.Linear(res_hidden, hidden)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h: Tensor) -> Tensor:
        r = F.leaky_relu(self.dropout(self.fc_in(h)), 0.2)  # (N, res_hidden)
        r = F.leaky_relu(self.dropout(self.fc_out(r)), 0.2)  # (N, hidden)
        return h + r


class SmoothNet(nn.Module):
    """SmoothNet: ``forward(x)`` maps ``(B, V, F, D)`` windows to ``(B, V, F, D)``."""

    def __init__(self, config: SmoothNetConfig):
        super().__init__()
        c = self.config = config
        self.encoder = nn.Linear(c.window, c.hidden)
        self.blocks = nn.Sequential(*(ResidualBlock(c.hidden, c.res_hidden, c.dropout) for _ in range(c.n_blocks)))
        self.decoder = nn.Linear(c.hidden, c.window)

    def forward(self, x: Tensor) -> Tensor:
        c = self.config
        if not isinstance(x, Tensor) or x.dim() != 4 or x.shape[2] != c.window or not x.is_floating_point():
            got = tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__
            raise ValueError(f"x must be a float tensor (B, V, {c.window}, D), got {got}")
        if c.rotation_centred:
            with torch.no_grad():
                mean = window_mean_rotation(x)  # (B, V, J, 3, 3)
            return turn_sixd(self._refine(turn_sixd(x, mean.transpose(-1, -2))), mean)
        return self._refine(x)

    def _refine(self, x: Tensor) -> Tensor:
        signals = x.transpose(-1, -2)  # (B, V, D, F): one length-F signal per (b, v, d)
        h = F.leaky_relu(self.encoder(signals), 0.1)  # (B, V, D, hidden)
        h = self.blocks(h)  # (B, V, D, hidden)
        return self.decoder(h).transpose(-1, -2)  # (B, V, F, D)
