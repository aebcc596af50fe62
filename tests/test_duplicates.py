"""Duplicate detections (a detector that fired twice on one person) are set aside, not a second person."""
from __future__ import annotations

import json

import numpy as np

from synsp.formats import read_poses
from synsp.formats.duplicates import duplicates, overlap
from synsp.refining.files import refine_file

RNG = np.random.default_rng(3)
BODY = RNG.normal(size=(17, 2)) * [20, 60]  # a posture about 200 px tall, centred on 0
BODY -= BODY.mean(0)
OTHER = RNG.normal(size=(17, 2)) * [20, 60]  # someone else's
OTHER -= OTHER.mean(0)


def _walk(n_frames=60, seed=0, noise=2.0):
    """One person walking right, jittered: (T, 17, 2) px."""
    rng = np.random.default_rng(seed)
    return np.array([BODY + [200 + 6 * t, 400] + rng.normal(size=(17, 2)) * noise for t in range(n_frames)])


def _with_copies(person, seed=1, share=0.25, noise=3.0):
    """mmpose inferencer frames of ``person`` (T, 17, 2), with a copy of the body (``noise`` px, bbox_score
    0.4 against 0.95) in ``share`` of the frames, listed first half the time (the audit's NMS miss)."""
    rng = np.random.default_rng(seed)
    frames, copied = [], []
    for t, pose in enumerate(person):
        real = {"keypoints": pose.tolist(), "keypoint_scores": [0.9] * 17, "bbox_score": 0.95}
        instances = [real]
        if rng.random() < share:
            copy = {**real, "keypoints": (pose + rng.normal(size=(17, 2)) * noise).round(2).tolist(),
                    "bbox_score": 0.4}
            instances = [copy, real] if rng.random() < 0.5 else [real, copy]
            copied.append(t)
        frames.append({"frame_id": t, "instances": instances})
    return frames, copied


def test_a_copy_is_a_duplicate_two_people_close_together_are_not():
    copy = BODY + RNG.normal(size=(17, 2)) * 4  # 4 px on a 200 px body
    assert overlap(BODY, copy) == 1.0
    assert duplicates([copy, BODY], [0.4, 0.95]) == [0]  # the lower score is the copy, wherever it is listed
    assert duplicates([BODY, copy], [0.95, 0.4]) == [1]
    assert duplicates([BODY, copy, copy + 1], [0.5, 0.5, 0.9]) == [0, 1]  # detected three times: one kept
    assert duplicates([BODY, copy], [0.9, 0.9]) == [1]  # a tie: the one listed first is kept
    # a hug (two postures, 0.1 body sizes apart) and a pair dance (the same moves, 0.15 body sizes apart)
    assert duplicates([BODY, OTHER + [20, 0]], [0.9, 0.4]) == []
    assert duplicates([BODY, BODY + [30, 0] + RNG.normal(size=(17, 2)) * 2], [0.9, 0.4]) == []
    # a part of the body seen in both is not enough: most of the joints either one sees must be shared
    half = copy.copy()
    half[:10] = np.nan
    assert duplicates([BODY, half], [0.9, 0.4]) == []


def test_duplicates_never_take_the_persons_track_and_are_written_back_as_read(tmp_path):
    frames, copied = _with_copies(_walk())
    src, dst = tmp_path / "dup.json", tmp_path / "out.json"
    src.write_text(json.dumps(frames))
    summary = refine_file(src, dst, method="savgol")
    out = json.loads(dst.read_text())
    for entry_in, entry_out in zip(frames, out):
        for inst_in, inst_out in zip(entry_in["instances"], entry_out["instances"]):  # the file's order kept
            assert inst_out["bbox_score"] == inst_in["bbox_score"]
            if inst_in["bbox_score"] == 0.95:
                assert inst_out["track_id"] == 0  # the person: one id in every frame
                assert inst_out["keypoints"] != inst_in["keypoints"]  # refined
            else:
                assert inst_out["track_id"] == 1 and inst_out["keypoints"] == inst_in["keypoints"]
    assert any(note.startswith(f"duplicates: {len(copied)} detection(s)") for note in summary.notes)
    assert read_poses(src).extra["set_aside"] == [1]


def test_two_people_close_together_stay_two_people(tmp_path):
    """A hug: two postures 0.1 body sizes apart, the second scored lower, in every frame: two tracks, none aside."""
    person, partner = _walk(40), _walk(40, seed=5) - BODY + OTHER + [20, 0]
    frames = [{"frame_id": t, "instances": [
        {"keypoints": a.tolist(), "keypoint_scores": [0.9] * 17, "bbox_score": 0.95},
        {"keypoints": b.tolist(), "keypoint_scores": [0.9] * 17, "bbox_score": 0.4}]}
        for t, (a, b) in enumerate(zip(person, partner))]
    src = tmp_path / "hug.json"
    src.write_text(json.dumps(frames))
    data = read_poses(src)
    assert "set_aside" not in data.extra and data.poses.shape[0] == 2
    np.testing.assert_allclose(data.poses[1], partner)


def test_track_ids_given_by_the_users_tracker_are_kept(tmp_path):
    frames, copied = _with_copies(_walk())
    for entry in frames:
        for inst in entry["instances"]:
            inst["track_id"] = 0 if inst["bbox_score"] == 0.95 else 7
    src = tmp_path / "tracked.json"
    src.write_text(json.dumps(frames))
    data = read_poses(src)
    assert data.track_ids == [0, 7] and "set_aside" not in data.extra
    assert np.isfinite(data.poses[1]).all(-1).any(-1).sum() == len(copied)


def test_alphapose_results_alike(tmp_path):
    """AlphaPose without --pose_track (one idx for both detections of a frame): the copy is set aside; with
    the tracker's idx (the copy its own), the file's tracks are kept."""
    frames, copied = _with_copies(_walk())
    results = [{"image_id": f"{entry['frame_id']}.jpg", "category_id": 1,
                "keypoints": np.column_stack([inst["keypoints"], inst["keypoint_scores"]]).ravel().tolist(),
                "score": 2.5 if inst["bbox_score"] == 0.95 else 1.0, "box": [0, 0, 10, 10], "idx": 1}
               for entry in frames for inst in entry["instances"]]
    src = tmp_path / "alphapose-results.json"
    src.write_text(json.dumps(results))
    data = read_poses(src)
    assert np.isfinite(data.poses[0]).all()  # the person in every frame, in one track
    assert data.format == "alphapose" and data.extra["set_aside"] == [1]
    for res in results:
        res["idx"] = 1 if res["score"] == 2.5 else 2
    src.write_text(json.dumps(results))
    data = read_poses(src)
    assert data.track_ids == [1, 2] and "set_aside" not in data.extra
