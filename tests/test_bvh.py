"""BVH reader and forward kinematics: a hand-computed file, Euler convention, errors, real clips."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from synsp.formats.bvh import euler_to_matrix, forward_kinematics, read_bvh


@pytest.fixture
def mocap_dir() -> Path:
    from synsp.paths import data_root

    try:
        return data_root() / "bandai-namco"
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")

# root (6 channels) -> a (6 channels: its positions replace OFFSET 99 99 99) -> b (3 rotation
# channels: its OFFSET 0 2 0 is used) -> End Site.
TINY = """HIERARCHY
ROOT root
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT a
  {
    OFFSET 99 99 99
    CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
    JOINT b
    {
      OFFSET 0 2 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      End Site
      {
        OFFSET 0 0 1
      }
    }
  }
}
MOTION
Frames: 3
Frame Time: 0.0333333
1 2 3 90 0 0   1 0 0 0 0 0   0 0 0
0 0 0 0 90 0   0 1 0 0 0 90   0 0 0
0 0 0 90 90 0  1 0 0 0 0 0   30 40 50
"""

# Hand-computed global positions, frame by frame (R = Rz @ Rx @ Ry on column vectors):
# 0: Rz(90) maps x->y: a = (1,2,3) + (0,1,0); b = a + Rz(90)(0,2,0) = a + (-2,0,0).
# 1: Rx(90) maps y->z: a = (0,0,1); Ry(90) keeps y, so b = a + Rx(90)(0,2,0) = (0,0,3).
# 2: Rz(90) @ Rx(90) (intrinsic Z then X): a = Rz(Rx(1,0,0)) = (0,1,0);
#    b = a + Rz(Rx(0,2,0)) = a + Rz(0,0,2) = (0,1,2). (Extrinsic order would give a = (0,0,1).)
EXPECTED = np.array([
    [[1, 2, 3], [1, 3, 3], [-1, 3, 3]],
    [[0, 0, 0], [0, 0, 1], [0, 0, 3]],
    [[0, 0, 0], [0, 1, 0], [0, 1, 2]],
], dtype=float)


def write(tmp_path: Path, text: str, name: str = "tiny.bvh") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_tiny_file_parses(tmp_path):
    m = read_bvh(write(tmp_path, TINY))
    assert m.names == ("root", "a", "b")
    assert m.parents.tolist() == [-1, 0, 1]
    assert m.orders == ("ZXY", "ZXY", "ZXY")
    assert m.n_frames == 3 and m.frame_time == pytest.approx(1 / 30, rel=1e-5)
    assert m.translations.shape == (3, 3, 3) and m.rotations.shape == (3, 3, 3)
    np.testing.assert_allclose(m.translations[:, 1], [[1, 0, 0], [0, 1, 0], [1, 0, 0]])  # replaced, not added
    np.testing.assert_allclose(m.translations[:, 2], np.tile([0, 2, 0], (3, 1)))  # no position channels
    np.testing.assert_allclose(m.rotations[2, 2], [30, 40, 50])


def test_tiny_fk_matches_hand_computation(tmp_path):
    m = read_bvh(write(tmp_path, TINY))
    pos, rot = forward_kinematics(m)
    np.testing.assert_allclose(pos, EXPECTED, atol=1e-9)
    np.testing.assert_allclose(rot[2, 0], Rotation.from_euler("ZXY", [90, 90, 0], degrees=True).as_matrix(), atol=1e-12)
    local_b = Rotation.from_euler("ZXY", [30, 40, 50], degrees=True).as_matrix()
    np.testing.assert_allclose(rot[2, 2], rot[2, 1] @ local_b, atol=1e-12)


@pytest.mark.parametrize("order", ["ZXY", "XYZ", "YZX", "ZYX"])
def test_euler_matches_scipy_intrinsic(order):
    angles = np.random.default_rng(0).uniform(-180, 180, size=(5, 4, 3))
    ours = euler_to_matrix(angles, order)
    ref = Rotation.from_euler(order, angles.reshape(-1, 3), degrees=True).as_matrix().reshape(5, 4, 3, 3)
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_euler_rejects_bad_input():
    with pytest.raises(ValueError, match="angles"):
        euler_to_matrix(np.zeros((4, 2)), "ZXY")
    with pytest.raises(ValueError, match="order"):
        euler_to_matrix(np.zeros((4, 3)), "ZZY")


@pytest.mark.parametrize("broken, message", [
    (TINY.replace("Frames: 3", "Frames: 4"), "Frames: 4 but 3 rows"),
    (TINY.replace("30 40 50", "30 forty 50"), "bad MOTION data"),
    (TINY.replace("30 40 50", "30 40"), "bad MOTION data"),
    (TINY.replace("   0 0 0\n", "\n"), "bad MOTION data|values"),
    (TINY.split("MOTION")[0], "no MOTION"),
    (TINY.replace("HIERARCHY", "HIERARCH"), "HIERARCHY"),
    (TINY.replace("  }\n}\nMOTION", "}\nMOTION"), "unbalanced"),
    (TINY.replace("Zrotation Xrotation Yrotation\n      End", "Zrotation Xrotation Wrotation\n      End"),
     "unknown channel"),
    (TINY.replace("Frame Time: 0.0333333", "Frame Time: soon"), "Frame Time"),
])
def test_malformed_file_names_file_and_problem(tmp_path, broken, message):
    path = write(tmp_path, broken, "broken.bvh")
    with pytest.raises(ValueError, match=message) as err:
        read_bvh(path)
    assert "broken.bvh" in str(err.value)


def test_zero_frames(tmp_path):
    text = TINY.split("Frames:")[0] + "Frames: 0\nFrame Time: 0.0333333\n"
    m = read_bvh(write(tmp_path, text))
    pos, rot = forward_kinematics(m)
    assert pos.shape == (0, 3, 3) and rot.shape == (0, 3, 3, 3)


def test_real_clips_rigid_bones(mocap_dir):
    """Parser + FK straight from the files (no cache): every bone keeps its length."""
    for path in [mocap_dir / "ds1" / "dataset-1_walk_normal_001.bvh",
                 mocap_dir / "ds1" / "dataset-1_dash_normal_001.bvh",  # its joint_Root moves
                 mocap_dir / "ds2" / "dataset-2_wave-left-hand_normal_001.bvh"]:
        m = read_bvh(path)
        pos, rot = forward_kinematics(m)
        assert m.fps == pytest.approx(30, rel=1e-4) and pos.shape == (m.n_frames, 22, 3)
        child = np.arange(2, 22)  # joint_Root -> Hips is a moving translation, not a bone
        lengths = np.linalg.norm(pos[:, child] - pos[:, m.parents[child]], axis=-1)
        assert np.ptp(lengths, axis=0).max() < 1e-9
        np.testing.assert_allclose(rot @ np.swapaxes(rot, -1, -2), np.broadcast_to(np.eye(3), rot.shape), atol=1e-9)
        assert 80 < pos[:, 1, 1].mean() < 100  # Hips height in cm, Y up


def test_a_joint_named_with_motion_inside_is_no_section_break(tmp_path):
    # the section starts at the MOTION keyword's own line: "SpineMOTIONfix" once split the HIERARCHY there
    m = read_bvh(write(tmp_path, TINY.replace("JOINT b", "JOINT SpineMOTIONfix")))
    assert m.names == ("root", "a", "SpineMOTIONfix") and m.n_frames == 3
    np.testing.assert_allclose(forward_kinematics(m)[0], EXPECTED, atol=1e-9)


def test_the_motion_header_is_written_back_with_its_own_separators(tmp_path):
    from synsp.formats.bvh import write_bvh

    text = TINY.replace("Frames: 3", "Frames:\t3").replace("Frame Time: 0.0333333", "Frame Time:\t0.0333333")
    write_bvh(tmp_path / "out.bvh", read_bvh(write(tmp_path, text)))
    assert "MOTION\nFrames:\t3\nFrame Time:\t0.0333333\n" in (tmp_path / "out.bvh").read_text()
    write_bvh(tmp_path / "plain.bvh", read_bvh(write(tmp_path, TINY, "plain_in.bvh")))
    assert "MOTION\nFrames: 3\nFrame Time: 0.0333333\n" in (tmp_path / "plain.bvh").read_text()


def _spinning_root(tmp_path: Path) -> Path:
    """TINY's skeleton, its root turning 25 degrees a frame about Y, written in (-180, 180] as exporters write it."""
    frames = 40
    yaw = (np.arange(frames) * 25.0 + 180.0) % 360.0 - 180.0  # wraps from 170 to -165 and on
    rows = "".join(f"0 0 0 5 10 {y:g}  1 0 0 0 0 0  30 40 50\n" for y in yaw)
    return write(tmp_path, TINY.split("Frames:")[0] + f"Frames: {frames}\nFrame Time: 0.0333333\n" + rows, "spin.bvh")


