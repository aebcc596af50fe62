"""The table of pose-file formats (:data:`FORMATS`: name -> module, extensions, what its writer takes), one row
per format; a format's module is imported on use (:func:`format_module`), so ``import synsp`` stays light."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from synsp.errors import OptionError

__all__ = ["Format", "FORMATS", "PICKLES", "candidates", "format_module", "writable_names"]


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
    # YOLO-pose's Results.summary() JSON (its persons' keypoints an object of x, y lists), or a folder of its labels
    "ultralytics": Format("synsp.formats.ultralytics", (".json", ".jsonl"), coords=(2,)),
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


def writable_names() -> list[str]:
    """The formats a writer writes, in the table's order."""
    return [name for name, fmt in FORMATS.items() if fmt.writable]


def candidates(ext: str) -> list[str]:
    """The formats taking extension ``ext`` (".json"), in the table's order."""
    return [name for name, fmt in FORMATS.items() if ext in fmt.extensions]


def format_module(fmt: str, where: Path):
    """The module of format ``fmt`` (imported now); OptionError naming ``where`` for no format of the table."""
    if fmt not in FORMATS:
        raise OptionError(f"{where}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[fmt].module)
