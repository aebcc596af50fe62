"""Clips shorter than the network's window take the low-pass (synsp.refining.short_clips); longer ones the networks."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.refining.route_notes import short_note
from synsp.refining.short_clips import SHORT_FRAMES, is_short
from walking import mean_accel, walking


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
@pytest.mark.parametrize("frames", [3, 5, SHORT_FRAMES - 1])
def test_a_short_clip_takes_the_low_pass(method, frames):
    _, noisy = walking(frames, noise=2.0)
    x = noisy.astype(np.float32)
    out = synsp.refine(x, method, fps=30)
    assert np.array_equal(out, synsp.refine(x, "butterworth", fps=30))
    assert mean_accel(out) < mean_accel(x)  # a noisy short clip still gets smoother


def test_a_clean_short_clip_stays_near_where_it_is():
    clean, _ = walking(5, noise=0.0)
    out = synsp.refine(clean.astype(np.float32), "synsp", fps=30)
    assert np.linalg.norm(out - clean, axis=-1).mean() < 0.5  # px, on a person 240 px tall


def test_the_guard():
    x = np.zeros((SHORT_FRAMES, 17, 2))
    assert not is_short(x, "synsp", {}) and is_short(x[1:], "synsp", {}) and is_short(x[1:], "smoothnet", {})
    assert not is_short(x[1:], "butterworth", {}) and not is_short(x[1:], "synsp", {"network_only": True})
    _, noisy = walking(SHORT_FRAMES, noise=2.0)
    x = noisy.astype(np.float32)
    assert not np.array_equal(synsp.refine(x, "synsp", fps=30), synsp.refine(x, "butterworth", fps=30))


def test_the_cli_says_it_in_one_line():
    note = short_note(5, "synsp")
    assert len(note) == 1 and "5 frames" in note[0] and "Butterworth" in note[0]
    assert short_note(SHORT_FRAMES, "synsp") == [] and short_note(5, "gaussian") == []
    assert short_note(5, "synsp", network_only=True) == []
