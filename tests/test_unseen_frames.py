"""Errors beside frames where the person was not seen: told by the seen frames around them (audit 34, finding 1)."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.unseen_frames import BRIDGED, STEADY, bridged_frames, past_unseen
from synsp.skeleton import COCO17, get_layout
from walking import walking

KNEE, WRIST = COCO17.joints.index("left_knee"), COCO17.joints.index("left_wrist")


def missed(x: np.ndarray, frames: slice) -> np.ndarray:
    """``x`` (T, J, C) with every joint NaN at ``frames`` (the detector missed the person)."""
    y = x.copy()
    y[frames] = np.nan
    return y


def test_a_limb_astray_before_a_missed_frame_is_found_and_refined_away():
    """The knee 200 px off for the 4 frames before a one-frame miss: marked astray (its jump back lies across the
    miss) and refined near the truth, as with no miss; before, it was left 200 px off."""
    clean, noisy = walking(120, noise=1.0)
    x = noisy.copy()
    x[56:60, KNEE, 0] += 200.0
    for gap in (1, BRIDGED):
        y = missed(x, slice(60, 60 + gap))
        assert measurements(y, COCO17).astray[56:60, KNEE].all()
        out = synsp.refine(y, fps=30, layout="coco17")
        assert np.linalg.norm(out[56:60, KNEE] - clean[56:60, KNEE], axis=-1).max() < 20.0
        assert np.isnan(out[60:60 + gap]).all()  # the missed frames stay missed


def test_the_summary_says_what_was_taken_out_across_a_missed_frame(tmp_path):
    """The knee astray before a missed frame is told by the frame after it: `synsp refine` says so on a line."""
    _, noisy = walking(120, noise=1.0)
    x = missed(noisy, slice(60, 61))
    x[56:60, KNEE, 0] += 200.0
    np.save(tmp_path / "poses.npy", x)
    said = str(synsp.refine_file(tmp_path / "poses.npy", tmp_path / "out.npy", layout="coco17", fps=30))
    assert "read past absences: 4 of the joint values taken out" in said
    y = noisy.copy()
    y[56:60, KNEE, 0] += 200.0  # nothing missed: taken out, and nothing to say
    assert measurements(y, COCO17).astray[56:60, KNEE].all() and not measurements(y, COCO17).across.any()


def test_a_glitch_beside_a_missed_frame_is_found():
    """A wrist spike in the frame just after a missed one is a glitch, read against the seen frame before the miss."""
    _, noisy = walking(120, noise=1.0)
    x = missed(noisy, slice(70, 71))
    x[71, WRIST] += (90.0, -60.0)
    assert measurements(x, COCO17).glitches[71, WRIST]


def test_only_short_runs_between_seen_frames_are_read_past():
    """Runs at the clip's edges, runs longer than BRIDGED frames and runs beside a track seen for fewer than STEADY
    frames in a row (70 and 73: 2 frames seen between) are not; with none, the test reads the poses as given (the
    same array: nothing changes where no frame is unseen)."""
    _, noisy = walking(90)
    x = missed(missed(missed(noisy, slice(0, 3)), slice(20, 20 + BRIDGED)), slice(50, 51 + BRIDGED))
    x = missed(missed(x, slice(70, 71)), slice(70 + STEADY, 71 + STEADY))
    expected = np.zeros(len(x), dtype=bool)
    expected[20:20 + BRIDGED] = True
    np.testing.assert_array_equal(bridged_frames(x), expected)
    assert past_unseen(lambda p: p, noisy) is noisy
    frames = np.arange(len(x))  # read alongside the poses, the same frames left out
    np.testing.assert_array_equal(past_unseen(lambda p, k: k, x, frames), np.where(expected, 0, frames))
    found = past_unseen(lambda p: np.arange(len(p)), x)
    assert (found[20:20 + BRIDGED] == 0).all() and found[20 + BRIDGED] == 20



@needs_data
def test_another_body_across_a_missed_frame_is_not_read_past():
    """The README's MediaPipe demo in 3D: nobody detected at frames 169 and 201, someone else (upright, facing the
    other way) between them. Read past those frames, the tests took the last frame before them (168) as a glitch
    against the other body (right knee, left wrist and hand), and the refiner's limb test took the other body's
    shoulders and arms out for all 31 frames (mean displacement 53.22 -> 74.54 mm). Most joints moved across each
    miss: neither is read past. A body that moved a limb only (the knee astray) still is."""
    from synsp.paths import data_root

    world = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")["kp3d_world"][140:230] * 1000.0
    assert np.isnan(world[[29, 61]]).all() and not bridged_frames(world).any()
    found = measurements(world, get_layout("mediapipe33")).glitches
    assert not found[28].any()
    _, noisy = walking(120, noise=1.0)
    y = missed(missed(noisy, slice(39, 40)), slice(80, 81))
    y[36:39, KNEE, 0] += 200.0
    np.testing.assert_array_equal(np.flatnonzero(bridged_frames(y)), [39, 80])
    upside_down = 2 * np.nanmean(noisy[:, :, 1]) - noisy[40:80, :, 1]
    y[40:80, :, 1] = upside_down
    assert not bridged_frames(y).any()
