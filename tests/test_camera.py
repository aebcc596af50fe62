"""Virtual pinhole cameras: projection by hand, look-at orientation, random cameras that see the subject."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.data.camera import Camera, look_at, pixels_per_mm, project, random_camera


def standing_person(t: int = 60) -> np.ndarray:
    """A synthetic person (T, 17, 3) mm, Y up, standing 2 m from the origin and waving an arm."""
    rest = np.array([[0, 950, 0], [-130, 950, 0], [-130, 500, 0], [-130, 80, 0], [130, 950, 0], [130, 500, 0],
                     [130, 80, 0], [0, 1180, 0], [0, 1420, 0], [0, 1510, 30], [0, 1650, 0], [170, 1390, 0],
                     [200, 1120, 0], [210, 860, 0], [-170, 1390, 0], [-200, 1120, 0], [-210, 860, 0]], float)
    x = np.repeat(rest[None], t, axis=0) + np.array([2000.0, 0.0, -1000.0])
    x[:, 16, 1] += 500 * np.sin(np.linspace(0, 2 * np.pi, t))
    return x


def inside(uv: np.ndarray, camera: Camera) -> bool:
    w, h = camera.image_size
    return bool(np.isfinite(uv).all() and (uv[..., 0] >= 0).all() and (uv[..., 0] <= w).all()
                and (uv[..., 1] >= 0).all() and (uv[..., 1] <= h).all())


def test_optical_axis_hits_the_principal_point():
    r, t = look_at([1000.0, 1500.0, 4000.0], [0.0, 900.0, 0.0])
    cam = Camera(r, t, (1200.0, 1200.0), (950.0, 530.0))
    eye, target = np.array([1000.0, 1500.0, 4000.0]), np.array([0.0, 900.0, 0.0])
    for s in (0.5, 1.0, 3.0):
        np.testing.assert_allclose(project(eye + s * (target - eye), cam), [950.0, 530.0], atol=1e-6)
    np.testing.assert_allclose(cam.position, eye, atol=1e-6)


def test_projection_by_hand():
    cam = Camera(np.eye(3), np.array([0.0, 0.0, 500.0]), (1000.0, 1100.0), (960.0, 540.0))
    # Camera coordinates (100, -50, 2000): u = 1000 * 100 / 2000 + 960, v = 1100 * -50 / 2000 + 540.
    np.testing.assert_allclose(project(np.array([100.0, -50.0, 1500.0]), cam), [1010.0, 512.5])


def test_image_up_is_world_up_and_behind_is_nan():
    r, t = look_at([0.0, 1000.0, 5000.0], [0.0, 1000.0, 0.0])
    cam = Camera(r, t, (1000.0, 1000.0), (960.0, 540.0))
    above, right_side = project(np.array([[0.0, 1500.0, 0.0], [500.0, 1000.0, 0.0]]), cam)
    assert above[1] < 540  # pixel y grows downwards
    # Looking along -Z with Y up, the camera's right is forward x up = +X.
    assert right_side[0] > 960
    assert np.isnan(project(np.array([0.0, 1000.0, 6000.0]), cam)).all()


def test_dtype_and_shape_kept():
    x = standing_person().astype(np.float32)
    cam = random_camera(0, subject=x)
    uv = project(x, cam)
    assert uv.shape == (60, 17, 2) and uv.dtype == np.float32
    with pytest.raises(ValueError, match="points"):
        project(x[..., :2], cam)


def test_pixels_per_mm_matches_a_projected_segment():
    x = standing_person()
    cam = random_camera(1, subject=x)
    ppm = pixels_per_mm(x, cam)
    centre = x.reshape(-1, 3).mean(0)
    sideways = cam.R[0] * 100.0  # 100 mm along the camera's x axis
    uv = project(np.stack([centre, centre + sideways]), cam)
    assert np.linalg.norm(uv[1] - uv[0]) == pytest.approx(100 * ppm, rel=0.15)


@pytest.mark.parametrize("seed", range(20))
def test_random_cameras_keep_a_synthetic_person_in_view(seed):
    x = standing_person()
    cam = random_camera(seed, subject=x)
    assert inside(project(x, cam), cam)
    # Without a subject, a standing person at the origin is framed.
    cam0 = random_camera(seed)
    assert inside(project(x - x[:1, :1] * np.array([1, 0, 1]), cam0), cam0)


def test_random_cameras_keep_a_real_clip_in_view():
    try:
        from synsp.data.mocap import load_clip
        from synsp.data.splits import load_split

        names = load_split("test")[:3]
        clips = [load_clip(name) for name in names]
    except (FileNotFoundError, OSError) as err:
        pytest.skip(f"shared mocap data not available: {err}")
    rng = np.random.default_rng(0)
    for clip in clips:
        for _ in range(5):
            cam = random_camera(rng, subject=clip)
            uv = project(clip, cam)
            assert inside(uv, cam)
            height = np.ptp(uv[..., 1], axis=1).max()
            assert height > 0.05 * cam.image_size[1]  # visible as a person, not a dot


def test_random_camera_is_seeded():
    a, b = random_camera(5), random_camera(5)
    np.testing.assert_array_equal(a.R, b.R)
    assert a.focal == b.focal
    assert not np.array_equal(a.R, random_camera(6).R)
