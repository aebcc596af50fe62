"""Ultralytics YOLO-pose files: ``save_txt`` labels (a folder) and ``Results.summary()`` JSON, read, refined by
``synsp refine`` and written back in their own form (fixtures: tests/fixtures/formats/make_tool_files.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import detect_format, read_poses
from synsp.formats.ultralytics import label_shape
from synsp.refining.batch import batch_inputs, is_batch

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
LABELS, SUMMARY = FIXTURES / "yolo_labels", FIXTURES / "yolo_summary.json"


@pytest.mark.parametrize("path", [LABELS, SUMMARY])
def test_labels_and_summary_json_read_as_two_tracked_people(path):
    data = read_poses(path)
    assert detect_format(path) == "ultralytics" and data.layout == "coco17"
    assert data.poses.shape == (2, 60, 17, 2) and data.track_ids == [1, 2]
    assert np.isnan(data.poses[:, 44]).all()  # frame 45: no label file, nobody found
    assert np.isnan(data.poses[0, 30, 9]).all() and np.isfinite(data.poses[0, 31, 9]).all()  # 0 0 0: not found
    assert np.nanmean(data.poses[0, :, 0, 0]) < np.nanmean(data.poses[1, :, 0, 0])  # by ids, not file order


def test_label_line_counts_tell_scores_box_confidence_and_track_id():
    assert label_shape(51) == (17, 3, 0) and label_shape(52) == (17, 3, 1) and label_shape(53) == (17, 3, 2)
    assert label_shape(34) == (17, 2, 0) and label_shape(63) == (21, 3, 0)  # no visibility; a hand model's 21
    with pytest.raises(ValueError, match="too few"):
        label_shape(1)


def test_labels_refined_from_the_cli_are_written_back_as_labels(tmp_path, capsys):
    out = tmp_path / "refined"
    assert main(["refine", str(LABELS), str(out), "--image-size", "1920", "1080"]) == 0
    assert "image given (--image-size)" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in LABELS.iterdir())
    before, after = (LABELS / "walk_31.txt").read_text().split("\n"), (out / "walk_31.txt").read_text().split("\n")
    for old, new in zip(before[:2], after[:2]):
        old, new = old.split(), new.split()
        assert len(new) == len(old) == 5 + 51 + 2 and new[:5] == old[:5] and new[-2:] == old[-2:]  # box, conf, id
    wrist = after[0].split()[5 + 3 * 9:5 + 3 * 9 + 2]  # track 1's left wrist, not found in this frame
    assert float(wrist[0]) > 0.3 and float(wrist[1]) > 0.3  # filled in, where 0 0 said nothing was
    back, given = read_poses(out), read_poses(LABELS)
    moved = np.nanmean(np.abs(back.poses - given.poses) * [1920, 1080])
    assert back.track_ids == [1, 2] and 0.05 < moved < 5  # refined in pixels: moved a little, not squashed


def test_summary_json_refined_keeps_its_objects(tmp_path):
    out = tmp_path / "refined.json"
    assert main(["refine", str(SUMMARY), str(out), "--method", "savgol"]) == 0
    written, source = json.loads(out.read_text()), json.loads(SUMMARY.read_text())
    assert len(written) == 60 and written[44] == []
    person, was = written[3][0], source[3][0]
    assert {k: person[k] for k in ("track_id", "box", "confidence")} == {k: was[k] for k in ("track_id", "box",
                                                                                           "confidence")}
    assert len(person["keypoints"]["x"]) == 17 and person["keypoints"]["visible"] == was["keypoints"]["visible"]


def test_a_labels_folder_is_one_input_and_a_folder_of_other_txt_says_why(tmp_path):
    shutil.copytree(LABELS, tmp_path / "run" / "labels")
    assert not is_batch(tmp_path / "run" / "labels") and is_batch(tmp_path / "run")
    assert batch_inputs(tmp_path / "run")[0] == [tmp_path / "run" / "labels"]
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("hello\n")
    (notes / "b.txt").write_text("world\n")
    with pytest.raises(ValueError, match="2 .txt file.*nor YOLO-pose labels"):
        batch_inputs(notes)


def test_one_label_file_names_its_folder_and_a_table_of_numbers_is_no_label(tmp_path):
    with pytest.raises(ValueError, match="one frame of YOLO-pose labels.*give its folder"):
        read_poses(LABELS / "walk_1.txt")
    np.savetxt(tmp_path / "table.txt", np.random.default_rng(0).uniform(2, 9, (5, 56)))
    with pytest.raises(ValueError) as err:
        read_poses(tmp_path / "table.txt")
    assert "YOLO" not in str(err.value)
