"""Ultralytics YOLO-pose output (``yolov8n-pose``, ``yolo11n-pose``: COCO's 17 keypoints): ``save_txt`` labels or
``Results.to_json()`` / ``summary()`` JSON.

Labels (``yolo pose predict source=video.mp4 save_txt=True``): a folder (``runs/pose/predict/labels``) of
``<stem>_<frame>.txt``, one line per person: ``cls cx cy w h x1 y1 v1 ... x17 y17 v17`` (box centre and size, keypoint
x, y normalised by the image's width and height, 0 to 1; v the keypoint's confidence, absent from a model without
one), then the box confidence (``save_conf=True``) and the track id (``yolo track``) when written. The frame is the
number ending the name (Ultralytics counts a video's frames from 1; an image folder's names keep theirs); a frame
where nobody was found has no file and reads as missing, placed by the numbers as OpenPose's frames are
(:func:`synsp.formats.coco.frame_positions`). Poses stay normalised, as the files hold them (the image size is in
no file): ``synsp refine`` refines them in pixels given ``--image-size W H``, else in the file's unit and says so.
A keypoint at 0, 0 with confidence 0 reads as missing.

JSON: a list with one entry per frame (``null`` or ``[]``: nobody), each the list ``Results.summary()`` gives (the
parsed ``Results.to_json()``): ``{"name", "class", "confidence", "box": {...}, "keypoints": {"x": [...], "y":
[...], "visible": [...]}}`` plus ``"track_id"`` when tracked; a bare list of such objects is one frame, and JSON
Lines (one frame's list per line) reads as frames. x, y are pixels (normalised with ``normalize=True``).

People are tracks by their track ids when every person has one, else matched frame to frame
(:func:`synsp.formats.instances.gather`). The writer writes the same form back: a labels folder of the same file
names (a frame the refinement filled gets a file named like the others; its box spans the keypoints), each
person's class, box, confidence and id as read and the refined keypoints; or the JSON with every other key kept.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np

from synsp.formats.coco import frame_positions
from synsp.formats.instances import Instance, file_order, gather, present, set_aside
from synsp.formats.posedata import PoseData, first_entry, lines_extra, load_json, write_json
from synsp.paths import atomic_folder

LAYOUT_OF_COUNT = {17: "coco17"}
KEYPOINTS = 17  # YOLO-pose's COCO keypoints: a label line's count is read by it first
_NUMBERED = re.compile(r"^(.*?)(\d+)$")  # a label file's stem: <video stem>_<frame>


def _label_files(path: Path) -> list[Path]:
    return [p for p in path.iterdir() if p.suffix.lower() == ".txt" and not p.name.startswith(".") and p.is_file()]


def is_labels_folder(path) -> bool:
    """Whether ``path`` is a folder of YOLO ``save_txt`` labels: its files mostly ``.txt``, the first of them
    lines of numbers that a pose label line's count allows (:func:`label_shape`)."""
    path = Path(path)
    if not path.is_dir():
        return False
    files = sorted(_label_files(path))
    others = [p for p in path.iterdir() if not p.name.startswith(".") and p not in files]
    return bool(files) and len(files) > len(others) and is_label_file(files[0])


def is_label_file(path: Path) -> bool:
    """Whether ``path``'s first line is a YOLO-pose label line: numbers, as many as :func:`label_shape` allows, the
    first a class number and the next four a box normalised by the image's sides (a table of numbers is none)."""
    try:
        with open(path, encoding="utf-8") as f:
            values = [float(v) for v in f.readline().split()]
        label_shape(len(values) - 5)
    except (ValueError, OSError, UnicodeDecodeError):
        return False
    return values[0].is_integer() and values[0] >= 0 and all(0 <= v <= 1 for v in values[1:5])


