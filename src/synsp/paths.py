"""Where synsp finds shared data, keeps its caches and writes files (atomically).

The project never downloads data: the real mocap and estimator outputs live in a
read-only ``shared/data`` folder beside the project (``../shared/data`` from the
project root), or wherever ``SYNSP_DATA`` points.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """Return the folder holding ``bandai-namco/`` and ``mediapipe-sports2d/``.

    Order: ``$SYNSP_DATA``; then ``../shared/data`` from the working directory and from
    every parent of the installed package (covers editable installs and clones).
    Raises ``FileNotFoundError`` naming the places looked at.
    """
    env = os.environ.get("SYNSP_DATA")
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            return path
        raise FileNotFoundError(f"SYNSP_DATA={env} is not a folder")
    candidates = [Path.cwd() / ".." / "shared" / "data"]
    candidates += [parent / ".." / "shared" / "data" for parent in _PACKAGE_DIR.parents]
    for candidate in candidates:
        if (candidate / "bandai-namco").is_dir():
            return candidate.resolve()
    raise FileNotFoundError(
        "shared data not found: set SYNSP_DATA or place it at ../shared/data "
        f"(looked in {', '.join(str(c.resolve()) for c in candidates[:3])}, ...)"
    )


def cache_dir() -> Path:
    """Return (and create) the cache folder: ``$SYNSP_CACHE`` or ``~/.cache/synsp``."""
    path = Path(os.environ.get("SYNSP_CACHE", Path.home() / ".cache" / "synsp")).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource(name: str) -> Path:
    """Path of a file shipped inside the package (split lists, default models)."""
    return _PACKAGE_DIR / "resources" / name

@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    The temporary file keeps the target's suffix so writers that choose a format by
    extension (``np.savez``, ``torch.save``, PIL) still work. On error it is removed and
    the target is left untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _new_file_mode())  # mkstemp makes 0600; a written file gets the usual mode
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
