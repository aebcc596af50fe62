"""One line of ``synsp stream``'s input read into a :class:`Frame` (the form is in
:mod:`synsp.integrations.stream`'s docstring; the value of a line is read by
:func:`synsp.formats.stream.frame_of`, which reads a saved session's lines too).

A line that is not that form (bad JSON, no ``people``, keypoints of no regular shape) is refused
whole (:class:`FormatError`). A single joint whose values are not numbers (``["a", "b", 0.9]``) is
not: it is read as not detected, as ``null`` is, and listed in :attr:`Frame.bad`, so that the
frame and every other joint and person in it still come back ("every frame comes back once").
"""
from __future__ import annotations

import json

from synsp.errors import FormatError
from synsp.formats.stream import Frame, frame_of

__all__ = ["Frame", "parse_frame"]


def parse_frame(line: str, index: int) -> Frame:
    """Read one JSON line (see the module docstring); :class:`FormatError` (a ``ValueError``) naming the problem."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise FormatError(f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise FormatError("JSON nested too deeply") from None
    return frame_of(obj, index)
