"""Warm-starting a SynSP network at another window length (``train.init_from`` of a checkpoint
whose model differs only in ``window``).

Every SynSP weight is window-independent (tokens are the window's DCT coefficients, positions
are sinusoidal and rebuilt from the config) except ``spectral_gain`` (outputs, window, D): a
learnt multiple of the input's own spectrum per DCT coefficient. Coefficient k of an F-frame
window is the frequency k / (2F) cycles per frame, so the gain is resampled along that axis by
frequency: the new network starts with the same linear filter of each frequency as the old one.
Zero (the untrained gain) would not do: the heads learnt their corrections next to this gain,
and without it the warm start would lose the jitter cut the gain carries.
"""
from __future__ import annotations

import torch
from torch import Tensor

GAIN_KEY = "spectral_gain"


def resample_spectral_gain(gain: Tensor, window: int) -> Tensor:
    """``gain`` (outputs, F, D) read at the frequencies of a ``window``-frame window's DCT
    coefficients: ``(outputs, window, D)``, linear between the old coefficients, the last one
    held above the old window's highest frequency (shorter -> longer), or sampled (longer -> shorter)."""
    if gain.dim() != 3 or window < 1:
        raise ValueError(f"spectral_gain must be (outputs, F, D) and window >= 1, got {tuple(gain.shape)}, {window}")
    old = gain.shape[1]
    at = torch.arange(window, dtype=torch.float64) * old / window  # coefficient k' sits at k' F / W of the old
    at = at.clamp(max=old - 1)
    low = at.floor().long()
    high = (low + 1).clamp(max=old - 1)
    share = (at - low).to(gain.dtype)[None, :, None]
    return gain[:, low] * (1 - share) + gain[:, high] * share


def other_window_state(state: dict[str, Tensor], window: int) -> dict[str, Tensor]:
    """A SynSP state dict with its ``spectral_gain`` resampled to ``window`` frames; every other
    tensor as it is (the same object)."""
    return {key: resample_spectral_gain(value, window) if key == GAIN_KEY else value for key, value in state.items()}
