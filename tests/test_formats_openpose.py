"""OpenPose JSON folders (BODY_25, COCO-18): numeric frame order, people kept apart, folder round trip."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import detect_format, read_poses, write_poses
from synsp.formats.openpose import is_openpose_folder
from synsp.skeleton import can_convert

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize("name, layout, joints", [("openpose_body25", "body25", 25), ("openpose_coco18", "coco18", 18)])
def test_folder_reads_as_one_sequence_with_two_people(name, layout, joints, tmp_path):
    folder = FIXTURES / name
    assert is_openpose_folder(folder) and detect_format(folder) == "openpose"
    data = read_poses(folder)
    assert data.poses.shape == (2, 60, joints, 2) and data.layout == layout and can_convert(layout, "coco17")
    assert data.extra["frame_ids"] == list(range(60))
    # OpenPose lists the two walkers in alternating order; the tracker keeps each on one track
    x = np.nanmean(data.poses[..., 0], axis=2)  # (V, T)
    assert (np.abs(np.diff(x, axis=1)) < 50).all() and (np.abs(x[0] - x[1]) > 300).all()
    assert np.isnan(data.poses[:, 30, 4]).all(axis=-1).sum() == 1  # the wrist OpenPose did not find (0, 0, 0)
    write_poses(tmp_path / "out", data)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(p.name for p in folder.iterdir())
    first = json.loads((tmp_path / "out" / files[0]).read_text())
    assert first["version"] == 1.3 and "hand_left_keypoints_2d" in first["people"][0]
    back = read_poses(tmp_path / "out")
    assert np.array_equal(back.poses, data.poses, equal_nan=True) and np.allclose(back.scores, data.scores)


def _frame(x: float, people=1) -> dict:
    return {"version": 1.3, "people": [{"person_id": [-1], "pose_keypoints_2d": [x + 100 * p, 5.0, 0.9] * 18}
                                       for p in range(people)]}


def test_frames_in_numeric_order_not_text_order(tmp_path):
    for t in range(12):  # frame_9 must come before frame_10 (text order puts 10 and 11 after 1)
        (tmp_path / f"clip_{t}_keypoints.json").write_text(json.dumps(_frame(float(t))))
    data = read_poses(tmp_path)
    assert data.poses[0, :, 0, 0].tolist() == [float(t) for t in range(12)]
    assert data.extra["frame_ids"] == list(range(12))


def test_a_missing_frame_file_is_a_frame_where_nobody_was_seen(tmp_path):
    """Frames 5-7 dropped: time is not closed up (a tracker would match people across the jump),
    and the refined folder holds the same files, no new ones."""
    for t in [*range(5), *range(8, 12)]:
        (tmp_path / "in" / f"clip_{t:012d}_keypoints.json").parent.mkdir(exist_ok=True)
        (tmp_path / "in" / f"clip_{t:012d}_keypoints.json").write_text(json.dumps(_frame(float(t))))
    data = read_poses(tmp_path / "in")
    assert data.extra["frame_ids"] == list(range(12)) and data.poses.shape[1] == 12
    assert np.isnan(data.poses[0, 5:8]).all() and data.poses[0, 8, 0, 0] == 8.0
    write_poses(tmp_path / "out", data)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in (tmp_path / "in").iterdir())
    assert np.array_equal(read_poses(tmp_path / "out").poses, data.poses, equal_nan=True)


def test_person_ids_are_tracks_and_not_a_folder_of_other_files(tmp_path):
    for t in range(3):
        frame = _frame(float(t), people=2)
        frame["people"][0]["person_id"], frame["people"][1]["person_id"] = [7], [3]
        frame["people"].reverse() if t == 1 else None
        (tmp_path / f"c_{t:04d}_keypoints.json").write_text(json.dumps(frame))
    data = read_poses(tmp_path)
    assert data.track_ids == [3, 7] and (data.poses[1, :, 0, 0] == [0.0, 1.0, 2.0]).all()
    (tmp_path / "notes.json").write_text("{}")  # one stray file among the frames: skipped, said
    assert is_openpose_folder(tmp_path) and read_poses(tmp_path).extra["notes"] == [
        f"openpose: skipped notes.json in {tmp_path.name}: not frame files (*_keypoints.json), so not read and not "
        "written"]
    for name in ("a", "b", "c"):  # as many other files as frames, or more: not a folder of frames
        (tmp_path / f"{name}.json").write_text("{}")
    assert not is_openpose_folder(tmp_path)
    with pytest.raises(ValueError, match="not an OpenPose one"):
        read_poses(tmp_path)


def test_a_person_id_twice_in_a_frame_keeps_the_ids_and_matches_that_frames_people(tmp_path, capsys):
    """A tracker's slip (person 3 given 7's id in frames 4-5) refused the whole folder (audit 17, finding 4):
    the ids are kept where unique, the two people of those frames matched to their tracks, said in one line."""
    for t in range(12):
        people = [{"person_id": [7], "pose_keypoints_2d": [v for j in range(18) for v in (100 + 2 * t + 3 * j,
                                                                                          5.0 + 10 * j, 0.9)]},
                  {"person_id": [7 if t in (4, 5) else 3],
                   "pose_keypoints_2d": [v for j in range(18) for v in (600 - t + 3 * j, 5.0 + 10 * j, 0.9)]}]
        frame = {"version": 1.3, "people": people[::-1] if t == 5 else people}
        (tmp_path / "in" / f"c_{t:04d}_keypoints.json").parent.mkdir(exist_ok=True)
        (tmp_path / "in" / f"c_{t:04d}_keypoints.json").write_text(json.dumps(frame))
    data = read_poses(tmp_path / "in")
    assert data.track_ids == [3, 7] and data.poses.shape[:2] == (2, 12)
    np.testing.assert_array_equal(data.poses[1, :, 0, 0], [100 + 2 * t for t in range(12)])  # 7 is the left one
    np.testing.assert_array_equal(data.poses[0, :, 0, 0], [600 - t for t in range(12)])
    assert data.extra["notes"] == ["warning: 2 frame(s) hold an instance person_id twice (a tracker's slip): "
                                   "c_0004_keypoints.json, c_0005_keypoints.json; the ids kept where unique, there "
                                   "the instances matched to the tracks by where each person is"]
    assert main(["refine", str(tmp_path / "in"), str(tmp_path / "out"), "--method", "gaussian"]) == 0
    assert "c_0004_keypoints.json, c_0005_keypoints.json" in capsys.readouterr().out
    out = json.loads((tmp_path / "out" / "c_0005_keypoints.json").read_text())
    assert [p["person_id"] for p in out["people"]] == [[7], [7]]  # person_id as read (the module doc), in order
    assert out["people"][0]["pose_keypoints_2d"][0] > 500  # the right person first, as the file listed them


def test_a_stray_json_beside_the_frames_is_skipped_and_named(tmp_path, capsys):
    src, out = tmp_path / "json", tmp_path / "refined"
    shutil.copytree(FIXTURES / "openpose_coco18", src)
    (src / "meta.json").write_text(json.dumps({"fps": 25}))
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "openpose: skipped meta.json in json: not frame files" in printed and "failed" not in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in src.glob("*_keypoints.json"))
    # --force never replaces a folder holding a file of the user's that is not a frame
    assert main(["refine", str(out), str(src), "--method", "savgol", "--force"]) == 2
    assert (src / "meta.json").exists()


def test_refine_folder_to_folder_and_force(tmp_path, capsys):
    src = tmp_path / "json"
    shutil.copytree(FIXTURES / "openpose_coco18", src)
    out = tmp_path / "refined"
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 0
    assert read_poses(out).poses.shape == (2, 60, 18, 2)
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 2  # exists: --force needed
    assert main(["refine", str(src), str(out), "--method", "savgol", "--force"]) == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert main(["refine", str(src), str(other), "--method", "savgol", "--force"]) == 2
    assert (other / "keep.txt").read_text() == "mine"  # a folder of other files is never replaced
    assert "not an OpenPose folder" in capsys.readouterr().err


def _whole_body_folder(folder: Path) -> None:
    """The BODY_25 fixture with OpenPose's --face --hand keys: a face around the nose and a hand
    at each wrist that follow the body, with a few pixels of jitter."""
    rng = np.random.default_rng(0)
    shutil.copytree(FIXTURES / "openpose_body25", folder)
    for file in folder.iterdir():
        frame = json.loads(file.read_text())
        for person in frame["people"]:
            body = np.array(person["pose_keypoints_2d"]).reshape(25, 3)
            for key, anchor, count in (("face_keypoints_2d", 0, 70), ("hand_left_keypoints_2d", 7, 21),
                                       ("hand_right_keypoints_2d", 4, 21)):
                spread = np.linspace(-8, 8, count)[:, None] * [1.0, 0.5]
                points = body[anchor, :2] + spread + rng.normal(0, 2.0, (count, 2))
                found = body[anchor, 2] > 0
                triples = np.column_stack([points, np.full(count, 0.8)]) if found else np.zeros((count, 3))
                person[key] = triples.reshape(-1).tolist()
        file.write_text(json.dumps(frame))


def test_face_and_hands_are_refined_and_written_back_in_their_keys(tmp_path, capsys):
    src, out = tmp_path / "json", tmp_path / "refined"
    _whole_body_folder(src)
    data = read_poses(src)
    assert data.layout == "openpose137" and data.poses.shape == (2, 60, 137, 2)
    assert main(["refine", str(src), str(out)]) == 0
    assert "openpose137 -> coco17" in capsys.readouterr().out
    first = json.loads(min(out.iterdir()).read_text())["people"][0]
    assert [len(first[k]) for k in ("pose_keypoints_2d", "face_keypoints_2d", "hand_left_keypoints_2d",
                                    "hand_right_keypoints_2d")] == [75, 210, 63, 63]
    refined = read_poses(out)
    assert refined.layout == "openpose137" and refined.poses.shape == data.poses.shape

    def shake(x):  # mean |acceleration| of the face and hand points, px/frame^2
        return float(np.nanmean(np.linalg.norm(np.diff(x[:, :, 25:], 2, axis=1), axis=-1)))

    assert shake(refined.poses) < 0.6 * shake(data.poses)
    # every point stays near where it was: moved, not replaced
    assert np.nanmean(np.linalg.norm(refined.poses - data.poses, axis=-1)) < 5.0


def test_an_empty_hand_list_is_a_hand_not_found_not_another_layout(tmp_path):
    src, out = tmp_path / "json", tmp_path / "refined"
    _whole_body_folder(src)
    file = sorted(src.iterdir())[10]
    frame = json.loads(file.read_text())
    frame["people"][0]["hand_left_keypoints_2d"] = []  # OpenPose found no left hand for this person here
    file.write_text(json.dumps(frame))
    data = read_poses(src)
    assert data.layout == "openpose137" and data.poses.shape == (2, 60, 137, 2)
    hand = slice(25 + 70, 25 + 70 + 21)
    assert np.isnan(data.poses[:, 10, hand]).all(axis=(1, 2)).sum() == 1  # that person's hand, in that frame
    assert np.isfinite(data.poses[:, 9, hand]).all()
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 0
    refined = read_poses(out)
    assert refined.layout == "openpose137" and refined.poses.shape == data.poses.shape
    assert np.isnan(refined.poses[:, 10, hand]).all(axis=(1, 2)).sum() == 1  # not invented
    written = json.loads((out / file.name).read_text())["people"]
    person = next(p for p in written if p["hand_left_keypoints_2d"] == [])  # an empty list in, an empty list out
    assert len(person["hand_right_keypoints_2d"]) == 63 and len(person["face_keypoints_2d"]) == 210
    assert not any(person["keypoint_filled"][95:116])
    assert sum(p["hand_left_keypoints_2d"] == [] for p in written) == 1
    other = json.loads((out / sorted(src.iterdir())[9].name).read_text())["people"]
    assert all(len(p["hand_left_keypoints_2d"]) == 63 for p in other)
    frame["people"][0]["hand_left_keypoints_2d"] = [1.0, 2.0, 0.5]  # neither full nor empty: a clear error
    file.write_text(json.dumps(frame))
    with pytest.raises(ValueError, match=r"person 0: hand_left_keypoints_2d must hold 63 values .* got 3 values"):
        read_poses(src)


def test_one_frame_file_given_for_the_folder_names_the_folder(tmp_path, capsys):
    """OpenPose writes one file per frame; given one of them, the error says to give the folder."""
    frame = sorted((Path(__file__).parent / "fixtures" / "formats" / "openpose_body25").iterdir())[0]
    assert main(["refine", str(frame), str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "one frame of an OpenPose run" in err
    assert f"give its folder, {frame.parent}" in err and not (tmp_path / "out.json").exists()


def test_a_ctrl_c_while_the_folders_are_swapped_leaves_the_old_one_in_place(tmp_path, monkeypatch):
    """Interrupted between moving the old output folder aside and the new one in, the old folder is
    put back and nothing hidden is left (audit: an empty hidden `.out.old.*` folder was left behind)."""
    import os

    import synsp.formats.openpose as openpose

    data = read_poses(FIXTURES / "openpose_body25")
    write_poses(tmp_path / "out", data)
    before = sorted(p.name for p in (tmp_path / "out").iterdir())
    moved = []

    def interrupted(src, dst):
        moved.append(src)
        if len(moved) == 2:  # the new folder into place
            raise KeyboardInterrupt
        os.replace(src, dst)

    monkeypatch.setattr(openpose.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_poses(tmp_path / "out", data)
    monkeypatch.undo()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_output_folder_holding_other_files_is_refused_before_the_work(tmp_path, monkeypatch):
    """Replacing it would delete the user's other files: refused, and at once (audit: after the refinement)."""
    import synsp.refining.files as files
    from synsp.refining.files import refine_file

    def never(*args, **kwargs):
        raise AssertionError("refined before OUT was checked")

    monkeypatch.setattr(files, "refine_file_tracks", never)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="refusing to replace"):
        refine_file(FIXTURES / "openpose_body25", out, force=True)
    assert (out / "notes.txt").read_text() == "mine"


def test_untracked_person_ids_come_back_as_read(tmp_path, capsys):
    """Audit: OpenPose's person_id [-1] (no id) came back as [0], the number of the matched track."""
    for t in range(12):
        frame = _frame(float(t), people=2)
        frame["people"][1]["person_id"] = [5] if t < 6 else [-1]  # a tracker's id, then lost
        (tmp_path / "in" / f"c_{t:04d}_keypoints.json").parent.mkdir(exist_ok=True)
        (tmp_path / "in" / f"c_{t:04d}_keypoints.json").write_text(json.dumps(frame))
    assert main(["refine", str(tmp_path / "in"), str(tmp_path / "out"), "--method", "savgol"]) == 0
    for t in range(12):
        people = json.loads((tmp_path / "out" / f"c_{t:04d}_keypoints.json").read_text())["people"]
        assert [p["person_id"] for p in people] == [[-1], [5] if t < 6 else [-1]]
        assert list(people[0])[0] == "person_id"
