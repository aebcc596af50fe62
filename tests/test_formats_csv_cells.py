"""A pose CSV's cells and key columns: a bad cell is one line naming its file, line and column, never a silent
misread; the words pandas reads as missing are missing with or without pandas; a ``frame_id`` column comes back
as ``frame_id``."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from synsp.errors import FormatError
from synsp.formats import read_poses, write_poses

HEAD = "person,frame,a_x,a_y,b_x,b_y"


@pytest.mark.parametrize("cell", ["nan?", "1.2.3", "x", '"1,2"'])
@pytest.mark.parametrize("column", ["b_x", "person"])
def test_a_bad_cell_is_one_line_naming_the_file_line_and_column(tmp_path, cell, column):
    """A numeric person column with one bad cell read as a column of names (tracks '0', 'x', '1': one person split
    in two and a third invented); a coordinate's bad cell is named as it was."""
    rows = [HEAD, "0,0,1,2,3,4", "0,1,1,2,3,4", "1,0,1,2,3,4"]
    rows[2] = f"{cell},1,1,2,3,4" if column == "person" else f"0,1,1,2,{cell},4"
    (tmp_path / "bad.csv").write_text("\n".join(rows) + "\n")
    shown = cell.strip('"')
    with pytest.raises(FormatError) as err:
        read_poses(tmp_path / "bad.csv")
    comma = (shown, column) == ("1,2", "b_x")  # a decimal comma's cell says so (audit 31 #3)
    said = f"holds {shown!r}, a decimal comma" if comma else f"is not a number ({shown!r})"
    assert str(err.value).startswith(f"{tmp_path / 'bad.csv'}: line 3 column {column!r} {said}")
    assert "\n" not in str(err.value)


def test_a_decimal_comma_in_a_tab_separated_file_is_named_with_the_fix(tmp_path):
    (tmp_path / "comma.tsv").write_text("frame\ta_x\ta_y\n0\t1,5\t2\n1\t1,5\t2\n")
    with pytest.raises(FormatError, match=r"line 2 column 'a_x' holds '1,5', a decimal comma: save the file "
                                          r"with '\.' as the decimal separator"):
        read_poses(tmp_path / "comma.tsv")


@pytest.mark.parametrize("pandas", [True, False])
def test_an_empty_cell_and_the_words_pandas_reads_as_missing_are_missing_values(tmp_path, monkeypatch, pandas):
    if not pandas:  # the reader without pandas reads the same words as missing
        monkeypatch.setitem(sys.modules, "pandas", None)
    words = ["", "NaN", "NA", "N/A", "#N/A", "<NA>", "null", "None", "1.#IND", "-nan"]
    rows = ["frame,a_x,a_y"] + [f"{t},{word},{t}" for t, word in enumerate(words)]
    (tmp_path / "na.csv").write_text("\n".join(rows) + "\n")
    poses = read_poses(tmp_path / "na.csv").poses[0]
    assert np.isnan(poses[:, 0, 0]).all() and poses[:, 0, 1].tolist() == list(range(len(words)))
    (tmp_path / "names.csv").write_text(f"{HEAD}\nbob,0,1,2,3,4\nNA,0,1,2,3,4\n")  # a track named NA is a name
    assert read_poses(tmp_path / "names.csv").extra["csv"]["track_names"] == ["bob", "NA"]


@pytest.mark.parametrize("name", ["frame_id", "Frame"])
def test_the_frame_column_is_written_back_under_its_own_name(tmp_path, name):
    rows = [f"track_id,{name},a_x,a_y"] + [f"{v},{t},{t}.5,{v}.25" for v in range(2) for t in (3, 4, 5)]
    (tmp_path / "f.csv").write_text("\n".join(rows) + "\n")
    data = read_poses(tmp_path / "f.csv")
    assert data.extra["frame_ids"] == [3, 4, 5]
    write_poses(tmp_path / "out.csv", data)
    assert (tmp_path / "out.csv").read_text().splitlines() == rows


def test_a_track_column_holds_numbers_or_names_and_na_is_a_name():
    from synsp.formats.csv_cells import track_names

    body, header = [["bob"], ["NA"], ["bob"]], ["track"]
    assert track_names(body, 0, ",", header) == (["bob", "NA"], pytest.approx(np.array([0, 1, 0])))
    with pytest.raises(ValueError, match="line 3 column 'track' is not a number"):
        track_names([[" 1 "], ["x"], ["nan"]], 0, ",", header)
