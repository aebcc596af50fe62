"""``synsp stream``'s lines saved to a file (a live session's log, or its refined output), read whole
to refine offline, and written back in the same lines.

One frame per line (JSON Lines, ``.jsonl`` or ``.json``; a JSON list of the same values is read too):
``{"t": 12, "people": [{"id": 0, "keypoints": [[x, y], ...]}, ...]}`` or a bare list of keypoints
(one person, id 0), as :mod:`synsp.integrations.stream` takes them: a point ``[x, y]``, ``[x, y, c]``
or ``[x, y, z, c]``, ``null`` (or a point of nulls) for a joint not detected; a person whose every
point is ``null`` is not in the frame. :func:`frame_of` reads one line's value; the stream reads its
lines with it too.

Tracks are the people's ``id`` (numbers in order, strings in order of appearance), so nothing is
linked by guess. ``poses`` (V, T, J, 2|3|4) are the points as written, ``scores`` None: like an array's
or a CSV's, a third value may be a confidence, a 3D stream's z or MediaPipe's z beside pixels, and a
fourth a confidence after x, y, z, so ``synsp refine`` reads them as it reads an array's
(:data:`synsp.refining.file_channels.UNDECLARED`; ``--space 2d|3d`` says, as ``synsp stream``'s
``--space`` does). ``fps`` None (the lines carry none: ``--fps``). ``"keypoint_filled"`` per person (0/1 per
joint, as mmpose's) gives ``filled``. Written back: every line as read, ``t`` and every other key
kept, the people of each frame in the file's order with their ``id``, points as wide as the file's.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from synsp.errors import FormatError
from synsp.formats.instances import FILLED_KEY, file_order, present, to_list
from synsp.formats.posedata import PoseData, as_filled, first_entry, lines_extra, load_json, write_json


@dataclass
class Frame:
    """One input line: its ``t`` and, per person id, keypoints (J, D) float (NaN = not detected);
    ``bad``: (person id, joint index, the point as given) of each joint read as not detected
    because its values were not numbers; ``refused``: (person id, or place in the list where the id
    is unusable, and the problem) of each person left out of the line as malformed; ``repeated``: (id, keypoints)
    of each person after the first given an id already in the line (a tracker's slip), kept apart for the live
    stream to match (:mod:`synsp.integrations.stream_repeats`; both :func:`frame_of` with ``skip_people``)."""

    t: Any
    people: dict[Any, np.ndarray]
    bad: list[tuple[Any, int, Any]] = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)  # (person id or place, what is wrong): left out
    repeated: list[tuple[Any, np.ndarray]] = field(default_factory=list)  # (id, keypoints): an id's later persons


LINE_FORM = '{"t": ..., "people": [{"id": ..., "keypoints": [[x, y], ...]}, ...]} or a list of keypoints'


def frame_of(obj: Any, index: int, skip_people: bool = False) -> Frame:
    """One line's JSON value as a :class:`Frame` (``t`` defaults to ``index``); :class:`FormatError`
    naming the problem for a value of no line's form. A joint whose values are no numbers
    (``["a", "b", 0.9]``) is read as not detected and listed in :attr:`Frame.bad`. With
    ``skip_people`` (a live stream), a malformed person (no object with 'keypoints', an id of no use,
    keypoints of no regular shape) is left out and listed in :attr:`Frame.refused`, so that the
    others of the line still come back; a line all of whose persons are malformed is refused whole,
    as without it. Two persons with one id are refused without ``skip_people``; with it, the later ones are kept
    in :attr:`Frame.repeated` (which of them is the id's person is for the stream to tell)."""
    if isinstance(obj, list):
        obj = {"people": [{"id": 0, "keypoints": obj}]}
    if not isinstance(obj, dict) or not isinstance(obj.get("people"), list):
        raise FormatError(f"expected {LINE_FORM}")
    people: dict[Any, np.ndarray | None] = {}
    bad: list[tuple[Any, int, Any]] = []
    refused: list[tuple[Any, FormatError]] = []
    repeated: list[tuple[Any, np.ndarray]] = []
    for i, person in enumerate(obj["people"]):
        pid = person.get("id", i) if isinstance(person, dict) else i
        try:
            if not isinstance(person, dict) or "keypoints" not in person:
                raise FormatError(f"person {i} is not an object with 'keypoints'")
            if not isinstance(pid, (int, str)) or isinstance(pid, bool):
                given, pid = pid, i  # named by its place
                raise FormatError(f"person {i}: id must be a number or a string, got {given!r}")
            twice = pid in people  # two persons with one id: a tracker's slip
            if twice and not skip_people:
                raise FormatError(f"two persons with id {pid!r}")
            points, unread = _keypoints(person["keypoints"], f"person {pid!r}")
            if twice and people[pid] is not None:  # the id's first person with a joint detected keeps it here
                repeated += [(pid, points)] if points is not None else []
            else:
                people[pid] = points
        except FormatError as err:
            if not skip_people:
                raise
            refused.append((pid, err))
            continue
        bad += [(pid, joint, person["keypoints"][joint]) for joint in unread]
    if refused and len(refused) == len(obj["people"]):  # nobody left: the line is refused, as without skip_people
        raise refused[0][1]
    # a person with no joint detected (every keypoint null) is absent from the frame, not a bad line:
    # the frame still comes back, as offline refinement leaves such a frame out of the track
    return Frame(obj.get("t", index), {pid: x for pid, x in people.items() if x is not None}, bad,
                 [(pid, str(err)) for pid, err in refused], repeated)


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


def sniff(content) -> bool:
    """A list of stream lines: the first an object with a ``people`` list, or a bare list of points."""
    first = first_entry(content)
    if isinstance(first, dict):
        people = first.get("people")
        person = first_entry(people)
        return isinstance(people, list) and "version" not in first and (person is None or "keypoints" in person)
    point = first_entry(first)
    return isinstance(point, list) and all(isinstance(v, (int, float)) for v in point)


def read(path: Path) -> PoseData:
    """Read saved ``synsp stream`` lines (module doc): one track per person ``id``."""
    content = load_json(path)
    if not isinstance(content, list):
        raise ValueError(f"{path}: expected stream lines, one {LINE_FORM} per line")
    frames = []
    for t, value in enumerate(content):
        try:
            frames.append(frame_of(value, t))
        except FormatError as err:
            raise ValueError(f"{path}: line {t + 1}: {err}") from None
    ids = _ids(frames)
    widths = {x.shape for frame in frames for x in frame.people.values()}
    if not widths:
        raise ValueError(f"{path}: no person in any line; nothing to read")
    if len(widths) > 1:
        raise ValueError(f"{path}: people's keypoints differ in shape ({', '.join(map(str, sorted(widths)))})")
    n_joints, width = widths.pop()
    values = np.full((len(ids), len(frames), n_joints, width), np.nan)
    positions = {}
    for t, frame in enumerate(frames):
        for v, pid in enumerate(ids):
            if pid in frame.people:
                values[v, t] = frame.people[pid]
                positions[(v, t)] = list(frame.people).index(pid)
    if width not in (2, 3, 4):
        raise ValueError(f"{path}: points of {width} values; expected [x, y], [x, y, c], [x, y, z] or [x, y, z, c]")
    extra = {**lines_extra(content), "stream": {"lines": content, "ids": ids, "width": width, "positions": positions}}
    return PoseData(poses=values, track_ids=ids if all(isinstance(i, int) for i in ids) else list(range(len(ids))),
                    format="stream", extra=extra, filled=_filled(content, ids, values))


def _ids(frames: list[Frame]) -> list:
    """The people's ids, one per track: numbers in order, else in order of appearance."""
    seen = list(dict.fromkeys(pid for frame in frames for pid in frame.people))
    return sorted(seen) if all(isinstance(pid, int) for pid in seen) else seen


def _filled(content: list, ids: list, poses: np.ndarray) -> np.ndarray | None:
    """(V, T, J) bool from the people's ``"keypoint_filled"``, None when no person has one."""
    filled = None
    for t, value in enumerate(content):
        for i, person in enumerate(value.get("people", []) if isinstance(value, dict) else []):
            pid = person.get("id", i)
            if FILLED_KEY in person and pid in ids:
                filled = np.zeros(poses.shape[:3], dtype=bool) if filled is None else filled
                filled[ids.index(pid), t] = as_filled(person[FILLED_KEY], poses.shape[2:3], f"line {t + 1} {pid!r}")
    return filled


def write(path: Path, data: PoseData, fmt: str = "stream") -> None:
    """Write stream lines (module doc): each source line with its people's keypoints replaced."""
    info = data.extra.get("stream", {})
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    ids = info.get("ids") or list(data.track_ids or range(n_tracks))
    # a reader's points are written as wide as read; poses narrower than that (x, y refined, the
    # confidence given apart as scores) get the confidence back beside them
    width = info.get("width") if info.get("width") in (n_coords, n_coords + 1) else n_coords + (
        data.scores is not None)
    source, shown = info.get("lines") or [], present(poses)
    lines = []
    for t in range(n_frames):
        line = copy.deepcopy(source[t]) if t < len(source) else {"t": t, "people": []}
        bare = isinstance(line, list)
        old = {} if bare else {p.get("id", i): p for i, p in enumerate(line.get("people", [])) if isinstance(p, dict)}
        people = []
        for v in file_order(np.flatnonzero(shown[:, t]), t, info.get("positions")):
            points = poses[v, t]
            if width > n_coords:
                conf = data.scores[v, t] if data.scores is not None else np.isfinite(points).all(-1).astype(float)
                points = np.concatenate([points, np.asarray(conf, np.float64)[:, None]], axis=-1)
            lost = ~np.isfinite(points[:, :n_coords]).any(-1)  # a joint not there: null, as the stream takes it
            kp = [None if gone else row for gone, row in zip(lost, to_list(points))]
            person = {**old.get(ids[v], {}), "id": ids[v], "keypoints": kp}
            if data.filled is not None:
                person[FILLED_KEY] = np.asarray(data.filled[v, t], dtype=int).tolist()
            else:
                person.pop(FILLED_KEY, None)
            people.append(person)
        if bare:
            lines.append(people[0]["keypoints"] if people else [None] * n_joints)
        else:
            line = line if isinstance(line, dict) else {"t": t}
            lines.append({**line, "people": people})
    write_json(path, lines, data)
