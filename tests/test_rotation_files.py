"""Rotation files: BVH written back with its hierarchy, SMPL npz kept but for the motion,
both refined on the rotation manifold by synsp refine; manifold filters."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from synsp.cli import main
from synsp.formats import detect_format, read_poses
from synsp.formats.bvh import forward_kinematics, read_bvh, write_bvh
from synsp.formats.smpl import read_motion as read_smpl
from synsp.refining.files import refine_file, refine_motion_file
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle, quaternion_from_matrix
from synsp.rotations.filters import SPACES, refine_rotations, smooth_rotations
from test_bvh import TINY


@pytest.fixture
def bandai_slice(tmp_path):
    """120 frames of a real Bandai Namco clip (clean) and the same with rotation jitter (3 degrees)."""
    from synsp.paths import data_root

    try:
        path = data_root() / "bandai-namco" / "ds1" / "dataset-1_walk_normal_001.bvh"
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")
    motion = read_bvh(path)
    clean = replace(motion, rotations=motion.rotations[:120], translations=motion.translations[:120])
    noise = np.random.default_rng(0).normal(0.0, 3.0, clean.rotations.shape)
    jittery = replace(clean, rotations=clean.rotations + noise)
    write_bvh(tmp_path / "jittery.bvh", jittery)
    return clean, tmp_path / "jittery.bvh"


def test_write_bvh_keeps_the_hierarchy_and_the_numbers(tmp_path):
    (tmp_path / "tiny.bvh").write_text(TINY)
    motion = read_bvh(tmp_path / "tiny.bvh")
    write_bvh(tmp_path / "copy.bvh", motion)
    text = (tmp_path / "copy.bvh").read_text()
    assert text.split("MOTION")[0].strip() == TINY.split("MOTION")[0].strip()  # End Site included
    back = read_bvh(tmp_path / "copy.bvh")
    np.testing.assert_allclose(back.rotations, motion.rotations, atol=1e-6)
    np.testing.assert_allclose(back.translations, motion.translations, atol=1e-6)
    built = replace(motion, hierarchy="")  # a motion built in memory gets a hierarchy of its own
    write_bvh(tmp_path / "built.bvh", built)
    again = read_bvh(tmp_path / "built.bvh")
    assert again.names == motion.names and again.channels == motion.channels
    np.testing.assert_allclose(forward_kinematics(again)[0], forward_kinematics(motion)[0], atol=1e-5)


def test_refine_bvh_end_to_end(bandai_slice, tmp_path, capsys):
    clean, jittery = bandai_slice
    out = tmp_path / "clean.bvh"
    assert main(["refine", str(jittery), str(out)]) == 0
    said = capsys.readouterr().out
    assert "by smoothnet" in said and "then butterworth on the rotation manifold" in said
    refined, noisy = read_bvh(out), read_bvh(jittery)
    assert refined.names == clean.names and refined.channels == clean.channels and refined.orders == clean.orders
    assert refined.n_frames == clean.n_frames and refined.frame_time == clean.frame_time
    assert np.array_equal(refined.parents, clean.parents)
    assert refined.hierarchy == noisy.hierarchy
    truth = forward_kinematics(clean)[0]
    error_in = np.linalg.norm(forward_kinematics(noisy)[0] - truth, axis=-1).mean()
    error_out = np.linalg.norm(forward_kinematics(refined)[0] - truth, axis=-1).mean()
    assert error_out < 0.6 * error_in
    # bone lengths are the skeleton's: the refined file has the source's offsets below the hips
    np.testing.assert_allclose(refined.translations[:, 2:], noisy.translations[:, 2:], atol=1e-2)


def test_refine_bvh_with_a_chosen_filter_and_refused_network(bandai_slice, tmp_path, capsys):
    _, jittery = bandai_slice
    assert main(["refine", str(jittery), str(tmp_path / "a.bvh"), "--method", "savgol"]) == 0
    assert read_bvh(tmp_path / "a.bvh").n_frames == 120
    assert main(["refine", str(jittery), str(tmp_path / "b.bvh"), "--method", "synsp"]) == 2
    err = capsys.readouterr().err
    assert "joint rotations" in err and "--method" in err and not (tmp_path / "b.bvh").exists()
    refine_file(jittery, tmp_path / "c.csv", method="savgol")  # another format: the joint positions, refined
    assert read_poses(tmp_path / "c.csv").poses.shape[1:] == (120, 22, 3)


def test_the_manifold_filter_alone_refines_a_bvh_less_precisely(bandai_slice, tmp_path, capsys):
    """The default (above) is SmoothNet on rotations, which refines every 6D number alone and so
    runs on the BVH's own 22-joint tree, then the manifold filter; the filter alone still works,
    and is less precise on this jittery walk."""
    clean, jittery = bandai_slice
    assert main(["refine", str(jittery), str(tmp_path / "filtered.bvh"), "--method", "butterworth"]) == 0
    assert "on the rotation manifold by butterworth" in capsys.readouterr().out
    assert main(["refine", str(jittery), str(tmp_path / "default.bvh")]) == 0
    noisy = read_bvh(jittery)
    truth = forward_kinematics(clean)[0]
    error = {name: np.linalg.norm(forward_kinematics(read_bvh(tmp_path / f"{name}.bvh"))[0] - truth, axis=-1).mean()
             for name in ("filtered", "default")}
    assert read_bvh(tmp_path / "filtered.bvh").hierarchy == noisy.hierarchy
    error_in = np.linalg.norm(forward_kinematics(noisy)[0] - truth, axis=-1).mean()
    assert error["default"] < error["filtered"] < 0.8 * error_in, (error, error_in)


def test_a_bvh_whose_root_has_no_position_channels_is_refined(tmp_path):
    """Some exporters animate the root by rotation only: no translation is animated, and the
    root trajectory has nothing to refine (it failed with an error about an empty array)."""
    hierarchy = TINY.split("MOTION")[0].replace(
        "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation",
        "CHANNELS 3 Zrotation Xrotation Yrotation")  # the root's and joint a's
    assert "position" not in hierarchy
    rows = np.random.default_rng(2).normal(0, 10, (40, 9))
    (tmp_path / "in.bvh").write_text(hierarchy + "MOTION\nFrames: 40\nFrame Time: 0.0333333\n"
                                     + "\n".join(" ".join(f"{v:.4f}" for v in row) for row in rows) + "\n")
    for method in ([], ["--method", "gaussian"]):
        assert main(["refine", str(tmp_path / "in.bvh"), str(tmp_path / "out.bvh"), "--force", *method]) == 0
        out = read_bvh(tmp_path / "out.bvh")
        assert out.n_frames == 40 and out.channels == read_bvh(tmp_path / "in.bvh").channels


def _smpl_file(path, poses, trans, **extra):
    np.savez(path, poses=poses, trans=trans, betas=np.arange(10, dtype=np.float32), **extra)


def test_smpl_npz_refined_on_the_manifold_keeps_other_arrays(tmp_path):
    t = 90
    rng = np.random.default_rng(1)
    phase = np.linspace(0, 3 * np.pi, t)[:, None, None]
    clean = 0.6 * np.sin(phase + rng.uniform(0, 6, (1, 24, 3))) * rng.uniform(0.2, 1, (1, 24, 3))
    trans = np.stack([np.linspace(0, 2, t), np.full(t, 0.9), np.zeros(t)], -1)
    noisy = Rotation.from_rotvec(rng.normal(0, 0.06, (t * 24, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    noisy = noisy.as_rotvec().reshape(t, 72).astype(np.float32)
    _smpl_file(tmp_path / "in.npz", noisy, trans.astype(np.float32), mocap_framerate=np.array(30.0),
               gender=np.array("neutral"))
    _smpl_file(tmp_path / "truth.npz", clean.reshape(t, 72), trans)
    assert detect_format(tmp_path / "in.npz") == "smpl"
    summary = refine_file(tmp_path / "in.npz", tmp_path / "out.npz")
    assert summary.frames == t
    with np.load(tmp_path / "out.npz", allow_pickle=False) as out, np.load(tmp_path / "in.npz") as src:
        assert set(out.files) == set(src.files)
        assert out["poses"].shape == (t, 72) and out["poses"].dtype == np.float32
        assert str(out["gender"]) == "neutral" and np.array_equal(out["betas"], src["betas"])
    truth, before, after = (read_smpl(tmp_path / f"{n}.npz") for n in ("truth", "in", "out"))
    angle_in = geodesic_angle(before.rotations, truth.rotations).mean()
    angle_out = geodesic_angle(after.rotations, truth.rotations).mean()
    assert angle_out < 0.6 * angle_in
    mpjpe = [np.linalg.norm(m.positions() - truth.positions(), axis=-1).mean() for m in (before, after)]
    assert mpjpe[1] < mpjpe[0]
    assert read_poses(tmp_path / "out.npz").poses.shape == (1, t, 24, 3)


def test_smpl_files_never_unpickle_and_say_what_is_wrong(tmp_path):
    np.savez(tmp_path / "pickled.npz", poses=np.zeros((5, 72)), trans=np.zeros((5, 3)),
             meta=np.array([{"a": 1}], dtype=object))
    refine_file(tmp_path / "pickled.npz", tmp_path / "out.npz", in_format="smpl")  # meta: its bytes copied
    with pytest.raises(ValueError, match="allow_pickle=False"):
        np.load(tmp_path / "out.npz", allow_pickle=False)["meta"]
    _smpl_file(tmp_path / "odd.npz", np.zeros((5, 30)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="10 joints"):
        refine_file(tmp_path / "odd.npz", tmp_path / "out2.npz")


@pytest.mark.parametrize("space", SPACES)
def test_manifold_filters_reduce_rotation_error(space):
    t = 100
    rng = np.random.default_rng(2)
    axis = np.array([0.3, 1.0, -0.2]) / np.linalg.norm([0.3, 1.0, -0.2])
    # a full turn and more about one axis: Euler angles and unwrapped quaternions would break here
    truth = matrix_from_axis_angle(np.linspace(0, 9, t)[:, None, None] * axis * np.ones((1, 3, 1)))
    noisy = matrix_from_axis_angle(rng.normal(0, 0.08, (t, 3, 3))) @ truth
    smoothed = smooth_rotations(noisy, "gaussian", space=space, sigma=2.0, window=13)
    assert geodesic_angle(smoothed, truth).mean() < 0.5 * geodesic_angle(noisy, truth).mean()
    quats = quaternion_from_matrix(noisy) * rng.choice([-1.0, 1.0], (t, 3, 1))  # arbitrary signs
    from_quats = smooth_rotations(quats, "gaussian", space=space, sigma=2.0, window=13)
    assert from_quats.shape == (t, 3, 4)


def test_refine_rotations_shapes_and_short_sequences():
    r = matrix_from_axis_angle(np.random.default_rng(3).normal(0, 0.5, (1, 4, 3)))
    out, root = refine_rotations(r, np.zeros((1, 3)), "savgol")
    assert out.shape == (1, 4, 3, 3) and root.shape == (1, 3)
    np.testing.assert_allclose(out, r, atol=1e-9)
    out, root = refine_rotations(np.broadcast_to(r, (20, 4, 3, 3)), np.zeros((20, 2, 3)), "one-euro", fps=30.0)
    assert root.shape == (20, 2, 3)
    with pytest.raises(ValueError, match="rotation filter"):
        refine_rotations(r, None, "synsp")
    with pytest.raises(ValueError, match="rotations must be"):
        smooth_rotations(np.zeros((5, 3)), "gaussian")


def test_smpl_files_get_the_rotation_network_at_any_frame_rate(tmp_path, capsys):
    t = 40
    poses = np.random.default_rng(3).normal(0, 0.2, (t, 72)).astype(np.float32)
    _smpl_file(tmp_path / "in.npz", poses, np.zeros((t, 3), np.float32), mocap_framerate=np.array(30.0))
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz")]) == 0
    assert "by synsp (synsp-smpl24, rest frames kept), the root by butterworth" in capsys.readouterr().out
    with np.load(tmp_path / "out.npz") as out:
        assert out["poses"].shape == (t, 72) and np.isfinite(out["poses"]).all() and "betas" in out.files
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "alone.npz"), "--joints", "model"]) == 0
    assert "by synsp (synsp-smpl24, the network alone)" in capsys.readouterr().out
    for fps in (25.0, 12.0, 120.0):  # run as they are; resampled from below and from above the rates it learnt
        _smpl_file(tmp_path / "other.npz", poses, np.zeros((t, 3), np.float32), mocap_framerate=np.array(fps))
        assert main(["refine", str(tmp_path / "other.npz"), str(tmp_path / f"{fps:g}.npz")]) == 0
        assert "by synsp (synsp-smpl24, rest frames kept)" in capsys.readouterr().out
        with np.load(tmp_path / f"{fps:g}.npz") as out:
            assert out["poses"].shape == (t, 72) and np.isfinite(out["poses"]).all()


def _smpl_clip(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A mocap clip retargeted to SMPL: rotations (T, 24, 3, 3), translation (T, 3) m."""
    from synsp.data.smpl_mocap import load_smpl_clip

    try:
        return load_smpl_clip(name)
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")


