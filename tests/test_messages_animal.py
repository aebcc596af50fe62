"""One-line errors and reports that say what is wrong with the file, not something near it."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import read_poses
from synsp.refining.files import refine_file

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
ANIPOSE = FIXTURES / "anipose_pose-3d.csv"
SINGLE = FIXTURES / "walkDLC_resnet50_walkSep1shuffle1_100000.csv"


def test_anipose_joint_lacking_z_is_the_one_named(tmp_path):
    lines = ANIPOSE.read_text().split("\n")
    header = lines[0].split(",")
    drop = header.index("nose_z")  # the first joint lacks z; the others have it
    src = tmp_path / "noz.csv"
    src.write_text("\n".join(",".join(c for k, c in enumerate(line.split(",")) if k != drop)
                             for line in lines if line))
    with pytest.raises(ValueError) as err:
        read_poses(src)
    assert "'nose'" in str(err.value) and "no z column" in str(err.value), str(err.value)


def test_header_only_deeplabcut_csv_says_no_data_rows(tmp_path):
    src = tmp_path / "header_only.csv"
    src.write_text("\n".join(SINGLE.read_text().split("\n")[:3]) + "\n")
    with pytest.raises(ValueError, match="no data rows"):
        refine_file(src, tmp_path / "out.csv", method="savgol")


def test_all_nan_array_without_scores_says_every_value_is_nan(tmp_path):
    np.save(tmp_path / "nan.npy", np.full((30, 8, 2), np.nan))
    with pytest.raises(ValueError) as err:
        refine_file(tmp_path / "nan.npy", tmp_path / "out.npy", method="savgol")
    assert "every" in str(err.value) and "NaN" in str(err.value) and "confidence" not in str(err.value)


def test_batch_names_the_files_it_left_out(tmp_path, capsys):
    src = tmp_path / "clips"
    src.mkdir()
    np.save(src / "a.npy", 100 + np.cumsum(np.random.default_rng(0).normal(size=(30, 8, 2)), axis=0))
    (src / "tracks.log").write_text("{}\n")  # (.jsonl is read now: JSON Lines)
    assert main(["refine", str(src), str(tmp_path / "out"), "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "tracks.log" in printed and ".log" in printed and "left out" in printed, printed
