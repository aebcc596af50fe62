"""One limb read twice (audit 35, finding 1): the hidden leg on the visible one is taken out; legs that cross or
stand together are not."""
from __future__ import annotations

import numpy as np

import synsp
from synsp.estimator_errors.doubled_limbs import doubled_limbs
from synsp.estimator_errors.inversions import limb_pairs
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import BANDAI22, COCO17
from walking import walking

LEFT, RIGHT = [13, 15], [14, 16]  # knee and ankle


def test_a_leg_put_on_the_other_for_12_frames_is_taken_out_and_filled():
    clean, noisy = walking(90, noise=1.0)
    x = noisy.copy()
    x[40:52, LEFT] = x[40:52, RIGHT] + np.random.default_rng(1).normal(0, 1.0, (12, 2, 2))
    marked = doubled_limbs(x, COCO17.left_right)
    expected = np.zeros_like(marked)
    expected[40:52, LEFT] = True
    np.testing.assert_array_equal(marked, expected)  # the copy, not the leg it sits on
    assert measurements(x, COCO17).astray[40:52, LEFT].all()
    error = np.linalg.norm(synsp.refine(x, fps=30, layout="coco17")[40:52, LEFT] - clean[40:52, LEFT], axis=-1)
    kept = np.linalg.norm(x[40:52, LEFT] - clean[40:52, LEFT], axis=-1)
    assert error.mean() < 0.2 * kept.mean()  # filled from the walk around it, not the other leg's values


def test_legs_crossing_or_standing_together_are_no_copy():
    _, noisy = walking(90, noise=1.0)
    rng = np.random.default_rng(2)
    crossing = noisy.copy()  # the left leg passes through the right one in 6 frames, smoothly
    ramp = np.clip((np.arange(90) - 45) / 3, -1, 1)[:, None, None] * np.array([40.0, 0.0])
    crossing[:, LEFT] = crossing[:, RIGHT] + ramp + rng.normal(0, 1.0, (90, 2, 2))
    standing = noisy.copy()  # the left leg brought 6 px beside the right one for 20 frames, and back, smoothly
    weight = np.interp(np.arange(90), [30, 40, 60, 70], [0, 1, 1, 0])[:, None, None]
    beside = standing[:, RIGHT] + np.array([6.0, 0.0]) + rng.normal(0, 1.0, (90, 2, 2))
    standing[:, LEFT] = (1 - weight) * standing[:, LEFT] + weight * beside
    for x in (crossing, standing):
        assert not doubled_limbs(x, COCO17.left_right).any()


def test_hips_and_shoulders_which_meet_in_a_side_view_are_not_read():
    hip = COCO17.joints.index("left_hip")
    x = walking(90, noise=1.0)[1]
    x[40:52, hip] = x[40:52, hip + 1] + np.random.default_rng(1).normal(0, 1.0, (12, 2))  # hips on one spot
    assert doubled_limbs(x, COCO17.left_right)[40:52, hip].all()  # the step alone reads them
    limbs = [COCO17.left_right[p] for limb in limb_pairs(COCO17) for p in limb]  # what measurements reads
    assert not doubled_limbs(x, limbs).any()  # a side view's hips really meet
    names = {BANDAI22.joints[BANDAI22.left_right[p][0]] for limb in limb_pairs(BANDAI22) for p in limb}
    assert "LowerLeg_L" in names and "UpperLeg_L" not in names and "UpperArm_L" not in names
