"""NumPy files: ``.npy`` (one array) and ``.npz`` (named arrays).

An ``.npz`` holds the poses under ``"poses"`` (or the file's only array, or a known
estimator key such as ``"keypoints"``, ``"kp3d"``, ``"kp3d_world"``, ``"kp2d"``, VIBE's and
SPIN's ``"joints3d"``, mmhuman3d's ``"keypoints3d"``; option ``key=`` picks one), with optional
``"scores"`` (T, J) or (V, T, J) (or mmpose's name for them, ``"keypoint_scores"``; written back
under the name read), ``"fps"`` (scalar), ``"layout"`` (string), ``"track_ids"`` (V,)
and ``"filled"`` (T, J) or (V, T, J) bool (joint values filled in rather than measured). Poses
are (T, J, C) or (V, T, J, C); the reader remembers the rank and the writer writes the same rank
back, under the same key, keeping every array it did not interpret. A 4-D array of 16 or more
"views" of a quarter as many frames or fewer is (T, P, J, C), frames first (rtmlib's and mmpose's
per-frame results stacked, :func:`synsp.errors.check_frames_first`), and so is one whose every
"frame" jumps a body's width while it is smooth read the other way (a short crowd clip,
:mod:`synsp.stack_axes`): an ``.npz`` is read so, its scores (T, P, J) too, says so in a note
(with both readings' steps when the motion told it) and is written back in that axis order; an
``.npy`` is refused. A frames-first stack with no ``track_ids`` whose people exchange slots (a
detector's order) is read one person per slot, every (T, P, ...) array alike, and a note says in
how many frames (:mod:`synsp.formats.stack_slots`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from synsp.errors import frames_first_by_shape
from synsp.formats.posedata import PoseData, as_filled, load_numpy
from synsp.formats.stack_slots import by_person, exchanged_frames, slot_people
from synsp.paths import atomic_path
from synsp.stack_axes import check_stack_axes, frames_first_by_motion

# In this order of preference: a file with VIBE's joints3d and joints2d gives its 3D joints.
KNOWN_KEYS = ("poses", "keypoints", "kp3d", "kp3d_world", "kp2d", "joints3d", "keypoints3d", "joints2d", "keypoints2d",
              "joints", "pose")
_META_KEYS = ("scores", "keypoint_scores", "fps", "layout", "track_ids", "filled")
SCORE_KEYS = ("scores", "keypoint_scores")  # synsp's, rtmlib's; mmpose's


def _pick_key(files: list[str], key: str | None, where: Path) -> str:
    if key is not None:
        if key not in files:
            raise ValueError(f"{where}: no array {key!r} (arrays: {', '.join(files)})")
        return key
    for name in KNOWN_KEYS:
        if name in files:
            return name
    candidates = [f for f in files if f not in _META_KEYS]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(f"{where}: no poses array (arrays: {', '.join(files) or 'none'})")
    raise ValueError(f"{where}: which array holds the poses? arrays {', '.join(candidates)}; "
                     f"pass --key NAME (key= in Python) or name it 'poses'")


def _as_poses(array: np.ndarray, where: str, axes_read: bool = False) -> tuple[np.ndarray, int]:
    """``array`` as (V, T, J, C) poses and its rank (3 or 4); a one-line ValueError (ShapeError) for no poses or
    a frames-first stack (:func:`synsp.stack_axes.check_stack_axes`), unless ``axes_read``: :func:`read` has read
    this array's axes both ways already and kept them."""
    if array.ndim not in (3, 4) or np.iscomplexobj(array) or not (np.issubdtype(array.dtype, np.number)
                                                                  or array.dtype == bool):
        raise ValueError(f"{where}: poses must be numbers shaped (T, J, C) or (V, T, J, C), "
                         f"got {array.dtype} {array.shape}")
    if array.dtype == bool:  # flags (a mask, "filled"), never coordinates: refining them would invent numbers
        raise ValueError(f"{where}: not poses: bool values (True/False), shape {array.shape}")
    rank = array.ndim
    if not axes_read:
        check_stack_axes(array, where, "save it as x.transpose(1, 0, 2, 3)")
    if not np.issubdtype(array.dtype, np.floating):  # as synsp.refine gives them back: exact up to 2**24
        array = array.astype(np.float32)
    return (array[None] if rank == 3 else array), rank


