"""Joint conventions: offsets in the body's frames, other skeletons' definitions of the mocap,
the network's constant pull, and the skeletons people have (Halpe-26, COCO-133, BODY-25)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from conftest import needs_data
from synsp.conventions import (
    apply_offsets,
    constant_pull,
    convention_names,
    convert_with_convention,
    local_frames,
    random_joint_offsets,
    symmetric_part,
)
from synsp.skeleton import H36M17, flip_lr

FIXTURES = Path(__file__).parent / "fixtures" / "skeletons"


def walking(t: int = 50) -> np.ndarray:
    """A turning, bending h36m17 body (mm) built from a rest pose: enough to move every frame."""
    rest = np.array([[0, 0, 0], [-130, 0, 0], [-130, -420, 0], [-130, -840, 0], [130, 0, 0], [130, -420, 0],
                     [130, -840, 0], [0, 230, 0], [0, 480, 0], [0, 600, 60], [0, 700, 20], [150, 470, 0],
                     [160, 200, 0], [160, -40, 0], [-150, 470, 0], [-160, 200, 0], [-160, -40, 0]], float)
    out = []
    for k in range(t):
        pose = rest.copy()
        pose[[2, 3]] += [0, 0, 80 * np.sin(k / 5)]  # a swinging leg
        turn = Rotation.from_euler("yx", [k * 4, 10 * np.sin(k / 7)], degrees=True)
        out.append(turn.apply(pose))
    return np.array(out)


def test_offsets_stay_constant_in_the_body_frame_and_turn_with_the_body():
    x = walking()
    offsets = random_joint_offsets("h36m17", 60.0, np.random.default_rng(0), share=1.0)
    moved = apply_offsets(x, "h36m17", offsets)
    frames = local_frames(x, "h36m17")
    local = np.linalg.solve(frames, (moved - x)[..., None])[..., 0]
    np.testing.assert_allclose(local, np.broadcast_to(offsets, local.shape), atol=1e-6)
    # mirrored partners: the same offset with the lateral axis flipped
    for left, right in H36M17.left_right:
        np.testing.assert_allclose(offsets[right], offsets[left] * [-1, 1, 1])
    # the whole picture rotates: the shift rotates with it
    r = Rotation.from_euler("z", 30, degrees=True)
    np.testing.assert_allclose(apply_offsets(r.apply(x.reshape(-1, 3)).reshape(x.shape), "h36m17", offsets),
                               r.apply(moved.reshape(-1, 3)).reshape(x.shape), atol=1e-6)


def test_constant_pull_finds_the_constant_part_of_a_correction():
    x = walking()
    offsets = random_joint_offsets("h36m17", 50.0, np.random.default_rng(1), share=1.0)
    noise = np.random.default_rng(2).normal(0, 5, x.shape)
    refined = apply_offsets(x, "h36m17", offsets) + noise  # a "refiner" that moves every joint definition
    shift = constant_pull(x, refined, "h36m17")
    true_shift = apply_offsets(x, "h36m17", offsets) - x
    assert np.linalg.norm(shift - true_shift, axis=-1).mean() < 3.0  # of a 5 mm per-axis noise
    assert np.linalg.norm(true_shift, axis=-1).mean() > 30.0


def test_symmetric_part_is_what_a_convention_can_be():
    local = np.random.default_rng(3).normal(size=(17, 3))
    sym = symmetric_part(local, "h36m17")
    np.testing.assert_allclose(symmetric_part(sym, "h36m17"), sym)
    for left, right in H36M17.left_right:
        np.testing.assert_allclose(sym[right], sym[left] * [-1, 1, 1])
    midline = [0, 7, 8, 9, 10]
    assert np.all(sym[midline, 0] == 0)


@needs_data
def test_named_conventions_move_the_joints_they_name():
    from synsp.data.mocap import load_bandai, load_clip
    from synsp.data.splits import load_split

    name = load_split("val")[0]
    positions, head = load_bandai(name)
    for layout in ("h36m17", "coco17"):
        assert "mocap" in convention_names(layout) and "smpl-pelvis" in convention_names(layout)
        mocap = convert_with_convention(positions, head, layout, "mocap", np.random.default_rng(0))
        np.testing.assert_allclose(mocap, load_clip(name, layout), atol=1e-3)
    smpl = convert_with_convention(positions, head, "h36m17", "smpl-pelvis", np.random.default_rng(0))
    hip_line = (smpl[:, 1] + smpl[:, 4]) / 2
    height = np.linalg.norm(smpl[:, 0] - hip_line, axis=-1)
    assert 50 < np.median(height) < 160  # above the (3 cm deeper) hip line
    moved = np.linalg.norm(smpl - load_clip(name, "h36m17"), axis=-1).mean(0)
    assert moved[[2, 3, 5, 6, 11, 12, 13]].max() < 1e-3  # knees, ankles and arms stay
    with pytest.raises(ValueError, match="unknown 'nope'"):
        convert_with_convention(positions, head, "h36m17", "nope", np.random.default_rng(0))


@needs_data
def test_keep_convention_leaves_another_skeleton_nearly_as_it_is():
    """The shipped 3D model on clean mocap whose pelvis sits high (SMPL-like): keeping the
    input's definitions moves it far less than letting the network pull it to its own."""
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model

    cases = make_cases("val", "none", convention="smpl-pelvis", max_clips=2)
    model = load_model("synsp-h36m17", device="cpu")
    model.keep_clean = False  # clean input keeps its values whatever the convention (synsp.inference.clean)
    moved = {}
    for keep in (False, True, "symmetric"):
        model.keep_convention = keep
        moved[keep] = np.mean([np.linalg.norm(model.refine(c.noisy) - c.noisy, axis=-1).mean() for c in cases])
    assert moved[True] < 0.6 * moved[False] and moved["symmetric"] < 0.6 * moved[False]
    assert model.convention_offsets.shape == (17,) and model.convention_far


