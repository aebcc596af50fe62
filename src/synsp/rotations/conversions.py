"""Joint rotations: conversions between their forms, the angle between two, forward kinematics.

NumPy only, vectorised over any leading axes (a sequence is ``(T, J, ...)``). Forms:

- **matrix** ``(..., 3, 3)``: acts on column vectors, ``x_parent = R @ x_child``.
- **6D** ``(..., 6)``: the continuous representation of Zhou et al. (CVPR 2019, "On the
  Continuity of Rotation Representations in Neural Networks"): the matrix's first two
  columns, ``[R[:, 0], R[:, 1]]``; back to a matrix by Gram-Schmidt. Any 6 numbers with
  independent halves map to a rotation, which is what a network's output needs.
- **axis-angle** ``(..., 3)``: rotation vector, axis times angle in radians (SMPL ``poses``).
- **quaternion** ``(..., 4)``: **w first**, ``(w, x, y, z)``, unit norm (scipy is x, y, z, w).
  ``q`` and ``-q`` are the same rotation; :func:`quaternion_continuous` picks signs that do
  not flip along time, which linear filtering of quaternions needs.
- **Euler** ``(..., 3)``: degrees, in BVH's convention: a CHANNELS order ``"ZXY"`` means
  ``R = Rz(a0) @ Rx(a1) @ Ry(a2)`` (intrinsic rotations, scipy's uppercase ``"ZXY"``).
"""
from __future__ import annotations

import numpy as np

__all__ = ["matrix_from_sixd", "sixd_from_matrix", "matrix_from_axis_angle", "axis_angle_from_matrix",
           "matrix_from_quaternion", "quaternion_from_matrix", "quaternion_continuous", "matrix_from_euler",
           "euler_from_matrix", "euler_continuous", "geodesic_angle", "forward_kinematics", "quaternion_log",
           "quaternion_exp", "quaternion_multiply", "quaternion_conjugate", "rotation_sequence"]

_AXES = {"X": 0, "Y": 1, "Z": 2}
_EPS = 1e-12


