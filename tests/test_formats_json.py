"""Pose file formats: mmpose and COCO JSON, MediaPipe (real demo npz and JSON), BVH."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from synsp.formats import PoseData, detect_format, read_poses, write_poses
from synsp.skeleton import LAYOUTS
from test_formats import assert_same, make_data

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MEDIAPIPE_NPZ = DATA / "mediapipe-sports2d" / "demo_mediapipe.npz"
needs_mediapipe = pytest.mark.skipif(not MEDIAPIPE_NPZ.is_file(), reason=f"shared data missing: {MEDIAPIPE_NPZ}")


def _instance(center, t, n_joints=17, **fields):
    kp = (np.asarray(center) + np.arange(n_joints)[:, None] * [1.0, 2.0] + t).tolist()
    return {"keypoints": kp, "keypoint_scores": [0.5] * n_joints, **fields}


# ---- mmpose -----------------------------------------------------------------------------

def test_mmpose_demo_file_meta_layout_bbox_and_greedy_tracks(tmp_path):
    src = FIXTURES / "mmpose_demo.json"
    assert detect_format(src) == "mmpose"
    data = read_poses(src)
    assert data.poses.shape == (2, 3, 17, 2) and data.layout == "coco17"
    assert data.extra["frame_ids"] == [1, 2, 3]
    # frame 2 lists the persons in the other order: matching keeps each person on one track
    centres = np.nanmean(data.poses, axis=2)[..., 0]  # (V, T) mean x
    assert (np.abs(np.diff(centres, axis=1)) < 100).all()
    assert (np.abs(centres[0] - centres[1]) > 300).all()
    write_poses(tmp_path / "out.json", data)
    out = json.loads((tmp_path / "out.json").read_text())
    assert set(out) == {"meta_info", "instance_info"} and out["meta_info"]["dataset_name"] == "coco"
    first = out["instance_info"][0]["instances"][0]
    assert len(first["bbox"]) == 1 and len(first["bbox"][0]) == 4 and "bbox_score" in first  # kept as mmpose writes it
    assert_same(data, read_poses(tmp_path / "out.json"))


@pytest.mark.parametrize("style", ["inferencer", "frames", "demo"])
def test_mmpose_round_trip_every_style(tmp_path, style):
    data = make_data(extra={"mmpose": {"style": style, "meta_info": {"dataset_name": "coco"}}})
    write_poses(tmp_path / "p.json", data)
    back = read_poses(tmp_path / "p.json")
    assert back.format == "mmpose" and back.extra["mmpose"]["style"] == style
    assert_same(data, back)


def test_mmpose_single_image_list_and_flat_keypoints(tmp_path):
    inst = _instance([10, 20], 0)
    inst["keypoints"] = np.asarray(inst["keypoints"]).reshape(-1).tolist()
    (tmp_path / "img.json").write_text(json.dumps([inst]))
    data = read_poses(tmp_path / "img.json")
    assert data.poses.shape == (1, 1, 17, 2) and data.poses[0, 0, 1].tolist() == [11, 22]
    write_poses(tmp_path / "img2.json", data)
    again = json.loads((tmp_path / "img2.json").read_text())
    assert isinstance(again, list) and len(again[0]["keypoints"]) == 34  # still flat, still one image


def test_mmpose_3d_with_track_ids(tmp_path):
    frames = [{"frame_id": t, "instances": [{"keypoints": np.full((17, 3), t + k).tolist(),
                                             "keypoint_scores": [1.0] * 17, "track_id": tid}
                                            for k, tid in enumerate([4, 9] if t != 1 else [9])]}
              for t in range(3)]
    (tmp_path / "p3d.json").write_text(json.dumps(frames))
    data = read_poses(tmp_path / "p3d.json")
    assert data.track_ids == [4, 9] and data.layout == "h36m17" and data.poses.shape == (2, 3, 17, 3)
    assert np.isnan(data.poses[0, 1]).all() and data.scores[0, 1].sum() == 0  # track 4 absent in frame 1
    assert data.poses[1, 1, 0, 0] == 1.0


def test_mmpose_a_track_id_twice_in_a_frame_keeps_the_ids_matches_the_people_sets_a_copy_aside(tmp_path):
    """A tracker's slip refused the whole file (audit 17, finding 4). Frames 5-6: the right person carries
    the left one's id 4; frame 8: a copy of the left one (a lower box score) with its id; frame 9: a newcomer
    far away with id 4. The ids stay, each person keeps every frame, the copy is set aside, the newcomer
    gets an id of its own; nobody's frame is lost or invented."""
    frames = []
    for t in range(20):
        left = _instance([100 + 2 * t, 50], 0, track_id=4, bbox_score=0.9)
        right = _instance([400 - t, 50], 0, track_id=4 if t in (5, 6) else 9, bbox_score=0.9)
        insts = [right, left] if t == 6 else [left, right]
        if t == 8:
            insts.append(_instance([100.2 + 2 * t, 50], 0, track_id=4, bbox_score=0.4))
        if t == 9:
            insts.append(_instance([900, 50], 0, track_id=4, bbox_score=0.9))
        frames.append({"frame_id": t, "instances": insts})
    (tmp_path / "m.json").write_text(json.dumps(frames))
    data = read_poses(tmp_path / "m.json")
    assert data.track_ids == [4, 9, 10, 11] and data.extra["set_aside"] == [3]
    np.testing.assert_array_equal(data.poses[0, :, 0, 0], [100 + 2 * t for t in range(20)])
    np.testing.assert_array_equal(data.poses[1, :, 0, 0], [400 - t for t in range(20)])
    assert np.flatnonzero(np.isfinite(data.poses[2, :, 0, 0])).tolist() == [9] and data.poses[2, 9, 0, 0] == 900
    assert np.flatnonzero(np.isfinite(data.poses[3, :, 0, 0])).tolist() == [8] and data.poses[3, 8, 0, 0] == 116.2
    assert data.extra["notes"][0] == (
        "warning: 4 frame(s) hold an instance track_id twice (a tracker's slip): frame 5, frame 6, frame 8, "
        "frame 9; the ids kept where unique, there the instances matched to the tracks by where each person is; "
        "1 track(s) of the instances matching nobody's path, track_id 10; 1 copy track(s) of a detection set aside")
    assert data.extra["notes"][1].startswith("duplicates: 1 detection(s)")
    write_poses(tmp_path / "out.json", data)
    out = json.loads((tmp_path / "out.json").read_text())
    assert [[i["track_id"] for i in f["instances"]] for f in out[5:10]] == [[4, 9], [9, 4], [4, 9], [4, 9, 11],
                                                                             [4, 9, 10]]


