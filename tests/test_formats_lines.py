"""Files from users' tools the audit found refused (audit 7, findings 6 and 7): MediaPipe's Tasks API
(``PoseLandmarker``: a list of poses per frame) and JSON Lines (``synsp stream``'s lines saved to a file,
mmpose entries one per line), read, and written back in the input's shape.

Fixtures (tests/fixtures/formats): ``mediapipe_tasks.jsonl``, three frames of ``dataclasses.asdict`` of a
``PoseLandmarkerResult`` plus ``timestamp_ms``, one per line: two people, listed in the other order in frame
1, one alone in frame 2; ``stream_log.jsonl``, four ``synsp stream`` input lines of two people (ids 3 and 1)
of three joints, with a joint not detected and a person absent.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synsp.formats import detect_format, read_poses, write_poses

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TASKS = FIXTURES / "mediapipe_tasks.jsonl"
STREAM = FIXTURES / "stream_log.jsonl"


def _lines(path: Path) -> list:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# ---- MediaPipe Tasks: a list of poses per frame ---------------------------------------------------------

def test_mediapipe_tasks_poses_per_frame_are_tracks():
    assert detect_format(TASKS) == "mediapipe"
    data = read_poses(TASKS)
    assert data.poses.shape == (2, 3, 33, 2) and data.layout == "mediapipe33"
    # frame 1 lists the people the other way round: each stays on its track
    centres = data.poses[..., 0].mean(-1)  # (V, T) mean x
    left = int(np.argmin(centres[:, 0]))
    np.testing.assert_allclose(centres[left, :3], 0.25 + 0.008 + 0.01 * np.arange(3), atol=1e-3)
    assert np.isnan(data.poses[1 - left, 2]).all() and (data.scores[1 - left, 2] == 0).all()
    assert (data.scores[left] == 0.9).all()
    world = read_poses(TASKS, space="world")
    assert world.poses.shape == (2, 3, 33, 3)
    frame = _lines(TASKS)[0]["pose_world_landmarks"][0]
    v = int(np.argmin(np.abs(world.poses[:, 0, 32, 2] - frame[32]["z"] * 1000)))
    np.testing.assert_allclose(world.poses[v, 0, 32], [frame[32][k] * 1000 for k in "xyz"])


@pytest.mark.parametrize("space", ["image", "world"])
def test_mediapipe_tasks_written_back_in_its_shape(tmp_path, space):
    data = read_poses(TASKS, space=space)
    data.poses = data.poses + (1.0 if space == "world" else 0.001)  # "refined"
    out = tmp_path / "refined.jsonl"
    write_poses(out, data)
    source, lines = _lines(TASKS), _lines(out)
    assert len(lines) == 3 and [len(line["pose_landmarks"]) for line in lines] == [2, 2, 1]
    key, other = ("pose_landmarks", "pose_world_landmarks")[::1 if space == "image" else -1]
    for old, new in zip(source, lines):
        assert new["timestamp_ms"] == old["timestamp_ms"] and new[other] == old[other]  # untouched
        for old_pose, new_pose in zip(old[key], new[key]):  # each pose in its own place, presence kept
            assert new_pose[5]["presence"] == 0.95
            assert new_pose[5]["x"] == pytest.approx(old_pose[5]["x"] + 0.001, abs=1e-9)
    back = read_poses(out, space=space)
    np.testing.assert_allclose(back.poses, data.poses, atol=1e-9)


def test_mediapipe_one_pose_per_frame_in_tasks_shape_reads_as_the_legacy_file(tmp_path):
    legacy = [[{"x": 0.3 + 0.01 * t + 0.001 * j, "y": 0.5, "z": 0.0, "visibility": 0.8} for j in range(33)]
              for t in range(4)]
    (tmp_path / "legacy.json").write_text(json.dumps(legacy))
    (tmp_path / "tasks.json").write_text(json.dumps({"fps": 25, "frames": [[f] for f in legacy[:2]] + [[]]
                                                     + [[legacy[3]]]}))
    old, new = read_poses(tmp_path / "legacy.json"), read_poses(tmp_path / "tasks.json")
    assert new.poses.shape == (1, 4, 33, 2) and new.fps == 25.0
    np.testing.assert_allclose(new.poses[:, [0, 1, 3]], old.poses[:, [0, 1, 3]])
    assert np.isnan(new.poses[0, 2]).all()
    write_poses(tmp_path / "out.json", new)
    frames = json.loads((tmp_path / "out.json").read_text())["frames"]
    assert [len(f) for f in frames] == [1, 1, 0, 1] and frames[3][0][7] == legacy[3][7]


def test_mediapipe_pose_of_the_wrong_size_names_the_pose(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps([[[{"x": 0, "y": 0}]]]))
    with pytest.raises(ValueError, match="m.json: frame 0 pose 0 has 1 landmarks, expected 33") as err:
        read_poses(path)
    assert "\n" not in str(err.value)


# ---- JSON Lines: synsp stream's lines, mmpose entries ---------------------------------------------------

def test_a_saved_stream_session_reads_one_track_per_id(tmp_path):
    assert detect_format(STREAM) == "stream"
    data = read_poses(STREAM)
    # points as written: the third value is told a confidence (or a z) by refine, as an array's is
    assert data.poses.shape == (2, 4, 3, 3) and data.track_ids == [1, 3] and data.fps is None
    np.testing.assert_allclose(data.poses[1, 1], [[101, 201, 0.9], [111, 262, 0.8], [121, 321, 0.7]])
    assert data.scores is None and data.poses[1, 2, 2, 2] == 0.6 and np.isnan(data.poses[0, 1, 2]).all()
    assert np.isnan(data.poses[0, 2]).all()  # id 1 not in line 3
    # the same lines in a .json: JSON Lines are told by their line breaks, not by the extension
    (tmp_path / "log.json").write_text(STREAM.read_text())
    np.testing.assert_array_equal(read_poses(tmp_path / "log.json").poses, data.poses)


def test_a_saved_stream_session_is_written_back_as_its_lines(tmp_path):
    data = read_poses(STREAM)
    data.poses[..., :2] += 0.5
    write_poses(tmp_path / "out.json", data)  # a .json read as lines stays lines
    source, lines = _lines(STREAM), _lines(tmp_path / "out.json")
    assert [line["t"] for line in lines] == [0.0, 0.033, 0.067, 0.1]
    assert [[p["id"] for p in line["people"]] for line in lines] == [[3, 1], [1, 3], [3], [3, 1]]  # file's order
    assert lines[1]["people"][0]["keypoints"][2] is None  # not detected, as it came
    assert lines[0]["people"][0]["keypoints"][1] == [110.5, 260.5, 0.8]
    assert len(lines) == len(source)


def test_a_saved_stream_session_saved_on_windows_keeps_its_line_endings_and_bom(tmp_path):
    """Lines saved with CRLF and a BOM (a Windows editor) are written back with both, as CSV, TRC and BVH are
    (audit 29, finding 11: they came back LF without the BOM); lines saved plain stay plain."""
    text = STREAM.read_text()
    (tmp_path / "windows.jsonl").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    for name in ("windows", "plain"):
        source = tmp_path / "windows.jsonl" if name == "windows" else STREAM
        write_poses(tmp_path / f"{name}_out.jsonl", read_poses(source))
    windows, plain = ((tmp_path / f"{n}_out.jsonl").read_bytes() for n in ("windows", "plain"))
    assert b"\r" not in plain and not plain.startswith(b"\xef\xbb\xbf")
    assert windows.startswith(b"\xef\xbb\xbf{") and windows.count(b"\r\n") == windows.count(b"\n") == 4
    assert windows[3:].replace(b"\r\n", b"\n") == plain


def test_json_lines_are_read_from_one_open_of_the_file(tmp_path, monkeypatch):
    """Told (detect_format), read and its style (CRLF, a BOM) taken from one open of the file: the style came
    from a second open (review: a file could change between the two, and it is a second read of the disk)."""
    import builtins

    source = tmp_path / "windows.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + STREAM.read_text().replace("\n", "\r\n").encode())
    opens, real_open = [], builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: (opens.append(Path(file)), real_open(file, *a, **k))[1])
    data = read_poses(source)
    monkeypatch.undo()
    assert opens.count(source) == 1 and data.poses.shape == (2, 4, 3, 3)
    write_poses(tmp_path / "out.jsonl", data)
    assert (tmp_path / "out.jsonl").read_bytes().startswith(b"\xef\xbb\xbf{\"t\": 0.0")
    assert (tmp_path / "out.jsonl").read_bytes().count(b"\r\n") == 4


def test_a_saved_stream_session_refines_offline(tmp_path):
    from synsp.refining.files import refine_file

    rng = np.random.default_rng(0)
    base = np.stack([np.linspace(100, 160, 40), np.full(40, 200.0)], -1)
    noisy = base[:, None] + np.arange(5)[:, None] * [10.0, 30.0] + rng.normal(0, 2, (40, 5, 2))
    with open(tmp_path / "live.jsonl", "w") as f:
        for t in range(40):
            f.write(json.dumps({"t": t, "people": [{"id": 0, "keypoints": noisy[t].round(2).tolist()}]}) + "\n")
    refine_file(tmp_path / "live.jsonl", tmp_path / "refined.jsonl", method="gaussian", fps=30)
    lines = _lines(tmp_path / "refined.jsonl")
    assert [line["t"] for line in lines] == list(range(40)) and len(lines[0]["people"][0]["keypoints"]) == 5
    out = np.array([line["people"][0]["keypoints"] for line in lines])
    assert out.shape == (40, 5, 2)
    assert np.abs(np.diff(out, 2, axis=0)).mean() < 0.5 * np.abs(np.diff(noisy, 2, axis=0)).mean()  # smoothed


def test_mmpose_entries_one_per_line_are_read_and_written_as_lines(tmp_path):
    entries = [{"frame_id": t, "instances": [{"keypoints": [[100.0 + t + j, 200.0 + 2 * j] for j in range(17)],
                                              "keypoint_scores": [0.9] * 17, "bbox": [[0, 0, 10, 10]]}]}
               for t in range(5)]
    (tmp_path / "rtm.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))
    assert detect_format(tmp_path / "rtm.jsonl") == "mmpose"
    data = read_poses(tmp_path / "rtm.jsonl")
    assert data.poses.shape == (1, 5, 17, 2) and data.layout == "coco17"
    write_poses(tmp_path / "out.jsonl", data)
    lines = _lines(tmp_path / "out.jsonl")
    assert [line["frame_id"] for line in lines] == list(range(5))
    assert lines[2]["instances"][0]["bbox"] == [[0, 0, 10, 10]]
    np.testing.assert_allclose(read_poses(tmp_path / "out.jsonl").poses, data.poses)
    assert read_poses(tmp_path / "rtm.jsonl", format="mmpose").poses.shape == (1, 5, 17, 2)  # named, too


@pytest.mark.parametrize("name, text, message", [
    ("u.jsonl", '{"a": 1}\n{"a": 2}\n', r"unrecognised JSONL lines, 2 values \(first \{'a': 1\}.*expected mmpose"),
    ("bad.json", '{"t": 0, "people": []}\n{"t": 1, oops}\n', "line 2 is not one JSON value .*one JSON value per line"),
    ("blank.jsonl", "\n\n", "empty file|no JSON value on any line"),
    ("odd.jsonl", '{"t": 0, "people": [{"id": 0, "keypoints": 5}]}\n', "line 1: person 0: keypoints must be"),
])
def test_json_lines_that_cannot_be_read_say_so_in_one_line(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(ValueError, match=f"{name}: .*{message}") as err:
        read_poses(tmp_path / name)
    assert "\n" not in str(err.value)
