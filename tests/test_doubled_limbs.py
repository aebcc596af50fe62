"""One limb read twice (audit 35, finding 1): the hidden leg on the visible one is taken out; legs that cross or
stand together are not."""
from __future__ import annotations

import numpy as np

import synsp
from synsp.estimator_errors.doubled_limbs import _misses, _side_breaks, doubled_limbs
from synsp.estimator_errors.inversions import limb_pairs
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import BANDAI22, COCO17, bone_tree
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


def _beside(x: np.ndarray, weight: np.ndarray, gap: float, seed: int) -> np.ndarray:
    """``x`` (T, 17, 2) with the left knee and ankle moved by ``weight`` (T,) to ``gap`` px beside the right ones."""
    near = x[:, RIGHT] + np.array([gap, 0.0]) + np.random.default_rng(seed).normal(0, 1.0, x[:, RIGHT].shape)
    y = x.copy()
    y[:, LEFT] = (1 - weight[:, None, None]) * x[:, LEFT] + weight[:, None, None] * near
    return y


def test_a_copy_at_the_clips_edge_is_taken_out():
    x = walking(90, noise=1.0)[1]
    rng = np.random.default_rng(3)
    for label, run in {"first frames": slice(0, 12), "last frames": slice(78, 90)}.items():
        copied = x.copy()
        copied[run, LEFT] = copied[run, RIGHT] + rng.normal(0, 1.0, (run.stop - run.start, 2, 2))
        marked = doubled_limbs(copied, COCO17.left_right, bone_tree(COCO17))  # the ankle with its knee
        expected = np.zeros_like(marked)
        expected[run, LEFT] = True
        np.testing.assert_array_equal(marked, expected, err_msg=label)


def test_a_copy_begun_with_the_legs_together_is_taken_out_up_to_held_frames():
    x = _beside(walking(90, noise=1.0)[1], np.interp(np.arange(90), [20, 30, 70, 80], [0, 1, 1, 0]), 8.0, 4)
    for frames, taken in ((8, True), (12, False)):  # 8 px from the truth: a fill over 12 frames misses by more
        copied, run = x.copy(), slice(52, 52 + frames)
        copied[run, LEFT] = copied[run, RIGHT] + np.random.default_rng(3).normal(0, 1.0, (frames, 2, 2))
        marked = doubled_limbs(copied, COCO17.left_right, bone_tree(COCO17))
        expected = np.zeros_like(marked)
        expected[run, LEFT] = taken
        np.testing.assert_array_equal(marked, expected, err_msg=f"{frames} frames")


def test_legs_together_a_whole_clip_or_at_its_edge_and_a_side_walk_are_no_copy():
    x = walking(90, noise=1.0)[1]
    frames = np.arange(90)
    walk = x.copy()  # a side view: the legs pass each other every 15 frames
    walk[:, LEFT] = (walk[:, RIGHT] + np.sin(2 * np.pi * frames / 30)[:, None, None] * np.array([24.0, 0.0])
                     + np.random.default_rng(5).normal(0, 1.0, (90, 2, 2)))
    controls = {"side walk": walk}
    for gap in (2.0, 6.0):
        controls[f"together {gap}"] = _beside(x, np.ones(90), gap, 6)
        controls[f"feet start {gap}"] = _beside(x, np.interp(frames, [0, 15, 25], [1, 1, 0]), gap, 7)
        controls[f"feet end {gap}"] = _beside(x, np.interp(frames, [64, 74, 89], [0, 1, 1]), gap, 8)
    for label, poses in controls.items():
        assert not doubled_limbs(poses, COCO17.left_right).any(), label


def test_a_runs_break_off_course_is_not_read_past_the_clips_edge():
    track = np.arange(20.0)[:, None] * np.array([1.0, 0.0])  # a straight course
    track[-1] = [500.0, 0.0]  # the last frame far off: frame 1's "two frames before" must not wrap round to it
    for start, stop in ((1, 6), (0, 6)):
        np.testing.assert_array_equal(np.isnan(_misses(track, start, stop)), [True, False])
        assert np.isnan(_side_breaks(track, start, stop)[0]).all()  # no side to read there
    assert _misses(track, 2, 6)[0] == 0.0 and np.isnan(_misses(track[:-1], 2, 18)[1])


def test_a_copys_neighbour_already_closing_in_on_its_partner_goes_with_it():
    x = walking(90, noise=1.0)[1]
    weight = np.interp(np.arange(90), [68, 76], [0, 1])[:, None]
    x[:, 13] = (1 - weight) * x[:, 13] + weight * (x[:, 14] + np.array([2.0, 0.0]))  # the knee beside its partner
    x[78:, LEFT] = x[78:, RIGHT] + np.random.default_rng(1).normal(0, 1.0, (12, 2, 2))  # then the leg read twice
    marked = doubled_limbs(x, COCO17.left_right, bone_tree(COCO17))  # the knee's own run began before the ankle's
    expected = np.zeros_like(marked)
    expected[78:, LEFT] = True
    np.testing.assert_array_equal(marked, expected)
