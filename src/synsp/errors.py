"""One exception type per failure class, so callers can catch exactly what they mean.

Every synsp error derives from :class:`SynspError`. Errors about the user's input or
arguments also derive from ``ValueError`` (and a refused overwrite from ``FileExistsError``,
a missing input from ``FileNotFoundError``), so code written against the built-in types
keeps working. Messages are one line naming the file, shape or joint count at fault.

>>> from synsp.errors import SynspError, FormatError
>>> issubclass(FormatError, ValueError)
True
"""
from __future__ import annotations

import errno
from pathlib import Path

import numpy as np


class SynspError(Exception):
    """Base of every error synsp raises on purpose."""


class InputFileError(SynspError, ValueError):
    """An input file that cannot be read at all: a directory, empty, not readable."""


class InputNotFoundError(SynspError, FileNotFoundError):
    """An input file (pose file or checkpoint) that does not exist."""


class FormatError(InputFileError):
    """A file whose format is unknown or whose content does not follow it."""


class ShapeError(SynspError, ValueError):
    """Poses of the wrong rank, coordinate count or joint count for what was asked."""


class MissingDataError(SynspError, ValueError):
    """Poses with no finite joint at all: nothing to refine."""


class SpaceError(SynspError, ValueError):
    """Poses whose 2D/3D reading is ambiguous (x, y, confidence or x, y, z?) or contradicts an option."""


class LayoutError(SynspError, ValueError):
    """An unknown joint layout, or one whose joint count differs from the poses'."""


class OptionError(SynspError, ValueError):
    """A bad argument: unknown method or format, a non-positive fps, a bad threshold or lag."""


class CheckpointError(SynspError, ValueError):
    """A model file that is not a synsp checkpoint, is broken, or is of the wrong kind."""


class DeviceError(SynspError, ValueError):
    """An unknown torch device, or CUDA asked for on a machine without it."""


class OutputExistsError(SynspError, FileExistsError):
    """The output exists (or appeared while writing) and ``force`` was not given."""


class OutputError(SynspError, ValueError):
    """An output path that cannot be written: the input itself, a directory."""


class InternalError(SynspError, RuntimeError):
    """A failure of synsp itself on valid input (a bug to report), told apart from the input's faults."""


__all__ = ["SynspError", "InputFileError", "InputNotFoundError", "FormatError", "ShapeError", "MissingDataError",
           "SpaceError", "LayoutError", "OptionError", "CheckpointError", "DeviceError", "OutputExistsError",
           "OutputError", "InternalError", "is_number", "check_fps", "check_frames_first",
           "frames_first_by_shape", "FPS_RANGE"]


def is_number(value: object) -> bool:
    """A real number given as an argument: an int, float or NumPy number, not a bool
    (``True`` would read as 1 fps or 1 Hz)."""
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


# A (V, T, J, C) array of at least this many views or persons, each of at most 1 / FEW_FRAMES of
# that many frames, is refused: such a shape is a (T, P, J, C) stack (frames first, as rtmlib and
# mmpose users stack per-frame results) far more often than a crowd seen for a few frames, and
# refined as (V, T, J, C) it would be many people of too few frames to smooth.
MANY_VIEWS = 16
FEW_FRAMES = 4


def frames_first_by_shape(shape: tuple) -> bool:
    """Whether a 4-D ``shape`` read as (V, T, J, C) has ``V >= MANY_VIEWS`` (16) and ``V >= FEW_FRAMES * T`` (4 x as
    many views or persons as frames): most likely (T, P, J, C), frames first."""
    return len(shape) == 4 and shape[0] >= MANY_VIEWS and shape[0] >= FEW_FRAMES * shape[1]


def check_frames_first(shape: tuple, where: str, fix: str) -> None:
    """Raise :class:`ShapeError` when a 4-D ``shape`` reads as (T, P, J, C), frames first
    (:func:`frames_first_by_shape`). ``fix`` says how to pass it the other way round."""
    if frames_first_by_shape(shape):
        raise ShapeError(f"{where}: shape {tuple(shape)} is (T, P, J, C), frames first? {fix}; as (V, T, J, C) "
                         f"it would be {shape[0]} persons or views of {shape[1]} frame{'s' if shape[1] != 1 else ''} "
                         "each")


# Frame rates a pose sequence can have: no footage is shot below 0.1 fps (a frame every 10 s) or
# above 100,000 fps. Outside them the networks' resampling to their 30 fps (frame_rate.py) makes
# 30 / fps frames of each input frame (fps=1e-9: 13.8 TiB for 64 frames) or fps / 30 phase-shifted
# grids (fps=1e9: 33 million of them, a hang).
FPS_RANGE = (0.1, 100_000.0)


def check_fps(fps: object) -> None:
    """Raise :class:`OptionError` unless ``fps`` is None or a positive finite frame rate, inside
    :data:`FPS_RANGE`."""
    if fps is not None and not (is_number(fps) and np.isfinite(fps) and fps > 0):
        raise OptionError(f"fps must be a positive number, got {fps!r}")
    if fps is not None and not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
        raise OptionError(f"fps must be a frame rate between {FPS_RANGE[0]:g} and {FPS_RANGE[1]:g}, got {fps!r}")


def check_keep_convention(keep: object) -> bool | str | None:
    """``keep_convention=`` as given, once checked: None (the model's setting), True (the network's whole constant pull
    undone), False (the model's own joint definitions) or ``"symmetric"`` (its left/right symmetric part, the default);
    anything else (a typo such as ``"Symmetric"``, which ran as True) is a one-line :class:`OptionError`."""
    if keep is None or isinstance(keep, (bool, np.bool_)) or (isinstance(keep, str) and keep == "symmetric"):
        return keep
    raise OptionError(f"keep_convention must be True, False or 'symmetric', got {keep!r}")


def check_threshold(threshold: object) -> None:
    """Raise :class:`OptionError` unless ``threshold`` is a confidence in [0, 1]: outside it, every
    joint counts as detected (a negative one, a score of 0 too) or none does, silently."""
    if not (is_number(threshold) and 0 <= threshold <= 1):
        raise OptionError(f"threshold must be a confidence in [0, 1], got {threshold!r}")


def one_line(err: BaseException, output: Path | None = None, limit: int = 400) -> str:
    """What went wrong, in one line: an OS error as ``file: reason`` (no errno prefix; the
    command's ``output`` when the error names no file, e.g. a full disk)."""
    if isinstance(err, OSError) and not isinstance(err, SynspError) and err.strerror:
        reason = {errno.ENOSPC: "no space left on device", errno.EROFS: "read-only file system",
                  errno.EACCES: "permission denied"}.get(err.errno, err.strerror)
        where = err.filename if err.filename is not None else (output or "")
        text = f"{where}: {reason}" if where else reason
    elif isinstance(err, RecursionError):
        text = "input nested too deeply to read"
    elif isinstance(err, MemoryError):
        text = f"out of memory{f' ({err})' if str(err) else ''}: the input or a size given is too large"
    elif isinstance(err, UnicodeError):
        text = f"text is not valid UTF-8 ({err.__class__.__name__})"
    else:
        text = str(err) or type(err).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
