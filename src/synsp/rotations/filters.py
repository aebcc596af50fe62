"""Classic smoothers on joint rotations, done on the rotation manifold (not on Euler angles).

Euler angles wrap (179 -> -179 degrees) and have gimbal lock, so a filter run on them turns
a small turn into a spin. Here any position filter of :data:`synsp.filters.FILTERS` runs on a
form of the rotations where averaging means something, chosen with ``space``:

- ``"tangent"`` (default): the log map around a local mean. Each joint's quaternions are made
  sign-continuous, their local chordal mean (a Gaussian-weighted average over ``base_sigma``
  frames, normalised) is the base point, every frame becomes the rotation vector taking the
  base to it, the filter runs on those small vectors, and the exp map takes them back.
- ``"quaternion"``: the filter runs on the sign-continuous quaternion components, then they
  are normalised (a chordal mean; close to the tangent form for small spreads).
- ``"sixd"``: the filter runs on the 6D form (Zhou et al. 2019), then Gram-Schmidt.

Which is best, measured on the mocap retargeted to SMPL with the ``3dpw-pare`` rotation
errors (``benchmarks/rotations.py``, RESULTS section 14): at each filter's best setting on
the validation split the three forms are within 0.1 mm MPJPE of each other, except One-Euro,
which is 1.1-1.2 mm better in the tangent form. The tangent form is the default.

>>> import numpy as np
>>> r = np.broadcast_to(np.eye(3), (50, 4, 3, 3))
>>> smooth_rotations(r, "gaussian").shape
(50, 4, 3, 3)
"""
from __future__ import annotations

import inspect

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.filters import FILTERS, cutoff_for
from synsp.motion_pace import paced_rate, turning_pace
from synsp.rotations.conversions import (
    matrix_from_quaternion,
    matrix_from_sixd,
    quaternion_conjugate,
    quaternion_continuous,
    quaternion_exp,
    quaternion_from_matrix,
    quaternion_log,
    quaternion_multiply,
    sixd_from_matrix,
)

__all__ = ["SPACES", "ROTATION_DEFAULT", "ROTATION_PACE", "JOINT_PACE", "ROTATION_SETTINGS", "at_frame_rate",
           "default_filter_rate", "smooth_rotations", "smooth_at_joint_pace", "refine_rotations", "refine_root"]

SPACES = ("tangent", "quaternion", "sixd")
# The filter ``synsp refine`` uses on rotation files unless told otherwise: the Butterworth's
# best setting and form on the validation split, where it ties with the Gaussian
# (benchmarks/rotations.py, RESULTS section 14); its cut-off is in Hz, so 60 and 120 fps
# mocap are smoothed alike.
ROTATION_DEFAULT: tuple[str, dict] = ("butterworth", {"cutoff": 4.0, "order": 4, "space": "quaternion"})
# Motion faster than this pace (synsp.motion_pace, measured on the joint positions
# after forward kinematics at 30 fps) gets the default filter in stretched time, its cut-off
# raised in proportion: the 4 Hz were chosen on the mocap's pace. Chosen on the validation split
# (RESULTS section 14, "Fast motion"): the lowest threshold whose cost on the mocap's own pace
# stays within 1 % (0.3 before motion_pace trimmed its steps, which reads the validation
# clips' SMPL motion 0.94 times as fast). The rotation network follows the same pace
# (synsp.inference.rotation_refiner; chosen again for it on the validation split, section 14).
ROTATION_PACE = 0.282
# After a rotation network the filter's cut-off rises, joint by joint, with how fast the joint
# turns above this many degrees per 4 frames (synsp.motion_pace.turning_pace): at the body's
# cut-off, arms and legs (9-15 degrees per 4 frames on the mocap, the trunk 2-4) lost enough of
# their turning that their angles ended further from the truth than the input's. Chosen on the
# validation split (the mocap's own BVH tree, 20 clips, at 1 and 2 x its pace; RESULTS section
# 14): the highest of 4, 8, 12 and 16 that leaves the limbs' angle error below the input's.
JOINT_PACE = 12.0
# Each other filter's setting on joint rotations (``synsp refine x.bvh y.bvh --method F``), at 30 fps
# (windows and widths in frames follow the file's rate: at_frame_rate). The filters' own defaults
# were chosen for joint positions (SmoothNet's comparisons) and left a BVH's angles further from
# the truth than the input's (Savitzky-Golay's 31 frames, a second at 30 fps, flattens a step).
# Chosen on 15 Bandai Namco ds2 clips at 30 fps with an animator's noise (benchmarks/
# rotation_filter_defaults.py --choose; RESULTS section 14, "Named filters on rotations"): the
# lowest mean angle error of each grid; the median keeps its own 5 frames (within 1 % of the best).
ROTATION_SETTINGS: dict[str, dict] = {
    "savgol": {"window": 11, "order": 2},
    "gaussian": {"sigma": 1.5, "window": 31},
    "one-euro": {"min_cutoff": 0.6, "beta": 1.0},  # beta per radian/s (tangent space); the root: body size
    "median": {"window": 5},
    "hampel": {"window": 7, "n_sigma": 2.0},
}