def test_mmpose_a_track_id_repeated_in_most_frames_is_no_track(tmp_path):
    """Ids that repeat in over a quarter of the frames (a detection's number, not a person's) read as no
    tracks: people matched frame to frame, said."""
    frames = [{"frame_id": t, "instances": [_instance([100, 50], t, track_id=0), _instance([400, 50], t, track_id=0)]}
              for t in range(8)]
    (tmp_path / "m.json").write_text(json.dumps(frames))
    data = read_poses(tmp_path / "m.json")
    assert data.track_ids == [0, 1] and (np.abs(np.diff(data.poses[:, :, 0, 0], axis=1)) == 1).all()
    assert data.extra["notes"] == ["warning: 8 of 8 frames hold an instance track_id twice: read as no tracks, "
                                   "people matched frame to frame"]


def test_mmpose_greedy_matching_follows_nearest_centroid(tmp_path):
    # two persons walking towards each other, listed in random order; one missing in frame 3
    rng = np.random.default_rng(0)
    frames = []
    for t in range(6):
        insts = [_instance([100 + 20 * t, 50], t), _instance([500 - 20 * t, 50], t)]
        if t == 3:
            insts = insts[:1]
        frames.append([insts[i] for i in rng.permutation(len(insts))])
    (tmp_path / "f.json").write_text(json.dumps(frames))
    data = read_poses(tmp_path / "f.json")
    assert data.poses.shape[0] == 2 and data.track_ids == [0, 1]
    x = data.poses[..., 0, 0]  # (V, T) x of joint 0
    left = int(np.argmin(x[:, 0]))
    np.testing.assert_allclose(x[left], [100 + 21 * t for t in range(6)])
    assert np.isnan(x[1 - left, 3]) and x[1 - left, 4] == 500 - 20 * 4 + 4


