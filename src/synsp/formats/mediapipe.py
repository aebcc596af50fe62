"""MediaPipe Pose landmarks (33-point BlazePose layout), as npz or JSON.

npz (as in ``mediapipe-sports2d/demo_mediapipe.npz``): ``kp2d`` (T, 33, 3) = pixel x, pixel
y, visibility and ``kp3d_world`` (T, 33, 3) = metric world landmarks centred on the hips;
NaN rows where no person was found; an optional ``fps`` array.

JSON: a list with one entry per frame (``null`` or ``[]`` when no person), each entry
either a list of 33 ``{"x", "y", "z", "visibility"}`` landmarks (image landmarks) or an
object ``{"landmarks": [...], "world_landmarks": [...]}``; the list may be wrapped as
``{"fps": 30, "frames": [...]}``.

Option ``space``:

- ``"image"`` (default): poses (1, T, 33, 2) = landmark x, y in the file's unit (pixels in
  the npz; MediaPipe's normalised [0, 1] coordinates in its own JSON);
- ``"world"``: poses (1, T, 33, 3) in MILLIMETRES: MediaPipe's metres are multiplied by 1000
  on reading and divided back on writing, so that 3D data share synsp's unit (h36m, mocap).

Scores are the landmark visibilities (0 where no person). Filled flags (landmarks filled in
rather than measured, e.g. by ``synsp refine``) are the npz arrays ``filled_image`` /
``filled_world`` (T, 33) bool, or a ``"filled"`` boolean on each JSON landmark. fps is the file's, else 30 (the
rate of the demo video MediaPipe was run on). Writers put back the same keys / structure,
replacing only the coordinates (and visibilities) of the refined space, so a refined file
looks like the input.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np

from synsp.formats.posedata import PoseData, as_filled, first_entry, inner_entry, load_json, numpy_failure
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
        return "landmarks" in first or "world_landmarks" in first
    inner = inner_entry(content)
    return isinstance(inner, dict) and "x" in inner and "y" in inner


def read(path: Path, space: str = "image") -> PoseData:
    """Read MediaPipe landmarks from npz or JSON (see module doc for ``space`` and units).

    Returns
    -------
    PoseData
        ``poses`` (1, T, 33, 2) image units or (1, T, 33, 3) mm; ``scores`` (1, T, 33);
        layout ``"mediapipe33"``.
    """
    _check_space(space)
    if path.suffix.lower() == ".json":
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


def _landmarks(frame, space: str):
    """The landmark list of one JSON frame for ``space``, or None when absent."""
    if frame is None or frame == []:
        return None
    if isinstance(frame, dict):
        return frame.get("landmarks" if space == "image" else "world_landmarks")
    if space == "world":
        raise ValueError("frames are bare image-landmark lists; space='world' needs 'world_landmarks'")
    return frame


def _read_json(path: Path, space: str) -> PoseData:
    obj = load_json(path)
    frames = obj.get("frames") if isinstance(obj, dict) else obj
    if not isinstance(frames, list):
        raise ValueError(f"{path}: expected a list of frames (or {{'frames': [...]}})")
    n_coords = 2 if space == "image" else 3
    poses = np.full((1, len(frames), N_LANDMARKS, n_coords), np.nan)
    scores = np.zeros((1, len(frames), N_LANDMARKS))
    filled = np.zeros((1, len(frames), N_LANDMARKS), dtype=bool)
    has_filled = False
    for t, frame in enumerate(frames):
        marks = _landmarks(frame, space)
        if marks is None:
            continue
        if not isinstance(marks, list) or len(marks) != N_LANDMARKS:
            raise ValueError(f"{path}: frame {t} has {len(marks) if isinstance(marks, list) else 'no'} landmarks, "
                             f"expected {N_LANDMARKS}")
        for j, mark in enumerate(marks):
            if not isinstance(mark, dict) or "x" not in mark or "y" not in mark:
                raise ValueError(f"{path}: landmark {j} of frame {t} is not an object with x and y")
            coords = [mark["x"], mark["y"]] + ([mark.get("z")] if space == "world" else [])
            poses[0, t, j] = np.array(coords, dtype=np.float64)
            scores[0, t, j] = mark.get("visibility", 1.0)
            if "filled" in mark:
                has_filled = True
                filled[0, t, j] = as_filled(mark["filled"], (), f"{path}: landmark {j} of frame {t}")
    if space == "world":
        poses *= MM_PER_M
    fps = float(obj["fps"]) if isinstance(obj, dict) and obj.get("fps") else DEFAULT_FPS
    extra = {"mediapipe": {"kind": "json", "space": space, "json": obj}}
    return PoseData(poses=poses, scores=scores, layout="mediapipe33", fps=fps, format="mediapipe", extra=extra,
                    filled=filled if has_filled else None)


def _single_track(path: Path, data: PoseData) -> tuple[np.ndarray, str]:
    poses = np.asarray(data.poses, dtype=np.float64)
    if poses.shape[0] != 1 or poses.shape[2] != N_LANDMARKS or poses.shape[3] not in (2, 3):
        raise ValueError(f"{path}: MediaPipe holds one person of 33 landmarks, (1, T, 33, 2|3); got {poses.shape}")
    space = data.extra.get("mediapipe", {}).get("space") or ("image" if poses.shape[3] == 2 else "world")
    if poses.shape[3] != (2 if space == "image" else 3):
        raise ValueError(f"{path}: space {space!r} needs C = {2 if space == 'image' else 3}, got {poses.shape[3]}")
    return poses[0], space


def _visibility(data: PoseData, poses: np.ndarray) -> np.ndarray:
    """(T, 33) visibilities to write: the scores, NaN where the landmark is missing."""
    missing = ~np.isfinite(poses).all(-1)
    vis = np.asarray(data.scores[0], dtype=np.float64).copy() if data.scores is not None else np.ones(missing.shape)
    vis[missing] = np.nan
    return vis


def write(path: Path, data: PoseData, fmt: str = "mediapipe") -> None:
    """Write MediaPipe landmarks back as npz (``.npz``) or JSON (``.json``), same keys as read."""
    poses, space = _single_track(path, data)
    info = data.extra.get("mediapipe", {})
    if path.suffix.lower() == ".json":
        _write_json(path, data, poses, space, info)
        return
    arrays = dict(info.get("arrays", {})) if info.get("kind") == "npz" else {}
    key = SPACE_ARRAYS[space]
    dtype = arrays[key].dtype if key in arrays else np.float64
    if space == "image":
        arrays["kp2d"] = np.concatenate([poses, _visibility(data, poses)[..., None]], axis=-1).astype(dtype)
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


def _write_json(path: Path, data: PoseData, poses: np.ndarray, space: str, info: dict) -> None:
    source = copy.deepcopy(info["json"]) if info.get("kind") == "json" else None
    frames = (source.get("frames") if isinstance(source, dict) else source) or []
    vis = _visibility(data, poses)
    scale = 1.0 if space == "image" else 1.0 / MM_PER_M
    out_frames = []
    for t in range(poses.shape[0]):
        frame = frames[t] if t < len(frames) else None
        if not np.isfinite(poses[t]).any():
            out_frames.append(None if not isinstance(frame, dict) else {**frame, _landmark_key(space): None})
            continue
        old = _landmarks(frame, space) if frame is not None else None
        marks = []
        for j in range(N_LANDMARKS):
            mark = dict(old[j]) if old else {}
            for axis, value in zip("xyz", poses[t, j]):
                mark[axis] = None if value != value else float(value) * scale
            mark["visibility"] = None if vis[t, j] != vis[t, j] else float(vis[t, j])
            if data.filled is not None:
                mark["filled"] = bool(data.filled[0, t, j])
            else:
                mark.pop("filled", None)
            marks.append(mark)
        if isinstance(frame, dict) or (frame is None and space == "world"):
            out_frames.append({**(frame or {}), _landmark_key(space): marks})
        else:
            out_frames.append(marks)
    obj = {**source, "frames": out_frames} if isinstance(source, dict) else out_frames
    if isinstance(obj, dict) and data.fps is not None and "fps" in obj:
        obj["fps"] = data.fps
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f)


def _landmark_key(space: str) -> str:
    return "landmarks" if space == "image" else "world_landmarks"
