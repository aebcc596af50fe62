"""A 2D stream of light white noise: the slow part of the correction limited to the noise, as offline
(synsp.inference.stream_white_noise; offline: synsp.inference.white_noise)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.inference import stream_white_noise
from synsp.inference.stream_clean import RunningCleanStep
from synsp.inference.stream_white_noise import FIRST, RunningWhiteNoise
from synsp.inference.streaming import StreamingRefiner
from test_white_noise import _ar1
from walking import mpjpe, walking


def _given_back(noisy: np.ndarray, refined: np.ndarray, step: int = 2, white: bool = True) -> np.ndarray:
    """``refined`` (T, J, 2) from ``noisy`` given back ``step`` frames at a time through a 2D clean step
    with the white-noise step (``white``), each batch with the 8 input frames after it as a stream holds them."""
    clean_step = RunningCleanStep("2d", white=RunningWhiteNoise() if white else None)
    around, outs = noisy[:, None].astype(np.float64), []
    for t in range(0, len(noisy) - 8, step):
        start = max(0, t - 64)
        outs.append(clean_step(refined[t:t + step, None], around[t:t + step], around[start:t + step + 8], t - start))
    return np.concatenate(outs)[:, 0]


def test_a_slow_pull_on_white_noise_is_taken_off_once_the_stream_has_read_it():
    clean, noisy = walking(240, noise=0.5)
    pull = np.zeros_like(clean)
    pull[..., 0] = 3.0  # the network's pull: 3 px to the right
    out = _given_back(noisy, clean + pull)
    clean = clean[:len(out)]
    assert mpjpe(out[:FIRST], clean[:FIRST]) > 2.9  # too few frames yet to tell white noise
    assert mpjpe(out[FIRST + 30:], clean[FIRST + 30:]) < 0.4  # of 3 px


def test_an_estimators_jitter_keeps_the_whole_correction():
    clean = walking(240, noise=0.0)[0]
    correlated = clean + 0.5 * _ar1(clean.shape, 0.6, seed=1)  # the simulator's `jitter`: 0.05 s at 30 fps
    refined = clean + 3.0
    np.testing.assert_array_equal(_given_back(correlated, refined), _given_back(correlated, refined, white=False))


@needs_data
def test_a_2d_stream_of_a_clean_clip_with_light_white_noise_ends_nearer_the_truth(monkeypatch):
    """``dataset-1_bow_proud_001`` (validation, 137 frames) through the protocol's camera with 0.5 px of white
    noise, streamed (lag 7, lookahead 3): 0.664 px without the step, worse than its input (0.630), 0.577 with it;
    since the second pass's share is read from the stream's first frames (stream_repeat.EARLY), 0.359 and 0.353."""
    import synsp
    from synsp.evaluation.protocol import make_cases

    clean = make_cases("val", "none", layout="coco17", space="2d", max_clips=1)[0].clean.astype(np.float64)
    noisy = (clean + np.random.default_rng(0).normal(0.0, 0.5, clean.shape)).astype(np.float32)
    model = synsp.load_model("synsp-coco17")

    def streamed() -> np.ndarray:
        return StreamingRefiner(model).refine_all(noisy)

    with monkeypatch.context() as patch:
        patch.setattr(stream_white_noise, "SPACES", ())
        before = streamed()
    after = streamed()
    assert mpjpe(after, clean) < min(mpjpe(before, clean), 0.6 * mpjpe(noisy, clean))


@pytest.mark.parametrize("checkpoint", ["synsp-h36m17", "smoothnet-coco17"])
def test_3d_and_smoothnet_streams_take_no_step(checkpoint):
    import synsp

    assert RunningWhiteNoise.of(synsp.load_model(checkpoint)) is None
