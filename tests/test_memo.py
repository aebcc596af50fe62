"""synsp.memo: results remembered inside a scope only, handed out as twins (same values, same strides)."""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.measurements import measure, measurements
from synsp.memo import array_key, memo_scope, remembered, twin
from synsp.skeleton import get_layout


def test_remembered_only_inside_a_scope():
    calls = []

    def compute():
        calls.append(1)
        return {"a": np.arange(6.0).reshape(2, 3)}
    key = ("k", array_key(np.zeros(3)))
    remembered(key, compute)
    remembered(key, compute)
    assert len(calls) == 2  # no scope: nothing kept
    with memo_scope():
        first = remembered(key, compute)
        with memo_scope():  # nested: the same scope
            again = remembered(key, compute)
        first["a"][0, 0] = 99.0  # the caller's copy is its own
        third = remembered(key, compute)
    assert len(calls) == 3
    assert np.array_equal(again["a"], np.arange(6.0).reshape(2, 3))
    assert third["a"][0, 0] == 0.0
    with memo_scope():
        remembered(key, compute)
    assert len(calls) == 4  # a new scope starts empty


def test_twin_keeps_strides_and_shared_arrays():
    base = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
    view = base.swapaxes(0, 1)[:, :2]
    copy = twin(view)
    assert copy.strides == view.strides and np.array_equal(copy, view)
    assert not np.shares_memory(copy, base)
    shared = np.zeros(3)
    pair = twin({"x": shared, "y": shared})
    assert pair["x"] is pair["y"] and pair["x"] is not shared


def test_measurements_remembered_give_the_same_values():
    rng = np.random.default_rng(0)
    poses = (rng.normal(size=(40, 17, 2)) * 5 + rng.normal(size=(1, 17, 2)) * 100).astype(np.float32)
    poses[5:8, 3] = np.nan
    layout = get_layout("coco17")
    plain = measure(poses, layout)
    with memo_scope():
        first = measurements(poses, layout)
        second = measurements(poses, layout)
        first.values[:] = 0.0  # a caller writing to its result does not reach the next one
        third = measurements(poses, layout)
    for a, b, c in zip(plain, second, third):
        if a is not None:
            assert np.array_equal(a, b, equal_nan=True) and np.array_equal(a, c, equal_nan=True)
