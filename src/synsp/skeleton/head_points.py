"""Points fixed to the head: the mocap's face and H36M's head points in the Head joint's frame
(:data:`HEAD_POINTS_MM`), that frame estimated from positions, and H36M's neck/nose and head points
placed on a COCO face by the similarity that best maps the mocap's face onto it."""
from __future__ import annotations

import numpy as np

from synsp.skeleton.layouts import BANDAI22, check_shape

# Points fixed to the head, in millimetres, as (up, forward, left) in the mocap Head joint's
# frame. The BVH rest pose has that frame's local X along the neck (up), local Y out of the
# face (checked: on walking clips the walking direction is +Y in the head frame to within
# ~13 degrees) and local Z to the actor's left, so (up, forward, left) = (X, Y, Z) local.
# The Head joint sits ~6.5 cm above the Neck joint, about chin height of a ~1.65 m actor
# (shoulder joints at ~1.27 m): the face points use typical adult head proportions from
# there (eyes 63 mm apart, head ~150 mm wide at the ears, nose tip ~4 cm below the eyes).
HEAD_POINTS_MM: dict[str, tuple[float, float, float]] = {
    "nose": (110.0, 100.0, 0.0),
    "left_eye": (150.0, 75.0, 32.0),
    "right_eye": (150.0, 75.0, -32.0),
    "left_ear": (140.0, 0.0, 75.0),
    "right_ear": (140.0, 0.0, -75.0),
    "h36m_nose": (55.0, 55.0, 0.0),
    "h36m_head": (165.0, 25.0, 0.0),
}
# The COCO face points, in COCO's order, that :func:`h36m_head_points` fits.
FACE_NAMES = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


def head_frame_from_positions(x: np.ndarray) -> np.ndarray:
    """Estimate the mocap Head joint's orientation from bandai22 positions alone.

    Up is Neck -> Head; left is the shoulder line made orthogonal to it; forward is
    ``left x up``. Ignores head yaw relative to the shoulders, so use the real FK rotation
    (``head_rotation`` in :func:`~synsp.skeleton.conversions.convert`) when there is one.

    Parameters
    ----------
    x : ndarray (..., T, 22, 3)

    Returns
    -------
    ndarray (..., T, 3, 3)
        Columns = (up, forward, left), the layout of the BVH Head frame's local (X, Y, Z).
    """
    x = check_shape(x, BANDAI22, coords=3).astype(np.float64)
    up = x[..., BANDAI22.index("Head"), :] - x[..., BANDAI22.index("Neck"), :]
    up /= np.linalg.norm(up, axis=-1, keepdims=True) + 1e-9
    left = x[..., BANDAI22.index("UpperArm_L"), :] - x[..., BANDAI22.index("UpperArm_R"), :]
    left -= np.sum(left * up, axis=-1, keepdims=True) * up
    left /= np.linalg.norm(left, axis=-1, keepdims=True) + 1e-9
    forward = np.cross(left, up)
    return np.stack([up, forward, left], axis=-1)


def head_fixed_points(head: np.ndarray, rotation: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Points fixed to the head: ``head + rotation @ offset`` for every offset.

    Parameters
    ----------
    head : ndarray (..., 3), the mocap Head joint's position (mm).
    rotation : ndarray (..., 3, 3), its frame; columns (up, forward, left) as in
        :func:`head_frame_from_positions`.
    offsets : ndarray (K, 3), each point in that frame (mm).

    Returns
    -------
    ndarray (..., K, 3) float64, mm.
    """
    offsets = np.asarray(offsets, np.float64)
    return np.asarray(head, np.float64)[..., None, :] + np.einsum("...ab,kb->...ka", rotation, offsets)


def similarity_fit(source: np.ndarray, target: np.ndarray,
                   weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The weighted least-squares similarity from ``source`` to ``target`` points (Umeyama):
    ``target ~ scale * rotation @ (source - source_mean) + target_mean``, never a reflection
    (the weakest direction's sign is flipped instead).

    Parameters
    ----------
    source, target : ndarray (..., K, C), K points; NaN allowed where ``weight`` is 0.
    weight : ndarray (..., K), 1 for the points to fit, 0 for the others.

    Returns
    -------
    scale (...), rotation (..., C, C), source_mean (..., C), target_mean (..., C); the scale is
    meaningless where fewer than two points are weighted or the source spans no distance.
    """
    w = np.asarray(weight, np.float64)[..., None]
    src = np.where(w > 0, source, 0.0)
    dst = np.where(w > 0, target, 0.0)
    total = np.maximum(w.sum(axis=-2), 1.0)  # (..., 1)
    mean_src, mean_dst = (w * src).sum(axis=-2) / total, (w * dst).sum(axis=-2) / total
    src0, dst0 = (src - mean_src[..., None, :]) * w, (dst - mean_dst[..., None, :]) * w
    u, sv, vt = np.linalg.svd(np.swapaxes(dst0, -1, -2) @ src0)  # sum of (target - mean)(source - mean)^T
    d = np.sign(np.linalg.det(u) * np.linalg.det(vt))
    d = np.where(d == 0, 1.0, d)
    u[..., :, -1] *= d[..., None]
    sv[..., -1] *= d
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = sv.sum(axis=-1) / (src0 ** 2).sum(axis=(-2, -1))
    return scale, u @ vt, mean_src, mean_dst


def h36m_head_points(face: np.ndarray) -> np.ndarray:
    """H36M's neck/nose and head joints, as the mocap defines them, placed on a COCO face.

    The rotation and scale that best map the mocap's five face points (:data:`HEAD_POINTS_MM`)
    onto the given ones (Umeyama's least squares) turn the mocap's offsets from its nose to its
    ``h36m_nose`` and from its ears' midpoint to its ``h36m_head``; the offsets are added to the
    given nose and ears. So the two joints follow the head's own frame as it turns and nods (not
    the trunk's), any unit or head size fits, and each keeps its face point's own error for the
    refiner to see.

    Parameters
    ----------
    face : ndarray (..., 5, 3)
        3D nose, left eye, right eye, left ear, right ear; NaN where not seen.

    Returns
    -------
    ndarray (..., 2, 3): neck/nose and head; NaN where fewer than three face points are seen
    (a missing nose or ear is taken from the fit).
    """
    face = np.asarray(face, np.float64)
    model = np.array([HEAD_POINTS_MM[name] for name in FACE_NAMES])  # (5, 3)
    targets = np.array([HEAD_POINTS_MM["h36m_nose"], HEAD_POINTS_MM["h36m_head"]])
    weight = np.isfinite(face).all(axis=-1).astype(np.float64)  # (..., 5)
    count = weight.sum(axis=-1)
    scale, rotation, mean_model, mean_face = similarity_fit(np.broadcast_to(model, face.shape), face, weight)

    def placed(points: np.ndarray) -> np.ndarray:  # (K, 3) mocap head points -> (..., K, 3) on this face
        return mean_face[..., None, :] + scale[..., None, None] * np.einsum(
            "...ab,...kb->...ka", rotation, points - mean_model[..., None, :])

    fitted_anchors = placed(np.stack([model[0], (model[3] + model[4]) / 2]))  # the nose, the ears' midpoint
    anchors = np.stack([face[..., 0, :], (face[..., 3, :] + face[..., 4, :]) / 2], axis=-2)
    anchors = np.where(np.isfinite(anchors), anchors, fitted_anchors)
    out = anchors + placed(targets) - fitted_anchors
    out[count < 3] = np.nan
    return out
