"""Read and write the pose files users bring: arrays, CSV, mmpose, COCO, AlphaPose, OpenPose,
DeepLabCut, SLEAP, anipose, TRC, C3D, MediaPipe, BVH.

Every reader returns a :class:`PoseData` whose ``poses`` are ``(V, T, J, C)`` (V tracks,
persons or views; NaN = missing) and every writer takes one back, so a refined sequence can
be written in the format it came from:

>>> data = read_poses("video.json")                        # doctest: +SKIP
>>> data.poses.shape                                       # doctest: +SKIP
(2, 230, 17, 2)
>>> refined = dataclasses.replace(data, poses=smooth(data.poses))  # doctest: +SKIP
>>> write_poses("video_refined.json", refined)             # doctest: +SKIP

Formats (``FORMATS``, one table: name -> module, extensions, writable): ``npz``/``npy``
arrays, ``csv``, ``mmpose`` prediction JSON, ``alphapose`` and ``coco`` keypoint results
JSON, ``openpose`` (a folder of per-frame JSON), ``dlc`` (DeepLabCut CSV/h5), ``sleap`` (SLEAP's
analysis HDF5), ``anipose`` 3D CSV, ``kaggle`` (the Isolated Sign Language long CSV of MediaPipe Holistic's
landmarks), ``trc``, ``c3d``, ``mediapipe`` (the landmark npz or JSON, legacy or Tasks API), ``stream``
(``synsp stream``'s lines saved to a file); and two that animate a
skeleton by joint rotations (``motion`` rows: their module also has ``read_motion`` /
``write_motion`` of a :class:`~synsp.formats.motion.JointMotion`, which ``synsp refine``
refines on the rotation manifold and writes back): ``bvh`` and ``smpl`` (SMPL/AMASS parameter
npz). As pose files they are read only (positions do not define rotations). A new format is a
module here with ``read`` (and ``write``, and ``sniff`` if it shares an extension) plus one row
of the table. Units are the file's own except documented conversions to millimetres:
MediaPipe world landmarks (metres * 1000), BVH positions (centimetres * 10), SMPL (metres *
1000), TRC and C3D (their declared unit; written back in it).

Every JSON format reads JSON Lines too (``.jsonl``, or a ``.json`` of one value per line: the values
as a list; :class:`~synsp.formats.posedata.JsonLines`) and writes them back so.

Readers raise :class:`synsp.errors.InputNotFoundError` (a ``FileNotFoundError``) for a
missing file, ``InputFileError`` for a directory or an empty or unreadable file and
``FormatError`` for a malformed one (both ``ValueError``), one line naming the file.
Writers are atomic: they never leave a partial file behind.
"""
from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from synsp.errors import (
    FormatError,
    InputFileError,
    InputNotFoundError,
    OptionError,
    OutputError,
    ShapeError,
    SynspError,
    check_fps,
)
from synsp.formats.decimals import float32_decimals, text_path
from synsp.formats.posedata import (
    JsonLines,
    PoseData,
    first_entry,
    given_rate,
    load_json,
    numpy_failure,
    scores_to_missing,
)


@dataclass(frozen=True)
class Format:
    """One pose-file format.

    ``module`` (imported on use, so `import synsp` stays light) has ``read(path, **options)
    -> PoseData`` and, if ``writable``, ``write(path, data, fmt)``. Formats that share an
    extension are told apart by the module's ``sniff(content) -> bool``, given the parsed
    JSON of a ``.json`` file or the array names of an ``.npz``; a format without ``sniff`` is
    that extension's fallback. A format written filled (``holds_missing`` False: TRC, whose
    blank cells OpenSim reads, is written filled as Pose2Sim writes it) fills gaps when writing;
    its module's ``gap_count(poses)`` says how many values that is. A format without room for the flags of filled values
    (``holds_filled`` False: a bare ``.npy``, TRC, DeepLabCut, SLEAP, anipose) writes them as
    values like any other; ``synsp refine`` says so.
    """

    module: str
    extensions: tuple[str, ...]
    writable: bool = True
    holds_missing: bool = True  # False: the writer fills gaps (the file's users expect no blanks)
    holds_filled: bool = True  # False: no room for PoseData.filled; filled values look measured
    motion: bool = False  # joint rotations: the module also has read_motion / write_motion (formats.motion)
    coords: tuple[int, ...] = (2, 3)  # the coordinate counts its writer takes (checked before refining)
    one_track: bool = False  # its writer takes one person (a TRC, a C3D: one file per track)