def test_mmpose_wrong_keypoint_count_names_instance_and_frame(tmp_path):
    frames = [[_instance([0, 0], t), _instance([300, 0], t, n_joints=15 if t == 2 else 17)] for t in range(3)]
    (tmp_path / "x.json").write_text(json.dumps(frames))
    with pytest.raises(ValueError, match="x.json: instance 1 of frame 2 has 15 keypoints, expected 17"):
        read_poses(tmp_path / "x.json")


def _mmpose_demo_doc(n_frames: int = 4, first_id: int = 1) -> dict:
    """An mmpose demo file: frame_id counting from ``first_id``, two tracked people of 17 joints."""
    frames = [{"frame_id": first_id + t, "instances": [
        {**_instance([100 * k, 0], t), "track_id": k} for k in range(2)]} for t in range(n_frames)]
    return {"meta_info": {"dataset_name": "coco"}, "instance_info": frames}


@pytest.mark.parametrize("break_it, message", [
    (lambda frames: frames[2]["instances"][1].update(keypoints=frames[2]["instances"][1]["keypoints"][:13]),
     "instance 1 of frame 3 has 13 keypoints, expected 17"),
    (lambda frames: frames[2]["instances"][0].update(keypoints="x"), "instance 0 of frame 3: keypoints"),
])
def test_mmpose_errors_name_the_files_own_frame_id(tmp_path, break_it, message):
    doc = _mmpose_demo_doc()
    break_it(doc["instance_info"])  # the third entry, frame_id 3 (frame 2 counted from 0)
    (tmp_path / "x.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=f"x.json: {message}"):
        read_poses(tmp_path / "x.json")


def test_mmpose_keypoint_written_as_a_whole_null_is_missing(tmp_path):
    doc = _mmpose_demo_doc()
    doc["instance_info"][1]["instances"][0]["keypoints"][3] = None  # as README says: gaps are null
    doc["instance_info"][2]["instances"][1]["keypoints"][5] = [None, None]
    (tmp_path / "x.json").write_text(json.dumps(doc))
    data = read_poses(tmp_path / "x.json")
    assert np.isnan(data.poses[0, 1, 3]).all() and np.isnan(data.poses[1, 2, 5]).all()
    assert np.isfinite(data.poses).all(-1).sum() == 2 * 4 * 17 - 2


def test_openpose_errors_name_the_frame_file(tmp_path):
    folder = tmp_path / "op"
    folder.mkdir()
    for t in range(3):
        person = {"pose_keypoints_2d": [float(v) for v in range(1, 3 * (18 if t == 1 else 25) + 1)]}
        (folder / f"clip_{t + 10:012d}_keypoints.json").write_text(json.dumps({"people": [person]}))
    with pytest.raises(ValueError, match="instance 0 of clip_000000000011_keypoints.json has 18 keypoints"):
        read_poses(folder)


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ('{"foo": 1}', "unrecognised JSON object"),
    ('[[{"keypoints": [[1, 2], [3]]}]]', "keypoints are not a regular array"),
    ('[{"frame_id": 0, "instances": [{"bbox": [1]}]}]', "instance 0 of frame 0 is not an object with 'keypoints'"),
    ("[]", "no instances"),
])
def test_bad_json_files_give_one_line_value_error(tmp_path, text, message):
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(ValueError, match=f"bad.json: .*{message}") as err:
        read_poses(tmp_path / "bad.json")
    assert "\n" not in str(err.value)