def test_an_untouched_spinning_root_is_written_with_its_own_numbers(tmp_path):
    from synsp.formats.bvh import read_motion, write_motion

    path = _spinning_root(tmp_path)
    write_motion(tmp_path / "out.bvh", read_motion(path))  # nothing refined
    given, written = read_bvh(path).rotations, read_bvh(tmp_path / "out.bvh").rotations
    np.testing.assert_allclose(written, given, atol=1e-5)  # not unwrapped to 950 degrees


def test_a_refined_spinning_root_keeps_the_input_s_range_and_wraps(tmp_path):
    from dataclasses import replace

    from synsp.formats.bvh import read_motion, write_motion

    path = _spinning_root(tmp_path)
    motion = read_motion(path)
    nudge = Rotation.from_rotvec(np.random.default_rng(0).normal(0, 0.01, (40, 3))).as_matrix()  # ~0.6 degrees
    rotations = motion.rotations.copy()
    rotations[:, 0] = rotations[:, 0] @ nudge
    write_motion(tmp_path / "out.bvh", replace(motion, rotations=rotations))
    given, written = read_bvh(path).rotations[:, 0], read_bvh(tmp_path / "out.bvh").rotations[:, 0]
    assert np.abs(written - given).max() < 3  # each angle on the input's branch, wraps where the input's are
    assert np.abs(written).max() <= 182


def test_joint_names_with_spaces_are_the_rest_of_their_line(tmp_path):
    # 3ds Max Biped exports name joints "Bip01 L Thigh": the name is the rest of the ROOT / JOINT line, stripped
    text = TINY.replace("ROOT root", "ROOT Bip01").replace("JOINT a", "JOINT Bip01 L Thigh  \t")
    text = text.replace("JOINT b\n    {", "JOINT Bip01 L Calf {")  # a brace on the name's line splits off
    m = read_bvh(write(tmp_path, text))
    assert m.names == ("Bip01", "Bip01 L Thigh", "Bip01 L Calf") and m.parents.tolist() == [-1, 0, 1]
    np.testing.assert_allclose(forward_kinematics(m)[0], EXPECTED, atol=1e-9)
    with pytest.raises(ValueError, match="JOINT without a name"):
        read_bvh(write(tmp_path, TINY.replace("JOINT a", "JOINT"), "nameless.bvh"))
