"""Motions the mocap does not hold: limbs grafted from other clips, playback speed wandering, postures bent."""
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from synsp.config import DataConfig
from synsp.conventions import trunk_frame
from synsp.data.novel_motion import LIMBS, bend_posture, graft_limbs, random_limb_sources, warped_times
from synsp.skeleton import Layout, get_layout
from synsp.training.pairs import TrainingPairs

LAYOUT = get_layout("h36m17")
REST = np.array([[0, 0, 0], [-130, 0, 0], [-130, -420, 0], [-130, -840, 0], [130, 0, 0], [130, -420, 0],
                 [130, -840, 0], [0, 230, 0], [0, 480, 0], [0, 600, 60], [0, 700, 20], [150, 470, 0],
                 [160, 200, 0], [160, -40, 0], [-150, 470, 0], [-160, 200, 0], [-160, -40, 0]], float)


def walking_clip(frames: int, phase: float = 0.0) -> np.ndarray:
    """A turning h36m17 body (mm) swinging its arms and legs at ``phase`` (radians)."""
    out = []
    for k in range(frames):
        pose = REST.copy()
        swing = np.sin(k / 5 + phase)
        pose[[2, 3]] += [0, 0, 80 * swing]
        pose[[12, 13]] += [[0, 0, 120 * swing], [0, 0, 260 * swing]]  # left arm against right leg
        pose[[15, 16]] -= [[0, 0, 120 * swing], [0, 0, 260 * swing]]
        turn = Rotation.from_euler("yx", [k * 4, 10 * np.sin(k / 7)], degrees=True)
        out.append(turn.apply(pose) + [3 * k, 0, 0])
    return np.array(out, np.float32)


def _bone(x, a, b):
    return x[:, LAYOUT.index(b)] - x[:, LAYOUT.index(a)]


def test_a_grafted_arm_points_as_the_source_arm_does_in_its_trunk_frame_and_keeps_its_length():
    target = walking_clip(frames=60)
    source = walking_clip(frames=60, phase=2.0)  # the same walk, another phase
    turn = Rotation.from_euler("y", 70, degrees=True).as_matrix()
    source = source @ turn.T + 1000.0  # elsewhere, facing elsewhere: only the trunk frame counts
    out = graft_limbs(target, {"left_arm": source}, LAYOUT)

    for a, b in (("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist")):
        np.testing.assert_allclose(np.linalg.norm(_bone(out, a, b), axis=-1),
                                   np.linalg.norm(_bone(target, a, b), axis=-1), rtol=1e-4)
        local_out = np.einsum("tji,tj->ti", trunk_frame(out, LAYOUT), _bone(out, a, b))
        local_src = np.einsum("tji,tj->ti", trunk_frame(source, LAYOUT), _bone(source, a, b))
        unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)  # noqa: E731
        np.testing.assert_allclose(unit(local_out), unit(local_src), atol=1e-4)
    assert not np.allclose(out[:, LAYOUT.index("left_wrist")], target[:, LAYOUT.index("left_wrist")], atol=1.0)
    others = [LAYOUT.index(n) for n in LAYOUT.joints if n not in ("left_elbow", "left_wrist")]
    np.testing.assert_array_equal(out[:, others], target[:, others])


def test_grafting_a_clip_onto_itself_changes_nothing():
    clip = walking_clip(frames=40)
    out = graft_limbs(clip, {limb: clip for limb in LIMBS}, LAYOUT)
    np.testing.assert_allclose(out, clip, atol=1e-3)


def test_grafting_needs_the_limb_joints_and_a_matching_source():
    clip = walking_clip(frames=20)
    with pytest.raises(ValueError, match="source shape"):
        graft_limbs(clip, {"left_arm": clip[:10]}, LAYOUT)
    torso = Layout(name="torso", joints=("left_hip", "right_hip", "left_shoulder", "right_shoulder"),
                   bones=((0, 1), (0, 2), (1, 3)), left_right=((0, 1), (2, 3)), root=None)
    with pytest.raises(ValueError, match="no left_elbow, left_wrist"):
        graft_limbs(np.zeros((5, 4, 3)), {"left_arm": np.zeros((5, 4, 3))}, torso)


