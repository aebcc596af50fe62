"""A stream reads its limbs' drift net of their turn (marker-style joints), from the frames given back so far; a
stream whose lengths no turn explains reads as before."""
from __future__ import annotations

import numpy as np

from synsp.inference.floor import bone_drift
from synsp.inference.limb_turn import limb_drift
from synsp.inference.stream_joint_drift import RecentInputs, RunningJointDrift
from synsp.inference.stream_limb_turn import EVERY, FIRST, RunningLimbTurn
from synsp.skeleton import get_layout
from test_limb_turn import _walking_markers

H36M = get_layout("h36m17")


def _fed(x: np.ndarray, k: int = 1) -> list[np.ndarray | None]:
    """The factor after each batch of ``k`` frames of ``x`` (T, J, 3), one person."""
    recent = RecentInputs()
    turn = RunningLimbTurn(H36M, recent)
    factors = []
    for i in range(0, len(x), k):
        recent.add(x[i:i + k, None])  # the stream's floor step fills the buffer, the readings read it
        factors.append(turn.read())
    return factors


def test_markers_turning_with_the_limb_lower_the_reading_from_the_first_reading_on():
    x = _walking_markers(200)
    factors = _fed(x)
    assert all(f is None for f in factors[:FIRST - 1])
    assert factors[FIRST - 1] is not None
    last = factors[-1]
    # read on the last readings' frames as offline reads the clip: limb_drift over bone_drift
    end = FIRST + (len(x) - FIRST) // EVERY * EVERY
    np.testing.assert_allclose(last, limb_drift(x[:end], H36M) / bone_drift(x[:end], H36M))
    assert float(last[0]) < 0.2


def test_a_joint_drifting_with_time_gives_no_factor():
    x = _walking_markers(200)
    rng = np.random.default_rng(0)
    for j in (2, 5, 13, 16):  # knees and wrists drifting 0 -> 60 mm, each its own way
        way = rng.normal(size=3)
        x[:, j] += np.linspace(0, 1, len(x))[:, None] * 60 * way / np.linalg.norm(way)
    x += rng.normal(0, 15, x.shape)
    assert all(f is None for f in _fed(x, 5))


def test_the_floor_step_reads_the_turn_and_the_joints_on_one_buffer():
    from synsp.inference.floor import DRIFT_RAMP
    from synsp.inference.stream_floor import RunningFloorStep

    step = RunningFloorStep(np.full(17, 0.01), 1.0, H36M, DRIFT_RAMP)
    assert step._joints.recent is step._turn.recent
    x = _walking_markers(120)
    for t in range(0, 120, 5):  # each reading as its own, alone, gives it
        inputs, later = x[t:t + 5, None], x[t + 5:t + 8, None]
        step(inputs + 1.0, inputs, later + 1.0, later)
    alone = RecentInputs()
    joints = RunningJointDrift(H36M, alone)
    for t in range(0, 120, 5):
        alone.add(x[t:t + 5, None])
        own = joints.read()
    assert step._turned is not None and own is not None
    np.testing.assert_array_equal(step._turned, _fed(x, 5)[-1])
    np.testing.assert_array_equal(step._own, own)
    assert step._recent.count == 120 and len(step._recent.frames) == 120
