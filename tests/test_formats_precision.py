"""Values synsp refine does not change are written back digit for digit; refined ones are float32's."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from synsp.refining.files import refine_file

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SINGLE = FIXTURES / "walkDLC_resnet50_walkSep1shuffle1_100000.csv"
ANIPOSE = FIXTURES / "anipose_pose-3d.csv"


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_dlc_values_kept_as_the_input_had_them_keep_every_digit(tmp_path):
    rows = _rows(SINGLE)
    for row in rows[3:]:
        row[12] = "0.1"  # the tail base never found with confidence: kept as it was
    src = tmp_path / "low.csv"
    with open(src, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    refine_file(src, tmp_path / "out.csv", method="savgol")
    out = _rows(tmp_path / "out.csv")
    assert [r[10:13] for r in out[3:]] == [r[10:13] for r in rows[3:]]
    assert any(a[1] != b[1] for a, b in zip(out[3:], rows[3:]))  # the others were refined


def test_anipose_through_identity_keeps_every_measured_cell(tmp_path):
    refine_file(ANIPOSE, tmp_path / "out.csv", method="identity")
    before, after = _rows(ANIPOSE), _rows(tmp_path / "out.csv")
    cells = [(a, b) for ra, rb in zip(before, after) for a, b in zip(ra, rb)]
    assert len(before) == len(after) and all(a == b for a, b in cells if a != "")  # gaps alone were filled
    assert any(a == "" and b != "" for a, b in cells)


def test_dlc_csv_to_h5_keeps_an_integer_frame_index(tmp_path):
    refine_file(SINGLE, tmp_path / "out.h5", method="savgol")
    index = pd.read_hdf(tmp_path / "out.h5").index
    assert index.dtype.kind == "i" and index.equals(pd.read_hdf(SINGLE.with_suffix(".h5")).index)
