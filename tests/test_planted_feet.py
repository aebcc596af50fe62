"""Planted feet held (synsp.inference.planted_feet): a still foot on the floor stops wobbling, a moving one is left."""
import numpy as np
import pytest

from synsp.inference.planted_feet import foot_joints, hold_planted
from synsp.skeleton import get_layout


def _walker(frames: int = 90, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) h36m17 poses (T, 17, 3) mm, Y up: the left foot planted in frames 10-39, swinging after."""
    names = get_layout("h36m17").joints
    rng = np.random.default_rng(seed)
    pose = np.zeros((17, 3))
    for name, at in {"right_hip": (-100, 900, 0), "left_hip": (100, 900, 0), "right_knee": (-100, 500, 0),
                     "left_knee": (100, 500, 0), "right_ankle": (-100, 100, 0), "left_ankle": (100, 100, 0),
                     "pelvis": (0, 900, 0), "spine": (0, 1150, 0), "thorax": (0, 1400, 0), "neck_nose": (0, 1500, 0),
                     "head": (0, 1650, 0), "right_shoulder": (-170, 1400, 0), "left_shoulder": (170, 1400, 0),
                     "right_elbow": (-190, 1120, 0), "left_elbow": (190, 1120, 0), "right_wrist": (-200, 880, 0),
                     "left_wrist": (200, 880, 0)}.items():  # a body SynSP knows (else its fallback's output)
        pose[names.index(name)] = at
    clean = np.repeat(pose[None], frames, axis=0)
    left = names.index("left_ankle")
    t = np.arange(frames)
    clean[:, left, 2] = np.where(t < 40, 0.0, 15.0 * (t - 40))  # still, then 15 mm/frame forwards
    clean[:, left, 1] = np.where(t < 40, 100.0, 100.0 + 60.0 * np.sin(np.clip(t - 40, 0, None) / 8.0) ** 2)
    return clean, clean + rng.normal(0.0, 1.5, clean.shape)


def test_a_planted_foot_stops_sliding_and_a_swinging_one_is_left():
    clean, noisy = _walker()
    left = get_layout("h36m17").joints.index("left_ankle")
    held, frames = hold_planted(noisy, "h36m17", fps=30)
    speed = lambda p: np.linalg.norm(np.diff(p[12:36, left], axis=0), axis=-1).mean()  # noqa: E731
    assert speed(held) < 0.3 * speed(noisy)
    error = lambda p: np.abs(p[12:36, left] - clean[12:36, left]).mean()  # noqa: E731
    assert error(held) < error(noisy)
    assert frames[15:35, left].all() and not frames[45:, left].any()
    np.testing.assert_array_equal(held[45:, left], noisy[45:, left])  # the swing is left as it was
    others = [j for j in range(17) if j not in foot_joints("h36m17")]
    np.testing.assert_array_equal(held[:, others], noisy[:, others])


def test_a_foot_slowly_pivoting_on_the_floor_keeps_its_arc():
    """An ankle circling a planted toe by 90 degrees over 2 s (5 mm/frame, slower than a plant's limit) is no
    plant: its straight line would cut the arc's chord, 58 mm inside it."""
    clean, _ = _walker(frames=60)
    left = get_layout("h36m17").joints.index("left_ankle")
    angle = np.linspace(0.0, np.pi / 2, 60)
    clean[:, left, 0] = 100.0 + 200.0 * np.cos(angle)
    clean[:, left, 1] = 100.0
    clean[:, left, 2] = 200.0 * np.sin(angle)
    held, frames = hold_planted(clean, "h36m17", fps=30)
    assert not frames[:, left].any() and frames[10:50].any()  # the other foot, still, is held
    np.testing.assert_array_equal(held[:, left], clean[:, left])


def test_heavy_noise_holds_nothing_and_2d_or_gaps_pass_through():
    clean, _ = _walker()
    noisy = clean + np.random.default_rng(1).normal(0.0, 20.0, clean.shape)
    assert not hold_planted(noisy, "h36m17", fps=30)[1].any()
    flat = clean[..., :2]
    assert hold_planted(flat, "coco17")[0] is flat
    gappy = clean.copy()
    gappy[5, 3] = np.nan
    assert not hold_planted(gappy, "h36m17")[1].any()
    with pytest.raises(ValueError, match="joints"):
        hold_planted(clean[:, :16], "h36m17")


def test_the_public_refine_holds_planted_feet_in_3d(monkeypatch):
    import synsp
    from synsp.inference import planted_feet

    clean, noisy = _walker(120)
    hips = [get_layout("h36m17").joints.index(n) for n in ("pelvis", "right_hip", "left_hip")]
    noisy[:, hips, 0] += 40.0 * np.sin(np.arange(120) / 20.0)[:, None]  # world axes: the hips sway over the feet
    held = synsp.refine(noisy, layout="h36m17", fps=30)
    monkeypatch.setattr(planted_feet, "HOLD", False)
    before = synsp.refine(noisy, layout="h36m17", fps=30)
    feet = foot_joints("h36m17")
    others = [j for j in range(17) if j not in feet]
    np.testing.assert_array_equal(held[:, others], before[:, others])
    assert not np.array_equal(held[:, feet], before[:, feet])


def test_root_relative_poses_are_left_as_they_are():
    import synsp
    from synsp.inference.planted_feet import root_relative

    clean, noisy = _walker(120)
    noisy = noisy - noisy[:, :1]  # the pelvis at the origin in every frame
    walking = clean + np.arange(120)[:, None, None] * [0.0, 0.0, 5.0]
    assert root_relative(noisy, "h36m17") and not root_relative(walking, "h36m17")
    from synsp.inference import planted_feet
    held = synsp.refine(noisy, layout="h36m17", fps=30)
    planted_feet.HOLD = False
    try:
        np.testing.assert_array_equal(held, synsp.refine(noisy, layout="h36m17", fps=30))
    finally:
        planted_feet.HOLD = True


def test_a_still_root_with_white_noise_on_it_still_reads_root_relative():
    """Root-relative poses (the protocol's clean clips) with 1 mm of white noise on every joint, root included, keep
    their root's slow path still; a root that sways by 2 cm in world axes does not."""
    from synsp.inference.planted_feet import root_relative

    clean, _ = _walker(120)
    rng = np.random.default_rng(2)
    assert root_relative(clean, "h36m17") and root_relative(clean + rng.normal(0.0, 1.0, clean.shape), "h36m17")
    spiky = clean.copy()
    spiky[50, 0] += 200.0  # a one-frame jump of the root
    assert root_relative(spiky, "h36m17")
    swayed = clean + rng.normal(0.0, 1.0, clean.shape)
    swayed[:, :, 0] += 20.0 * np.sin(np.arange(120) / 20.0)[:, None]
    assert not root_relative(swayed, "h36m17")


def _both_routes(poses: np.ndarray, layout: str, tmp_path) -> tuple[np.ndarray, np.ndarray]:
    """(``synsp.refine``'s output, ``synsp refine``'s on a CSV of ``poses`` (T, J, 3) in ``layout``), as float32."""
    import pandas as pd

    import synsp

    names = get_layout(layout).joints
    table = pd.DataFrame({f"{n}_{a}": poses[:, j, c] for j, n in enumerate(names) for c, a in enumerate("xyz")})
    table.to_csv(tmp_path / "in.csv", index=False)
    synsp.refine_file(tmp_path / "in.csv", tmp_path / "out.csv", fps=30, force=True)
    cli = pd.read_csv(tmp_path / "out.csv", float_precision="round_trip")[table.columns].to_numpy(np.float32)
    return synsp.refine(poses, layout=layout, fps=30).astype(np.float32), cli.reshape(poses.shape)


@pytest.mark.parametrize("layout", ["coco17", "halpe26"])
def test_a_converted_layouts_feet_are_held_once_by_both_routes(layout, tmp_path, monkeypatch):
    """Poses in a layout the network converts to (COCO-17; HALPE-26, with toes and heels) have each planted foot joint
    held once, by ``synsp.refine`` as by ``synsp refine`` on the same CSV: equal at float32. The array route once held
    the model's ankles, then every foot joint again in the layout (COCO's ankles 2 mm from the CLI's on a walk); the
    CLI held the model's ankles only, leaving HALPE-26's toes and heels sliding."""
    from synsp.inference import planted_feet
    from synsp.skeleton import convert

    _, noisy = _walker(120)
    hips = [get_layout("h36m17").joints.index(n) for n in ("pelvis", "right_hip", "left_hip")]
    noisy[:, hips, 0] += 40.0 * np.sin(np.arange(120) / 20.0)[:, None]  # world axes: the hips sway over the feet
    poses = convert(noisy, "h36m17", "coco17")
    if layout == "halpe26":  # head, neck, mid-hip; toes 12 and 10 cm ahead of each ankle, heels 5 cm behind, lower
        ankles = poses[:, 15:17]
        feet = [ankles + [0.0, -80.0, 120.0], ankles + [0.0, -80.0, 100.0], ankles + [0.0, -80.0, -50.0]]
        poses = np.concatenate([poses, poses[:, 3:5].mean(1, keepdims=True) + [0.0, 100.0, 0.0],
                                poses[:, 5:7].mean(1, keepdims=True), poses[:, 11:13].mean(1, keepdims=True), *feet],
                               axis=1)
        poses[:, 17:] += np.random.default_rng(3).normal(0.0, 1.5, poses[:, 17:].shape)
    poses = poses.astype(np.float32)
    arrays, cli = _both_routes(poses, layout, tmp_path)
    np.testing.assert_array_equal(arrays, cli)
    monkeypatch.setattr(planted_feet, "HOLD", False)
    unheld = _both_routes(poses, layout, tmp_path)[1]
    names = get_layout(layout).joints
    moved = {names[j] for j in range(len(names)) if not np.array_equal(cli[:, j], unheld[:, j])}
    # light noise: the ankles are the low-pass's (SynSP's held output was the farther, nearer_if_noise_only); the
    # toes and heels, which the CLI never held before, are held after it
    assert all("toe" in n or "heel" in n for n in moved) and bool(moved) == (layout == "halpe26")
