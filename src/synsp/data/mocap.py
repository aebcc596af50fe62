"""The Bandai Namco mocap clips as joint positions: listing, names, loading and a cache.

Clips are named by their file stem, ``dataset-{1,2}_{content}_{style}_{take}`` (e.g.
``dataset-1_walk-turn-left_not-confident_001``; contents and styles contain hyphens, never
underscores). :func:`load_clip` returns world positions in millimetres, Y up, 30 fps, in
any layout of :mod:`synsp.skeleton` that the mocap converts to (``bandai22``, ``h36m17``,
``coco17``), or that :mod:`synsp.data.mocap_layouts` places on it (``halpe26``, ``body25``,
``mediapipe33``).

Parsing and forward kinematics run once per file; the result (bandai22 positions in mm and
the Head joint's orientation, all a layout conversion needs) is cached as one ``.npz`` per
clip under ``synsp.paths.cache_dir() / "mocap"``, keyed by the BVH file's size and
modification time, so an edited file rebuilds its entry. The data is CC BY-NC 4.0.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from synsp.data.mocap_layouts import MOCAP_LAYOUTS, mocap_in_layout
from synsp.data.smplx_mocap import SMPLX_FAMILY, smplx_from_mocap
from synsp.formats.bvh import MM_PER_CM, forward_kinematics, read_bvh
from synsp.paths import atomic_path, cache_dir, data_root
from synsp.rotations.smpl_template import smpl_positions
from synsp.skeleton import BANDAI22, convert, get_layout

_CACHE_VERSION = 1  # bump when the cached arrays change meaning
_DATASETS = ("ds1", "ds2")


@dataclass(frozen=True)
class ClipInfo:
    """What a clip's name says: ``dataset-{dataset}_{content}_{style}_{take}``."""

    name: str
    dataset: int
    content: str
    style: str
    take: int


def mocap_root(root: str | os.PathLike | None = None) -> Path:
    """The folder holding ``ds1/`` and ``ds2/``: ``root``, or ``data_root() / "bandai-namco"``."""
    path = Path(root) if root is not None else data_root() / "bandai-namco"
    if not (path / "ds1").is_dir() and not (path / "ds2").is_dir():
        raise FileNotFoundError(f"root: no ds1/ or ds2/ folder in {path}")
    return path


def list_clips(root: str | os.PathLike | None = None) -> list[str]:
    """Sorted names (file stems) of every clip in ``ds1`` and ``ds2``."""
    base = mocap_root(root)
    return sorted(p.stem for d in _DATASETS if (base / d).is_dir() for p in (base / d).glob("*.bvh"))


def clip_info(name: str) -> ClipInfo:
    """Parse a clip name into dataset (1 or 2), content, style and take.

    Raises ``ValueError`` for a name not of the form ``dataset-N_content_style_take``.
    """
    parts = str(name).split("_")
    if (len(parts) != 4 or parts[0] not in ("dataset-1", "dataset-2") or not parts[3].isdigit()
            or not parts[1] or not parts[2]):
        raise ValueError(f"name: {name!r} is not a clip name like 'dataset-1_walk_normal_001'")
    return ClipInfo(name=str(name), dataset=int(parts[0][-1]), content=parts[1], style=parts[2], take=int(parts[3]))


def clip_path(name: str, root: str | os.PathLike | None = None) -> Path:
    """The ``.bvh`` file of clip ``name``; ``FileNotFoundError`` if it is missing."""
    info = clip_info(name)
    path = mocap_root(root) / f"ds{info.dataset}" / f"{name}.bvh"
    if not path.is_file():
        raise FileNotFoundError(f"name: no clip {name!r} ({path} is missing)")
    return path


def _cache_file(path: Path) -> Path:
    return cache_dir() / "mocap" / f"{path.stem}.npz"


