"""The fallback's part in a refine call (synsp.inference.give_way): its output of the call's input is refined once
and given to every step that asks, the 3D SmoothNet blend and the bent-over give-way alike."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.give_way import GiveWay


@pytest.fixture(scope="module")
def crawling() -> np.ndarray:
    """(150, 17, 3) mm: benchmarks/leaned_trunk.py's crawl from a validation walk's first pose, 8 mm white noise:
    hips bent in every frame (the give-way) and noise heavy enough for the blend to take the whole clip."""
    from synsp.data.mocap import load_clip

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    import leaned_trunk

    truth = leaned_trunk.crawl(load_clip("dataset-1_walk-back_proud_001", "h36m17")[0].astype(np.float64))[:150]
    return (truth + np.random.default_rng(3).normal(0, 8, truth.shape)).astype(np.float32)


@needs_data
def test_a_bent_clip_under_heavy_noise_runs_smoothnet_on_the_whole_clip_once(crawling, monkeypatch):
    model = synsp.load_model("synsp-h36m17")
    smoothnet = model.fallback()
    runs = []

    def counted(poses: np.ndarray, **options) -> np.ndarray:
        runs.append(np.shape(poses)[-3])
        return smoothnet.refine(poses, **options)

    monkeypatch.setattr(model, "fallback", lambda: SimpleNamespace(refine=counted))
    out = model.refine(crawling, fps=30)
    assert model.flexed > 0.3  # the give-way asked for SmoothNet's output, and the blend took the whole clip
    assert runs == [len(crawling)]  # before: twice, the same input at the same rate

    # the same output, bit for bit, as when every step runs SmoothNet for itself
    monkeypatch.setattr(GiveWay, "fallback_output", lambda way: way.refine_fallback())
    np.testing.assert_array_equal(model.refine(crawling, fps=30), out)
    assert runs == [len(crawling)] * 3


def test_the_fallbacks_output_is_refined_when_first_asked_and_only_then():
    runs = []
    way = GiveWay(False, float("nan"), 0.0, float("nan"), 0.0, np.zeros((1, 5)),
                  lambda: runs.append(1) or np.ones((5, 2, 3)))
    result = {"final": np.zeros((5, 2, 3), np.float32)}
    assert way.blended(result, np.zeros((5, 2, 3))) is result and not runs  # nothing bent: not run
    assert not way.whole
    assert way.fallback_output() is way.fallback_output() and runs == [1]
