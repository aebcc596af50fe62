"""A 3D file's length unit: stated by the file, given (``--units``), or told from the body's size.

TRC and C3D state their unit and MediaPipe's world landmarks are metres: their readers give millimetres
(:data:`STATED`). Arrays, CSV, JSON and BVH say nothing: the refinement reads metres, centimetres or millimetres
from the body's size (:func:`synsp.sequence.mm_per_unit`; a BVH's reader takes centimetres, its summary also
inches and CMU's unit, :mod:`synsp.formats.bvh_units`). ``--units`` (m, cm, mm, in, cmu) names the unit of any of
these instead: the values are refined in millimetres (:func:`units_factor`) and written back in the file's unit,
and the summary's figures are in mm. Told from the size, a body that is no person's size in the unit read but is
one in another (inches read as centimetres: a 1.70 m adult measures 67 units, 0.67 m as centimetres) makes the
summary's ``units:`` line say so and name the ``--units`` that fits (:func:`three_d_unit`). Only inches are read so
without ``--units`` (:func:`told_unit`), when no other unit makes the body a person and as centimetres it would be
smaller than a 0.8 m-tall child's: refined in millimetres (x25.4), written back in inches, and said.
"""
from __future__ import annotations

import os

import numpy as np

from synsp.errors import OptionError, SpaceError
from synsp.formats.bvh import MM_PER_CM
from synsp.formats.bvh_units import PERSON, UNITS, given_unit, person_reading, unit_note
from synsp.sequence import body_size, mm_per_unit
from synsp.units import unit_words

__all__ = ["MM_FORMATS", "STATED", "CHILD_CM", "check_units", "check_units_space", "refine_factor", "three_d_unit",
           "told_unit", "units_factor"]

# Readers that give 3D in millimetres: TRC, C3D and MediaPipe convert their declared unit; anipose is its
# calibration's, which anipose users make in millimetres (the README's formats table).
MM_FORMATS = ("trc", "c3d", "mediapipe", "anipose")
# Formats whose files state their unit (TRC's Units, C3D's POINT:UNITS) or whose unit is fixed (MediaPipe's world
# landmarks, SMPL's parameters: metres): --units is refused for them rather than set against what they say.
STATED = ("trc", "c3d", "mediapipe", "smpl")
# mm: a body whose size (sequence.body_size) read as centimetres is below this is no child's that walks. The validation
# clips scaled to a 0.8 m stature (adults' and a child's proportions, `typical` errors) measure 0.61 m at least; adults
# of 1.5-1.7 m in inches read as centimetres 0.49-0.67 m (benchmarks/file_units.py). A baby's is smaller: --units cm.
CHILD_CM = 600.0


def check_units(units: str | None, fmt: str, src: str | os.PathLike) -> None:
    """Refuse in one line (:class:`~synsp.errors.OptionError`) a ``units`` that names no unit of
    :data:`~synsp.formats.bvh_units.UNITS`, or one given for a file of format ``fmt`` that states its unit."""
    if units is None:
        return
    if units not in UNITS:
        raise OptionError(f"{src}: --units {units!r}: a length unit is one of {', '.join(UNITS)}")
    if fmt in STATED:
        own = "its own" if fmt in ("trc", "c3d") else "metres"
        raise OptionError(f"{src}: --units {units}: a {fmt} file's unit is {own} (read into mm), not given; --units "
                          "is for 3D files that do not say theirs (arrays, CSV, JSON, BVH)")


def check_units_space(units: str | None, c_count: int, flat: tuple | None, src: str | os.PathLike) -> None:
    """Refuse in one line (:class:`~synsp.errors.SpaceError`) ``units`` given for a file read as 2D (``c_count``
    coordinates, or a ``flat`` track: 2D with a constant third coordinate): its values are pixels or the file's."""
    if units is not None and (c_count != 3 or flat is not None):
        raise SpaceError(f"{src}: --units {units} is a 3D file's length unit; the file holds 2D x, y")


def units_factor(units: str | None, fmt: str) -> float:
    """What the values of a file of format ``fmt`` read are multiplied by to be millimetres when ``--units`` is
    ``units`` (a BVH's reader gives its values x10, as centimetres); 1.0 when not given."""
    return 1.0 if units is None else UNITS[units] / (MM_PER_CM if fmt == "bvh" else 1.0)


