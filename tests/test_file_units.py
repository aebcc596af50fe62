"""A 3D file's length unit: ``--units`` for any 3D file that does not state it, and the ``units:`` line's doubt when
the unit told from the body's size makes it no person's (audit 33, finding 10: an array in inches read as
centimetres, its mm 2.54 times too small, ``--units`` refused but for a BVH)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.errors import OptionError, SpaceError
from synsp.refining.file_units import three_d_unit
from synsp.refining.files import refine_file


def _clip() -> np.ndarray:
    """(T, 17, 3) mm: a validation clip under `typical`, h36m17."""
    from synsp.evaluation.protocol import make_cases

    return np.asarray(make_cases("val", "typical", max_clips=1)[0].noisy, np.float64)


@needs_data
def test_an_array_in_inches_is_doubted_then_read_as_given(tmp_path):
    mm = _clip()
    np.save(tmp_path / "in.npy", (mm / 25.4).astype(np.float32))
    told = refine_file(tmp_path / "in.npy", tmp_path / "told.npy", method="savgol")
    (said,) = [note for note in told.notes if note.startswith("units:")]
    assert "centimetres" in said and "smaller than a 3-year-old's" in said and "--units in if the file is in" in said
    given = refine_file(tmp_path / "in.npy", tmp_path / "given.npy", method="savgol", units="in")
    assert [note for note in given.notes if note.startswith("units:")] == [
        "units: the 3D values read as inches (--units in); the figures below are in mm (x25.4)"]
    assert given.displacement == pytest.approx(told.displacement * 2.54, rel=1e-3)  # the true mm now
    # refined in mm, written back in inches: a linear filter gives the same values either way
    np.testing.assert_allclose(np.load(tmp_path / "given.npy"), np.load(tmp_path / "told.npy"), atol=1e-3)


@needs_data
@pytest.mark.parametrize("unit, mm", [("mm", 1.0), ("cm", 10.0), ("m", 1000.0)])
def test_arrays_in_the_units_told_from_the_size_are_not_doubted(unit, mm):
    poses = _clip()[None] / mm
    scale, name, notes = three_d_unit(poses, "npy", "h36m17")
    assert (scale, name) == (mm, "mm") and not any("--units" in note for note in notes)
    assert three_d_unit(poses, "npy", "h36m17", units=unit)[0] == mm


def test_units_are_refused_in_one_line_where_a_file_says_its_own_or_holds_2d(tmp_path):
    np.save(tmp_path / "p2.npy", np.random.default_rng(0).normal(300, 50, size=(20, 17, 2)).astype(np.float32))
    with pytest.raises(SpaceError, match="3D file's length unit"):
        refine_file(tmp_path / "p2.npy", tmp_path / "o.npy", units="in", method="savgol")
    (tmp_path / "m.trc").write_text("PathFileType\t4\t(X/Y/Z)\tm.trc\n")
    with pytest.raises(OptionError, match="a trc file's unit is its own"):
        refine_file(tmp_path / "m.trc", tmp_path / "o.trc", units="cm")
    with pytest.raises(OptionError, match="a length unit is one of"):
        refine_file(tmp_path / "p2.npy", tmp_path / "o.npy", units="furlong")