def _numbers(array: np.ndarray) -> np.ndarray:
    """``array`` if it holds real numbers, else an empty one (no motion to read; :func:`_as_poses` says why)."""
    ok = np.issubdtype(array.dtype, np.number) and not np.iscomplexobj(array)
    return array if ok else np.empty((0, 0, 0, 0))


def _slot_people(arrays: dict, name: str, score_key: str | None) -> np.ndarray | None:
    """:func:`synsp.formats.stack_slots.slot_people` of a frames-first stack's poses ``arrays[name]`` (T, P, J, C)
    with its scores (T, P, J) when they match; None for poses that are no numbers (:func:`_as_poses` says why)."""
    x = arrays[name]
    if not (np.issubdtype(x.dtype, np.number) and not np.iscomplexobj(x)) or x.ndim != 4:
        return None
    s = arrays[score_key] if score_key is not None else None
    ok = s is not None and np.shape(s) == x.shape[:3] and np.issubdtype(s.dtype, np.number) and not np.iscomplexobj(s)
    return slot_people(x, np.asarray(s, np.float64) if ok else None)


def read(path: Path, key: str | None = None) -> PoseData:
    """Read ``.npy``/``.npz`` poses; see the module doc for the keys understood.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, C) in the file's dtype (integers become float32, as ``synsp.refine``
        gives them back) and unit.
    """
    loaded = load_numpy(path)
    if isinstance(loaded, np.ndarray):
        if key is not None:  # silently ignored, it would read the one array as the one the user named
            raise ValueError(f"{path}: --key (key=) names an array of an .npz file; a .npy holds one array, "
                             f"no {key!r}")
        poses, rank = _as_poses(loaded, f"{path}")
        info = {"rank": rank, "key": None, "others": {}}
        return PoseData(poses=poses, format="npy", extra={"arrays": info})
    npz = loaded
    files = list(npz)
    name = _pick_key(files, key, path)
    shape = np.shape(npz[name])
    # (T, P, J, C): many "persons" of few frames; one person of many frames. Read with frames second.
    swap = frames_first_by_shape(shape)
    # ... or "persons" whose every frame is another body, smooth read the other way: a short crowd clip
    moved = None if swap or len(shape) != 4 else frames_first_by_motion(_numbers(npz[name]))
    swap = swap or moved is not None
    score_key = next((k for k in SCORE_KEYS if k in files), None)
    arrays = {f: npz[f] for f in files}
    people = _slot_people(arrays, name, score_key) if swap and "track_ids" not in files else None
    if people is not None:  # a detector's order, not who is who: one person per slot, every per-slot array alike
        arrays = {f: by_person(a, people) if np.shape(a)[:2] == people.shape else a for f, a in arrays.items()}
    # kept as given: both its readings are the ones just made (the motion read once)
    poses, rank = _as_poses(np.swapaxes(arrays[name], 0, 1) if swap else arrays[name], f"{path}: array {name!r}",
                            axes_read=not swap)
    scores = fps = layout = track_ids = filled = None
    if score_key is not None:
        raw = arrays[score_key]
        if np.iscomplexobj(raw) or not (np.issubdtype(raw.dtype, np.number) or raw.dtype == bool):
            raise ValueError(f"{path}: {score_key!r} must be real numbers, got {raw.dtype}")
        scores = np.asarray(raw, dtype=np.float64)
        scores = scores[None] if scores.ndim == 2 else np.swapaxes(scores, 0, 1) if swap else scores
        if scores.shape != poses.shape[:3]:
            raise ValueError(f"{path}: {score_key} {raw.shape} do not match poses {npz[name].shape}")
    if "fps" in files:
        if np.asarray(npz["fps"]).size != 1:
            raise ValueError(f"{path}: 'fps' must be one number, got shape {np.shape(npz['fps'])}")
        fps = float(np.asarray(npz["fps"]).reshape(()))
    if "layout" in files:
        layout = str(np.asarray(npz["layout"]).reshape(()))
    if "track_ids" in files:
        track_ids = [int(v) for v in np.asarray(npz["track_ids"]).reshape(-1)]
        if len(track_ids) != poses.shape[0]:
            raise ValueError(f"{path}: {len(track_ids)} track_ids for {poses.shape[0]} tracks")
    if "filled" in files:
        flags = np.swapaxes(arrays["filled"], 0, 1) if swap and np.ndim(arrays["filled"]) == 3 else arrays["filled"]
        filled = as_filled(flags[None] if flags.ndim == 2 else flags, poses.shape[:3], f"{path}: array 'filled'")
    consumed = {name, *_META_KEYS} - ({k for k in SCORE_KEYS if k != score_key})  # a second score array is kept
    others = {f: arrays[f] for f in files if f not in consumed}
    info = {"rank": rank, "key": name, "others": others, "score_key": score_key, "frames_first": swap}
    extra = {"arrays": info}
    notes = [f"axes: array {name!r} {shape} read as (T, P, J, C), frames first ({shape[0]} frames of "
             f"{shape[1]} person{'s' if shape[1] != 1 else ''}{'; ' + moved if moved else ''}); "
             "written back in that order"] if swap else []
    if people is not None:
        notes.append(f"slots: people exchange slots in {exchanged_frames(people)} of {len(people)} frames (a "
                     "detector's order, not who is who); linked into tracks as a JSON without ids is, and written "
                     "one person per slot (slot p: whom slot p holds in most frames)")
    from synsp.formats.smpl import positions_note

    kept = positions_note({f: np.shape(npz[f]) for f in files}, name)  # VIBE's whole output: its 'pose' kept
    if notes or kept:
        extra["notes"] = notes + [kept] * (kept is not None)
    return PoseData(poses=poses, scores=scores, layout=layout, fps=fps, track_ids=track_ids,
                    format="npz", extra=extra, filled=filled)


