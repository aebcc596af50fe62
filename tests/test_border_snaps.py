"""Joints an estimator clamps to the picture's edge (x = 0, y kept) for a run of frames: refined as gaps, not
cut off as another person and not left to the inversions as an exchange (audit 16, finding 4)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.estimator_errors.astray_limbs import astray_limbs
from synsp.estimator_errors.track_switches import switched_people, track_segments
from synsp.skeleton import COCO17, bone_tree

pytestmark = needs_data
SNAPPED = [COCO17.joints.index(j) for j in ("left_wrist", "right_wrist", "right_ankle")]


@pytest.fixture(scope="module")
def truth() -> np.ndarray:
    """A walk seen from the front, 1 px per mm, its body about 1000-2000 px from the left edge (T, 17, 2)."""
    from synsp.data.mocap import load_clip

    x = load_clip("dataset-1_walk_normal_001", "coco17").astype(np.float64)[:150, :, :2]
    return x - x.min(axis=(0, 1)) + 1000.0


def snapped(x: np.ndarray, frames: slice, joints: list[int]) -> np.ndarray:
    y = x.copy()
    y[frames, joints, 0] = 0.0
    return y


def test_a_few_joints_thrown_far_are_no_switch_of_people(truth):
    """Three joints 1000+ px off move the joints' mean by more than half the body, not the median joint: no cut."""
    x = snapped(truth, slice(60, 65), SNAPPED)
    assert track_segments(x, pairs=COCO17.left_right) == [slice(0, 150)]
    other = truth + np.array([3000.0, 0.0])  # another person: every joint moved
    assert switched_people(truth[60], other[61], 1000.0)


def test_both_wrists_on_the_edge_are_astray_and_an_exchange_is_not(truth):
    """Both wrists jump together but do not cross: astray. Exchanged for the same frames: left to the inversions."""
    x = snapped(truth, slice(60, 65), SNAPPED)
    found = astray_limbs(x, bone_tree(COCO17), COCO17.left_right)
    assert found[60:65, SNAPPED].all() and found.sum() == 15
    wrists = SNAPPED[:2]
    exchanged = truth.copy()
    exchanged[60:75, wrists] = truth[60:75, wrists[::-1]]
    assert not astray_limbs(exchanged, bone_tree(COCO17), COCO17.left_right)[:, wrists].any()


@pytest.mark.parametrize("run", [1, 5, 20])
def test_joints_on_the_edge_are_refined_as_gaps(truth, run):
    """Refined, the snapped values come back near the truth, as gaps filled (they stayed at x = 0: 1000+ px off;
    a 20-frame gap of a walking ankle on a 1700 px body is filled up to 79 px off)."""
    noisy = truth + np.random.default_rng(0).normal(0, 2.0, truth.shape)
    out = synsp.refine(snapped(noisy, slice(60, 60 + run), SNAPPED).astype(np.float32), "synsp", layout="coco17",
                       fps=30.0)
    assert np.linalg.norm(out[60:60 + run, SNAPPED] - truth[60:60 + run, SNAPPED], axis=-1).max() < 100.0



def test_an_elbow_and_wrist_clamped_together_for_a_frame_are_both_glitches(truth):
    """The wrist keeps its forearm on the edge (both at x = 0, the walk's forearm hanging), so its own bone test
    keeps it; to where its elbow is filled the forearm is 1000+ px long: it goes with the elbow. The same stray
    half a pixel off the elbow's edge value (no value shared: no clamp) is left to the wrist's own test."""
    from synsp.estimator_errors.glitches import glitches

    arm = [COCO17.joints.index(j) for j in ("right_elbow", "right_wrist")]
    noisy = truth + np.random.default_rng(0).normal(0, 2.0, truth.shape)
    x = snapped(noisy, slice(70, 71), arm)
    found = glitches(x, COCO17.bones)
    assert found[70, arm].all() and found.sum() == 2
    apart = x.copy()
    apart[70, arm[1], 0] = 0.5
    found = glitches(apart, COCO17.bones)
    assert found[70, arm[0]] and not found[70, arm[1]]


def test_the_plain_filters_are_cut_at_joints_thrown_far(truth):
    """A route that undoes no error cuts where a few joints are thrown far (thrown=True), as before, so that a
    filter keeps the snap out of the frames around; the networks' route does not (it fills them)."""
    small = truth / 6.0 + 800.0  # a body ~280 px tall 1000 px from the edge: the three move the mean that far
    x = snapped(small, slice(60, 65), SNAPPED)
    assert track_segments(x, thrown=True) == [slice(0, 60), slice(60, 65), slice(65, 150)]
    assert track_segments(x, pairs=COCO17.left_right) == [slice(0, 150)]
    assert track_segments(small, thrown=True) == [slice(0, 150)]
    out = synsp.refine(x.astype(np.float32), "butterworth", layout="coco17", fps=30.0)
    assert np.abs(out[:60] - small[:60]).max() < 5.0 and np.abs(out[65:] - small[65:]).max() < 5.0


@pytest.mark.parametrize("at", ["start", "end"])
def test_a_run_at_the_clips_edge_is_astray(truth, at):
    """A run with one jump (at the clip's first or last frames) is astray where its bones are far longer than any
    limb's (the wrists and ankle 1000+ px off their limbs); the walk itself has nothing taken."""
    frames = slice(0, 5) if at == "start" else slice(145, 150)
    noisy = truth + np.random.default_rng(0).normal(0, 2.0, truth.shape)
    found = astray_limbs(snapped(noisy, frames, SNAPPED), bone_tree(COCO17), COCO17.left_right)
    assert found[frames, SNAPPED].all() and found.sum() == 15
    assert not astray_limbs(noisy, bone_tree(COCO17), COCO17.left_right).any()
