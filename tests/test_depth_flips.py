"""A body mirrored front to back in depth (a monocular 3D estimator's depth ambiguity) read and mirrored back; a real
turn kept (audit 16, finding 5)."""
from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from synsp.estimator_errors.depth_flips import depth_flips, handedness, unflip
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import get_layout, root_position

LAYOUT = get_layout("h36m17")


def _clip(frames: int = 120, seed: int = 0) -> np.ndarray:
    """(T, 17, 3) mm: a body of random joints 0.1-0.9 m about its pelvis (joint 0), swaying slowly."""
    rng = np.random.default_rng(seed)
    pose = rng.uniform(-300, 300, (17, 3)) * [1.0, 3.0, 1.0]
    pose[0] = 0
    t = np.arange(frames)[:, None, None] / 30
    return pose + 40 * np.sin(2 * np.pi * 0.5 * t + np.arange(17)[:, None] + np.arange(3))


def _mirrored(x: np.ndarray, span: slice) -> np.ndarray:
    out = x.copy()
    out[span, :, 2] = 2 * root_position(x, LAYOUT)[span, :, 2] - x[span, :, 2]
    return out


def test_a_run_mirrored_in_depth_is_found_and_mirrored_back():
    clean = _clip()
    noisy = clean + np.random.default_rng(1).normal(0, 8, clean.shape)
    x = _mirrored(noisy, slice(40, 60))
    found = depth_flips(x, LAYOUT)
    assert np.flatnonzero(found).tolist() == list(range(40, 60))
    np.testing.assert_allclose(unflip(x, found, LAYOUT), noisy, atol=1e-9)
    measured = measurements(x, LAYOUT)  # what the networks see: read back
    assert measured.depth_flipped.sum() == 20
    unmirrored = measurements(noisy, LAYOUT).values  # as measured had the run never been mirrored (rounding aside)
    assert np.mean(np.abs(measured.values - unmirrored) > 1e-6) < 0.02


def test_a_flip_to_the_clip_end_and_a_real_turn():
    clean = _clip(seed=2)
    noisy = clean + np.random.default_rng(3).normal(0, 8, clean.shape)
    assert np.flatnonzero(depth_flips(_mirrored(noisy, slice(90, None)), LAYOUT)).tolist() == list(range(90, 120))
    angles = np.clip((np.arange(120) - 40) / 10, 0, 1) * np.pi  # 180 degrees over 10 frames, staying turned
    turn = Rotation.from_rotvec(angles[:, None] * [0.0, 1.0, 0.0]).as_matrix()
    turned = np.einsum("tij,tkj->tki", turn, noisy)
    assert not depth_flips(turned, LAYOUT).any()
    assert not depth_flips(noisy, LAYOUT).any()
    flat = noisy.copy()
    flat[..., 2] = np.random.default_rng(4).normal(0, 8, flat.shape[:2])  # no depth but noise: nothing to tell
    assert not depth_flips(flat, LAYOUT).any()


def test_a_video_cut_turning_the_body_by_180_degrees_is_no_depth_flip():
    """Turned by 180 degrees about the vertical, the depths are negated as in a mirror, but so is the body's width."""
    noisy = _clip(seed=5) + np.random.default_rng(6).normal(0, 8, (120, 17, 3))
    cut = noisy.copy()
    cut[60:, :, [0, 2]] *= -1
    assert not depth_flips(cut, LAYOUT).any()


def test_a_run_mirrored_in_depth_does_not_cut_the_track():
    """Mirrored about the pelvis, the body's centre moves too: no other person, no video cut (one span, read back)."""
    from synsp.estimator_errors.track_switches import track_segments

    clean = _clip(seed=7)
    clean[:, 1:, 2] += 400.0  # its joints well in front of the pelvis: the centre jumps 0.75 m mirrored (cut before)
    x = _mirrored(clean + np.random.default_rng(8).normal(0, 8, clean.shape), slice(40, 60))
    assert track_segments(x, pairs=LAYOUT.left_right) == [slice(0, 120)]


def _body(frames: int = 150, seed: int = 9) -> np.ndarray:
    """(T, 17, 3) mm: a standing body facing +z (its left on +x, y up: a body's handedness, not its mirror image's),
    its nose in front of the head, turning by +-30 degrees about the vertical and swaying."""
    pose = np.array([[0, 0, 0], [-120, 0, 0], [-120, -420, 40], [-120, -820, -20], [120, 0, 0], [120, -420, 40],
                     [120, -820, -20], [0, 220, 0], [0, 480, 0], [0, 580, 60], [0, 680, 10], [170, 470, 0],
                     [250, 220, 60], [280, 0, 150], [-170, 470, 0], [-250, 220, 60], [-280, 0, 150]], float)
    t = np.arange(frames) / 30
    angle = np.radians(30) * np.sin(2 * np.pi * 0.2 * t)
    turn = Rotation.from_rotvec(angle[:, None] * [0.0, 1.0, 0.0]).as_matrix()
    sway = 20 * np.sin(2 * np.pi * 0.5 * t[:, None, None] + np.random.default_rng(seed).uniform(0, 6, (17, 3)))
    return np.einsum("tij,kj->tki", turn, pose) + sway * (np.arange(17) > 0)[None, :, None]


def test_the_handedness_tells_the_body_from_its_mirror_image():
    body = _body()
    assert (handedness(body, LAYOUT) > 0).all()
    assert (handedness(_mirrored(body, slice(None)), LAYOUT) < 0).all()
    assert handedness(np.zeros((3, 24, 3)), get_layout("smpl24")) is None  # no nose: the majority tells (as before)


def test_a_flip_longer_than_half_the_clip_and_one_whose_end_is_missed():
    """The handedness tells which reading is the body's: a flip over most of the clip is mirrored back, not the frames
    around it; and one whose end falls where the body is seen flat (nothing in depth to tell) is mirrored back up to
    there, not from its start to the clip's edge."""
    noisy = _body() + np.random.default_rng(10).normal(0, 8, (150, 17, 3))
    assert np.flatnonzero(depth_flips(_mirrored(noisy, slice(20, 120)), LAYOUT)).tolist() == list(range(20, 120))
    flat = noisy.copy()
    flat[80:95, :, 2] = flat[80:95, :1, 2] + np.random.default_rng(11).normal(0, 8, (15, 17))  # seen flat: no end
    found = depth_flips(_mirrored(flat, slice(40, 88)), LAYOUT)
    assert not found[:40].any() and found[40:80].all() and not found[95:].any()


def test_a_stream_mirrors_a_flip_back():
    """The stream reads a flip as offline does (measured in full while it lasts, no cut at its steps)."""
    import synsp

    noisy = _body(seed=12) + np.random.default_rng(13).normal(0, 8, (150, 17, 3))
    noisy[:, 1:, 2] += 300.0  # the joints well in front of the pelvis: mirrored, the centre jumps (a stream cut before)
    stream = synsp.StreamingRefiner(synsp.load_model("synsp-h36m17"), mm_per_unit=1.0)
    x = _mirrored(noisy, slice(60, 80))
    out = stream.refine_all(x.astype(np.float32))
    error = np.abs((out - out[:, :1]) - (noisy - noisy[:, :1]))[..., 2].mean(-1)  # (T,) mm in depth
    assert error[60:80].max() < 60.0  # mirrored: about 600 mm