def _check(x: np.ndarray, tail: tuple[int, ...], name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.shape[a.ndim - len(tail):] != tail:
        raise ValueError(f"{name} must be shaped (..., {', '.join(map(str, tail))}), got {a.shape}")
    return a


def rotation_sequence(rotations: np.ndarray) -> np.ndarray:
    """``rotations`` as a float64 (T, J, 3, 3) array of local rotation matrices with at least one frame; a
    ValueError naming the shape otherwise (the refiners' and the rotation simulator's input check)."""
    r = np.asarray(rotations, dtype=np.float64)
    if r.ndim != 4 or r.shape[-2:] != (3, 3) or len(r) == 0:
        raise ValueError(f"rotations must be (T, J, 3, 3), got shape {r.shape}")
    return r


def sixd_from_matrix(matrix: np.ndarray) -> np.ndarray:
    """The 6D form ``(..., 6)`` of rotation matrices ``(..., 3, 3)``: first column, then second."""
    r = _check(matrix, (3, 3), "matrix")
    return np.concatenate([r[..., :, 0], r[..., :, 1]], axis=-1)


def matrix_from_sixd(sixd: np.ndarray) -> np.ndarray:
    """Rotation matrices ``(..., 3, 3)`` from 6D vectors ``(..., 6)`` by Gram-Schmidt (Zhou et al.).

    The first column is the first half normalised, the second the second half made orthogonal
    to it and normalised, the third their cross product. The halves must not be parallel.
    """
    d = _check(sixd, (6,), "sixd")
    a = d[..., :3] / np.maximum(np.linalg.norm(d[..., :3], axis=-1, keepdims=True), _EPS)
    b = d[..., 3:] - np.sum(a * d[..., 3:], axis=-1, keepdims=True) * a
    b = b / np.maximum(np.linalg.norm(b, axis=-1, keepdims=True), _EPS)
    return np.stack([a, b, np.cross(a, b)], axis=-1)


def quaternion_from_matrix(matrix: np.ndarray) -> np.ndarray:
    """Unit quaternions ``(..., 4)`` (w, x, y, z), ``w >= 0``, of rotation matrices ``(..., 3, 3)``.

    Shepperd's method: the largest of the four squared components is computed from the
    diagonal and the others from it, so the result is accurate at every angle (180 included).
    """
    r = _check(matrix, (3, 3), "matrix")
    m00, m11, m22 = r[..., 0, 0], r[..., 1, 1], r[..., 2, 2]
    # 4 q_i^2 for i = w, x, y, z
    squares = np.stack([1 + m00 + m11 + m22, 1 + m00 - m11 - m22, 1 - m00 + m11 - m22, 1 - m00 - m11 + m22], -1)
    best = np.argmax(squares, axis=-1)
    big = np.sqrt(np.maximum(np.take_along_axis(squares, best[..., None], -1)[..., 0], _EPS))  # 2 |q_best|
    sym = {(1, 2): r[..., 2, 1] + r[..., 1, 2], (0, 2): r[..., 0, 2] + r[..., 2, 0],
           (0, 1): r[..., 1, 0] + r[..., 0, 1]}
    skew = (r[..., 2, 1] - r[..., 1, 2], r[..., 0, 2] - r[..., 2, 0], r[..., 1, 0] - r[..., 0, 1])
    candidates = np.stack([
        np.stack([big, skew[0] / big, skew[1] / big, skew[2] / big], -1),
        np.stack([skew[0] / big, big, sym[(0, 1)] / big, sym[(0, 2)] / big], -1),
        np.stack([skew[1] / big, sym[(0, 1)] / big, big, sym[(1, 2)] / big], -1),
        np.stack([skew[2] / big, sym[(0, 2)] / big, sym[(1, 2)] / big, big], -1),
    ], -2) / 2  # (..., 4 candidates, 4)
    q = np.take_along_axis(candidates, best[..., None, None], -2)[..., 0, :]
    q = q / np.linalg.norm(q, axis=-1, keepdims=True)
    return np.where(q[..., :1] < 0, -q, q)


def matrix_from_quaternion(quaternion: np.ndarray) -> np.ndarray:
    """Rotation matrices ``(..., 3, 3)`` of quaternions ``(..., 4)`` (w, x, y, z; normalised here)."""
    q = _check(quaternion, (4,), "quaternion")
    q = q / np.maximum(np.linalg.norm(q, axis=-1, keepdims=True), _EPS)
    w, x, y, z = np.moveaxis(q, -1, 0)
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
        np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
        np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
    ], -2)


