"""anipose 3D CSVs whose body parts carry a layout's names (COCO-17's, h36m17's, as anipose projects of people
name them): refined by the network route one by one and in a batch, as the same poses in a .npy are; a file with
some of COCO-17's body parts is written back with its own, the others said to be out of the picture."""
from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining import file_channels

FRAMES = 40
EYES_EARS = ("left_eye", "right_eye", "left_ear", "right_ear")


def _poses() -> np.ndarray:
    """(T, J, 3) mm: a person-sized cloud moving smoothly, with noise."""
    rng = np.random.default_rng(0)
    joints = 17
    body = rng.normal(0.0, 250.0, (joints, 3)) + np.array([0.0, 900.0, 3000.0])
    t = np.arange(FRAMES)[:, None, None]
    return body[None] + 40.0 * np.sin(t / 6.0) + rng.normal(0.0, 8.0, (FRAMES, joints, 3))


@pytest.mark.parametrize("layout", ["coco17", "h36m17"])
def test_layout_named_anipose_refines_as_the_array(layout, tmp_path):
    x = _poses()
    write_poses(tmp_path / "in" / "p.csv", PoseData(poses=x[None], layout=layout, fps=30.0), format="anipose")
    data = read_poses(tmp_path / "in" / "p.csv")
    assert data.format == "anipose" and data.layout == layout
    assert file_channels.lacking_joints(data, layout) is None  # every body part has its columns
    assert main(["refine", str(tmp_path / "in" / "p.csv"), str(tmp_path / "p.csv"), "--layout", layout]) in (0, None)
    np.save(tmp_path / "p.npy", x)
    assert main(["refine", str(tmp_path / "p.npy"), str(tmp_path / "out.npy"), "--layout", layout]) in (0, None)
    out = read_poses(tmp_path / "p.csv").poses[0]
    np.testing.assert_allclose(out, np.load(tmp_path / "out.npy").reshape(out.shape), atol=1e-3)
    assert main(["refine", str(tmp_path / "in"), str(tmp_path / "batch"), "--layout", layout]) in (0, None)
    np.testing.assert_array_equal(read_poses(tmp_path / "batch" / "p.csv").poses, read_poses(tmp_path / "p.csv").poses)


