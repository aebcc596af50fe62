"""A joint an estimator left on an object (a table's edge, a bat) while its limb moved on is taken out and filled;
real stillness (a planted foot, a body standing still, a hand resting) is kept (audit 35, finding 2)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.pinned_joints import pinned_joints
from synsp.sequence import body_size
from synsp.skeleton import H36M17, bone_tree

pytestmark = needs_data
WRIST, ELBOW = H36M17.joints.index("left_wrist"), H36M17.joints.index("left_elbow")
ANKLE, KNEE = H36M17.joints.index("left_ankle"), H36M17.joints.index("left_knee")
RUN = slice(25, 45)


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    from synsp.data.mocap import load_clip

    x = load_clip("dataset-1_run_chimpira_001", "h36m17").astype(np.float64)[:150]
    return x + np.random.default_rng(0).normal(0.0, 2.0, x.shape)  # 2 mm of noise: no value repeats exactly


def test_a_wrist_pinned_on_an_object_is_taken_out_and_filled(clip):
    """A fast runner's wrist held 0.3 body sizes aside (+-2 mm) for 20 frames: marked there only, and the
    measurements fill it from the frames around (the astray test alone kept it: the run's steps hide the jumps)."""
    x = clip.copy()
    point = x[RUN.start - 1, WRIST] + [0.3 * body_size(clip), 0.0, 0.0]
    x[RUN, WRIST] = point + np.random.default_rng(1).uniform(-2, 2, (20, 3))
    marked = pinned_joints(x, bone_tree(H36M17))
    assert marked[RUN, WRIST].all() and marked.sum() == 20
    filled = measurements(x, H36M17)
    assert filled.astray[RUN, WRIST].all()
    off = np.linalg.norm(filled.values[RUN, WRIST] - clip[RUN, WRIST], axis=-1).mean()
    assert off < 0.5 * np.linalg.norm(x[RUN, WRIST] - clip[RUN, WRIST], axis=-1).mean()


def test_real_stillness_is_kept(clip):
    """The clip's own planted feet, a foot planted while the knee turns (the shin's length kept), a whole body
    standing still and a hand resting while the forearm turns about it are no pinned joint."""
    tree = bone_tree(H36M17)
    assert not pinned_joints(clip, tree).any()
    body = clip.copy()
    body[RUN] = body[RUN.start - 1]
    foot, hand = (planted(clip, end, middle) for end, middle in ((ANKLE, KNEE), (WRIST, ELBOW)))
    for x in (foot, body, hand):
        assert not pinned_joints(x + np.random.default_rng(2).uniform(-1, 1, x.shape), tree).any()


def planted(x: np.ndarray, end: int, middle: int) -> np.ndarray:
    """``x`` (T, J, 3) with the limb ``end`` held at its last value before :data:`RUN` over it, and ``middle`` (its
    parent) turned about it towards its own track, the bone's length kept (a foot planted while the knee flexes)."""
    y, still = x.copy(), x[RUN.start - 1, end]
    bone, way = np.linalg.norm(x[RUN.start - 1, middle] - still), x[RUN, middle] - still
    y[RUN, end] = still
    y[RUN, middle] = still + bone * way / np.linalg.norm(way, axis=-1, keepdims=True)
    return y


def test_a_hand_really_holding_a_bar_is_kept(monkeypatch):
    """A 2D wrist that reaches a bar over 3 frames, holds it 40 frames while the body pulls up (its forearm's length
    changing by foreshortening) and lets go (benchmarks/real_holds.py, ``--motion hang``) is no pin: it slows into
    the hold and speeds up leaving it. Without the entry's test (SUDDEN 0) the whole hold was taken out."""
    import sys
    from pathlib import Path

    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip
    from synsp.estimator_errors import pinned_joints as module
    from synsp.skeleton import COCO17

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from real_holds import held

    moved, run = held(load_clip("dataset-2_raise-up-left-hand_normal_013", "coco17"), "coco17", "hang", 40, 3)
    x = project(moved, random_camera(np.random.default_rng(1), subject=moved)).astype(np.float64)
    tree, wrist = bone_tree(COCO17), COCO17.joints.index("left_wrist")
    assert np.ptp(x[run, wrist], axis=0).max() < 1e-6  # held still, in the picture too
    assert not pinned_joints(x, tree).any()
    assert np.nanmax(module.edge_steps(x[:, wrist], run.start, run.stop)) < 1  # slowing in, speeding up out
    monkeypatch.setattr(module, "SUDDEN", 0.0)
    assert pinned_joints(x, tree)[run, wrist].all()