def told_unit(poses: np.ndarray, fmt: str, layout: str | None) -> str | None:
    """"in" when the 3D ``poses`` (..., T, J, 3) of a known (human) ``layout``, from a file of format ``fmt`` that
    does not state its unit (not :data:`MM_FORMATS`, :data:`STATED` or BVH, whose guess is its own), are inches by
    the body's size alone: inches make it a person's (:data:`~synsp.formats.bvh_units.PERSON`) and no other unit
    does, and as centimetres it would be below :data:`CHILD_CM`; else None (the unit read as
    :func:`~synsp.sequence.mm_per_unit` says)."""
    if fmt in MM_FORMATS or fmt in STATED or fmt == "bvh" or layout is None or np.shape(poses)[-1] != 3:
        return None
    size = body_size(poses)
    people = [name for name, mm in UNITS.items() if PERSON[0] <= size * mm <= PERSON[1]]  # NaN: none
    return "in" if people == ["in"] and size * UNITS["cm"] < CHILD_CM else None


def refine_factor(units: str | None, fmt: str, poses: np.ndarray, layout: str | None) -> float:
    """What the values of ``poses`` (V, T, J, C) read from format ``fmt`` are refined multiplied by: the unit given
    (:func:`units_factor`), else x25.4 for a body told inches (:func:`told_unit`), else 1.0 (the refiner tells
    metres and centimetres by the body's size itself)."""
    if units is None and told_unit(poses, fmt, layout) is not None:
        return UNITS["in"]
    return units_factor(units, fmt)


def three_d_unit(poses: np.ndarray, fmt: str, layout: str | None,
                 units: str | None = None) -> tuple[float, str, list[str]]:
    """The factor the figures of 3D ``poses`` (V, T, J, 3) read from format ``fmt`` are multiplied by, their unit's
    name, and the notes saying it: ``units`` given (``--units``) or millimetres for formats that say so
    (:data:`MM_FORMATS`); a BVH's told from the body's size (:mod:`synsp.formats.bvh_units`); a known (human)
    ``layout``'s unit too (:func:`synsp.sequence.mm_per_unit`: metres and centimetres shown in mm, with a note, one
    that names the unit that fits when the body is no person's size in the unit read but is in another); joints of
    no known layout (an animal's) have no size to tell it by: the file's own."""
    read_as = MM_PER_CM if fmt == "bvh" else 1.0
    if units is not None:
        guess = given_unit(units, poses, read_as)
        return guess.mm / read_as, "mm", [unit_note(guess, values="the BVH's values" if fmt == "bvh" else
                                                    "the 3D values")]
    if fmt in MM_FORMATS:
        return 1.0, "mm", []
    if fmt == "bvh":
        guess = given_unit(None, poses)
        note = unit_note(guess)
        return guess.mm / MM_PER_CM, "mm", [note] if note else []
    if layout is None:
        return 1.0, "units", ["units: 3D joints of no known layout, so no body size to tell the unit by; "
                              "the figures below are in the file's unit"]
    scale = mm_per_unit(poses)
    size = body_size(poses)
    if told_unit(poses, fmt, layout) == "in":  # refined in inches too (refine_factor)
        return UNITS["in"], "mm", [f"units: the 3D values read as inches, told from the body's size ({size:.3g} units: "
                                   f"{size * UNITS['in'] / 1000:.2f} m in inches, {size * UNITS['cm'] / 1000:.2f} m in "
                                   f"centimetres, smaller than a walking child's, no person's in another unit); the "
                                   f"figures below are in mm (x25.4); --units cm if it is centimetres (a baby's)"]
    if not PERSON[0] <= size * scale <= PERSON[1]:  # no person's size as read: another unit may make it one
        other = person_reading(size, next(name for name, mm in UNITS.items() if mm == scale))
        if other is not None:
            than = f"smaller than a 3-year-old's ({PERSON[0] / 1000:g} m)" if size * scale < PERSON[0] else \
                f"larger than a tall adult's ({PERSON[1] / 1000:g} m)"
            return scale, "mm", [f"units: the 3D values read as {unit_words(scale)} (told from the body's size), "
                                 f"but the body then measures {size * scale / 1000:.2f} m, {than}; in "
                                 f"{unit_words(UNITS[other])} it is {size * UNITS[other] / 1000:.2f} m: --units "
                                 f"{other} if the file is in {unit_words(UNITS[other])}; the figures below are in mm "
                                 f"(x{scale:g})"]
    if scale == 1.0:
        return 1.0, "mm", []
    return scale, "mm", [f"units: the 3D values read as {unit_words(scale)} (told from the body's size); "
                         f"the figures below are in mm (x{scale:g})"]
