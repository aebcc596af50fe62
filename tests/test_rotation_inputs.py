"""Rotation files (SMPL npz, BVH) with joints the network does not know, bad rows, no frames,
no frame rate, pickled side arrays, and Euler flips."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from synsp.formats.smpl import read_motion as read_smpl
from synsp.refining.files import refine_file
from synsp.rotations.conversions import geodesic_angle


def _noisy_smpl(t: int, joints: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    phase = np.linspace(0, 2 * np.pi, t)[:, None, None]
    clean = 0.4 * np.sin(phase + rng.uniform(0, 6, (1, joints, 3)))
    noisy = Rotation.from_rotvec(rng.normal(0, 0.05, (t * joints, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    truth = Rotation.from_rotvec(clean.reshape(-1, 3)).as_matrix().reshape(t, joints, 3, 3)
    return noisy.as_rotvec().reshape(t, joints * 3), truth


@pytest.mark.parametrize("joints", [52, 55])
def test_fingers_jaw_and_eyes_are_filtered_where_the_network_stops(tmp_path, joints):
    t = 60
    noisy, truth = _noisy_smpl(t, joints)
    np.savez(tmp_path / "in.npz", poses=noisy, trans=np.zeros((t, 3)), mocap_framerate=np.array(30.0))
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.npz")
    before, after = read_smpl(tmp_path / "in.npz"), read_smpl(tmp_path / "out.npz")
    error_in = geodesic_angle(before.rotations[:, 22:], truth[:, 22:]).mean()
    error_out = geodesic_angle(after.rotations[:, 22:], truth[:, 22:]).mean()
    assert error_out < 0.7 * error_in
    note = summary.notes[0]
    assert f"{joints} joint rotations" in note and "22 by synsp" in note
    assert f"{joints - 22} (fingers" in note and "by butterworth" in note


def test_a_non_finite_bvh_channel_is_named_by_frame_joint_and_channel(tmp_path):
    from test_bvh import TINY

    path = tmp_path / "nan.bvh"
    path.write_text(TINY.replace("0 0 0 0 90 0   0 1 0", "0 0 0 0 nan 0   0 1 0"))
    with pytest.raises(ValueError, match=r"nan\.bvh: frame 2, joint 'root' channel Xrotation is nan") as err:
        refine_file(path, tmp_path / "out.bvh")
    assert "\n" not in str(err.value)


def test_files_of_no_frames_say_so(tmp_path):
    from test_bvh import TINY

    head = TINY.split("Frames:")[0]
    (tmp_path / "zero.bvh").write_text(head + "Frames: 0\nFrame Time: 0.0333333\n")
    with pytest.raises(ValueError, match=r"zero\.bvh: no frames"):
        refine_file(tmp_path / "zero.bvh", tmp_path / "out.bvh")
    np.savez(tmp_path / "zero.npz", poses=np.zeros((0, 156)), trans=np.zeros((0, 3)), betas=np.zeros(16))
    with pytest.raises(ValueError, match=r"zero\.npz: .*no frames"):
        refine_file(tmp_path / "zero.npz", tmp_path / "out.npz")


def test_an_smpl_file_without_a_frame_rate_says_it_was_taken_as_30(tmp_path):
    noisy, _ = _noisy_smpl(40, 24)
    np.savez(tmp_path / "in.npz", poses=noisy, trans=np.zeros((40, 3)))
    note = "fps: the file names no frame rate; taken as 30 fps (--fps to give it)"
    assert note in refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="gaussian").notes
    assert note not in refine_file(tmp_path / "in.npz", tmp_path / "o2.npz", method="gaussian", fps=30).notes
    np.savez(tmp_path / "rate.npz", poses=noisy, trans=np.zeros((40, 3)), mocap_framerate=np.array(30.0))
    assert note not in refine_file(tmp_path / "rate.npz", tmp_path / "o3.npz", method="gaussian").notes


def test_a_pickled_side_array_is_carried_over_byte_for_byte_never_unpickled(tmp_path):
    import zipfile

    noisy, _ = _noisy_smpl(40, 24)
    np.savez(tmp_path / "in.npz", poses=noisy, trans=np.zeros((40, 3)), betas=np.zeros(10),
             gender=np.array(["female"], dtype=object), mocap_framerate=np.array(30.0))
    refine_file(tmp_path / "in.npz", tmp_path / "out.npz", method="gaussian")
    with zipfile.ZipFile(tmp_path / "in.npz") as src, zipfile.ZipFile(tmp_path / "out.npz") as out:
        assert sorted(out.namelist()) == sorted(src.namelist())
        assert out.read("gender.npy") == src.read("gender.npy")
    with np.load(tmp_path / "out.npz", allow_pickle=False) as out:
        assert out["poses"].shape == (40, 72) and not np.allclose(out["poses"], noisy)
    np.savez(tmp_path / "objposes.npz", poses=np.array([noisy[0], None], dtype=object), trans=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"objposes\.npz: 'poses' is a pickled"):
        refine_file(tmp_path / "objposes.npz", tmp_path / "o2.npz", in_format="smpl")


def test_an_euler_flip_in_a_bvh_comes_back_continuous(tmp_path):
    from synsp.formats.bvh import read_bvh
    from synsp.rotations.conversions import matrix_from_euler
    from test_bvh import TINY

    t = 60
    head = TINY.split("Frames:")[0]
    zxy = np.stack([170 + 15 * np.sin(np.linspace(0, 3, t)), 10 * np.sin(np.linspace(0, 5, t)), np.full(t, 20.0)], -1)
    flipped = zxy.copy()
    # frame 30's twin triple (the same rotation, another branch) and frame 40 wrapped by -360
    flipped[30] = [zxy[30, 0] - 180, 180 - zxy[30, 1], zxy[30, 2] - 180]
    flipped[40, 0] -= 360
    assert np.allclose(matrix_from_euler(flipped[30], "ZXY"), matrix_from_euler(zxy[30], "ZXY"))
    rows = [" ".join(f"{v:.6f}" for v in [0, 90, 0, *flipped[i], 0, 0, 0, 0, 0, 0, 5, 5, 5]) for i in range(t)]
    (tmp_path / "in.bvh").write_text(head + f"Frames: {t}\nFrame Time: 0.0333333\n" + "\n".join(rows) + "\n")
    refine_file(tmp_path / "in.bvh", tmp_path / "out.bvh", method="gaussian")
    out = read_bvh(tmp_path / "out.bvh").rotations[:, 0]
    assert np.abs(np.diff(out, axis=0)).max() < 20  # no 180 / 360 degree jumps
    assert np.abs(np.diff(read_bvh(tmp_path / "in.bvh").rotations[:, 0], axis=0)).max() > 300
