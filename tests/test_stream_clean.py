"""A stream keeps nearly clean input nearly clean, as offline refinement does (synsp.inference.stream_clean),
and keeps the whole correction of noisy input."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.clean import grid_step
from synsp.inference.stream_clean import RunningCleanStep
from synsp.inference.streaming import StreamingRefiner
from walking import walking


def _streamed(refiner, x: np.ndarray) -> np.ndarray:
    return StreamingRefiner(refiner).refine_all(x)


def test_a_noisy_stream_keeps_the_whole_correction():
    around = walking(90, noise=3.0)[1][:, None].astype(np.float64)  # (T, 1, 17, 2), px
    step = RunningCleanStep("2d")
    out = step(around[40:45] + 2.0, around[40:45], around, 40)
    np.testing.assert_array_equal(out, around[40:45] + 2.0)


def test_a_clean_stream_is_moved_by_no_more_than_its_noise():
    clean = walking(90, noise=0.0)[0][:, None].astype(np.float64)
    step = RunningCleanStep("2d")
    outs = [step(clean[t:t + 5] + 2.0, clean[t:t + 5], clean, t) for t in range(0, 80, 5)]
    assert np.abs(np.concatenate(outs) - np.concatenate([clean[t:t + 5] for t in range(0, 80, 5)])).max() < 0.05


def test_a_stream_of_whole_pixels_is_read_without_its_rounding():
    """Whole pixels: the rounding's noise, of a known size, is no estimator's (synsp.inference.clean.grid_step)."""
    clean = walking(90, noise=0.0)[0][:, None].astype(np.float64) * 1.37  # a body ~360 px tall
    rounded = np.round(clean)
    step = RunningCleanStep("2d")
    out = np.concatenate([step(rounded[t:t + 5] + 2.0, rounded[t:t + 5], rounded, t) for t in range(0, 80, 5)])
    assert np.abs(out - rounded[:80]).max() < 0.5  # before: the whole 2-px correction
    assert np.abs(RunningCleanStep("2d")(clean[40:45] + 2.0, clean[40:45], clean, 40) - clean[40:45]).max() < 0.5
    noisy = rounded + np.random.default_rng(0).normal(0, 0.5, rounded.shape)  # as much noise, off the grid
    np.testing.assert_allclose(RunningCleanStep("2d")(noisy[40:45] + 2.0, noisy[40:45], noisy, 40), noisy[40:45] + 2.0)


@needs_data
@pytest.mark.parametrize(("space", "layout", "name"),
                         [("3d", "h36m17", "synsp-h36m17"), ("2d", "coco17", "synsp-coco17")])
def test_the_stream_leaves_clean_poses_as_offline_does(space, layout, name):
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "none", layout=layout, space=space, max_clips=1)[0]
    refiner = synsp.load_model(name)
    moved = np.linalg.norm(_streamed(refiner, case.noisy) - case.clean, axis=-1).mean()
    offline = np.linalg.norm(refiner.refine(case.noisy) - case.clean, axis=-1).mean()
    refiner.keep_clean = False
    try:
        whole = np.linalg.norm(_streamed(refiner, case.noisy) - case.clean, axis=-1).mean()
    finally:
        refiner.keep_clean = True
    assert moved < 0.2 * whole  # step off: 3D 1.46 mm, 2D 0.93 px; on: 0.00, 0.00 (offline 0.01, 0.00)
    assert moved < offline + 0.05 * whole



@needs_data
def test_a_stream_of_slow_3d_errors_is_not_read_as_clean():
    """Noise with no fast part whose limbs drift (a smoothed depth error): the whole correction, as offline."""
    from scipy.ndimage import gaussian_filter1d

    from synsp.evaluation.protocol import make_cases
    from synsp.skeleton import root_position

    case = make_cases("val", "none", layout="h36m17", space="3d", max_clips=1)[0]
    noisy = case.clean + gaussian_filter1d(np.random.default_rng(0).normal(0, 30, case.clean.shape), 2.0, axis=0)
    error = lambda x: np.linalg.norm(x - root_position(x, "h36m17") - case.clean, axis=-1).mean()  # noqa: E731
    assert error(_streamed(synsp.load_model("synsp-h36m17"), noisy.astype(np.float32))) < 0.85 * error(noisy)


def test_a_crowd_reads_everyones_noise_in_one_filter_call_as_each_alone(monkeypatch):
    from synsp.inference import stream_clean
    from synsp.inference.people_stream import MultiPersonStreamingRefiner

    refiner = synsp.load_model("synsp-coco17", quantize=False)  # int8 scales would mix the people's batch
    people = [walking(60, noise=0.0, seed=i)[0] + 60.0 * i for i in range(3)]  # clean: the step limits them
    calls, got = [], {i: [] for i in range(3)}
    fast_part = stream_clean.fast_part
    monkeypatch.setattr(stream_clean, "fast_part", lambda values: calls.append(values.shape) or fast_part(values))
    crowd = MultiPersonStreamingRefiner(refiner)
    for t in range(60):
        before = len(calls)
        for i, frames in crowd.push(np.stack([x[t] for x in people])).items():
            got[i].append(frames)
        assert len(calls) - before <= 1  # everyone's frames given back now, in one filter call
    assert calls and all(shape[0] == 3 for shape in calls)  # the three people side by side
    for i, frames in crowd.flush().items():  # each person's tail, alone
        got[i].append(frames)
    stride = StreamingRefiner(refiner).stride
    for i, x in enumerate(people):  # each person's phase of the stride: the crowd's for a person seen at frame 0
        stream = StreamingRefiner(refiner, phase=i % stride)
        alone = stream.refine_all(x)
        np.testing.assert_allclose(np.concatenate(got[i]), alone, rtol=1e-5, atol=1e-3)


def test_every_views_body_size_in_one_median_is_each_views():
    from synsp.inference.stream_clean import _sizes
    from synsp.sequence import body_size

    track = np.random.default_rng(0).normal(0, 100, (70, 4, 17, 2)).astype(np.float32)  # (n, V, J, C)
    expected = [body_size(track[:, v]) for v in range(4)]
    np.testing.assert_array_equal(_sizes(track)[0], expected)
    track[3, 1, 5] = np.nan
    np.testing.assert_array_equal(_sizes(track)[0], [body_size(track[:, v]) for v in range(4)])


def test_the_grid_read_frame_by_frame_is_the_history_s():
    # RunningCleanStep.grid counts each frame once; the step reads the same grid as from the stacked history
    rng = np.random.default_rng(1)
    raw = {i: np.round(rng.normal(100, 30, (1, 17, 2)) * (1 if i < 50 else 1.01)) for i in range(120)}
    step = RunningCleanStep("2d")
    for last in range(10, 120, 3):
        frames = list(range(max(0, last - 70), last + 1))
        assert step.grid(frames, raw) == grid_step(np.stack([raw[i] for i in frames]))
    assert step.grid(list(range(120)), {i: np.ones((20, 17, 3)) for i in range(120)}) is None  # grid_step samples


def test_the_input_frames_around_are_the_raw_frames_stacked(monkeypatch):
    """A stream keeps the clean step's input history stacked from call to call (stacking its ~70
    frames anew per person and frame cost a crowd of ten ~0.5 ms a frame): every call's stack is
    np.stack of the frames asked for, dtype and all, read-only since it is kept; after a reset too."""
    from synsp.inference.stream_output import StreamOutput

    stacked, calls = StreamOutput._stacked_raw, []

    def checked(self, frames):
        expected = np.stack([self._raw[i] for i in frames])
        got = stacked(self, frames)
        assert got.dtype == expected.dtype and not got.flags.writeable
        np.testing.assert_array_equal(got, expected)
        calls.append(len(frames))
        return got

    monkeypatch.setattr(StreamOutput, "_stacked_raw", checked)
    refiner = synsp.load_model("synsp-coco17")
    x = walking(160, noise=2.0)[1].astype(np.float32)
    x[100:] += 400.0  # a jump read as someone else: the track starts afresh
    _streamed(refiner, x)
    assert len(calls) > 100 and max(calls) > 64


@needs_data
@pytest.mark.parametrize(("space", "layout", "name"),
                         [("3d", "h36m17", "synsp-h36m17"), ("2d", "coco17", "synsp-coco17")])
def test_a_noisy_streams_first_frame_is_refined_as_the_next(space, layout, name):
    """The input's fast part at a stream's first frame, the zero-phase filter's edge, is ~0: the frame read as clean
    input and came back within 0.01 mm / px of it (audit 22, finding 3); its noise is read with the frames after."""
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "typical", layout=layout, space=space, max_clips=1)[0]
    stream = StreamingRefiner(synsp.load_model(name), mm_per_unit=1.0 if space == "3d" else None)
    x = case.noisy[:30].astype(np.float32)
    out = np.concatenate([stream.push(frame) for frame in x])
    moved = np.linalg.norm(out - x[:len(out)], axis=-1).mean(-1)
    assert moved[0] > 0.5 * np.median(moved[1:11])  # before: 3D 0.005 mm against 12-14; 2D 0.001 px against 5-6
