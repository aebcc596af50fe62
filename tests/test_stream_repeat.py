"""The second pass on a live stream (synsp.inference.stream_repeat): the 2D floor step's strength."""
from __future__ import annotations

import numpy as np

from synsp.inference.checkpoint import load_model
from synsp.inference.repeated_pull import repeat_factor
from synsp.inference.stream_repeat import MIN_FRAMES, RunningRepeat
from synsp.inference.streaming import StreamingRefiner
from test_floor import turning
from test_repeated_pull import _pixels, _poses


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