# ---- COCO -------------------------------------------------------------------------------

def test_coco_round_trip_sparse_image_ids_tracks_nan(tmp_path):
    data = make_data(extra={"frame_ids": [3, 8, 9, 20, 21, 40]})
    write_poses(tmp_path / "res.json", data, format="coco")
    results = json.loads((tmp_path / "res.json").read_text())
    assert len(results) == 2 * 6 - 2 and len(results[0]["keypoints"]) == 51
    assert {r["category_id"] for r in results} == {1}
    assert detect_format(tmp_path / "res.json") == "coco"
    back = read_poses(tmp_path / "res.json")
    assert back.layout == "coco17" and back.extra["frame_ids"] == [3, 8, 9, 20, 21, 40]
    assert_same(data, back)
    write_poses(tmp_path / "res2.json", back)  # format and per-result fields carried over
    assert json.loads((tmp_path / "res2.json").read_text()) == results


def test_coco_without_track_ids_uses_matching_and_absent_joints(tmp_path):
    def result(image_id, x, score=0.9):
        kp = np.zeros((17, 3))
        kp[:, 0], kp[:, 1], kp[:, 2] = x + np.arange(17), 10, 0.8
        kp[5] = 0  # an absent keypoint, as COCO writes it
        return {"image_id": image_id, "category_id": 1, "keypoints": kp.reshape(-1).tolist(), "score": score}

    results = [result(1, 0), result(1, 400), result(2, 405), result(2, 4), result(5, 8)]
    (tmp_path / "r.json").write_text(json.dumps(results))
    data = read_poses(tmp_path / "r.json")  # images 3 and 4 had nobody: frames of NaN, placed by their ids
    assert data.poses.shape == (2, 5, 17, 2) and data.extra["frame_ids"] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(data.poses[:, :, 0, 0], [[0, 4, np.nan, np.nan, 8], [400, 405] + [np.nan] * 3])
    assert np.isnan(data.poses[:, :2, 5]).all() and (data.scores[:, :2, 5] == 0).all()


def test_coco_frames_are_placed_by_their_image_ids(tmp_path):
    def result(image_id, x):
        kp = np.column_stack([x + 3 * np.arange(17), 200 + 10 * np.arange(17), np.full(17, 0.9)])
        return {"image_id": image_id, "category_id": 1, "keypoints": kp.ravel().tolist(), "score": 0.9}

    def frames(ids):
        (tmp_path / "r.json").write_text(json.dumps([result(i, 2.0 * int(str(i).strip("clip_.jpng"))) for i in ids]))
        return read_poses(tmp_path / "r.json")

    video = [1000 + t for t in range(40) if not 15 <= t < 25]  # ten frames dropped from the middle
    data = frames(video)
    assert data.extra["frame_ids"] == list(range(1000, 1040)) and data.poses.shape == (1, 40, 17, 2)
    assert np.isnan(data.poses[0, 15:25]).all() and np.isfinite(data.poses[0, 25]).all()
    write_poses(tmp_path / "back.json", data)
    assert [r["image_id"] for r in json.loads((tmp_path / "back.json").read_text())] == video  # same ids, no others
    every_other = [2 * t for t in range(40) if t != 20]  # every other frame of a video, one dropped
    assert frames(every_other).extra["frame_ids"] == list(range(0, 80, 2))
    stills = [139, 285, 632, 724, 776]  # still images, not a video's frames: one frame each, in order
    assert frames(stills).extra["frame_ids"] == stills
    named = frames([f"{t}.jpg" for t in video])  # AlphaPose's image ids: the frames' file names
    assert named.extra["frame_ids"] == [f"{t}.jpg" for t in range(1000, 1040)] and np.isnan(named.poses[0, 15:25]).all()
    padded = frames([f"clip_{t:06d}.png" for t in video])
    assert padded.extra["frame_ids"][15] == "clip_001015.png"


