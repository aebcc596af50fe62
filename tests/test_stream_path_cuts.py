"""A live stream cuts where a tracker handed a person's id to someone close by for a few frames (the body stepped off
its path and stayed off it), at the swap and at the return, as offline refinement cuts the track
(``track_switches.left_path``); after a switch of people it keeps the person's sizes, so that the return from a swap
of one frame is told too (benchmarks/RESULTS.md, section 12, "A stream where ids were swapped for a few frames")."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.estimator_errors.track_switches import track_segments
from synsp.inference.checkpoint import load_model
from synsp.inference.stream_cuts import CutWatch
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import get_layout

pytestmark = needs_data


def _side_by_side(apart: float, frames: int = 120, scale: float = 1.0) -> np.ndarray:
    """(2, T, 17, 3) two validation clips in mm, the second ``scale`` times as large and ``apart`` body heights
    (1700 mm) to the side, 8 mm noise."""
    names = [n for n in load_split("val") if clip_frames(n) >= 200][:2]
    a, b = (load_clip(n)[:frames].astype(np.float64) for n in names)
    b = scale * (b - b.mean((0, 1))) + a.mean((0, 1)) + np.array([apart * 1700.0, 0.0, 0.0])
    return np.stack([a, b]) + np.random.default_rng(0).normal(0, 8.0, (2, frames, 17, 3))


def _swapped(x: np.ndarray, start: int, length: int) -> np.ndarray:
    y = x.copy()
    y[:, start:start + length] = y[::-1, start:start + length]
    return y


def _watched(track: np.ndarray) -> list[int]:
    """The frames a default stream's cut watch (lag + lookahead 10) cuts ``track`` (T, J, C) at."""
    watch = CutWatch(get_layout("h36m17").flip_index, 10, lambda frame: [], lambda: np.zeros(0))
    for frame in track:
        watch.push(frame[None])
    return watch.cuts


@pytest.mark.parametrize("length", [3, 5])
def test_the_watch_cuts_a_swap_between_close_people_at_both_ends_as_offline(length):
    """Ids swapped for 3 or 5 frames between people 0.2 body heights apart (under the half-size rule): both tracks
    cut at the swap and the return, as ``track_segments`` cuts them; the same people unswapped: no cut. Before, the
    stream cut neither and refined both people's frames together (val, 3D K = 3: 41 mm on the swap, input 13)."""
    x = _side_by_side(0.2)
    y = _swapped(x, 60, length)
    assert [[s.start for s in track_segments(track)][1:] for track in y] == [[60, 60 + length]] * 2
    assert [_watched(track) for track in y] == [[60, 60 + length]] * 2
    assert [_watched(track) for track in x] == [[], []]


def test_a_stream_tells_the_return_from_a_one_frame_switch():
    """Ids swapped for one frame, the other person half as large again and 0.6 body heights away: the half-size
    rule tells the swap at this person's size; the stream keeps that size after the switch and tells the return too,
    so this person's next frame is not refined with the other's (before: the size of the other person's one frame,
    the return missed, a ghost)."""
    x = _swapped(_side_by_side(0.6, scale=1.5), 60, 1)
    stream = StreamingRefiner(load_model("synsp-h36m17"), mm_per_unit=1.0)
    out = stream.refine_all(x[0].astype(np.float32))
    assert out.shape == x[0].shape
    truth = x[0, 61]
    assert np.linalg.norm(out[61] - truth, axis=-1).mean() < 60.0  # this person, not a blend with the other
