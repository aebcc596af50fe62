"""SMPL-H's and SMPL-X's joint positions (AMASS: 52; SMPLer-X, OSX, Multi-HMR, the smplx package: 55,
127): known layouts told by their count, the body through the 3D model as SMPL's 22, the hands
refined by SmoothNet at their own pace."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.cli import main
from synsp.errors import LayoutError
from synsp.motion_pace import pace_groups
from synsp.skeleton import convert, get_layout, guessed_layout

# A few names at their place in the smplx package's JOINT_NAMES (smplx/joint_names.py)
SMPLX_NAMES_AT = {0: "pelvis", 21: "right_wrist", 22: "jaw", 23: "left_eye_smplhf", 25: "left_index1",
                  37: "left_thumb1", 40: "right_index1", 54: "right_thumb3", 55: "nose", 60: "left_big_toe",
                  66: "left_thumb", 75: "right_pinky", 76: "right_eye_brow1", 95: "right_eye1", 107: "right_mouth_1",
                  126: "right_lip_3"}


def test_the_layouts_name_the_smplx_packages_joints_in_its_order():
    x127, x55, h52 = (get_layout(n).joints for n in ("smplx127", "smplx55", "smplh52"))
    assert (len(h52), len(x55), len(x127)) == (52, 55, 127)
    assert all(x127[j] == name for j, name in SMPLX_NAMES_AT.items())
    assert x127[:55] == x55 and x55[:22] == h52[:22] == get_layout("smpl22").joints and h52[22:] == x55[25:]
    for name in ("smplh52", "smplx55", "smplx127"):
        layout = get_layout(name)
        assert len(set(layout.joints)) == len(layout.joints)
        parent = dict((child, p) for p, child in layout.bones)
        assert layout.joints[parent[layout.index("left_index3")]] == "left_index2"
        assert layout.joints[parent[layout.index("right_thumb1")]] == "right_wrist"
        assert all(layout.joints[a].replace("left", "right") == layout.joints[b] for a, b in layout.left_right)
        groups = pace_groups(name)
        assert [len(groups[h]) for h in ("left_hand", "right_hand")] == [15, 15] if name != "smplx127" else [20, 20]
    # SMPL-X's mouth and face landmarks move with the head (validation: 11.2 mm as groups, 8.8 with it)
    assert {g: len(j) for g, j in pace_groups("smplx127").items()} == {"left_hand": 20, "right_hand": 20}
    for name in ("mediapipe33", "holistic543", "smpl29"):  # MediaPipe's index points stay body points
        assert not any("index" in get_layout(name).joints[j] for g in pace_groups(name).values() for j in g)


def test_the_first_22_joints_convert_as_smpl22s():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 300, (5, 127, 3))
    expected = convert(x[:, :22], "smpl22", "h36m17")
    for name in ("smplh52", "smplx55", "smplx127"):
        n = len(get_layout(name).joints)
        np.testing.assert_array_equal(convert(x[:, :n], name, "h36m17"), expected)


@needs_data
@pytest.mark.parametrize("name", ["smplh52", "smplx55", "smplx127"])
def test_told_by_count_body_by_synsp_hands_follow_their_wrists(tmp_path, capsys, name):
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "jitter", layout=name, space="3d", max_clips=1)[0]
    assert guessed_layout(case.noisy) == name
    np.save(tmp_path / "in.npy", case.noisy / 1000)  # metres, as AMASS and the estimators write them
    assert main(["refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy")]) == 0
    said = capsys.readouterr().out
    assert f"layout: {name} -> h36m17: 8 joints refined by SynSP" in said
    assert "of the face and hands by SmoothNet alone (each group at its own pace)" in said
    out = np.load(tmp_path / "out.npy") * 1000
    error = lambda x, joints: float(np.linalg.norm(x[:, joints] - case.clean[:, joints], axis=-1).mean())  # noqa: E731
    assert error(out, slice(0, 22)) < error(case.noisy, slice(0, 22))
    hands = np.r_[pace_groups(name)["left_hand"], pace_groups(name)["right_hand"]]
    assert error(out, hands) < error(case.noisy, hands)
    # the hands stay on their wrists: each point's offset from its wrist nearer the truth than the input's
    layout = get_layout(name)
    wrists = np.array([layout.index("left_wrist" if layout.joints[j].startswith("left") else "right_wrist")
                       for j in hands])
    offset = lambda x: x[:, hands] - x[:, wrists]  # noqa: E731
    gap = lambda x: float(np.linalg.norm(offset(x) - offset(case.clean), axis=-1).mean())  # noqa: E731
    assert gap(out) < gap(case.noisy)


def test_a_wrong_count_is_one_line():
    x = np.zeros((30, 52, 3), np.float32) + np.random.default_rng(1).normal(0, 1, (30, 52, 3))
    with pytest.raises(LayoutError, match=r"^layout smplx55 has 55 joints but poses has 52$"):
        synsp.refine(x, layout="smplx55")
    with pytest.raises(ValueError, match=r"^x must be \(\.\.\., T, 55, 3\) for smplx55, got shape \(30, 52, 3\)$"):
        convert(x, "smplx55", "h36m17")