def label_shape(count: int) -> tuple[int, int, int]:
    """(keypoints J, values per keypoint 3 or 2, trailing values 0-2: box confidence, track id) of a label line
    whose ``count`` values follow ``cls cx cy w h``: 17 keypoints first, then any count of x, y, v triples."""
    for dims in (3, 2):
        for extras in range(3):
            if count - extras == KEYPOINTS * dims:
                return KEYPOINTS, dims, extras
    extras = count % 3
    if count - extras < 3:
        raise ValueError(f"{count + 5} values, too few for a YOLO-pose label line (cls cx cy w h, then x y v "
                         "per keypoint)")
    return (count - extras) // 3, 3, extras


def _label_line(text: str, where: str) -> Instance:
    """One person: keypoints (J, 2) normalised, scores (J,) or None; ``fields`` the class, box and box confidence
    as written (their text) and whether a track id ended the line."""
    tokens = text.split()
    try:
        values = np.array([float(v) for v in tokens])
    except ValueError:
        raise ValueError(f"{where}: not a YOLO-pose label line of numbers (got {text.strip()[:60]!r})") from None
    joints, dims, extras = label_shape(len(values) - 5)
    points = values[5:5 + joints * dims].reshape(joints, dims)
    tail = tokens[5 + joints * dims:]
    track = None
    if extras == 2 or (extras == 1 and float(tail[0]).is_integer() and float(tail[0]) >= 1):  # a tracker's id
        track, tail = int(float(tail[-1])), tail[:-1]
    keypoints, scores = points[:, :2].copy(), (points[:, 2].copy() if dims == 3 else None)
    if scores is not None:
        keypoints[(keypoints == 0).all(-1) & (scores == 0)] = np.nan  # not found
    return Instance(keypoints, scores, track, {"head": tokens[:5], "conf": tail[0] if tail else None})


def _frame_numbers(files: list[Path], where: Path) -> tuple[list[int], str, int]:
    """(frame number of each file, the stem before it, zero padding of the numbers) ; ValueError for names
    not ``<stem><number>.txt`` or of several stems (several videos' labels)."""
    parts = [_NUMBERED.match(p.stem) for p in files]
    odd = [p.name for p, m in zip(files, parts) if m is None]
    if odd:
        raise ValueError(f"{where}: label file {odd[0]} has no frame number ending its name (YOLO writes "
                         "<video>_<frame>.txt for a video)")
    stems = sorted({m.group(1) for m in parts})
    if len(stems) > 1:
        raise ValueError(f"{where}: labels of {len(stems)} videos ({', '.join(map(repr, stems[:3]))}): one video's "
                         "labels per folder, please")
    digits = [m.group(2) for m in parts]
    pad = max(map(len, digits)) if any(d.startswith("0") and len(d) > 1 for d in digits) else 0
    return [int(d) for d in digits], stems[0], pad


def _read_labels(path: Path) -> PoseData:
    files = _label_files(path)
    numbers, stem, pad = _frame_numbers(files, path)
    order = np.argsort(numbers, kind="stable")
    files, numbers = [files[k] for k in order], [numbers[k] for k in order]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{path}: two label files of frame {next(n for n in numbers if numbers.count(n) > 1)}")
    placed = frame_positions(numbers)
    by_number = {n: f for n, f in zip(numbers, files)}
    frames, names = [], []
    for n in placed:
        file = by_number.get(n)
        names.append(file.name if file else f"{stem}{n:0{pad}d}.txt")
        lines = file.read_text(encoding="utf-8").splitlines() if file else []
        frames.append([_label_line(line, f"{file.name}: line {i + 1}") for i, line in enumerate(lines) if line.strip()])
    positions, aside, notes = {}, [], []
    poses, scores, track_ids, fields = gather(frames, str(path), frame_names=names, positions=positions, aside=aside,
                                              notes=notes)
    info = {"kind": "labels", "files": names, "fields": fields, "positions": positions, "scored": scores is not None,
            "ids": any(inst.track_id is not None for insts in frames for inst in insts),
            "confs": any(inst.fields["conf"] is not None for insts in frames for inst in insts)}
    return PoseData(poses=poses, scores=scores, layout=LAYOUT_OF_COUNT.get(poses.shape[2]), track_ids=track_ids,
                    format="ultralytics", extra={"ultralytics": info, "frame_ids": placed,
                                                 **set_aside(aside, poses, notes)})


