"""AlphaPose results: file-name image ids in numeric order, idx tracks used as they are, Halpe layouts."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from synsp.formats import detect_format, read_poses, write_poses

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def _result(image_id, x, idx=None, n=26):
    res = {"image_id": image_id, "category_id": 1, "keypoints": [x, 10.0, 0.9] * n, "score": 2.7,
           "box": [x, 0.0, 50.0, 100.0]}
    return res if idx is None else {**res, "idx": idx}


def test_pose_track_fixture_round_trip(tmp_path):
    src = FIXTURES / "alphapose-results.json"
    assert detect_format(src) == "alphapose"
    data = read_poses(src)
    assert data.poses.shape == (2, 60, 26, 2) and data.layout == "halpe26" and data.track_ids == [1, 2]
    x = np.nanmean(data.poses[..., 0], axis=2)
    assert (np.abs(x[0] - x[1]) > 300).all()
    write_poses(tmp_path / "out.json", data)
    out = json.loads((tmp_path / "out.json").read_text())
    source = json.loads(src.read_text())
    assert {(r["image_id"], r["idx"]) for r in out} == {(r["image_id"], r["idx"]) for r in source}
    assert out[0]["box"] == next(r["box"] for r in source if (r["image_id"], r["idx"]) == (out[0]["image_id"],
                                                                                         out[0]["idx"]))
    assert np.array_equal(read_poses(tmp_path / "out.json").poses, data.poses, equal_nan=True)


def test_string_image_ids_sort_numerically(tmp_path):
    order = [5, 11, 0, 10, 2, 1, 9]
    (tmp_path / "r.json").write_text(json.dumps([_result(f"{t}.jpg", float(t), idx=1) for t in order]))
    data = read_poses(tmp_path / "r.json")
    assert data.extra["frame_ids"] == [f"{t}.jpg" for t in range(12)]  # placed by their numbers
    np.testing.assert_array_equal(data.poses[0, sorted(order), 0, 0], sorted(order))
    assert np.isnan(data.poses[0, [3, 4, 6, 7, 8], 0, 0]).all()


def test_idx_keeps_people_apart_where_the_tracker_would_swap_them(tmp_path):
    # the two people trade places between frames: by position they swap, by idx they do not
    results = []
    for t in range(6):
        a, b = (0.0, 100.0) if t % 2 == 0 else (100.0, 0.0)
        results += [_result(f"{t}.jpg", a, idx=4), _result(f"{t}.jpg", b, idx=9)]
    (tmp_path / "r.json").write_text(json.dumps(results))
    data = read_poses(tmp_path / "r.json")
    assert data.track_ids == [4, 9]
    assert data.poses[0, :, 0, 0].tolist() == [0.0, 100.0] * 3  # person idx 4 followed as AlphaPose tracked it
    # without idx the tracker decides (by distance), and a repeated idx is not a track either
    for res in results:
        res["idx"] = 0
    (tmp_path / "s.json").write_text(json.dumps(results))
    assert read_poses(tmp_path / "s.json").poses.shape[0] == 2


def test_an_idx_twice_in_a_few_frames_keeps_the_ids_as_mmpose_and_openpose_do(tmp_path):
    """A tracker's slip (idx 4 on both people in frames 3-4): the ids were all dropped for matching (audit 17,
    finding 4); now kept, the two frames' people matched to their tracks."""
    results = []
    for t in range(10):
        for x, idx in ((100.0 + t, 4), (500.0 - t, 4 if t in (3, 4) else 9)):
            res = _result(f"{t}.jpg", x, idx=idx)
            res["keypoints"] = [v for j in range(26) for v in (x + 2 * j, 10.0 + 5 * j, 0.9)]
            results.append(res)
    (tmp_path / "r.json").write_text(json.dumps(results))
    data = read_poses(tmp_path / "r.json")
    assert data.track_ids == [4, 9] and data.extra["notes"][0].startswith("warning: 2 frame(s) hold an instance idx "
                                                                          "twice (a tracker's slip): image_id 3.jpg, "
                                                                          "image_id 4.jpg;")
    np.testing.assert_array_equal(data.poses[1, :, 0, 0], [500.0 - t for t in range(10)])
    write_poses(tmp_path / "out.json", data)
    assert sorted((r["image_id"], r["idx"]) for r in json.loads((tmp_path / "out.json").read_text()))[6:10] == [
        ("3.jpg", 4), ("3.jpg", 9), ("4.jpg", 4), ("4.jpg", 9)]


def test_halpe136_and_plain_coco(tmp_path):
    (tmp_path / "w.json").write_text(json.dumps([_result("0.jpg", 1.0, n=136), _result("1.jpg", 2.0, n=136)]))
    assert detect_format(tmp_path / "w.json") == "alphapose" and read_poses(tmp_path / "w.json").layout == "halpe136"
    (tmp_path / "c.json").write_text(json.dumps([_result(0, 1.0, n=17)]))
    assert detect_format(tmp_path / "c.json") == "coco"
