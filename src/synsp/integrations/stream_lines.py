"""One line of ``synsp stream``'s input read into a :class:`Frame` (the form is in
:mod:`synsp.integrations.stream`'s docstring).

A line that is not that form (bad JSON, no ``people``, keypoints of no regular shape) is refused
whole (:class:`FormatError`). A single joint whose values are not numbers (``["a", "b", 0.9]``) is
not: it is read as not detected, as ``null`` is, and listed in :attr:`Frame.bad`, so that the
frame and every other joint and person in it still come back ("every frame comes back once").
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synsp.errors import FormatError


@dataclass
class Frame:
    """One input line: its ``t`` and, per person id, keypoints (J, D) float (NaN = not detected);
    ``bad``: (person id, joint index, the point as given) of each joint read as not detected
    because its values were not numbers."""

    t: Any
    people: dict[Any, np.ndarray]
    bad: list[tuple[Any, int, Any]] = field(default_factory=list)


def parse_frame(line: str, index: int) -> Frame:
    """Read one JSON line (see the module docstring); :class:`FormatError` (a ``ValueError``) naming the problem."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise FormatError(f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise FormatError("JSON nested too deeply") from None
    if isinstance(obj, list):
        obj = {"people": [{"id": 0, "keypoints": obj}]}
    if not isinstance(obj, dict) or not isinstance(obj.get("people"), list):
        raise FormatError('expected {"t": ..., "people": [{"id": ..., "keypoints": [[x, y], ...]}, ...]} '
                          "or a list of keypoints")
    people: dict[Any, np.ndarray | None] = {}
    bad: list[tuple[Any, int, Any]] = []
    for i, person in enumerate(obj["people"]):
        if not isinstance(person, dict) or "keypoints" not in person:
            raise FormatError(f"person {i} is not an object with 'keypoints'")
        pid = person.get("id", i)
        if not isinstance(pid, (int, str)) or isinstance(pid, bool):
            raise FormatError(f"person {i}: id must be a number or a string, got {pid!r}")
        if pid in people:
            raise FormatError(f"two persons with id {pid!r}")
        people[pid], unread = _keypoints(person["keypoints"], f"person {pid!r}")
        bad += [(pid, joint, person["keypoints"][joint]) for joint in unread]
    # a person with no joint detected (every keypoint null) is absent from the frame, not a bad line:
    # the frame still comes back, as offline refinement leaves such a frame out of the track
    return Frame(obj.get("t", index), {pid: x for pid, x in people.items() if x is not None}, bad)


def _keypoints(values: Any, where: str) -> tuple[np.ndarray | None, list[int]]:
    """(J, C) keypoints (NaN: not detected), or None when every keypoint is null; and the joints
    whose values were not numbers (read as not detected)."""
    if not isinstance(values, list) or not values:
        raise FormatError(f"{where}: keypoints must be a non-empty list of points")
    if all(p is None for p in values):
        return None, []
    width = next((len(p) for p in values if isinstance(p, list)), None)
    if width is None:
        raise FormatError(f"{where}: no keypoint is a list of numbers")
    if any(isinstance(p, list) and len(p) != width for p in values):
        raise FormatError(f"{where}: keypoints are not a regular array of numbers (one list per joint)")
    rows, bad = [], []
    for joint, point in enumerate(values):
        row = _point(point, width)
        if row is None:  # its values are no numbers: not detected, as null, and said
            row = np.full(width, np.nan)
            bad.append(joint)
        rows.append(row)
    return np.stack(rows), bad


def _point(point: Any, width: int) -> np.ndarray | None:
    """One joint's values (NaN for null), or None when they are not ``width`` numbers."""
    if point is None:  # a whole point null: not detected
        return np.full(width, np.nan)
    try:
        row = np.array(point, dtype=np.float64)  # None -> NaN
    except (TypeError, ValueError):
        return None
    return row if row.shape == (width,) else None  # a scalar or nested lists: no point
