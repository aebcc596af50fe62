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
    """A COCO results list: entries with an ``image_id``."""
    first = first_entry(content)
    return isinstance(first, dict) and "image_id" in first


def read(path: Path) -> PoseData:
    """Read COCO keypoint results.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels, ``scores`` (V, T, J) from the keypoint triples,
        ``extra["frame_ids"]`` = the image ids, with the missing ones of a video put back
        (:func:`frame_positions`): there, every track is NaN.
    """
    return read_results(path)


def read_results(path: Path, track_key: str = "track_id", fmt: str = "coco",
                 layouts: dict[int, str] | None = None) -> PoseData:
    """Read a COCO-style results list whose tracks are in ``track_key``; ``layouts`` maps a
    keypoint count to a layout (default: 17 -> coco17). See :func:`read`."""
    results = load_json(path)
    if isinstance(results, dict):
        raise ValueError(f"{path}: a JSON object (annotation file?); expected a COCO results list")
    if not isinstance(results, list) or not results:
        raise ValueError(f"{path}: expected a non-empty list of keypoint results")
    for k, res in enumerate(results):
        if not isinstance(res, dict) or "image_id" not in res or "keypoints" not in res:
            raise ValueError(f"{path}: result {k} lacks 'image_id' or 'keypoints'")
        if not isinstance(res["image_id"], (int, float, str)) or isinstance(res["image_id"], bool):
            raise ValueError(f"{path}: result {k} has image_id {res['image_id']!r}; expected a number or a string")
        track = res.get(track_key)
        if track is not None and (not isinstance(track, (int, float)) or not float(track).is_integer()):
            raise ValueError(f"{path}: result {k} has {track_key} {track!r}; expected an integer")
    image_ids = frame_positions(sorted({res["image_id"] for res in results}, key=_sort_key))
    t_of = {iid: t for t, iid in enumerate(image_ids)}
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
    first = frames[0][0].keypoints.shape[0]
    positions: dict = {}
    aside: list = []
    poses, scores, track_ids, fields = gather(frames, str(path), first, [f"image_id {iid}" for iid in image_ids],
                                              positions, aside)
    filled = pop_filled(fields, poses.shape[:3], str(path))
    extra = {"frame_ids": image_ids, **lines_extra(results), **set_aside(aside, poses),
             "coco": {"fields": fields, "positions": positions}}
    layout = (layouts or {17: "coco17"}).get(poses.shape[2])
    return PoseData(poses=poses, scores=scores, layout=layout, track_ids=track_ids, format=fmt, extra=extra,
                    filled=filled)


def write(path: Path, data: PoseData, fmt: str = "coco", track_key: str = "track_id") -> None:
    """Write COCO keypoint results, one per (frame, track) with any finite joint; the track
    (when known) in ``track_key``."""
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_coords != 2:
        raise ValueError(f"{path}: COCO results are 2D; poses have C = {n_coords}")
    fields = data.extra.get("coco", {}).get("fields", {})
    frame_ids = data.extra.get("frame_ids") or list(range(n_frames))
    shown = present(poses)
    if data.scores is not None:
        conf = np.nan_to_num(np.asarray(data.scores, dtype=np.float64), nan=0.0)
    else:
        conf = np.isfinite(poses).all(-1).astype(np.float64)
    results = []
    for t in range(n_frames):
        for v in file_order(np.flatnonzero(shown[:, t]), t, data.extra.get("coco", {}).get("positions")):
            missing = ~np.isfinite(poses[v, t]).all(-1)
            triples = np.concatenate([poses[v, t], conf[v, t, :, None]], axis=1)
            triples[missing] = 0.0  # COCO's "not there"
            res = {"image_id": frame_ids[t]}
            res.update(fields.get((v, t)) or {"category_id": 1,
                                              "score": float(conf[v, t][~missing].mean()) if (~missing).any() else 0.0})
            res["keypoints"] = triples.reshape(-1).tolist()
            if data.filled is not None:
                res[FILLED_KEY] = np.asarray(data.filled[v, t], dtype=int).tolist()
            if data.track_ids is not None:
                res[track_key] = int(data.track_ids[v])
            results.append(res)
    write_json(path, results, data)