@pytest.fixture(scope="module")
def smpl_bow():
    return _smpl_clip("dataset-1_bow_proud_001")  # the first validation clip


@pytest.fixture(scope="module")
def smpl_walk():
    return _smpl_clip("dataset-1_walk_normal_001")


def test_the_rotation_network_beats_the_filter_and_keeps_the_rest_frames(smpl_bow, tmp_path):
    """A real motion in SMPL rotations: jitter is removed better than by the default filter, and
    clean motion, in the mocap's rest frames or turned 10 degrees per joint, is moved little."""
    from synsp.data.rotation_errors import corrupt_rotations
    from synsp.rotations.conversions import axis_angle_from_matrix

    clean, trans = (x[:150] for x in smpl_bow)
    noisy, _ = corrupt_rotations(clean, trans, "jitter", rng=0)
    turn = matrix_from_axis_angle(np.random.default_rng(4).normal(size=(24, 3)) * np.radians(10) / np.sqrt(3))
    for name, rotations in (("noisy", noisy), ("clean", clean), ("turned", clean @ turn)):
        poses = axis_angle_from_matrix(rotations).reshape(len(rotations), 72).astype(np.float32)
        _smpl_file(tmp_path / f"{name}.npz", poses, trans.astype(np.float32), mocap_framerate=np.array(30.0))
        refine_file(tmp_path / f"{name}.npz", tmp_path / f"{name}_net.npz")
        refine_file(tmp_path / f"{name}.npz", tmp_path / f"{name}_filter.npz", method="butterworth")
    truth = {"noisy": clean, "clean": clean, "turned": clean @ turn}
    error = {(name, way): geodesic_angle(read_smpl(tmp_path / f"{name}_{way}.npz").rotations, truth[name]).mean()
             for name in truth for way in ("net", "filter")}
    assert error["noisy", "net"] < 0.85 * error["noisy", "filter"], error
    # degrees: 0.10 and 0.10; the network alone moved them 0.17 and 0.24
    assert error["clean", "net"] < 0.15 and error["turned", "net"] < 0.15, error