def quaternion_multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product ``a * b`` of quaternions ``(..., 4)`` (w first): the rotation ``b`` then ``a``."""
    a, b = _check(a, (4,), "a"), _check(b, (4,), "b")
    aw, ax, ay, az = np.moveaxis(a, -1, 0)
    bw, bx, by, bz = np.moveaxis(b, -1, 0)
    return np.stack([aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw], -1)


def quaternion_conjugate(q: np.ndarray) -> np.ndarray:
    """The inverse rotation of unit quaternions ``(..., 4)`` (w first)."""
    return _check(q, (4,), "q") * np.array([1.0, -1.0, -1.0, -1.0])


def quaternion_log(q: np.ndarray) -> np.ndarray:
    """Rotation vectors ``(..., 3)`` (radians) of unit quaternions ``(..., 4)``: the log map at the identity.

    The sign of ``q`` is chosen so the angle is at most pi.
    """
    q = _check(q, (4,), "q")
    q = np.where(q[..., :1] < 0, -q, q)
    xyz = q[..., 1:]
    s = np.linalg.norm(xyz, axis=-1, keepdims=True)  # sin(angle / 2)
    angle = 2 * np.arctan2(s, q[..., :1])
    # angle / sin(angle / 2), with its limit 2 / w near the identity
    factor = np.where(s > 1e-8, angle / np.maximum(s, 1e-300), 2.0 / np.maximum(q[..., :1], _EPS))
    return xyz * factor


def quaternion_exp(v: np.ndarray) -> np.ndarray:
    """Unit quaternions ``(..., 4)`` (w first) of rotation vectors ``(..., 3)`` (radians): the exp map."""
    v = _check(v, (3,), "v")
    angle = np.linalg.norm(v, axis=-1, keepdims=True)
    half = angle / 2
    # sin(angle / 2) / angle, with its limit 1/2 - angle^2 / 48 near zero
    factor = np.where(angle > 1e-8, np.sin(half) / np.maximum(angle, 1e-300), 0.5 - angle**2 / 48)
    return np.concatenate([np.cos(half), v * factor], axis=-1)


def matrix_from_axis_angle(axis_angle: np.ndarray) -> np.ndarray:
    """Rotation matrices ``(..., 3, 3)`` of rotation vectors ``(..., 3)`` (axis * angle, radians)."""
    return matrix_from_quaternion(quaternion_exp(_check(axis_angle, (3,), "axis_angle")))


def axis_angle_from_matrix(matrix: np.ndarray) -> np.ndarray:
    """Rotation vectors ``(..., 3)`` (axis * angle in radians, angle in [0, pi]) of matrices ``(..., 3, 3)``."""
    return quaternion_log(quaternion_from_matrix(matrix))


def quaternion_continuous(quaternion: np.ndarray, axis: int = 0) -> np.ndarray:
    """Quaternions with signs chosen so that consecutive ones along ``axis`` (time) have a
    non-negative dot product: the same rotations, without the jumps from ``q`` to ``-q`` that
    would wreck any filter run on the components.

    Parameters
    ----------
    quaternion : ndarray (..., 4), w first; ``axis`` indexes time (default 0, e.g. (T, J, 4)).

    Returns
    -------
    ndarray, same shape: ``q`` or ``-q`` frame by frame (the first frame is kept).
    """
    q = _check(quaternion, (4,), "quaternion")
    if axis % q.ndim == q.ndim - 1:
        raise ValueError("axis must index time, not the quaternion components")
    q = np.moveaxis(q, axis, 0)
    if len(q) < 2:
        return np.moveaxis(q.copy(), 0, axis)
    flips = np.sum(q[1:] * q[:-1], axis=-1) < 0  # (T-1, ...)
    sign = np.concatenate([np.ones((1,) + flips.shape[1:]), np.where(np.cumsum(flips, axis=0) % 2, -1.0, 1.0)])
    return np.moveaxis(q * sign[..., None], 0, axis)


def _order(order: str) -> tuple[int, int, int]:
    axes = order.upper() if isinstance(order, str) else ""
    if len(axes) != 3 or set(axes) != set("XYZ"):
        raise ValueError(f"order must name the three axes once each, like 'ZXY', got {order!r}")
    return _AXES[axes[0]], _AXES[axes[1]], _AXES[axes[2]]


def matrix_from_euler(angles: np.ndarray, order: str) -> np.ndarray:
    """Rotation matrices ``(..., 3, 3)`` from Euler angles in BVH (intrinsic) convention.

    Parameters
    ----------
    angles : ndarray (..., 3)
        Angles in degrees, listed in ``order``.
    order : str
        Axis letters, e.g. ``"ZXY"``: ``R = Rz(a0) @ Rx(a1) @ Ry(a2)``.
    """
    angles = np.asarray(angles, dtype=np.float64)
    if angles.shape[-1:] != (3,):
        raise ValueError(f"angles must be (..., 3) with an order like 'ZXY', got {angles.shape} and {order!r}")
    rad = np.deg2rad(angles)
    result = None
    for k, a in enumerate(_order(order)):
        c, s = np.cos(rad[..., k]), np.sin(rad[..., k])
        m = np.zeros(angles.shape[:-1] + (3, 3))
        b, d = (a + 1) % 3, (a + 2) % 3  # the plane the rotation about `a` acts in
        m[..., a, a] = 1.0
        m[..., b, b] = c
        m[..., d, d] = c
        m[..., b, d] = -s
        m[..., d, b] = s
        result = m if result is None else result @ m
    return result


def euler_from_matrix(matrix: np.ndarray, order: str, near: np.ndarray | None = None) -> np.ndarray:
    """Euler angles ``(..., 3)`` in degrees, BVH (intrinsic) ``order``, of matrices ``(..., 3, 3)``.

    Parameters
    ----------
    matrix : ndarray (..., 3, 3)
    order : str, e.g. ``"ZXY"`` (see :func:`matrix_from_euler`).
    near : ndarray (..., 3), optional
        Angles (degrees) to stay close to, e.g. the file's own: of the two Euler triples of a
        rotation and their shifts by 360 degrees, the one nearest ``near`` is returned, so
        refined angles do not wrap where the input did not. Without it the middle angle is in
        [-90, 90] and the others in (-180, 180].

    At gimbal lock (middle angle +-90 degrees) the last angle is set to 0.
    """
    r = _check(matrix, (3, 3), "matrix")
    i, j, k = _order(order)
    s = 1.0 if (j - i) % 3 == 1 else -1.0  # cyclic orders (XYZ, YZX, ZXY) vs the others
    middle = np.arcsin(np.clip(s * r[..., i, k], -1.0, 1.0))
    first = np.arctan2(-s * r[..., j, k], r[..., k, k])
    last = np.arctan2(-s * r[..., i, j], r[..., i, i])
    locked = np.abs(s * r[..., i, k]) > 1 - 1e-9
    first = np.where(locked, np.arctan2(s * r[..., k, j], r[..., j, j]), first)
    last = np.where(locked, 0.0, last)
    angles = np.rad2deg(np.stack([first, middle, last], -1))
    if near is None:
        return angles
    return _nearest_triple(angles, np.broadcast_to(np.asarray(near, dtype=np.float64), angles.shape))


# A step of any of a joint's Euler angles larger than this (degrees) between two frames is no motion but a
# wrap (about 360) or a change of branch (about 180): see euler_continuous's ``follow``
FOLLOWED_JUMP = 90.0


def euler_continuous(matrix: np.ndarray, order: str, start: np.ndarray | None = None,
                     follow: np.ndarray | None = None) -> np.ndarray:
    """Euler angles ``(T, ..., 3)`` in degrees, BVH ``order``, of matrices ``(T, ..., 3, 3)``, each
    frame's triple (of a rotation's two, and their 360-degree shifts) the one nearest the frame
    before's: curves without 180 / 360 degree jumps, whatever branch the input's angles were on.
    Frame 0's is the one nearest ``start`` (..., 3) (e.g. the file's own first angles), if given.

    ``follow`` (T, ..., 3), degrees (the angles these matrices were refined from), keeps the curves
    in its range: frame 0's triple is the one nearest ``follow[0]``, and each later one the one nearest
    the frame before's plus ``follow``'s own step, or, where ``follow`` jumps (any angle by over
    :data:`FOLLOWED_JUMP`: a wrap or a flip), nearest the frame before's alone; a triple that would
    leave the range ``follow`` spans over the frames, and (-180, 180], is the one nearest ``follow``'s
    own value when that one lies inside, as is a triple equal to ``follow``'s (an unchanged rotation gets
    its numbers back). So a yaw spinning through 180 degrees, written in (-180, 180], keeps its wraps
    (not unwrapped to 574 degrees), and a flip of ``follow`` within its range (a frame on the other
    branch) is smoothed away where the rotation was refined."""
    angles = euler_from_matrix(matrix, order)
    out = np.empty_like(angles)
    if follow is not None:
        follow = np.asarray(follow, dtype=np.float64)
        # the range, widened by a hair: an angle equals follow's -180.0 only to round-off
        low = np.minimum(follow.min(axis=0), -180.0) - 1e-6
        high = np.maximum(follow.max(axis=0), 180.0) + 1e-6
        inside = lambda a: ((a >= low) & (a <= high)).all(-1, keepdims=True)  # noqa: E731
        out[0] = _nearest_triple(angles[0], follow[0])
        for t in range(1, len(angles)):
            jumps = (np.abs(follow[t] - follow[t - 1]).max(-1) > FOLLOWED_JUMP)[..., None]
            step = np.where(jumps, 0.0, follow[t] - follow[t - 1])
            chosen = _nearest_triple(angles[t], out[t - 1] + step)
            own = _nearest_triple(angles[t], follow[t])
            same = (np.abs(own - follow[t]) < 1e-6).all(-1, keepdims=True)  # unchanged: follow's numbers
            out[t] = np.where(same | ~inside(chosen) & inside(own), own, chosen)
        return out
    previous = angles[0] if start is None else np.asarray(start, dtype=np.float64)
    for t in range(len(angles)):  # sequential: each frame follows the output frame before it
        previous = out[t] = _nearest_triple(angles[t], previous)
    return out


def _nearest_triple(angles: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Of ``angles``' triple, its twin (the same rotation) and their 360-degree shifts, the one nearest ``near``."""
    twin = np.stack([angles[..., 0] + 180, 180 - angles[..., 1], angles[..., 2] + 180], -1)  # same rotation
    best = None
    for candidate in (angles, twin):
        candidate = candidate + 360 * np.round((near - candidate) / 360)
        if best is None:
            best = candidate
        else:
            closer = np.sum((candidate - near) ** 2, -1) < np.sum((best - near) ** 2, -1)
            best = np.where(closer[..., None], candidate, best)
    return best