def default_filter_rate(positions: np.ndarray, fps: float) -> float:
    """The frame rate to run :data:`ROTATION_DEFAULT` at on a motion recorded at ``fps`` whose
    joint positions after forward kinematics are ``positions`` (T, J, 3): ``fps`` itself, or
    lower where the motion is faster than :data:`ROTATION_PACE`, which raises the filter's
    cut-off by ``fps / rate``."""
    return paced_rate(positions, fps, (TRAINING_FPS, TRAINING_FPS), pace=ROTATION_PACE)


def at_frame_rate(options: dict, fps: float) -> dict:
    """``options`` of a filter chosen at 30 fps, for a motion at ``fps``: ``window`` (odd, frames)
    and ``sigma`` (frames) scaled to span the same time; cut-offs in Hz stay as they are."""
    factor = float(fps) / TRAINING_FPS
    out = dict(options)
    if "window" in out:
        out["window"] = max(3, 2 * int(round((out["window"] * factor - 1) / 2)) + 1)
    if "sigma" in out:
        out["sigma"] = out["sigma"] * factor
    return out


def _filter(method: str, options: dict):
    """The filter called ``method`` and the options it takes (``fps`` dropped for filters without one)."""
    if method not in FILTERS:
        raise ValueError(f"unknown rotation filter {method!r}; choose from {', '.join(FILTERS)} "
                         "(the networks refine positions, not rotations)")
    fn = FILTERS[method]
    if "fps" in options and "fps" not in inspect.signature(fn).parameters:
        options = {k: v for k, v in options.items() if k != "fps"}  # the file's rate, for filters that use one
    return fn, options


def _local_mean(q: np.ndarray, sigma: float) -> np.ndarray:
    """Normalised Gaussian-weighted mean of sign-continuous quaternions (T, J, 4) over ``sigma`` frames."""
    from scipy.ndimage import gaussian_filter1d

    mean = gaussian_filter1d(q, sigma, axis=0, mode="nearest") if sigma > 0 else q
    return mean / np.linalg.norm(mean, axis=-1, keepdims=True)


def smooth_rotations(rotations: np.ndarray, method: str = "gaussian", *, space: str = "tangent",
                     base_sigma: float = 4.0, **options) -> np.ndarray:
    """Smooth a sequence of joint rotations over time with a position filter, on the manifold.

    Parameters
    ----------
    rotations : ndarray (T, J, 3, 3) rotation matrices or (T, J, 4) unit quaternions (w first).
    method : a name of :data:`synsp.filters.FILTERS` ("gaussian", "savgol", "one-euro",
        "butterworth", "median", "hampel", "identity").
    space : "tangent", "quaternion" or "sixd" (module docstring).
    base_sigma : width in frames of the local mean the tangent space is taken at ("tangent").
    **options : the filter's options (``sigma=``, ``window=``, ``fps=``...). One-Euro's
        ``beta`` is per radian/s in the tangent space (per unit/s of the components otherwise).

    Returns
    -------
    ndarray, the shape and form of ``rotations`` (quaternions come back sign-continuous over time).
    """
    fn, options = _filter(method, options)
    if space not in SPACES:
        raise ValueError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
    r = np.asarray(rotations, dtype=np.float64)
    is_matrix = r.ndim == 4 and r.shape[-2:] == (3, 3)
    if not is_matrix and not (r.ndim == 3 and r.shape[-1] == 4):
        raise ValueError(f"rotations must be (T, J, 3, 3) matrices or (T, J, 4) quaternions, got shape {r.shape}")
    if 0 in r.shape or not np.isfinite(r).all():
        raise ValueError(f"rotations must be non-empty and finite, got shape {r.shape}"
                         f"{'' if 0 in r.shape else ' with NaN or inf values'}")
    if space == "sixd":
        matrices = r if is_matrix else matrix_from_quaternion(r)
        out = matrix_from_sixd(fn(sixd_from_matrix(matrices), **options))
        return out if is_matrix else quaternion_continuous(quaternion_from_matrix(out))
    q = quaternion_continuous(quaternion_from_matrix(r) if is_matrix else r)
    if space == "quaternion":
        out = fn(q, **options)
        out = out / np.linalg.norm(out, axis=-1, keepdims=True)
    else:
        base = _local_mean(q, base_sigma)
        deviation = quaternion_log(quaternion_multiply(quaternion_conjugate(base), q))  # (T, J, 3) radians
        out = quaternion_multiply(base, quaternion_exp(fn(deviation, **options)))
    out = quaternion_continuous(out)
    return matrix_from_quaternion(out) if is_matrix else out


