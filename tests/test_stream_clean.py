"""A stream keeps nearly clean input nearly clean, as offline refinement does (synsp.inference.stream_clean),
and keeps the whole correction of noisy input."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.stream_clean import RunningCleanStep
from synsp.inference.streaming import StreamingRefiner
from walking import walking


def _streamed(refiner, x: np.ndarray) -> np.ndarray:
    stream = StreamingRefiner(refiner)
    return np.concatenate([*(stream.push(frame) for frame in x), stream.flush()])


def test_a_noisy_stream_keeps_the_whole_correction():
    around = walking(90, noise=3.0)[1][:, None].astype(np.float64)  # (T, 1, 17, 2), px
    step = RunningCleanStep("2d")
    out = step(around[40:45] + 2.0, around[40:45], around, 40)
    np.testing.assert_array_equal(out, around[40:45] + 2.0)


def test_a_clean_stream_is_moved_by_no_more_than_its_noise():
    clean = walking(90, noise=0.0)[0][:, None].astype(np.float64)
    step = RunningCleanStep("2d")
    outs = [step(clean[t:t + 5] + 2.0, clean[t:t + 5], clean, t) for t in range(0, 80, 5)]
    assert np.abs(np.concatenate(outs) - np.concatenate([clean[t:t + 5] for t in range(0, 80, 5)])).max() < 0.05


@needs_data
@pytest.mark.parametrize(("space", "layout", "name"),
                         [("3d", "h36m17", "synsp-h36m17"), ("2d", "coco17", "synsp-coco17")])
def test_the_stream_leaves_clean_poses_as_offline_does(space, layout, name):
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "none", layout=layout, space=space, max_clips=1)[0]
    refiner = synsp.load_model(name)
    moved = np.linalg.norm(_streamed(refiner, case.noisy) - case.clean, axis=-1).mean()
    offline = np.linalg.norm(refiner.refine(case.noisy) - case.clean, axis=-1).mean()
    refiner.keep_clean = False
    try:
        whole = np.linalg.norm(_streamed(refiner, case.noisy) - case.clean, axis=-1).mean()
    finally:
        refiner.keep_clean = True
    assert moved < 0.2 * whole  # step off: 3D 1.46 mm, 2D 0.93 px; on: 0.00, 0.00 (offline 0.01, 0.00)
    assert moved < offline + 0.05 * whole
