"""The low-pass of least estimated risk on a live stream (synsp.inference.stream_risk_choice): the joints of
another layout beyond the model's, under white noise, as offline's risk_choice.lowpass_where_white."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.filters import butterworth
from synsp.inference.clean import NOISE_BAND, fast_part
from synsp.inference.stream_risk_choice import WHERE_WHITE_FIRST, RunningWhereWhite, filter_matrix
from synsp.inference.stream_white_noise import RunningWhiteness
from synsp.inference.white_noise import MID_BAND, whiteness


def _walk(n: int = 150, joints: int = 6) -> np.ndarray:
    t = np.arange(n)[:, None, None] / 30.0
    rest = np.random.default_rng(1).normal(0.0, 100.0, (1, joints, 2))
    return rest + 20.0 * np.sin(2 * np.pi * 0.5 * t + np.arange(joints)[None, :, None])


def _ar1(shape: tuple, rho: float = 0.8) -> np.ndarray:
    """Noise correlated over frames, as an estimator's jitter (the simulator's AR(1))."""
    e = np.random.default_rng(3).standard_normal(shape)
    for t in range(1, shape[0]):
        e[t] += rho * e[t - 1]
    return e * np.sqrt(1 - rho ** 2)


def _given_back(noisy: np.ndarray, route: np.ndarray, joints: list[int], path: np.ndarray | None = None) -> np.ndarray:
    """``route`` (T, J, C) through the step, frame by frame, each with the 64 input frames before it and the
    10 after it as a stream holds them (and the body's ``path`` (T, 1, C) over them, if given)."""
    step, out = RunningWhereWhite(joints), []
    for t in range(len(noisy) - 10):
        start = max(0, t - 64)
        out.append(step(route[t], noisy[start:t + 11], t - start, None if path is None else path[start:t + 11]))
    return np.stack(out)


def test_the_band_filters_are_the_offline_ones():
    track = np.random.default_rng(0).standard_normal((50, 3, 2))
    flat = track.reshape(50, -1)
    fast = track - (filter_matrix(50, NOISE_BAND, 4) @ flat).reshape(track.shape)
    np.testing.assert_allclose(fast, fast_part(track), atol=1e-9)
    below = (filter_matrix(50, MID_BAND[0], 4) @ flat).reshape(track.shape)
    np.testing.assert_allclose(below, butterworth(track, cutoff=MID_BAND[0] * 15.0, order=4, fps=30.0), atol=1e-9)


def test_the_running_whiteness_of_a_whole_clip_is_offlines():
    noisy = _walk() + np.random.default_rng(2).normal(0.0, 1.0, (150, 6, 2))
    fast = fast_part(noisy)
    below = butterworth(noisy, cutoff=MID_BAND[0] * 15.0, order=4, fps=30.0)
    running = RunningWhiteness()
    for t in range(0, 150, 7):  # any batches
        running.add(noisy[t:t + 7], fast[t:t + 7], below[t:t + 7])
    np.testing.assert_allclose(running.whiteness, whiteness(noisy), rtol=1e-9)


def test_joints_under_white_noise_take_a_low_pass_once_the_stream_has_read_it():
    clean = _walk()
    noisy = clean + np.random.default_rng(2).normal(0.0, 1.0, clean.shape)
    route = noisy + 1.0  # a route that follows the input, noise and all, and pulls by 1.4 px
    out = _given_back(noisy, route, [3, 4, 5])
    error = np.linalg.norm(out - clean[:len(out)], axis=-1)  # (T, J)
    first = WHERE_WHITE_FIRST["2d"] - 1
    np.testing.assert_array_equal(out[:first], route[:first])  # too few frames read yet
    np.testing.assert_array_equal(out[:, :3], route[:len(out), :3])  # the model's joints: as given
    assert error[40:, 3:].mean() < 0.5 * np.linalg.norm(noisy - clean, axis=-1)[40:, 3:].mean()


def test_a_body_drifting_fast_in_part_takes_its_low_pass_relative_to_the_refined_path():
    """A whole body drifting along a random walk (a monocular depth, a pan) under white noise: a low-pass of the
    joints' absolute values lags the drift's fast part; relative to the body's refined path (here the truth's
    mean of the model's joints, 0.3 px off) the joints move with the body, as offline (risk_choice.refined_path)."""
    clean = _walk(200)
    clean = clean + np.cumsum(np.random.default_rng(4).normal(0.0, 0.5, (200, 1, 2)), axis=0)
    noisy = clean + np.random.default_rng(2).normal(0.0, 1.0, clean.shape)
    route = noisy + 1.0
    path = clean[:, :3].mean(axis=1, keepdims=True) + np.random.default_rng(5).normal(0.0, 0.3, (200, 1, 2))
    error = lambda out: float(np.linalg.norm(out[40:, 3:] - clean[40:len(out), 3:], axis=-1).mean())  # noqa: E731
    absolute, relative = _given_back(noisy, route, [3, 4, 5]), _given_back(noisy, route, [3, 4, 5], path)
    np.testing.assert_array_equal(relative[:, :3], route[:len(relative), :3])
    assert error(relative) < 0.95 * error(absolute)  # 0.680 -> 0.636 px (input 1.25)


def test_correlated_jitter_keeps_the_route_bit_for_bit():
    clean = _walk()
    noisy = clean + 3.0 * _ar1(clean.shape)
    route = noisy + 1.0
    assert whiteness(noisy) > 1.3
    np.testing.assert_array_equal(_given_back(noisy, route, [3, 4, 5]), route[:len(noisy) - 10])


@needs_data
def test_a_halpe26_stream_of_white_noise_brings_its_feet_nearer_the_truth():
    """``dataset-1_bow_proud_001`` (validation) in HALPE-26 2D with 1 px of white noise, streamed through
    OtherLayout as ``synsp stream --layout halpe26`` (lag 7, lookahead 3): the 9 joints beyond COCO-17 0.60 px
    without the step (input 1.27), 0.52 with it."""
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model
    from synsp.inference.stream_layouts import OtherLayout
    from synsp.inference.streaming import StreamingRefiner
    from synsp.skeleton import COCO17, get_layout

    clean = make_cases("val", "none", layout="halpe26", space="2d", max_clips=1)[0].clean.astype(np.float64)
    noisy = (clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)).astype(np.float32)
    model = load_model("synsp-coco17")
    other = [j for j, name in enumerate(get_layout("halpe26").joints) if name not in COCO17.joints]

    def streamed(where_white: bool) -> float:
        stream, layout, outs = StreamingRefiner(model), OtherLayout("halpe26", "coco17", 10, 30.0,
                                                                    where_white=where_white), []
        for i, frame in enumerate(noisy):
            outs.extend(layout.back(0, len(outs), r) for r in stream.push(layout.to_model(0, i, frame)))
        outs.extend(layout.back(0, len(outs), r) for r in stream.flush())
        return float(np.linalg.norm(np.stack(outs)[:, other] - clean[:, other], axis=-1).mean())

    before, after = streamed(False), streamed(True)
    assert after < min(before - 0.05, 0.45 * float(np.linalg.norm(noisy[:, other] - clean[:, other], axis=-1).mean()))
