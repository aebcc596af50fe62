"""The one type every pose reader returns and every writer takes, and its small helpers."""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from synsp.errors import FormatError, ShapeError
from synsp.paths import atomic_path
from synsp.score_levels import measured_by_score
from synsp.skeleton import generic_names


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
        0 .. V-1 from tracking across frames (:mod:`synsp.formats.tracking`).
    format : str
        The format read from (one of ``FORMATS``), "" for data built in memory.
    extra : dict
        What a writer needs to reproduce the file: ``"frame_ids"`` (one per frame, shared by
        formats) and a per-format sub-dict (e.g. ``extra["mmpose"]``) of bboxes, meta data, ...;
        ``"absent"``, (V, T) bool, the frames where the file says a track is not there (an
        animal not detected): ``synsp refine`` invents nothing in them; or (V, T, J) bool, the
        joints the file says are not there (an OpenPose hand key that is an empty list): left
        missing, never filled.
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
            raise ShapeError(f"{where}: poses must be a float array (V, T, J, C), got {poses.dtype} {poses.shape}")
        if self.scores is not None and np.shape(self.scores) != poses.shape[:3]:
            raise ShapeError(f"{where}: scores must be (V, T, J) = {poses.shape[:3]}, got {np.shape(self.scores)}")
        if self.filled is not None and np.shape(self.filled) != poses.shape[:3]:
            raise ShapeError(f"{where}: filled must be (V, T, J) = {poses.shape[:3]}, got {np.shape(self.filled)}")
        if self.track_ids is not None and len(self.track_ids) != poses.shape[0]:
            raise ShapeError(f"{where}: {len(self.track_ids)} track_ids for {poses.shape[0]} tracks")
        frame_ids = self.extra.get("frame_ids")
        if frame_ids is not None and len(frame_ids) != poses.shape[1]:
            raise ShapeError(f"{where}: extra['frame_ids'] has {len(frame_ids)} entries for {poses.shape[1]} frames")
        return self

    def own_joint_names(self) -> list[str] | None:
        """The joints' names when the file gives names that make no known layout (a lab's
        markers, a DeepLabCut project's body parts): such joints are the user's own, never read
        as a layout by their count. None when the file names no joints of its own (or only
        synsp's placeholders ``j0``, ``j1``, ...) or its names make a layout."""
        if self.layout is not None or self.partial_layout() is not None:
            return None
        names = ((self.extra.get("trc") or self.extra.get("c3d") or {}).get("markers")
                 or self.extra.get("csv", {}).get("joints") or self.extra.get("dlc", {}).get("parts")
                 or self.extra.get("sleap", {}).get("nodes"))
        if not names or list(names) == generic_names(len(names)):
            return None
        return list(names)

    def partial_layout(self) -> str | None:
        """The layout of the first joints when a file names a known layout's joints and markers
        of its own besides (Pose2Sim's marker augmentation adds ``*_study`` markers to its
        HALPE_26 ones): the joints after that layout's are the file's own markers, named in
        ``extra[fmt]["joints"]``, and ``layout`` is None, since the whole makes no layout."""
        if self.layout is not None:
            return None
        return (self.extra.get("trc") or self.extra.get("c3d") or {}).get("layout")

# The last JSON parsed for detect_format's sniffing, held until the reader of that same,
# unchanged file takes it: a file is parsed once, not once to sniff and once to read.
_SNIFFED: dict[tuple, Any] = {}
_SNIFFED_LOCK = threading.Lock()


def _file_identity(path: Path) -> tuple | None:
    """(real path, mtime in ns, size, inode): a rewritten file is another file; None if unreadable."""
    try:
        stat = os.stat(path)
    except OSError:
        return None  # open() below says what is wrong
    return os.path.realpath(path), stat.st_mtime_ns, stat.st_size, stat.st_ino


def load_json(path: Path, *, keep: bool = False) -> Any:
    """Parse a JSON file; a one-line :class:`FormatError` naming the file if it is not JSON.

    ``keep`` (``detect_format``): hold the parsed content, so that the next ``load_json`` of
    the same unchanged file (its reader) takes it instead of parsing again. Only one file is
    held, and the reader takes it away, so it may change what it got.
    """
    key = _file_identity(path)
    with _SNIFFED_LOCK:
        if key is not None and key in _SNIFFED:
            return _SNIFFED[key] if keep else _SNIFFED.pop(key)
    content = _parse_json(path)
    if keep and key is not None:
        with _SNIFFED_LOCK:
            _SNIFFED.clear()
            _SNIFFED[key] = content
    return content