def test_coco_bad_triples(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps([{"image_id": 1, "keypoints": [1, 2, 3, 4]}]))
    with pytest.raises(ValueError, match="r.json: instance 0 of frame 0 .* 4 values"):
        read_poses(tmp_path / "r.json")


# ---- MediaPipe --------------------------------------------------------------------------

@needs_mediapipe
def test_mediapipe_demo_npz_image_and_world_units():
    assert detect_format(MEDIAPIPE_NPZ) == "mediapipe"
    img = read_poses(MEDIAPIPE_NPZ)
    assert img.poses.shape == (1, 230, 33, 2) and img.scores.shape == (1, 230, 33)
    assert (img.layout, img.fps, img.format) == ("mediapipe33", 30.0, "mediapipe")
    missing = np.isnan(img.poses).all(axis=(0, 2, 3))
    assert missing.sum() == 8 and (img.scores[0, missing] == 0).all()
    # pixels of a 1768x994 video (landmarks may stray a little outside the frame)
    assert 100 < np.nanmedian(img.poses[..., 0]) < 1768 and 100 < np.nanmedian(img.poses[..., 1]) < 994
    world = read_poses(MEDIAPIPE_NPZ, space="world")
    assert world.poses.shape == (1, 230, 33, 3)
    assert (np.isnan(world.poses).all(axis=(0, 2, 3)) == missing).all()
    np.testing.assert_array_equal(world.scores, img.scores)
    # left shoulder (11) to left hip (23): a torso, a few hundred millimetres
    torso = np.linalg.norm(world.poses[0, :, 11] - world.poses[0, :, 23], axis=-1)
    assert 300 < np.nanmedian(torso) < 700


@needs_mediapipe
@pytest.mark.parametrize("space", ["image", "world"])
def test_mediapipe_npz_written_back_like_the_input(tmp_path, space):
    data = read_poses(MEDIAPIPE_NPZ, space=space)
    refined = dataclasses.replace(data, poses=data.poses + 1.0)
    write_poses(tmp_path / "refined.npz", refined)
    with np.load(MEDIAPIPE_NPZ) as src, np.load(tmp_path / "refined.npz") as out:
        assert sorted(out.files) == sorted(src.files)
        changed, kept = ("kp2d", "kp3d_world") if space == "image" else ("kp3d_world", "kp2d")
        np.testing.assert_array_equal(out[kept], src[kept])
        assert out[changed].shape == src[changed].shape
        np.testing.assert_array_equal(np.isnan(out[changed]), np.isnan(src[changed]))
        step = 1.0 if space == "image" else 1.0 / 1000  # world written back in metres
        np.testing.assert_allclose(out[changed][..., :2], src[changed][..., :2] + step, equal_nan=True)
        if space == "image":
            np.testing.assert_allclose(out["kp2d"][..., 2], src["kp2d"][..., 2], equal_nan=True)
    back = read_poses(tmp_path / "refined.npz", space=space)
    np.testing.assert_allclose(back.poses, refined.poses, equal_nan=True, atol=1e-9)


