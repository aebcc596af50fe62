"""synsp.inference.floor_up: a tilted world's vertical read from the floor a turning walk's feet stand on, so that a
turn about that vertical turns the 3D output with it; clips with no well-posed floor keep the model's +Y."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.inference import floor_up
from synsp.inference.checkpoint import load_model
from synsp.inference.floor_up import floor_normal, floor_turn


def turn(axis: str, degrees: float) -> np.ndarray:
    """(3, 3) rotation about X or Y: ``x @ R.T`` turns poses by ``degrees``."""
    a = np.deg2rad(degrees)
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) if axis == "x" else np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


TILT = turn("x", 10.0)  # a camera pitched 10 degrees: x @ TILT.T


def world_clip(name: str) -> np.ndarray:
    """A validation clip with its path through the world under `typical` errors, (T, 17, 3) float64 mm."""
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt
    from synsp.sequence import fill_gaps

    clip = load_clip(name)
    noisy = corrupt(clip, "typical", rng=np.random.default_rng(3), layout="h36m17", fps=30.0).noisy
    return np.asarray(fill_gaps(noisy)[0], np.float64)


@pytest.fixture(scope="module")
def walk():
    return world_clip("dataset-2_walk-turn-left_normal_011")


@needs_data
def test_a_turning_walk_reads_the_tilted_floor_and_a_level_one_keeps_the_axis(walk):
    for azimuth in (0.0, 127.0):
        m = TILT @ turn("y", azimuth)
        normal, spread = floor_normal(walk @ m.T, "h36m17")
        assert spread > floor_up.MIN_SPREAD
        assert np.degrees(np.arccos(normal @ m[:, 1])) < 3.0  # the true tilted vertical, within 3 degrees
        level = floor_turn((walk @ m.T)[None], "h36m17")
        assert level is not None and level.shape == (1, 3, 3)
        np.testing.assert_allclose(level[0] @ normal, [0.0, 1.0, 0.0], atol=1e-12)  # the floor's normal onto +Y
    assert floor_turn(walk[None], "h36m17") is None  # level: no turn, the output as before to the bit
    assert floor_turn((walk - walk[:, :1])[None] @ TILT.T, "h36m17") is None  # root-relative: feet move with hips


@needs_data
def test_clips_in_place_and_straight_walks_keep_the_axis():
    for name in ("dataset-1_bow_proud_001", "dataset-2_walk_normal_002"):
        x = world_clip(name) @ TILT.T
        assert floor_normal(x, "h36m17")[1] < floor_up.MIN_SPREAD  # footprints at two places, or along a line
        assert floor_turn(x[None], "h36m17") is None


@needs_data
def test_refining_a_tilted_world_turned_about_its_vertical_gives_its_result_turned(walk, monkeypatch):
    model = load_model("synsp-h36m17", device="cpu", quantize=False)  # float: int8 scales follow the numbers
    x = walk @ TILT.T
    base = model.refine(x.astype(np.float32)).astype(np.float64)
    r = TILT @ turn("y", 90.0) @ TILT.T  # 90 degrees about the tilted vertical
    out = model.refine((x @ r.T).astype(np.float32)).astype(np.float64) @ r
    assert np.linalg.norm(out - base, axis=-1).mean() < 0.05  # mm (2.18 mm on validation clips before)
    monkeypatch.setattr(floor_up, "FLOOR_UP", False)
    out = model.refine((x @ r.T).astype(np.float32)).astype(np.float64) @ r
    assert np.linalg.norm(out - base, axis=-1).mean() > 0.5  # what the floor is for
