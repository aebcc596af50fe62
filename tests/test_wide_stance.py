"""A 3D wide stance held (knees out to the sides) gives way to SmoothNet frame by frame, as bent hips do; the legs
kept as SmoothNet keeps them, a walk keeps the network's output bit for bit (synsp.inference.wide_stance; RESULTS
section 10, "A wide stance held")."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.wide_stance import WIDE, hip_abduction, wide_shares
from synsp.refining.methods import network_model
from synsp.skeleton import get_layout

H36M = get_layout("h36m17")
CLIP = "dataset-1_walk-back_proud_001"  # a validation walk
LEGS = [2, 3, 5, 6]  # knees and ankles


def _pose(left_deg: float, right_deg: float) -> np.ndarray:
    """(1, 17, 3) mm, Y up: hips 200 mm apart, shoulders above, each thigh (450 mm) turned out to its side by the
    angle given; everything else at the origin."""
    pose = np.zeros((1, 17, 3))
    pose[0, [4, 1], 0] = [100, -100]  # left hip at +x, right at -x
    pose[0, [14, 11], 0], pose[0, [14, 11], 1] = [150, -150], 500  # shoulders
    for hip, knee, sign, deg in ((4, 5, 1, left_deg), (1, 2, -1, right_deg)):
        a = np.radians(deg)
        pose[0, knee] = pose[0, hip] + 450 * np.array([sign * np.sin(a), -np.cos(a), 0.0])
    return pose


def test_the_abduction_is_the_smaller_thighs_angle_out_to_its_side_and_the_ramp_turns_it_into_a_share():
    assert hip_abduction(_pose(0, 0), H36M)[0] == pytest.approx(0.0, abs=1e-6)
    assert hip_abduction(_pose(40, 35), H36M)[0] == pytest.approx(35.0)
    assert hip_abduction(_pose(40, -5), H36M)[0] == pytest.approx(-5.0)  # one foot out (a step aside): no stance
    unseen = _pose(40, 40)
    unseen[0, 2] = np.nan
    assert np.isnan(hip_abduction(unseen, H36M)[0])
    poses = np.concatenate([_pose(a, a) for a in (0, WIDE[0], np.mean(WIDE), WIDE[1], 50)])
    np.testing.assert_allclose(wide_shares(poses, H36M, WIDE, frames=1), [0, 0, 0.5, 1, 1], atol=1e-9)
    assert not wide_shares(poses, H36M, None).any()


@needs_data
def test_a_held_horse_stance_keeps_its_legs_as_smoothnet_does_and_a_walk_keeps_the_network():
    from synsp.data.mocap import load_clip

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    import wide_stance as bench

    walk = load_clip(CLIP, "h36m17")[:180].astype(np.float64)
    truth = bench.stance(walk, 0.55, 0.75, "out")
    noise = np.random.default_rng(0).normal(0, 8, truth.shape)
    model = network_model("synsp", 3)
    legs = lambda out: bench.error(np.asarray(out, np.float64)[:, LEGS], truth[:, LEGS])  # noqa: E731
    with_step = legs(synsp.refine(truth + noise, fps=30))
    smoothnet = legs(synsp.refine(truth + noise, "smoothnet", fps=30))
    walked = synsp.refine(walk + noise, fps=30)
    try:
        model.wide_stance = None
        without = legs(synsp.refine(truth + noise, fps=30))
        walked_without = synsp.refine(walk + noise, fps=30)
    finally:
        model.wide_stance = WIDE
    assert with_step < 0.9 * without and with_step < 1.05 * smoothnet
    assert with_step < legs(truth + noise)
    np.testing.assert_array_equal(walked, walked_without)