def test_an_estimators_camera_frame_root_is_refined_as_the_upright_one(smpl_bow):
    """VIBE, PARE, 4D-Humans give the root in a camera frame (y down: 180 degrees about X), a lab a
    Z-up world: the network, which learnt +Y up, refines the clip turned upright and turns it back,
    so the output is the upright clip's, turned (before: camera frame 0.428 x input and clean
    motion moved 8.0 mm, against 0.332 and 2.7 upright; validation, 8 clips)."""
    from synsp.data.rotation_errors import corrupt_rotations
    from synsp.inference.rotation_refiner import load_rotation_model

    clean, trans = (x[:120] for x in smpl_bow)
    noisy, _ = corrupt_rotations(clean, trans, "jitter", rng=1)
    model = load_rotation_model("synsp-smpl24")
    upright = model.refine(noisy, fps=30.0)
    for angle in (np.pi, -np.pi / 2):  # a camera frame, a Z-up world
        frame = Rotation.from_rotvec([angle, 0.0, 0.0]).as_matrix()
        turned = noisy.copy()
        turned[:, 0] = frame @ noisy[:, 0]
        out = model.refine(turned, fps=30.0)
        assert not np.allclose(model.turn, np.eye(3))
        out[:, 0] = frame.T @ out[:, 0]
        assert geodesic_angle(out, upright).max() < 1e-3  # degrees