def test_limb_sources_come_from_clips_long_enough():
    rng = np.random.default_rng(0)
    target = walking_clip(frames=50)
    short = walking_clip(frames=30)
    assert random_limb_sources(target, [short], 1.0, rng) == {}
    sources = random_limb_sources(target, [short, walking_clip(frames=80)], 1.0, rng)
    assert set(sources) <= set(LIMBS) and "left_arm" in sources and "right_arm" in sources
    assert all(s.shape == target.shape for s in sources.values())
    assert random_limb_sources(target, [target], 0.0, rng) == {}


def test_warped_times_wander_in_speed_and_stay_on_the_clip():
    np.testing.assert_array_equal(warped_times(200, 0.0, np.random.default_rng(0)), np.arange(200))
    times = warped_times(200, 0.3, np.random.default_rng(0))
    speed = np.diff(times)
    assert times[0] == 0 and times[-1] <= 199
    assert speed.min() > 0.2 and speed.max() < 5.0
    assert speed.std() > 0.1  # not one speed throughout
    assert np.all(np.abs(np.diff(speed)) < 0.2)  # it wanders smoothly


def test_training_pairs_mix_limbs_when_asked():
    clips = [walking_clip(frames=60), walking_clip(frames=60, phase=2.5)]
    plain = dict(scale=(1.0, 1.0), time_scale=(1.0, 1.0), flip=False, rotation="none")
    mixed = TrainingPairs(clips, DataConfig(limb_mixing=1.0, **plain), window=8)._augment(0, np.random.default_rng(4))
    assert mixed.shape == clips[0].shape
    wrist = LAYOUT.index("left_wrist")
    assert np.abs(mixed[:, wrist] - clips[0][:, wrist]).max() > 10.0
    np.testing.assert_allclose(mixed[:, 0], clips[0][:, 0], atol=1e-3)


@pytest.mark.parametrize("bad", [dict(limb_mixing=1.5), dict(limb_mixing=-0.1), dict(time_warp=-0.2),
                                 dict(posture_bends=-5.0), dict(posture_bend_share=1.2)])
def test_training_pairs_refuse_mixing_outside_its_range(bad):
    with pytest.raises(ValueError, match="limb_mixing and posture_bend_share must be in"):
        TrainingPairs([walking_clip(frames=20)], DataConfig(**bad), window=8)


def test_training_pairs_bend_only_their_share_of_the_clips():
    clip = walking_clip(frames=60)
    plain = dict(scale=(1.0, 1.0), time_scale=(1.0, 1.0), flip=False, rotation="none", posture_bends=25.0)
    kept = TrainingPairs([clip], DataConfig(posture_bend_share=0.0, **plain), window=8)
    bent = TrainingPairs([clip], DataConfig(posture_bend_share=1.0, **plain), window=8)
    rng = np.random.default_rng(5)
    root = LAYOUT.index("pelvis")
    kept_clip = kept._augment(0, rng)
    np.testing.assert_allclose(kept_clip - kept_clip[:, root:root + 1], clip - clip[:, root:root + 1], atol=1e-3)
    moved = [np.abs(bent._augment(0, np.random.default_rng(s)) - clip).max() for s in range(4)]
    assert max(moved) > 10.0


@pytest.mark.parametrize("layout", ["h36m17", "coco17"])
def test_a_bent_posture_keeps_every_limb_bone_moves_smoothly_and_differs_from_the_actors(layout):
    from synsp.skeleton import convert

    clip = walking_clip(frames=90) if layout == "h36m17" else convert(walking_clip(frames=90), "h36m17", layout)
    bent = bend_posture(clip, layout, 25.0, np.random.default_rng(2), probability=1.0)
    lay = get_layout(layout)
    limb_bones = [(a, b) for a, b in lay.bones if any({lay.joints[a], lay.joints[b]} <= set(c) for c in LIMBS.values())]
    for a, b in limb_bones:  # arms and legs keep their lengths at every frame
        np.testing.assert_allclose(np.linalg.norm(bent[:, b] - bent[:, a], axis=-1),
                                   np.linalg.norm(clip[:, b] - clip[:, a], axis=-1), rtol=1e-4)
    assert bent.shape == clip.shape and bent.dtype == clip.dtype
    assert np.abs(bent - clip).max() > 50.0  # another posture
    # as smooth as the clip: the bends add no jitter
    assert np.abs(np.diff(bent, 2, axis=0)).mean() < 2 * np.abs(np.diff(clip, 2, axis=0)).mean() + 1.0
    np.testing.assert_allclose(bend_posture(clip, layout, 0.0, np.random.default_rng(2)), clip, atol=1e-4)