def write(path: Path, data: PoseData, fmt: str = "npz") -> None:
    """Write ``.npz`` (poses and metadata) or ``.npy`` (poses only; scores and filled flags are dropped).

    Poses are written (T, J, C) when the source file was 3-D and there is one track,
    else (V, T, J, C).
    """
    info = data.extra.get("arrays", {})
    poses = np.asarray(data.poses)
    three_d = info.get("rank") == 3 and poses.shape[0] == 1
    # a file read frames first, (T, P, J, C), is written so: its poses, scores and flags
    order = (lambda a: np.swapaxes(a, 0, 1)) if info.get("frames_first") and not three_d else (lambda a: a)
    out = order(poses[0] if three_d else poses)
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        if fmt == "npy":
            np.save(f, out)
            return
        arrays = dict(info.get("others", {}))
        arrays[info.get("key") or "poses"] = out
        if data.scores is not None:
            scores = np.asarray(data.scores)
            arrays[info.get("score_key") or "scores"] = order(scores[0] if three_d else scores)
        if data.filled is not None:
            arrays["filled"] = order(np.asarray(data.filled, dtype=bool)[0] if three_d
                                     else np.asarray(data.filled, dtype=bool))
        if data.fps is not None:
            arrays["fps"] = np.float64(data.fps)
        if data.layout is not None:
            arrays["layout"] = np.array(data.layout)
        if data.track_ids is not None:
            arrays["track_ids"] = np.asarray(data.track_ids, dtype=np.int64)
        np.savez(f, **arrays)
