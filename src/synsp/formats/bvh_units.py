"""A BVH's length unit: the file does not say it, so it is told from the body's size, or given (``--units``).

Mocap studios write centimetres (Bandai Namco), Blender metres, some tools millimetres; CMU's
mocap, as the widely used BVH conversions of it give it, is in the unit of CMU's ASF skeletons,
1/0.45 inch (56.4 mm: an adult's joints span about 27-32 of them), and American tools write
inches (an adult's joints about 55-70). The body's size (:func:`synsp.sequence.body_size`, the
median over frames of the largest side of the joints' box; an adult mocap actor's joints about
1.4-1.8 m, Bandai Namco's validation clips 138-175 cm) read in each unit, the unit that makes it
a person nearest an adult's 1.5 m is read; the guess is *sure* when no other unit makes the body
a person at all (0.8-2.3 m: a 3-year-old to a tall adult). A child in centimetres about 90-105 cm
tall reads as a tall adult in inches: then the summary says the guess is unsure and names the
other reading (:func:`unit_note`), rather than guessing silently.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from synsp.sequence import body_size
from synsp.units import LENGTH_UNITS, unit_words

__all__ = ["UNITS", "UnitGuess", "guess_unit", "unit_note", "given_unit", "person_reading"]

# millimetres per unit, by the name --units takes (synsp.units: the one table of units and their words)
UNITS = {name: unit.mm for name, unit in LENGTH_UNITS.items()}
ADULT = 1500.0  # mm: a mocap actor's joints' largest side (Bandai Namco's validation clips: 1380-1750)
PERSON = (800.0, 2300.0)  # mm: any person's, a 3-year-old to a tall adult, as the body's size measures them
# the bands the closest unit gives, bounded where the current rule stood (cm below 300, mm from 300), so a metre,
# centimetre or millimetre file reads as before
_BANDS = ((6.3, "m"), (39.6, "cmu"), (94.1, "in"), (300.0, "cm"), (np.inf, "mm"))


class UnitGuess(NamedTuple):
    """The unit a BVH's values are read in: its name (a key of :data:`UNITS`), millimetres per unit, the body's
    size in the file's unit, and the other unit that would make the body a person too (None: the guess is sure;
    "" when given)."""

    name: str
    mm: float
    size: float
    other: str | None


def guess_unit(poses: np.ndarray, read_as: float = 10.0) -> UnitGuess:
    """The unit of a BVH's joint positions ``poses`` (..., T, J, 3), as read x ``read_as`` (the reader's
    centimetres to mm: :mod:`synsp.formats.bvh`); NaN ignored; no finite joint: centimetres, as read."""
    size = body_size(np.asarray(poses) / read_as)
    if not np.isfinite(size) or size <= 0:
        return UnitGuess("cm", UNITS["cm"], float("nan"), None)
    name = next(unit for bound, unit in _BANDS if size < bound)
    return UnitGuess(name, UNITS[name], float(size), person_reading(size, name))


def person_reading(size: float, besides: str) -> str | None:
    """The unit (a key of :data:`UNITS`) other than ``besides`` in which a body of ``size`` (:func:`body_size`, in
    the file's unit) is a person's size (:data:`PERSON`), the one nearest an adult's if several; None if none is."""
    others = [unit for unit, mm in UNITS.items() if unit != besides and PERSON[0] <= size * mm <= PERSON[1]]
    return min(others, key=lambda u: abs(np.log(size * UNITS[u] / ADULT))) if others else None


def given_unit(name: str | None, poses: np.ndarray, read_as: float = 10.0) -> UnitGuess:
    """The unit ``--units`` names (a key of :data:`UNITS`), or None: :func:`guess_unit` of ``poses``."""
    if name is None:
        return guess_unit(poses, read_as)
    if name not in UNITS:
        raise ValueError(f"--units {name!r}: a length unit is one of {', '.join(UNITS)}")
    return UnitGuess(name, UNITS[name], body_size(np.asarray(poses) / read_as), "")


def unit_note(guess: UnitGuess, quiet_cm: bool = True, values: str = "the BVH's values") -> str | None:
    """The summary's ``units:`` line: which unit the values were read in and why; None for centimetres told
    surely (the reader's own, nothing to say) unless not ``quiet_cm`` (a motion's summary, whose figures are not
    the file's own numbers). ``values``: what the line calls them (an array's: "the 3D values")."""
    shown = f"the figures below are in mm (x{guess.mm:.4g})"
    if guess.other == "":
        return f"units: {values} read as {_words(guess.name)} (--units {guess.name}); {shown}"
    if guess.other is None:
        if guess.name == "cm" and quiet_cm:
            return None
        return (f"units: the BVH's values read as {_words(guess.name)} (told from the body's size, "
                f"{guess.size:.3g} units: {guess.size * guess.mm / 1000:.2f} m); {shown}; --units to say otherwise")
    other_m = guess.size * UNITS[guess.other] / 1000
    return (f"units: the BVH's values read as {_words(guess.name)}, unsure: the body measures {guess.size:.3g} units, "
            f"{guess.size * guess.mm / 1000:.2f} m in {_words(guess.name)} or {other_m:.2f} m in "
            f"{_words(guess.other)} (a {'child' if other_m < guess.size * guess.mm / 1000 else 'tall adult'}?); "
            f"{shown}; --units {guess.other} if it is {_words(guess.other)}")


def _words(name: str) -> str:
    """A unit's words by its ``--units`` name, with what it is (CMU's unit: 1/0.45 inch)."""
    return unit_words(UNITS[name], detail=True)
