"""Read and write the pose files users bring: arrays, CSV, mmpose, COCO, AlphaPose, OpenPose,
DeepLabCut, SLEAP, anipose, TRC, C3D, MediaPipe, Ultralytics YOLO-pose, BVH.

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
(``synsp stream``'s lines saved to a file), ``ultralytics`` (YOLO-pose's ``save_txt`` labels folder, or its
``Results.summary()`` JSON); and two that animate a
skeleton by joint rotations (``motion`` rows: their module also has ``read_motion`` /
``write_motion`` of a :class:`~synsp.formats.motion.JointMotion`, which ``synsp refine``
refines on the rotation manifold and writes back): ``bvh`` and ``smpl`` (SMPL/AMASS parameter
npz). As pose files they are read only (positions do not define rotations). An OpenSim ``.mot`` (joint angles
over time: Pose2Sim's inverse kinematics, Sports2D's angles) is no pose file: :mod:`synsp.formats.mot` reads and
writes it for ``synsp refine``'s filters. A new format is a
module here with ``read`` (and ``write``, and ``sniff`` if it shares an extension) plus one row
of the table (``FORMATS``, in :mod:`synsp.formats.table`). Units are the file's own except documented
conversions to millimetres: MediaPipe world landmarks (metres * 1000), BVH positions (centimetres * 10), SMPL (metres *
1000), TRC and C3D (their declared unit; written back in it).

Every JSON format reads JSON Lines too (``.jsonl``, or a ``.json`` of one value per line: the values
as a list; :class:`~synsp.formats.posedata.JsonLines`) and writes them back so.

Readers raise :class:`synsp.errors.InputNotFoundError` (a ``FileNotFoundError``) for a
missing file, ``InputFileError`` for a directory or an empty or unreadable file and
``FormatError`` for a malformed one (both ``ValueError``), one line naming the file.
Writers are atomic: they never leave a partial file behind.
"""
from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

from synsp.errors import FormatError, OptionError, SynspError, check_fps
from synsp.formats.detect import ArrayNames, detect_format, readable  # noqa: F401 (ArrayNames: kept importable)
from synsp.formats.posedata import PoseData, given_rate, scores_to_missing
from synsp.formats.table import FORMATS, PICKLES, Format, format_module  # noqa: F401 (PICKLES: kept importable)
from synsp.formats.writing import format_for_writing, writable_format, write_poses


def _first_line(err: BaseException, limit: int = 200) -> str:
    """An exception's message as one line of at most ``limit`` characters."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


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
    path = readable(Path(path))
    check_fps(fps)
    fmt = format if format is not None else detect_format(path, key=options.get("key"))
    reader = format_module(fmt, path).read
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


__all__ = ["FORMATS", "Format", "PoseData", "detect_format", "format_for_writing", "read_poses", "writable_format",
           "write_poses",
           "scores_to_missing"]
