"""benchmarks/drift_scale.py's coarse pass (benchmarks/RESULTS.md section 9, "Tried: 2D slow drift seen at a
coarser time scale"): a coarse correction is read at every k-th frame and interpolated back to every frame."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from walking import walking

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import drift_scale  # noqa: E402


class Shift:
    """A stand-in refiner that moves every frame by ``offset`` (J, 2) px, and counts its frames."""

    def __init__(self, offset: np.ndarray):
        self.offset, self.frames = offset, []

    def refine(self, poses: np.ndarray) -> np.ndarray:
        self.frames.append(len(poses))
        return poses + self.offset.astype(poses.dtype)


def test_upsample_is_exact_on_a_line() -> None:
    times = np.arange(1, 60, 4, dtype=np.float64)
    values = (2.0 * times - 3.0)[:, None, None] * np.ones((1, 17, 2))
    out = drift_scale.upsample(values, times, 60)
    np.testing.assert_allclose(out[1:58, 0, 0], 2.0 * np.arange(1, 58) - 3.0)
    assert out[0, 0, 0] == values[0, 0, 0] and out[-1, 0, 0] == values[-1, 0, 0]  # ends held


def test_coarse_correction_reads_every_phase_and_keeps_definitions() -> None:
    """A constant move of the coarse sequences comes back whole at every frame, each of the k phases refined once;
    its symmetric part undone (``sym``), an asymmetric move stays and a symmetric one goes; ``rep`` (less the
    network's move of its own output) leaves nothing of a move made to any poses alike."""
    clean, _ = walking(n_frames=90, noise=0.0)
    asymmetric, symmetric = np.zeros((17, 2)), np.zeros((17, 2))
    asymmetric[[9, 10], 0] = 4.0  # both wrists the same way sideways: no definition does that
    symmetric[[5, 6], 1] = 3.0  # both shoulders down (in the image)
    model = Shift(asymmetric + symmetric)
    whole = drift_scale.coarse_correction(clean, model, 3, 0.0, symmetric=False)
    assert sorted(model.frames) == [30, 30, 30]
    np.testing.assert_allclose(whole, np.broadcast_to(asymmetric + symmetric, whole.shape), atol=1e-4)
    kept = drift_scale.coarse_correction(clean, model, 3, 1.5, symmetric=True)
    np.testing.assert_allclose(kept[10:-10], np.broadcast_to(asymmetric, kept[10:-10].shape), atol=0.05)
    assert np.abs(drift_scale.coarse_correction(clean, model, 3, 1.5, False, repeat=True)).max() < 1e-4
