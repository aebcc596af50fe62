"""MediaPipe Pose landmarks (33-point BlazePose layout), as npz or JSON.

npz (as in ``mediapipe-sports2d/demo_mediapipe.npz``): ``kp2d`` (T, 33, 3) = pixel x, pixel
y, visibility and ``kp3d_world`` (T, 33, 3) = metric world landmarks centred on the hips;
NaN rows where no person was found; an optional ``fps`` array.

JSON (or JSON Lines, one frame per line): a list with one entry per frame (``null`` or ``[]`` when no
person), each entry either a list of 33 ``{"x", "y", "z", "visibility"}`` landmarks (image landmarks:
the legacy ``mp.solutions.pose``, one person) or an object ``{"landmarks": [...], "world_landmarks":
[...]}``; the list may be wrapped as ``{"fps": 30, "frames": [...]}``. The Tasks API's
``PoseLandmarker`` gives a list of poses per frame (``pose_landmarks`` / ``pose_world_landmarks``,
each pose 33 landmarks with ``presence`` beside ``visibility``): wherever a frame holds landmarks, it
may hold such a list (``[[{...} x 33], ...]``), and a frame object may name them ``pose_landmarks`` /
``pose_world_landmarks`` (``dataclasses.asdict`` of the result, plus e.g. ``timestamp_ms``). Several
poses in a frame are several tracks, linked across frames as every format's people
(:mod:`synsp.formats.instances`); one pose at most per frame is one track.

Option ``space``:

- ``"image"`` (default): poses (V, T, 33, 2) (V = 1 but for several poses a frame) = landmark x, y
  in the file's unit (pixels in the npz; MediaPipe's normalised [0, 1] coordinates in its own JSON);
- ``"world"``: poses (V, T, 33, 3) in MILLIMETRES: MediaPipe's metres are multiplied by 1000
  on reading and divided back on writing, so that 3D data share synsp's unit (h36m, mocap).

Scores are the landmark visibilities (0 where no person). Filled flags (landmarks filled in
rather than measured, e.g. by ``synsp refine``) are the npz arrays ``filled_image`` /
``filled_world`` (T, 33) bool, or a ``"filled"`` boolean on each JSON landmark. fps is the file's, else 30 (the
rate of the demo video MediaPipe was run on). Writers put back the same keys / structure,
replacing only the coordinates (and visibilities) of the refined space, so a refined file
looks like the input (a list of poses per frame stays one, each track's pose in the frame's place it had).
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from synsp.formats.instances import Instance, file_order, gather, present, set_aside
from synsp.formats.posedata import (
    PoseData,
    as_filled,
    first_entry,
    inner_entry,
    lines_extra,
    load_json,
    numpy_failure,
    write_json,
)
from synsp.paths import atomic_path

N_LANDMARKS = 33
DEFAULT_FPS = 30.0
MM_PER_M = 1000.0
SPACE_ARRAYS = {"image": "kp2d", "world": "kp3d_world"}  # the npz array each space reads
_FILLED_KEYS = {"image": "filled_image", "world": "filled_world"}


def _check_space(space: str) -> None:
    if space not in SPACE_ARRAYS:
        raise ValueError(f"space must be 'image' or 'world', got {space!r}")


def sniff(content) -> bool:
    """An npz with both landmark arrays, or landmark JSON (module doc)."""
    if isinstance(content, set):
        return {"kp2d", "kp3d_world"} <= content
    if isinstance(content, dict):
        return "frames" in content
    first = first_entry(content)
    if isinstance(first, dict):
        return any(key in first for keys in _KEYS.values() for key in keys)
    inner = inner_entry(content)
    if isinstance(inner, list):  # Tasks: a frame is a list of poses
        inner = next((item for item in inner if item is not None), None)
    return isinstance(inner, dict) and "x" in inner and "y" in inner


def read(path: Path, space: str = "image") -> PoseData:
    """Read MediaPipe landmarks from npz or JSON (see module doc for ``space`` and units).

    Returns
    -------
    PoseData
        ``poses`` (V, T, 33, 2) image units or (V, T, 33, 3) mm; ``scores`` (V, T, 33);
        layout ``"mediapipe33"``.
    """
    _check_space(space)
    if path.suffix.lower() in (".json", ".jsonl"):
        return _read_json(path, space)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception as err:  # corrupt zip / header: many exception types
        raise ValueError(f"{path}: not a readable .npz ({numpy_failure(err)})") from None
    key = SPACE_ARRAYS[space]
    if key not in arrays:
        raise ValueError(f"{path}: no {key!r} array for space={space!r} (arrays: {', '.join(arrays)})")
    for name in ("kp2d", "kp3d_world"):
        if name in arrays and (arrays[name].ndim != 3 or arrays[name].shape[1:] != (N_LANDMARKS, 3)):
            raise ValueError(f"{path}: {name} must be (T, 33, 3), got {arrays[name].shape}")
    raw = arrays[key].astype(np.float64)
    poses = raw[None, :, :, :2] if space == "image" else raw[None] * MM_PER_M
    scores = None
    if "kp2d" in arrays:
        visibility = arrays["kp2d"][..., 2].astype(np.float64)
        if visibility.shape[0] == raw.shape[0]:
            scores = np.nan_to_num(visibility, nan=0.0)[None]
    filled = None
    if _FILLED_KEYS[space] in arrays:
        filled = as_filled(arrays[_FILLED_KEYS[space]][None], poses.shape[:3], f"{path}: {_FILLED_KEYS[space]}")
    fps = float(np.asarray(arrays["fps"]).reshape(())) if "fps" in arrays else DEFAULT_FPS
    extra = {"mediapipe": {"kind": "npz", "space": space, "arrays": arrays}}
    return PoseData(poses=poses, scores=scores, layout="mediapipe33", fps=fps, format="mediapipe", extra=extra,
                    filled=filled)


_KEYS = {"image": ("landmarks", "pose_landmarks"), "world": ("world_landmarks", "pose_world_landmarks")}


def _landmarks(frame, space: str):
    """The landmarks of one JSON frame for ``space``: None when absent, else one pose's list of
    landmark objects (the legacy shape) or a list of such lists (Tasks' poses)."""
    if frame is None or frame == []:
        return None
    if isinstance(frame, dict):
        key = next((k for k in _KEYS[space] if k in frame), _KEYS[space][0])
        return frame.get(key) or None
    if space == "world":
        raise ValueError("frames are bare image-landmark lists; space='world' needs 'world_landmarks'")
    return frame


def _poses(marks, where: str) -> tuple[list, bool]:
    """(the poses of a frame's landmarks, whether they came as a list of poses: MediaPipe Tasks' shape)."""
    if marks is None:
        return [], False
    if not isinstance(marks, list):
        raise ValueError(f"{where}: landmarks are not a list")
    first = next((item for item in marks if item is not None), None)
    if isinstance(first, list):  # PoseLandmarker: one list of 33 per detected pose
        return [pose for pose in marks if pose], True
    return [marks], False


def _instance(marks, space: str, where: str) -> Instance:
    """One pose: keypoints (33, 2|3), scores (33,) = visibilities, ``fields["filled"]`` (33,) bool when flagged."""
    if not isinstance(marks, list) or len(marks) != N_LANDMARKS:
        count = f"{len(marks)} landmarks" if isinstance(marks, list) else "no landmark list"
        raise ValueError(f"{where} has {count}, expected {N_LANDMARKS} (one list of 33 landmark objects per pose)")
    keys = ("x", "y", "z")[:2 if space == "image" else 3]
    coords, vis, filled = np.full((N_LANDMARKS, len(keys)), np.nan), np.zeros(N_LANDMARKS), None
    for j, mark in enumerate(marks):
        if not isinstance(mark, dict) or "x" not in mark or "y" not in mark:
            raise ValueError(f"landmark {j} of {where} is not an object with x and y")
        coords[j] = np.array([mark.get(k) for k in keys], dtype=np.float64)
        vis[j] = np.float64(mark.get("visibility", 1.0) if mark.get("visibility", 1.0) is not None else np.nan)
        if "filled" in mark:
            filled = np.zeros(N_LANDMARKS, dtype=bool) if filled is None else filled
            filled[j] = as_filled(mark["filled"], (), f"landmark {j} of {where}")
    return Instance(coords, vis, None, {} if filled is None else {"filled": filled})


def _read_json(path: Path, space: str) -> PoseData:
    obj = load_json(path)
    frames = obj.get("frames") if isinstance(obj, dict) else obj
    if not isinstance(frames, list):
        raise ValueError(f"{path}: expected a list of frames (or {{'frames': [...]}})")
    per_frame, nested = [], False
    for t, frame in enumerate(frames):
        poses, listed = _poses(_landmarks(frame, space), f"frame {t}")
        nested = nested or listed
        per_frame.append([_instance(marks, space, f"frame {t}" + (f" pose {i}" if listed else ""))
                          for i, marks in enumerate(poses)])
    positions: dict = {}
    aside: list = []
    if max(map(len, per_frame), default=0) > 1:  # several people: tracks, linked as every format's
        poses, scores, _, _ = gather(per_frame, str(path), N_LANDMARKS, positions=positions, aside=aside)
    else:  # one person (MediaPipe's default num_poses=1): one track, however far it jumps
        poses = np.full((1, len(frames), N_LANDMARKS, 2 if space == "image" else 3), np.nan)
        scores = np.zeros((1, len(frames), N_LANDMARKS))
        for t, insts in enumerate(per_frame):
            if insts:
                poses[0, t], scores[0, t], positions[(0, t)] = insts[0].keypoints, insts[0].scores, 0
    filled = None
    if any("filled" in inst.fields for insts in per_frame for inst in insts):
        filled = np.zeros(poses.shape[:3], dtype=bool)
        for (v, t), i in positions.items():
            filled[v, t] = per_frame[t][i].fields.get("filled", False)
    if space == "world":
        poses *= MM_PER_M
    fps = float(obj["fps"]) if isinstance(obj, dict) and obj.get("fps") else DEFAULT_FPS
    extra = {**lines_extra(obj), **set_aside(aside, poses),
             "mediapipe": {"kind": "json", "space": space, "json": obj, "nested": nested, "positions": positions}}
    return PoseData(poses=poses, scores=scores, layout="mediapipe33", fps=fps, format="mediapipe", extra=extra,
                    filled=filled)


def _tracks(path: Path, data: PoseData, many: bool) -> tuple[np.ndarray, str]:
    """(V, T, 33, C) poses to write and their space; one track unless ``many`` (a Tasks-shaped JSON)."""
    poses = np.asarray(data.poses, dtype=np.float64)
    if (poses.shape[0] != 1 and not many) or poses.shape[2] != N_LANDMARKS or poses.shape[3] not in (2, 3):
        raise ValueError(f"{path}: MediaPipe holds one person of 33 landmarks, (1, T, 33, 2|3) (several people: "
                         f"a JSON of a list of poses per frame, as PoseLandmarker gives); got {poses.shape}")
    space = data.extra.get("mediapipe", {}).get("space") or ("image" if poses.shape[3] == 2 else "world")
    if poses.shape[3] != (2 if space == "image" else 3):
        raise ValueError(f"{path}: space {space!r} needs C = {2 if space == 'image' else 3}, got {poses.shape[3]}")
    return poses, space


def _visibility(data: PoseData, poses: np.ndarray) -> np.ndarray:
    """(V, T, 33) visibilities to write: the scores, NaN where the landmark is missing."""
    missing = ~np.isfinite(poses).all(-1)
    vis = np.asarray(data.scores, dtype=np.float64).copy() if data.scores is not None else np.ones(missing.shape)
    vis[missing] = np.nan
    return vis


def write(path: Path, data: PoseData, fmt: str = "mediapipe") -> None:
    """Write MediaPipe landmarks back as npz (``.npz``) or JSON (``.json``, ``.jsonl``), same keys and shape as
    read: a JSON read with a list of poses per frame (Tasks) is written so, one pose per track present."""
    info = data.extra.get("mediapipe", {})
    if path.suffix.lower() in (".json", ".jsonl"):
        many = info.get("nested", False) or (info.get("kind") != "json" and data.poses.shape[0] > 1)
        poses, space = _tracks(path, data, many)
        _write_json(path, data, poses, space, {**info, "nested": many})
        return
    poses, space = _tracks(path, data, many=False)
    poses = poses[0]
    arrays = dict(info.get("arrays", {})) if info.get("kind") == "npz" else {}
    key = SPACE_ARRAYS[space]
    dtype = arrays[key].dtype if key in arrays else np.float64
    if space == "image":
        arrays["kp2d"] = np.concatenate([poses, _visibility(data, poses[None])[0, ..., None]], axis=-1).astype(dtype)
    else:
        arrays["kp3d_world"] = (poses / MM_PER_M).astype(dtype)
    if data.filled is not None:
        arrays[_FILLED_KEYS[space]] = np.asarray(data.filled[0], dtype=bool)
    else:
        arrays.pop(_FILLED_KEYS[space], None)  # flags of the source would no longer describe these poses
    if data.fps is not None and "fps" in arrays:
        arrays["fps"] = np.float64(data.fps)
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


def _marks(data: PoseData, poses: np.ndarray, vis: np.ndarray, v: int, t: int, old, scale: float) -> list[dict]:
    """Track ``v``'s 33 landmark objects at frame ``t``: the source's (``old``, its other keys such as
    ``presence`` kept) with the coordinates, visibility and filled flag replaced."""
    marks = []
    for j in range(N_LANDMARKS):
        mark = dict(old[j]) if old else {}
        for axis, value in zip("xyz", poses[v, t, j]):
            mark[axis] = None if value != value else float(value) * scale
        mark["visibility"] = None if vis[v, t, j] != vis[v, t, j] else float(vis[v, t, j])
        if data.filled is not None:
            mark["filled"] = bool(data.filled[v, t, j])
        else:
            mark.pop("filled", None)
        marks.append(mark)
    return marks


def _write_json(path: Path, data: PoseData, poses: np.ndarray, space: str, info: dict) -> None:
    source = copy.deepcopy(info["json"]) if info.get("kind") == "json" else None
    frames = (source.get("frames") if isinstance(source, dict) else source) or []
    vis = _visibility(data, poses)
    scale = 1.0 if space == "image" else 1.0 / MM_PER_M
    shown, positions = present(poses), info.get("positions") or {}
    out_frames = []
    for t in range(poses.shape[1]):
        frame = frames[t] if t < len(frames) else None
        old, _ = _poses(_landmarks(frame, space), f"frame {t}") if frame is not None else ([], False)
        people = [_marks(data, poses, vis, v, t, old[positions[(v, t)]] if (v, t) in positions else None, scale)
                  for v in file_order(np.flatnonzero(shown[:, t]), t, positions)]
        if info.get("nested"):
            marks = people
        else:
            marks = people[0] if people else None
        if isinstance(frame, dict) or (frame is None and space == "world"):
            out_frames.append({**(frame or {}), _landmark_key(frame, space): marks})
        else:
            out_frames.append(marks if marks is not None or not info.get("nested") else [])
    obj = {**source, "frames": out_frames} if isinstance(source, dict) else out_frames
    if isinstance(obj, dict) and data.fps is not None and "fps" in obj:
        obj["fps"] = data.fps
    write_json(path, obj, data)


def _landmark_key(frame, space: str) -> str:
    """The key a frame object holds ``space``'s landmarks under (``landmarks`` or Tasks' ``pose_landmarks``)."""
    return next((k for k in _KEYS[space] if isinstance(frame, dict) and k in frame), _KEYS[space][0])
