"""Warm-starting SynSP at another window: the spectral gain resampled by frequency, the rest copied."""
from __future__ import annotations

import math

import pytest
import torch

from conftest import needs_data, tiny_config
from synsp.inference.checkpoint import load_checkpoint
from synsp.model.dct import dct_matrix
from synsp.training.window_change import other_window_state, resample_spectral_gain


def test_the_same_window_keeps_the_gain_and_a_longer_one_keeps_it_per_frequency():
    gain = torch.randn(3, 8, 5, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(resample_spectral_gain(gain, 8), gain, rtol=0, atol=0)
    longer = resample_spectral_gain(gain, 32)
    assert longer.shape == (3, 32, 5)
    # coefficient k of 8 frames and 4k of 32 frames are the same frequency, k / 16 cycles per frame
    torch.testing.assert_close(longer[:, ::4], gain)
    torch.testing.assert_close(longer[:, 2], (gain[:, 0] + gain[:, 1]) / 2)  # halfway between
    torch.testing.assert_close(longer[:, 29:], gain[:, 7:].expand(3, 3, 5))  # above 8 frames' top: held
    torch.testing.assert_close(resample_spectral_gain(longer, 8), gain)  # and back


def test_a_slow_wave_meets_the_same_gain_at_either_window():
    # A cosine at DCT coefficient 2 of 8 frames is coefficient 8 of 32 frames (the same frequency).
    f8, f32 = dct_matrix(8, dtype=torch.float64), dct_matrix(32, dtype=torch.float64)
    wave = lambda n: torch.cos(math.pi * (2 * torch.arange(n, dtype=torch.float64) + 1) * 2 / 16)  # noqa: E731
    assert int((f8 @ wave(8)).abs().argmax()) == 2 and int((f32 @ wave(32)).abs().argmax()) == 8
    gain = torch.linspace(-1, 0, 8, dtype=torch.float64)[None, :, None]
    assert float(resample_spectral_gain(gain, 32)[0, 8, 0]) == pytest.approx(float(gain[0, 2, 0]))


def test_other_tensors_are_passed_through_and_bad_gains_are_refused():
    state = {"spectral_gain": torch.zeros(3, 8, 4), "head.weight": torch.ones(2, 2)}
    out = other_window_state(state, 16)
    assert out["head.weight"] is state["head.weight"] and out["spectral_gain"].shape == (3, 16, 4)
    with pytest.raises(ValueError, match="spectral_gain"):
        resample_spectral_gain(torch.zeros(8, 4), 16)


@needs_data
def test_init_from_a_checkpoint_of_another_window(tmp_path):
    from synsp.training.train import train

    first = train(tiny_config(tmp_path / "a"), log=lambda s: None)
    longer = tiny_config(tmp_path / "b")
    longer.model["window"] = 16
    longer.train.init_from = str(first)
    longer.train.lr = 0.0  # no step moves the weights: what is saved is what was loaded
    train(longer, log=lambda s: None)
    a = load_checkpoint(first)["state_dict"]
    b = load_checkpoint(tmp_path / "b" / "last.pt")["state_dict"]
    assert set(a) == set(b)
    for key in a:
        want = resample_spectral_gain(a[key], 16) if key == "spectral_gain" else a[key]
        torch.testing.assert_close(b[key], want, rtol=0, atol=0, msg=key)
    other = tiny_config(tmp_path / "c")
    other.model["window"], other.model["d_model"] = 16, 32  # another width: still refused
    other.train.init_from = str(first)
    with pytest.raises(ValueError, match="init_from"):
        train(other, log=lambda s: None)