def test_fast_smpl_motion_is_refined_at_the_pace_the_network_learnt(smpl_walk, tmp_path, capsys):
    from synsp.inference.rotation_refiner import load_rotation_model
    from synsp.rotations.conversions import axis_angle_from_matrix

    rotations, trans = (x[:450:3] for x in smpl_walk)  # the walk played three times as fast
    poses = axis_angle_from_matrix(rotations).reshape(len(rotations), 72).astype(np.float32)
    _smpl_file(tmp_path / "fast.npz", poses, trans.astype(np.float32), mocap_framerate=np.array(30.0))
    assert main(["refine", str(tmp_path / "fast.npz"), str(tmp_path / "out.npz")]) == 0
    said = capsys.readouterr().out
    assert "by synsp (synsp-smpl24, rest frames kept)" in said and "pace: the motion is fast for 30 fps" in said
    network = load_rotation_model("synsp-smpl24")
    paced = network.refine(rotations, 30.0)
    assert network.paced_fps < 25
    assert np.array_equal(network.refine(rotations), paced)  # no rate given: 30 fps
    network.follow_pace = False
    unpaced = network.refine(rotations, 30.0)
    moved = {name: geodesic_angle(out, rotations).mean() for name, out in (("paced", paced), ("unpaced", unpaced))}
    assert moved["paced"] < 0.9 * moved["unpaced"], moved  # degrees: 1.11 and 1.34


