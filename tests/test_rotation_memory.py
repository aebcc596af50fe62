"""The rotation network on a long motion: memory bounded, output as before."""
from __future__ import annotations

import numpy as np
import torch


class _Recording(torch.nn.Module):
    """The identity on (B, 1, F, C) windows, recording the largest batch it was given."""

    def __init__(self):
        super().__init__()
        self.largest = 0

    def forward(self, x):
        self.largest = max(self.largest, x.numel())
        return x * 1.0


def test_a_long_motion_goes_through_the_rotation_network_in_bounded_memory():
    """A 10-minute 120 fps BVH (39 joints) peaked at 4.4 GB: every window cut at once in float64, all
    outputs kept and copied, and 1024 windows of 234 channels per forward pass (SmoothNet's hidden
    layers are per channel). Now windows are cut batch by batch and merged as they come."""
    import tracemalloc

    from synsp.inference.rotation_refiner import refine_sixd
    from synsp.inference.swaa import sliding_window_average, sliding_windows

    rng = np.random.default_rng(0)
    sixd = rng.normal(size=(6000, 39, 6))
    model = _Recording()
    tracemalloc.start()
    try:
        out = refine_sixd(model, sixd, window=32, stride=4)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = sliding_window_average(sliding_windows(sixd.reshape(6000, -1).astype(np.float32), 32, 4)
                                      .astype(np.float64), 6000, 4).reshape(sixd.shape)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert peak < 3 * sixd.nbytes, peak / sixd.nbytes
    assert model.largest <= 2**16 * 32  # windows x channels x frames per forward pass
    short = refine_sixd(model, sixd[:5], window=32, stride=4)  # shorter than a window: padded by its last frame
    np.testing.assert_allclose(short, sixd[:5], atol=1e-6)
