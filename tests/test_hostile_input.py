"""Hostile input to the public API and the CLI (QA pass): each case either refines to the
documented shape and dtype or fails with a one-line synsp error naming the problem, never a
bare traceback, a hang or an out-of-memory crash."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.errors import FormatError, OptionError
from synsp.formats import read_poses


def _walk(t: int = 40, j: int = 17, seed: int = 0) -> np.ndarray:
    """A jittery 3D body in mm (T, J, 3): a fixed pose plus a small random walk."""
    rng = np.random.default_rng(seed)
    body = rng.normal(0, 200, (1, j, 3))
    return (body + np.cumsum(rng.normal(0, 3, (t, j, 3)), axis=0)).astype(np.float32)


@pytest.mark.parametrize("fps", [1e-9, 1e-3, 1e7])
@pytest.mark.parametrize("method", ["synsp", "one-euro"])
def test_an_absurd_frame_rate_is_refused_not_resampled(method, fps):
    """fps=1e-9 made the networks resample 40 frames onto a 30 fps grid of 1.3e12 frames
    (MemoryError, 13.8 TiB) and fps=1e9 loop over 33 million phase grids (a hang): no pose
    footage is shot below 0.1 fps or above 100,000 fps."""
    with pytest.raises(OptionError, match="fps"):
        synsp.refine(_walk(), method, fps=fps)


def test_an_absurd_frame_rate_in_a_file_is_refused(tmp_path):
    path = tmp_path / "fast.npz"
    np.savez(path, poses=_walk(), fps=1e9)
    with pytest.raises(FormatError, match="frame rate"):
        read_poses(path)
    assert read_poses(path, fps=30).fps == 30.0  # --fps overrides it, as for 0 or NaN


def test_the_model_refuses_an_absurd_frame_rate_too():
    model = synsp.load_model("synsp-h36m17")
    with pytest.raises(OptionError, match="fps"):
        model.refine(_walk(), fps=1e-9)