@needs_data
def test_every_other_window_goes_through_the_network_mirrored():
    """Refiner.mirror_windows: odd windows are refined as their left/right mirror image and
    mirrored back, even ones as they are; a mask chooses other windows (the streams' parity)."""
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model
    from synsp.inference.swaa import sliding_windows

    model = load_model("synsp-h36m17", device="cpu", quantize=False)  # float: no per-batch int8 scales
    model.heading = False  # a window's heading turn is read after its mirror image is taken (inference.heading)
    noisy = make_cases("val", "typical", max_clips=1)[0].noisy[:20]
    windows = sliding_windows(noisy - noisy[:, :1], 8, 1)[:, None].astype(np.float32)  # (13, 1, 8, 17, 3)
    out = model.refine_windows(windows)["final"]
    model.mirror_windows = False
    plain = model.refine_windows(windows)["final"]
    by_hand = flip_lr(model.refine_windows(flip_lr(windows, H36M17))["final"], H36M17)
    np.testing.assert_allclose(out[0::2], plain[0::2], atol=1e-3)
    np.testing.assert_allclose(out[1::2], by_hand[1::2], atol=1e-3)
    assert np.abs(out[1::2] - plain[1::2]).mean() > 0.1  # mm: the mirrored pass is another estimate
    model.mirror_windows = True
    chosen = model.refine_windows(windows, mirrored=np.arange(13) % 2 == 0)["final"]
    np.testing.assert_allclose(chosen[0::2], by_hand[0::2], atol=1e-3)


def _cli(argv: list[str], capsys) -> str:
    from synsp.cli import main

    assert main(argv) == 0
    return capsys.readouterr().out


def _acceleration(x: np.ndarray) -> float:
    return float(np.nanmean(np.linalg.norm(x[2:] - 2 * x[1:-1] + x[:-2], axis=-1)))


@pytest.mark.parametrize("fixture,layout,joints", [("halpe26_mmpose.json", "halpe26", 26),
                                                   ("coco133_mmpose.json", "coco133", 133),
                                                   ("body25.csv", "body25", 25)])
