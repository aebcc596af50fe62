"""A joint scored low all clip long is a measurement (its own level); an estimator's low bursts are its misses."""
from __future__ import annotations

import numpy as np

import synsp
from synsp.formats import scores_to_missing
from synsp.score_levels import measured_by_score, steady_levels


def test_steady_low_joint_is_measured_and_its_own_dips_are_missing():
    scores = np.full((40, 3), 0.9)
    scores[:, 1] = 0.25  # the far side of a side view: low all clip long
    scores[10, 1] = 0.05  # a dip below half its own level: a miss
    scores[20:25, 2] = 0.1  # a confident joint's burst: misses, as the threshold says
    kept = measured_by_score(scores, 0.3)
    assert kept[:, 0].all()
    assert kept[:, 1].sum() == 39 and not kept[10, 1]
    assert not kept[20:25, 2].any() and kept[:20, 2].all() and kept[25:, 2].all()
    assert np.isnan(steady_levels(scores, 0.3)[[0, 2]]).all() and steady_levels(scores, 0.3)[1] == 0.25


def test_a_joint_hidden_most_of_the_clip_keeps_the_threshold():
    scores = np.full((100, 2), 0.9)
    scores[:30, 1] = 0.95  # seen, then hidden for 70 frames: the estimator's guesses, scored 0.1-0.29
    scores[30:, 1] = np.linspace(0.1, 0.29, 70)
    assert np.isnan(steady_levels(scores, 0.3)).all()
    np.testing.assert_array_equal(measured_by_score(scores, 0.3), scores >= 0.3)


def test_scores_to_missing_keeps_a_steady_low_joint():
    poses = np.ones((2, 30, 2, 2))
    scores = np.full((2, 30, 2), 0.9)
    scores[0, :, 1] = 0.2
    scores[1, :, 1] = 0.0  # scored 0 throughout: not detected at all
    out = scores_to_missing(poses, scores, 0.3)
    assert np.isfinite(out[0]).all() and np.isnan(out[1, :, 1]).all() and np.isfinite(out[1, :, 0]).all()
    faint = scores_to_missing(poses, np.full((2, 30, 2), 0.2), 0.3)  # nobody scored 0.3 or more: nobody detected
    assert np.isnan(faint).all()


def test_refine_smooths_a_joint_scored_low_all_clip():
    rng = np.random.default_rng(0)
    t = np.arange(60)[:, None, None]
    clean = 500 + 100 * np.sin(t / 10 + np.arange(17)[None, :, None] * 0.3 + np.arange(2) * 1.5)
    noisy = clean + rng.normal(0, 5, clean.shape)
    scores = np.full((60, 17, 1), 0.9)
    scores[:, 5] = 0.25
    out = synsp.refine(np.concatenate([noisy, scores], -1), "savgol", fps=30)
    err = np.linalg.norm(out[:, 5, :2] - clean[:, 5], axis=-1).mean()
    assert not np.array_equal(out[:, 5, :2], noisy[:, 5])  # refined, not given back as it came
    assert err < 0.8 * np.linalg.norm(noisy[:, 5] - clean[:, 5], axis=-1).mean()
    np.testing.assert_array_equal(out[..., 2], scores[..., 0])


def test_a_file_says_which_joints_were_read_at_their_own_level(tmp_path):
    from synsp.refining.files import refine_file

    rng = np.random.default_rng(1)
    t = np.arange(60)[:, None, None]
    xy = 500 + 100 * np.sin(t / 10 + np.arange(17)[None, :, None] * 0.3 + np.arange(2) * 1.5)
    xy = xy + rng.normal(0, 5, xy.shape)
    scores = np.full((60, 17, 1), 0.9)
    scores[:, [5, 7]] = 0.25
    np.save(tmp_path / "in.npy", np.concatenate([xy, scores], -1))
    summary = str(refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", fps=30,
                              layout="coco17"))
    assert "scores: 2 joint(s) scored below 0.3 in most frames (left_shoulder, left_elbow; median 0.25)" in summary
    assert "not refined" not in summary
    out = np.load(tmp_path / "out.npy")
    assert not np.array_equal(out[:, 5, :2], xy[:, 5]) and np.array_equal(out[..., 2:], scores)
