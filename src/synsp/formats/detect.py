"""Which format a pose file is: from its extension, then, where formats share one, from its content (each
module's ``sniff``); and the one-line errors for a path that is no readable file (:func:`readable`)."""
from __future__ import annotations

import importlib
import inspect
import os
from pathlib import Path
from typing import Any

import numpy as np

from synsp.errors import FormatError, InputFileError, InputNotFoundError
from synsp.formats.posedata import JsonLines, first_entry, load_json, numpy_failure
from synsp.formats.table import FORMATS, PICKLES, candidates

__all__ = ["ArrayNames", "detect_format", "folder_format", "readable"]


class ArrayNames(set):
    """An npz's array names, as ``sniff`` functions take them (a set), with each array's shape
    (``shapes``, read from its header: no data loaded): an SMPL ``poses`` (T, 72) alone is told by its shape."""

    def __init__(self, names, shapes: dict[str, tuple[int, ...]]):
        super().__init__(names)
        self.shapes = shapes


def _npz_shapes(npz) -> dict[str, tuple[int, ...]]:
    """Each array's shape from its ``.npy`` header in the zip; an array whose header is unreadable is left out."""
    readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    shapes = {}
    for member in npz.zip.namelist():
        try:
            with npz.zip.open(member) as f:
                reader = readers.get(np.lib.format.read_magic(f))
                if reader is not None:
                    shapes[member.removesuffix(".npy")] = tuple(reader(f)[0])
        except Exception:  # a bad member: its reader says what is wrong
            continue
    return shapes


def _content(path: Path) -> Any:
    """What ``sniff`` functions look at: the parsed JSON, or an npz's array names (:class:`ArrayNames`)."""
    if path.suffix.lower() in (".json", ".jsonl"):
        return load_json(path, keep=True)  # held for the reader: parsed once
    if path.suffix.lower() == ".npz":
        try:
            with np.load(path, allow_pickle=False) as npz:
                return ArrayNames(npz.files, _npz_shapes(npz))
        except Exception as err:  # zip or header errors of all kinds
            raise FormatError(f"{path}: not a readable .npz ({numpy_failure(err)})") from None
    return path


def _describe(content: Any) -> str:
    if isinstance(content, JsonLines):  # one value per line: say so, and what the first line holds
        return f"lines, {len(content)} values (first {str(first_entry(content))[:60]}...)"
    if isinstance(content, dict):
        return f"object (keys {sorted(map(str, content))[:6]})"
    if isinstance(content, (list, set)):
        first = next(iter(sorted(content)), None) if isinstance(content, set) else first_entry(content)
        return f"entries ({str(first)[:60]}...)"
    return f"content ({type(content).__name__})"


def readable(path: Path) -> Path:
    """``path`` if it is a non-empty regular file; else the one-line error saying what it is."""
    if not path.exists():
        raise InputNotFoundError(f"{path}: no such file")
    if path.is_dir():  # the folder formats: OpenPose's JSON per frame, YOLO's label .txt per frame
        if folder_format(path):
            return path
        raise InputFileError(f"{path}: a folder, but not an OpenPose one (JSON files mostly named *_keypoints.json) "
                             "nor YOLO-pose labels (.txt files of lines cls cx cy w h x1 y1 v1 ...)")
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file")
    if not os.access(path, os.R_OK):
        raise InputFileError(f"{path}: permission denied (not readable)")
    if path.stat().st_size == 0:  # say so plainly rather than let each parser fail in its own words
        raise InputFileError(f"{path}: empty file")
    return path


def detect_format(path: str | os.PathLike, key: str | None = None) -> str:
    """Guess a pose file's format from its extension, then from its content.

    Parameters
    ----------
    path : str or PathLike
        An existing file, or a folder of per-frame files (``"openpose"``; ``"ultralytics"``: YOLO's labels).
    key : str, optional
        The npz array to read (``--key``): a sniff that takes it tells by it (``pose`` (T, 72) of
        VIBE's whole output, beside its ``joints3d``, is SMPL rotations).

    Returns
    -------
    str
        A key of ``FORMATS``. Formats sharing an extension are told apart by their module's
        ``sniff``: ``.npz`` holding ``kp2d`` and ``kp3d_world`` is ``"mediapipe"``; ``.json``
        by structure (``image_id`` -> coco, ``instances``/``keypoints`` -> mmpose, landmarks
        with ``x``/``y`` -> mediapipe).
    """
    path = readable(Path(path))
    if path.is_dir():
        return folder_format(path)
    ext = path.suffix.lower()
    names = candidates(ext)
    if ext in PICKLES:
        raise FormatError(f"{path}: a pickle, which synsp does not open (unpickling runs whatever code the file "
                          "holds); save its arrays with numpy instead, e.g. np.savez('poses.npz', "
                          "joints3d=output['joints3d']), and refine that")
    if ext == ".mot":  # OpenSim's joint angles (formats.mot): curves for synsp refine's filters, not poses
        raise FormatError(f"{path}: an OpenSim .mot holds joint angles, not joint positions: synsp refine IN.mot "
                          "OUT.mot filters its curves; for positions give the trial's TRC")
    if not names:
        raise FormatError(f"{path}: unknown extension {ext!r}; name the format (format=, --input-format): "
                         f"one of {', '.join(FORMATS)}")
    if ext == ".txt" and _label_file(path):  # one frame of YOLO's save_txt: the folder is the sequence
        raise FormatError(f"{path}: one frame of YOLO-pose labels (Ultralytics save_txt writes one .txt per frame); "
                          f"give its folder, {path.parent}")
    if len(names) == 1:
        return names[0]
    content = _content(path)
    fallback = None
    for name in names:
        sniff = getattr(importlib.import_module(FORMATS[name].module), "sniff", None)
        if sniff is None:
            fallback = fallback or name
        elif _sniffs(sniff, content, key):
            return name
    if isinstance(content, dict) and {"people", "version"} <= set(content) and ext == ".json":  # --write_json
        raise FormatError(f"{path}: one frame of an OpenPose run (it writes one *_keypoints.json per frame); "
                          f"give its folder, {path.parent}")
    if fallback is None:
        raise FormatError(f"{path}: unrecognised {ext[1:].upper()} {_describe(content)}; expected {', '.join(names)}")
    return fallback


def folder_format(path: str | os.PathLike) -> str | None:
    """The format of a folder that is one sequence of per-frame files (``"openpose"``, ``"ultralytics"``: YOLO's
    labels), None for any other folder (a batch of files, or nothing readable)."""
    from synsp.formats.openpose import is_openpose_folder
    from synsp.formats.ultralytics import is_labels_folder

    if is_openpose_folder(path):
        return "openpose"
    return "ultralytics" if is_labels_folder(path) else None


def _label_file(path: Path) -> bool:
    from synsp.formats.ultralytics import is_label_file

    return is_label_file(path)


def _sniffs(sniff, content: Any, key: str | None = None) -> bool:
    """``sniff(content)`` (with ``key`` if it takes one), False when the content is too odd for it to look at."""
    try:
        takes_key = key is not None and "key" in inspect.signature(sniff).parameters
        return bool(sniff(content, key=key) if takes_key else sniff(content))
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError):
        return False
