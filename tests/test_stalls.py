"""A video decoder's stall (the whole pose written again for a few frames, then caught up) on a moving person is
one person refined across a gap, not a still person cut off and given back frozen (audit 34, finding 2); another
person at the catch-up is still cut."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.estimator_errors import measurements as measuring
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.stalls import carried_on, carry_frames, frames_at, pose_at_catch_up, stall_gaps
from synsp.estimator_errors.track_switches import track_segments
from synsp.inference.alternation import read_alternation
from synsp.inference.half_pace import at_half_pace_if_nearer
from synsp.skeleton import get_layout
from walking import walking

STALLS = (20, 45, 70)  # the frames repeated, 8 times each


def _runner(frames: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """(truth, input with 3 stalls): the walker carried 30 px a frame (a ~255 px person running, 0.12 sizes a
    frame), 2 px jitter; each stall's frame written again for the 8 frames after it."""
    clean, _ = walking(n_frames=frames, noise=0.0)
    truth = clean + np.arange(frames)[:, None, None] * [30.0, 0.0]
    x = truth + np.random.default_rng(0).normal(0, 2.0, truth.shape)
    for s in STALLS:
        x[s + 1: s + 9] = x[s]
    return truth, x


def test_a_stall_on_a_runner_is_read_as_a_gap_and_not_cut():
    truth, x = _runner()
    assert stall_gaps(x) == [(s, s + 9) for s in STALLS]
    assert track_segments(x) == [slice(0, 100)]  # was cut at each stall's first repeat and at its catch-up


def test_another_person_at_the_catch_up_is_cut():
    truth, x = _runner()
    x[54:] += [150.0, 40.0]  # the video caught up on someone else, 0.6 sizes off the runner's path
    assert track_segments(x) == [slice(0, 54), slice(54, 100)]


def test_a_stall_at_the_track_end_is_kept_in_its_span():
    truth, x = _runner()
    x[92:] = x[91]
    assert track_segments(x) == [slice(0, 100)]


def test_the_stalled_frames_come_back_refined():
    truth, x = _runner()
    held = np.zeros(len(x), bool)
    for s in STALLS:
        held[s + 1: s + 9] = True
    out = synsp.refine(x.astype(np.float32), "synsp", fps=30)
    before = np.linalg.norm(x - truth, axis=-1)[held].mean()
    after = np.linalg.norm(out - truth, axis=-1)[held].mean()
    assert before > 100 and after < 0.25 * before, (before, after)


def test_a_frozen_pose_reads_no_alternation():
    # a span holding one pose only (a frozen picture) has no noise for an alternation to explain: its noise reading
    # of float rounding (1e-15 body sizes) read as 0.999 explained, and `synsp refine` said it took one out
    _, x = walking(n_frames=12)
    frozen = np.repeat(x[:1], 12, axis=0)[None]
    assert read_alternation(frozen)[1][0, 0] == 0.0


def test_an_estimator_held_on_every_third_frame_has_no_stalls():
    # its new frames stand alone between runs of 2 repeats: the strided route's (refining.strided), read as before
    truth, _ = _runner()
    x = np.repeat(truth[::3], 3, axis=0)[:100]
    assert stall_gaps(x) == []


def test_a_stall_at_the_track_end_is_carried_at_the_body_pace():
    # no catch-up to fill towards: held, the runner stopped dead (30 px a frame behind) while the summary said
    # "refined as gaps"; carried on at its pace over the frames before, as the stream carries a stall in progress
    truth, x = _runner()
    x[92:] = x[91]
    out = synsp.refine(x.astype(np.float32), "synsp", fps=30)
    before = np.linalg.norm(x - truth, axis=-1)[92:].mean()
    after = np.linalg.norm(out - truth, axis=-1)[92:].mean()
    assert before > 100 and after < 0.25 * before, (before, after)
    assert np.array_equal(carried_on(x[:92], x[:92]), x[:92])  # no stall at the end: the values themselves


@pytest.mark.parametrize("fps", [None, 10, 60])
def test_a_long_held_tail_is_carried_at_most_half_a_second(fps):
    # a tracker that froze a walker's last pose for 10 s (300 frames, 4 px a frame) was carried to the end at the
    # body's pace, 1844 px away (refined); a run so long is no decoder stall: carried 0.5 s, then held. A time, not
    # frames: 15 frames were 0.25 s at 60 fps and 1.5 s at 10 fps
    clean, _ = walking(n_frames=400, noise=0.0)
    x = clean + np.arange(400)[:, None, None] * [4.0, 0.0]
    x[100:] = x[99]
    most = {None: 15, 10: 5, 60: 30}[fps]
    assert carry_frames(fps) == most
    out = carried_on(x, x, fps)
    moved = np.linalg.norm(out - x, axis=-1).mean(-1)  # (T,) px from the pose repeated
    pace = np.linalg.norm(x[99].mean(0) - x[96].mean(0)) / 3  # px a frame, the walk's own step and the 4 px: ~6
    assert moved[100] > 0.9 * pace  # carried at the body's pace from frame 99
    assert moved[99 + most] > moved[98 + most]  # still carried on its last frame
    assert np.array_equal(out[99 + most:], np.broadcast_to(out[99 + most], (301 - most, 17, 2)))
    assert moved.max() < 1.1 * pace * most, (moved.max(), pace)  # was 300 frames' worth: 1800 px
    # the rate reaches the step through measurements (the route's): the same values
    assert np.array_equal(measurements(x, get_layout("coco17"), fps=fps).values, out)