def test_mediapipe_json_bare_and_with_world(tmp_path):
    rng = np.random.default_rng(3)
    def marks(n=33):
        return [{"x": float(a), "y": float(b), "z": float(c), "visibility": float(d)}
                for a, b, c, d in rng.uniform(0, 1, (n, 4))]

    bare = [marks(), None, marks()]
    (tmp_path / "bare.json").write_text(json.dumps(bare))
    assert detect_format(tmp_path / "bare.json") == "mediapipe"
    data = read_poses(tmp_path / "bare.json")
    assert data.poses.shape == (1, 3, 33, 2) and np.isnan(data.poses[0, 1]).all()
    assert data.scores[0, 2, 4] == bare[2][4]["visibility"]
    write_poses(tmp_path / "bare2.json", data)
    again = json.loads((tmp_path / "bare2.json").read_text())
    assert again[1] is None and again[0][7] == bare[0][7]  # z and visibility kept
    with pytest.raises(ValueError, match="bare.json: .*world_landmarks"):
        read_poses(tmp_path / "bare.json", space="world")

    rich = {"fps": 25, "frames": [{"landmarks": marks(), "world_landmarks": marks()} for _ in range(4)]}
    (tmp_path / "rich.json").write_text(json.dumps(rich))
    world = read_poses(tmp_path / "rich.json", space="world")
    assert world.poses.shape == (1, 4, 33, 3) and world.fps == 25.0
    assert world.poses[0, 0, 0, 2] == pytest.approx(rich["frames"][0]["world_landmarks"][0]["z"] * 1000)
    write_poses(tmp_path / "rich2.json", world)
    assert_same(world, read_poses(tmp_path / "rich2.json", space="world"), scores=True)
    # image landmarks untouched when the world ones are written
    assert json.loads((tmp_path / "rich2.json").read_text())["frames"][2]["landmarks"] == rich["frames"][2]["landmarks"]


def test_mediapipe_wrong_landmark_count(tmp_path):
    (tmp_path / "m.json").write_text(json.dumps([[{"x": 0, "y": 0}] * 30]))
    with pytest.raises(ValueError, match="m.json: frame 0 has 30 landmarks, expected 33"):
        read_poses(tmp_path / "m.json")


# ---- BVH --------------------------------------------------------------------------------

def test_bvh_fixture_positions_in_mm_and_fps(tmp_path):
    data = read_poses(FIXTURES / "tiny.bvh")
    assert data.poses.shape == (1, 3, 2, 3) and data.fps == 25.0 and data.layout is None
    np.testing.assert_allclose(data.poses[0, :, 1], [[0, 1000, 0], [10, 1000, 0], [-80, 900, 0]], atol=1e-9)
    np.testing.assert_allclose(read_poses(FIXTURES / "tiny.bvh", scale=1.0).poses, data.poses / 10)
    with pytest.raises(ValueError, match="x.bvh: cannot write format 'bvh' .*rotations"):
        write_poses(tmp_path / "x.bvh", data)


@pytest.mark.skipif(not (DATA / "bandai-namco").is_dir(), reason="shared Bandai Namco data missing")
def test_bvh_bandai_clip_is_bandai22_in_mm():
    clip = sorted((DATA / "bandai-namco" / "ds1").glob("*.bvh"))[0]
    data = read_poses(clip)
    assert data.layout == "bandai22" and data.poses.shape[2:] == (22, 3) and data.fps == 30.0
    head, toes = data.poses[0, :, 5], data.poses[0, :, 17]
    height = np.median(head[:, 1] - toes[:, 1])  # Y up
    assert 1200 < height < 2000  # an adult, in millimetres


def test_posedata_from_one_format_written_as_another(tmp_path):
    data = read_poses(FIXTURES / "mmpose_demo.json")
    write_poses(tmp_path / "as.csv", data)
    back = read_poses(tmp_path / "as.csv")
    assert_same(data, back)
    assert back.extra["frame_ids"] == [1, 2, 3] and back.layout == "coco17"
    write_poses(tmp_path / "as.json", back, format="coco")
    coco = read_poses(tmp_path / "as.json")
    np.testing.assert_allclose(coco.poses, data.poses)
    assert isinstance(coco, PoseData) and coco.track_ids == data.track_ids


def test_coco_string_image_ids_are_in_numeric_frame_order(tmp_path):
    # AlphaPose writes file names as image ids: "10.jpg" comes after "2.jpg", not before it
    names = [f"{t}.jpg" for t in (0, 1, 10, 11, 2, 3)]
    def keypoints(x: float) -> list:
        return np.column_stack([np.full(17, x), np.zeros(17), np.ones(17)]).ravel().tolist()

    results = [{"image_id": name, "category_id": 1, "score": 0.9, "keypoints": keypoints(float(name[:-4]))}
               for name in names]
    (tmp_path / "alphapose.json").write_text(json.dumps(results))
    data = read_poses(tmp_path / "alphapose.json")
    assert data.extra["frame_ids"] == [f"{t}.jpg" for t in range(12)]  # the frames in between: nobody seen
    np.testing.assert_array_equal(data.poses[0, :, 0, 0], [0, 1, 2, 3, *[np.nan] * 6, 10, 11])


