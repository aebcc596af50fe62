"""A live stream at the pace the network learnt (synsp.inference.stream_pace): a sprint streamed
as offline refines it, windows sampled between the frames held, the lag unchanged."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.metrics import mpjpe


def _moving(t: int, hz: float, seed: int = 0) -> np.ndarray:
    """(t, 17, 3) mm: a body of 17 points about 400 mm across, each swinging 150 mm at ``hz`` (30 fps)."""
    rng = np.random.default_rng(seed)
    rest = rng.normal(0, 400, (17, 3))
    phase = rng.uniform(0, 2 * np.pi, (17, 3))
    time = np.arange(t)[:, None, None] / 30.0
    return (rest + 150 * np.sin(2 * np.pi * hz * time + phase)).astype(np.float32)


def test_the_pace_acts_after_its_frames_without_flicker():
    from synsp.inference.stream_pace import MIN_FRAMES, RunningPace

    fast, slow = RunningPace((20.0, 43.0)), RunningPace((20.0, 43.0))
    stretches = [fast.add(frame[None]) for frame in _moving(120, 2.5)]
    assert stretches[:MIN_FRAMES - 1] == [None] * (MIN_FRAMES - 1)
    assert all(s is not None and s > 1.5 for s in stretches[MIN_FRAMES - 1:])
    assert fast.rate is not None and fast.rate < 20
    assert all(slow.add(frame[None]) is None for frame in _moving(120, 0.3))
    assert slow.rate is None


def test_paced_windows_sample_between_the_frames_and_come_back_to_them():
    from synsp.inference.stream_pace import back_to_frames, paced_times, paced_window

    times = paced_times(20, 2.5, 8)
    assert times[-1] == 20 and np.allclose(np.diff(times), 0.4)
    inputs = {i: np.full((1, 17, 3), 3.0 * i, np.float32) for i in range(10, 21)}  # a straight line in time
    window = paced_window(inputs, times)
    assert window.shape == (1, 1, 8, 17, 3)
    np.testing.assert_allclose(window[0, 0, :, 0, 0], 3.0 * times, rtol=1e-6)
    frames, values, weights = back_to_frames(window, times, np.ones(8))
    assert frames.tolist() == [18, 19, 20]  # the frames the window spans, 17.2 .. 20
    np.testing.assert_allclose(values[:, 0, 0, 0], 3.0 * frames, rtol=1e-5)
    assert values.shape == (3, 1, 17, 3) and np.allclose(weights, 1)


@needs_data
def test_a_sprint_streamed_follows_the_pace_as_offline():
    from synsp.data.mocap import load_clips
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model
    from synsp.inference.stream_measurements import LOOKAHEAD
    from synsp.inference.streaming import StreamingRefiner
    from synsp.skeleton import root_position

    name = "dataset-1_dash_masculinity_001"  # validation split, 70 frames
    case, = make_cases(preset="jitter", clips={name: load_clips([name], layout="h36m17")[0]})
    model = load_model("synsp-h36m17", device="cpu")
    error = lambda x: mpjpe(x - root_position(x, "h36m17"), case.clean - root_position(case.clean, "h36m17"))  # noqa: E731
    offline = error(model.refine(case.noisy))
    errors = {}
    for follow in (True, False):
        model.follow_pace = follow
        stream = StreamingRefiner(model)
        counts, parts = [], []
        for frame in case.noisy:
            parts.append(stream.push(frame))
            counts.append(len(parts[-1]))
        out = np.concatenate([*parts, stream.flush()])
        assert out.shape == case.noisy.shape and np.isfinite(out).all()
        lag = model.window - 1 + LOOKAHEAD  # frame for frame, with the lag it had
        assert counts[:lag] == [0] * lag and set(counts[lag:]) == {1}
        errors[follow] = error(out)
    model.follow_pace = True
    # at the frames' own pace the stream made the sprint worse than its input (18.1 mm, input 17.4, offline 14.9)
    assert errors[True] < error(case.noisy)
    assert errors[True] - offline < 0.5 * (errors[False] - offline)


@needs_data
def test_a_crowd_follows_each_persons_pace_as_their_own_stream():
    from synsp.data.mocap import load_clips
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model
    from synsp.inference.people_stream import MultiPersonStreamingRefiner
    from synsp.inference.streaming import StreamingRefiner

    name = "dataset-1_dash_masculinity_001"
    case, = make_cases(preset="jitter", clips={name: load_clips([name], layout="h36m17")[0]})
    model = load_model("synsp-h36m17", device="cpu", quantize=False)  # int8 quantises per batch
    alone = StreamingRefiner(model)
    single = alone.refine_all(case.noisy)
    crowd = MultiPersonStreamingRefiner(model)
    parts = []
    for sprint, still in zip(case.noisy, np.repeat(case.noisy[:1] + 2000, len(case.noisy), axis=0)):
        parts += [out for pid, out in crowd.push(np.stack([sprint, still]), [0, 1]).items() if pid == 0]
    parts += [out for pid, out in crowd.flush().items() if pid == 0]
    np.testing.assert_allclose(np.concatenate(parts), single, atol=1e-2)


def test_paced_cuts_give_the_first_frames_a_window_when_the_pace_acts_before_the_first_full_one():
    from synsp.inference.stream_pace import paced_cuts

    # SmoothNet's 32 frames at stretch 2.7 span 11.5 input frames: from frame 15 they start at 3.5
    first, last = paced_cuts(-1, 15, 2.7, 32)
    assert first[0] == 0 and first[-1] <= 15 and last[-1] == 15 and np.ceil(last[0]) == 4
    only, = paced_cuts(14, 15, 2.7, 32)  # frames up to 14 have their windows: only the one ending at 15
    assert only[-1] == 15


def test_paced_cuts_leave_no_frame_between_them_however_fast_the_pace():
    from synsp.inference.stream_pace import back_to_frames, paced_cuts

    # at stretch 4.76 the 32 frames span 6.5 input frames: 0-6.5 and 8.5-15 left frame 7 with no window for ever
    for stretch in (1.2, 2.1, 2.7, 4.76, 9.0, 40.0):
        cuts = paced_cuts(-1, 15, stretch, 32)
        covered = np.concatenate([back_to_frames(np.zeros((1, 1, 32, 1, 1)), times, np.ones(32))[0] for times in cuts])
        assert set(range(16)) <= set(covered.tolist()), stretch  # (at 1.2 the one window reaches before frame 0)
        assert cuts[0][0] <= 0 and cuts[-1][-1] == 15


@needs_data
def test_a_smoothnet_stream_of_motion_at_four_times_its_pace_gives_back_every_frame():
    """SmoothNet's stream stopped with "frame 7 ... covered by no window" on a waist-up val clip (byebye_giant):
    the pace acted at frame 15 at a stretch of 4.8, and the two windows cut then left a frame between them."""
    import synsp

    moving = _moving(60, 4.0)
    out = synsp.StreamingRefiner(synsp.load_model("smoothnet-h36m17"), mm_per_unit=1.0).refine_all(moving)
    assert out.shape == moving.shape and np.isfinite(out).all()


@needs_data
def test_a_smoothnet_stream_of_fast_3d_motion_gives_back_every_frame():
    """Audit 10, finding 2: SmoothNet (32 frames) streamed on a walk at 3x speed, or a dash, wrote no frame at
    all and exited 0: the pace acts from frame 16, before its first full window, and the paced windows (32
    frames over ~12 input frames) never covered the first frames, which held every later one."""
    import io
    import json

    from synsp.data.mocap import load_clip
    from synsp.integrations.stream import PoseStream, run_stream

    walk = load_clip("dataset-2_walk_normal_007", "h36m17")[::3][:60]  # validation split
    stream, stdout, stderr = PoseStream("smoothnet", layout="h36m17", space="3d"), io.StringIO(), io.StringIO()
    run_stream(stream, io.StringIO("".join(json.dumps(f.tolist()) + "\n" for f in walk)), stdout, stderr)
    got = np.array([json.loads(line)["people"][0]["keypoints"] for line in stdout.getvalue().splitlines()])
    assert got.shape == walk.shape and np.isfinite(got).all()
    assert np.linalg.norm(got - walk, axis=-1).mean() < 30  # refined, not lost: mm, a clean walk
