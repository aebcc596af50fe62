"""A joint of another layout on a live stream (feet, head top, face) takes of its nearest model
joints' correction the slow part and only as much of the fast part as its own jitter follows theirs
(:mod:`synsp.inference.stream_corrections`)."""
from __future__ import annotations

import numpy as np

from synsp.inference.stream_corrections import LEFT_OUT, WIDTHS, RunningShare, RunningWidth
from synsp.integrations.stream import Frame, PoseStream
from walking import walking


def _halpe(frames: np.ndarray) -> np.ndarray:
    """Halpe-26 (T, 26, 2) from COCO-17 frames: head top, neck, hip, and the feet near the ankles."""
    mid = lambda x, a, b: (x[:, a] + x[:, b]) / 2  # noqa: E731
    return np.concatenate([frames, frames[:, [0]] - [0, 25], mid(frames, 5, 6)[:, None], mid(frames, 11, 12)[:, None],
                           frames[:, [15, 16, 15, 16, 15, 16]] + [0, 12]], axis=1)


def _streamed(halpe: np.ndarray) -> np.ndarray:
    stream = PoseStream("synsp", layout="halpe26")
    lines = [line for t, frame in enumerate(halpe) for line in stream.push(Frame(t, {0: frame}))] + stream.close()
    return np.array([line["people"][0]["keypoints"] for line in lines], np.float64)


def test_the_model_joints_jitter_does_not_come_into_joints_with_their_own():
    """The nine Halpe joints COCO lacks, with 2 px jitter of their own, streamed twice: with COCO's
    joints jittering by 8 px and by 2 px. The feet and head took their ankles' and eyes' jitter:
    they came back 0.93 px apart on average (0.48 with the share of the fast part, 0.45 bounded by
    the joint's own fast deviation; 0.65 once each joint's Gaussian width is chosen, narrower
    ones letting more through)."""
    clean, noisy = walking(90, noise=8.0)
    truth = _halpe(clean)
    extra = truth[:, 17:] + np.random.default_rng(5).normal(0, 2, truth[:, 17:].shape)
    jittery, steady = (_streamed(np.concatenate([x, extra], axis=1)) for x in (noisy, walking(90, noise=2.0)[1]))
    assert np.linalg.norm(jittery[:, 17:] - steady[:, 17:], axis=-1).mean() < 0.8


def test_the_share_of_the_fast_part_follows_the_joints_own_jitter():
    """Joint 0's fast input is independent of its model joint's, joint 1's is the same: after 300
    frames joint 0 takes little of the correction's fast part and joint 1 nearly all of it; a
    constant correction (the slow part) is taken whole by both."""
    rng = np.random.default_rng(0)
    share = RunningShare()
    for _ in range(300):
        model = rng.normal(0, 3, (2, 2))
        own = np.stack([rng.normal(0, 3, 2), model[1]])
        moved = share(np.full((2, 2), 5.0) - model, own, model)
    fast = -model  # this frame's correction beyond its slow part (5 px)
    taken = ((moved - 5.0) * fast).sum(axis=-1) / (fast * fast).sum(axis=-1)
    assert taken[0] < 0.25 and taken[1] > 0.9, taken


def test_the_first_frames_take_the_whole_correction():
    """Before any evidence, a joint moves with its model joints' whole correction (as before)."""
    moved = RunningShare()(np.array([[2.0, -1.0]]), np.array([[0.5, 0.5]]), np.array([[-3.0, 1.0]]))
    np.testing.assert_allclose(moved, [[2.0, -1.0]])



def test_a_model_joints_glitch_taken_back_does_not_move_the_foot():
    """The left ankle jumps 80 px up for two frames, its toes and heel do not: the stream's
    measurements take the ankle back, and the foot moved with that correction (22.4 px from the
    truth at worst; 4.6 after: the move is bounded by the foot's own fast deviation; 3.6 with
    each joint's own width)."""
    clean, noisy = walking(60, noise=1.0)
    halpe = _halpe(noisy)
    halpe[30:32, 15] += (0.0, -80.0)
    got = _streamed(halpe)
    left_foot = [20, 22, 24]
    assert np.linalg.norm(got[:, left_foot] - _halpe(clean)[:, left_foot], axis=-1).max() < 6.0


def test_a_foot_turning_fast_is_not_averaged_away():
    """The toes and heels circle their ankles 15 px out, 3 turns a second, on clean input: one
    Gaussian of 1.5 frames cut the circle (5.39 px from the truth on average; 0.66 after: each
    joint's width is chosen by running cross-validation)."""
    clean, _ = walking(90, noise=0.0)
    truth = _halpe(clean)
    turn = 2 * np.pi * 3.0 * np.arange(90)[:, None] / 30.0
    truth[:, 20:] += 15 * np.concatenate([np.cos(turn), np.sin(turn)], axis=-1)[:, None]
    got = _streamed(truth)
    assert np.linalg.norm(got[:, 20:] - truth[:, 20:], axis=-1).mean() < 1.5


def test_the_width_follows_the_motion():
    """A still joint under white noise keeps the widest mean, one moving fast the narrowest."""
    rng = np.random.default_rng(1)
    width, lags = RunningWidth(len(WIDTHS)), np.arange(-5, 6)
    for t in range(200):
        track = np.stack([rng.normal(0, 1, (11, 2)), 20.0 * np.sin(0.3 * (t + lags))[:, None] + np.zeros((11, 2))], 1)
        weights = np.exp(-0.5 * (lags[None] / np.array(WIDTHS)[:, None]) ** 2) * (np.abs(lags) > LEFT_OUT)
        predicted = np.einsum("sn,njc->sjc", weights, track) / weights.sum(axis=1)[:, None, None]
        picked = width(track[5], predicted)
    assert list(picked) == [0, len(WIDTHS) - 1]
