"""A track id twice in one line of ``synsp stream`` (a tracker's slip), matched as offline reading matches it.

A tracker sometimes gives a second person the first's id for a few frames, or reports one box twice.
Refusing the line lost every person in it; here, as :mod:`synsp.formats.repeated_ids` does for a file,
the persons sharing an id are matched to the ids free in the line (that id, and the ids seen on the last
:data:`~synsp.formats.tracking.MAX_LOST` lines but absent from this one: the person whose id was taken) by
where each id was last seen (a live stream has no later frames to join it with), with the linker's cost
and limit (mean joint distance over x, y in body sizes, at most
:data:`~synsp.formats.tracking.MAX_DISTANCE` x sqrt(lines away)). A person that duplicates another of its
line almost exactly (:mod:`synsp.formats.duplicates`, the one with fewer joints detected) is a copy, left
out; so is one that matches no free id (a live stream invents no ids: one could be the tracker's next).
Each such line is said in one ``warning:`` line naming it, at most :data:`~synsp.integrations.stream_lines.
MAX_NOTES` of them, then counted at the end (:meth:`RepeatedIds.summary`); the line's other persons are refined.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from synsp.formats.duplicates import duplicates
from synsp.formats.repeated_ids import UNSEEN, assigned, linked_cost
from synsp.formats.stream import Frame
from synsp.formats.tracking import MAX_LOST
from synsp.integrations.stream_lines import MAX_NOTES

__all__ = ["RepeatedIds"]


def _xy(points: np.ndarray) -> np.ndarray:
    """(J, 2): x, y of a line's (J, D) points; a third or fourth value may be a confidence or a depth."""
    return points[:, :2]


class RepeatedIds:
    """The persons of a line given one id (:attr:`Frame.repeated`) placed under the ids free in the line, or
    left out (module doc); the last place each id was seen, line by line."""

    def __init__(self):
        self._line = 0  # lines placed
        self._last: dict[Any, tuple[int, np.ndarray]] = {}  # id -> (line, (J, 2) x, y) where last seen
        self.lines = 0  # lines with an id given twice
        self.left_out = 0  # persons left out of them

    def place(self, frame: Frame, number: int) -> list[str]:
        """Give ``frame``'s repeated persons the free ids they match (into ``frame.people``), drop the rest,
        remember where every id is; the ``warning:`` lines to say of input line ``number``."""
        line, self._line = self._line, self._line + 1
        notes = self._match(frame, line, number) if frame.repeated else []
        for pid, points in frame.people.items():
            self._last[pid] = (line, _xy(points))
        if line % 256 == 255:  # ids gone for long are no candidates: forgotten, so a long stream's memory stays flat
            self._last = {pid: last for pid, last in self._last.items() if line - last[0] <= MAX_LOST + 1}
        return notes

    def _match(self, frame: Frame, line: int, number: int) -> list[str]:
        ids = list(dict.fromkeys(pid for pid, _ in frame.repeated))
        loose = [(pid, frame.people.pop(pid)) for pid in ids if pid in frame.people] + list(frame.repeated)
        others = list(frame.people.values())
        # ranks: joints detected (a stream's third value may be a depth, so no detection score is known)
        everyone = others + [points for _, points in loose]
        ranks = [float(np.isfinite(_xy(p)).all(-1).sum()) for p in everyone]
        copies = {i - len(others) for i in duplicates([_xy(p) for p in everyone], ranks) if i >= len(others)}
        kept = [k for k in range(len(loose)) if k not in copies]
        free = ids + [pid for pid, (seen, _) in self._last.items()
                      if pid not in frame.people and pid not in ids and line - seen <= MAX_LOST + 1]
        cost = np.full((len(kept), len(free)), np.inf)
        for c, pid in enumerate(free):
            seen, where = self._last.get(pid, (None, None))
            for r, k in enumerate(kept):
                if where is None:  # not seen lately: one of its own persons takes it (the first, at equal cost)
                    cost[r, c] = UNSEEN + r if loose[k][0] == pid else np.inf
                    continue
                cost[r, c] = linked_cost(where, _xy(loose[k][1]), line - seen)
        matched = {kept[r]: free[c] for r, c in assigned(cost).items()}
        for k, pid in sorted(matched.items()):
            frame.people[pid] = loose[k][1]
        dropped = len(loose) - len(matched)
        self.lines += 1
        self.left_out += dropped
        if self.lines > MAX_NOTES + 1:
            return []
        if self.lines == MAX_NOTES + 1:
            return [f"warning: line {number}: more lines with an id given twice; placed without a note from here, "
                    "counted at the end"]
        given = ", ".join(f"{pid!r}" for pid in ids)
        moved = sorted({f"{pid!r}" for k, pid in matched.items() if pid != loose[k][0]})
        said = f"id {given} given to {len(loose)} persons (a tracker's slip): matched by where each id was last seen"
        said += f", one now {', '.join(moved)} (not in the line)" if moved else ""
        if dropped:
            said += (f"; {dropped} left out of the line ({len(copies)} a copy of another person, "
                     f"{dropped - len(copies)} matching no id free in it), the line's others refined")
        return [f"warning: line {number}: {said}"]

    def summary(self) -> str | None:
        """The end-of-stream count, None when no line gave an id twice."""
        if not self.lines:
            return None
        return (f"{self.lines} lines gave an id to two or more persons (noted above): matched to the ids free there, "
                f"{self.left_out} persons left out (copies, or matching no free id), the others refined")
