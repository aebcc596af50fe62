"""Where synsp finds shared data and keeps its caches.

The project never downloads data: the real mocap and estimator outputs live in a
read-only ``shared/data`` folder beside the project (``../shared/data`` from the
project root), or wherever ``SYNSP_DATA`` points.
"""
from __future__ import annotations

import os
from pathlib import Path

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
