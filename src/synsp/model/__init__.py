"""Neural refiners: SynSP (CVPR 2024) and the SmoothNet baseline (ECCV 2022).

Both take windows ``(B, V, F, D)`` of normalised poses and return the same shape.
"""
from .smoothnet import SmoothNet, SmoothNetConfig
from .synsp import SynSP, SynSPConfig, SynSPOutput

__all__ = ["SmoothNet", "SmoothNetConfig", "SynSP", "SynSPConfig", "SynSPOutput"]
