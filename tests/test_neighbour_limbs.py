"""A limb taken by a neighbouring person for many frames (its elbow and wrist, or knee and ankle, on
the matching joints of someone standing beside the subject): it is no left/right exchange, and the
joints the estimator read right keep their values (audit 4, finding 2)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.estimator_errors.inversions import inversions, limb_pairs
from synsp.skeleton import H36M17

pytestmark = needs_data
RIGHT_ARM = [H36M17.joints.index(f"right_{j}") for j in ("elbow", "wrist")]
RIGHT_LEG = [H36M17.joints.index(f"right_{j}") for j in ("knee", "ankle")]


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    from synsp.data.mocap import load_clip

    x = load_clip("dataset-1_walk_normal_001", "h36m17").astype(np.float64)
    return x - x[:, :1]  # root-relative mm


def taken(x: np.ndarray, frames: slice, joints: list[int]) -> np.ndarray:
    """``x`` with ``joints`` on a second person's (the same walk 40 frames on) 600 mm to the side."""
    y, other = x.copy(), np.roll(x, -40, axis=0)
    other[..., 0] += 600.0
    y[frames, joints] = other[frames, joints]
    return y


@pytest.mark.parametrize("limb", [RIGHT_ARM, RIGHT_LEG])  # the side the neighbour stands on: across the other
@pytest.mark.parametrize("frames", [slice(60, 85), slice(None, 20)])
def test_a_limb_on_a_neighbour_is_no_exchange_in_3d_or_2d(clip, limb, frames):
    """One side's limb on the neighbour moves alone at its jumps, its partner on its own path: the
    limb's reading (inversions._whole_limbs) exchanged the two arms for the 25 frames, and the arm
    read right took the neighbour's values; a capture running to the clip's edge (one jump) was
    exchanged by the pair's own pass."""
    x = taken(clip[:150], frames, limb)
    assert not inversions(x, H36M17.left_right, H36M17.bones, limb_pairs(H36M17)).any()
    assert not inversions(x[..., :2], H36M17.left_right, H36M17.bones, limb_pairs(H36M17)).any()

