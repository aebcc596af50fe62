"""DeepLabCut CSV/h5 (single and multi-animal) and anipose 3D CSV: read, refine, written back in kind."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import detect_format, read_poses, write_poses

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SINGLE = FIXTURES / "walkDLC_resnet50_walkSep1shuffle1_100000.csv"
MULTI = FIXTURES / "walkDLC_dlcrnetms5_multiSep1shuffle1_100000_el.csv"
ANIPOSE = FIXTURES / "anipose_pose-3d.csv"


def test_dlc_single_animal_csv_and_h5_agree():
    csv_data, h5_data = read_poses(SINGLE), read_poses(SINGLE.with_suffix(".h5"))
    assert detect_format(SINGLE) == detect_format(SINGLE.with_suffix(".h5")) == "dlc"
    assert csv_data.poses.shape == (1, 60, 4, 2) and csv_data.layout is None  # user-defined body parts
    assert np.array_equal(csv_data.poses, h5_data.poses) and np.array_equal(csv_data.scores, h5_data.scores)
    assert csv_data.scores[0, 10, 0] == pytest.approx(0.02)  # the low-likelihood detection is kept as a score


@pytest.mark.parametrize("src", [SINGLE, MULTI], ids=["single", "multi"])
def test_dlc_csv_round_trip_is_byte_identical(src, tmp_path):
    data = read_poses(src)
    write_poses(tmp_path / "out.csv", data)
    assert (tmp_path / "out.csv").read_bytes() == src.read_bytes()


def test_dlc_multi_animal_individuals_are_tracks(tmp_path):
    data = read_poses(MULTI)
    assert data.poses.shape == (2, 60, 4, 2) and data.extra["dlc"]["individuals"] == ["mouse1", "mouse2"]
    assert np.isnan(data.poses[1, 40:]).all() and np.isfinite(data.poses[1, :40]).all()


def test_dlc_refine_low_likelihood_missing_and_header_kept(tmp_path, capsys):
    for src, out in ((MULTI, tmp_path / "out.csv"), (SINGLE.with_suffix(".h5"), tmp_path / "out.h5")):
        assert main(["refine", str(src), str(out), "--method", "savgol", "--threshold", "0.1"]) == 0
        before, after = read_poses(src), read_poses(out)
        assert after.poses.shape == before.poses.shape and after.extra["dlc"]["keys"] == before.extra["dlc"]["keys"]
        assert np.array_equal(after.scores, before.scores)
        # the likelihood-0.02 snout (below --threshold) was filled from its neighbours, not kept
        assert np.linalg.norm(after.poses[0, 10, 0] - before.poses[0, 10, 0]) > 0
    with open(tmp_path / "out.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows[:4]] == ["scorer", "individuals", "bodyparts", "coords"]
    assert rows[4 + 50][13:16] == ["", "", ""]  # the second mouse, gone after frame 40, stays absent
    capsys.readouterr()
    assert main(["refine", str(SINGLE), str(tmp_path / "synsp.csv")]) == 0  # the network: by SmoothNet
    assert "unknown layout" in capsys.readouterr().out  # refined, never refused


def test_anipose_round_trip_keeps_every_other_column(tmp_path):
    assert detect_format(ANIPOSE) == "anipose"
    data = read_poses(ANIPOSE)
    assert data.poses.shape == (1, 60, 7, 3) and data.extra["frame_ids"] == list(range(60))
    write_poses(tmp_path / "same.csv", data)
    assert (tmp_path / "same.csv").read_bytes() == ANIPOSE.read_bytes()
    assert main(["refine", str(ANIPOSE), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    with open(ANIPOSE, newline="") as f, open(tmp_path / "out.csv", newline="") as g:
        before, after = list(csv.reader(f)), list(csv.reader(g))
    header = before[0]
    assert after[0] == header and len(after) == len(before)
    joint_columns = {c for c, name in enumerate(header) if name.rsplit("_", 1)[-1] in ("x", "y", "z")}
    for row_before, row_after in zip(before[1:], after[1:]):
        assert [row_after[c] for c in range(len(header)) if c not in joint_columns] == \
               [row_before[c] for c in range(len(header)) if c not in joint_columns]
    assert any(a != b for a, b in zip(before[5], after[5]))  # the joints did move


@pytest.mark.parametrize("src", [SINGLE, MULTI, ANIPOSE], ids=["dlc", "dlc_multi", "anipose"])
def test_files_saved_on_windows_keep_their_line_endings_and_bom(src, tmp_path):
    """DeepLabCut's CSV written by pandas on Windows has CRLF line endings (pandas' default there),
    and Excel's "CSV UTF-8" adds a BOM: written back with both, else byte-identical."""
    text = src.read_bytes()
    (tmp_path / src.name).write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    write_poses(tmp_path / "out.csv", read_poses(tmp_path / src.name))
    assert (tmp_path / "out.csv").read_bytes() == b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n")
