"""AlphaPose results JSON (``alphapose-results.json``): COCO-style results with AlphaPose's keys.

``[{"image_id": "0.jpg", "category_id": 1, "keypoints": [x1, y1, c1, ...], "score": s,
"box": [x, y, w, h], "idx": k}, ...]``. ``image_id`` is the frame's file name: frames are
ordered by the numbers in it taken as numbers ("10.jpg" after "9.jpg", not after "1.jpg"), and
placed by them: a frame missing from the run of numbers is a frame where nobody was seen.
With ``--pose_track`` every result has an integer ``idx``, the person's track: those are the tracks as they
are (the tracker is not run) when every result has one (in a frame that has one twice, a tracker's slip, those
instances are matched to the tracks: :mod:`synsp.formats.repeated_ids`); otherwise (``idx`` missing, or not an
integer) people are matched frame to frame. Keypoint counts: 17 -> ``coco17``, 26 -> ``halpe26``, 133 ->
``coco133``, 136 -> ``halpe136``. Told apart from plain COCO results by ``idx`` or a Halpe keypoint count; a
17-keypoint file without ``idx`` reads as COCO, which it is.

The writer writes the same results back (``box``, ``score``, ``category_id`` unchanged) with the
track in ``idx``; see :mod:`synsp.formats.coco` for missing keypoints and ``keypoint_filled``.
"""
from __future__ import annotations

from pathlib import Path

from synsp.formats import coco
from synsp.formats.posedata import PoseData, first_entry, load_json

LAYOUT_OF_COUNT = {17: "coco17", 26: "halpe26", 133: "coco133", 136: "halpe136"}


def sniff(content) -> bool:
    """Results with an ``image_id`` and either an ``idx`` or Halpe's 26 / 136 keypoints."""
    first = first_entry(content)
    if not isinstance(first, dict) or "image_id" not in first:
        return False
    keypoints = first.get("keypoints")
    return "idx" in first or (isinstance(keypoints, list) and len(keypoints) in (26 * 3, 136 * 3))


def _idx_tracks(results) -> bool:
    """Whether every result has an integer ``idx`` (AlphaPose's --pose_track); one twice in a frame (a
    tracker's slip) is matched there (:mod:`synsp.formats.repeated_ids`)."""
    for res in results:
        idx = res.get("idx") if isinstance(res, dict) else None
        if isinstance(idx, bool) or not isinstance(idx, (int, float)) or not float(idx).is_integer():
            return False
    return True


def read(path: Path) -> PoseData:
    """Read AlphaPose results.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels, ``scores`` (V, T, J); ``track_ids`` = the ``idx`` values
        when they are tracks; ``extra["frame_ids"]`` = the image ids in frame order.
    """
    results = load_json(path)
    key = "idx" if isinstance(results, list) and _idx_tracks(results) else "track_id"
    return coco.read_results(path, track_key=key, fmt="alphapose", layouts=LAYOUT_OF_COUNT)


def write(path: Path, data: PoseData, fmt: str = "alphapose") -> None:
    """Write AlphaPose results, one per (frame, track) with any finite joint; the track in ``idx``."""
    coco.write(path, data, fmt=fmt, track_key="idx")
