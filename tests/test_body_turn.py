"""A 2D network's whole-body turn kept within the legs' lean (synsp.inference.body_turn)."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.inference.body_turn import cap_turn, turn_angle
from synsp.skeleton import COCO17
from walking import walking


def _turned(x: np.ndarray, degrees: float) -> np.ndarray:
    """Poses (T, J, 2) turned by ``degrees`` (+x towards +y) about each frame's hips."""
    a = np.deg2rad(degrees)
    rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    hips = x[:, [COCO17.index("left_hip"), COCO17.index("right_hip")]].mean(axis=1, keepdims=True)
    return (x - hips) @ rotation.T + hips


def _angle(base: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Per frame, the turn (degrees) about the hips taking ``base`` (T, J, 2) to ``out``."""
    hips = base[:, [COCO17.index("left_hip"), COCO17.index("right_hip")]].mean(axis=1, keepdims=True)
    return np.rad2deg(turn_angle(base, out, hips))


def test_a_turn_beyond_the_legs_lean_is_turned_back_and_a_smaller_one_kept():
    upright, _ = walking(60, noise=0.0)
    upright = upright.astype(np.float64)
    # legs upright: a 5-degree turn of the whole body is no error the input shows; turned back
    np.testing.assert_allclose(cap_turn(_turned(upright, 5.0), upright, COCO17), upright, atol=0.3)
    leaning = _turned(upright, 4.0)  # the whole body (legs too) turned 4 degrees, as an estimator's rotation error
    back = _turned(leaning, -3.0)  # the network undoing most of it: within the legs' lean, kept
    np.testing.assert_allclose(cap_turn(back, leaning, COCO17), back, atol=1e-6)
    far = _turned(leaning, -7.0)  # 3 degrees past upright: turned back to about the legs' lean
    assert np.all(np.abs(_angle(leaning, cap_turn(far, leaning, COCO17)) + 4.0) < 0.6)
    assert cap_turn(far, None, COCO17) is far and cap_turn(far, leaning, None) is far


@needs_data
def test_a_trunk_bent_sideways_over_upright_legs_is_turned_upright_no_further_than_its_legs(monkeypatch):
    """Validation's bye_tired_001 as the 10 fps `jitter` row's camera filmed it (785 px tall, the trunk
    18 degrees from the image's up, the legs within 3): the network turned the body ~4.5 degrees
    towards upright, 4.9 x the input's error here, at any rate (benchmarks/RESULTS.md, section 6).
    The cap took away the turn, not the rest of the pull (still 2.8 x). The fourth-stage 2D model,
    trained on trunks bent over their legs, no longer turns it (1.73 px with or without the cap,
    input 3.1; RESULTS section 4, "Postures no actor held"): the cap must cost nothing there."""
    from synsp.data.camera import Camera, project
    from synsp.data.mocap import load_clips

    camera = Camera(R=np.array([[0.863949, 0.00161, 0.503577], [-0.202082, -0.914837, 0.349622],
                                [0.461254, -0.40382, -0.790047]]),
                    t=np.array([68.870768, 824.306671, 4020.99093]), focal=(2162.1034, 2162.1034),
                    center=(955.9507, 545.8675), image_size=(1920, 1080))
    clean = project(load_clips(["dataset-1_bye_tired_001"], layout="coco17")[0][:150], camera).astype(np.float32)
    noisy = clean + np.random.default_rng(0).normal(0, 2.5, clean.shape).astype(np.float32)
    capped = np.linalg.norm(synsp.refine(noisy) - clean, axis=-1).mean()
    monkeypatch.setattr("synsp.inference.body_turn.CAP_TURN", False)
    whole = np.linalg.norm(synsp.refine(noisy) - clean, axis=-1).mean()  # third stage: 15.4 px, input 3.1
    assert capped <= 1.01 * whole
    assert capped < 0.65 * np.linalg.norm(noisy - clean, axis=-1).mean()
