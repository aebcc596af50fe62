"""Virtual pinhole cameras: 2D pose data from 3D mocap.

World coordinates are millimetres with Y up (the mocap's convention). Camera coordinates
follow OpenCV: x right, y down, z forward (depth); a world point ``X`` (row vector) is at
``R @ X + t`` in the camera and projects to ``(fx x / z + cx, fy y / z + cy)`` pixels.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Camera", "random_camera", "project", "pixels_per_mm", "look_at"]

# A standing person around a target point, for cameras placed without a subject: a box
# 0.9 m wide and 1.9 m tall around a pelvis at 0.95 m height (mm, Y up).
_DEFAULT_BOX = np.array([[x, y, z] for x in (-450, 450) for y in (-950, 950) for z in (-450, 450)], float)


@dataclass(frozen=True)
class Camera:
    """A pinhole camera without lens distortion.

    Attributes
    ----------
    R : (3, 3) rotation world -> camera (rows: camera x right, y down, z forward in world axes).
    t : (3,) translation, mm: a world point X is at ``R @ X + t`` in camera coordinates.
    focal : (fx, fy) focal lengths, pixels.
    center : (cx, cy) principal point, pixels.
    image_size : (width, height), pixels.
    """

    R: np.ndarray
    t: np.ndarray
    focal: tuple[float, float]
    center: tuple[float, float]
    image_size: tuple[int, int] = (1920, 1080)

    @property
    def position(self) -> np.ndarray:
        """(3,) camera centre in world coordinates, mm."""
        return -self.R.T @ self.t


def look_at(eye: np.ndarray, target: np.ndarray, *, roll_deg: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Rotation and translation of a camera at ``eye`` looking at ``target`` (world mm, Y up).

    Returns ``(R, t)`` for :class:`Camera`; the image's up is the world's up, turned by
    ``roll_deg`` about the optical axis.
    """
    eye, target = np.asarray(eye, float), np.asarray(target, float)
    forward = target - eye
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, [0.0, 1.0, 0.0])
    if np.linalg.norm(right) < 1e-9:  # looking straight up or down: any right will do
        right = np.array([1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    down = np.cross(forward, right)
    r = np.stack([right, down, forward])
    a = np.deg2rad(roll_deg)
    roll = np.array([[np.cos(a), -np.sin(a), 0.0], [np.sin(a), np.cos(a), 0.0], [0.0, 0.0, 1.0]])
    r = roll @ r
    return r, -r @ eye


def project(points: np.ndarray, camera: Camera) -> np.ndarray:
    """Project world points to pixels.

    Parameters
    ----------
    points : (..., 3) world coordinates, mm (e.g. a sequence (T, J, 3)).
    camera : the :class:`Camera`.

    Returns
    -------
    (..., 2) pixel coordinates (x right, y down), dtype of ``points`` (float64 for integer
    input). Points at or behind the camera plane give NaN.

    Examples
    --------
    >>> cam = Camera(np.eye(3), np.zeros(3), (1000.0, 1000.0), (960.0, 540.0))
    >>> project(np.array([[0.0, 0.0, 2000.0]]), cam)
    array([[960., 540.]])
    """
    p = np.asarray(points)
    if p.ndim < 1 or p.shape[-1] != 3:
        raise ValueError(f"points must be (..., 3) world coordinates, got shape {p.shape}")
    dtype = p.dtype if np.issubdtype(p.dtype, np.floating) else np.float64
    cam = p.astype(np.float64) @ np.asarray(camera.R, float).T + np.asarray(camera.t, float)
    z = cam[..., 2:3]
    with np.errstate(divide="ignore", invalid="ignore"):
        uv = cam[..., :2] / np.where(z > 0, z, np.nan)
    uv = uv * np.asarray(camera.focal, float) + np.asarray(camera.center, float)
    return uv.astype(dtype)


def pixels_per_mm(points: np.ndarray, camera: Camera) -> float:
    """How many pixels one millimetre near ``points`` spans in the image: ``mean(f) / mean depth``.

    Parameters
    ----------
    points : (..., 3) world mm, e.g. the subject's sequence (T, J, 3).
    camera : the :class:`Camera`.

    Returns
    -------
    float, pixels per mm at the points' mean depth (use it as ``unit_scale`` of
    :func:`synsp.data.simulator.corrupt` on projected data).
    """
    p = np.asarray(points, float)
    if p.ndim < 1 or p.shape[-1] != 3:
        raise ValueError(f"points must be (..., 3) world coordinates, got shape {p.shape}")
    depth = (p @ np.asarray(camera.R, float).T + np.asarray(camera.t, float))[..., 2]
    mean_depth = float(np.nanmean(depth))
    if not mean_depth > 0:
        raise ValueError(f"points must be in front of the camera, got mean depth {mean_depth:.1f} mm")
    return float(np.mean(camera.focal)) / mean_depth


def random_camera(
    rng: np.random.Generator | int | None = None, *, subject: np.ndarray | None = None,
    image_size: tuple[int, int] = (1920, 1080), distance_mm: tuple[float, float] = (2500.0, 8000.0),
    elevation_deg: tuple[float, float] = (-5.0, 30.0), fov_deg: tuple[float, float] = (40.0, 75.0),
    roll_deg: float = 3.0, margin: float = 0.05,
) -> Camera:
    """A random static camera that sees the whole subject, like a video of one person.

    Parameters
    ----------
    rng : Generator, seed or None.
    subject : optional (T, J, 3) world mm sequence to frame. The camera aims at the centre of
        its bounding box and moves back until every point of every frame is inside the image.
        Without it, a standing person around (0, 950, 0) mm is framed.
    image_size : (width, height) pixels.
    distance_mm : (min, max) distance from the aim point, drawn uniformly (then increased
        if the subject would not fit).
    elevation_deg : (min, max) angle of the camera above the aim point's horizontal plane;
        negative looks up from below (a camera held low).
    fov_deg : (min, max) horizontal field of view, degrees (phones and webcams: ~45-75).
    roll_deg : max absolute roll about the optical axis, degrees (a hand-held camera).
    margin : fraction of the image size kept free on every side.

    Returns
    -------
    Camera
    """
    rng = np.random.default_rng(rng)
    width, height = image_size
    if subject is not None:
        s = np.asarray(subject, float).reshape(-1, 3)
        s = s[np.isfinite(s).all(axis=1)]
        if len(s) == 0:
            raise ValueError(f"subject must hold finite (..., 3) world points, got shape {np.shape(subject)}")
        lo, hi = s.min(axis=0), s.max(axis=0)
        target, points = (lo + hi) / 2, s
    else:
        target = np.array([0.0, 950.0, 0.0])
        points = target + _DEFAULT_BOX
    azimuth = rng.uniform(0, 2 * np.pi)
    elevation = np.deg2rad(rng.uniform(*elevation_deg))
    distance = rng.uniform(*distance_mm)
    fx = width / 2 / np.tan(np.deg2rad(rng.uniform(*fov_deg)) / 2)
    center = (width / 2 + rng.uniform(-0.01, 0.01) * width, height / 2 + rng.uniform(-0.01, 0.01) * height)
    roll = rng.uniform(-roll_deg, roll_deg)
    direction = np.array([np.cos(elevation) * np.sin(azimuth), np.sin(elevation), np.cos(elevation) * np.cos(azimuth)])
    # A subject that does not fit pushes the camera back (a few % per step).
    for _ in range(200):
        r, t = look_at(target + distance * direction, target, roll_deg=roll)
        camera = Camera(r, t, (fx, fx), center, (width, height))
        uv = project(points, camera)
        inside = (np.isfinite(uv).all()
                  and uv[:, 0].min() >= margin * width and uv[:, 0].max() <= (1 - margin) * width
                  and uv[:, 1].min() >= margin * height and uv[:, 1].max() <= (1 - margin) * height)
        if inside:
            return camera
        distance *= 1.05
    raise ValueError("random_camera could not fit the subject in the image (is it a few km across?)")
