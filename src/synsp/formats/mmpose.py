"""mmpose prediction JSON (mmpose 1.x), in the shapes mmpose actually writes.

- ``MMPoseInferencer(..., pred_out_dir=...)`` on a video: a list of
  ``{"frame_id": i, "instances": [...]}`` (style ``"inferencer"``, also the writer's default);
- ``demo/*_demo*.py --save-predictions``: ``{"meta_info": {...}, "instance_info": [{"frame_id":
  i, "instances": [...]}, ...]}`` (style ``"demo"``; ``meta_info`` gives the dataset and
  keypoint names);
- the inferencer on one image: a plain list of instances (style ``"image"``, one frame);
- a list per frame of instance lists (style ``"frames"``).

An instance is ``{"keypoints": [[x, y], ...] or [[x, y, z], ...] (or flat), "keypoint_scores":
[...], "bbox": [[x1, y1, x2, y2]], "bbox_score": s, "track_id": k}``; only ``keypoints`` is
required; ``"keypoint_filled": [0, 1, ...]`` (synsp's own key: 1 where a value was filled in
rather than measured) gives ``filled``. Instances without ``track_id`` are gathered into tracks by tracking
across frames (:mod:`synsp.formats.tracking`); a ``track_id`` twice in a frame is matched there
(:mod:`synsp.formats.repeated_ids`). Coordinates keep mmpose's unit
(pixels for 2D). Layout: from ``meta_info`` keypoint names when present, else guessed from
the shape: 17 points in 2D -> ``coco17`` (mmpose's body models), 17 in 3D -> ``h36m17``
(its pose lifters).

Missing coordinates are written as ``null`` (read back as NaN); every other instance field
(bbox, bbox_score, ...) is written back unchanged, plus ``track_id`` when tracks are known.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from synsp.formats.instances import (
    FILLED_KEY,
    Instance,
    file_order,
    from_list,
    gather,
    pop_filled,
    present,
    set_aside,
    to_list,
)
from synsp.formats.posedata import PoseData, first_entry, inner_entry, lines_extra, load_json, write_json
from synsp.skeleton import match_layout

_OWN = ("keypoints", "keypoint_scores", "track_id")


def _instance(obj, where: str, n_joints: int | None) -> tuple[Instance, bool]:
    if not isinstance(obj, dict) or "keypoints" not in obj:
        raise ValueError(f"{where} is not an object with 'keypoints'")
    kp = from_list(obj["keypoints"], where)
    scores = from_list(obj["keypoint_scores"], where).reshape(-1) if obj.get("keypoint_scores") is not None else None
    flat = kp.ndim == 1
    if flat:  # [x1, y1, x2, y2, ...]: the joint count comes from the scores or the meta info
        joints = scores.size if scores is not None else n_joints
        if joints and kp.size % joints == 0:
            kp = kp.reshape(joints, -1)
        elif kp.size % 2 == 0:
            kp = kp.reshape(-1, 2)
        else:
            raise ValueError(f"{where}: flat keypoints of odd length {kp.size}")
    if kp.ndim == 3 and kp.shape[0] == 1:  # some exporters keep a leading instance axis
        kp = kp[0]
    if kp.ndim != 2 or kp.shape[1] not in (2, 3):
        raise ValueError(f"{where}: keypoints shaped {kp.shape}, expected (J, 2) or (J, 3)")
    track = obj.get("track_id")
    if track is not None and (isinstance(track, bool) or not isinstance(track, (int, float))
                              or not float(track).is_integer()):
        raise ValueError(f"{where}: track_id {track!r} is not an integer")
    fields = {k: v for k, v in obj.items() if k not in _OWN}
    return Instance(kp, scores, None if track is None else int(track), fields), flat


def _entries(obj, path: Path):
    """(style, meta_info, [(frame_id, instance list)]) for every mmpose layout."""
    if isinstance(obj, dict):
        if "instance_info" not in obj:
            raise ValueError(f"{path}: JSON object without 'instance_info'")
        frames = obj["instance_info"]
        if not isinstance(frames, list):
            raise ValueError(f"{path}: 'instance_info' is not a list")
        return "demo", obj.get("meta_info"), [_frame_entry(f, t, path) for t, f in enumerate(frames)]
    if not isinstance(obj, list):
        raise ValueError(f"{path}: expected a JSON list or object, got {type(obj).__name__}")
    first = first_entry(obj)
    if isinstance(first, dict) and "instances" in first:
        return "inferencer", None, [_frame_entry(f, t, path) for t, f in enumerate(obj)]
    if isinstance(first, dict):
        return "image", None, [(0, obj)]
    return "frames", None, [(t, [] if f is None else f) for t, f in enumerate(obj)]


def _frame_entry(entry, t: int, path: Path):
    if not isinstance(entry, dict) or not isinstance(entry.get("instances", []), list):
        raise ValueError(f"{path}: frame entry {t} is not {{'frame_id': .., 'instances': [...]}}")
    return entry.get("frame_id", t), entry.get("instances") or []


def _layout(meta, n_joints: int, n_coords: int) -> str | None:
    if isinstance(meta, dict):
        names = meta.get("keypoint_id2name")
        if isinstance(names, dict) and len(names) == n_joints:
            layout = match_layout([str(names[k]) for k in sorted(names, key=lambda k: int(k))])
            if layout:
                return layout
        dataset = str(meta.get("dataset_name", "")).lower()
        if dataset.startswith("coco") and n_joints == 17:
            return "coco17"
        if dataset.startswith("h36m") and n_joints == 17:
            return "h36m17"
        if dataset:
            return None  # a named dataset we do not know: do not guess
    if n_joints == 17:
        return "coco17" if n_coords == 2 else "h36m17"
    return None


def sniff(content) -> bool:
    """Any mmpose style of the module doc (an empty list too: no detections at all)."""
    if isinstance(content, dict):
        return "instance_info" in content
    if content == []:
        return True
    first = first_entry(content)
    if isinstance(first, dict):
        return "image_id" not in first and ("instances" in first or _listed(first))
    inner = inner_entry(content)
    return isinstance(inner, dict) and _listed(inner)


def _listed(instance: dict) -> bool:
    """Keypoints as mmpose lists them: not Ultralytics' object of x, y lists (formats.ultralytics)."""
    return "keypoints" in instance and not isinstance(instance["keypoints"], dict)


