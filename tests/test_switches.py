"""A tracker handing a person's id to someone close by (less than half a body away) is cut, as a
body cannot step off its path and stay there; real motion, however fast, is never cut."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.estimator_errors.track_switches import left_path, track_segments
from walking import walking


def _exchanged_ids(seed: int = 0):
    """Two people walking towards each other 0.2 body sizes apart (about 60 px of ~300) and
    crossing; a tracker exchanges their ids at frame 40. Returns (track of id 1, truth of id 1)."""
    a_clean = walking(n_frames=80, noise=0.0)[0] + [0, 0]
    b_clean = a_clean[::-1] * [1, 1] + [a_clean[-1, 0, 0] - a_clean[0, 0, 0] - 180, 10]
    b_clean = b_clean - b_clean[40].mean(0) + a_clean[40].mean(0) + [60, 0]  # 60 px apart at the exchange
    rng = np.random.default_rng(seed)
    truth = np.concatenate([a_clean[:40], b_clean[40:]])
    return truth + rng.normal(0, 2.0, truth.shape), truth


def test_an_id_handed_to_someone_close_by_is_cut_and_not_smoothed_across():
    track, truth = _exchanged_ids()
    assert track_segments(track) == [slice(0, 40), slice(40, 80)]
    out = synsp.refine(track.astype(np.float32), "synsp")
    error = np.linalg.norm(out - truth, axis=-1).mean(-1)
    noisy = np.linalg.norm(track - truth, axis=-1).mean(-1)
    assert (error[37:43] < noisy[37:43] + 1.0).all()  # not a ghost between the two people


def test_a_body_that_jumps_off_its_path_and_comes_back_is_not_cut():
    track = walking(n_frames=80, seed=3)[1]
    for run in (1, 2):
        jumped = track.copy()
        jumped[30:30 + run] += [70, 0]  # a box that jumped for a frame or two: the jumps step's
        assert track_segments(jumped) == [slice(0, 80)]


@needs_data
@pytest.mark.parametrize("space, layout", [("2d", "coco17"), ("3d", "h36m17")])
def test_real_motion_is_never_cut_clean_noisy_or_fast(space, layout):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from fast_motion import played_faster
    from synsp.data.mocap import load_clips
    from synsp.data.simulator import corrupt
    from synsp.data.splits import load_split
    from synsp.sequence import fill_gaps

    names = load_split("val")[::4]
    rng = np.random.default_rng(0)
    for clip in load_clips(names, layout=layout):
        for speed, fps in ((1, 30), (1, 60), (3, 30)):
            clean = played_faster(clip, speed, fps)
            if space == "2d":  # a side view in pixels, ~300 px tall
                clean = clean[..., :2] * 0.2
            for x in (clean, fill_gaps(corrupt(clean, "typical", rng=rng, layout=layout, fps=fps).noisy)[0]):
                assert not left_path(x).any()
