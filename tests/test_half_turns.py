"""A 3D body turned half round (180 degrees about the vertical through the pelvis) for a few frames and back, as an
estimator reading the back as the front: turned back, not read as a video cut; a longer turn stays a cut; a mirror
image (labels exchanged) is no turn (audit 32, finding 3)."""
from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from synsp.estimator_errors.body_cuts import turned_cuts
from synsp.estimator_errors.half_turns import TURN_FRAMES, half_turns, turn_back, turned_orientations
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import get_layout
from test_depth_flips import _clip as swaying

LAYOUT = get_layout("h36m17")


def _clip(frames: int = 120, seed: int = 0) -> np.ndarray:
    """(T, 17, 3) mm: test_depth_flips' body of random joints swaying about its pelvis, with 8 mm of noise."""
    clean = swaying(frames, seed)
    return clean + np.random.default_rng(seed + 1).normal(0, 8, clean.shape)


def _turned(x: np.ndarray, span: slice, degrees: float = 180.0) -> np.ndarray:
    out = x.copy()
    root = x[span, :1]
    out[span] = root + (x[span] - root) @ Rotation.from_euler("y", degrees, degrees=True).as_matrix().T
    return out


def test_a_few_frames_turned_half_round_are_turned_back_and_not_cut():
    noisy = _clip()
    for length in (3, 8, TURN_FRAMES):
        x = _turned(noisy, slice(40, 40 + length))
        spans = half_turns(x, LAYOUT.left_right)
        assert [(a, b) for a, b, _ in spans] == [(40, 40 + length)]
        back = turn_back(x, spans, x[:, 0])
        assert np.abs(back - noisy).max() < 20.0  # the rotation fitted to noisy ends: within the noise
        assert not turned_cuts(x, LAYOUT.left_right).any()  # its return is no video cut
        measured = measurements(x, LAYOUT)
        assert measured.turned.sum() == length
        assert np.abs(measured.values[40:40 + length] - measurements(noisy, LAYOUT).values[40:40 + length]).mean() < 10


def test_the_turns_read_once_are_the_ones_the_cut_and_switch_tests_use():
    from synsp.estimator_errors.track_switches import track_segments

    x = _turned(_clip(), slice(40, 48))
    pairs = LAYOUT.left_right
    spans = half_turns(x, pairs)
    assert np.array_equal(turned_cuts(x, pairs, turns=spans), turned_cuts(x, pairs))
    assert track_segments(x, pairs=pairs, turns=spans) == track_segments(x, pairs=pairs) == [slice(0, 120)]
    assert turned_cuts(x, pairs, turns=[]).any()  # told no turn, its ends read as cuts: the spans given are used


def test_a_longer_turn_stays_a_cut_and_a_mirror_image_is_no_turn():
    noisy = _clip()
    x = _turned(noisy, slice(40, 41 + TURN_FRAMES))
    assert half_turns(x, LAYOUT.left_right) == []
    assert np.flatnonzero(turned_cuts(x, LAYOUT.left_right)).tolist() == [40, 41 + TURN_FRAMES]
    mirrored = noisy.copy()
    mirrored[40:44] = noisy[40:44][:, LAYOUT.flip_index]  # every label exchanged: the inversion step's
    assert half_turns(mirrored, LAYOUT.left_right) == []
    assert half_turns(_turned(noisy, slice(40, 44), 90.0), LAYOUT.left_right) == []  # a quarter turn: no estimator's
    assert half_turns(noisy[..., :2], LAYOUT.left_right) == []  # 2D: none


def test_a_global_orientation_turned_half_round_is_turned_back():
    rng = np.random.default_rng(3)
    yaw = np.radians(np.cumsum(rng.normal(0, 2, 90)))  # a body turning slowly, 3 degrees of noise on top
    truth = Rotation.from_euler("y", yaw[:, None]).as_matrix()
    noisy = (Rotation.from_rotvec(rng.normal(0, np.radians(3), (90, 3))) * Rotation.from_matrix(truth)).as_matrix()
    x = noisy.copy()
    x[40:46] = Rotation.from_euler("y", 180, degrees=True).as_matrix() @ noisy[40:46]
    back, turned = turned_orientations(x)
    assert turned == 6
    assert np.abs(back - noisy).max() < 0.2  # the mean turn of the two steps: within the noise
    assert turned_orientations(noisy)[1] == 0
    longer = noisy.copy()
    longer[40:41 + TURN_FRAMES] = Rotation.from_euler("y", 180, degrees=True).as_matrix() @ noisy[40:41 + TURN_FRAMES]
    assert turned_orientations(longer)[1] == 0