def test_each_shipped_rotation_network_keeps_rest_frames_unless_it_learnt_slow_errors():
    from synsp.inference.checkpoint import load_checkpoint, model_path
    from synsp.inference.rotation_refiner import load_rotation_model

    kept = {name: load_rotation_model(name).keep_rest_frames
            for name in ("synsp-smpl24", "synsp-smpl24-prior", "smoothnet-smpl24", "smoothnet-smpl24-prior")}
    assert kept == {"synsp-smpl24": True, "synsp-smpl24-prior": False, "smoothnet-smpl24": True,
                    "smoothnet-smpl24-prior": False}
    for name, keep in kept.items():  # written into each checkpoint, as training writes it
        assert load_checkpoint(model_path(name))["meta"]["learnt_slow_errors"] is not keep
    assert load_rotation_model("synsp-smpl24-prior", keep_rest_frames=True).keep_rest_frames


def test_keep_rest_frames_undoes_a_constant_change_and_keeps_the_rest():
    from synsp.inference.rotation_refiner import keep_rest_frames

    rng = np.random.default_rng(5)
    rotations = matrix_from_axis_angle(rng.normal(0, 0.5, (30, 6, 3)))
    pull = matrix_from_axis_angle(rng.normal(0, 0.2, (6, 3)))  # the same in every frame, in each joint's frame
    np.testing.assert_allclose(keep_rest_frames(rotations, rotations @ pull), rotations, atol=1e-9)
    flip = rotations.copy()
    flip[10:14, 2] = flip[10:14, 2] @ matrix_from_axis_angle(np.array([0.0, 0.0, 2.5]))  # a short flip: not constant
    np.testing.assert_allclose(keep_rest_frames(flip, rotations @ pull), rotations, atol=1e-9)


def test_a_low_frame_rate_bvh_gets_the_default_filter(bandai_slice, tmp_path):
    """The default rotation filter's 4 Hz needs more than 8 fps; at 6 fps it is lowered, not refused."""
    _, jittery = bandai_slice
    motion = read_bvh(jittery)
    slow = tmp_path / "slow.bvh"
    write_bvh(slow, replace(motion, frame_time=1 / 6))
    assert main(["refine", str(slow), str(tmp_path / "out.bvh")]) == 0
    assert read_bvh(tmp_path / "out.bvh").frame_time == pytest.approx(1 / 6)


