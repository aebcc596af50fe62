"""Skeletons that hold the model's joints among more of their own (Human3.6M's 32, Kinect v2's 25, a user's own
``Layout`` naming H36M-17's joints): converted by name, so SynSP refines those joints (audit 9, finding 3: they were
refined as joints of no layout, by SmoothNet, 7.19 mm on H36M-32's 17 H36M joints against 6.60 cut out, validation)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.errors import LayoutError
from synsp.skeleton import H36M17, H36M32, KINECT25, KINECT32, LAYOUTS, Layout, can_convert, convert, guessed_layout

H36M_IN_32 = [H36M32.index(name) for name in H36M17.joints]
KINECT_AS_H36M = [KINECT25.index("neck" if name == "neck_nose" else name) for name in H36M17.joints]


def test_h36m32_kinect25_and_a_users_layout_convert_to_the_models_joints_by_name():
    x = np.random.default_rng(0).normal(size=(5, 32, 3))
    np.testing.assert_array_equal(convert(x, "h36m32", "h36m17"), x[:, H36M_IN_32])
    np.testing.assert_array_equal(convert(x, "h36m32", "coco17"), convert(x[:, H36M_IN_32], "h36m17", "coco17"))
    k = x[:, :25]
    np.testing.assert_array_equal(convert(k, "kinect25", "h36m17"), k[:, KINECT_AS_H36M])  # its neck: H36M's neck/nose
    mine = Layout("mine_h36m_plus", H36M17.joints[::-1] + ("left_toe", "right_toe"), (), (), None)  # not registered
    assert can_convert(mine, "h36m17") and can_convert(mine, "coco17")
    y = x[:, :19]
    np.testing.assert_array_equal(convert(y, mine, "h36m17"), y[:, [mine.index(n) for n in H36M17.joints]])
    assert H36M32.sides.sum() == KINECT25.sides.sum() == 0 and H36M32.flip_index[H36M32.index("left_thumb")] == \
        H36M32.index("right_thumb")


def _body(name: str, frames: int = 150) -> tuple[np.ndarray, np.ndarray]:
    from synsp.data.mocap import load_clip

    return (load_clip(name, "h36m17")[:frames].astype(np.float64),
            load_clip(name, "mediapipe33")[:frames].astype(np.float64))


def _h36m32(h: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Human3.6M's 32 joints from the mocap's H36M-17 and MediaPipe-33 (toes, thumbs, hands; the duplicates)."""
    out = np.empty(h.shape[:1] + (32, 3))
    out[:, H36M_IN_32] = h
    mp = {name: m[:, i] for i, name in enumerate(LAYOUTS["mediapipe33"].joints)}
    for side in ("left", "right"):
        toe = mp[f"{side}_foot_index"]
        ankle = h[:, H36M17.index(f"{side}_ankle")]
        out[:, H36M32.index(f"{side}_toe")], out[:, H36M32.index(f"{side}_toe_site")] = toe, toe + 0.3 * (toe - ankle)
        for a, b in (("thumb", "thumb"), ("wrist_end", "index")):
            out[:, H36M32.index(f"{side}_{a}")] = out[:, H36M32.index(f"{side}_{a}_site")] = mp[f"{side}_{b}"]
        out[:, H36M32.index(f"{side}_clavicle")] = h[:, H36M17.index("thorax")]
    out[:, H36M32.index("spine_base")] = h[:, 0]
    return out


@needs_data
def test_h36m32_and_a_users_own_layout_are_refined_through_synsp_on_their_h36m_joints():
    """A validation clip in Human3.6M's 32 joints with 8 mm of white noise: its 17 H36M joints come out as near as
    when cut out and refined alone, told by the joint count, named, or as a user's own Layout (not registered: it was
    a LayoutError; registered, it was refined as joints of no layout, 8-10 % further off on these clips)."""
    truth = _h36m32(*_body("dataset-2_raise-up-left-hand_normal_014"))
    noisy = truth + np.random.default_rng(1).normal(0.0, 8.0, truth.shape)

    def err(out: np.ndarray) -> float:
        return float(np.linalg.norm(out[:, H36M_IN_32] - truth[:, H36M_IN_32], axis=-1).mean())

    alone = float(np.linalg.norm(synsp.refine(noisy[:, H36M_IN_32], fps=30) - truth[:, H36M_IN_32], axis=-1).mean())
    names = ["spine0" if n == "spine_base" else n.replace("_site", "_end") for n in H36M32.joints]
    mine = Layout("users_h36m32", tuple(names), H36M32.bones, H36M32.left_right, 0)
    try:
        for out in (synsp.refine(noisy, fps=30), synsp.refine(noisy, layout="h36m32", fps=30),
                    synsp.refine(noisy, layout=mine, fps=30)):
            assert err(out) < 1.02 * alone
        assert err(synsp.refine(noisy, "smoothnet", fps=30)) > 1.05 * alone
    finally:
        LAYOUTS.pop("users_h36m32", None)


