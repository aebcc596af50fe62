"""Glitches: joints that leave the body for a frame or two are marked and refined as gaps."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.glitches import glitches
from synsp.skeleton import COCO17
from walking import walking

BONES = COCO17.bones


def test_smooth_motion_has_no_glitch_even_played_fast():
    clean, noisy = walking(120, noise=2.0)
    for speed in (1, 2, 3):
        assert not glitches(clean[::speed], BONES).any()
        assert not glitches(noisy[::speed], BONES).any()


def test_one_and_two_frame_excursions_are_marked_and_nothing_else():
    clean, _ = walking(90, noise=0.0)
    x = clean.copy()
    x[30, 9] += (90.0, -60.0)  # the left wrist jumps for one frame
    x[50:52, 14] += (-120.0, 40.0)  # the right knee for two
    marked = glitches(x, BONES)
    assert set(zip(*np.nonzero(marked))) == {(30, 9), (50, 14), (51, 14)}


def test_a_whole_body_jump_keeps_its_bones_and_is_no_glitch():
    """A person shifted for a frame (a tracker's jump) keeps every bone: the track cut handles it."""
    clean, _ = walking(60, noise=0.0)
    x = clean.copy()
    x[20] += (150.0, 0.0)
    assert not glitches(x, BONES).any()


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_refine_does_not_spread_a_glitch_over_its_neighbours(method):
    clean, noisy = walking(90, noise=1.0)
    x = noisy.copy()
    x[40, 9] += (120.0, -90.0)
    refined = synsp.refine(x, method)
    around = np.linalg.norm(refined[36:45, 9] - clean[36:45, 9], axis=-1)
    assert around.max() < 12.0  # the 150 px excursion is gone, not smeared over 9 frames