def load_bandai(name: str, root: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """bandai22 positions (T, 22, 3) float32 mm and Head orientation (T, 3, 3) float32, cached."""
    path = clip_path(name, root)
    stat = path.stat()
    key = np.array([_CACHE_VERSION, stat.st_size, stat.st_mtime_ns], dtype=np.int64)
    cached = _cache_file(path)
    if cached.is_file():
        try:
            with np.load(cached) as z:
                if np.array_equal(z["key"], key):
                    return z["positions"], z["head_rotation"]
        except (OSError, ValueError, KeyError):
            pass  # unreadable or old-format entry: rebuild it below
    positions, rotations = _read_bandai(path)
    positions = positions.astype(np.float32)
    head_rotation = rotations[:, BANDAI22.index("Head")].astype(np.float32)
    try:
        with atomic_path(cached) as tmp:
            np.savez(tmp, key=key, positions=positions, head_rotation=head_rotation)
    except OSError as err:  # a read-only cache slows loading down but must not stop it
        warnings.warn(f"could not cache {name} in {cached.parent}: {err}", stacklevel=3)
    return positions, head_rotation


def _read_bandai(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """A Bandai BVH file's bandai22 positions (T, 22, 3) in mm and every joint's global
    orientation (T, 22, 3, 3), float64, by forward kinematics (uncached)."""
    motion = read_bvh(path)
    if motion.names != BANDAI22.joints:
        raise ValueError(f"{path}: joints {motion.names} differ from the bandai22 layout")
    positions, rotations = forward_kinematics(motion)
    return positions * MM_PER_CM, rotations


def load_clip(name: str, layout: str = "h36m17", root: str | os.PathLike | None = None) -> np.ndarray:
    """Joint positions of one clip.

    Parameters
    ----------
    name : str
        Clip name, see :func:`list_clips`.
    layout : str
        ``"bandai22"`` (native), ``"h36m17"`` or ``"coco17"`` (see :mod:`synsp.skeleton` for
        how each joint is derived), or ``"halpe26"``, ``"body25"``, ``"mediapipe33"``
        (:mod:`synsp.data.mocap_layouts`; these read the file again, uncached, for the
        orientations of the feet and hands), or ``"smpl24"``, ``"smpl22"``: the clip retargeted
        to SMPL's tree (:mod:`synsp.data.smpl_mocap`) on SMPL's template skeleton, so SMPL's own
        joint definitions and proportions (:mod:`synsp.rotations.smpl_template`), not the actor's;
        ``"smplh52"``, ``"smplx55"``, ``"smplx127"``: that SMPL body with hands (and face) rigid
        with its wrists (and head), :mod:`synsp.data.smplx_mocap`.
    root : str or PathLike, optional
        Folder holding ``ds1/`` and ``ds2/`` (default: the shared data).

    Returns
    -------
    ndarray (T, J, 3) float32
        World positions in millimetres, Y up, 30 fps.
    """
    target = get_layout(layout)
    if target.name in MOCAP_LAYOUTS:
        return mocap_in_layout(*_read_bandai(clip_path(name, root)), target)
    if target.name in SMPLX_FAMILY:  # SMPL's body, with hands (and face) rigid with its wrists (and head)
        return smplx_from_mocap(load_clip(name, "smpl22", root), load_clip(name, "mediapipe33", root), target.name)
    if target.name in ("smpl24", "smpl22"):
        from synsp.data.smpl_mocap import load_smpl_clip  # it reads the clips through this module

        return smpl_positions(*load_smpl_clip(name, root))[:, : len(target.joints)].astype(np.float32)
    positions, head_rotation = load_bandai(name, root)
    if target.name == BANDAI22.name:
        return positions
    return convert(positions, BANDAI22, target, head_rotation=head_rotation).astype(np.float32)


def load_clips(names: Iterable[str], layout: str = "h36m17", root: str | os.PathLike | None = None) -> list[np.ndarray]:
    """:func:`load_clip` for every name, in order: a list of (T_i, J, 3) float32 mm arrays."""
    if isinstance(names, str):
        raise ValueError(f"names must be a list of clip names, got the string {names!r}")
    get_layout(layout)  # fail before loading anything
    return [load_clip(n, layout=layout, root=root) for n in names]
