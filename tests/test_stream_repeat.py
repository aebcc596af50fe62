"""The second pass on a live stream (synsp.inference.stream_repeat): the 2D floor step's strength."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.repeated_pull import repeat_factor
from synsp.inference.stream_repeat import MIN_FRAMES, RunningRepeat
from synsp.inference.streaming import StreamingRefiner
from test_floor import turning
from test_repeated_pull import _pixels, _poses
from walking import mpjpe


def _fed(run, x: np.ndarray, step: int = 3) -> RunningRepeat:
    """A RunningRepeat fed the frames of (1, T, J, C) ``x`` refined by ``run``, ``step`` at a time."""
    repeat = RunningRepeat(run, ((0.35, 0.5, 0.6), (0.0, 1.0, 10.0)))
    for i in range(0, x.shape[1], step):
        repeat.add(np.moveaxis(x[:, i:i + step], 0, 1))
        if i + step < MIN_FRAMES:
            assert repeat.share is None and repeat.factor() is None  # the default strength until then
    return repeat


def test_a_stream_tells_a_pull_from_a_correction():
    x = _poses()
    pose = np.full((17, 2), 300.0)
    pull = _fed(lambda s: s + 0.3 * (pose - s), x)
    assert np.isclose(pull.share[0], 0.7, atol=0.03) and pull.factor()[0] == 10.0
    bias = np.random.default_rng(1).normal(0, 8, (17, 2))
    truth = x.mean(axis=1, keepdims=True)  # a correction that finds the estimator's constant error
    correction = _fed(lambda s: s - (s.mean(axis=1, keepdims=True) - truth), x + bias)
    # (each chunk's own mean: a little is left for the second pass at its ends)
    assert abs(correction.share[0]) < 0.15 and correction.factor()[0] == 0.0


def test_a_2d_stream_scales_its_floor_step_by_the_repeated_share_as_offline():
    clean = _pixels(turning(150))
    noisy = (clean + np.random.default_rng(0).normal(0, 1.5, clean.shape)).astype(np.float32)
    model = load_model("synsp-coco17")
    model.refine(noisy)
    stream = StreamingRefiner(model)
    for frame in noisy:
        stream.push(frame)
    share = stream._repeat.share
    assert share is not None and abs(share[0] - model.repeated[0]) < 0.15  # offline: the whole clip's
    np.testing.assert_allclose(stream._floor.scale, repeat_factor(share))
    assert StreamingRefiner(load_model("synsp-h36m17"))._repeat is None  # 3D reads the limbs' drift


def test_the_share_is_read_early_from_the_inputs_that_have_arrived():
    x = _poses()
    pose = np.full((17, 2), 300.0)
    repeat = RunningRepeat(lambda s: s + 0.3 * (pose - s), ((0.35, 0.5, 0.6), (0.0, 1.0, 10.0)))
    frames = np.moveaxis(x, 0, 1)  # (T, 1, J, C)
    repeat.add(frames[:1])
    assert repeat.share is None  # nothing after the frame: no early read
    repeat.add(frames[1:2], later=frames[2:9])  # the second frame given back, the lag's 7 after it
    assert repeat.share is not None and repeat.factor()[0] == 10.0  # a pull, read on 9 frames
    assert RunningRepeat(repeat.run, repeat.ramp, early=0).early == 0


@needs_data
def test_a_2d_streams_first_frames_take_the_step_the_second_pass_reads():
    """``dataset-1_bow_proud_001`` (validation) through the protocol's camera with 0.5 px of white noise: the
    stream's first 48 frames, before its second pass had a block to read, came back at 0.78 px (input 0.62); the
    share read early from the inputs so far takes them to 0.36."""
    import synsp
    from synsp.evaluation.protocol import make_cases

    clean = make_cases("val", "none", layout="coco17", space="2d", max_clips=1)[0].clean.astype(np.float64)[:96]
    noisy = (clean + np.random.default_rng(0).normal(0.0, 0.5, clean.shape)).astype(np.float32)
    model = synsp.load_model("synsp-coco17")

    def first_frames(early: bool) -> float:
        stream = StreamingRefiner(model)
        if not early:
            stream._repeat.early = 0
        out = stream.refine_all(noisy)
        return mpjpe(out[:48], clean[:48])

    before, after = first_frames(False), first_frames(True)
    assert after < 0.6 * before and after < 0.7 * mpjpe(noisy[:48], clean[:48])
