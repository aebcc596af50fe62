"""Read and write the pose files users bring: arrays, CSV, mmpose, COCO, MediaPipe, BVH.

Every reader returns a :class:`PoseData` whose ``poses`` are ``(V, T, J, C)`` (V tracks,
persons or views; NaN = missing) and every writer takes one back, so a refined sequence can
be written in the format it came from:

>>> data = read_poses("video.json")                        # doctest: +SKIP
>>> data.poses.shape                                       # doctest: +SKIP
(2, 230, 17, 2)
>>> refined = dataclasses.replace(data, poses=smooth(data.poses))  # doctest: +SKIP
>>> write_poses("video_refined.json", refined)             # doctest: +SKIP

Formats (``FORMATS``): ``npz``/``npy`` arrays, ``csv``, ``mmpose`` prediction JSON,
``coco`` keypoint results JSON, ``mediapipe`` (the landmark npz or JSON), ``bvh`` (read only).
Units are the file's own except two documented conversions to millimetres: MediaPipe world
landmarks (metres * 1000) and BVH positions (centimetres * 10).

Readers raise ``FileNotFoundError`` for a missing file and a one-line ``ValueError``
naming the file and the problem for a malformed one. Writers are atomic: they never leave a
partial file behind.
"""
from __future__ import annotations

import importlib
import inspect
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMATS: tuple[str, ...] = ("npz", "npy", "csv", "mmpose", "coco", "mediapipe", "bvh")

# format -> module under synsp.formats; imported on use so `import synsp` stays light
_MODULES = {
    "npz": "arrays",
    "npy": "arrays",
    "csv": "csv",
    "mmpose": "mmpose",
    "coco": "coco",
    "mediapipe": "mediapipe",
    "bvh": "bvh",
}
_WRITABLE = ("npz", "npy", "csv", "mmpose", "coco", "mediapipe")
_JSON_FORMATS = ("mmpose", "coco", "mediapipe")


@dataclass
class PoseData:
    """Pose sequences read from a file, plus what is needed to write them back.

    Attributes
    ----------
    poses : ndarray (V, T, J, C) float
        V tracks (persons or views), T frames, J joints, C coordinates, in the file's unit
        (pixels for 2D estimators, millimetres for MediaPipe world and BVH). NaN = missing.
    scores : ndarray (V, T, J) or None
        Per-joint confidence in [0, 1]; 0 where a track has no detection in a frame.
    layout : str or None
        Skeleton name (``"coco17"``, ``"mediapipe33"``, ``"h36m17"``, ``"bandai22"``) or None.
    fps : float or None
        Frame rate when the file records it.
    track_ids : list of int or None
        One id per track (length V). Readers order tracks by id; files without ids get
        0 .. V-1 from greedy nearest-centroid matching (:mod:`synsp.formats.instances`).
    format : str
        The format read from (one of ``FORMATS``), "" for data built in memory.
    extra : dict
        What a writer needs to reproduce the file: ``"frame_ids"`` (one per frame, shared by
        formats) and a per-format sub-dict (e.g. ``extra["mmpose"]``) of bboxes, meta data, ...
    filled : ndarray (V, T, J) bool or None
        True where a joint value was not measured but filled in (interpolated over a gap or
        a low-confidence detection), e.g. by ``synsp refine``. Writers store it where the
        format has room (npz ``"filled"``, CSV ``<joint>_filled`` columns, JSON
        ``"keypoint_filled"`` per instance, MediaPipe ``"filled_image"``/``"filled_world"``);
        readers give it back, None when the file has none.
    """

    poses: np.ndarray
    scores: np.ndarray | None = None
    layout: str | None = None
    fps: float | None = None
    track_ids: list[int] | None = None
    format: str = ""
    extra: dict = field(default_factory=dict)
    filled: np.ndarray | None = None

    def validate(self, where: str = "PoseData") -> PoseData:
        """Check shapes agree; raise ``ValueError`` naming ``where`` otherwise. Returns self."""
        poses = np.asarray(self.poses)
        if poses.ndim != 4 or not np.issubdtype(poses.dtype, np.floating):
            raise ValueError(f"{where}: poses must be a float array (V, T, J, C), got {poses.dtype} {poses.shape}")
        if self.scores is not None and np.shape(self.scores) != poses.shape[:3]:
            raise ValueError(f"{where}: scores must be (V, T, J) = {poses.shape[:3]}, got {np.shape(self.scores)}")
        if self.filled is not None and np.shape(self.filled) != poses.shape[:3]:
            raise ValueError(f"{where}: filled must be (V, T, J) = {poses.shape[:3]}, got {np.shape(self.filled)}")
        if self.track_ids is not None and len(self.track_ids) != poses.shape[0]:
            raise ValueError(f"{where}: {len(self.track_ids)} track_ids for {poses.shape[0]} tracks")
        frame_ids = self.extra.get("frame_ids")
        if frame_ids is not None and len(frame_ids) != poses.shape[1]:
            raise ValueError(f"{where}: extra['frame_ids'] has {len(frame_ids)} entries for {poses.shape[1]} frames")
        return self


