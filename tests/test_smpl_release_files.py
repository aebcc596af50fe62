"""SMPL npz files as 2026 tools write them (audit 26): AMASS's SMPL-X release with its split copies of
``poses``, TRAM's rotation matrices under another name, a rate per frame (several people stacked:
test_smpl_people.py)."""
from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from synsp.cli import main
from synsp.formats import detect_format
from test_smpl_variants import T, _rotations


def _refine(tmp_path, name: str, *args: str) -> int:
    return main(["refine", str(tmp_path / name), str(tmp_path / f"out_{name}"), "--method", "butterworth", *args])


def test_amass_smplx_split_copies_are_written_from_the_refined_poses(tmp_path, capsys):
    """Before: ``poses`` refined, ``root_orient``/``pose_body``/... left as read (two motions in one file), and
    the summary silent."""
    poses = _rotations(55).astype(np.float32)
    split = {"root_orient": poses[:, :3], "pose_body": poses[:, 3:66], "pose_jaw": poses[:, 66:69],
             "pose_eye": poses[:, 69:75], "pose_hand": poses[:, 75:165]}
    np.savez(tmp_path / "amass.npz", poses=poses, trans=np.zeros((T, 3)), mocap_frame_rate=np.array(120.0),
             **split)
    assert _refine(tmp_path, "amass.npz") == 0
    assert "AMASS's split copies 'root_orient', 'pose_body', 'pose_hand', 'pose_jaw', 'pose_eye' written" in \
        capsys.readouterr().out
    with np.load(tmp_path / "out_amass.npz") as out:
        assert not np.allclose(out["poses"], poses)
        for k, first, last in (("root_orient", 0, 3), ("pose_body", 3, 66), ("pose_jaw", 66, 69),
                               ("pose_eye", 69, 75), ("pose_hand", 75, 165)):
            assert out[k].dtype == np.float32 and np.array_equal(out[k], out["poses"][:, first:last])
    capsys.readouterr()
    assert _refine(tmp_path, "amass.npz", "--key", "pose_body", "--force") == 2
    err = capsys.readouterr().err
    assert "'pose_body' is AMASS's copy of part of 'poses': --key poses refines them all" in err


def test_smpl_24_split_copies_follow_too(tmp_path):
    poses = _rotations(24)
    np.savez(tmp_path / "smpl.npz", poses=poses, trans=np.zeros((T, 3)), root_orient=poses[:, :3],
             pose_body=poses[:, 3:66], pose_hand=poses[:, 66:72])
    assert _refine(tmp_path, "smpl.npz") == 0
    with np.load(tmp_path / "out_smpl.npz") as out:
        for k, first, last in (("root_orient", 0, 3), ("pose_body", 3, 66), ("pose_hand", 66, 72)):
            assert np.array_equal(out[k], out["poses"][:, first:last])


def test_a_split_copy_that_is_not_poses_slice_is_kept_and_said(tmp_path, capsys):
    poses = _rotations(55)
    np.savez(tmp_path / "amass.npz", poses=poses, trans=np.zeros((T, 3)), root_orient=poses[:, :3],
             pose_body=poses[:, 3:66] + 0.1)
    assert _refine(tmp_path, "amass.npz") == 0
    said = capsys.readouterr().out
    assert "copies 'root_orient' written" in said and "'pose_body' (60, 63) (not the slice" in said
    with np.load(tmp_path / "out_amass.npz") as out:
        assert np.array_equal(out["pose_body"], poses[:, 3:66] + 0.1)


def test_rotation_matrices_under_another_name_are_refined_as_rotations(tmp_path, capsys):
    """Before: ``--key pred_rotmat`` smoothed the matrices as 3D points, written back non-orthonormal."""
    rotmat = Rotation.from_rotvec(_rotations(24).reshape(-1, 3)).as_matrix().reshape(T, 24, 3, 3).astype(np.float32)
    trans = np.random.default_rng(2).normal(0, 0.01, (T, 1, 3)).astype(np.float32)
    np.savez(tmp_path / "tram.npz", pred_rotmat=rotmat, pred_trans=trans, pred_shape=np.zeros((T, 10)))
    assert detect_format(tmp_path / "tram.npz", key="pred_rotmat") == "smpl"
    assert _refine(tmp_path, "tram.npz", "--key", "pred_rotmat") == 0
    assert "smpl: 24 joint rotations refined" in capsys.readouterr().out
    with np.load(tmp_path / "out_tram.npz") as out:
        rot, moved = out["pred_rotmat"], out["pred_trans"]
    assert rot.shape == rotmat.shape and rot.dtype == np.float32 and not np.allclose(rot, rotmat)
    assert np.abs(np.swapaxes(rot, -1, -2) @ rot - np.eye(3)).max() < 1e-5
    assert moved.shape == trans.shape and not np.allclose(moved, trans)


def test_a_rate_per_frame_is_read_when_all_equal_and_refused_when_not(tmp_path, capsys):
    poses = _rotations(24)
    np.savez(tmp_path / "even.npz", poses=poses, trans=np.zeros((T, 3)), fps=np.full(T, 60.0))
    np.savez(tmp_path / "sixty.npz", poses=poses, trans=np.zeros((T, 3)), fps=np.array(60.0))
    assert _refine(tmp_path, "even.npz") == 0 and _refine(tmp_path, "sixty.npz") == 0
    with np.load(tmp_path / "out_even.npz") as a, np.load(tmp_path / "out_sixty.npz") as b:
        assert np.array_equal(a["poses"], b["poses"])
    capsys.readouterr()
    np.savez(tmp_path / "uneven.npz", poses=poses, trans=np.zeros((T, 3)), fps=np.linspace(30, 60, T))
    assert _refine(tmp_path, "uneven.npz") == 2
    err = capsys.readouterr().err
    assert "'fps' holds 60 different frame rates (30 to 60); pass --fps" in err and len(err.strip().splitlines()) == 1
    assert _refine(tmp_path, "uneven.npz", "--fps", "30") == 0


def test_axis_angle_past_pi_is_written_on_the_files_branch(tmp_path):
    """A root spun past pi and kept continuous in the file came back on the principal branch (jumps of 2 pi where
    nothing moved); now on the file's branch, the same rotations. Joints within pi: principal, as before."""
    poses = _rotations(24) * 0.2
    spin = np.linspace(0.3, 4 * np.pi - 0.3, T)  # the root's angle, about one axis, past pi and 2 pi
    poses[:, :3] = spin[:, None] * np.array([0.0, 1.0, 0.0])
    np.savez(tmp_path / "spin.npz", poses=poses, trans=np.zeros((T, 3)))
    assert _refine(tmp_path, "spin.npz") == 0
    with np.load(tmp_path / "out_spin.npz") as out:
        root = out["poses"][:, :3]
    assert np.abs(np.diff(root, axis=0)).max() < 0.5 and np.abs(root - poses[:, :3]).max() < 0.05
    turned = Rotation.from_rotvec(root).inv() * Rotation.from_rotvec(poses[:, :3])
    assert turned.magnitude().max() < 0.05
