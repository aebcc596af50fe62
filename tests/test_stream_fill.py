"""A stream's missing joints move with the body (synsp.inference.stream_fill): audit 10, finding 1."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.inference.stream_fill import moved_fill, neighbours
from synsp.skeleton import LAYOUTS

H36M = LAYOUTS["h36m17"]


def _body(seed: int = 0) -> np.ndarray:
    """(1, 17, 3) mm: a body of 17 points about 1 m across."""
    return np.random.default_rng(seed).normal(0, 300, (1, 17, 3)).astype(np.float32)


def test_a_lost_pelvis_keeps_its_offset_from_the_hips_and_spine_while_the_body_runs_on():
    pelvis, near = H36M.index("pelvis"), neighbours(H36M)[H36M.index("pelvis")]
    assert sorted(H36M.joints[k] for k in near) == ["left_hip", "right_hip", "spine"]
    body, last = _body(), None
    for t in range(12):  # 85 mm a frame, a runner's pace, the pelvis lost from frame 2
        frame = body + np.array([85.0 * t, 0, 0], np.float32)
        given = frame.copy()
        if t >= 2:
            given[0, pelvis] = np.nan
        last = moved_fill(given, last, H36M)
        np.testing.assert_allclose(last, frame, atol=1e-3)  # held, it would be 85 mm x 10 behind
    assert np.isfinite(last).all()


def test_a_lost_limb_moves_with_the_joint_its_bones_lead_to_and_noise_does_not_add_up():
    rng = np.random.default_rng(1)
    wrist, elbow = H36M.index("left_wrist"), H36M.index("left_elbow")
    body, last = _body(2), None
    for t in range(60):  # elbow and wrist lost from frame 1: they ride on the shoulder, jitter and all
        frame = body + np.array([0, 0, 30.0 * t], np.float32)
        given = frame + rng.normal(0, 8, frame.shape).astype(np.float32)
        if t >= 1:
            given[0, [wrist, elbow]] = np.nan
        last = moved_fill(given, last, H36M)
    moved = last[0, [wrist, elbow]] - body[0, [wrist, elbow]] - [0, 0, 30.0 * 59]
    assert np.abs(moved).max() < 40  # the shoulder's own jitter then and now (8 mm each), not 60 frames of it


def test_first_frame_centroid_nothing_seen_held_and_nothing_missing_untouched():
    body = _body(3)
    given = body.copy()
    given[0, 5] = np.nan
    first = moved_fill(given, None, H36M)
    np.testing.assert_allclose(first[0, 5], np.delete(body[0], 5, axis=0).mean(0), rtol=1e-5)
    assert moved_fill(np.full_like(body, np.nan), first, H36M) is not first
    np.testing.assert_array_equal(moved_fill(np.full_like(body, np.nan), first, H36M), first)
    assert moved_fill(body, first, H36M) is body


@needs_data
def test_a_3d_stream_of_a_walk_with_its_pelvis_lost_stays_below_its_input():
    """Audit 10, finding 1: the pelvis held while a walker went on tore the body apart for the network."""
    from synsp.data.mocap import load_clip
    from synsp.inference.checkpoint import load_model
    from synsp.inference.streaming import StreamingRefiner

    clean = load_clip("dataset-2_walk_normal_007", "h36m17")[:90]  # validation split
    noisy = clean + np.random.default_rng(0).normal(0, 8, clean.shape)
    noisy[30:42, 0] = np.nan  # 12 frames: past the lookahead's reach
    stream = StreamingRefiner(load_model("synsp-h36m17", device="cpu"))
    out = stream.refine_all(noisy)
    error = np.linalg.norm(out - clean, axis=-1)  # (T, J) mm
    seen = np.isfinite(noisy).all(-1)
    assert error[seen].mean() < 0.7 * np.linalg.norm(noisy - clean, axis=-1)[seen].mean()  # 0.53x; before: 1.08x
    assert error[30:42, 0].max() < 40  # 21 mm; before: 255 mm behind