def sniff(content) -> bool:
    """JSON of ``Results.summary()`` lists: a person object whose ``keypoints`` is an object of ``x`` and ``y``."""
    first = first_entry(content)
    person = next((p for p in first if p is not None), None) if isinstance(first, list) else first
    return isinstance(person, dict) and isinstance(person.get("keypoints"), dict) and "x" in person["keypoints"]


def _json_frames(content) -> list:
    """The per-frame lists of person objects: a bare list of persons (one image's ``summary()``) is one frame."""
    if not isinstance(content, list):
        raise ValueError("expected a list of frames, each the list Results.summary() gives")
    if isinstance(first_entry(content), dict):
        return [content]
    return [[] if frame is None else frame for frame in content]


def _json_person(obj, where: str) -> Instance:
    marks = obj.get("keypoints") if isinstance(obj, dict) else None
    if not isinstance(marks, dict) or "x" not in marks or "y" not in marks:
        raise ValueError(f"{where}: a person without keypoints {{x: [...], y: [...]}}")
    try:
        keypoints = np.stack([np.asarray(marks["x"], np.float64), np.asarray(marks["y"], np.float64)], axis=-1)
        scores = np.asarray(marks["visible"], np.float64) if "visible" in marks else None
    except (TypeError, ValueError):
        raise ValueError(f"{where}: keypoints x, y (and visible) must be equally long lists of numbers") from None
    if keypoints.ndim != 2 or (scores is not None and scores.shape != keypoints.shape[:1]):
        raise ValueError(f"{where}: keypoints x, y (and visible) must be equally long lists of numbers")
    if scores is not None:
        keypoints[(keypoints == 0).all(-1) & (scores == 0)] = np.nan  # not found
    track = obj.get("track_id")
    return Instance(keypoints, scores, int(track) if isinstance(track, (int, float)) else None, {})


def _read_json(path: Path) -> PoseData:
    content = load_json(path)
    frames = [[_json_person(obj, f"frame {t}: person {i}") for i, obj in enumerate(frame)]
              for t, frame in enumerate(_json_frames(content))]
    positions, aside, notes = {}, [], []
    poses, scores, track_ids, _ = gather(frames, str(path), positions=positions, aside=aside, notes=notes)
    info = {"kind": "json", "json": content, "positions": positions, "scored": scores is not None,
            "bare": isinstance(first_entry(content), dict),
            "ids": any(inst.track_id is not None for insts in frames for inst in insts)}
    return PoseData(poses=poses, scores=scores, layout=LAYOUT_OF_COUNT.get(poses.shape[2]), track_ids=track_ids,
                    format="ultralytics", extra={"ultralytics": info, **lines_extra(content),
                                                 **set_aside(aside, poses, notes)})


def read(path: Path) -> PoseData:
    """Read YOLO-pose labels (a folder) or Ultralytics JSON (module doc).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) in the file's unit (labels: normalised by the image's sides; JSON: pixels unless
        saved normalised), ``scores`` (V, T, J) the keypoint confidences (None without them); layout ``coco17``
        for 17 keypoints; ``extra["frame_ids"]`` the labels' frame numbers.
    """
    path = Path(path)
    return _read_labels(path) if path.is_dir() else _read_json(path)


def check_target(path: Path) -> None:
    """Refuse a labels folder :func:`write` would not replace (ValueError, one line): it is replaced whole, so
    only a folder of label files only (or empty)."""
    path = Path(path)
    if path.suffix.lower() in (".json", ".jsonl") or not path.exists():
        return
    others = sorted(p.name for p in path.iterdir() if p.suffix.lower() != ".txt" or not p.is_file()) \
        if path.is_dir() else [path.name]
    if others:
        raise ValueError(f"{path} holds {', '.join(map(repr, others[:3]))} beside label files (or is a file); "
                         "refusing to replace it: write elsewhere")


def _box(points: np.ndarray) -> list[float]:
    """The box (cx, cy, w, h) spanning a person's finite keypoints (J, 2): a frame the refinement filled."""
    finite = points[np.isfinite(points).all(-1)]
    lo, hi = finite.min(0), finite.max(0)
    return [*((lo + hi) / 2), *(hi - lo)]


