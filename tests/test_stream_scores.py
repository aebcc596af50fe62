"""``synsp stream`` reads a joint scored low but steadily as offline does (synsp.score_levels): at its own level, over
the person's lines so far; an estimator's misses (two levels, or bursts under a confident joint) keep the threshold.
Before, a joint scored 0.25 in every line was never detected: given back null all stream long."""
from __future__ import annotations

import io
import json

import numpy as np

from conftest import needs_data
from synsp.integrations.stream import PoseStream, run_stream
from synsp.score_levels import MIN_FRAMES, STEADY_DIP, RunningLevels
from walking import walking


def _measured(levels: RunningLevels, scores: np.ndarray) -> np.ndarray:
    return np.array([levels.measured(s, np.ones(len(s), bool)) for s in scores])


def test_a_steady_low_joint_is_measured_once_its_level_is_read():
    scores = np.full((80, 3), 0.9)
    scores[:, 1] = 0.25  # steadily low
    scores[:, 2] = np.r_[np.full(30, 0.9), np.full(50, 0.2)]  # seen, then hidden: two levels
    scores[50, 1] = 0.25 * STEADY_DIP - 0.01  # a dip under its own level
    scores[64, 1] = 0.9  # seen at another level: the threshold from then on
    got = _measured(RunningLevels(0.3), scores)
    assert got[:, 0].all() and not got[:MIN_FRAMES - 1, 1].any()
    assert got[MIN_FRAMES - 1:64, 1].sum() == 64 - MIN_FRAMES  # every line from the level on, but the dip
    assert not got[50, 1] and not got[65:, 1].any() and not got[30:, 2].any()


@needs_data
def test_a_stream_refines_the_far_side_scored_low_all_along():
    clean, noisy = walking(60)
    left = [1, 3, 5, 7, 9, 11, 13, 15]
    scores = np.full(noisy.shape[:2], 0.9)
    scores[:, left] = 0.25
    kp = np.concatenate([noisy, scores[..., None]], axis=-1)
    lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": f.tolist()}]}) + "\n"
                    for t, f in enumerate(kp))
    out = io.StringIO()
    run_stream(PoseStream("synsp", space="2d"), io.StringIO(lines), out, io.StringIO())
    got = np.array([[[np.nan if v is None else v for v in p] for p in json.loads(line)["people"][0]["keypoints"]]
                    for line in out.getvalue().splitlines()])
    assert np.isnan(got[:MIN_FRAMES - 1, left, 0]).all()  # not read yet: not detected, as before
    after = got[MIN_FRAMES:, left, :2]
    assert np.isfinite(after).all() and np.linalg.norm(after - clean[MIN_FRAMES:, left], axis=-1).mean() < 10
    assert (got[:, left, 2] == 0.25).all()  # the scores passed through