def test_sniffers_share_the_inner_entry_of_nested_frames():
    """mmpose and MediaPipe frames of persons: the first non-null person of the first non-empty frame."""
    from synsp.formats import mediapipe, mmpose
    from synsp.formats.posedata import inner_entry

    person = {"keypoints": [[1.0, 2.0]], "x": 1.0, "y": 2.0}
    assert inner_entry([None, [], [None, person]]) is person
    assert inner_entry([{"a": 1}]) is None and inner_entry({"frames": []}) is None and inner_entry([[None]]) is None
    assert mmpose.sniff([[], [None, {"keypoints": []}]]) and not mmpose.sniff([[None, {"x": 0, "y": 0}]])
    assert mediapipe.sniff([[], [None, {"x": 0, "y": 0}]]) and not mediapipe.sniff([[None, {"keypoints": []}]])


def test_a_json_file_is_parsed_once_for_sniffing_and_reading(tmp_path, monkeypatch):
    """detect_format's parse is handed to the reader of the same unchanged file; a file changed
    since is parsed again, and nothing is held once the reader has taken it."""
    from synsp.formats import posedata

    parses = []
    real = posedata._parse_json
    monkeypatch.setattr(posedata, "_parse_json", lambda p: parses.append(p) or real(p))
    path = tmp_path / "video.json"
    path.write_text(json.dumps([{"frame_id": t, "instances": [_instance([10, 20], t)]} for t in range(5)]))
    assert read_poses(path).poses.shape == (1, 5, 17, 2) and len(parses) == 1
    assert detect_format(path) == detect_format(path) == "mmpose" and len(parses) == 2
    assert read_poses(path, format="mmpose").poses.shape == (1, 5, 17, 2) and len(parses) == 2
    assert not posedata._SNIFFED
    detect_format(path)
    path.write_text(json.dumps([{"frame_id": t, "instances": [_instance([10, 20], t)] * 2} for t in range(7)]))
    assert read_poses(path, format="mmpose").poses.shape == (2, 7, 17, 2) and len(parses) == 4


def _labelled_walk(frames: int = 40) -> np.ndarray:
    """(T, 17, 2) pixels of a person walking right, for COCO's labelled-video files."""
    rng = np.random.default_rng(5)
    base = rng.uniform(300, 700, (17, 2))
    return base[None] + np.arange(frames)[:, None, None] * np.array([3.0, 0.0]) + rng.normal(0, 1, (frames, 17, 2))


def _flagged(pose: np.ndarray, t: int) -> list[float]:
    flags = np.full(17, 2.0)
    flags[9] = 1.0 if 10 <= t < 20 else 2.0  # the left wrist labelled but hidden for a while
    triples = np.concatenate([pose, flags[:, None]], axis=1)
    if t == 5:
        triples[10] = [0, 0, 0]  # the right wrist not labelled in one frame
    return np.round(triples, 2).ravel().tolist()