def _number(value: float) -> str:
    return repr(float(value))  # shortest digits that read back as the value: an unmoved value as it came


def write(path: Path, data: PoseData, fmt: str = "ultralytics") -> None:
    """Write YOLO-pose labels (a folder: ``path`` without a suffix) or Ultralytics JSON (``.json``, ``.jsonl``),
    poses (V, T, J, 2), as the module doc says."""
    path = Path(path)
    poses = np.asarray(data.poses, dtype=np.float64)
    if poses.shape[3] != 2:
        raise ValueError(f"{path}: YOLO-pose keypoints are 2D; poses have C = {poses.shape[3]}")
    info = data.extra.get("ultralytics", {})
    scored = info.get("scored", data.scores is not None)
    scores = (np.nan_to_num(np.asarray(data.scores, np.float64)) if data.scores is not None
              else np.isfinite(poses).all(-1).astype(np.float64))
    track_ids = data.track_ids if data.track_ids is not None else list(range(poses.shape[0]))
    shown, positions = present(poses), info.get("positions") or {}
    people = [[(v, np.where(np.isfinite(poses[v, t]), poses[v, t], 0.0), np.where(np.isfinite(poses[v, t]).all(-1),
                                                                               scores[v, t], 0.0))
               for v in file_order(np.flatnonzero(shown[:, t]), t, positions)] for t in range(poses.shape[1])]
    if path.suffix.lower() in (".json", ".jsonl"):
        _write_json(path, data, info, people, poses, scored, track_ids)
        return
    if np.nanmax(np.abs(poses), initial=0.0) > 2:
        raise ValueError(f"{path}: YOLO labels hold x, y normalised by the image's sides (0 to 1); these reach "
                         f"{np.nanmax(np.abs(poses)):.4g}: write a .json instead")
    names, fields = info.get("files"), info.get("fields", {})
    if names is None or len(names) != poses.shape[1]:
        names = [f"{path.name}_{t + 1}.txt" for t in range(poses.shape[1])]
    with atomic_folder(path) as tmp:
        for t, frame in enumerate(people):
            lines = []
            for v, points, conf in frame:
                kept = fields.get((v, t), {})
                head = kept.get("head") or ["0", *map(_number, _box(poses[v, t]))]
                flat = np.concatenate([points, conf[:, None]], 1) if scored else points
                tail = [kept.get("conf") or _number(conf.mean())] if info.get("confs") else []
                ids = [str(int(track_ids[v]))] if info.get("ids") else []
                lines.append(" ".join([*head, *map(_number, flat.ravel()), *tail, *ids]))
            if lines:  # YOLO writes no file for a frame where nobody was found
                (tmp / names[t]).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_json(path: Path, data: PoseData, info: dict, people: list, poses: np.ndarray, scored: bool,
                track_ids: list) -> None:
    """The JSON of the module doc: each person's object as read (a new one for a person the input had not), with
    the refined keypoints."""
    source = _json_frames(copy.deepcopy(info["json"])) if info.get("kind") == "json" else []
    out = []
    for t, frame in enumerate(people):
        old = source[t] if t < len(source) else []
        objs = []
        for v, points, conf in frame:
            i = info.get("positions", {}).get((v, t))
            obj = dict(old[i]) if i is not None and i < len(old) else {
                "name": "person", "class": 0, "confidence": float(conf.mean()),
                "box": dict(zip(("x1", "y1", "x2", "y2"), (float(x) for x in _corners(poses[v, t]))))}
            obj["keypoints"] = {"x": points[:, 0].tolist(), "y": points[:, 1].tolist(),
                                **({"visible": conf.tolist()} if scored else {})}
            if info.get("ids") or "track_id" in obj:
                obj["track_id"] = int(track_ids[v])
            objs.append(obj)
        out.append(objs)
    write_json(path, out[0] if info.get("bare") and len(out) == 1 else out, data)


def _corners(points: np.ndarray) -> list[float]:
    cx, cy, w, h = _box(points)
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
