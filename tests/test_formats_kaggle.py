"""Kaggle's Isolated Sign Language long CSV (one row per landmark per frame): read as
``holistic543_kaggle``, refined as the (T, 543, 3) array route refines it, written back row for row."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from synsp.cli import main
from synsp.errors import FormatError
from synsp.formats import detect_format, read_poses
from synsp.refining.files import refine_file
from test_holistic import KAGGLE, _holistic

FRAMES, FIRST_FRAME = 40, 20
TYPES = (("face", 468), ("left_hand", 21), ("pose", 33), ("right_hand", 21))  # Kaggle's order
HEADER = ["frame", "row_id", "type", "landmark_index", "x", "y", "z"]


def _signs() -> np.ndarray:
    """(40, 543, 3) in Kaggle's order, x, y normalised by a 1920 x 1080 image; the left hand not found in 10-29."""
    x = _holistic()[:FRAMES].astype(np.float64)
    x[..., 0] /= 1920.0
    x[..., 1] /= 1080.0
    x[10:30, 501:522] = np.nan
    return x[:, KAGGLE]


def _write(path, x: np.ndarray) -> None:
    """As pandas' ``to_csv(index=False)`` writes Kaggle's parquet: NaN as an empty cell."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for t in range(len(x)):
            j = 0
            for kind, count in TYPES:
                for i in range(count):
                    cells = ["" if np.isnan(v) else repr(float(v)) for v in x[t, j]]
                    out.writerow([FIRST_FRAME + t, f"{FIRST_FRAME + t}-{kind}-{i}", kind, i, *cells])
                    j += 1


def _rows(path) -> list[list[str]]:
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_read_as_holistic_kaggle(tmp_path):
    x = _signs()
    _write(tmp_path / "signs.csv", x)
    assert detect_format(tmp_path / "signs.csv") == "kaggle"
    data = read_poses(tmp_path / "signs.csv")
    assert data.layout == "holistic543_kaggle" and data.poses.shape == (1, FRAMES, 543, 3)
    assert data.extra["frame_ids"] == list(range(FIRST_FRAME, FIRST_FRAME + FRAMES))
    np.testing.assert_array_equal(data.poses[0], x)


def test_refine_writes_the_same_rows_and_refines_as_the_array_route(tmp_path):
    x = _signs()
    _write(tmp_path / "signs.csv", x)
    summary = refine_file(tmp_path / "signs.csv", tmp_path / "out.csv", method="savgol")
    source, written = _rows(tmp_path / "signs.csv"), _rows(tmp_path / "out.csv")
    assert len(written) == len(source) == 1 + FRAMES * 543 and written[0] == HEADER
    same = [r[:4] + r[6:] for r in source] == [r[:4] + r[6:] for r in written]  # frame, row_id, type, index, z
    assert same
    nan_rows = [i for i, r in enumerate(source) if r[4] == ""]
    assert len(nan_rows) == 20 * 21 and all(written[i] == source[i] for i in nan_rows)  # NaN rows kept as read
    out = read_poses(tmp_path / "out.csv").poses[0]
    np.save(tmp_path / "in.npy", x)
    refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", layout="holistic543_kaggle")
    # as the array route told the same layout (an .npy does not say it; the hands' gaps are filled from their segment
    # only where the layout is known): the refined float32 values are printed with float32's digits (formats.decimals)
    np.testing.assert_array_equal(out.astype(np.float32), np.load(tmp_path / "out.npy").astype(np.float32))
    assert not np.allclose(out[..., :2], x[..., :2], equal_nan=True)
    text = str(summary)
    assert " px" not in text and "normalised image coordinates" in text and "z (MediaPipe's relative depth" in text
    assert "told from the poses" not in text  # the file says its order


def test_cli_and_parquet(tmp_path, capsys):
    _write(tmp_path / "signs.csv", _signs())
    assert main(["refine", str(tmp_path / "signs.csv"), str(tmp_path / "out.csv")]) in (0, None)
    assert len(_rows(tmp_path / "out.csv")) == 1 + FRAMES * 543
    printed = capsys.readouterr().out
    # the image's sides unknown: SmoothNet by default (SynSP's body model needs the true proportions)
    assert "method: smoothnet (no --method given)" in printed and " px" not in printed
    assert main(["refine", str(tmp_path / "signs.csv"), str(tmp_path / "out2.csv"), "--method", "synsp"]) in (0, None)
    printed = capsys.readouterr().out
    assert "joint definitions:" in printed and " px" not in printed  # SynSP's note in the file's unit too
    (tmp_path / "signs.parquet").write_bytes(b"PAR1" + b"\0" * 16)
    with pytest.raises(FormatError, match=r"signs\.parquet: .*to_csv") as err:
        read_poses(tmp_path / "signs.parquet")
    assert "\n" not in str(err.value)


def test_image_size_gives_synsp_the_pixels_and_writes_the_file_normalised(tmp_path, capsys):
    x = _signs()
    _write(tmp_path / "signs.csv", x)
    assert main(["refine", str(tmp_path / "signs.csv"), str(tmp_path / "out.csv"), "--image-size", "1920",
                 "1080"]) in (0, None)
    printed = capsys.readouterr().out
    assert "method: smoothnet" not in printed and "refined in pixels of the 1920 x 1080 image" in printed
    pixels = x.copy()
    pixels[..., :2] *= [1920.0, 1080.0]
    np.save(tmp_path / "in.npy", pixels)
    refine_file(tmp_path / "in.npy", tmp_path / "out.npy", layout="holistic543_kaggle")
    out = read_poses(tmp_path / "out.csv").poses[0]
    np.testing.assert_allclose(out[..., :2] * [1920.0, 1080.0], np.load(tmp_path / "out.npy")[..., :2], atol=1e-2)
    np.testing.assert_array_equal(out[..., 2], x[..., 2])  # MediaPipe's z as read


def test_malformed_rows_name_the_file(tmp_path):
    (tmp_path / "bad.csv").write_text(",".join(HEADER) + "\n0,0-hand-0,hand,0,0.5,0.5,0\n")
    with pytest.raises(FormatError, match=r"bad\.csv: .*'hand'"):
        read_poses(tmp_path / "bad.csv")
    (tmp_path / "twice.csv").write_text(",".join(HEADER) + "\n" + "0,0-face-0,face,0,0.5,0.5,0\n" * 2)
    with pytest.raises(FormatError, match=r"twice\.csv: .*twice"):
        read_poses(tmp_path / "twice.csv")


def test_an_empty_file_read_as_kaggle_names_the_file(tmp_path):
    (tmp_path / "empty.csv").write_text("\n")
    with pytest.raises(FormatError, match=r"empty\.csv: empty file"):
        read_poses(tmp_path / "empty.csv", format="kaggle")
