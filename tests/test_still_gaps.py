"""A long gap in legs that stand still: a straight line between the refined frames either side
(synsp.refining.still_gaps), never the network's invented motion; moving legs, and a body that crouches
meanwhile, keep the network's fill."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.data.mocap import load_clip
from synsp.refining.still_gaps import MIN_GAP, still_gaps
from synsp.skeleton import get_layout

LEGS = [2, 3, 5, 6]  # h36m17 knees and ankles


def _holed(clip: np.ndarray, start: int, gap: int, seed: int = 0) -> np.ndarray:
    """``clip`` (T, 17, 3) mm under 8 mm of white noise, its knees and ankles NaN for ``gap`` frames."""
    x = clip + np.random.default_rng(seed).normal(0, 8, clip.shape)
    x[start:start + gap, LEGS] = np.nan
    return x


@needs_data
def test_still_legs_hidden_for_a_second_come_out_on_a_line_nearer_than_the_input_line():
    clip = load_clip("dataset-1_bye_tired_001", "h36m17").astype(np.float64)[:100]
    x = _holed(clip, 35, 30)
    y = synsp.refine(x, fps=30, layout="h36m17")
    gap = y[34:66, LEGS]
    assert np.allclose(np.diff(gap, 2, axis=0), 0, atol=1e-6)  # on the line between the refined ends
    t, seen = np.arange(100), np.isfinite(x[:, 2, 0])
    line = np.stack([np.interp(t, t[seen], x[seen, j, k]) for j in LEGS for k in range(3)], -1).reshape(100, 4, 3)
    err = np.linalg.norm(y[35:65, LEGS] - clip[35:65, LEGS], axis=-1).mean()
    assert err < np.linalg.norm(line[35:65] - clip[35:65, LEGS], axis=-1).mean()


def test_moving_legs_a_crouch_and_short_gaps_are_left_to_the_network():
    rng = np.random.default_rng(1)
    t = np.arange(100)[:, None]
    pose = rng.normal(0, 300, (17, 3))
    legs = np.repeat(pose[None], 100, 0)
    legs[:, LEGS] += 200 * np.sin(t / 5)[..., None]  # legs swinging
    missing = np.zeros((100, 17), bool)
    missing[40:70, LEGS] = True
    assert np.array_equal(still_gaps(legs, missing, get_layout("h36m17"), 30), legs)
    still = np.repeat(pose[None], 100, 0) + rng.normal(0, 2, (100, 17, 3))
    crouch = still.copy()
    crouch[40:70, [0, 1, 4]] -= 400 * np.sin(np.pi * (t[40:70] - 39) / 31)[..., None]  # the hips go down and up
    assert np.array_equal(still_gaps(crouch, missing, get_layout("h36m17"), 30), crouch)
    short = missing & (np.arange(100) < 40 + MIN_GAP - 1)[:, None]
    assert np.array_equal(still_gaps(still, short, get_layout("h36m17"), 30), still)
    lined = still_gaps(still, missing, get_layout("h36m17"), 30)  # still legs: the line
    assert np.allclose(np.diff(lined[39:71, LEGS], 2, axis=0), 0) and np.array_equal(lined[:40], still[:40])
    views = still_gaps(np.stack([still, legs]), np.stack([missing, missing]), get_layout("h36m17"), 30)
    assert np.array_equal(views[0], lined) and np.array_equal(views[1], legs)