def read(path: Path) -> PoseData:
    """Read an mmpose prediction JSON (any style in the module doc).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2 or 3) in mmpose's unit, ``scores`` from ``keypoint_scores``,
        one frame per file entry (``extra["frame_ids"]`` keeps the ``frame_id`` values).
    """
    obj = load_json(path)
    style, meta, entries = _entries(obj, path)
    n_joints = meta.get("num_keypoints") if isinstance(meta, dict) else None
    frames, flat = [], False
    names = [f"frame {fid}" for fid, _ in entries]  # the file's frame_id where it has one, else its position
    for name, (_, instances) in zip(names, entries):
        if not isinstance(instances, list):
            raise ValueError(f"{path}: {name} is not a list of instances")
        parsed = [_instance(inst, f"instance {i} of {name}", n_joints) for i, inst in enumerate(instances)]
        flat = flat or any(fl for _, fl in parsed)
        frames.append([inst for inst, _ in parsed])
    positions: dict = {}
    aside: list = []
    notes: list = []
    poses, scores, track_ids, fields = gather(frames, str(path), n_joints, names, positions, aside, notes=notes)
    filled = pop_filled(fields, poses.shape[:3], str(path))
    frame_ids = [fid for fid, _ in entries]
    if len(set(map(str, frame_ids))) != len(frame_ids):
        raise ValueError(f"{path}: frame_id values repeat; expected one entry per frame")
    extra = {"frame_ids": frame_ids, **lines_extra(obj), **set_aside(aside, poses, notes),
             "mmpose": {"style": style, "meta_info": meta, "flat": flat, "fields": fields, "positions": positions}}
    return PoseData(poses=poses, scores=scores, layout=_layout(meta, poses.shape[2], poses.shape[3]),
                    track_ids=track_ids, format="mmpose", extra=extra, filled=filled)


def instance_dicts(data: PoseData, t: int, fields: dict, flat: bool, positions: dict | None = None) -> list[dict]:
    """The instances of frame t: one per track with any finite coordinate, in the file's order (``positions``)."""
    poses = np.asarray(data.poses)
    shown = present(poses)
    out = []
    for v in file_order(np.flatnonzero(shown[:, t]), t, positions):
        kp = to_list(poses[v, t].reshape(-1) if flat else poses[v, t])
        if data.scores is not None:
            sc = to_list(data.scores[v, t])
        else:  # no confidences known: 1 where a joint exists, 0 where it is missing
            sc = np.isfinite(poses[v, t]).all(-1).astype(float).tolist()
        inst = {"keypoints": kp, "keypoint_scores": sc}
        if data.filled is not None:
            inst[FILLED_KEY] = np.asarray(data.filled[v, t], dtype=int).tolist()
        inst.update(fields.get((v, t), {}))
        if data.track_ids is not None:
            inst["track_id"] = int(data.track_ids[v])
        out.append(inst)
    return out


def write(path: Path, data: PoseData, fmt: str = "mmpose") -> None:
    """Write mmpose prediction JSON in the source file's style (default: inferencer video style)."""
    info = data.extra.get("mmpose", {})
    style, fields, flat = info.get("style", "inferencer"), info.get("fields", {}), info.get("flat", False)
    n_frames = data.poses.shape[1]
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    frames = [instance_dicts(data, t, fields, flat, info.get("positions")) for t in range(n_frames)]
    if style == "image" and n_frames == 1:
        obj = frames[0]
    elif style == "frames":
        obj = frames
    else:
        obj = [{"frame_id": fid, "instances": insts} for fid, insts in zip(frame_ids, frames)]
        if style == "demo":
            obj = {"meta_info": info.get("meta_info"), "instance_info": obj}
    write_json(path, obj, data)