def _sniff_json(path: Path) -> str:
    """Tell mmpose, COCO and MediaPipe JSON apart by their structure."""
    try:
        with open(path, encoding="utf-8") as f:
            obj = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not valid JSON ({err})") from None
    if isinstance(obj, dict):
        if "instance_info" in obj:
            return "mmpose"
        if "frames" in obj:
            return "mediapipe"
        raise ValueError(f"{path}: unrecognised JSON object (keys {sorted(obj)[:6]}); expected mmpose or MediaPipe")
    if not isinstance(obj, list):
        raise ValueError(f"{path}: unrecognised JSON ({type(obj).__name__}); expected a list or an object")
    for item in obj:  # the first non-empty entry decides
        if item is None or item == []:
            continue
        if isinstance(item, dict):
            if "image_id" in item:
                return "coco"
            if "instances" in item or "keypoints" in item:
                return "mmpose"
            if "landmarks" in item or "world_landmarks" in item:
                return "mediapipe"
        if isinstance(item, list):
            inner = next((x for x in item if x is not None), None)
            if isinstance(inner, dict) and "keypoints" in inner:
                return "mmpose"
            if isinstance(inner, dict) and "x" in inner and "y" in inner:
                return "mediapipe"
        raise ValueError(f"{path}: unrecognised JSON entries ({str(item)[:60]}...); expected mmpose, COCO or MediaPipe")
    return "mmpose"  # an empty list: no detections at all


def detect_format(path: str | os.PathLike) -> str:
    """Guess a pose file's format from its extension, then from its content.

    Parameters
    ----------
    path : str or PathLike
        An existing file.

    Returns
    -------
    str
        One of ``FORMATS``. ``.npz`` holding ``kp2d`` and ``kp3d_world`` is ``"mediapipe"``;
        ``.json`` is told apart by structure (``image_id`` -> coco, ``instances``/``keypoints``
        -> mmpose, landmarks with ``x``/``y`` -> mediapipe).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.stat().st_size == 0:  # say so plainly rather than let each parser fail in its own words
        raise ValueError(f"{path}: empty file")
    ext = path.suffix.lower()
    if ext == ".npy":
        return "npy"
    if ext == ".npz":
        try:
            with np.load(path, allow_pickle=False) as npz:
                keys = set(npz.files)
        except Exception as err:  # zip or header errors of all kinds
            raise ValueError(f"{path}: not a readable .npz ({err})") from None
        return "mediapipe" if {"kp2d", "kp3d_world"} <= keys else "npz"
    if ext in (".csv", ".tsv", ".txt"):
        return "csv"
    if ext == ".bvh":
        return "bvh"
    if ext == ".json":
        return _sniff_json(path)
    raise ValueError(f"{path}: unknown extension {ext!r}; name the format (format=, --input-format): "
                     f"one of {', '.join(FORMATS)}")


def _module(fmt: str, where: Path):
    if fmt not in _MODULES:
        raise ValueError(f"{where}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return importlib.import_module(f"synsp.formats.{_MODULES[fmt]}")


def _check_options(func, options: dict, fmt: str, where: Path) -> None:
    allowed = [p for p in inspect.signature(func).parameters if p != "path"]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unknown option {unknown[0]!r} for format {fmt!r} (allowed: {allowed or 'none'})")


def read_poses(path: str | os.PathLike, *, format: str | None = None, fps: float | None = None,
               **options: Any) -> PoseData:
    """Read a pose file into a :class:`PoseData`.

    Parameters
    ----------
    path : str or PathLike
        The file.
    format : str, optional
        One of ``FORMATS``; inferred by :func:`detect_format` when None.
    fps : float, optional
        Frame rate to use instead of (or when missing from) the file's own.
    **options
        Format options: ``key=`` (npz array name), ``space="image"|"world"`` (mediapipe),
        ``scale=`` (bvh unit factor, default 10: cm -> mm).

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, C), ``scores`` (V, T, J) or None, layout, fps, track ids.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ValueError(f"{path}: empty file")
    fmt = format if format is not None else detect_format(path)
    reader = _module(fmt, path).read
    _check_options(reader, options, fmt, path)
    try:
        data = reader(path, **options)
    except ValueError as err:
        message = str(err)
        raise ValueError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    except (KeyError, TypeError, IndexError, AttributeError) as err:
        # a structurally wrong file that slipped past the reader's own checks
        raise ValueError(f"{path}: malformed {fmt} file ({type(err).__name__}: {err})") from None
    if fps is not None:
        if not np.isfinite(fps) or fps <= 0:
            raise ValueError(f"fps must be a positive number, got {fps!r}")
        data.fps = float(fps)
    return data.validate(str(path))


