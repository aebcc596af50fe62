"""SWAA: window starts, windows, fast merge == naive merge, round trips, validation."""
import numpy as np
import pytest

from synsp.inference import swaa
from synsp.inference.swaa import sliding_window_average, sliding_window_average_naive, sliding_windows, window_starts


@pytest.mark.parametrize(
    ("length", "window", "stride", "expected"),
    [(10, 4, 1, [0, 1, 2, 3, 4, 5, 6]), (10, 4, 3, [0, 3, 6]), (11, 4, 3, [0, 3, 6, 7]), (4, 4, 2, [0]),
     (3, 8, 1, [0]), (1, 1, 1, [0]), (9, 4, 4, [0, 4, 5])],
)
def test_window_starts(length, window, stride, expected):
    starts = window_starts(length, window, stride)
    assert starts.tolist() == expected
    covered = np.zeros(max(length, window), bool)
    for s in starts:
        covered[s : s + window] = True
    assert covered.all()


def test_stride_larger_than_window_is_rejected():
    with pytest.raises(ValueError, match="stride"):
        window_starts(20, 4, 5)
    with pytest.raises(ValueError, match="window"):
        window_starts(20, 0)


def test_sliding_windows_content_and_padding():
    x = np.arange(7)[:, None] * np.array([1, 10])  # (T, 2)
    w = sliding_windows(x, 3, stride=2)
    assert w.shape == (3, 3, 2)
    np.testing.assert_array_equal(w[:, :, 0], [[0, 1, 2], [2, 3, 4], [4, 5, 6]])
    short = sliding_windows(x[:2], 5)
    np.testing.assert_array_equal(short[0, :, 0], [0, 1, 1, 1, 1])  # edge replication
    with pytest.raises(ValueError, match="shape"):
        sliding_windows(np.zeros((0, 3)), 4)


CASES = [(t, f, s) for t in (1, 2, 7, 8, 9, 16, 33, 50) for f in (1, 3, 8) for s in (1, 2, 3, 8) if s <= f]


@pytest.mark.parametrize(("length", "window", "stride"), CASES)
def test_fast_equals_naive(length, window, stride):
    rng = np.random.default_rng(length * 100 + window * 10 + stride)
    n = len(window_starts(length, window, stride))
    windows = rng.normal(size=(n, window, 4, 3))  # independent predictions per window
    fast = sliding_window_average(windows, length, stride)
    assert fast.shape == (length, 4, 3)
    np.testing.assert_allclose(fast, sliding_window_average_naive(windows, length, stride), rtol=1e-12, atol=1e-12)


def test_fast_equals_naive_long_and_float32():
    rng = np.random.default_rng(0)
    for length, window, stride in [(1000, 8, 1), (1003, 32, 4), (997, 16, 5), (500, 8, 8)]:
        n = len(window_starts(length, window, stride))
        windows = rng.normal(size=(n, window, 51)).astype(np.float32)
        fast = sliding_window_average(windows, length, stride)
        assert fast.dtype == np.float32
        np.testing.assert_allclose(fast, sliding_window_average_naive(windows, length, stride), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("length", "window", "stride"), [(100, 8, 1), (101, 8, 3), (5, 8, 1), (1, 8, 1), (8, 8, 2)])
def test_round_trip(length, window, stride):
    x = np.random.default_rng(1).normal(size=(length, 17, 3))
    windows = sliding_windows(x, window, stride)
    np.testing.assert_allclose(sliding_window_average(windows, length, stride), x, atol=1e-12)


def test_average_of_known_predictions():
    # stride 1, F = 2, T = 3: window 0 predicts frames (0, 1), window 1 frames (1, 2).
    windows = np.array([[1.0, 2.0], [4.0, 6.0]])
    np.testing.assert_allclose(sliding_window_average(windows, 3), [1.0, 3.0, 6.0])


def test_window_count_must_match():
    with pytest.raises(ValueError, match=r"\(5, 8, 3\)"):
        sliding_window_average(np.zeros((5, 8, 3)), 20)


def test_non_contiguous_windows_with_views_axis():
    # the refiner merges (N, F, V, J, C) made by swapping axes of (N, V, F, J, C)
    rng = np.random.default_rng(2)
    n = len(window_starts(40, 8, 2))
    windows = rng.normal(size=(n, 2, 8, 5, 3)).swapaxes(1, 2)
    fast = sliding_window_average(windows, 40, 2)
    assert fast.shape == (40, 2, 5, 3)
    np.testing.assert_allclose(fast, sliding_window_average_naive(windows, 40, 2), rtol=1e-12, atol=1e-12)


def test_naive_is_the_plain_mean_of_known_predictions():
    windows = np.array([[1.0, 2.0], [4.0, 6.0]])
    np.testing.assert_allclose(sliding_window_average_naive(windows, 3), [1.0, 3.0, 6.0])