def test_other_skeletons_refine_end_to_end_keeping_every_joint(tmp_path, capsys, fixture, layout, joints):
    from synsp.formats import read_poses
    from synsp.skeleton import get_layout

    out = tmp_path / f"out{Path(fixture).suffix}"
    printed = _cli(["refine", str(FIXTURES / fixture), str(out), "--device", "cpu"], capsys)
    assert f"layout: {layout} -> coco17" in printed and "joint definitions:" in printed
    before, after = read_poses(FIXTURES / fixture).poses[0], read_poses(out).poses[0]
    assert after.shape == before.shape == (60, joints, 2)
    names = get_layout(layout).joints
    extra = [j for j, n in enumerate(names) if n not in get_layout("coco17").joints]
    # the joints the model does not know are refined too, not only carried along
    assert _acceleration(after[:, extra]) < 0.7 * _acceleration(before[:, extra])
    seen = np.isfinite(before).all(axis=(1, 2))
    moved = np.linalg.norm(after[seen] - before[seen], axis=-1).mean()
    assert moved < 0.03 * np.median((before[seen].max(1) - before[seen].min(1)).max(-1))


def test_an_unknown_layout_gets_smoothnet_not_a_refusal(tmp_path, capsys):
    rng = np.random.default_rng(0)
    t = np.arange(50)[:, None, None]
    poses = 300 * np.sin(t / 8 + rng.uniform(0, 6, (1, 40, 2))) + 500 + rng.normal(0, 4, (50, 40, 2))
    np.save(tmp_path / "in.npy", poses.astype(np.float32))
    printed = _cli(["refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"), "--device", "cpu"], capsys)
    assert "40 joints of an unknown layout" in printed and "SmoothNet" in printed
    out = np.load(tmp_path / "out.npy")
    # x0.55: motion this fast is refined as if filmed far below 20 fps, and frames added between the
    # input's on a monotone cubic carry its white noise further than straight lines did (x0.50)
    assert out.shape == poses.shape and _acceleration(out) < 0.6 * _acceleration(poses)


def test_mirrors_of_the_new_layouts_pair_left_with_right():
    from synsp.skeleton import BODY25, COCO133, HALPE26

    for layout in (HALPE26, BODY25, COCO133):
        x = np.random.default_rng(0).normal(size=(3, len(layout.joints), 2))
        np.testing.assert_allclose(flip_lr(flip_lr(x, layout), layout), x)
        for left, right in layout.left_right:
            assert layout.joints[left].startswith("left") and layout.joints[right].startswith("right")


def test_fixture_files_are_the_documented_formats():
    obj = json.loads((FIXTURES / "coco133_mmpose.json").read_text())
    assert len(obj["meta_info"]["keypoint_id2name"]) == 133


@needs_data
def test_keep_convention_is_a_per_call_option_of_the_api():
    import synsp
    from synsp.evaluation.protocol import make_cases
    from synsp.refining.arrays import network_model

    case = make_cases("val", "none", convention="smpl-pelvis", max_clips=1)[0]
    cached = network_model("synsp", 3, device="cpu")
    cached.keep_clean = False  # clean input keeps its values whatever the convention (synsp.inference.clean)
    try:
        kept = synsp.refine(case.noisy, device="cpu")
        pulled = synsp.refine(case.noisy, device="cpu", keep_convention=False)
        again = synsp.refine(case.noisy, device="cpu")  # the option did not stick to the cached model
    finally:
        cached.keep_clean = True
    np.testing.assert_array_equal(kept, again)
    assert np.linalg.norm(kept - case.noisy, axis=-1).mean() < np.linalg.norm(pulled - case.noisy, axis=-1).mean()


def _convention_figures(note: str) -> list[float]:
    """The mm figures of a 'joint definitions:' note, in order."""
    import re

    return [float(x) for x in re.findall(r"([0-9.]+) mm", note)]


