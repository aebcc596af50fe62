"""A stream never gives a value that came out NaN as refined: where a step made NaN (before the low-pass, which would
fill it with a made-up joint, or after it) the stream gives its input there, said in one warning."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import synsp.inference.stream_output as stream_output
from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.finite_output import finite_frames
from synsp.inference.streaming import StreamingRefiner
from test_conventions import walking

pytestmark = needs_data


def test_finite_frames_gives_the_input_where_a_value_came_out_nan():
    inputs = np.arange(24, dtype=np.float32).reshape(2, 1, 4, 3)
    frames = inputs + 0.5
    assert finite_frames(frames, inputs) == (frames, 0)
    frames[1, 0, 2, 1] = np.nan
    out, broken = finite_frames(frames, inputs)
    assert broken == 1 and np.isfinite(out).all() and (out[1, 0, 2] == inputs[1, 0, 2]).all()
    assert (out[0] == frames[0]).all() and (out[1, 0, :2] == frames[1, 0, :2]).all()


def test_a_stream_whose_bone_step_makes_nan_gives_the_input_there_and_says_so_once(monkeypatch):
    """The thorax made NaN by the bone step: the low-pass filled it with a made-up joint (72 mm off where the input
    was 59, a validation clip); now the stream's input is given there, in one warning."""
    bones = stream_output.constant_bone_lengths
    thorax = np.arange(17) == 8
    monkeypatch.setattr(stream_output, "constant_bone_lengths",
                        lambda *args, **kwargs: np.where(thorax[:, None], np.nan, bones(*args, **kwargs)))
    x = (walking(40) + np.random.default_rng(1).normal(0, 10, (40, 17, 3))).astype(np.float32)
    stream = StreamingRefiner(load_model("synsp-h36m17"))
    with pytest.warns(UserWarning, match=r"stream refinement came out NaN in 1 joint values .*given as measured") as w:
        out = stream.refine_all(x)
    assert len([m for m in w if "came out NaN" in str(m.message)]) == 1 and stream.not_finite == 40
    assert np.isfinite(out).all()
    assert np.abs(out[:, 8] - x[:, 8]).max() < 30  # the input's thorax, low-passed: no joint made up far off it


def test_a_stream_whose_last_step_makes_nan_gives_the_input_there(monkeypatch):
    finite = stream_output.StreamOutput._finite
    calls = []

    def nan_after(self, frames, first, placed=False):  # the end's check sees a NaN the steps made
        if placed:
            frames = frames.copy()
            frames[:, :, 5] = np.nan
            calls.append(len(frames))
        return finite(self, frames, first, placed)

    monkeypatch.setattr(stream_output.StreamOutput, "_finite", nan_after)
    x = (walking(40) + np.random.default_rng(2).normal(0, 10, (40, 17, 3))).astype(np.float32)
    stream = StreamingRefiner(load_model("synsp-h36m17"))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        out = stream.refine_all(x)
    assert sum(calls) == 40 and np.isfinite(out).all() and stream.not_finite == 40
    assert np.abs(out[:, 5] - x[:, 5]).max() < 1e-3  # the input's own value, root and all