FORMATS: dict[str, Format] = {
    "npz": Format("synsp.formats.arrays", (".npz",), coords=(2, 3, 4)),  # 4: x, y, z and a confidence
    "npy": Format("synsp.formats.arrays", (".npy",), holds_filled=False, coords=(2, 3, 4)),
    "csv": Format("synsp.formats.csv", (".csv", ".tsv", ".txt")),
    "mmpose": Format("synsp.formats.mmpose", (".json", ".jsonl")),  # .jsonl: JSON Lines (formats.posedata)
    "alphapose": Format("synsp.formats.alphapose", (".json", ".jsonl")),  # before coco: its results are COCO's too
    "coco": Format("synsp.formats.coco", (".json", ".jsonl"), coords=(2,)),
    "mediapipe": Format("synsp.formats.mediapipe", (".npz", ".json", ".jsonl")),
    "stream": Format("synsp.formats.stream", (".json", ".jsonl"), coords=(2, 3, 4)),  # synsp stream's lines, saved
    "trc": Format("synsp.formats.trc", (".trc",), holds_missing=False, holds_filled=False, coords=(3,), one_track=True),
    "openpose": Format("synsp.formats.openpose", (), coords=(2,)),  # a folder: see detect_format
    # before sleap: a .h5 made elsewhere is written as DLC's
    "dlc": Format("synsp.formats.dlc", (".csv", ".h5"), holds_filled=False, coords=(2,)),
    # analysis HDF5, told from DLC's h5 by its datasets
    "sleap": Format("synsp.formats.sleap", (".h5",), holds_filled=False, coords=(2,)),
    "anipose": Format("synsp.formats.anipose", (".csv",), holds_filled=False, coords=(3,), one_track=True),
    # Kaggle's sign-language landmarks, one row per point per frame; told by its type, landmark_index columns
    "kaggle": Format("synsp.formats.kaggle", (".csv", ".parquet"), holds_filled=False),
    "c3d": Format("synsp.formats.c3d", (".c3d",), coords=(3,), one_track=True),
    "bvh": Format("synsp.formats.bvh", (".bvh",), writable=False, motion=True),
    "smpl": Format("synsp.formats.smpl", (".npz",), writable=False, motion=True),
}


# Python pickles (VIBE's and 4D-Humans' outputs, joblib dumps): never read, see detect_format.
PICKLES = (".pkl", ".pickle", ".joblib")


def _writable() -> list[str]:
    return [name for name, fmt in FORMATS.items() if fmt.writable]


def _candidates(ext: str) -> list[str]:
    return [name for name, fmt in FORMATS.items() if ext in fmt.extensions]


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