@needs_data
def test_refine_file_reports_joint_definitions_of_every_track(tmp_path):
    """Two tracks: a skeleton whose pelvis sits high, then the training convention. The note
    names the mean over both tracks and the first as the worst, with the figures each track
    gives when refined alone, not those of the last track refined."""
    from synsp.evaluation.protocol import make_cases
    from synsp.refining.files import refine_file

    far = make_cases("val", "none", convention="smpl-pelvis", max_clips=1)[0].noisy[:120]
    near = make_cases("val", "none", max_clips=1)[0].noisy[:120]
    notes = {}
    for name, poses in {"far": far[None], "near": near[None], "both": np.stack([far, near])}.items():
        np.savez(tmp_path / f"{name}.npz", poses=poses)
        summary = refine_file(tmp_path / f"{name}.npz", tmp_path / f"{name}_out.npz", layout="h36m17",
                              device="cpu")
        notes[name] = [n for n in summary.notes if n.startswith("joint definitions:")]
    (alone_far, _), (alone_near, _) = (_convention_figures(notes[k][0]) for k in ("far", "near"))
    assert alone_far > 2 * alone_near
    (note,) = notes["both"]
    mean, worst, at_joint = _convention_figures(note)
    assert "over 2 tracks, most in track 1 of 2" in note and "(far from the model's)" in note
    assert mean == pytest.approx((alone_far + alone_near) / 2, abs=0.11)
    assert worst == pytest.approx(alone_far, abs=0.05) and at_joint >= worst


def test_body_frames_take_every_limb_joint_at_once_with_the_same_values():
    """synsp.conventions.body_frames builds the limb joints' frames in one go (a Python loop per
    joint cost a 3D crowd's convention pull every window batch): each joint's frame as the
    per-joint loop built it, to the last bit, in every 3D layout with a trunk."""
    from synsp.conventions import _FACE, _TRUNK, _head_frame, _unit, body_frames, trunk_frame
    from synsp.skeleton import LAYOUTS, bone_tree, get_layout

    def one_at_a_time(x, layout):
        trunk = trunk_frame(x, layout)
        head = _head_frame(x, layout, trunk)
        parent = {child: p for p, child in bone_tree(layout)}
        frames = np.empty(x.shape[:-1] + (3, 3))
        for j, name in enumerate(layout.joints):
            if any(k in name for k in _FACE):
                frames[..., j, :, :] = head
            elif any(k in name for k in _TRUNK) or j not in parent:
                frames[..., j, :, :] = trunk
            else:
                along = _unit(x[..., j, :] - x[..., parent[j], :])
                across = _unit(trunk[..., 0] - np.sum(trunk[..., 0] * along, axis=-1, keepdims=True) * along)
                frames[..., j, :, :] = np.stack([across, along, np.cross(across, along)], axis=-1)
        return frames

    rng = np.random.default_rng(6)
    checked = 0
    for name in LAYOUTS:
        layout = get_layout(name)
        if not {"left_hip", "right_hip", "left_shoulder", "right_shoulder"} <= set(layout.joints):
            continue
        x = rng.normal(0, 300, (2, 9, len(layout.joints), 3))
        np.testing.assert_array_equal(body_frames(x, layout), one_at_a_time(x, layout))
        checked += 1
    assert checked >= 3


def test_a_joint_never_seen_keeps_its_partner_out_of_the_symmetric_part():
    """A stand-in's pull (the network placing a leg it never saw) is no joint definition: not averaged in."""
    from synsp.conventions import symmetric_part
    local = np.random.default_rng(5).normal(0, 10, (17, 3))
    never = np.zeros(17, bool)
    left, right = H36M17.joints.index("left_knee"), H36M17.joints.index("right_knee")
    never[left] = True
    out, plain = symmetric_part(local, "h36m17", never), symmetric_part(local, "h36m17")
    np.testing.assert_array_equal(out[[left, right]], local[[left, right]])
    others = [j for j in range(17) if j not in (left, right)]
    np.testing.assert_array_equal(out[others], plain[others])
    np.testing.assert_array_equal(symmetric_part(local, "h36m17", np.zeros(17, bool)), plain)
