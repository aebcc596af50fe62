"""SMPL parameter files (``.npz``): joint rotations as AMASS and SMPL-based estimators write them.

Arrays read (never unpickled: ``allow_pickle=False``):

- ``poses``: (T, 3K) or (T, K, 3) axis-angle rotations in radians, K = 24 (SMPL: VIBE, PARE,
  4D-Humans, WHAM), 22 (body only), 52 (SMPL-H, AMASS: 22 body + 2 x 15 finger joints) or 55
  (SMPL-X, AMASS's SMPL-X release: 22 body + jaw and eyes + 2 x 15 finger joints); joint 0 is
  the global orientation;
- ``trans`` (or ``transl``): (T, 3) root translation in metres, optional (zeros);
- ``mocap_framerate`` (``mocap_frame_rate`` in SMPL-X files) or ``fps``: frames per second,
  optional (``synsp refine --fps``);
- everything else (``betas``, ``gender``, ...) is kept and written back untouched.

No SMPL body model is used or shipped (its licence forbids it): joint positions, for metrics
and for the pose-file view (:func:`read`), come from the template skeleton of
:mod:`synsp.smpl_template`. Shape (``betas``) is ignored: positions are those of an average
body. SMPL-H and SMPL-X finger, jaw and eye joints are refined as rotations but have no length
in the template.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.posedata import PoseData, load_numpy
from synsp.rotations import axis_angle_from_matrix, matrix_from_axis_angle
from synsp.smpl_template import JOINT_COUNTS, SMPL_REST, joint_names, template

MM_PER_M = 1000.0
_RATE_KEYS = ("mocap_framerate", "mocap_frame_rate", "fps")  # AMASS SMPL-H, AMASS SMPL-X, others


def sniff(content) -> bool:
    """An npz holding ``poses`` with a translation or shape: SMPL parameters."""
    return isinstance(content, set) and "poses" in content and bool({"trans", "transl", "betas"} & content)


def _load(path: Path) -> dict[str, np.ndarray]:
    loaded = load_numpy(path)
    if isinstance(loaded, np.ndarray):
        raise ValueError(f"{path}: a single array, not an SMPL parameter .npz (poses, trans, betas)")
    for key, array in loaded.items():
        if key in ("poses", "trans", "transl", "mocap_framerate", "fps") and not (
                np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
            raise ValueError(f"{path}: {key!r} must hold real numbers, got {array.dtype}")
    return loaded


def read_motion(path: str | os.PathLike, fps: float | None = None) -> JointMotion:
    """Read SMPL parameters as joint rotations (:class:`~synsp.formats.motion.JointMotion`) on the template skeleton."""
    path = Path(path)
    arrays = _load(path)
    if "poses" not in arrays:
        raise ValueError(f"{path}: no 'poses' array; an SMPL file has poses (T, 72) and trans (T, 3)")
    key = "trans" if "trans" in arrays else "transl" if "transl" in arrays else None
    rate = fps or next((float(np.asarray(arrays[k]).reshape(-1)[0]) for k in _RATE_KEYS
                        if k in arrays and np.asarray(arrays[k]).size == 1), 30.0)
    motion = smpl_motion(arrays["poses"], None if key is None else arrays[key], rate, where=str(path), trans_key=key)
    motion.source = {"arrays": arrays, "trans_key": key}
    return motion


def smpl_motion(poses: np.ndarray, trans: np.ndarray | None = None, fps: float = 30.0, *, where: str = "poses",
                trans_key: str = "trans") -> JointMotion:
    """SMPL parameters as joint rotations on the template skeleton: ``poses`` (T, 3K) or (T, K, 3)
    axis-angle in radians, or (T, K, 3, 3) rotation matrices, K = 22, 24, 52 or 55 (module
    docstring); ``trans`` (T, 3) root translation in metres (None: zeros); ``fps`` frames per
    second. ``where`` and ``trans_key`` name the arrays in errors."""
    poses = np.asarray(poses)
    shape = poses.shape
    if not (np.issubdtype(poses.dtype, np.integer) or np.issubdtype(poses.dtype, np.floating)):
        raise ValueError(f"{where}: poses must hold real numbers, got {poses.dtype}")
    poses = poses.astype(np.float64)
    if poses.ndim == 2 and poses.shape[1] % 3 == 0:
        poses = poses.reshape(len(poses), -1, 3)
    matrices = poses.ndim == 4 and poses.shape[-2:] == (3, 3)
    if not (matrices or poses.ndim == 3 and poses.shape[-1] == 3) or len(poses) == 0:
        raise ValueError(f"{where}: poses must be (T, 72) or (T, 24, 3) axis-angle or (T, 24, 3, 3) matrices, "
                         f"got shape {shape}")
    if poses.shape[1] not in JOINT_COUNTS:
        raise ValueError(f"{where}: poses of {poses.shape[1]} joints; SMPL has 24 (22 body only, 52 SMPL-H, "
                         f"55 SMPL-X), got shape {shape}")
    if not np.isfinite(poses).all():
        raise ValueError(f"{where}: poses hold NaN or inf values")
    trans = np.zeros((len(poses), 3)) if trans is None else np.asarray(trans, dtype=np.float64)
    if trans.shape != (len(poses), 3) or not np.isfinite(trans).all():
        raise ValueError(f"{where}: {trans_key} must be (T, 3) = ({len(poses)}, 3) finite, got shape {trans.shape}")
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"{where}: the frame rate must be a positive number, got {fps!r}")
    parents, offsets = template(poses.shape[1])
    translations = np.broadcast_to(offsets, (len(poses), *offsets.shape)).copy()
    translations[:, 0] = trans + SMPL_REST[0]  # the global orientation turns the body about the pelvis
    animated = np.zeros(len(parents), bool)
    animated[0] = True
    return JointMotion(names=joint_names(poses.shape[1]), parents=parents,
                       rotations=poses if matrices else matrix_from_axis_angle(poses), translations=translations,
                       animated=animated, fps=float(fps), mm_per_unit=MM_PER_M, format="smpl")


def write_motion(path: str | os.PathLike, motion: JointMotion) -> None:
    """Write a :class:`~synsp.formats.motion.JointMotion` read from an SMPL file back as one:
    ``poses`` (axis-angle, the source's shape and dtype) and the translation from the motion,
    every other array as the source had it. Atomic."""
    from synsp.paths import atomic_path

    source = motion.source
    if not isinstance(source, dict) or "arrays" not in source:
        raise ValueError(f"{path}: only a motion read from an SMPL file can be written as one")
    arrays = dict(source["arrays"])
    old = arrays["poses"]
    arrays["poses"] = axis_angle_from_matrix(motion.rotations).reshape(old.shape).astype(old.dtype)
    if source["trans_key"] is not None:
        old = arrays[source["trans_key"]]
        arrays[source["trans_key"]] = (motion.translations[:, 0] - SMPL_REST[0]).astype(old.dtype)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)


def read(path: Path, fps: float | None = None) -> PoseData:
    """Read an SMPL file's joint positions on the template skeleton (module docstring).

    Returns
    -------
    PoseData
        ``poses`` (1, T, K, 3) millimetres, world frame of the file (Y up for AMASS after its
        usual rotation; as written otherwise), ``extra["smpl"]["joints"]`` the names.
    """
    motion = read_motion(path, fps=fps)
    return PoseData(poses=motion.positions()[None], fps=motion.fps, format="smpl",
                    extra={"smpl": {"joints": list(motion.names)}})
