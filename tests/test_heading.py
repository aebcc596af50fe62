"""synsp.inference.heading: a 3D clip turned about the vertical is refined as the clip itself, turned (audit 22,
finding 4: 4-5 mm per clip before), whichever axis the file calls up."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.heading import can_head, heading_turn
from synsp.inference.streaming import StreamingRefiner

Z_UP = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])  # x @ Z_UP.T: the Y-up mocap in a Z-up file


def about_y(degrees: float) -> np.ndarray:
    """(3, 3) rotation about +Y: ``x @ R.T`` turns poses by ``degrees``."""
    a = np.deg2rad(degrees)
    return np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])


@pytest.fixture(scope="module")
def clip():
    from synsp.evaluation.protocol import make_cases

    return make_cases("val", "typical", max_clips=1)[0].noisy[:90]


def test_heading_points_the_left_right_line_along_x_and_turns_with_the_input():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 200, (3, 20, 17, 3))  # (N, F, J, 3)
    x[..., [4, 11], 0] += 300  # h36m17 left hip and shoulder to +x: a body facing +z
    turn = heading_turn(x, "h36m17")
    assert turn.shape == (3, 3, 3)
    np.testing.assert_allclose(turn @ turn.swapaxes(-1, -2), np.broadcast_to(np.eye(3), turn.shape), atol=1e-12)
    for degrees in (37.0, 90.0, 200.0, -120.0):
        r = about_y(degrees)
        # the turned input's heading undoes the turn first: the same canonical window
        np.testing.assert_allclose(heading_turn(x @ r.T, "h36m17") @ r, turn, atol=1e-9)
    np.testing.assert_array_equal(heading_turn(np.full((4, 17, 3), np.nan), "h36m17"), np.eye(3))  # no line: none
    assert can_head("h36m17") and can_head("coco17")


@needs_data
@pytest.mark.parametrize("degrees", [90.0, 200.0, -37.0])
def test_refining_a_clip_turned_about_the_vertical_gives_its_result_turned(clip, degrees):
    model = load_model("synsp-h36m17", device="cpu", quantize=False)  # float: int8 scales follow the numbers
    base = model.refine(clip)
    r = about_y(degrees)
    np.testing.assert_allclose(model.refine((clip @ r.T).astype(np.float32)) @ r, base, atol=0.1)  # mm
    zup = Z_UP @ r  # the same turn in a Z-up file, about its own vertical (Z)
    np.testing.assert_allclose(model.refine((clip @ zup.T).astype(np.float32)) @ zup, base, atol=0.1)
    model.heading = False  # what the heading is for: millimetres without it
    assert np.abs(model.refine((clip @ r.T).astype(np.float32)) @ r - base).mean() > 0.5


@needs_data
def test_stream_turned_about_the_vertical_gives_its_result_turned(clip):
    model = load_model("synsp-h36m17", device="cpu", quantize=False)

    def stream(x: np.ndarray) -> np.ndarray:
        return StreamingRefiner(model).refine_all(x)

    r = about_y(130.0)
    np.testing.assert_allclose(stream((clip[:60] @ r.T).astype(np.float32)) @ r, stream(clip[:60]), atol=0.1)


@needs_data
def test_a_paced_clip_turned_by_an_odd_angle_gives_its_result_turned():
    """A fast clip is resampled to the network's pace by a monotone cubic, one coordinate at a time: done in the
    axes of the clip's own heading, so that it turns with the input too (1.8 mm off before, at 37 degrees)."""
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt

    dash = load_clip("dataset-1_dash_tired_001", "h36m17")[:150].astype(np.float64)  # a validation clip, fast
    fast = corrupt(dash - dash[:, :1], "typical", rng=0, layout="h36m17").noisy.astype(np.float32)
    model = load_model("synsp-h36m17", device="cpu", quantize=False)
    base = model.refine(fast)
    assert model.paced_fps is not None  # refined as if filmed at a lower rate: resampled
    turn = Z_UP @ about_y(37.0)
    np.testing.assert_allclose(model.refine((fast @ turn.T).astype(np.float32)) @ turn, base, atol=0.1)
