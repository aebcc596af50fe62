"""Pose-sequence metrics: MPJPE (Protocol #1), PA-MPJPE (Protocol #2), acceleration error, PCK.

Every metric takes ``pred`` and ``gt`` of the same shape ``(..., T, J, C)``: one sequence
``(T, J, C)``, several views or persons ``(V, T, J, C)``, or any further leading axes. Errors
are in the unit of the input (millimetres for the paper's 3D tables, pixels for 2D).

Missing values: a joint whose ``pred`` or ``gt`` holds a NaN in any coordinate is left out
of every mean (NaN-aware means), so a partly annotated ground truth can be scored directly.
If nothing is left to average, the metric is NaN.
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.skeleton import similarity_fit

__all__ = ["mpjpe", "pa_mpjpe", "accel_error", "acceleration", "per_joint_mpjpe", "pck", "root_relative"]


def _pair(pred: np.ndarray, gt: np.ndarray, min_ndim: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return float arrays of equal shape (..., T, J, C)."""
    p, g = np.asarray(pred), np.asarray(gt)
    if p.shape != g.shape:
        raise ValueError(f"pred and gt must have the same shape, got pred {p.shape} and gt {g.shape}")
    if p.ndim < min_ndim:
        raise ValueError(f"pred and gt must be (..., T, J, C), got shape {p.shape}")
    if not np.issubdtype(p.dtype, np.floating):
        p = p.astype(np.float64)
    if not np.issubdtype(g.dtype, np.floating):
        g = g.astype(np.float64)
    return p, g