def test_coco_visibility_flags_read_as_flags_and_written_back(tmp_path):
    """A user audit (2026-12-06): visibility flags (v = 1, 2) as a results list's third values read as confidences."""
    walk = _labelled_walk()
    results = [{"image_id": t, "category_id": 1, "keypoints": _flagged(walk[t], t), "score": 1.0} for t in range(40)]
    (tmp_path / "vis.json").write_text(json.dumps(results))
    data = read_poses(tmp_path / "vis.json")
    assert data.extra["coco"]["flags"] and any("visibility flags" in note for note in data.extra["notes"])
    assert np.isnan(data.poses[0, 5, 10]).all() and np.isfinite(data.poses[0, 15, 9]).all()
    filled = dataclasses.replace(data, poses=np.where(np.isnan(data.poses), 500.0, data.poses))
    write_poses(tmp_path / "out.json", filled)
    back = json.loads((tmp_path / "out.json").read_text())
    assert back[15]["keypoints"][9 * 3 + 2] == 1.0 and back[0]["keypoints"][9 * 3 + 2] == 2.0  # as read
    assert back[5]["keypoints"][10 * 3:10 * 3 + 3] == [500.0, 500.0, 1.0]  # filled: placed, not seen
    scores = [{"image_id": t, "keypoints": np.round(np.concatenate([walk[t], np.full((17, 1), 0.9)], 1), 2)
               .ravel().tolist()} for t in range(40)]
    (tmp_path / "scores.json").write_text(json.dumps(scores))
    assert not read_poses(tmp_path / "scores.json").extra["coco"]["flags"]  # confidences stay confidences


def test_coco_annotation_file_is_read_and_written_back_whole(tmp_path):
    """A labelled video exported from CVAT as COCO ({images, annotations, categories}) was refused as an
    unrecognised JSON object; now its frames are the images (by file name), its persons CVAT's track ids."""
    from synsp.refining.files import refine_file

    walk = _labelled_walk()
    order = np.random.default_rng(1).permutation(40)  # images listed out of order, ids unlike frame numbers
    images = [{"id": 100 + int(k), "file_name": f"frame_{int(t):06d}.png", "width": 1280, "height": 720}
              for k, t in enumerate(order)]
    id_of = {int(t): 100 + k for k, t in enumerate(order)}
    annotations = [{"id": t + 1, "image_id": id_of[t], "category_id": 3, "keypoints": _flagged(walk[t], t),
                    "num_keypoints": 17, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0,
                    "attributes": {"track_id": 7, "occluded": False}} for t in range(40) if t != 30]
    categories = [{"id": 3, "name": "person", "keypoints": list(LAYOUTS["coco17"].joints), "skeleton": []}]
    content = {"info": {"description": "cvat"}, "images": images, "annotations": annotations, "categories": categories}
    (tmp_path / "labels.json").write_text(json.dumps(content))
    assert detect_format(tmp_path / "labels.json") == "coco"
    data = read_poses(tmp_path / "labels.json")
    assert data.layout == "coco17" and data.track_ids == [7] and data.poses.shape == (1, 40, 17, 2)
    np.testing.assert_allclose(data.poses[0, 12], np.round(walk[12], 2))  # frame 12 by its file name
    assert np.isnan(data.poses[0, 30]).all()  # an image nobody was labelled in
    refine_file(tmp_path / "labels.json", tmp_path / "out.json", method="savgol")
    out = json.loads((tmp_path / "out.json").read_text())
    assert {k: v for k, v in out.items() if k != "annotations"} == {k: v for k, v in content.items()
                                                                       if k != "annotations"}
    by_image = {a["image_id"]: a for a in out["annotations"]}
    first = by_image[id_of[12]]
    assert first["id"] == 13 and first["attributes"] == {"track_id": 7, "occluded": False} and first["bbox"]
    assert "track_id" not in first and first["num_keypoints"] == 17
    assert not np.allclose(np.reshape(first["keypoints"], (17, 3))[:, :2], np.round(walk[12], 2))  # refined
    assert id_of[30] not in by_image  # nobody labelled there: nobody invented
    whole = dataclasses.replace(data, poses=np.where(np.isnan(data.poses), 500.0, data.poses))
    write_poses(tmp_path / "whole.json", whole)
    added = next(a for a in json.loads((tmp_path / "whole.json").read_text())["annotations"]
                 if a["image_id"] == id_of[30])
    assert added["id"] == 41 and added["category_id"] == 3 and added["attributes"] == {"track_id": 7}
    assert added["keypoints"][2::3] == [1.0] * 17  # filled: placed, not seen