def test_some_of_coco_body_parts_written_back_as_the_files_own(tmp_path):
    write_poses(tmp_path / "all.csv", PoseData(poses=_poses()[None], layout="coco17", fps=30.0),
                format="anipose")
    with open(tmp_path / "all.csv", newline="") as f:
        rows = list(csv.reader(f))
    keep = [c for c, name in enumerate(rows[0]) if name.rsplit("_", 1)[0] not in EYES_EARS]
    with open(tmp_path / "body.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[row[c] for c in keep] for row in rows])
    data = read_poses(tmp_path / "body.csv")
    assert data.layout == "coco17" and data.poses.shape[2] == 17
    assert np.flatnonzero(file_channels.lacking_joints(data, "coco17")).tolist() == [1, 2, 3, 4]  # eyes, ears
    assert main(["refine", str(tmp_path / "body.csv"), str(tmp_path / "out.csv")]) in (0, None)
    with open(tmp_path / "out.csv", newline="") as f:
        written = list(csv.reader(f))
    assert len(written) == FRAMES + 1
    assert written[0] == [rows[0][c] for c in keep]  # the file's own columns, fnum and scores with them


def test_other_readers_keep_no_layout_columns_under_that_key(tmp_path):
    """``extra[fmt]["columns"]`` is each column's joint in a layout (TRC, C3D, CSV, SLEAP, DLC, anipose where its body
    parts are not the layout's in order); anipose keeps its x, y, z column numbers as ``cells``, Kaggle its axes' as
    ``axes``."""
    write_poses(tmp_path / "p.csv", PoseData(poses=_poses()[None], layout="coco17", fps=30.0),
                format="anipose")
    own = read_poses(tmp_path / "p.csv").extra["anipose"]
    assert "columns" not in own and own["cells"][1] == [6, 7, 8]


def _shuffled(tmp_path) -> tuple[list[list[str]], list[int]]:
    """An anipose CSV of COCO-17's body parts in another order than COCO-17's, each body part's error, camera count
    and score its own (differing per body part and frame); its rows and the order (COCO-17 index per body part)."""
    write_poses(tmp_path / "coco.csv", PoseData(poses=_poses()[None], layout="coco17", fps=30.0), format="anipose")
    with open(tmp_path / "coco.csv", newline="") as f:
        rows = list(csv.reader(f))
    order = np.random.default_rng(3).permutation(17).tolist()
    names = [rows[0][6 * j].rsplit("_", 1)[0] for j in range(17)]
    shuffled = [sum(([f"{names[j]}_{col}" for col in ("x", "y", "z", "error", "ncams", "score")] for j in order), [])
                + ["fnum"]]
    for t, row in enumerate(rows[1:]):
        own = [[repr(1.0 + j + t / 100), str(2 + j % 3), repr(0.5 + j / 40 + t / 1000)] for j in range(17)]
        shuffled.append(sum((row[6 * j:6 * j + 3] + own[j] for j in order), []) + [row[-1]])
    with open(tmp_path / "shuffled.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(shuffled)
    return shuffled, order


def test_body_parts_in_another_order_keep_their_own_scores(tmp_path):
    _, order = _shuffled(tmp_path)
    data = read_poses(tmp_path / "shuffled.csv")
    assert data.format == "anipose" and data.layout == "coco17"
    assert data.extra["anipose"]["columns"] == order and file_channels.lacking_joints(data, "coco17") is None
    expected = 0.5 + np.arange(17)[None] / 40 + np.arange(FRAMES)[:, None] / 1000  # (T, J): each joint's own score
    np.testing.assert_allclose(data.scores[0], expected)
    np.testing.assert_allclose(data.poses[0], read_poses(tmp_path / "coco.csv").poses[0])


def test_refine_keeps_the_files_column_order_and_each_body_parts_columns(tmp_path):
    rows, order = _shuffled(tmp_path)
    for name in ("shuffled", "coco"):  # a filter of each joint alone: the same joints refine the same in either order
        assert main(["refine", str(tmp_path / f"{name}.csv"), str(tmp_path / f"{name}_out.csv"), "--method",
                     "savgol"]) in (0, None)
    with open(tmp_path / "shuffled_out.csv", newline="") as f:
        written = list(csv.reader(f))
    assert written[0] == rows[0] and len(written) == len(rows)
    own = [c for c, name in enumerate(rows[0]) if name.rsplit("_", 1)[-1] not in ("x", "y", "z")]
    assert [[row[c] for c in own] for row in written] == [[row[c] for c in own] for row in rows]
    refined = read_poses(tmp_path / "coco_out.csv").poses
    np.testing.assert_allclose(read_poses(tmp_path / "shuffled_out.csv").poses, refined)
    assert not np.allclose(refined, read_poses(tmp_path / "coco.csv").poses)


def test_frames_cut_are_written_with_each_body_parts_own_score(tmp_path):
    """Poses of fewer frames than the source table: written anew, each body part with its name and its score."""
    _shuffled(tmp_path)
    data = read_poses(tmp_path / "shuffled.csv")
    cut = dataclasses.replace(data, poses=data.poses[:, :20], scores=data.scores[:, :20],
                              extra={**data.extra, "frame_ids": data.extra["frame_ids"][:20]})
    write_poses(tmp_path / "cut.csv", cut, format="anipose")
    back = read_poses(tmp_path / "cut.csv")
    assert back.layout == "coco17" and back.poses.shape == (1, 20, 17, 3)
    np.testing.assert_array_equal(back.poses, cut.poses)
    np.testing.assert_array_equal(back.scores, cut.scores)
