"""Frames dropped from a file with no times (synsp.refining.dropped_frames): found where the whole body steps twice
as far, refined as gaps in synsp.refine and taken out; no drop read on even frames, a start, a stop or a jump."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.refining.dropped_frames import dropped_after
from walking import walking


def _fast_walk(frames: int = 120, noise: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) a walk crossing the picture at 600 px/s (20 px a frame), as a sprint filmed from the side."""
    clean, _ = walking(n_frames=frames, noise=0.0)
    clean = clean + np.arange(frames)[:, None, None] * np.array([18.0, 0.0])  # walking() drifts 2 px a frame
    return clean, clean + np.random.default_rng(3).normal(0, noise, clean.shape)


def _dropped(x: np.ndarray, every: int = 7) -> tuple[np.ndarray, np.ndarray]:
    keep = np.arange(len(x)) % every != 3
    return x[keep], np.flatnonzero(np.diff(np.flatnonzero(keep)) == 2)  # the kept frames before each drop


def test_every_drop_of_a_fast_body_is_found_and_nothing_else():
    _, noisy = _fast_walk()
    poses, before = _dropped(noisy)
    np.testing.assert_array_equal(dropped_after(poses), before)
    assert len(dropped_after(noisy)) == 0  # no frame missing: none read


def test_a_start_a_stop_and_a_jump_read_no_drop():
    clean, _ = _fast_walk()
    start = clean.copy()
    start[:60] = start[60]  # standing still, then off at full speed from one frame to the next
    stop = clean.copy()
    stop[60:] = stop[60]
    jump = clean.copy()
    jump[50:52] += 100.0  # the whole body thrown for two frames
    for poses in (start, stop, jump):
        assert len(dropped_after(poses)) == 0
    assert len(dropped_after(clean[:4])) == 0  # too short to read


@pytest.mark.parametrize("method", ["synsp", "gaussian"])
def test_refine_puts_the_drops_back_as_gaps_and_gives_the_input_frames(method, monkeypatch):
    clean, noisy = _fast_walk()
    poses, before = _dropped(noisy)
    out = synsp.refine(poses, method, layout="coco17", fps=30)
    assert out.shape == poses.shape and np.isfinite(out).all()
    gapped = np.insert(poses, before + 1, np.nan, axis=0)
    kept = np.delete(np.arange(len(gapped)), before + 1 + np.arange(len(before)))
    np.testing.assert_array_equal(out, synsp.refine(gapped, method, layout="coco17", fps=30)[kept])
    truth, _ = _dropped(clean)
    # refined as if no frame were missing (the route before): the step at each drop smeared
    monkeypatch.setattr("synsp.refining.arrays.dropped_after", lambda x: np.zeros(0, int))
    as_even = synsp.refine(poses, method, layout="coco17", fps=30)
    assert np.linalg.norm(out - truth, axis=-1).mean() < np.linalg.norm(as_even - truth, axis=-1).mean()
