"""Over-smoothing given back on a live stream (synsp.inference.stream_oversmoothing): the running
form of synsp.inference.oversmoothing, fed the frames a stream gives back and the ones after them."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.filters import gaussian
from synsp.inference.oversmoothing import FAR, give_back_motion
from synsp.inference.stream_oversmoothing import MIN_FRAMES, RunningGiveBack
from synsp.metrics import mpjpe
from test_oversmoothing import _fast


def _stream(step: RunningGiveBack, inputs: np.ndarray, outputs: np.ndarray, chunk: int = 2,
            lag: int = 7) -> np.ndarray:
    """(T, J, C) outputs given back ``chunk`` frames at a time with ``lag`` frames after them, as a
    stream gives them (the frames as (k, V=1, J, C)); the last ones with none after them (flush)."""
    given = []
    for first in range(0, len(inputs), chunk):
        end = min(first + chunk, len(inputs))
        after = end + lag if end + lag <= len(inputs) else end  # at the end, the flush: no frame after
        given.append(step(outputs[first:end, None], inputs[first:end, None], outputs[end:after, None],
                          inputs[end:after, None])[:, 0])
    return np.concatenate(given)


def test_motion_cut_by_a_smoother_is_given_back_as_offline():
    x = _fast(300)
    noisy = x + np.random.default_rng(0).normal(0, 5.0, x.shape)
    cut = gaussian(noisy, sigma=2.0)
    back = _stream(RunningGiveBack(), noisy, cut)
    late = slice(90, 300 - 2 * FAR)  # once the slope has settled, and where the flush has frames after
    assert mpjpe(back[late], x[late]) < 0.7 * mpjpe(cut[late], x[late])
    offline = give_back_motion(noisy, cut)
    assert mpjpe(back[late], offline[late]) < 0.2 * mpjpe(cut[late], offline[late])


def test_a_correction_of_jitter_alone_is_kept():
    x = _fast(300)
    noisy = x + np.random.default_rng(1).normal(0, 5.0, x.shape)
    back = _stream(RunningGiveBack(), noisy, x)
    assert mpjpe(back, x) < 0.05 * mpjpe(noisy, x)


def test_nothing_is_given_back_before_a_second_nor_without_frames_after():
    x = _fast(120)
    cut = gaussian(x, sigma=3.0)
    back = _stream(RunningGiveBack(), x, cut, lag=2)  # a lag under FAR: no frame has FAR frames after it
    np.testing.assert_array_equal(back, cut)
    back = _stream(RunningGiveBack(), x, cut)
    np.testing.assert_array_equal(back[:FAR + MIN_FRAMES - 2], cut[:FAR + MIN_FRAMES - 2])
    assert not np.array_equal(back, cut)
    assert back.dtype == cut.dtype


@needs_data
def test_a_sprint_streamed_under_jitter_keeps_more_of_its_motion():
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt
    from synsp.inference.checkpoint import load_model
    from synsp.inference.streaming import StreamingRefiner

    clean = load_clip("dataset-1_run_chimpira_001", "h36m17")[:240]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(11), layout="h36m17").noisy.astype(np.float32)
    model = load_model("synsp-h36m17", device="cpu")
    model.follow_pace = False  # the step alone: a stream at the sprint's pace cuts less of it (test_stream_pace.py)
    errors = {}
    for on in (True, False):
        model.give_back_motion = on
        stream = StreamingRefiner(model)
        assert (stream._give_back is not None) == on
        out = stream.refine_all(noisy)
        errors[on] = mpjpe(out, clean)
    assert errors[True] < 0.97 * errors[False]


def test_the_acceleration_read_at_a_few_frames_is_offlines_there():
    # the stream reads the acceleration only where it is used; the same values, bit for bit
    from synsp.inference.oversmoothing import far_acceleration
    from synsp.inference.stream_oversmoothing import _acceleration

    track = np.random.default_rng(3).normal(0, 10, (23, 2, 17, 3))  # (n, V, J, C), time first
    rows = np.arange(FAR, 23 - FAR)[::3]
    whole = np.moveaxis(far_acceleration(np.moveaxis(track, 0, -3)), -3, 0)
    assert np.array_equal(_acceleration(track, rows), whole[rows])
