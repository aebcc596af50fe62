"""OpenPose ``--write_json`` output: a folder of ``*_keypoints.json``, one file per frame.

Each file is ``{"version": 1.3, "people": [{"person_id": [-1], "pose_keypoints_2d": [x1, y1, c1,
...], "face_keypoints_2d": [...], "hand_left_keypoints_2d": [...], ...}, ...]}``. The folder is
one sequence (:func:`is_openpose_folder`: most JSON files in it end in ``_keypoints.json``; the
others, such as a ``meta.json``, are skipped with a note naming them, ``extra["notes"]``);
frames are ordered by the number before ``_keypoints.json`` taken as a number (``walk_9`` before
``walk_10``), not as text, and placed by it: a frame file missing from the run of numbers is a
frame where nobody was seen (and none is written for it). BODY_25 (25 keypoints) reads as
``body25``, COCO-18 (18) as ``coco18``. BODY_25 run with ``--face --hand`` (people with 70 face
and 21 + 21 hand points) reads as ``openpose137``: those points appended in that order, so face
and hands are refined too, and split back into their keys by the writer; a face or hand key that
is an empty list (not found for that person in that frame) reads as missing, is ``extra["absent"]``
(V, T, J) so that ``synsp refine`` does not fill it, and is written back as an empty list. A keypoint OpenPose
did not find is ``0, 0, 0``: it reads as NaN and NaN is written that way. People are tracks by
their ``person_id`` when every person has one other than -1 (OpenPose's "no id"; one twice in a frame is
matched there, :mod:`synsp.formats.repeated_ids`), else they are matched frame to frame
(:func:`synsp.formats.instances.gather`).

The writer writes a folder of the same file names (or ``<folder>_<frame:012d>_keypoints.json``)
with every other key of each person (3D keypoints, face and hands not read, ...) unchanged,
its ``person_id`` as read (``[-1]``, untracked, stays ``[-1]``; a person the input did not have in
that frame gets its track's number) and synsp's ``"keypoint_filled"``. A folder is replaced only if it
is itself an OpenPose folder of frame files only (or empty), and atomically: written beside it,
then renamed.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

from synsp.formats.coco import frame_positions
from synsp.formats.instances import (
    FILLED_KEY,
    Instance,
    file_order,
    from_list,
    gather,
    pop_filled,
    present,
    set_aside,
)
from synsp.formats.posedata import PoseData, load_json
from synsp.paths import atomic_folder

SUFFIX = "_keypoints.json"
LAYOUT_OF_COUNT = {25: "body25", 18: "coco18", 137: "openpose137"}
_KEY = "pose_keypoints_2d"
# OpenPose's --face --hand keys, in the order openpose137 appends them, with their point counts.
_PARTS = (("face_keypoints_2d", 70), ("hand_left_keypoints_2d", 21), ("hand_right_keypoints_2d", 21))


def _json_files(path: Path) -> tuple[list[Path], list[Path]]:
    """The folder's frame files (``*_keypoints.json``) and its other JSON files."""
    files = [p for p in path.iterdir() if p.suffix.lower() == ".json" and not p.name.startswith(".")]
    return [p for p in files if p.name.endswith(SUFFIX)], [p for p in files if not p.name.endswith(SUFFIX)]