@needs_data
def test_a_files_summary_names_the_joints_of_a_users_layout_that_synsp_refined(tmp_path):
    from synsp.refining.files import refine_file

    truth = _h36m32(*_body("dataset-2_walk_normal_002", 60))
    np.save(tmp_path / "in.npy", truth + np.random.default_rng(2).normal(0.0, 8.0, truth.shape))
    names = tuple(f"{name}_x" if name not in H36M17.joints else name for name in H36M32.joints)
    mine, other = (Layout(name, joints, H36M32.bones, H36M32.left_right, 0) for name, joints in
                   (("users_32", names), ("users_32_own_names", tuple(f"p{j}" for j in range(32)))))
    try:
        said = str(refine_file(tmp_path / "in.npy", tmp_path / "a.npy", layout=mine))
        assert f"layout: users_32 -> h36m17: 17 joints refined by SynSP ({', '.join(H36M17.joints)})" in said
        said = str(refine_file(tmp_path / "in.npy", tmp_path / "b.npy", layout=other))
        assert "not convertible to the h36m17 model's joints (its joints go through SynSP when their names hold" in said
        assert "layout: h36m32 -> h36m17" in str(refine_file(tmp_path / "in.npy", tmp_path / "c.npy"))  # synsp's
    finally:
        LAYOUTS.pop("users_32", None), LAYOUTS.pop("users_32_own_names", None)


def test_a_layout_of_another_layouts_name_is_a_layout_error():
    with pytest.raises(LayoutError, match="another name"):
        synsp.refine(np.zeros((20, 17, 2)) + np.arange(17)[:, None], "savgol",
                     layout=Layout("h36m17", LAYOUTS["coco17"].joints, (), (), None))


@needs_data
def test_25_joints_are_told_body25_or_kinect25_from_the_poses():
    from synsp.data.mocap import load_clip

    name = "dataset-1_walk_not-confident_002"
    assert guessed_layout(load_clip(name, "body25")[:150]) == "body25"
    h, m = _body(name)
    kinect = np.zeros(h.shape[:1] + (25, 3))
    kinect[:, KINECT_AS_H36M] = h
    mp = {n: m[:, i] for i, n in enumerate(LAYOUTS["mediapipe33"].joints)}
    for side in ("left", "right"):
        for joint, point in (("hand", "index"), ("thumb", "thumb"), ("foot", "foot_index")):
            kinect[:, KINECT25.index(f"{side}_{joint}")] = mp[f"{side}_{point}"]
        wrist = h[:, H36M17.index(f"{side}_wrist")]
        kinect[:, KINECT25.index(f"{side}_hand_tip")] = wrist + 1.6 * (mp[f"{side}_index"] - wrist)
    assert guessed_layout(kinect) == "kinect25"


@needs_data
def test_32_joints_are_told_h36m32_or_kinect32_and_azure_kinects_are_refined_through_synsp():
    """Azure Kinect's 32 joints on a running clip were read in Human3.6M-32's order and refined worse than the
    input (audit 34, finding 3): told from the poses, they are converted by name and refined by SynSP."""
    import importlib.util
    from pathlib import Path

    from synsp.data.mocap import load_clip
    from synsp.skeleton.bone_fit import better_layout

    spec = importlib.util.spec_from_file_location("kinect32", Path(__file__).parents[1] / "benchmarks" / "kinect32.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # the benchmark's Kinect-32 and H36M-32 clips from the mocap
    azure, human36m = bench.azure, bench.human36m

    b = load_clip("dataset-1_dash_masculinity_001", "bandai22")[:150].astype(np.float64)
    truth = azure(b)
    noisy = truth + np.random.default_rng(3).normal(0.0, 15.0, truth.shape)
    assert guessed_layout(noisy) == "kinect32" and guessed_layout(human36m(b)) == "h36m32"
    assert better_layout(noisy, "h36m32")[0] == "kinect32" and better_layout(human36m(b), "h36m32") is None
    np.testing.assert_array_equal(convert(truth, "kinect32", "h36m17")[:, H36M17.index("neck_nose")],
                                  truth[:, KINECT32.index("nose")])
    err = float(np.linalg.norm(synsp.refine(noisy, fps=30) - truth, axis=-1).mean())
    assert err < 0.8 * float(np.linalg.norm(noisy - truth, axis=-1).mean())
