"""Writing a :class:`~synsp.formats.posedata.PoseData` in a format: which one (the file's own, else the
extension's), checked before any work (:func:`writable_format`), then written atomically (:func:`write_poses`)."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.errors import OptionError, OutputError, ShapeError
from synsp.formats.decimals import float32_decimals, text_path
from synsp.formats.posedata import PoseData
from synsp.formats.table import FORMATS, candidates, format_module, writable_names

__all__ = ["format_for_writing", "writable_format", "write_poses"]


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
        One of the writable formats (``FORMATS`` rows with ``writable``). Inferred from the
        extension when None; ``.json`` and ``.npz`` keep ``data.format`` when it fits.
    """
    path = Path(path)
    if not isinstance(data, PoseData):
        raise ShapeError(f"data must be a PoseData, got {type(data).__name__}")
    data.validate(f"{path}: data")
    fmt = writable_format(path, data, format=format)
    if text_path(path) and (data.poses.dtype == np.float32 or np.asarray(data.scores).dtype == np.float32):
        # float32 values printed with float32's digits, not their float64 expansion (formats.decimals)
        data = replace(data, poses=float32_decimals(data.poses) if data.poses.dtype == np.float32 else data.poses,
                       scores=float32_decimals(data.scores) if np.asarray(data.scores).dtype == np.float32
                       else data.scores)
    format_module(fmt, path).write(path, data, fmt=fmt)


def writable_format(path: str | os.PathLike, data: PoseData, *, format: str | None = None) -> str:
    """The format :func:`write_poses` writes ``data`` to ``path`` in, once checked that it can: a
    writable format, taking ``data``'s coordinate and track counts, no file where ``path`` needs a
    folder, and a target its writer would replace (its module's ``check_target``, if any).
    ``synsp refine`` asks before refining, so a wrong OUT fails at once, not after the work
    (OptionError / OutputError / ValueError, one line)."""
    path = Path(path)
    fmt = format if format is not None else format_for_writing(path, data)
    if fmt not in FORMATS or not FORMATS[fmt].writable:
        why = " (positions do not determine joint rotations; synsp refine writes it from a file of its kind)" \
            if fmt in FORMATS and FORMATS[fmt].motion else ""
        raise OptionError(f"{path}: cannot write format {fmt!r}{why}; writable: {', '.join(writable_names())}")
    kind, (tracks, coords) = FORMATS[fmt], data.poses.shape[::3]
    if coords not in kind.coords:
        raise OutputError(f"{path}: a {fmt} file holds {' or '.join(map(str, kind.coords))}D poses; these are "
                          f"{coords}D (name another format: --format, or another extension)")
    if kind.one_track and tracks != 1:
        raise OutputError(f"{path}: a {fmt} file holds one person; these are {tracks} tracks (write a .npz, or "
                          "one file per track)")
    folder = next((parent for parent in path.parents if parent.exists()), None)
    if folder is not None and not folder.is_dir():
        raise OutputError(f"{path}: {folder} is a file, not a folder")
    check = getattr(format_module(fmt, path), "check_target", None)  # a writer's own refusals (an OpenPose folder's)
    if check is not None:
        check(path)
    return fmt


def format_for_writing(path: Path, data: PoseData) -> str:
    """The format ``data`` came from if it takes this extension, else the extension's first."""
    ext = path.suffix.lower()
    if not ext and data.format in ("openpose", "ultralytics"):  # a folder of per-frame files
        return data.format
    names = candidates(ext)
    if not names:
        raise OptionError(f"{path}: unknown extension {ext!r}; name the format (format=, --format): "
                         f"one of {', '.join(writable_names())}")
    if data.format in names and FORMATS[data.format].writable:
        return data.format
    writable = [name for name in names if FORMATS[name].writable]
    return writable[0] if writable else names[0]
