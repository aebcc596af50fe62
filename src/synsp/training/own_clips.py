"""Training on clean clips of your own (``[data] own_clips``) instead of the Bandai split's.

The clips are what the Bandai loader gives (:func:`synsp.data.mocap.load_clip`): world joint
positions (T, J, 3) in millimetres, Y up, at 30 fps, in the run's ``[data] layout``; one
``.npy`` array per clip, or an ``.npz`` holding it under ``poses`` (or as its only array).
Errors are simulated on them as on the mocap (:class:`synsp.training.pairs.TrainingPairs`).
The validation clips are ``own_val_clips``, or a share of ``own_clips`` drawn with
``own_split_seed`` (the same files for the same folder and seed, on any machine: the draw is
over the sorted names).
"""
from __future__ import annotations

import glob
from pathlib import Path

import numpy as np

from synsp.config import DataConfig
from synsp.errors import InputFileError, InputNotFoundError, OptionError, ShapeError
from synsp.sequence import mm_per_unit
from synsp.skeleton import get_layout

SUFFIXES = (".npy", ".npz")


def clip_files(pattern: str) -> list[Path]:
    """The ``.npy``/``.npz`` files of a folder or a glob, sorted; ``InputNotFoundError`` if none."""
    path = Path(pattern)
    found = sorted(path.glob("*")) if path.is_dir() else sorted(Path(p) for p in glob.glob(pattern, recursive=True))
    files = [p for p in found if p.suffix.lower() in SUFFIXES and p.is_file()]
    if not files:
        raise InputNotFoundError(f"[data] own clips {pattern!r}: no .npy or .npz file there")
    return files


def load_own_clip(path: Path, layout: str) -> np.ndarray:
    """One clean clip (T, J, 3) float32 in mm; a one-line error naming the file if it is not one."""
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise InputFileError(f"{path}: not a numpy array file ({' '.join(str(err).split())[:120]})") from None
    if isinstance(data, np.lib.npyio.NpzFile):
        with data:
            keys = list(data.keys())
            if "poses" not in keys and len(keys) != 1:
                raise InputFileError(f"{path}: an .npz of several arrays {keys} and none called 'poses'")
            data = data["poses" if "poses" in keys else keys[0]]
    clip = np.asarray(data)
    joints = len(get_layout(layout).joints)
    if clip.ndim != 3 or clip.shape[1:] != (joints, 3) or len(clip) < 3:
        raise ShapeError(f"{path}: a clean clip must be (T, {joints}, 3) with T >= 3 ({layout} joints in mm), "
                         f"got shape {clip.shape}")
    if not np.issubdtype(clip.dtype, np.number) or not np.isfinite(clip).all():
        bad = np.argwhere(~np.isfinite(clip.astype(np.float64)))[0][:2] if np.issubdtype(clip.dtype, np.number) \
            else None
        where = f" (frame {bad[0]}, joint {bad[1]})" if bad is not None else ""
        raise ShapeError(f"{path}: a clean clip must hold a number for every joint in every frame{where}")
    unit = mm_per_unit(clip)
    if unit != 1.0:
        raise ShapeError(f"{path}: the body measures as if in {'metres' if unit == 1000 else 'centimetres'}; "
                         f"training clips are in millimetres (multiply by {unit:g})")
    return clip.astype(np.float32)


def own_clips(config: DataConfig) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(train, validation) clips of ``config.own_clips``: {file path: (T, J, 3) mm}, in sorted order."""
    if config.space == "rotation":
        raise OptionError("[data] own_clips: clips of joint positions; space 'rotation' trains on the mocap's SMPL "
                          "rotations")
    for name, value in (("input_layouts", config.input_layouts), ("dataset_weights", config.dataset_weights)):
        if value:
            raise OptionError(f"[data] {name} is about the Bandai mocap; not for own_clips")
    files = clip_files(config.own_clips)
    if config.own_val_clips:
        val_files = clip_files(config.own_val_clips)
        shared = sorted(set(files) & set(val_files))
        if shared:
            raise OptionError(f"[data] own_val_clips: {shared[0]} is a training clip too")
    else:
        if not 0 < config.own_val_share < 1:
            raise OptionError(f"[data] own_val_share must be in (0, 1), got {config.own_val_share}")
        n_val = max(1, int(round(config.own_val_share * len(files))))
        if len(files) - n_val < 1:
            raise OptionError(f"[data] own_clips {config.own_clips!r}: {len(files)} file(s); at least 2 are needed "
                              "(one to train on, one to validate on), or give own_val_clips")
        picked = set(np.random.default_rng(config.own_split_seed).choice(len(files), n_val, replace=False).tolist())
        val_files = [f for i, f in enumerate(files) if i in picked]
        files = [f for i, f in enumerate(files) if i not in picked]
    return ({str(f): load_own_clip(f, config.layout) for f in files},
            {str(f): load_own_clip(f, config.layout) for f in val_files})