def write_poses(path: str | os.PathLike, data: PoseData, *, format: str | None = None) -> None:
    """Write a :class:`PoseData` atomically.

    Parameters
    ----------
    path : str or PathLike
        Target file; written through a temporary file renamed on success.
    data : PoseData
        ``poses`` (V, T, J, C); writers use ``data.extra`` to reproduce the source file
        (frame ids, bboxes, meta data, untouched npz keys).
    format : str, optional
        One of the writable formats (all of ``FORMATS`` but ``bvh``). Inferred from the
        extension when None; ``.json`` and ``.npz`` keep ``data.format`` when it fits.
    """
    path = Path(path)
    if not isinstance(data, PoseData):
        raise ValueError(f"data must be a PoseData, got {type(data).__name__}")
    data.validate(f"{path}: data")
    fmt = format if format is not None else _format_for_writing(path, data)
    if fmt not in _WRITABLE:
        why = " (positions do not determine a BVH's joint rotations)" if fmt == "bvh" else ""
        raise ValueError(f"{path}: cannot write format {fmt!r}{why}; writable: {', '.join(_WRITABLE)}")
    _module(fmt, path).write(path, data, fmt=fmt)


def _format_for_writing(path: Path, data: PoseData) -> str:
    ext = path.suffix.lower()
    if ext == ".npy":
        return "npy"
    if ext == ".npz":
        return "mediapipe" if data.format == "mediapipe" and "mediapipe" in data.extra else "npz"
    if ext in (".csv", ".tsv", ".txt"):
        return "csv"
    if ext == ".bvh":
        return "bvh"
    if ext == ".json":
        return data.format if data.format in _JSON_FORMATS else "mmpose"
    raise ValueError(f"{path}: unknown extension {ext!r}; name the format (format=, --format): "
                     f"one of {', '.join(_WRITABLE)}")


def as_filled(values: Any, shape: tuple[int, ...], where: str) -> np.ndarray:
    """A file's filled flags (bools or 0/1 numbers) as a bool array of ``shape``; ValueError otherwise."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: filled flags must be booleans or 0/1") from None
    if array.shape != tuple(shape):
        raise ValueError(f"{where}: filled flags must have shape {tuple(shape)}, got {array.shape}")
    if not np.isin(array, (0.0, 1.0)).all():
        raise ValueError(f"{where}: filled flags must be booleans or 0/1")
    return array.astype(bool)


def scores_to_missing(poses: np.ndarray, scores: np.ndarray, threshold: float) -> np.ndarray:
    """Mark low-confidence joints missing: NaN where ``score < threshold`` (or score is NaN).

    Parameters
    ----------
    poses : ndarray (..., T, J, C) float
        Joint positions, any unit.
    scores : ndarray (..., T, J)
        Confidence per joint, same leading shape as ``poses``.
    threshold : float
        Minimum confidence kept.

    Returns
    -------
    ndarray, same shape and dtype as ``poses``
        A copy with every coordinate of a low-confidence joint set to NaN.

    Examples
    --------
    >>> p = np.zeros((2, 1, 2)); s = np.array([[0.9], [0.1]])
    >>> np.isnan(scores_to_missing(p, s, 0.3)[:, 0, 0]).tolist()
    [False, True]
    """
    poses = np.asarray(poses)
    scores = np.asarray(scores)
    if poses.ndim < 3 or not np.issubdtype(poses.dtype, np.floating):
        raise ValueError(f"poses must be a float array (..., T, J, C), got {poses.dtype} {poses.shape}")
    if scores.shape != poses.shape[:-1]:
        raise ValueError(f"scores must have shape {poses.shape[:-1]} (poses without C), got {scores.shape}")
    out = poses.copy()
    low = ~(scores >= threshold)  # NaN scores compare False, so they count as missing
    out[low] = np.nan
    return out


__all__ = ["FORMATS", "PoseData", "detect_format", "read_poses", "write_poses", "scores_to_missing"]
