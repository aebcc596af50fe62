"""Reading an SMPL npz without unpickling anything: the arrays NumPy reads with ``allow_pickle=False``, and the
members it cannot (object arrays, AMASS's ``gender`` in some releases) kept as raw bytes, written back verbatim
(:func:`save_arrays`)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from synsp.formats.posedata import load_numpy, numpy_failure


def _pickled_members(path: Path) -> tuple[dict[str, np.ndarray], dict[str, bytes]]:
    """The arrays of an npz that NumPy reads without unpickling, and the zip members it cannot
    (object arrays, AMASS's ``gender`` in some releases) as their raw bytes, never unpickled:
    written back verbatim (:func:`synsp.formats.smpl.write_motion`). ValueError if the zip itself is unreadable."""
    import zipfile

    arrays, raw = {}, {}
    try:
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                data = z.read(member)
                try:
                    arrays[member.removesuffix(".npy")] = np.lib.format.read_array(io.BytesIO(data),
                                                                                   allow_pickle=False)
                except ValueError as err:
                    if "pickle" not in str(err).lower():
                        raise
                    raw[member] = data
    except Exception as err:  # a corrupt zip or member: many exception types
        raise ValueError(f"{path}: not a readable NumPy .npz file ({numpy_failure(err)})") from None
    return arrays, raw


def load_arrays(path: Path, numeric: tuple[str, ...]) -> tuple[dict[str, np.ndarray], dict[str, bytes]]:
    """An SMPL npz's arrays, and the members NumPy would have to unpickle as raw bytes (:func:`_pickled_members`);
    ValueError naming the array when one of ``numeric`` (poses, translations, rates) is pickled or not numbers."""
    try:
        loaded, raw = load_numpy(path), {}
    except ValueError as err:
        if "pickled" not in str(err) or not zipfile_like(path):
            raise
        loaded, raw = _pickled_members(path)
    if isinstance(loaded, np.ndarray):
        raise ValueError(f"{path}: a single array, not an SMPL parameter .npz (poses, trans, betas)")
    for member in raw:
        key = member.removesuffix(".npy")
        if key in numeric:
            raise ValueError(f"{path}: {key!r} is a pickled (object) array, which synsp does not unpickle; re-save "
                             f"it as numbers (np.savez(..., {key}=np.asarray({key}, dtype=np.float64)))")
    for key, array in loaded.items():
        if key in numeric and not (
                np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
            raise ValueError(f"{path}: {key!r} must hold real numbers, got {array.dtype}")
    return loaded, raw


def zipfile_like(path: Path) -> bool:
    """Whether ``path`` starts as a zip file (an npz) does."""
    with open(path, "rb") as f:
        return f.read(2) == b"PK"


def save_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray], raw: dict[str, bytes] | None) -> None:
    """``arrays`` as an npz at ``path``, with ``raw``'s members (those NumPy would have to unpickle) as they were."""
    from synsp.paths import atomic_path

    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        if raw:
            import zipfile

            with zipfile.ZipFile(tmp, "a") as z:
                for member, data in raw.items():
                    z.writestr(member, data)
