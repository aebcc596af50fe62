"""A BVH's unit told from the body's size: inches and CMU's unit besides metres, centimetres, millimetres (audit 16,
finding 7: a CMU-style file in inches was read as centimetres, its figures 2.54x too small), or given (--units)."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.errors import OptionError
from synsp.formats.bvh_units import UNITS, guess_unit, unit_note
from synsp.refining.files import refine_file

# hips, a spine joint 50 cm above, a leg joint 90 cm below: the joints span 1.4 m, an adult's (as Bandai's 1.38-1.75)
_BVH = """HIERARCHY
ROOT Hips
{{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT Spine
  {{
    OFFSET 0 {a:.5f} 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {{
      OFFSET 0 1 0
    }}
  }}
  JOINT Leg
  {{
    OFFSET 0 -{c:.5f} 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {{
      OFFSET 0 -1 0
    }}
  }}
}}
MOTION
Frames: 60
Frame Time: 0.0333333
"""


def _bvh(path, mm_per_unit: float, scale: float = 1.0):
    """A 2 s clip of the body above in a unit of ``mm_per_unit`` mm, ``scale`` times an adult's size."""
    a, c = 500 * scale / mm_per_unit, 900 * scale / mm_per_unit
    t = np.arange(60) / 30
    rows = [f"{0.1 * i:.4f} {1000 / mm_per_unit:.4f} 0 {10 * np.sin(3 * s):.4f} 0 0 {5 * np.sin(2 * s):.4f} 0 0 "
            f"{8 * np.sin(4 * s):.4f} 0 0" for i, s in enumerate(t)]
    path.write_text(_BVH.format(a=a, c=c) + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("unit", list(UNITS))
def test_an_adult_in_each_unit_is_read_in_it_and_surely(unit):
    poses = np.zeros((10, 3, 3))
    poses[:, 1, 1], poses[:, 2, 1] = 500 / UNITS[unit], -900 / UNITS[unit]  # the file's values
    guess = guess_unit(poses * 10.0)  # as the reader gives them: x10, centimetres to mm
    assert guess.name == unit and guess.other is None
    assert guess.size * guess.mm == pytest.approx(1400.0)


def test_a_child_in_centimetres_the_size_of_an_adult_in_inches_is_said_unsure():
    poses = np.zeros((10, 3, 3))
    poses[:, 1, 1], poses[:, 2, 1] = 30.0, -55.0  # 85 units: a 2.2 m adult in inches, or a 0.85 m child in cm
    guess = guess_unit(poses * 10.0)
    assert guess.name == "in" and guess.other == "cm"
    assert "unsure" in unit_note(guess) and "--units cm" in unit_note(guess)


def test_refine_reads_a_bvh_in_inches_as_inches_and_the_summary_says_so(tmp_path):
    cm = refine_file(_bvh(tmp_path / "cm.bvh", 10.0), tmp_path / "o_cm.bvh", method="savgol")
    inches = refine_file(_bvh(tmp_path / "in.bvh", 25.4), tmp_path / "o_in.bvh", method="savgol")
    # centimetres, the reader's own: said only because the figures are in mm, with no doubt and no other unit
    (said,) = [n for n in cm.notes if n.startswith("units:")]
    assert "centimetres" in said and "in mm (x10)" in said and "unsure" not in said and "inches" not in said
    assert any("read as inches" in n for n in inches.notes)
    assert inches.accel_in[0] == pytest.approx(cm.accel_in[0], rel=1e-3)  # the same motion, the same mm figures
    given = refine_file(tmp_path / "in.bvh", tmp_path / "o_given.bvh", method="savgol", units="cm")
    assert any("--units cm" in n for n in given.notes)
    assert given.accel_in[0] == pytest.approx(cm.accel_in[0] / 2.54, rel=1e-3)
    with pytest.raises(OptionError, match="--units"):
        refine_file(tmp_path / "in.bvh", tmp_path / "o.npz", units="furlong")
