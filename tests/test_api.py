"""The Python API as the README and the docstrings show it: one call shape for every method,
the functions the package exports, and odd arrays refused or read as the files are."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.model import NETWORKS


def _walk(t: int = 60, j: int = 17, seed: int = 0) -> np.ndarray:
    """A jittery 3D body in mm (T, J, 3): a fixed pose plus a small random walk."""
    rng = np.random.default_rng(seed)
    body = rng.normal(0, 200, (1, j, 3))
    return (body + np.cumsum(rng.normal(0, 3, (t, j, 3)), axis=0)).astype(np.float32)


@pytest.mark.parametrize("method", list(synsp.METHODS))
def test_fps_is_taken_by_every_method(method):
    """README: ``synsp.refine(noisy, "one-euro", fps=30)   # same call for every method``; a
    frame-based filter takes ``fps=`` and ignores it."""
    x = _walk()
    out = synsp.refine(x, method, fps=30)
    assert out.shape == x.shape and np.isfinite(out).all()
    if method not in ("one-euro", "butterworth", *NETWORKS):
        np.testing.assert_array_equal(out, synsp.refine(x, method))
        np.testing.assert_array_equal(synsp.METHODS[method](x, fps=30), synsp.METHODS[method](x))


def test_a_gap_limit_in_seconds_works_with_a_frame_filter():
    x = _walk()
    x[10:40, 3] = np.nan  # 30 frames: 1 s at 30 fps
    out = synsp.refine(x, "savgol", fps=30, max_gap="0.5s")
    assert np.isnan(out[10:40, 3]).all() and np.isfinite(np.delete(out, 3, axis=1)).all()