def geodesic_angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The angle in degrees (0-180) of the rotation taking matrices ``a`` to ``b`` (..., 3, 3).

    The distance on the rotation manifold: ``angle(a^T b)``, computed through a quaternion so
    it stays accurate near 0 and 180 degrees (``arccos`` of the trace does not).
    """
    a, b = _check(a, (3, 3), "a"), _check(b, (3, 3), "b")
    q = quaternion_from_matrix(np.swapaxes(a, -1, -2) @ b)
    return np.rad2deg(2 * np.arctan2(np.linalg.norm(q[..., 1:], axis=-1), np.abs(q[..., 0])))


def forward_kinematics(parents: np.ndarray, rotations: np.ndarray,
                       translations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Global joint positions and orientations from local rotations and translations.

    Parameters
    ----------
    parents : (J,) int, parent index per joint (-1 for a root), parents before children.
    rotations : (..., J, 3, 3) local rotation of every joint (relative to its parent).
    translations : (..., J, 3) or (J, 3) offset of every joint from its parent, in the parent's
        frame (a root's: its position), any length unit.

    Returns
    -------
    positions : (..., J, 3) global positions, the unit of ``translations``.
    orientations : (..., J, 3, 3) global orientation of every joint's frame.
    """
    rot = _check(rotations, (3, 3), "rotations")
    n = len(parents)
    if rot.shape[-3] != n:
        raise ValueError(f"rotations have {rot.shape[-3]} joints, parents {n}")
    trans = np.broadcast_to(_check(translations, (n, 3), "translations"), rot.shape[:-3] + (n, 3))
    positions = np.empty(rot.shape[:-3] + (n, 3))
    orientations = np.empty_like(rot)
    for j, p in enumerate(parents):
        if p < 0:
            positions[..., j, :] = trans[..., j, :]
            orientations[..., j, :, :] = rot[..., j, :, :]
        else:
            if p >= j:
                raise ValueError(f"parents must come before their children; joint {j} has parent {p}")
            positions[..., j, :] = positions[..., p, :] + np.einsum(
                "...ab,...b->...a", orientations[..., p, :, :], trans[..., j, :])
            orientations[..., j, :, :] = orientations[..., p, :, :] @ rot[..., j, :, :]
    return positions, orientations