def _nanmean(values: np.ndarray, axis=None):
    """np.nanmean without the "mean of empty slice" warning: an all-NaN mean is simply NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


def _joint_errors(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """L2 distance per joint, (..., T, J); NaN wherever either side has a NaN coordinate."""
    return np.linalg.norm(pred - gt, axis=-1)


def mpjpe(pred: np.ndarray, gt: np.ndarray) -> float:
    """Mean per-joint position error (MPJPE, Protocol #1).

    Parameters
    ----------
    pred, gt : (..., T, J, C) arrays in the same unit (mm for 3D, px for 2D).

    Returns
    -------
    float
        Mean over all frames, joints (and leading axes) of ``||pred - gt||_2``, in the
        input's unit. Joints with a NaN in ``pred`` or ``gt`` are ignored.

    Examples
    --------
    >>> import numpy as np
    >>> mpjpe(np.zeros((1, 1, 3)), np.array([[[3.0, 4.0, 0.0]]]))
    5.0
    """
    p, g = _pair(pred, gt)
    return float(_nanmean(_joint_errors(p, g)))


def per_joint_mpjpe(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """MPJPE of each joint separately (Protocol #1 per joint).

    Parameters
    ----------
    pred, gt : (..., T, J, C) arrays in the same unit.

    Returns
    -------
    (J,) float64 array: mean over frames (and leading axes) of each joint's L2 error, in the
    input's unit; NaN entries are ignored (a joint never scored gives NaN).
    """
    p, g = _pair(pred, gt)
    err = _joint_errors(p, g)
    return _nanmean(err.reshape(-1, err.shape[-1]), axis=0).astype(np.float64)


def _procrustes_align(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """Align each pose of ``pred`` (N, J, C) to ``gt`` by the best similarity transform.

    Solves min over s, R, t of sum_j w_j ||s R p_j + t - g_j||^2 per pose by one batched SVD
    (Umeyama). w_j = 0 for joints with a NaN on either side, so they do not bias the fit.
    A reflection is never used: the last singular direction's sign is flipped instead.
    Poses with fewer than two usable joints, or a prediction collapsed to one point, give NaN.
    """
    valid = ~(np.isnan(pred).any(-1) | np.isnan(gt).any(-1))  # (N, J)
    scale, rot, mu_p, mu_g = similarity_fit(pred, gt, valid)
    aligned = scale[:, None, None] * np.einsum("nab,njb->nja", rot, pred - mu_p[:, None]) + mu_g[:, None]
    bad = (valid.sum(axis=1) < 2) | ~np.isfinite(scale)  # too few joints, or a pose collapsed to a point
    aligned[bad] = np.nan
    aligned[~valid] = np.nan
    return aligned


def pa_mpjpe(pred: np.ndarray, gt: np.ndarray) -> float:
    """MPJPE after per-frame Procrustes alignment (PA-MPJPE, Protocol #2).

    Each frame of ``pred`` is aligned to ``gt`` by the similarity transform (rotation,
    uniform scale, translation) that minimises the squared error, then MPJPE is taken.
    The fit is vectorised over all frames with one batched SVD and never reflects the pose.

    Parameters
    ----------
    pred, gt : (..., T, J, C) arrays in the same unit (mm for 3D); C = 3 or 2.

    Returns
    -------
    float
        Mean aligned L2 error in the input's unit. Joints with a NaN on either side are
        excluded from both the fit and the mean; frames with fewer than two usable joints
        are skipped.
    """
    p, g = _pair(pred, gt)
    j, c = p.shape[-2:]
    dtype = np.result_type(p.dtype, g.dtype, np.float64)
    aligned = _procrustes_align(p.reshape(-1, j, c).astype(dtype), g.reshape(-1, j, c).astype(dtype))
    return float(_nanmean(_joint_errors(aligned, g.reshape(-1, j, c))))


def accel_error(pred: np.ndarray, gt: np.ndarray) -> float:
    """Acceleration error: mean over frames and joints of ``||accel(pred) - accel(gt)||_2``.

    ``accel(x)[t] = x[t] - 2 x[t+1] + x[t+2]`` along the frame axis (axis -3), the second
    finite difference; the unit is the input's unit per frame squared (mm/frame^2 in the
    paper's tables).

    Parameters
    ----------
    pred, gt : (..., T, J, C) arrays in the same unit.

    Returns
    -------
    float
        The mean error. NaN if ``T < 3`` (no acceleration is defined, and 0 would claim a
        perfect score). A NaN in a frame removes the (up to three) accelerations that use it.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(10.0)[:, None, None] * np.ones((1, 2, 3))  # constant velocity
    >>> accel_error(t, np.zeros_like(t))
    0.0
    """
    p, g = _pair(pred, gt)
    if p.shape[-3] < 3:
        return float("nan")
    return float(_nanmean(acceleration(p - g)))  # accel is linear: accel(p) - accel(g) = accel(p - g)


def acceleration(x: np.ndarray) -> np.ndarray:
    """|accel(x)|: the norm of the second finite difference along frames (axis -3).

    ``x`` (..., T, J, C) with T >= 3 gives (..., T - 2, J), in the input's unit per frame
    squared; NaN where a frame it uses is NaN.
    """
    return np.linalg.norm(x[..., :-2, :, :] - 2 * x[..., 1:-1, :, :] + x[..., 2:, :, :], axis=-1)


def pck(pred: np.ndarray, gt: np.ndarray, threshold: float, *, normalize: np.ndarray | float | None = None) -> float:
    """Percentage of correct keypoints: the fraction of joints within ``threshold`` of ``gt``.

    A joint is correct when ``||pred - gt||_2 <= threshold`` (the edge counts as correct),
    after dividing the distance by ``normalize`` if given.

    Parameters
    ----------
    pred, gt : (..., T, J, C) arrays (usually 2D pixels, C = 2; any C works).
    threshold : distance threshold, in pixels without ``normalize``, else a fraction of it
        (e.g. 0.05 of the person's bounding-box size).
    normalize : optional per-frame size, a scalar or an array broadcastable to the leading
        shape (..., T), such as the bounding-box side or the torso length per frame.

    Returns
    -------
    float
        Fraction in [0, 1]. Joints with a NaN on either side (or a non-positive or NaN
        normaliser) are ignored; NaN if none is left.

    Examples
    --------
    >>> import numpy as np
    >>> gt = np.zeros((1, 2, 2)); pred = np.array([[[3.0, 4.0], [6.0, 8.0]]])
    >>> pck(pred, gt, 5.0)
    0.5
    """
    p, g = _pair(pred, gt)
    if not np.isscalar(threshold) or not threshold >= 0:
        raise ValueError(f"threshold must be a non-negative number, got {threshold!r}")
    dist = _joint_errors(p, g)  # (..., T, J)
    if normalize is not None:
        norm = np.asarray(normalize, dtype=np.float64)
        try:
            norm = np.broadcast_to(norm, p.shape[:-2])
        except ValueError:
            raise ValueError(
                f"normalize must broadcast to the leading shape {p.shape[:-2]} of pred {p.shape}, "
                f"got shape {norm.shape}"
            ) from None
        norm = np.where(norm > 0, norm, np.nan)
        dist = dist / norm[..., None]
    scored = ~np.isnan(dist)
    if not scored.any():
        return float("nan")
    return float((dist[scored] <= threshold).mean())


def root_relative(x: np.ndarray, root: int = 0) -> np.ndarray:
    """Subtract the root joint from every joint, frame by frame.

    Parameters
    ----------
    x : (..., J, C) array, e.g. (T, J, C) or (V, T, J, C).
    root : index of the root joint (the pelvis in Human3.6M's 17-joint layout is 0).

    Returns
    -------
    Array of the same shape and dtype with ``x[..., root, :] == 0``.
    """
    a = np.asarray(x)
    if a.ndim < 2:
        raise ValueError(f"x must be (..., J, C), got shape {a.shape}")
    j = a.shape[-2]
    if not -j <= root < j:
        raise ValueError(f"root must index one of the {j} joints of x {a.shape}, got {root}")
    r = root % j
    return a - a[..., r : r + 1, :]