def test_runs_told_another_rate_for_the_same_frames_carry_half_a_second_of_them():
    # the second look at half the pace tells the route 15 fps for 30 fps frames, the floor step's SmoothNet base the
    # paced rate (~18 fps for this fast walk): told so, the carry was 8 or 9 frames, not 15, and such outputs moved
    assert carry_frames(15) == 8
    with frames_at(30):
        assert carry_frames(15) == 15
        with frames_at(15):  # the outermost call knows the frames' rate
            assert carry_frames(15) == 15
    assert carry_frames(15) == 8
    _, x = walking(n_frames=100, noise=3.0, fps=6.0)  # a walk five times as fast, carried 10 px a frame
    x = x + np.arange(100)[:, None, None] * [10.0, 0.0]
    x[70:] = x[69]  # 30 frames held at the end
    told = []

    def route(values: np.ndarray, fps: float | None = None) -> np.ndarray:
        told.append((fps, carry_frames(fps)))
        return values + (0.0 if fps else 50.0)  # the clip's rate far from the input: the half rate looked at
    at_half_pace_if_nearer(route, x, x, None, (20.0, 45.0))
    assert told == [(None, 15), (15.0, 15)]
    seen = []  # through the whole route: each carry the frames' 15 (and some run told another rate)

    def spy(values: np.ndarray, poses: np.ndarray, fps: float | None = None) -> np.ndarray:
        seen.append((fps, carry_frames(fps)))
        return carried_on(values, poses, fps)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(measuring, "carried_on", spy)
        synsp.refine(x, fps=30)
    assert {most for _, most in seen} == {15} and {fps for fps, _ in seen} - {30, None}, seen


def test_a_stream_reads_a_stall_as_a_gap_and_its_catch_up_as_the_same_person():
    # the stream held each stall (the first repeats beyond its lookahead, and the last ones once the catch-up, read
    # as another person, ended it) and started afresh from the catch-up; now no restart, each frame due as before
    truth, x = _runner()
    held = np.zeros(len(x), bool)
    for s in STALLS:
        held[s + 1: s + 9] = True
    assert pose_at_catch_up(x[: STALLS[0] + 10]) is not None and pose_at_catch_up(x[: STALLS[0] + 9]) is None
    stream = synsp.StreamingRefiner(synsp.load_model("synsp-coco17"))
    outs = [stream.push(frame) for frame in x.astype(np.float32)]
    out = np.concatenate([*outs, stream.flush()])
    before = np.linalg.norm(x - truth, axis=-1)[held].mean()
    after = np.linalg.norm(out - truth, axis=-1)[held].mean()
    assert before > 100 and after < 0.25 * before, (before, after)
    # each frame back at most 2 frames later than lag + lookahead (10): the cut watch tells the first repeat
    assert (np.cumsum([len(o) for o in outs]) >= np.arange(len(x)) - 12).all()


def test_a_stream_holds_a_frozen_tail_where_the_carry_left_it():
    # a tracker froze a walker (4 px a frame) for 100 frames, longer than the stream's 64-frame window: once the run's
    # first frame left the window, its measurement read no pace and gave the pose repeated, and the stream stepped back
    # by the whole carry (15 frames at the pace, ~90 px in a frame); now held where the carry left it, as offline
    clean, _ = walking(n_frames=200, noise=0.0)
    x = (clean + np.arange(200)[:, None, None] * [4.0, 0.0]).astype(np.float32)
    x[100:] = x[99]
    stream = synsp.StreamingRefiner(synsp.load_model("synsp-coco17"))
    out = np.concatenate([*(stream.push(frame) for frame in x), stream.flush()])
    centre = out.mean(axis=1)
    steps = np.linalg.norm(np.diff(centre[100:], axis=0), axis=-1)  # px, frame to frame inside the run
    pace = np.linalg.norm(x[99].mean(0) - x[96].mean(0)) / 3
    assert steps.max() < 1.5 * pace, (steps.max(), pace)  # was ~15 x the pace
    offline = np.asarray(synsp.refine(x, fps=30)).mean(axis=1)
    assert np.linalg.norm(centre[-1] - offline[-1]) < pace, (centre[-1], offline[-1])  # held where offline holds


@pytest.mark.parametrize("fps, most", [(None, 15), (60, 30)])
def test_a_stream_told_its_rate_carries_a_stall_at_the_end_half_a_second(fps, most):
    # a stream knew no rate: its measurements carried a stall 15 frames, 0.25 s of 60 fps footage where offline
    # (refine(fps=60)) carries 30; now told it (StreamingRefiner(fps=), synsp stream --fps), as offline
    from synsp.inference.stream_measurements import RunningMeasurements

    clean, _ = walking(n_frames=160, noise=0.0)
    x = clean + np.arange(160)[:, None, None] * [4.0, 0.0]
    x[100:] = x[99]
    running, out = RunningMeasurements(get_layout("coco17"), fps=fps), []
    for frame in x:
        out += running.push(frame[None])
    moved = np.linalg.norm(np.stack(out + running.flush())[:, 0] - x[99], axis=-1).mean(-1)  # px from the pose held
    assert moved[99 + most] > moved[98 + most] + 1.0  # still carried on at the pace on its last frame
    np.testing.assert_allclose(moved[100 + most:], moved[99 + most], atol=1e-6)  # then held there
    assert synsp.StreamingRefiner(synsp.load_model("synsp-coco17"), fps=fps)._measured.fps == fps