def is_openpose_folder(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder whose JSON files are mostly named ``*_keypoints.json``: one
    OpenPose sequence (not a batch of pose files). The other JSON files (a ``meta.json`` put
    beside the frames) are not frames; :func:`read` skips them and says so."""
    path = Path(path)
    if not path.is_dir():
        return False
    frames, others = _json_files(path)
    return len(frames) > len(others)


def frame_number(name: str) -> tuple:
    """Sort key of a frame file: the number right before ``_keypoints.json``, as a number, then
    every digit run, then the name (``walk_9_keypoints.json`` before ``walk_10_keypoints.json``)."""
    stem = name[:-len(SUFFIX)] if name.endswith(SUFFIX) else name
    last = re.search(r"(\d+)$", stem)
    return (int(last.group(1)) if last else -1, tuple(int(d) for d in re.findall(r"\d+", stem)), name)


def _triples(values, key: str, where: str) -> np.ndarray:
    flat = from_list(values, where)
    if flat.ndim != 1 or flat.size % 3:
        raise ValueError(f"{where}: {key} must be x, y, confidence triples, got {flat.size} values")
    return flat.reshape(-1, 3)


def _whole_body(people: list, files: list, contents: list) -> bool:
    """Whether the people are BODY_25 run with ``--face --hand``: some person has every face and
    hand key with its full point count, and every person has each of them full or empty (``[]``:
    OpenPose found no face or hand for that person in that frame, which reads as missing)."""
    sizes = [(_KEY, 25)] + list(_PARTS)
    if not any(isinstance(obj, dict) and all(isinstance(obj.get(k), list) and len(obj[k]) == 3 * n for k, n in sizes)
               for obj in people):
        return False
    for file, content in zip(files, contents):
        for i, obj in enumerate(content["people"]):
            for key, n in sizes:
                value = obj.get(key) if isinstance(obj, dict) else None
                if not (isinstance(value, list) and len(value) in ((3 * n,) if key == _KEY else (0, 3 * n))):
                    got = f"{len(value)} values" if isinstance(value, list) else "no such key"
                    allowed = "" if key == _KEY else " or none"
                    raise ValueError(f"{file.name}: person {i}: {key} must hold {3 * n} values (x, y, confidence "
                                     f"of {n} points){allowed}, as OpenPose --face --hand writes them; got {got}")
    return True


def _person(obj, where: str, whole_body: bool = False) -> Instance:
    if not isinstance(obj, dict) or _KEY not in obj:
        raise ValueError(f"{where}: a person without '{_KEY}'")
    body = _triples(obj[_KEY], _KEY, where)
    parts = [_triples(obj[k], k, where) if obj[k] else np.zeros((n, 3))  # [] = not found: 0, 0, 0 below
             for k, n in _PARTS] if whole_body else []
    keys = [_KEY] + ([k for k, _ in _PARTS] if whole_body else [])
    triples = np.concatenate([body, *parts])
    kp, conf = triples[:, :2].copy(), triples[:, 2].copy()
    kp[(kp == 0).all(axis=1) & (conf == 0)] = np.nan  # OpenPose's "not found"
    pid = obj.get("person_id", -1)
    pid = pid[0] if isinstance(pid, list) and len(pid) == 1 else pid
    track = int(pid) if isinstance(pid, (int, float)) and not isinstance(pid, bool) and pid >= 0 else None
    # an empty face or hand key stays among the fields, so the writer gives it back empty (never 63 made-up values);
    # so does person_id: OpenPose's [-1] (no id) is written back [-1], not the number of the track it was matched to
    fields = {k: v for k, v in obj.items() if k not in keys or (k != _KEY and v == [])}
    return Instance(kp, conf, track, fields)


def _empty_parts(fields: dict, shape: tuple[int, int, int]) -> np.ndarray:
    """(V, T, J) bool of ``shape``: the openpose137 points of the face and hand keys a person
    held as an empty list (not found) in a frame, from the ``(v, t) -> fields`` of the reader."""
    empty = np.zeros(shape, dtype=bool)
    start = 25
    for key, count in _PARTS:
        for (v, t), kept in fields.items():
            if kept.get(key) == []:
                empty[v, t, start:start + count] = True
        start += count
    return empty


def read(path: Path) -> PoseData:
    """Read an OpenPose JSON folder.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels, ``scores`` (V, T, J); ``extra["frame_ids"]`` = the frame
        numbers from the file names; ``extra["openpose"]`` the file names and other keys.
    """
    path = Path(path)
    if not is_openpose_folder(path):
        raise ValueError(f"{path}: not an OpenPose folder (JSON files mostly named *{SUFFIX})")
    frames, others = _json_files(path)
    files = sorted(frames, key=lambda p: frame_number(p.name))
    contents = []
    for file in files:
        content = load_json(file)
        if not isinstance(content, dict) or not isinstance(content.get("people"), list):
            raise ValueError(f"{file}: expected an object with a 'people' list (OpenPose --write_json)")
        contents.append(content)
    people = [obj for content in contents for obj in content["people"]]
    whole_body = _whole_body(people, files, contents)
    frames = [[_person(obj, f"{file.name}: person {i}", whole_body) for i, obj in enumerate(content["people"])]
              for file, content in zip(files, contents)]
    tops = [{k: v for k, v in content.items() if k != "people"} for content in contents]
    numbers = [frame_number(f.name)[0] for f in files]
    numbered = len(set(numbers)) == len(files) and min(numbers) >= 0
    # A frame whose file is missing (dropped, or not written) is a frame where nobody was seen, so
    # that time is not closed up: a tracker would otherwise match people across the jump.
    placed = frame_positions(numbers) if numbered else None
    file_of = {n: k for k, n in enumerate(numbers)}
    slots = None if placed is None else [file_of.get(n) for n in placed]  # each frame's file, None: no file
    if slots is not None:
        frames = [frames[k] if k is not None else [] for k in slots]
        tops = [tops[k] if k is not None else {} for k in slots]
    names = [f.name for f in files] if slots is None else [files[k].name if k is not None else None for k in slots]
    positions: dict = {}
    aside: list = []
    notes: list = []
    poses, scores, track_ids, fields = gather(frames, str(path), frame_names=[
        name or f"frame {t} (no file)" for t, name in enumerate(names)], positions=positions, aside=aside,
        id_key="person_id", notes=notes)
    filled = pop_filled(fields, poses.shape[:3], str(path))
    extra = {"openpose": {"files": names, "tops": tops, "fields": fields, "positions": positions},
             **set_aside(aside, poses, notes)}
    if whole_body:  # the file says these points are not there: refine_file leaves them so, never filled
        extra["absent"] = _empty_parts(fields, poses.shape[:3])
    if numbered:
        extra["frame_ids"] = placed
    if others:  # said, not silently dropped: refine_file prints the reader's notes
        names = sorted(p.name for p in others)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        extra["notes"] = extra.get("notes", []) + [
            f"openpose: skipped {shown} in {path.name}: not frame files (*{SUFFIX}), so not read and not written"]
    return PoseData(poses=poses, scores=scores, layout=LAYOUT_OF_COUNT.get(poses.shape[2]), track_ids=track_ids,
                    format="openpose", extra=extra, filled=filled)


def check_target(path: Path) -> None:
    """Refuse a folder :func:`write` would not replace (ValueError, one line), before any work: it
    is replaced whole, so only a folder of nothing but frame files, never a meta.json of the user's,
    nor OpenPose's rendered images or a video written beside its frames, nor a folder inside."""
    path = Path(path)
    if path.exists() and not (path.is_dir() and (is_openpose_folder(path) or not any(path.iterdir()))):
        raise ValueError(f"{path} exists and is not an OpenPose folder of frame files only; refusing to replace it")
    others = sorted(p.name for p in path.iterdir() if not (p.name.endswith(SUFFIX) and p.is_file())) \
        if path.exists() else []
    if others:
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        raise ValueError(f"{path} holds {', '.join(map(repr, others[:3]))}{more} beside its frame files; refusing "
                         "to replace the folder (that would delete them): write elsewhere, or move them out")


def write(path: Path, data: PoseData, fmt: str = "openpose") -> None:
    """Write an OpenPose JSON folder at ``path`` (see the module doc); poses (V, T, J, 2)."""
    path = Path(path)
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords != 2:
        raise ValueError(f"{path}: OpenPose JSON holds 2D keypoints; poses have C = {n_coords}")
    # check_target(path) ran in write_poses (formats.writable_format), the one way here
    info = data.extra.get("openpose", {})
    files = info.get("files")
    if files is None or len(files) != n_frames:
        files = [f"{path.name}_{t:012d}{SUFFIX}" for t in range(n_frames)]
    tops = info.get("tops") or [{"version": 1.3}] * n_frames
    fields = info.get("fields", {})
    conf = (np.nan_to_num(np.asarray(data.scores, dtype=np.float64)) if data.scores is not None
            else np.isfinite(poses).all(-1).astype(np.float64))
    track_ids = data.track_ids if data.track_ids is not None else list(range(n_tracks))
    shown = present(poses)
    parts = {_KEY: (0, n_joints)}
    if n_joints == 137:  # openpose137: the body, then the face and hand keys it was read from
        parts, start = {_KEY: (0, 25)}, 25
        for key, count in _PARTS:
            parts[key], start = (start, start + count), start + count
    with atomic_folder(path) as tmp:
        for t in range(n_frames):
            if files[t] is None:  # a frame the input had no file for: none is written
                continue
            people = []
            for v in file_order(np.flatnonzero(shown[:, t]), t, info.get("positions")):
                triples = np.concatenate([poses[v, t], conf[v, t, :, None]], axis=1)
                triples[~np.isfinite(poses[v, t]).all(-1)] = 0.0
                person = {"person_id": [int(track_ids[v])]}
                for key, (start, stop) in parts.items():
                    person[key] = triples[start:stop].reshape(-1).tolist()
                kept = fields.get((v, t), {})
                person.update(kept)  # a face or hand key read empty is written empty
                if data.filled is not None:
                    flags = np.asarray(data.filled[v, t], dtype=int)
                    for key, (start, stop) in parts.items():
                        if kept.get(key) == []:
                            flags[start:stop] = 0  # nothing written there, so nothing filled
                    person[FILLED_KEY] = flags.tolist()
                people.append(person)
            with open(tmp / files[t], "w", encoding="utf-8") as f:
                json.dump({**tops[t], "people": people}, f)
