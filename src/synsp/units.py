"""Length units: millimetres per unit and the words the summaries say them in, one table for every reader.

Three places name a unit a file's values were read in: ``synsp refine``'s ``units:`` line for 3D joints told
metres or centimetres by the body's size or given (:func:`synsp.refining.file_units.three_d_unit`), a BVH's unit
(:mod:`synsp.formats.bvh_units`, which also reads inches and CMU's unit, by the names ``--units`` takes) and
``synsp evaluate``'s heading for a user's files (:mod:`synsp.evaluation.files`). They read this table.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["LengthUnit", "LENGTH_UNITS", "unit_words"]


class LengthUnit(NamedTuple):
    """One length unit: millimetres per unit, its name in words, and what it is where that is not known to all
    (said beside the name in a BVH's ``units:`` line; "" for none)."""

    mm: float
    words: str
    detail: str = ""


# by the name --units takes, in the order its message lists them
LENGTH_UNITS = {
    "m": LengthUnit(1000.0, "metres"),
    "cmu": LengthUnit(25.4 / 0.45, "CMU's unit", " (1/0.45 inch, 56.4 mm)"),  # CMU's ASF skeletons' unit
    "in": LengthUnit(25.4, "inches"),
    "cm": LengthUnit(10.0, "centimetres"),
    "mm": LengthUnit(1.0, "millimetres"),
}


def unit_words(mm: float, detail: bool = False) -> str:
    """The words of the unit of ``mm`` millimetres (a key's ``mm`` of :data:`LENGTH_UNITS`, e.g. 10.0 ->
    "centimetres"), with its ``detail`` if asked; KeyError for no unit of the table."""
    unit = next((unit for unit in LENGTH_UNITS.values() if unit.mm == mm), None)
    if unit is None:
        raise KeyError(mm)
    return unit.words + unit.detail if detail else unit.words
