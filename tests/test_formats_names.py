"""Joint names read from a file's header: two joints of one name are refused, never merged."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from synsp.errors import FormatError
from synsp.formats import read_poses

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SINGLE = FIXTURES / "walkDLC_resnet50_walkSep1shuffle1_100000.csv"
ANIPOSE = FIXTURES / "anipose_pose-3d.csv"
TRC = FIXTURES / "pose2sim_halpe26.trc"


def _rename(src: Path, dst: Path, line: int, old: str, new: str, count: int) -> Path:
    lines = src.read_text().split("\n")
    lines[line] = lines[line].replace(old, new, count)
    dst.write_text("\n".join(lines))
    return dst


def _one_line_naming(err, path: Path, name: str) -> None:
    message = str(err.value)
    assert "\n" not in message and str(path) in message and repr(name) in message, message


def test_dlc_csv_with_a_body_part_named_twice_is_refused(tmp_path):
    src = _rename(SINGLE, tmp_path / "dup.csv", 1, "leftear", "snout", 3)  # bodyparts row: snout twice
    with pytest.raises(FormatError) as err:
        read_poses(src)
    _one_line_naming(err, src, "snout")


def test_dlc_h5_with_a_body_part_named_twice_is_refused(tmp_path):
    frame = pd.read_hdf(SINGLE.with_suffix(".h5"))
    frame.columns = pd.MultiIndex.from_tuples([(s, "snout" if b == "leftear" else b, c) for s, b, c in frame.columns],
                                              names=frame.columns.names)
    frame.to_hdf(tmp_path / "dup.h5", key="df_with_missing", format="table", mode="w")
    with pytest.raises(FormatError) as err:
        read_poses(tmp_path / "dup.h5")
    _one_line_naming(err, tmp_path / "dup.h5", "snout")


def test_csv_and_anipose_with_a_joint_named_twice_are_refused(tmp_path):
    pose_csv = tmp_path / "dup_pose.csv"
    pose_csv.write_text("frame,nose_x,nose_y,nose_x,nose_y\n0,1,2,3,4\n1,1,2,3,4\n")
    anipose = _rename(ANIPOSE, tmp_path / "dup_anipose.csv", 0, "left_shoulder_", "nose_", 6)
    for src in (pose_csv, anipose):
        with pytest.raises(FormatError) as err:
            read_poses(src)
        _one_line_naming(err, src, "nose")


def test_trc_with_a_marker_named_twice_is_refused(tmp_path):
    src = _rename(TRC, tmp_path / "dup.trc", 3, "RHip", "LHip", 1)
    with pytest.raises(FormatError) as err:
        read_poses(src)
    _one_line_naming(err, src, "LHip")


def test_dataframe_with_a_joint_named_twice_is_refused():
    from synsp.integrations.pandas import refine_dataframe

    frame = pd.read_csv(SINGLE, header=[0, 1, 2], index_col=0)
    frame.columns = pd.MultiIndex.from_tuples([(s, "snout" if b == "leftear" else b, c) for s, b, c in frame.columns])
    with pytest.raises(ValueError, match="/snout' is named twice"):
        refine_dataframe(frame, "savgol")
