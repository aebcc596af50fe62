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


def _longest_digits(text: str) -> int:
    import re

    return max(len(m.replace("-", "").replace(".", "").lstrip("0")) for m in re.findall(r"-?\d+\.\d+", text))


def test_refined_values_are_written_with_float32s_digits_not_float64s(tmp_path):
    """A user audit (2026-12-06): a refined DLC CSV whose input had 4 decimals came out with
    `1542.617919921875`, float32 values printed with float64's digits (files ~2x, noisy diffs)."""

    refine_file(SINGLE, tmp_path / "out.csv", method="savgol")
    out = _rows(tmp_path / "out.csv")
    refined = [cell for row in out[3:] for k, cell in enumerate(row) if cell and k % 3 != 0]  # x, y: refined
    assert _longest_digits("\n".join(refined)) <= 9  # float32 needs at most 9 significant digits
    scores = [cell for row in out[3:] for k, cell in enumerate(row) if k and k % 3 == 0]
    assert scores == [cell for row in _rows(SINGLE)[3:] for k, cell in enumerate(row) if k and k % 3 == 0]


def test_float32_poses_written_as_json_and_csv_print_the_shortest_decimal(tmp_path):
    import json

    import numpy as np

    from synsp.formats import PoseData, read_poses, write_poses

    poses = np.random.default_rng(0).uniform(0, 1920, (1, 20, 17, 2)).astype(np.float32)
    data = PoseData(poses=poses, scores=np.full((1, 20, 17), 0.9, np.float32), layout="coco17")
    for name, fmt in (("out.json", "coco"), ("out.csv", "csv")):
        write_poses(tmp_path / name, data, format=fmt)
        text = (tmp_path / name).read_text()
        assert _longest_digits(text) <= 9 and "0.8999999761581421" not in text, text[:200]
        back = read_poses(tmp_path / name)
        assert np.array_equal(np.asarray(back.poses, np.float64).astype(np.float32), poses)  # nothing lost
    json.loads((tmp_path / "out.json").read_text())


def test_float32_decimals_are_the_shortest_that_read_back():
    import numpy as np

    from synsp.formats.decimals import float32_decimals

    values = np.random.default_rng(1).normal(0, 1000, 5000).astype(np.float32)
    values[:3] = [np.nan, 0.0, 0.1]
    short = float32_decimals(values)
    expected = [float(np.format_float_positional(v, unique=True)) for v in values[1:]]
    assert np.isnan(short[0]) and short[1:].tolist() == expected and repr(float(short[2])) == "0.1"
