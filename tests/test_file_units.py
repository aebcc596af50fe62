"""A 3D file's length unit: ``--units`` for any 3D file that does not state it, inches told by the body's size
where nothing else fits, and the ``units:`` line's doubt when the unit told from the body's size makes it no
person's (audit 33, finding 10: an array in inches read as centimetres, its mm 2.54 times too small, ``--units``
refused but for a BVH)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.errors import OptionError, SpaceError
from synsp.refining.file_units import three_d_unit, told_unit
from synsp.refining.files import refine_file


def _clip() -> np.ndarray:
    """(T, 17, 3) mm: a validation clip under `typical`, h36m17."""
    from synsp.evaluation.protocol import make_cases

    return np.asarray(make_cases("val", "typical", max_clips=1)[0].noisy, np.float64)


@needs_data
def test_an_array_in_inches_is_read_as_inches_by_its_size_and_as_given(tmp_path):
    """Without --units an adult in inches was refined as centimetres (its mm 2.54 times too small); its size says
    inches alone (no other unit makes it a person, as cm it is no walking child's): refined in mm as --units in."""
    mm = _clip()
    np.save(tmp_path / "in.npy", (mm / 25.4).astype(np.float32))
    told = refine_file(tmp_path / "in.npy", tmp_path / "told.npy")
    (said,) = [note for note in told.notes if note.startswith("units:")]
    assert "read as inches, told from the body's size" in said and "--units cm if it is centimetres" in said
    given = refine_file(tmp_path / "in.npy", tmp_path / "given.npy", units="in")
    assert [note for note in given.notes if note.startswith("units:")] == [
        "units: the 3D values read as inches (--units in); the figures below are in mm (x25.4)"]
    assert np.array_equal(np.load(tmp_path / "told.npy"), np.load(tmp_path / "given.npy"))  # the same refinement
    assert told.displacement == given.displacement
    as_cm = refine_file(tmp_path / "in.npy", tmp_path / "cm.npy", method="savgol", units="cm")
    in_mm = refine_file(tmp_path / "in.npy", tmp_path / "mm.npy", method="savgol")
    assert in_mm.displacement == pytest.approx(as_cm.displacement * 2.54, rel=1e-3)  # the true mm, not the cm
    np.testing.assert_allclose(np.load(tmp_path / "cm.npy"), np.load(tmp_path / "mm.npy"), atol=1e-3)  # linear


@needs_data
@pytest.mark.parametrize("cm, told", [(45.0, "in"), (58.0, "in"), (65.0, None), (75.0, None), (150.0, None)])
def test_inches_are_told_only_where_no_child_in_centimetres_measures_so(cm, told):
    """A body of 65 or 75 units is a tall adult in inches or a toddler (0.8 m tall) in centimetres: read as
    centimetres, the units: line doubting; below CHILD_CM (60 cm) no walking child measures so: inches."""
    from synsp.sequence import body_size

    poses = _clip()[None]
    poses = poses * (cm / body_size(poses))
    assert told_unit(poses, "npy", "h36m17") == told
    scale, _, notes = three_d_unit(poses, "npy", "h36m17")
    assert scale == (25.4 if told else 10.0)
    assert any("--units cm if it is centimetres" in note for note in notes) == (told is not None)
    assert any("--units in if the file is in" in note for note in notes) == (told is None and cm < 80)
    assert told_unit(poses, "npy", None) is None and told_unit(poses, "trc", "h36m17") is None  # no size; stated


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
