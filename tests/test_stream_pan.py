"""A camera's pan given back on a live stream (synsp.inference.stream_pan), as offline's camera_pan."""
from __future__ import annotations

import numpy as np

from synsp.inference.camera_pan import gap_readings, keep_pan
from synsp.inference.stream_pan import MIN_FRAMES, RunningPan


def _through(step: RunningPan, outputs: np.ndarray, inputs: np.ndarray, batch: int = 1) -> np.ndarray:
    """(T, V, J, C) ``outputs`` through the step in batches of ``batch`` frames."""
    return np.concatenate([step(outputs[t:t + batch], inputs[t:t + batch]) for t in range(0, len(inputs), batch)])


def test_the_running_readings_of_a_whole_stream_are_offlines():
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(120, 2, 17, 2))
    outputs = inputs + rng.normal(size=inputs.shape) + np.cumsum(rng.normal(size=(120, 2, 1, 2)), axis=0)
    step = RunningPan(min_frames=10 ** 9)
    _through(step, outputs, inputs, batch=7)
    for running, offline in zip(step.readings(), gap_readings(np.moveaxis(inputs, 1, 0), np.moveaxis(outputs, 1, 0))):
        np.testing.assert_allclose(running, offline, rtol=1e-9)


def test_a_pan_taken_off_is_given_back_and_a_joints_own_gap_left_bit_for_bit():
    rng = np.random.default_rng(1)
    inputs = rng.normal(0.0, 50.0, (150, 1, 17, 2))
    own = inputs - rng.normal(0.0, 1.0, inputs.shape)  # each joint's own noise removed: no pan
    step = RunningPan()
    out = _through(step, own, inputs)
    np.testing.assert_array_equal(out, own)
    assert not np.any(step.share)
    pan = np.cumsum(rng.normal(0.0, 2.0, (150, 1, 1, 2)), axis=0)
    cut = own - pan  # the refiner took a random walk off the whole body
    out = _through(RunningPan(), cut, inputs)
    first = MIN_FRAMES
    np.testing.assert_array_equal(out[:first - 1], cut[:first - 1])  # too few frames read yet
    offline = keep_pan(np.moveaxis(cut, 1, 0), np.moveaxis(inputs, 1, 0))[0]
    np.testing.assert_allclose(out[-30:, 0], offline[-30:], atol=0.05 * np.abs(pan).mean())
    assert np.abs((out - own)[first:].mean(axis=2)).mean() < 0.1 * np.abs(pan[first:]).mean()
