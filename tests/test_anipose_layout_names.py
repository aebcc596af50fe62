"""anipose 3D CSVs whose body parts carry a layout's names (COCO-17's, h36m17's, as anipose projects of people
name them): refined by the network route one by one and in a batch, as the same poses in a .npy are; a file with
some of COCO-17's body parts is written back with its own, the others said to be out of the picture."""
from __future__ import annotations

import csv

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
    """``extra[fmt]["columns"]`` is each column's joint in a layout (TRC, C3D, CSV, SLEAP, DLC); anipose keeps its
    x, y, z column numbers as ``cells``, Kaggle its axes' as ``axes``."""
    write_poses(tmp_path / "p.csv", PoseData(poses=_poses()[None], layout="coco17", fps=30.0),
                format="anipose")
    own = read_poses(tmp_path / "p.csv").extra["anipose"]
    assert "columns" not in own and own["cells"][1] == [6, 7, 8]
