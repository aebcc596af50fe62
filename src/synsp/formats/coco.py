"""COCO keypoint results JSON: ``[{"image_id", "category_id", "keypoints": [x1, y1, c1, ...], "score"}]``.

The format every COCO-evaluated 2D estimator can export (what ``COCOeval`` loads with
``loadRes``). Frames are the sorted distinct ``image_id`` values; when they are whole numbers
(or file names alike but for one number, as AlphaPose writes them) with a common step (1 for
every frame of a video, 2 for every other) they are placed by them (:func:`frame_positions`), so
image ids missing from the middle (a detector that returned nothing, dropped frames) are frames
where nobody was seen, NaN, and the time between the frames around them is kept; filled, such
frames are written under the ids in between. Several results for one image are several persons,
gathered into tracks by their ``track_id`` when every result has one, else by tracking across
frames (:mod:`synsp.formats.tracking`). The third value of each keypoint triple is its
confidence. COCO marks an absent keypoint as ``0, 0, 0``: such joints read as NaN, and NaN
joints are written that way. Layout is ``coco17`` for 17 keypoints.

A result's ``"keypoint_filled": [0, 1, ...]`` (synsp's own key: 1 where a value was filled in
rather than measured) gives ``filled``; COCO tools ignore extra keys.

When every third value is 0, 1 or 2 (some 2), they are COCO's visibility flags, not confidences
(a labelled video): 0 (not labelled) is missing, 1 (labelled, hidden) and 2 (visible) are there;
they are written back as read, and a filled value as 1 (placed, not seen). A COCO *annotation*
file (``{"images", "annotations", "categories"}``, what CVAT and Label Studio export) is read
too: its frames are the ``images``, ordered by ``frame_id`` when each has one, else by file name,
else by id (an image without annotations is a frame where nobody was labelled); its persons the
annotations' ``track_id`` (or ``attributes.track_id``, CVAT's) when every one has one, else
tracked across frames; its layout ``coco17`` when its category's ``keypoints`` are COCO's 17
names (or, unnamed, 17 keypoints). It is written back whole, each annotation's ``keypoints`` and
``num_keypoints`` replaced (a person-frame filled where none was labelled: a new annotation).

The writer puts back each result's other fields (``category_id``, ``score``, ``bbox``, ...);
new results get ``category_id`` 1 and ``score`` = mean keypoint confidence.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

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
)
from synsp.formats.posedata import PoseData, first_entry, lines_extra, load_json, write_json
from synsp.skeleton import LAYOUTS

_OWN = ("image_id", "keypoints", "track_id")


def _sort_key(image_id):
    """Frame order of an image id: numbers as numbers; strings (AlphaPose's file names, "10.jpg")
    by their digit runs as numbers, so "2.jpg" comes before "10.jpg", then the text."""
    if isinstance(image_id, (int, float)):
        return (0, (float(image_id),), "")
    text = str(image_id)
    return (1, tuple(float(d) for d in re.findall(r"\d+", text)), text)


def frame_positions(image_ids: list) -> list:
    """The frame ids of sorted, distinct ``image_ids`` with the missing ones put back: whole
    numbers ``first, first + step, ..., last`` with ``step`` their greatest common difference,
    when that leaves at most as many frames missing as there are (a video's frame numbers, not
    a sparse set of still images); else ``image_ids`` as they are, one frame each. File names
    that differ only in one number ("frame_0060.jpg", AlphaPose's "60.jpg") are numbered by it,
    and a missing one is named like the others."""
    pattern = _numbering(image_ids)
    if pattern is None:
        return list(image_ids)
    numbers, name = pattern
    step = int(np.gcd.reduce(np.diff(numbers)))
    count = (numbers[-1] - numbers[0]) // step + 1
    if count == len(numbers) or count > 2 * len(numbers):
        return list(image_ids)
    as_given = dict(zip(numbers, image_ids))  # ids that are there keep their own type (1060 or 1060.0)
    return [as_given.get(n, name(n)) for n in range(numbers[0], numbers[-1] + 1, step)]


def _numbering(image_ids: list) -> tuple[list[int], Callable[[int], object]] | None:
    """The frame numbers of sorted ``image_ids`` (two or more) and how to name another frame: whole
    numbers as they are, or names alike but for their last digit run (its zero padding kept);
    None for anything else."""
    if len(image_ids) < 2:
        return None
    if all(isinstance(i, (int, float)) and float(i).is_integer() for i in image_ids):
        return [int(i) for i in image_ids], int
    parts = [re.fullmatch(r"(.*?)(\d+)(\D*)", i) if isinstance(i, str) else None for i in image_ids]
    if any(p is None for p in parts) or len({(p.group(1), p.group(3)) for p in parts}) != 1:
        return None
    head, tail = parts[0].group(1), parts[0].group(3)
    widths = {len(p.group(2)) for p in parts}
    width = widths.pop() if len(widths) == 1 and parts[0].group(2).startswith("0") else 0
    return [int(p.group(2)) for p in parts], lambda n: f"{head}{n:0{width}d}{tail}"


def sniff(content) -> bool:
    """A COCO results list (entries with an ``image_id``) or annotation file (``images`` and ``annotations``)."""
    if _annotation_file(content):
        return True
    first = first_entry(content)
    return isinstance(first, dict) and "image_id" in first


def _annotation_file(content) -> bool:
    return isinstance(content, dict) and isinstance(content.get("images"), list) \
        and isinstance(content.get("annotations"), list)


def read(path: Path) -> PoseData:
    """Read COCO keypoint results, or a COCO annotation file (the module doc).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels, ``scores`` (V, T, J) from the keypoint triples,
        ``extra["frame_ids"]`` = the image ids, with the missing ones of a video put back
        (:func:`frame_positions`): there, every track is NaN.
    """
    content = load_json(path)
    return read_annotations(path, content) if _annotation_file(content) else read_results(path)


def read_annotations(path: Path, content: dict) -> PoseData:
    """Read a COCO annotation file ``content`` (loaded from ``path``); see the module doc."""
    images, annotations = content["images"], content["annotations"]
    if not annotations or not all(isinstance(i, dict) and "id" in i for i in images):
        raise ValueError(f"{path}: a COCO annotation file needs annotations, and an id on every image")
    order = next(((0, key) for key in ("frame_id", "file_name") if all(key in i for i in images)), (1, "id"))[1]
    image_ids = [i["id"] for i in sorted(images, key=lambda i: _sort_key(i[order]))]
    place = next((where for where, get in (("top", lambda a: a.get("track_id")),
                                           ("attributes", lambda a: (a.get("attributes") or {}).get("track_id")))
                  if all(isinstance(a, dict) and get(a) is not None for a in annotations)), None)
    results = [{**a, "track_id": a["attributes"]["track_id"]} if place == "attributes" else a for a in annotations]
    categories = [c for c in content.get("categories") or [] if isinstance(c, dict)]
    names = next((c["keypoints"] for c in categories if isinstance(c.get("keypoints"), list)), None)
    layouts = {17: "coco17"} if names is None or list(names) == list(LAYOUTS["coco17"].joints) else {}
    data = _results_data(results, path, image_ids, "track_id" if place else "", "coco", layouts, flags=True)
    data.extra["coco"]["file"] = {key: value for key, value in content.items() if key != "annotations"}
    data.extra["coco"]["track_place"] = place
    data.extra["coco"]["category_id"] = categories[0].get("id", 1) if categories else 1
    data.extra["coco"]["next_id"] = 1 + max((a.get("id", 0) for a in annotations
                                             if isinstance(a.get("id", 0), (int, float))), default=0)
    return data


def read_results(path: Path, track_key: str = "track_id", fmt: str = "coco",
                 layouts: dict[int, str] | None = None) -> PoseData:
    """Read a COCO-style results list whose tracks are in ``track_key``; ``layouts`` maps a
    keypoint count to a layout (default: 17 -> coco17). See :func:`read`."""
    results = load_json(path)
    if isinstance(results, dict):
        raise ValueError(f"{path}: a JSON object, not a COCO annotation file (images, annotations); expected a "
                         "COCO results list")
    if not isinstance(results, list) or not results:
        raise ValueError(f"{path}: expected a non-empty list of keypoint results")
    image_ids = frame_positions(sorted({res.get("image_id") for res in results if isinstance(res, dict)
                                        and isinstance(res.get("image_id"), (int, float, str))}, key=_sort_key))
    return _results_data(results, path, image_ids, track_key, fmt, layouts or {17: "coco17"})


def _results_data(results: list, path: Path, image_ids: list, track_key: str, fmt: str, layouts: dict[int, str],
                  flags: bool = False) -> PoseData:
    """:class:`PoseData` of COCO-style ``results`` whose frames are ``image_ids`` (in order), tracks
    in ``track_key`` ("" for none); third values read as visibility flags when ``flags`` or when
    they all are 0, 1 or 2, some 2 (:func:`visibility_flags`)."""
    for k, res in enumerate(results):
        if not isinstance(res, dict) or "image_id" not in res or "keypoints" not in res:
            raise ValueError(f"{path}: result {k} lacks 'image_id' or 'keypoints'")
        if not isinstance(res["image_id"], (int, float, str)) or isinstance(res["image_id"], bool):
            raise ValueError(f"{path}: result {k} has image_id {res['image_id']!r}; expected a number or a string")
        track = res.get(track_key)
        if track is not None and (not isinstance(track, (int, float)) or not float(track).is_integer()):
            raise ValueError(f"{path}: result {k} has {track_key} {track!r}; expected an integer")
    t_of = {iid: t for t, iid in enumerate(image_ids)}
    if any(res["image_id"] not in t_of for res in results):
        iid = next(res["image_id"] for res in results if res["image_id"] not in t_of)
        raise ValueError(f"{path}: an annotation's image_id {iid!r} is no image's id")
    frames: list[list[Instance]] = [[] for _ in image_ids]
    for res in results:
        t = t_of[res["image_id"]]
        where = f"instance {len(frames[t])} of frame {t} (image_id {res['image_id']})"
        flat = from_list(res["keypoints"], where)
        if flat.ndim != 1 or flat.size % 3:
            raise ValueError(f"{where}: keypoints must be a flat list of x, y, confidence triples, "
                             f"got {flat.size} values")
        triples = flat.reshape(-1, 3)
        kp, conf = triples[:, :2].copy(), triples[:, 2].copy()
        absent = (kp == 0).all(axis=1) & (conf == 0)
        kp[absent] = np.nan
        track = res.get(track_key)
        fields = {k: v for k, v in res.items() if k not in _OWN and k != track_key}
        frames[t].append(Instance(kp, conf, None if track is None else int(track), fields))
    instances = [inst for frame in frames for inst in frame]
    flags = flags or visibility_flags([inst.scores for inst in instances])
    for inst in instances if flags else []:  # 0: not labelled, wherever its x, y
        inst.keypoints[inst.scores == 0] = np.nan
    first = next(frame for frame in frames if frame)[0].keypoints.shape[0]
    positions: dict = {}
    aside: list = []
    notes: list = []
    poses, scores, track_ids, fields = gather(frames, str(path), first, [f"image_id {iid}" for iid in image_ids],
                                              positions, aside, id_key=track_key or "track_id", notes=notes)
    filled = pop_filled(fields, poses.shape[:3], str(path))
    extra = {"frame_ids": image_ids, **lines_extra(results), **set_aside(aside, poses, notes),
             "coco": {"fields": fields, "positions": positions, "flags": flags}}
    if flags:
        extra["notes"] = [*extra.get("notes", []),
                          f"scores: {path.name}'s third values are COCO's visibility flags (0 not labelled: missing; "
                          "1 labelled but hidden and 2 visible: there), not confidences; written back as read, a value "
                          "filled as 1"]
    return PoseData(poses=poses, scores=scores, layout=layouts.get(poses.shape[2]), track_ids=track_ids, format=fmt,
                    extra=extra, filled=filled)


def visibility_flags(scores: list[np.ndarray]) -> bool:
    """Whether the third values ``scores`` of a file's keypoint triples are COCO's visibility flags:
    every one 0, 1 or 2, and some 2 (a file of scores 0 and 1 alone reads the same either way)."""
    values = np.concatenate([np.asarray(s, dtype=np.float64).ravel() for s in scores]) if scores else np.zeros(0)
    return bool(values.size and np.isin(values, (0.0, 1.0, 2.0)).all() and (values == 2).any())


def write(path: Path, data: PoseData, fmt: str = "coco", track_key: str = "track_id") -> None:
    """Write COCO keypoint results, one per (frame, track) with any finite joint; the track
    (when known) in ``track_key``. Data read from an annotation file is written as that file
    (:func:`read_annotations`): its annotations' keypoints replaced."""
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords != 2:
        raise ValueError(f"{path}: COCO results are 2D; poses have C = {n_coords}")
    coco = data.extra.get("coco", {})
    fields = coco.get("fields", {})
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    shown = present(poses)
    if data.scores is not None:
        conf = np.nan_to_num(np.asarray(data.scores, dtype=np.float64), nan=0.0)
    else:
        conf = np.isfinite(poses).all(-1).astype(np.float64)
    if coco.get("flags"):  # visibility flags: as read where labelled; 1 (placed, not seen) where filled
        conf = np.where(np.isfinite(poses).all(-1) & (conf == 0), 1.0, conf)
    annotated = "file" in coco
    results = []
    for t in range(n_frames):
        for v in file_order(np.flatnonzero(shown[:, t]), t, coco.get("positions")):
            missing = ~np.isfinite(poses[v, t]).all(-1)
            triples = np.concatenate([poses[v, t], conf[v, t, :, None]], axis=1)
            triples[missing] = 0.0  # COCO's "not there"
            res = {"image_id": frame_ids[t]}
            res.update(fields.get((v, t)) or _new_entry(coco, conf[v, t], missing, data.track_ids, v))
            res["keypoints"] = triples.reshape(-1).tolist()
            if annotated:
                res["num_keypoints"] = int((triples[:, 2] > 0).sum())
            if data.filled is not None:
                res[FILLED_KEY] = np.asarray(data.filled[v, t], dtype=int).tolist()
            if data.track_ids is not None and (not annotated or coco.get("track_place") == "top"):
                res[track_key] = int(data.track_ids[v])
            results.append(res)
    write_json(path, {**coco["file"], "annotations": results} if annotated else results, data)


def _new_entry(coco: dict, conf: np.ndarray, missing: np.ndarray, track_ids: list[int] | None, v: int) -> dict:
    """The fields of a result (or annotation) the file did not have: a person-frame filled in."""
    if "file" not in coco:
        return {"category_id": 1, "score": float(conf[~missing].mean()) if (~missing).any() else 0.0}
    entry = {"id": coco["next_id"], "category_id": coco["category_id"], "iscrowd": 0}
    coco["next_id"] += 1
    if coco.get("track_place") == "attributes" and track_ids is not None:
        entry["attributes"] = {"track_id": int(track_ids[v])}
    return entry