class JsonLines(list):
    """The values of a JSON Lines file (``.jsonl``, or a ``.json`` of one JSON value per line: a
    log written frame by frame, ``synsp stream``'s lines), in order: read as a JSON list of them by
    every JSON format, and written back one value per line (:func:`write_json`); ``style``: how the
    file was saved (:func:`text_style`: CRLF, a BOM), written back alike."""

    def __init__(self, *values: Any) -> None:
        super().__init__(*values)
        self.style: dict = {}  # each file's own: a class-level {} would be one dict shared by every file


JSON_LINES = "json_lines"  # PoseData.extra key: the file was JSON Lines; its writer writes it so again
LINES_STYLE = "json_lines_style"  # ... saved with CRLF or a BOM (text_style), written back so (as CSV, TRC and BVH)


def _parse_json(path: Path) -> Any:
    try:
        with open(path, "rb") as f:  # bytes, read once: the text, and for JSON Lines how it was saved (its style)
            raw = f.read()
        text = raw.decode("utf-8-sig")  # -sig: a byte-order mark, as Windows tools write, is skipped
        if "\r" in text:  # line breaks as a text-mode open gives them, so error positions count lines alike
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if path.suffix.lower() == ".jsonl":
            return _parse_lines(path, text, raw)
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            if err.msg != "Extra data" or "\n" not in text[:err.pos]:
                raise
            return _parse_lines(path, text, raw)  # a second value after a line break: JSON Lines
    except json.JSONDecodeError as err:
        raise FormatError(f"{path}: not valid JSON ({err})") from None
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not UTF-8 text, so not JSON (byte {err.start})") from None
    except RecursionError:
        raise FormatError(f"{path}: JSON nested too deeply to be a pose file") from None


def _parse_lines(path: Path, text: str, raw: bytes) -> JsonLines:
    """Every non-blank line of ``text`` (``raw``, the file's bytes, decoded) as one JSON value, with the file's
    :func:`text_style`; FormatError naming the first line that is not one."""
    values = JsonLines()
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise FormatError(f"{path}: line {number} is not one JSON value ({err.msg} at column {err.colno}); "
                                  "JSON Lines are read as one JSON value per line") from None
    if not values:
        raise FormatError(f"{path}: no JSON value on any line")
    values.style = _line_style(raw[:raw.find(b"\n") + 1] or raw)  # from the bytes read: the file is not opened again
    return values


def lines_extra(content: Any) -> dict:
    """``{JSON_LINES: True}`` for a reader's ``extra`` when ``content`` came from JSON Lines (with
    ``LINES_STYLE``: its :func:`text_style` when saved with CRLF or a BOM), else {}."""
    if not isinstance(content, JsonLines):
        return {}
    return {JSON_LINES: True, **({LINES_STYLE: dict(content.style)} if content.style else {})}


def write_json(path: Path, obj: Any, data: PoseData) -> None:
    """Write ``obj`` to ``path`` atomically: one value per line (JSON Lines) when ``obj`` is a list and
    the source was JSON Lines (``data.extra``) or ``path`` is a ``.jsonl``, else as one JSON value. Lines
    are saved as the source's were (CRLF, a BOM: ``LINES_STYLE``), else LF without a BOM."""
    lines = isinstance(obj, list) and (data.extra.get(JSON_LINES) or path.suffix.lower() == ".jsonl")
    options = text_options(data.extra.get(LINES_STYLE)) if lines else {"encoding": "utf-8"}
    with atomic_path(path) as tmp, open(tmp, "w", **options) as f:
        if lines:
            f.writelines(json.dumps(value) + "\n" for value in obj)
        else:
            json.dump(obj, f)


def numpy_failure(err: Exception) -> str:
    """Why NumPy could not load a file, in one line, without its advice to load pickles: synsp
    never unpickles (``allow_pickle=False``), whatever the file says."""
    text = " ".join(str(err).split())
    if "pickle" in text.lower():
        return "it holds pickled Python objects, which synsp does not load"
    return f"{type(err).__name__}: {text[:160]}"


