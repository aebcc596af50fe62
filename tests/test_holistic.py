"""MediaPipe Holistic's 543 landmarks: both orders told from the poses, z written back as read,
blocks MediaPipe did not give kept missing, the face and hands not moved by the pose's correction."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from synsp.estimator_errors.measurements import measurements
from synsp.refining.arrays import refine_track
from synsp.refining.files import refine_file
from synsp.refining.person import refine_person
from synsp.refining.segment_values import segment_filled as _segment_filled
from synsp.skeleton import BLOCKS, LAYOUTS, get_layout, holistic_order

DEMO = Path(__file__).parents[1] / ".." / "shared" / "data" / "mediapipe-sports2d" / "demo_mediapipe.npz"
FRAMES = 60
FIRST = 3  # the demo's first frames have nobody
# Kaggle's order as indices of MediaPipe's: face, left hand, pose, right hand
KAGGLE = np.r_[33:501, 501:522, 0:33, 522:543]


def _holistic() -> np.ndarray:
    """(60, 543, 3) in MediaPipe's order: the real MediaPipe pose of the demo video, a 468-point
    face around its nose, hands from its wrists towards its index and pinky points, z small."""
    with np.load(DEMO) as z:
        pose = z["kp2d"][FIRST:FIRST + FRAMES, :, :2].astype(np.float64)
    rng = np.random.default_rng(0)
    eyes = np.linalg.norm(pose[:, 2] - pose[:, 5], axis=-1)[:, None, None]
    face = pose[:, :1] + eyes * rng.uniform(-1.2, 1.2, size=(1, 468, 2))
    hands = []
    for wrist, index, pinky in ((15, 19, 17), (16, 20, 18)):
        towards = (pose[:, index] + pose[:, pinky]) / 2 - pose[:, wrist]
        hands.append(pose[:, wrist, None] + np.linspace(0, 2, 21)[None, :, None] * towards[:, None]
                     + rng.normal(scale=1.0, size=(1, 21, 2)))
    xy = np.concatenate([pose, face, *hands], axis=1)
    depth = rng.normal(scale=0.05, size=(FRAMES, 543, 1))
    return np.concatenate([xy, depth], axis=-1).astype(np.float32)


def test_layouts_and_blocks():
    mine, kaggle = LAYOUTS["holistic543"], LAYOUTS["holistic543_kaggle"]
    assert len(mine.joints) == len(kaggle.joints) == 543
    assert kaggle.joints == tuple(mine.joints[i] for i in KAGGLE)
    for name, layout in (("holistic543", mine), ("holistic543_kaggle", kaggle)):
        starts = {block: layout.joints[first] for block, first, _ in BLOCKS[name]}
        assert starts == {"pose": "nose", "face": "face-0", "left_hand": "left_hand_root",
                          "right_hand": "right_hand_root"}
        assert sum(end - first for _, first, end in BLOCKS[name]) == 543


def test_order_told_from_the_poses():
    x = _holistic()
    assert holistic_order(x) == "holistic543"
    assert holistic_order(x[:, KAGGLE]) == "holistic543_kaggle"
    x[:, 501:] = np.nan  # no hand seen at all
    assert holistic_order(x) == "holistic543"
    assert holistic_order(x[:, KAGGLE]) == "holistic543_kaggle"


@pytest.mark.parametrize("order", ["holistic543", "holistic543_kaggle"])
def test_file_keeps_z_and_unseen_hands(tmp_path, order):
    x = _holistic()
    x[10:30, 501:522] = np.nan  # the left hand not found: MediaPipe gives none
    x[40:50, 522:543] = 0.0  # the right hand not found, written as zeros
    at = np.arange(543) if order == "holistic543" else np.argsort(KAGGLE)  # MediaPipe's index -> the file's
    np.save(tmp_path / "in.npy", x[:, KAGGLE] if order == "holistic543_kaggle" else x)
    summary = refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol")
    out = np.load(tmp_path / "out.npy")[:, at]
    text = str(summary)
    assert f"follow {'Kaggle' if 'kaggle' in order else 'MediaPipe Holistic'}" in text and f"({order})" in text
    assert "z (MediaPipe's relative depth" in text and "blocks: the left hand in 20, the right hand in 10" in text
    assert out.shape == x.shape
    assert np.isnan(out[10:30, 501:522]).all() and (out[40:50, 522:543] == 0).all()  # never invented: as they came
    seen = np.isfinite(out).all(-1)
    assert seen.sum() == FRAMES * 543 - 20 * 21
    assert np.array_equal(out[..., 2][seen], x[..., 2][seen])  # z as read
    assert not np.allclose(out[..., :2][seen], x[..., :2][seen])  # x, y refined


def test_layout_given_overrides_the_order(tmp_path):
    x = _holistic()
    x[10:30, 501:522] = np.nan
    np.save(tmp_path / "in.npy", x)
    summary = refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", layout="holistic543_kaggle")
    assert "told from the poses" not in str(summary)
    assert "blocks:" not in str(summary)  # in Kaggle's blocks no block is missing whole: the given order is used


def test_face_and_hands_not_moved_by_the_pose_correction():
    x = _holistic()[:40, :, :2]
    out = refine_track(x, "holistic543", "synsp", fps=30.0)
    seen = measurements(x, get_layout("holistic543"))  # as refine_track reads them: glitches, held values, and
    read = _segment_filled(seen.values, seen.gaps, "holistic543", "coco17")  # gaps filled from their segment
    # SmoothNet alone on those values, as SynSP's route runs it (segments=False: filled already, not refilled where
    # its own reading finds glitches in the fills)
    alone = refine_person(read, "smoothnet", None, {"fps": 30.0}, segments=False)
    np.testing.assert_allclose(out[:, 33:], alone[:, 33:], atol=1e-3)
    assert not np.allclose(out[:, :33], alone[:, :33], atol=1e-3)  # the pose takes SynSP's correction


def test_the_summary_says_the_face_and_hands_are_smoothnet_alone():
    from synsp.refining.route_notes import layout_notes

    note = layout_notes("holistic543_kaggle", "coco17", "synsp", 543, 2)[0]
    assert "the other 12 by SmoothNet plus" in note and "the 514 of the face and hands by SmoothNet alone" in note


def test_arrays_keep_z_and_unseen_hands():
    import synsp

    x = _holistic()
    x[10:30, 501:522] = np.nan
    out = synsp.refine(x[:, KAGGLE], "savgol")[:, np.argsort(KAGGLE)]
    assert out.shape == x.shape and np.isnan(out[10:30, 501:522]).all()
    seen = np.isfinite(out).all(-1)
    assert seen.sum() == FRAMES * 543 - 20 * 21
    assert np.array_equal(out[..., 2][seen], x[..., 2][seen]) and not np.allclose(out[..., :2][seen], x[..., :2][seen])
