"""A motion the network never saw, live: a 2D stream's joints whose correction stands far beyond the input's noise, on
a stream with no slow error to correct, take the low-pass, as offline (synsp.inference.stream_unseen_motion; offline:
synsp.inference.unseen_motion)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from conftest import needs_data
from synsp.inference.stream_unseen_motion import FIRST, RunningUnseenMotion

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from seated_2d import LEGS, filmed  # noqa: E402


def _given_back(noisy: np.ndarray, refined: np.ndarray, scale: np.ndarray | None) -> np.ndarray:
    """``refined`` (T, J, 2) from ``noisy`` given back 2 frames at a time through the step, each batch with the 64
    input frames before it and the 10 after it as a stream holds them, the second pass's multiplier ``scale``."""
    step = RunningUnseenMotion(SimpleNamespace(scale=scale))
    around, outs = noisy[:, None].astype(np.float64), []
    noise = np.full((1, noisy.shape[1]), np.sqrt(2.0))  # 1 px per coordinate
    for t in range(0, len(noisy) - 10, 2):
        start = max(0, t - 64)
        outs.append(step(refined[t:t + 2, None], around[start:t + 12], t - start, noise, np.array([0.01])))
    return np.concatenate(outs)[:, 0]


def _circling(n: int = 150) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n)[:, None, None] / 30.0
    clean = 50.0 * np.sin(2 * np.pi * 1.0 * t + np.arange(6).reshape(1, 3, 2))  # (T, 3, 2)
    return clean, clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)


def test_a_joint_pulled_far_beyond_the_noise_takes_the_lowpass_once_the_stream_has_read_it():
    clean, noisy = _circling()
    pulled = clean.copy()
    pulled[:, 0] += 8.0  # joint 0 pulled 8 noise-widths away for the whole stream
    out = _given_back(noisy, pulled, np.array([10.0]))
    error = np.linalg.norm(out[:, 0] - clean[:len(out), 0], axis=-1)
    assert error[:FIRST - 2].min() > 7.0  # too few frames given back yet (batches of 2)
    assert error[FIRST:].mean() < 1.0  # the low-pass: near the truth
    np.testing.assert_array_equal(out[:, 1:], pulled[:len(out), 1:])  # the others kept bit for bit


def test_a_stream_with_slow_errors_to_correct_keeps_its_output_bit_for_bit():
    clean, noisy = _circling()
    pulled = clean + 8.0
    for scale in (None, np.array([1.0])):  # no second pass read yet; one that reads slow errors
        out = _given_back(noisy, pulled, scale)
        np.testing.assert_array_equal(out, pulled[:len(out)])


@needs_data
def test_seated_legs_streamed_in_profile_come_out_nearer_than_the_input_once_the_step_has_read_them():
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.checkpoint import load_model
    from synsp.inference.streaming import StreamingRefiner

    three, two = (make_cases("val", "jitter", layout="coco17", space=s, max_clips=3)[2] for s in ("3d", "2d"))
    x, truth = filmed(three.clean.astype(np.float64), two.noisy.astype(np.float64), two.clean.astype(np.float64),
                      "seated", 0.0)
    y = StreamingRefiner(load_model("synsp-coco17")).refine_all(x.astype(np.float32))
    legs, given = (np.linalg.norm(v[:, LEGS] - truth[:, LEGS], axis=-1).mean(-1) for v in (y, x))
    assert legs[FIRST:].mean() < given[FIRST:].mean()  # 0.81 px against 1.01 (before the step 5.63)
    assert legs.mean() < 2.5 * given.mean()  # its first 64 frames pulled yet: 2.20 px against 1.01 (before 5.57)