def _first_line(err: BaseException, limit: int = 200) -> str:
    """An exception's message as one line of at most ``limit`` characters."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _readable(path: Path) -> Path:
    """``path`` if it is a non-empty regular file; else the one-line error saying what it is."""
    if not path.exists():
        raise InputNotFoundError(f"{path}: no such file")
    if path.is_dir():  # the one folder format: OpenPose's JSON per frame
        if _folder_format(path):
            return path
        raise InputFileError(f"{path}: a folder, but not an OpenPose one (JSON files mostly named *_keypoints.json)")
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
        An existing file, or an OpenPose folder (``"openpose"``).
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
    path = _readable(Path(path))
    if path.is_dir():
        return "openpose"
    ext = path.suffix.lower()
    names = _candidates(ext)
    if ext in PICKLES:
        raise FormatError(f"{path}: a pickle, which synsp does not open (unpickling runs whatever code the file "
                          "holds); save its arrays with numpy instead, e.g. np.savez('poses.npz', "
                          "joints3d=output['joints3d']), and refine that")
    if not names:
        raise FormatError(f"{path}: unknown extension {ext!r}; name the format (format=, --input-format): "
                         f"one of {', '.join(FORMATS)}")
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


def _folder_format(path: Path) -> bool:
    from synsp.formats.openpose import is_openpose_folder

    return is_openpose_folder(path)


def _sniffs(sniff, content: Any, key: str | None = None) -> bool:
    """``sniff(content)`` (with ``key`` if it takes one), False when the content is too odd for it to look at."""
    try:
        takes_key = key is not None and "key" in inspect.signature(sniff).parameters
        return bool(sniff(content, key=key) if takes_key else sniff(content))
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError):
        return False


def _module(fmt: str, where: Path):
    if fmt not in FORMATS:
        raise OptionError(f"{where}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[fmt].module)


def _check_options(func, options: dict, fmt: str, where: Path) -> None:
    allowed = [p for p in inspect.signature(func).parameters if p != "path"]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise OptionError(f"{where}: unknown option {unknown[0]!r} for format {fmt!r} (allowed: {allowed or 'none'})")


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
    path = _readable(Path(path))
    check_fps(fps)
    fmt = format if format is not None else detect_format(path, key=options.get("key"))
    reader = _module(fmt, path).read
    _check_options(reader, options, fmt, path)
    try:
        data = reader(path, **options).validate(str(path))
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not UTF-8 text (byte {err.start}), so not a {fmt} file") from None
    except (ValueError, SynspError) as err:
        message = _first_line(err)
        message = message if message.startswith(str(path)) else f"{path}: {message}"
        raise (type(err) if isinstance(err, SynspError) else FormatError)(message) from None
    except RecursionError:
        raise FormatError(f"{path}: nested too deeply to be a {fmt} file") from None
    except MemoryError:
        raise FormatError(f"{path}: too large to hold in memory as a {fmt} file") from None
    except (KeyError, TypeError, IndexError, AttributeError, OverflowError, EOFError) as err:
        # a structurally wrong file that slipped past the reader's own checks
        raise FormatError(f"{path}: malformed {fmt} file ({type(err).__name__}: {_first_line(err)})") from None
    if fps is not None:  # the user's rate over the file's; its times follow (posedata.given_rate)
        data = given_rate(data, fps)
    elif data.fps is not None:
        try:
            check_fps(data.fps)  # NaN, 0, or 1e9 (a time stamp read as a rate, which hangs the networks' resampling)
        except OptionError as err:
            raise FormatError(f"{path}: the file's frame rate: {err}; pass --fps (fps=)") from None
    return data


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
    _module(fmt, path).write(path, data, fmt=fmt)


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
        raise OptionError(f"{path}: cannot write format {fmt!r}{why}; writable: {', '.join(_writable())}")
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
    check = getattr(_module(fmt, path), "check_target", None)  # a writer's own refusals (an OpenPose folder's)
    if check is not None:
        check(path)
    return fmt


def format_for_writing(path: Path, data: PoseData) -> str:
    """The format ``data`` came from if it takes this extension, else the extension's first."""
    ext = path.suffix.lower()
    if not ext and data.format == "openpose":  # a folder of per-frame JSON
        return "openpose"
    names = _candidates(ext)
    if not names:
        raise OptionError(f"{path}: unknown extension {ext!r}; name the format (format=, --format): "
                         f"one of {', '.join(_writable())}")
    if data.format in names and FORMATS[data.format].writable:
        return data.format
    writable = [name for name in names if FORMATS[name].writable]
    return writable[0] if writable else names[0]


__all__ = ["FORMATS", "Format", "PoseData", "detect_format", "format_for_writing", "read_poses", "writable_format",
           "write_poses",
           "scores_to_missing"]
