"""The clip's own consistency: bones pulled towards their clip length, directions and root kept."""
from __future__ import annotations

import numpy as np

from synsp.consistency import bone_lengths, constant_bone_lengths, frame_lengths, symmetric_lengths
from synsp.skeleton import H36M17, bone_tree
from test_conventions import walking


def _lengths(x: np.ndarray) -> np.ndarray:
    return np.stack([np.linalg.norm(x[:, c] - x[:, p], axis=-1) for p, c in bone_tree(H36M17)], axis=1)


def test_full_strength_gives_every_frame_the_clips_symmetric_lengths():
    rng = np.random.default_rng(0)
    x = walking() + rng.normal(0, 8, (50, 17, 3))
    out = constant_bone_lengths(x, "h36m17", strength=1.0)
    target = bone_lengths(x, "h36m17")
    np.testing.assert_allclose(_lengths(out), np.broadcast_to([target[c] for _, c in bone_tree(H36M17)], (50, 16)),
                               rtol=1e-6)
    for left, right in H36M17.left_right:
        assert target[left] == target[right]
    np.testing.assert_allclose(out[:, 0], x[:, 0])  # the root stays
    for parent, child in bone_tree(H36M17):  # every bone keeps its direction
        a, b = x[:, child] - x[:, parent], out[:, child] - out[:, parent]
        cos = np.sum(a * b, -1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)
        assert cos.min() > 1 - 1e-9


def test_strength_moves_lengths_part_of_the_way_and_zero_changes_nothing():
    rng = np.random.default_rng(1)
    x = walking() + rng.normal(0, 8, (50, 17, 3))
    np.testing.assert_allclose(constant_bone_lengths(x, "h36m17", strength=0.0), x, atol=1e-9)
    spread = _lengths(x).std(0).mean()
    half = _lengths(constant_bone_lengths(x, "h36m17", strength=0.5)).std(0).mean()
    assert abs(half - spread / 2) < 0.1 * spread
    views = np.stack([x, x + 1.0])
    assert constant_bone_lengths(views, "h36m17").shape == views.shape


def test_per_sequence_target_lengths_as_an_array_match_the_dict_form():
    """Streams pull every person's frames at once, each towards their own running lengths."""
    rng = np.random.default_rng(2)
    people = walking()[None] + rng.normal(0, 8, (4, 50, 17, 3))
    targets = np.stack([[bone_lengths(p[:10], "h36m17")[c] for _, c in bone_tree(H36M17)] for p in people])
    together = constant_bone_lengths(people, "h36m17", 0.5, targets)  # (4, B): one set per person
    for person, target, out in zip(people, targets, together):
        alone = constant_bone_lengths(person, "h36m17", 0.5, dict(zip([c for _, c in bone_tree(H36M17)], target)))
        np.testing.assert_array_equal(out, alone)
    assert np.array_equal(symmetric_lengths(frame_lengths(people[0, :1], "h36m17"), "h36m17")[0],
                          [bone_lengths(people[0, :1], "h36m17")[c] for _, c in bone_tree(H36M17)])


def test_a_bone_far_off_beside_a_fill_is_not_carried_onto_the_measured_joints_below():
    """A knee filled 400 mm off between a measured hip and ankle: its thigh and shin far off their lengths. Pulled
    to length, the shin would carry the wrong knee onto the measured ankle; beside a fill that far off it is not."""
    x = walking() + np.random.default_rng(3).normal(0, 2, (50, 17, 3))
    knee, ankle = H36M17.joints.index("right_knee"), H36M17.joints.index("right_ankle")
    wrong = x.copy()
    wrong[20:30, knee] += [400.0, 0.0, 0.0]
    seen = np.ones(x.shape[:2], bool)
    seen[20:30, knee] = False
    blind = constant_bone_lengths(wrong, "h36m17")
    told = constant_bone_lengths(wrong, "h36m17", seen=seen)
    assert np.linalg.norm(blind[20:30, ankle] - x[20:30, ankle], axis=-1).mean() > 50
    assert np.linalg.norm(told[20:30, ankle] - x[20:30, ankle], axis=-1).max() < 10
    np.testing.assert_array_equal(constant_bone_lengths(x, "h36m17", seen=np.ones_like(seen)),
                                  constant_bone_lengths(x, "h36m17"))  # all measured: as before
    near = x.copy()  # a fill near its bones' lengths still takes the full pull
    seen_near = np.ones_like(seen)
    seen_near[20:30, knee] = False
    np.testing.assert_allclose(constant_bone_lengths(near, "h36m17", seen=seen_near)[20:30],
                               constant_bone_lengths(near, "h36m17")[20:30], atol=1e-9)


