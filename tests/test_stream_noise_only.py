"""A 3D stream whose errors are only light noise: each joint the nearer of the stream's output and a low-pass,
by running risks, as offline (synsp.inference.stream_noise_only; offline: synsp.inference.noise_only)."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.filters import butterworth
from synsp.inference import stream_noise_only
from synsp.inference.risk_choice import CUTOFFS, ORDER
from synsp.inference.stream_noise_only import FIRST, RunningNoiseOnly
from synsp.inference.stream_risk_choice import lowpass_matrices
from synsp.inference.streaming import StreamingRefiner


def test_the_live_low_passes_are_the_filters_matrices():
    """The step reads each low-pass, and its divergence, from one matrix per track length: the same filter."""
    track = np.random.default_rng(0).standard_normal((40, 1, 17, 3))
    for matrix, cut in zip(lowpass_matrices(len(track)), CUTOFFS):
        filtered = np.moveaxis(butterworth(np.moveaxis(track, 0, -3), cutoff=cut * 15.0, order=ORDER, fps=30.0), -3, 0)
        np.testing.assert_allclose((matrix @ track.reshape(40, -1)).reshape(track.shape), filtered, atol=1e-9)
        assert 0.0 < np.diagonal(matrix)[20] < 1.0  # a low-pass follows a frame's own value in part


def _given_back(noisy: np.ndarray, refined: np.ndarray, drift: float) -> np.ndarray:
    """``refined`` (T, J, 3) from ``noisy`` given back 3 frames at a time through the step, each batch with the
    64 input frames before it and the 10 after it as a stream holds them, the limbs' drift read as ``drift``."""
    step = RunningNoiseOnly.of("3d", lambda: np.array([drift]))
    around, outs = noisy[:, None].astype(np.float64), []
    for t in range(0, len(noisy) - 10, 3):
        start = max(0, t - 64)
        noise = np.full((1, noisy.shape[1]), 1.0 * np.sqrt(3))  # 1 mm per coordinate
        outs.append(step(refined[t:t + 3, None], around[t:t + 3], around[start:t + 13], t - start, noise,
                         np.array([1e-3])))
    return np.concatenate(outs)[:, 0]


def _walk(n: int = 150) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n)[:, None, None] / 30.0
    rest = np.random.default_rng(1).normal(0.0, 300.0, (1, 17, 3))
    clean = rest + 100.0 * np.sin(2 * np.pi * 0.7 * t + np.arange(17)[None, :, None])
    return clean, clean + np.random.default_rng(2).normal(0.0, 1.0, clean.shape)


def test_a_route_further_than_its_input_gives_way_to_a_low_pass_once_the_stream_has_read_it():
    clean, noisy = _walk()
    route = clean + 3.0  # a pull of its own, 5 mm, where the input's noise is 1 mm per coordinate
    out = _given_back(noisy, route, drift=0.0)
    error = np.linalg.norm(out - clean[:len(out)], axis=-1).mean(axis=-1)
    assert error[:FIRST - 4].min() > 5.0  # too few frames summed yet (batches of 3)
    assert error[FIRST + 15:].mean() < 1.2  # under the input's 1.6 mm


def test_limbs_that_drift_keep_the_route_bit_for_bit():
    clean, noisy = _walk()
    route = clean + 3.0
    np.testing.assert_array_equal(_given_back(noisy, route, drift=2e-3), route[:len(_given_back(noisy, route, 0.0))])


def test_2d_streams_take_no_step():
    assert RunningNoiseOnly.of("2d", lambda: None) is None
    assert RunningNoiseOnly.of("3d", None) is None  # no floor step: no drift to read


@needs_data
def test_a_3d_stream_of_a_clean_clip_with_light_white_noise_ends_nearer_the_truth(monkeypatch):
    """``dataset-1_bow_proud_001`` (validation, 137 frames, mm) with 1 mm of white noise, streamed (lag 7,
    lookahead 3): root-relative MPJPE 1.51 mm without the step (input 2.04), 1.14 with it (offline 0.75)."""
    import synsp
    from synsp.evaluation.protocol import make_cases
    from synsp.skeleton import root_position

    clean = make_cases("val", "none", layout="h36m17", space="3d", max_clips=1)[0].clean.astype(np.float64)
    noisy = (clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)).astype(np.float32)
    model = synsp.load_model("synsp-h36m17")

    def error(poses: np.ndarray) -> float:
        poses = np.asarray(poses, np.float64) - root_position(poses, "h36m17")
        return float(np.linalg.norm(poses - (clean - root_position(clean, "h36m17")), axis=-1).mean())

    def streamed() -> np.ndarray:
        return StreamingRefiner(model).refine_all(noisy)

    with monkeypatch.context() as patch:
        patch.setattr(stream_noise_only, "SPACES", ())
        before = streamed()
    after = streamed()
    assert error(after) < min(error(before) - 0.2, 0.6 * error(noisy))