@pytest.mark.parametrize(("length", "window", "stride"), [(403, 8, 1), (401, 8, 3), (397, 6, 4), (400, 5, 5)])
def test_many_chunks_equal_naive(monkeypatch, length, window, stride):
    # a tiny chunk budget forces many chunks, so chunk seams and the deferred division of the
    # frames under the end-aligned last window are exercised
    monkeypatch.setattr(swaa, "_CHUNK_BYTES", 1)
    monkeypatch.setattr(swaa, "_DIRECT_BYTES", 0)  # else small contiguous windows skip chunking
    rng = np.random.default_rng(length + window + stride)
    n = len(window_starts(length, window, stride))
    windows = rng.normal(size=(n, window, 2, 3)).astype(np.float32)
    fast = sliding_window_average(windows, length, stride)
    np.testing.assert_allclose(fast, sliding_window_average_naive(windows, length, stride), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_is_kept(dtype):
    windows = sliding_windows(np.linspace(0, 1, 30, dtype=dtype).reshape(10, 3), 4, 2)
    out = sliding_window_average(windows, 10, 2)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, sliding_window_average_naive(windows, 10, 2), rtol=2e-3)


def test_integer_windows_give_float64():
    out = sliding_window_average(np.array([[1, 2], [4, 6]]), 3)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, 3.0, 6.0])


@pytest.mark.parametrize(("length", "window", "stride"), [(50, 8, 1), (51, 8, 2), (53, 8, 4), (5, 8, 1), (403, 8, 3)])
def test_weighted_fast_equals_weighted_naive(monkeypatch, length, window, stride):
    """Taper weights: each frame is the weighted mean of its predictions, in both merges, also
    across chunks; the windows given are not changed."""
    monkeypatch.setattr(swaa, "_CHUNK_BYTES", 4096)  # many chunks
    rng = np.random.default_rng(length + stride)
    windows = rng.normal(size=(len(window_starts(length, window, stride)), window, 4, 3))
    before = windows.copy()
    weights = swaa.taper(window)
    fast = sliding_window_average(windows, length, stride, weights)
    np.testing.assert_allclose(fast, sliding_window_average_naive(windows, length, stride, weights), atol=1e-12)
    np.testing.assert_array_equal(windows, before)
    np.testing.assert_allclose(sliding_window_average(windows, length, stride, np.full(window, 3.0)),
                               sliding_window_average(windows, length, stride), atol=1e-12)  # equal weights: the mean


def test_weighted_mean_of_known_predictions_and_bad_weights():
    windows = np.array([[1.0, 2.0], [4.0, 6.0]])  # frame 1 is predicted 2 (weight 3) and 4 (weight 1)
    np.testing.assert_allclose(sliding_window_average(windows, 3, weights=[1.0, 3.0]), [1.0, 2.5, 6.0])
    assert swaa.taper(8).shape == (8,) and swaa.taper(8)[0] < swaa.taper(8)[3]
    for bad in ([1.0], [1.0, 0.0], [1.0, np.nan]):
        with pytest.raises(ValueError, match="weights must be 2 positive"):
            sliding_window_average(windows, 3, weights=bad)


def _frame_major(windows: np.ndarray) -> np.ndarray:
    """The same windows (N, F, ...) stored frame offset by frame offset, as the Refiner stores them."""
    out = np.ascontiguousarray(np.swapaxes(windows, 0, 1)).swapaxes(0, 1)
    assert np.swapaxes(out, 0, 1).flags.c_contiguous
    return out


@pytest.mark.parametrize(("length", "window", "stride"), CASES + [(403, 8, 1), (401, 8, 3), (397, 6, 4), (1003, 32, 5)])
@pytest.mark.parametrize("weighted", [False, True])
def test_frame_major_windows_equal_naive(monkeypatch, length, window, stride, weighted):
    # one case in two with a tiny chunk budget: many chunks, so the seams and the carried sums are exercised
    if length % 2:
        monkeypatch.setattr(swaa, "_CHUNK_BYTES", 1)
    rng = np.random.default_rng(length * 100 + window * 10 + stride)
    n = len(window_starts(length, window, stride))
    windows = rng.normal(size=(n, window, 2, 3))
    weights = swaa.taper(window) if weighted else None
    fast = sliding_window_average(_frame_major(windows), length, stride, weights)
    np.testing.assert_allclose(fast, sliding_window_average_naive(windows, length, stride, weights),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_frame_major_keeps_the_dtype(dtype):
    n = len(window_starts(300, 8, 3))
    windows = np.random.default_rng(3).normal(size=(n, 8, 51)).astype(dtype)
    fast = sliding_window_average(_frame_major(windows), 300, 3, swaa.taper(8))
    assert fast.dtype == dtype
    naive = sliding_window_average_naive(windows.astype(np.float64), 300, 3, swaa.taper(8))
    tolerance = 1e-2 if dtype == np.float16 else 1e-5
    np.testing.assert_allclose(fast, naive, rtol=tolerance, atol=tolerance)
