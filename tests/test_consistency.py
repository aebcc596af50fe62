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
