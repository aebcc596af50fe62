"""One line of ``synsp stream``'s input read into a :class:`Frame` (the form is in
:mod:`synsp.integrations.stream`'s docstring; the value of a line is read by
:func:`synsp.formats.stream.frame_of`, which reads a saved session's lines too).

A line that is not that form (bad JSON, no ``people``, keypoints of no regular shape) is refused
whole (:class:`FormatError`). A single joint whose values are not numbers (``["a", "b", 0.9]``) is
not: it is read as not detected, as ``null`` is, and listed in :attr:`Frame.bad`, so that the
frame and every other joint and person in it still come back ("every frame comes back once").
A malformed person beside valid ones (``{"id": 1, "keypoints": []}``, 18 keypoints in a COCO-17 stream)
is, on a live stream: left out of that line alone, said once per person and kind (:class:`LeftOut`).
"""
from __future__ import annotations

import json
import re
from typing import Any

from synsp.errors import FormatError
from synsp.formats.stream import Frame, frame_of

__all__ = ["Frame", "LeftOut", "parse_frame"]


def parse_frame(line: str, index: int, skip_people: bool = False) -> Frame:
    """Read one JSON line (see the module docstring); :class:`FormatError` (a ``ValueError``) naming the problem.
    ``skip_people``: a malformed person is left out and listed in :attr:`Frame.refused`, the line's others kept
    (:func:`~synsp.formats.stream.frame_of`)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise FormatError(f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise FormatError("JSON nested too deeply") from None
    return frame_of(obj, index, skip_people)


# Notes a stream writes of persons left out before it only counts them: a stream of many malformed
# ids must not write a note per line
MAX_NOTES = 10


class LeftOut:
    """The persons a stream left out of their lines as malformed (:attr:`Frame.refused`), the line's
    others refined: each said once per person and kind of problem (its message with the numbers taken
    out: 18 keypoints and 19 are one kind), at most :data:`MAX_NOTES` notes, then counted at the end
    (:meth:`summary`)."""

    def __init__(self):
        self.count = 0  # persons left out, over all lines
        self.lines = 0  # lines they were left out of
        self._said: set[tuple[str, str]] = set()

    def notes(self, number: int, refused: list[tuple[Any, str]]) -> list[str]:
        """What to say on stderr of line ``number``'s persons ``refused`` (person id, problem)."""
        self.count += len(refused)
        self.lines += bool(refused)
        notes = []
        for pid, problem in refused:
            kind = (repr(pid), re.sub(r"\d+", "#", problem))
            if kind in self._said or len(self._said) > MAX_NOTES:
                continue
            self._said.add(kind)
            notes.append(f"line {number}: {problem}; that person skipped on this line, the line's others refined"
                         " (so on later lines without a note; counted at the end)" if len(self._said) <= MAX_NOTES
                         else f"line {number}: more malformed persons; skipped without a note from here, counted "
                         "at the end")
        return notes

    def summary(self) -> str | None:
        """The end-of-stream count, None when no person was left out."""
        if not self.count:
            return None
        return (f"{self.count} malformed person entries skipped on {self.lines} lines (noted above), the other "
                "persons of those lines refined")
