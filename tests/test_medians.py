"""synsp.medians.nanmedian gives numpy's nanmedian values (to the bit, up to a zero's sign and a NaN's payload)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from synsp.medians import nanmedian


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_same_values_as_numpy(dtype):
    rng = np.random.default_rng(0)
    for _ in range(300):
        shape = tuple(rng.integers(0, 5, size=rng.integers(1, 4)))
        if rng.random() < 0.1:
            shape += (int(rng.integers(595, 610)),)  # numpy's other path, from 600 values on
        a = (rng.normal(size=shape) * 100).astype(dtype)
        a[rng.random(shape) < rng.random()] = np.nan
        for axis in range(-len(shape), len(shape)):
            for keepdims in (False, True):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # numpy's all-NaN slices
                    want = np.nanmedian(a, axis=axis, keepdims=keepdims)
                got = nanmedian(a, axis=axis, keepdims=keepdims)
                assert got.shape == want.shape and got.dtype == want.dtype
                assert np.array_equal(got, want, equal_nan=True)


def test_all_missing_is_nan_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(nanmedian(np.full((3, 2), np.nan), axis=0)).all()
        assert nanmedian(np.array([[1.0, np.nan, 3.0, 4.0]]), axis=1)[0] == 3.0
