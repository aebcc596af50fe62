"""(P, T, J, C) arrays: with a single-view model each leading entry is its own person, refined as if
alone (its own pace, body size, axes and batch); a multi-view model refines the views of one person together."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.refining.arrays import network_model
from walking import walking


def _people() -> np.ndarray:
    """(3, 90, 17, 3) x, y, score: a person standing still, one walking, one walking 4 times as fast
    and twice as big (fast motion: a pace of its own), one hidden for 10 frames."""
    still = walking(noise=2.0, seed=1)[1] * [1.0, 1.0]
    still = still[:1].repeat(90, axis=0) + np.random.default_rng(5).normal(0, 2.0, still.shape)
    walk = walking(seed=2)[1] + [300, 0]
    clean = walking(n_frames=360, noise=0.0, fps=30.0)[0][::4]
    fast = 2 * (clean - clean.mean(axis=(0, 1))) + [900, 400] + np.random.default_rng(3).normal(0, 4.0, clean.shape)
    fast[40:50] = np.nan
    xy = np.stack([still, walk, fast]).astype(np.float32)
    score = np.where(np.isnan(xy[..., :1]), np.nan, 0.9).astype(np.float32)
    return np.concatenate([xy, score], axis=-1)


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_a_person_refined_in_a_stack_is_refined_as_alone(method):
    x = _people()
    stacked = synsp.refine(x, method)
    alone = np.stack([synsp.refine(person, method) for person in x])
    np.testing.assert_allclose(stacked, alone, atol=1e-3, equal_nan=True)
    assert np.isnan(stacked[2, 40:50]).all()


def test_the_views_of_one_person_share_one_refinement_with_a_multi_view_model():
    clean = walking(n_frames=60, noise=0.0)[0]
    person = np.concatenate([(clean - clean.mean((0, 1))) * 4, 900 + 0 * clean[..., :1]], axis=-1)  # mm, h36m-ish
    views = np.stack([person + np.random.default_rng(v).normal(0, 15, person.shape) for v in range(3)])
    views = views.astype(np.float32)
    model = network_model("synsp", 3, "synsp-h36m17-mv")
    together = model.refine(views)
    np.testing.assert_allclose(synsp.refine(views, checkpoint="synsp-h36m17-mv", layout="h36m17"), together, atol=1e-3)
