"""SMPL npz files as users save them: VIBE's whole output (``pose`` beside ``joints3d``), ``poses``
alone, and the smplx package's split keys (hands, jaw, eyes): each refined whole, or the summary
says which arrays were kept as they were and how to refine them."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import synsp
from synsp.cli import main
from synsp.formats import detect_format

T = 60


def _rotations(joints: int, seed: int = 4) -> np.ndarray:
    """(T, 3 * joints) axis-angle: slow turns with 3 degrees of jitter."""
    rng = np.random.default_rng(seed)
    clean = 0.5 * np.sin(np.linspace(0, 3 * np.pi, T)[:, None, None] + rng.uniform(0, 6, (1, joints, 3)))
    noisy = Rotation.from_rotvec(rng.normal(0, 0.05, (T * joints, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    return noisy.as_rotvec().reshape(T, 3 * joints)


def test_vibes_whole_output_says_its_rotations_were_kept_and_key_pose_refines_them(tmp_path, capsys):
    """Before: ``joints3d`` refined, ``pose`` silently untouched, and ``--key pose`` an error
    ("poses must be numbers shaped (T, J, C) ...")."""
    pose = _rotations(24).astype(np.float32)
    joints = np.random.default_rng(1).normal(0, 0.3, (T, 24, 3)).astype(np.float32)
    np.savez(tmp_path / "vibe.npz", pose=pose, betas=np.zeros((T, 10), np.float32),
             pred_cam=np.ones((T, 3), np.float32), joints3d=joints)
    assert detect_format(tmp_path / "vibe.npz") == "npz"  # joint positions by default, as documented
    assert main(["refine", str(tmp_path / "vibe.npz"), str(tmp_path / "a.npz"), "--method", "savgol"]) == 0
    said = capsys.readouterr().out
    assert "'joints3d' refined as joint positions" in said and "'pose' (60, 72) kept as they were" in said
    assert "--key pose refines the rotations" in said
    with np.load(tmp_path / "a.npz") as out:
        assert np.array_equal(out["pose"], pose) and not np.allclose(out["joints3d"], joints)

    assert detect_format(tmp_path / "vibe.npz", key="pose") == "smpl"
    assert main(["refine", str(tmp_path / "vibe.npz"), str(tmp_path / "b.npz"), "--key", "pose",
                 "--method", "butterworth"]) == 0
    said = capsys.readouterr().out
    assert "smpl: 24 joint rotations" in said and "refined 'pose'; kept as they were: 'joints3d' (60, 24, 3)" in said
    with np.load(tmp_path / "b.npz") as out:
        assert np.array_equal(out["joints3d"], joints) and out["pose"].dtype == np.float32
        np.testing.assert_allclose(out["pose"], synsp.refine_smpl(pose, fps=30, method="butterworth"), atol=1e-5)
    # --key joints3d still names the positions
    assert detect_format(tmp_path / "vibe.npz", key="joints3d") == "npz"


def test_poses_alone_are_smpl_axis_angle(tmp_path, capsys):
    """``np.savez("x.npz", poses=poses)`` of (T, 72): before, "poses must be numbers shaped (T, J, C)";
    now SMPL rotations (no joint positions are 2-D), refined as ``refine_smpl`` refines them. (T, 24, 3)
    alone could be joint positions in metres, and stays read as them."""
    poses = _rotations(24)
    np.savez(tmp_path / "bare.npz", poses=poses)
    assert detect_format(tmp_path / "bare.npz") == "smpl"
    assert main(["refine", str(tmp_path / "bare.npz"), str(tmp_path / "out.npz"), "--method", "butterworth"]) == 0
    assert "smpl: 24 joint rotations refined" in capsys.readouterr().out
    with np.load(tmp_path / "out.npz") as out:
        assert out.files == ["poses"]
        np.testing.assert_allclose(out["poses"], synsp.refine_smpl(poses, fps=30, method="butterworth"), atol=1e-6)
    np.savez(tmp_path / "body.npz", pose=poses[:, :66])  # the body's 22 joints, under an estimator's key
    assert detect_format(tmp_path / "body.npz") == "smpl"
    np.savez(tmp_path / "positions.npz", poses=poses.reshape(T, 24, 3))
    assert detect_format(tmp_path / "positions.npz") == "npz"


@pytest.fixture
def smplx(tmp_path):
    """The smplx package's output split by key, and the same rotations as AMASS's SMPL-X ``poses`` (T, 165)."""
    poses = _rotations(55, seed=7)
    parts = {"global_orient": poses[:, :3], "body_pose": poses[:, 3:66], "jaw_pose": poses[:, 66:69],
             "leye_pose": poses[:, 69:72], "reye_pose": poses[:, 72:75], "left_hand_pose": poses[:, 75:120],
             "right_hand_pose": poses[:, 120:165]}
    extra = {"transl": np.zeros((T, 3)), "betas": np.zeros((1, 10)), "expression": np.zeros((T, 10))}
    np.savez(tmp_path / "split.npz", **parts, **extra)
    np.savez(tmp_path / "joined.npz", poses=poses, trans=extra["transl"], betas=np.zeros(10))
    return parts, extra


def test_smplx_split_hands_jaw_and_eyes_are_refined_as_in_poses(smplx, tmp_path, capsys):
    """Before: 22 joints refined, the hand, jaw and eye poses silently written back unchanged. Now
    the 55 joints are refined as the same rotations in ``poses`` (T, 165) are, fingers, jaw and eyes
    by the rotation filter."""
    parts, extra = smplx
    for name in ("split", "joined"):
        assert main(["refine", str(tmp_path / f"{name}.npz"), str(tmp_path / f"{name}_out.npz")]) == 0
        assert "smpl: 55 joint rotations: 22 by synsp" in capsys.readouterr().out
    with np.load(tmp_path / "split_out.npz") as split, np.load(tmp_path / "joined_out.npz") as joined:
        assert set(split.files) == {*parts, *extra}
        got = np.concatenate([split[k] for k in parts], axis=1)
        np.testing.assert_allclose(got, joined["poses"], atol=1e-6)
        for k in ("left_hand_pose", "jaw_pose"):
            assert split[k].shape == parts[k].shape and not np.allclose(split[k], parts[k])
        assert np.array_equal(split["expression"], extra["expression"])


def test_smplx_pca_hand_poses_are_kept_and_said(smplx, tmp_path, capsys):
    """The smplx package's default hand poses are 6 PCA coefficients, not joint rotations: the body
    is refined, the hand, jaw and eye poses are kept, and the summary names them and says why."""
    parts, extra = smplx
    pca = {**parts, **{k: parts[k][:, :6] for k in ("left_hand_pose", "right_hand_pose")}}
    np.savez(tmp_path / "pca.npz", **pca, **extra)
    assert main(["refine", str(tmp_path / "pca.npz"), str(tmp_path / "out.npz"), "--method", "butterworth"]) == 0
    said = capsys.readouterr().out
    assert "smpl: 22 joint rotations" in said and "refined 'global_orient' and 'body_pose'; kept as they were" in said
    assert "'left_hand_pose' (60, 6)" in said and "not PCA coefficients" in said
    with np.load(tmp_path / "out.npz") as out:
        assert all(np.array_equal(out[k], pca[k]) for k in ("jaw_pose", "left_hand_pose", "right_hand_pose"))
        assert not np.allclose(out["body_pose"], pca["body_pose"])


def test_stacked_smplx_split_refines_each_persons_hands_as_one_persons_file(smplx, tmp_path, capsys):
    """Before: a file stacking two people's split smplx poses had its hands kept, the split worked out on the
    stacked shapes (a hand's (P, T, 45) read as no rotations), while the summary said both hands qualified."""
    parts, extra = smplx
    other = _rotations(55, seed=8)
    second = {"global_orient": other[:, :3], "body_pose": other[:, 3:66], "jaw_pose": other[:, 66:69],
              "leye_pose": other[:, 69:72], "reye_pose": other[:, 72:75], "left_hand_pose": other[:, 75:120],
              "right_hand_pose": other[:, 120:165]}
    np.savez(tmp_path / "second.npz", **second, **extra)
    np.savez(tmp_path / "two.npz", **{k: np.stack([parts[k], second[k]]) for k in parts},
             transl=np.zeros((2, T, 3)), betas=np.zeros((2, 10)))
    for name in ("split", "second", "two"):
        args = ["refine", str(tmp_path / f"{name}.npz"), str(tmp_path / f"{name}_out.npz"), "--method", "butterworth"]
        assert main(args) == 0
    said = capsys.readouterr().out
    assert "kept as they were" not in said and "people: 2 stacked on a leading person axis (2, 60, 63)" in said
    with np.load(tmp_path / "two_out.npz") as two, np.load(tmp_path / "split_out.npz") as first, \
            np.load(tmp_path / "second_out.npz") as second_out:
        for k in parts:
            np.testing.assert_allclose(two[k][0], first[k], atol=1e-6)
            np.testing.assert_allclose(two[k][1], second_out[k], atol=1e-6)
        assert not np.allclose(two["left_hand_pose"], np.stack([parts["left_hand_pose"], second["left_hand_pose"]]))