def test_a_limb_never_seen_gives_its_partner_no_length_and_is_not_pulled_when_collapsed():
    """An amputee's left leg, never measured, stands at the body's centroid (its bones about 0 long). Its lengths
    averaged in halved the right shin's target (the right ankle 167 mm off); now the right leg aims at its own, and
    the collapsed stand-ins are not pulled open."""
    x = walking() + np.random.default_rng(4).normal(0, 2, (50, 17, 3))
    leg = [H36M17.joints.index(j) for j in ("left_hip", "left_knee", "left_ankle")]
    stand_in = x.copy()
    stand_in[:, leg] = x.mean(axis=1, keepdims=True)
    seen = np.ones(x.shape[:2], bool)
    seen[:, leg] = False
    right = [H36M17.joints.index(j) for j in ("right_hip", "right_knee", "right_ankle")]
    blind = constant_bone_lengths(stand_in, "h36m17")
    told = constant_bone_lengths(stand_in, "h36m17", seen=seen)
    assert np.linalg.norm(blind[:, right] - x[:, right], axis=-1).mean() > 50
    alone = constant_bone_lengths(x, "h36m17")  # the right leg as if both were seen (its lengths ~ the left's)
    assert np.linalg.norm(told[:, right] - alone[:, right], axis=-1).max() < 10
    np.testing.assert_allclose(told[:, leg], stand_in[:, leg], atol=1e-9)


def test_a_plausible_stand_in_limb_is_pulled_to_its_partners_length():
    """A never-seen ankle the network placed near a shin's length (30 % short) is pulled to the seen shin's length:
    the next looks at the output read a whole body."""
    x = walking() + np.random.default_rng(6).normal(0, 2, (50, 17, 3))
    knee, ankle = H36M17.joints.index("left_knee"), H36M17.joints.index("left_ankle")
    short = x.copy()
    short[:, ankle] = x[:, knee] + 0.7 * (x[:, ankle] - x[:, knee])
    seen = np.ones(x.shape[:2], bool)
    seen[:, ankle] = False
    out = constant_bone_lengths(short, "h36m17", strength=1.0, seen=seen)
    shin = np.linalg.norm(out[:, ankle] - out[:, knee], axis=-1)
    right = bone_lengths(x, "h36m17")[H36M17.joints.index("right_ankle")]
    np.testing.assert_allclose(shin, right, rtol=0.05)


def test_a_streams_running_lengths_give_a_limb_never_seen_no_part_in_its_partners():
    """A stream (:class:`~synsp.inference.stream_bones.RunningBoneLengths`) joins the running lengths as offline
    does: the left leg's stand-in at the centroid leaves the right shin its own length, not half of it (the stream's
    seen joints 12.69 -> 34.97 mm before: benchmarks/RESULTS.md, section 12, "A stream with a limb never seen");
    every joint seen: as before."""
    from synsp.inference.stream_bones import RunningBoneLengths

    x = walking() + np.random.default_rng(4).normal(0, 2, (50, 17, 3))
    leg = [H36M17.joints.index(j) for j in ("left_hip", "left_knee", "left_ankle")]
    stand_in = x.copy()
    stand_in[:, leg] = x.mean(axis=1, keepdims=True)
    never = np.zeros((50, 1, 17), bool)
    never[..., leg] = True
    shin = [c for _, c in bone_tree(H36M17)].index(H36M17.joints.index("right_ankle"))
    told = RunningBoneLengths().add(stand_in[:, None], H36M17, never)[-1, 0, shin]
    own = np.median(_lengths(x)[:, shin])
    assert abs(told - own) < 0.05 * own
    plain = RunningBoneLengths().add(x[:, None], H36M17)
    np.testing.assert_array_equal(plain, RunningBoneLengths().add(x[:, None], H36M17, np.zeros((50, 1, 17), bool)))


def test_a_midline_joint_never_seen_leaves_its_bones_as_they_are_and_nothing_nan():
    """A midline joint never seen (the spine of a 16-joint lab skeleton padded to H36M) has no left/right partner, so
    its bones have no length to aim at: they were NaN, and so was every joint above it (the seen ones 435 mm off
    after the refinement). Its bones are now kept as they are, the bones between seen joints still pulled; so for
    both hips never seen (each the other's partner)."""
    x = walking() + np.random.default_rng(5).normal(0, 2, (50, 17, 3))
    for missing in (("spine",), ("left_hip", "right_hip")):
        never = [H36M17.joints.index(j) for j in missing]
        seen = np.ones(x.shape[:2], bool)
        seen[:, never] = False
        out = constant_bone_lengths(x, "h36m17", seen=seen)
        assert np.isfinite(out).all()
        tree = bone_tree(H36M17)
        own = [b for b, (p, c) in enumerate(tree) if p in never or c in never]
        np.testing.assert_allclose(_lengths(out)[:, own], _lengths(x)[:, own], rtol=1e-9)
        pulled = [b for b, (p, c) in enumerate(tree) if p not in never and c not in never]
        assert _lengths(out)[:, pulled].std(axis=0).mean() < 0.5 * _lengths(x)[:, pulled].std(axis=0).mean()
