"""Multi-person files (mmpose, OpenPose, AlphaPose) list each frame's people in the estimator's
order; the refined file lists them in that order too, so a user's script pairing a frame's
instances of the input and the output by their place (or diffing the files) finds the same people."""
from __future__ import annotations

import json

import numpy as np
import pytest

from synsp.refining.files import refine_file
from walking import walking

T = 30


def _people():
    """Two walking people (T, 17, 2) px, far apart, and per frame the order the estimator lists them."""
    a, b = walking(T, seed=0)[1], walking(T, seed=1)[1] + [300, 20]
    return (a, b), [(0, 1) if t % 3 else (1, 0) for t in range(T)]


def _mmpose(tmp_path):
    people, order = _people()
    frames = [{"frame_id": t, "instances": [
        {"keypoints": people[p][t].round(2).tolist(), "keypoint_scores": [0.9] * 17, "bbox": [[float(p), 0, 1, 1]],
         "bbox_score": 0.5 + p / 10} for p in order[t]]} for t in range(T)]
    (tmp_path / "in.json").write_text(json.dumps(frames))
    return tmp_path / "in.json", tmp_path / "out.json", order


def _mmpose_order(path):
    return [tuple(int(i["bbox"][0][0]) for i in f["instances"]) for f in json.loads(path.read_text())]


def _alphapose(tmp_path):
    people, order = _people()
    results = [{"image_id": f"{t}.jpg", "category_id": 1,
                "keypoints": np.concatenate([people[p][t], np.full((17, 1), 0.9)], 1).round(3).ravel().tolist(),
                "score": 2.5, "box": [float(p), 0, 1, 1], "idx": 7 + p} for t in range(T) for p in order[t]]
    (tmp_path / "alphapose-results.json").write_text(json.dumps(results))
    return tmp_path / "alphapose-results.json", tmp_path / "out-results.json", order


def _alphapose_order(path):
    out = json.loads(path.read_text())
    return [tuple(int(r["box"][0]) for r in out if r["image_id"] == f"{t}.jpg") for t in range(T)]


def _openpose(tmp_path):
    people, order = _people()
    (tmp_path / "op").mkdir()
    for t in range(T):
        listed = [{"person_id": [-1], "pose_keypoints_2d": np.concatenate(
            [np.c_[people[p][t], np.full(17, 0.9)], np.zeros((1, 3))]).round(3).ravel().tolist(),  # 18: COCO-18
            "face_keypoints_2d": [], "note": p} for p in order[t]]
        (tmp_path / "op" / f"v_{t:012d}_keypoints.json").write_text(json.dumps({"version": 1.3, "people": listed}))
    return tmp_path / "op", tmp_path / "op_out", order


def _openpose_order(path):
    return [tuple(p["note"] for p in json.loads(f.read_text())["people"]) for f in sorted(path.iterdir())]


@pytest.mark.parametrize("make, listed", [(_mmpose, _mmpose_order), (_alphapose, _alphapose_order),
                                          (_openpose, _openpose_order)], ids=["mmpose", "alphapose", "openpose"])
def test_each_frames_people_are_written_in_the_order_read(tmp_path, make, listed):
    src, dst, order = make(tmp_path)
    refine_file(src, dst, method="savgol")
    assert listed(dst) == order