def test_smpl_arrays_are_refined_as_the_file_is_and_come_back_in_their_form(tmp_path):
    """synsp.refine_smpl: (T, 72) float32 axis-angle, (T, 24, 3) and (T, 24, 3, 3) matrices in, the
    same shape, form and dtype out; the same poses as ``synsp refine`` gives the file; bad arrays
    get a one-line error naming the shape."""
    import synsp

    t = 90
    rng = np.random.default_rng(3)
    phase = np.linspace(0, 3 * np.pi, t)[:, None, None]
    clean = 0.5 * np.sin(phase + rng.uniform(0, 6, (1, 24, 3)))
    noisy = Rotation.from_rotvec(rng.normal(0, 0.05, (t * 24, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    poses = noisy.as_rotvec().reshape(t, 72).astype(np.float32)
    trans = np.stack([np.linspace(0, 2, t), np.full(t, 0.9), np.zeros(t)], -1)
    _smpl_file(tmp_path / "in.npz", poses, trans, mocap_framerate=np.array(30.0))
    refine_file(tmp_path / "in.npz", tmp_path / "out.npz")
    refined, root = synsp.refine_smpl(poses, fps=30, trans=trans)
    assert refined.shape == (t, 72) and refined.dtype == np.float32 and root.shape == (t, 3)
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_allclose(refined, out["poses"], atol=1e-5)
        np.testing.assert_allclose(root, out["trans"], atol=1e-6)
    matrices = noisy.as_matrix().reshape(t, 24, 3, 3)
    from_matrices = synsp.refine_smpl(matrices)
    assert from_matrices.shape == (t, 24, 3, 3)
    np.testing.assert_allclose(Rotation.from_matrix(from_matrices.reshape(-1, 3, 3)).as_rotvec().reshape(t, 72),
                               refined, atol=1e-4)
    truth = Rotation.from_rotvec(clean.reshape(-1, 3)).as_matrix().reshape(t, 24, 3, 3)
    assert geodesic_angle(from_matrices, truth).mean() < geodesic_angle(matrices, truth).mean()
    assert synsp.refine_smpl(poses.reshape(t, 24, 3), method="gaussian").shape == (t, 24, 3)
    with pytest.raises(ValueError, match=r"23 joints.*\(5, 23, 3\)"):
        synsp.refine_smpl(np.zeros((5, 23, 3)))


def test_smplx_npz_of_55_joints_is_refined(tmp_path):
    """AMASS's SMPL-X release: poses (T, 165) = 22 body + jaw, eyes + 2 x 15 fingers, and its
    frame rate under ``mocap_frame_rate``."""
    t = 60
    rng = np.random.default_rng(2)
    phase = np.linspace(0, 2 * np.pi, t)[:, None, None]
    clean = 0.4 * np.sin(phase + rng.uniform(0, 6, (1, 55, 3)))
    noisy = Rotation.from_rotvec(rng.normal(0, 0.05, (t * 55, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    _smpl_file(tmp_path / "in.npz", noisy.as_rotvec().reshape(t, 165), np.zeros((t, 3)),
               mocap_frame_rate=np.array(120.0))
    motion = read_smpl(tmp_path / "in.npz")
    assert motion.fps == 120.0 and len(motion.names) == 55 and motion.names[22:25] == ("jaw", "left_eye", "right_eye")
    assert motion.positions().shape == (t, 55, 3)
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz")]) == 0
    with np.load(tmp_path / "out.npz", allow_pickle=False) as out:
        assert out["poses"].shape == (t, 165)
    after = read_smpl(tmp_path / "out.npz")
    truth = Rotation.from_rotvec(clean.reshape(-1, 3)).as_matrix().reshape(t, 55, 3, 3)
    assert geodesic_angle(after.rotations, truth).mean() < geodesic_angle(motion.rotations, truth).mean()


def test_the_default_filter_follows_fast_motion(tmp_path, capsys):
    """A walk played three times as fast: the default filter's cut-off (``--method butterworth``,
    and after the network by default) rises with the pace, says so, and moves the clean motion
    less than the 4 Hz would (12 against 26 mm); the default's network is stretched to its pace."""
    from synsp.paths import data_root
    from synsp.rotations.filters import ROTATION_DEFAULT

    try:
        path = data_root() / "bandai-namco" / "ds1" / "dataset-1_walk_normal_001.bvh"
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")
    motion = read_bvh(path)
    fast = replace(motion, rotations=motion.rotations[:450:3], translations=motion.translations[:450:3])
    write_bvh(tmp_path / "fast.bvh", fast)
    assert main(["refine", str(tmp_path / "fast.bvh"), str(tmp_path / "paced.bvh"), "--method", "butterworth"]) == 0
    assert "pace: the motion is fast for 30 fps; the default filter's cut-off raised" in capsys.readouterr().out
    refine_motion_file(tmp_path / "fast.bvh", tmp_path / "fixed.bvh", "bvh", **ROTATION_DEFAULT[1])  # 4 Hz as given
    truth = forward_kinematics(fast)[0]
    moved = {name: np.linalg.norm(forward_kinematics(read_bvh(tmp_path / f"{name}.bvh"))[0] - truth, axis=-1).mean()
             for name in ("paced", "fixed")}
    assert moved["paced"] < 0.9 * moved["fixed"], moved
    assert main(["refine", str(tmp_path / "fast.bvh"), str(tmp_path / "default.bvh")]) == 0
    assert "pace: the motion is fast for 30 fps; refined as if filmed at" in capsys.readouterr().out  # the network too


def test_a_bvh_pace_is_read_below_its_root_like_its_smpl_retarget():
    """The mocap's BVH root stands on the floor under the body; read with it, a walk's pace is a
    quarter slower than on the same motion retargeted to SMPL (whose pace thresholds were chosen)."""
    from synsp.data.smpl_mocap import load_bandai_motion, load_smpl_clip
    from synsp.motion_pace import motion_pace
    from synsp.refining.motion import _pace_joints
    from synsp.rotations.smpl_template import smpl_positions

    try:
        motion = load_bandai_motion("dataset-1_walk_normal_001")
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")
    smpl = motion_pace(smpl_positions(load_smpl_clip("dataset-1_walk_normal_001")[0]))
    with_root, below_root = motion_pace(motion.positions()), motion_pace(_pace_joints(motion))
    assert with_root < 0.85 * smpl and 0.85 * smpl < below_root < 1.15 * smpl, (with_root, below_root, smpl)


def test_each_joint_is_filtered_at_its_own_turning_pace():
    """After a rotation network, a joint turning faster than JOINT_PACE gets a higher cut-off:
    noise-free, it is moved less than at the body's cut-off; jitter does not read as turning."""
    from synsp.motion_pace import turning_pace
    from synsp.rotations.filters import smooth_at_joint_pace

    t = np.arange(150)[:, None]
    slow = matrix_from_axis_angle(np.stack([0.2 * np.sin(t / 30), 0 * t, 0 * t], -1))  # (150, 1, 3, 3)
    fast = matrix_from_axis_angle(np.stack([0 * t, 0.6 * np.sin(t / 3), 0 * t], -1))
    r = np.concatenate([slow, fast], axis=1)
    pace = turning_pace(r)
    assert pace[0] < 3 < 12 < pace[1], pace  # degrees per 4 frames
    jitter = matrix_from_axis_angle(np.random.default_rng(0).normal(0, np.radians(2), (150, 2, 3)))
    assert np.all(turning_pace(np.broadcast_to(np.eye(3), r.shape) @ jitter) < 1.5)
    options = {"cutoff": 4.0, "fps": 30.0, "order": 4, "space": "quaternion"}
    each = smooth_at_joint_pace(r, "butterworth", **options)
    body = smooth_rotations(r, "butterworth", **options)
    np.testing.assert_allclose(each[:, 0], body[:, 0])  # the slow joint: the body's cut-off
    assert geodesic_angle(each[:, 1], r[:, 1]).mean() < 0.5 * geodesic_angle(body[:, 1], r[:, 1]).mean()
    t = np.arange(600)[:, None] / 4  # the same motion recorded at 120 fps: its turning read as at 30 fps
    fast120 = matrix_from_axis_angle(np.stack([0 * t, 0.6 * np.sin(t / 3), 0 * t], -1))
    options["fps"] = 120.0
    each = smooth_at_joint_pace(fast120, "butterworth", **options)
    body = smooth_rotations(fast120, "butterworth", **options)
    assert geodesic_angle(each, fast120).mean() < 0.5 * geodesic_angle(body, fast120).mean()


def test_estimators_smpl_keys_are_refined_and_written_back_under_them(tmp_path, capsys):
    """VIBE's and PARE's 'pose' (T, 72) (with 'pred_cam', no translation), 4D-Humans' 'global_orient'
    (T, 1, 3, 3) and 'body_pose' (T, 23, 3, 3): SMPL parameters, refined as refine_smpl refines the
    arrays and written back under the same keys, shapes and dtypes; WHAM's two sets need --key."""
    import synsp

    t = 60
    rng = np.random.default_rng(4)
    clean = 0.5 * np.sin(np.linspace(0, 3 * np.pi, t)[:, None, None] + rng.uniform(0, 6, (1, 24, 3)))
    noisy = Rotation.from_rotvec(rng.normal(0, 0.05, (t * 24, 3))) * Rotation.from_rotvec(clean.reshape(-1, 3))
    pose = noisy.as_rotvec().reshape(t, 72).astype(np.float32)
    matrices = noisy.as_matrix().reshape(t, 24, 3, 3).astype(np.float32)
    betas = np.zeros((t, 10), np.float32)
    expected = synsp.refine_smpl(pose, fps=30)
    np.savez(tmp_path / "vibe.npz", pose=pose, betas=betas, pred_cam=np.ones((t, 3), np.float32))
    np.savez(tmp_path / "hmr2.npz", global_orient=matrices[:, :1], body_pose=matrices[:, 1:], betas=betas)
    trans = np.zeros((t, 3), np.float32)
    np.savez(tmp_path / "wham.npz", pose=pose, trans=trans, pose_world=pose, trans_world=trans, betas=betas)
    for name in ("vibe", "hmr2"):
        assert detect_format(tmp_path / f"{name}.npz") == "smpl"
        assert main(["refine", str(tmp_path / f"{name}.npz"), str(tmp_path / f"{name}_out.npz")]) == 0
        with np.load(tmp_path / f"{name}.npz") as src, np.load(tmp_path / f"{name}_out.npz") as out:
            assert set(out.files) == set(src.files)
            assert all(out[k].shape == src[k].shape and out[k].dtype == src[k].dtype for k in src.files)
            assert np.array_equal(out["betas"], src["betas"])
            got = out["pose"] if name == "vibe" else np.concatenate([out["global_orient"], out["body_pose"]], 1)
        got = Rotation.from_matrix(got.reshape(-1, 3, 3)).as_rotvec() if name == "hmr2" else got
        np.testing.assert_allclose(np.asarray(got).reshape(t, 72), expected, atol=1e-3)
    assert main(["refine", str(tmp_path / "wham.npz"), str(tmp_path / "wham_out.npz")]) == 2
    assert "two sets of SMPL poses, 'pose' and 'pose_world'; pass --key pose" in capsys.readouterr().err
    assert main(["refine", str(tmp_path / "wham.npz"), str(tmp_path / "wham_out.npz"), "--key", "pose_world"]) == 0
    with np.load(tmp_path / "wham.npz") as src, np.load(tmp_path / "wham_out.npz") as out:
        assert np.array_equal(out["pose"], src["pose"]) and not np.array_equal(out["pose_world"], src["pose_world"])


def test_a_bvh_in_metres_is_summed_up_in_mm_and_its_rate_rounded(bandai_slice, tmp_path):
    """Blender exports BVH in metres by default: the summary is in mm as for the same motion in
    centimetres, and Frame Time 0.0166667 reads as 60 fps, not 59.9999."""
    from synsp.formats.bvh import read_motion as read_bvh_motion
    from synsp.motion_pace import fps_text

    clean, path = bandai_slice
    jittery = read_bvh(path)
    for unit, factor in (("cm", 1.0), ("m", 0.01)):
        write_bvh(tmp_path / f"{unit}.bvh", replace(jittery, offsets=jittery.offsets * factor,
                                                    translations=jittery.translations * factor,
                                                    frame_time=0.0166667))
    cm, m = (refine_motion_file(tmp_path / f"{u}.bvh", tmp_path / f"{u}_out.bvh", "bvh", method="butterworth")
             for u in ("cm", "m"))
    assert m.unit == "mm" and m.displacement == pytest.approx(cm.displacement, rel=1e-3)
    assert m.accel_in[0] == pytest.approx(cm.accel_in[0], rel=1e-3)
    assert "59.9999" not in str(m) and all("60 fps" in note for note in m.notes if "fps" in note)
    assert read_bvh_motion(tmp_path / "m.bvh").fps == 60.0
    assert fps_text(59.9999) == "60 fps" and fps_text(30000 / 1001) == "29.97 fps"


def test_a_bvh_is_written_with_the_digits_it_was_read_with(tmp_path):
    """A C++ exporter's numbers (6 significant digits: 5.1072e-06, -13.9673) come back as written, not as
    0.000005; a fixed-point file's (0.100000) keeps its decimals."""
    from synsp.formats.bvh_text import number_format

    assert number_format("0 -0 90.458 5.1072e-06\n-13.9673 146.273 0 1\n") == "%.6g"
    assert number_format("0.100000 -2.000000\n") == "%.6f" and number_format("1.25 3.5\n") == "%.6g"
    assert number_format("1.123456789 2\n") == "%.10g" and number_format("") == "%.6f"
    rows = "0 0 0 0 0 0 5.1072e-06 -5.51765e-07 90.458 -13.9673 80.355 -26.3812 146.273 86.3578 -148.696"
    text = TINY.split("MOTION")[0] + f"MOTION\nFrames: 1\nFrame Time: 0.0333333\n{rows}\n"
    (tmp_path / "in.bvh").write_text(text)
    write_bvh(tmp_path / "out.bvh", read_bvh(tmp_path / "in.bvh"))
    assert (tmp_path / "out.bvh").read_text().splitlines()[-1] == rows


def test_a_centimetre_bvh_summary_says_its_figures_are_millimetres(bandai_slice, tmp_path):
    """The summary's figures are in mm (the file's centimetres x 10), and it says so."""
    from synsp.formats.bvh import read_motion as read_bvh_motion

    _, path = bandai_slice
    summary = refine_motion_file(path, tmp_path / "out.bvh", "bvh", method="butterworth")
    assert summary.unit == "mm" and any("centimetres" in n and "in mm (x10)" in n for n in summary.notes)
    moved = read_bvh_motion(tmp_path / "out.bvh").positions() - read_bvh_motion(path).positions()
    assert summary.displacement == pytest.approx(np.linalg.norm(moved, axis=-1).mean(), rel=1e-3)
