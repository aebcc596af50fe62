"""SMPL parameter files (``.npz``): joint rotations as AMASS and SMPL-based estimators write them.

Arrays read (never unpickled: ``allow_pickle=False``):

- ``poses``: (T, 3K) or (T, K, 3) axis-angle rotations in radians, K = 24 (SMPL: VIBE, PARE,
  4D-Humans, WHAM), 22 (body only) or 52 (SMPL-H, AMASS: 22 body + 2 x 15 finger joints);
  joint 0 is the global orientation;
- ``trans`` (or ``transl``): (T, 3) root translation in metres, optional (zeros);
- ``mocap_framerate`` or ``fps``: frames per second, optional (``synsp refine --fps``);
- everything else (``betas``, ``gender``, ...) is kept and written back untouched.

No SMPL body model is used or shipped (its licence forbids it): joint positions, for metrics
and for the pose-file view (:func:`read`), come from a template skeleton, the SMPL *neutral*
body's rest-pose joint locations (its joint regressor applied to its template mesh, metres,
Y up, facing +Z, the body's left on +X). The 22 body joints' numbers are those published with
the SMPL humanoid models of the physics-based character work built on SMPL (e.g. the
``smpl_humanoid`` assets of PHC / smpl_sim, Luo et al. 2023); the two SMPL hand joints are
placed 8.7 cm beyond the wrists along the arm, as in the SMPL rest pose. Shape (``betas``) is
ignored: positions are those of an average body. SMPL-H finger joints are refined as rotations
but have no length in the template, so they add no positions.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.posedata import PoseData
from synsp.rotations import axis_angle_from_matrix, matrix_from_axis_angle

MM_PER_M = 1000.0

SMPL_JOINTS = ("pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
               "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
               "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
               "left_hand", "right_hand")
SMPL_PARENTS = np.array([-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])
# Rest-pose joint locations of the neutral SMPL body, metres (module docstring for the source).
SMPL_REST = np.array([
    [-0.0018, -0.2233, 0.0282], [0.0677, -0.3147, 0.0214], [-0.0695, -0.3139, 0.0239], [-0.0043, -0.1144, 0.0015],
    [0.1020, -0.6899, 0.0169], [-0.1078, -0.6964, 0.0150], [0.0012, 0.0208, 0.0026], [0.0884, -1.0879, -0.0268],
    [-0.0920, -1.0948, -0.0273], [0.0026, 0.0737, 0.0280], [0.1148, -1.1437, 0.0925], [-0.1174, -1.1430, 0.0961],
    [-0.0002, 0.2876, -0.0148], [0.0815, 0.1955, -0.0060], [-0.0791, 0.1926, -0.0106], [0.0050, 0.3526, 0.0365],
    [0.1724, 0.2260, -0.0149], [-0.1752, 0.2251, -0.0197], [0.4320, 0.2132, -0.0424], [-0.4289, 0.2118, -0.0411],
    [0.6813, 0.2222, -0.0435], [-0.6842, 0.2196, -0.0467], [0.7680, 0.2160, -0.0530], [-0.7709, 0.2134, -0.0562],
])
_BODY = 22  # joints of every SMPL family body (SMPL-H / SMPL-X share them)
_FINGERS = 15  # per hand, SMPL-H


def sniff(content) -> bool:
    """An npz holding ``poses`` with a translation or shape: SMPL parameters."""
    return isinstance(content, set) and "poses" in content and bool({"trans", "transl", "betas"} & content)


def template(n_joints: int) -> tuple[np.ndarray, np.ndarray]:
    """Parents (K,) and rest offsets from the parent (K, 3) in metres of a K-joint SMPL-family skeleton."""
    if n_joints in (_BODY, len(SMPL_JOINTS)):
        parents = SMPL_PARENTS[:n_joints]
    elif n_joints == _BODY + 2 * _FINGERS:  # SMPL-H: fingers hang (with no length) from the wrists
        parents = np.concatenate([SMPL_PARENTS[:_BODY], np.full(_FINGERS, 20), np.full(_FINGERS, 21)])
    else:
        raise ValueError(f"poses have {n_joints} joints; SMPL files have 24 (SMPL), 22 (body) or 52 (SMPL-H)")
    rest = np.concatenate([SMPL_REST[:_BODY], np.repeat(SMPL_REST[[20, 21]], _FINGERS, axis=0)])[:n_joints] \
        if n_joints == _BODY + 2 * _FINGERS else SMPL_REST[:n_joints]
    offsets = rest - np.where(parents[:, None] >= 0, rest[np.maximum(parents, 0)], 0.0)
    return parents, offsets


def _load(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except ValueError as err:
        if "pickle" in str(err).lower():
            raise ValueError(f"{path}: holds pickled objects, which synsp never loads; save plain arrays") from None
        raise ValueError(f"{path}: not a readable .npz ({err})") from None


def read_motion(path: str | os.PathLike, fps: float | None = None) -> JointMotion:
    """Read SMPL parameters as joint rotations (:class:`~synsp.formats.motion.JointMotion`) on the template skeleton."""
    path = Path(path)
    arrays = _load(path)
    if "poses" not in arrays:
        raise ValueError(f"{path}: no 'poses' array; an SMPL file has poses (T, 72) and trans (T, 3)")
    poses = np.asarray(arrays["poses"], dtype=np.float64)
    if poses.ndim == 2 and poses.shape[1] % 3 == 0:
        poses = poses.reshape(len(poses), -1, 3)
    if poses.ndim != 3 or poses.shape[-1] != 3 or len(poses) == 0:
        raise ValueError(f"{path}: poses must be (T, 72) or (T, 24, 3) axis-angle, got shape {arrays['poses'].shape}")
    if not np.isfinite(poses).all():
        raise ValueError(f"{path}: poses hold NaN or inf values")
    key = "trans" if "trans" in arrays else "transl" if "transl" in arrays else None
    trans = np.zeros((len(poses), 3)) if key is None else np.asarray(arrays[key], dtype=np.float64)
    if trans.shape != (len(poses), 3) or not np.isfinite(trans).all():
        raise ValueError(f"{path}: {key} must be (T, 3) = ({len(poses)}, 3) finite, got shape {trans.shape}")
    parents, offsets = template(poses.shape[1])
    translations = np.broadcast_to(offsets, poses.shape).copy()
    translations[:, 0] = trans + SMPL_REST[0]  # the global orientation turns the body about the pelvis
    rate = fps or next((float(np.asarray(arrays[k]).reshape(-1)[0]) for k in ("mocap_framerate", "fps")
                        if k in arrays and np.asarray(arrays[k]).size == 1), 30.0)
    names = SMPL_JOINTS[:_BODY] + tuple(f"finger_{i}" for i in range(poses.shape[1] - _BODY)) \
        if poses.shape[1] != len(SMPL_JOINTS) else SMPL_JOINTS
    animated = np.zeros(len(parents), bool)
    animated[0] = True
    return JointMotion(names=names, parents=parents, rotations=matrix_from_axis_angle(poses),
                       translations=translations, animated=animated, fps=rate, mm_per_unit=MM_PER_M, format="smpl",
                       source={"arrays": arrays, "trans_key": key})


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