def smooth_at_joint_pace(rotations: np.ndarray, method: str, *, cutoff: float, fps: float,
                         recorded_fps: float | None = None, **options) -> np.ndarray:
    """:func:`smooth_rotations` by a filter with a cut-off in Hz (``cutoff`` at ``fps``), each
    joint's cut-off raised by how far its turning pace (:func:`synsp.motion_pace.turning_pace`,
    read as at 30 fps from ``rotations`` recorded at ``recorded_fps``, None: ``fps``) is above
    :data:`JOINT_PACE`, up to the highest ``fps`` allows. ``rotations`` (T, J, 3, 3)."""
    r = np.asarray(rotations, dtype=np.float64)
    turning = turning_pace(r) * (fps if recorded_fps is None else recorded_fps) / TRAINING_FPS
    raised = np.maximum(1.0, turning / JOINT_PACE)
    out = np.empty_like(r)
    for factor in np.unique(raised):
        joints = np.flatnonzero(raised == factor)
        out[:, joints] = smooth_rotations(r[:, joints], method, cutoff=cutoff_for(cutoff * factor, fps), fps=fps,
                                          **options)
    return out


def refine_rotations(rotations: np.ndarray, root_positions: np.ndarray | None, method: str = "gaussian", *,
                     space: str = "tangent", base_sigma: float = 4.0,
                     **options) -> tuple[np.ndarray, np.ndarray | None]:
    """Refine a motion given as joint rotations plus a root trajectory: arrays in, arrays out.

    Parameters
    ----------
    rotations : ndarray (T, J, 3, 3) local rotation matrices or (T, J, 4) quaternions (w first).
    root_positions : ndarray (T, 3) or (T, K, 3), the root translation(s) in any length unit
        (SMPL ``trans``; a BVH's position channels), or None.
    method, space, base_sigma, **options : see :func:`smooth_rotations`; the same filter and
        options refine the root as positions (:data:`synsp.filters.FILTERS`).

    Returns
    -------
    (rotations, root_positions), shaped like the inputs (root None if it was None).
    """
    refined = smooth_rotations(rotations, method, space=space, base_sigma=base_sigma, **options)
    if root_positions is None:
        return refined, None
    return refined, refine_root(root_positions, len(refined), method, **options)


def refine_root(root_positions: np.ndarray, frames: int, method: str = "gaussian", **options) -> np.ndarray:
    """The root trajectory (T, 3) or (T, K, 3), any length unit, refined as positions by the
    filter ``method`` of :data:`synsp.filters.FILTERS`; same shape. ``frames`` is the motion's T."""
    root = np.asarray(root_positions)
    if root.ndim not in (2, 3) or root.shape[0] != frames or root.shape[-1] != 3:
        raise ValueError(f"root_positions must be (T, 3) or (T, K, 3) with T = {frames}, got shape {root.shape}")
    fn, options = _filter(method, options)
    flat = root[:, None] if root.ndim == 2 else root
    if flat.shape[1] == 0:  # no joint's translation is animated (a BVH root without position channels)
        return root.copy()
    out = fn(flat, **options)
    return out[:, 0] if root.ndim == 2 else out