def load_numpy(path: Path) -> np.ndarray | dict[str, np.ndarray]:
    """A ``.npy`` array or every member of a ``.npz`` (read now: an npz reads lazily, and a
    corrupt member must fail here, as one line), never unpickling; ValueError otherwise."""
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic != b"\x93NUMPY" and not magic.startswith(b"PK"):  # .npy header / zip (npz)
        raise ValueError(f"{path}: not a NumPy .npy/.npz file")
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.ndarray):
            with loaded as npz:
                loaded = {name: npz[name] for name in npz.files}
    except Exception as err:  # corrupt zip / header, object arrays: many exception types
        raise ValueError(f"{path}: not a readable NumPy .npy/.npz file ({numpy_failure(err)})") from None
    if isinstance(loaded, dict) and any(not isinstance(a, np.ndarray) for a in loaded.values()):
        name = next(n for n, a in loaded.items() if not isinstance(a, np.ndarray))
        raise ValueError(f"{path}: member {name!r} of the .npz is not a NumPy array")
    return loaded


def first_entry(obj: Any) -> Any:
    """The first entry of a JSON list that is not null or empty (None if there is none):
    what tells one per-frame JSON format from another."""
    if not isinstance(obj, list):
        return None
    return next((item for item in obj if item is not None and item != []), None)


def inner_entry(obj: Any) -> Any:
    """The first non-null item inside :func:`first_entry` when that is itself a list (a frame
    of persons, a person of landmarks), else None: the next level a sniffer looks at."""
    first = first_entry(obj)
    return next((item for item in first if item is not None), None) if isinstance(first, list) else None


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


def scores_to_missing(poses: np.ndarray, scores: np.ndarray, threshold: float, steady: bool = True) -> np.ndarray:
    """Mark low-confidence joints missing: NaN where ``score < threshold`` (or score is NaN); with ``steady``, a joint
    scored below ``threshold`` in most of its frames is read against its own level
    (:func:`synsp.score_levels.measured_by_score`).

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
        raise ShapeError(f"poses must be a float array (..., T, J, C), got {poses.dtype} {poses.shape}")
    if scores.shape != poses.shape[:-1]:
        raise ShapeError(f"scores must have shape {poses.shape[:-1]} (poses without C), got {scores.shape}")
    out = poses.copy()
    # NaN scores compare False, so they count as missing; a steadily low-scored joint is still measured
    low = ~measured_by_score(scores, threshold, np.isfinite(poses).all(-1)) if steady else ~(scores >= threshold)
    out[low] = np.nan
    return out


def text_style(path: Path) -> dict:
    """How a text file was saved, for its writer to save it alike: ``{"newline": "\\r\\n"}`` when its
    first line ends in CRLF (Windows: Pose2Sim's TRC, pandas' ``to_csv``), ``{"bom": True}`` when it
    starts with UTF-8's BOM (Excel's "CSV UTF-8"); {} for LF without a BOM."""
    with open(path, "rb") as f:
        return _line_style(f.readline())


def _line_style(first: bytes) -> dict:
    """:func:`text_style` of a file whose first line, with its line break, is ``first``."""
    return {**({"bom": True} if first.startswith(b"\xef\xbb\xbf") else {}),
            **({"newline": "\r\n"} if first.endswith(b"\r\n") else {})}


def text_options(style: dict | None) -> dict:
    """``open(..., "w")`` keywords that save text joined by ``"\\n"`` as ``style`` says (:func:`text_style`,
    kept in a reader's ``extra[format]``): its line endings and BOM, else LF and no BOM."""
    style = style or {}
    return {"encoding": "utf-8-sig" if style.get("bom") else "utf-8", "newline": style.get("newline", "\n")}


def given_rate(data: PoseData, fps: float) -> PoseData:
    """``data`` at the rate ``fps`` a user gave for it (``synsp refine --fps``), which overrides the file's own:
    where the file records another rate, its reader's frame times (``extra[format]["times"]``: a TRC's Time
    column, a CSV's) are rescaled to it, so that each frame keeps its number and the times agree with the rate;
    ``extra["file_fps"]`` keeps the file's rate and ``extra["notes"]`` gains a line saying so (the writers record
    ``fps``)."""
    data.fps, before = float(fps), data.fps
    if before is None or np.isclose(before, data.fps, rtol=1e-9):
        return data
    data.extra["file_fps"] = before
    note = f"fps: {data.fps:g} as given, not the {before:g} the file records; refined and written at {data.fps:g}"
    data.extra["notes"] = [*data.extra.get("notes", []), note]  # synsp refine's summary says it
    own = data.extra.get(data.format)
    if isinstance(own, dict) and own.get("times") is not None:
        own["times"] = (np.asarray(own["times"], dtype=np.float64) * (before / data.fps)).tolist()
        own.pop("time_texts", None)  # the times as the file wrote them no longer hold
    return data
