"""Files with many short gaps (3D): the limbs' drift read on measured values only, and a second look at the
gaps refilled from SynSP's own output (synsp.refining.refill)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.data.mocap import load_clip
from synsp.inference.floor import bone_drift
from synsp.refining.refill import REFILL_ROUNDS, REFILL_SHARE, refilled
from synsp.sequence import fill_gaps


def gappy(clip: np.ndarray, share: float, seed: int = 0) -> np.ndarray:
    """(T, J) bool: ``share`` of the values lost in runs of 1-6 frames per joint."""
    rng = np.random.default_rng(seed)
    miss = np.zeros(clip.shape[:2], bool)
    while miss.mean() < share:
        miss[rng.integers(len(clip)):][: rng.integers(1, 7), rng.integers(clip.shape[1])] = True
    return miss


@pytest.fixture(scope="module")
def run() -> np.ndarray:
    """(102, 17, 3) a validation run, mm: fast legs on rigid limbs."""
    return load_clip("dataset-2_run_normal_027", "h36m17").astype(np.float64)[:102]


def test_the_drift_is_read_on_measured_values_only(run):
    miss = gappy(run, 0.35)
    holed = np.where(miss[..., None], np.nan, run)
    filled = fill_gaps(holed)[0]
    clean = float(bone_drift(run, "h36m17"))
    assert float(bone_drift(run, "h36m17", seen=np.ones(miss.shape, bool))) == clean  # nothing lost: as before
    # straight fills through a swinging shin change its length: read as an estimator's drift before
    assert float(bone_drift(filled, "h36m17")) > 3 * clean + 1e-3
    assert float(bone_drift(filled, "h36m17", seen=~miss)) < clean + 5e-4
    both = bone_drift(np.stack([filled, run]), "h36m17", seen=np.stack([~miss, np.ones_like(miss)]))
    assert both.shape == (2,) and both[1] == pytest.approx(clean)
    # a bone seen in too few frames is read on every frame, not on nothing
    assert np.isfinite(bone_drift(filled, "h36m17", seen=np.zeros_like(miss)))


def test_refilled_runs_again_only_where_many_values_are_missing():
    x = np.random.default_rng(0).normal(0, 1, (40, 17, 3))
    calls = []

    def run(poses, missing):
        calls.append((np.isnan(poses).sum(), missing))
        return np.nan_to_num(poses) + 1.0

    few = x.copy()
    few[:2, :3] = np.nan  # under REFILL_SHARE
    out, first = refilled(run, few, still=lambda: (0.0, False, np.isnan(few).any(-1)))
    assert first is None and len(calls) == 1 and np.array_equal(out, np.nan_to_num(few) + 1)
    calls.clear()
    many = x.copy()
    many[: int(40 * REFILL_SHARE) + 1] = np.nan
    seen = ~np.isnan(many).any(-1)
    out, first = refilled(run, many, still=lambda: (0.0, False, ~seen))
    assert first[:2] == (0.0, False) and len(calls) == 1 + REFILL_ROUNDS
    assert calls[0][1] is None
    # handed the previous output, not NaN, and told it is still no measurement (the bones step pulls it less)
    assert all(n == 0 and np.array_equal(marked, ~seen) for n, marked in calls[1:])
    np.testing.assert_allclose(out[seen], many[seen] + 1)  # measured values kept as given to each pass
    np.testing.assert_allclose(out[~seen], 1.0 + REFILL_ROUNDS)  # gaps: the previous output, refined again
    calls.clear()
    refilled(run, many, still=lambda: (1.0, True, ~seen))  # the refiner gave way: its fallback is not refined again
    refilled(run, many, still=lambda: (0.0, False, None))  # nothing read
    assert len(calls) == 2
    calls.clear()
    held = x.copy()  # no NaN, but the refiner found a quarter of the values held (a repeat, no measurement)
    marked = np.zeros(held.shape[:-1], bool)
    marked[::4] = True
    out, first = refilled(run, held, still=lambda: (0.0, False, marked))
    assert len(calls) == 1 + REFILL_ROUNDS and first is not None


def test_a_gappy_run_comes_out_nearer_the_truth_with_a_second_look(run, monkeypatch):
    """The audit's case (validation run, 8 mm, 35 % lost in 1-6 frame runs): the second look brings the measured
    values and the gaps nearer the truth than the first pass alone."""
    rng = np.random.default_rng(709)
    noisy = run + rng.normal(0, 8.0, run.shape)
    miss = gappy(run, 0.35, seed=1)
    noisy[miss] = np.nan
    errors = {}
    for rounds in (0, REFILL_ROUNDS):
        monkeypatch.setattr("synsp.refining.refill.REFILL_ROUNDS", rounds)
        errors[rounds] = np.linalg.norm(np.asarray(synsp.refine(noisy, layout="h36m17"), float) - run, axis=-1)
    assert errors[REFILL_ROUNDS][~miss].mean() < errors[0][~miss].mean() - 0.5
    assert errors[REFILL_ROUNDS][miss].mean() < errors[0][miss].mean()
