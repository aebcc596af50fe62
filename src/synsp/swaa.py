"""Sliding Window Average Algorithm (SWAA): cut a sequence into windows, merge the outputs back.

A network refines windows of F frames; a sequence of T frames is cut at ``stride`` into
windows, and every frame, predicted by each window that covers it, becomes the mean of
those predictions. Windows start at 0, stride, 2*stride, ... and a last window is aligned
to the end of the sequence, so every frame is covered whatever T, F and stride are.

The paper computes the stride-1 average as one convolution: lay the N window outputs out
as an (N x F) image and convolve with a flipped F x F identity; each anti-diagonal holds
the predictions of one frame. :func:`sliding_window_average` reads those anti-diagonals
directly: a strided view of the window array whose rows are the anti-diagonals, summed in
one pass over memory (for stride s, at most two views, grouping the phases t mod s). It
equals the naive loop up to float rounding, works for any stride and trailing shape, and
does not copy contiguous windows (about 30x faster than the loop: benchmarks/swaa_speed.py).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["window_starts", "sliding_windows", "sliding_window_average", "sliding_window_average_naive"]



def _check(length: int, window: int, stride: int) -> None:
    for name, value in (("length", length), ("window", window), ("stride", stride)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if stride > window:
        raise ValueError(f"stride must be <= window so every frame is covered, got stride {stride} > window {window}")


def window_starts(length: int, window: int, stride: int = 1) -> np.ndarray:
    """First frame of every window covering a sequence of ``length`` frames.

    Parameters
    ----------
    length : number of frames T.
    window : frames per window F.
    stride : frames between consecutive starts, 1 <= stride <= window.

    Returns
    -------
    (N,) int64 array: 0, stride, 2*stride, ... and, if the last of those does not reach
    the end, one more window starting at ``length - window``. If ``length <= window`` it is
    the single start 0: the caller pads the sequence to ``window`` frames (as
    :func:`sliding_windows` does).

    Examples
    --------
    >>> window_starts(10, 4, stride=3).tolist()
    [0, 3, 6]
    >>> window_starts(11, 4, stride=3).tolist()
    [0, 3, 6, 7]
    """
    _check(length, window, stride)
    if length <= window:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, length - window + 1, stride, dtype=np.int64)
    if starts[-1] != length - window:
        starts = np.append(starts, length - window)
    return starts


def sliding_windows(x: np.ndarray, window: int, stride: int = 1) -> np.ndarray:
    """Cut a sequence into the windows given by :func:`window_starts`.

    Parameters
    ----------
    x : (T, ...) array, time first (e.g. (T, J, C) or (T, D)).
    window : frames per window F.
    stride : frames between window starts, 1 <= stride <= F.

    Returns
    -------
    (N, F, ...) array (a new contiguous array) of the same dtype. If T < F, the sequence is
    first padded to F frames by repeating its last frame, giving one window.

    Examples
    --------
    >>> import numpy as np
    >>> sliding_windows(np.arange(5), 3, stride=2).tolist()
    [[0, 1, 2], [2, 3, 4]]
    """
    a = np.asarray(x)
    if a.ndim < 1 or a.shape[0] == 0:
        raise ValueError(f"x must be a (T, ...) array with T >= 1, got shape {a.shape}")
    starts = window_starts(a.shape[0], window, stride)
    if a.shape[0] < window:
        a = np.concatenate([a, np.repeat(a[-1:], window - a.shape[0], axis=0)])
    return a[starts[:, None] + np.arange(window)]


def _validate_windows(windows: np.ndarray, length: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(windows)
    if w.ndim < 2:
        raise ValueError(f"windows must be (N, F, ...), got shape {w.shape}")
    starts = window_starts(length, w.shape[1], stride)
    if w.shape[0] != len(starts):
        raise ValueError(
            f"windows {w.shape} do not match length={length}, stride={stride}: "
            f"window_starts gives {len(starts)} windows of {w.shape[1]} frames"
        )
    if not np.issubdtype(w.dtype, np.floating):
        w = w.astype(np.float64)
    return w, starts


def sliding_window_average_naive(windows: np.ndarray, length: int, stride: int = 1) -> np.ndarray:
    """Reference SWAA: loop over windows and frames, sum the predictions, divide by the count.

    Parameters and result as :func:`sliding_window_average`; kept as the ground truth for
    tests and the speed benchmark.
    """
    w, starts = _validate_windows(windows, length, stride)
    f = w.shape[1]
    total = np.zeros((max(length, f), *w.shape[2:]), dtype=w.dtype)
    count = np.zeros(max(length, f), dtype=np.int64)
    for i, start in enumerate(starts):
        for k in range(f):
            total[start + k] += w[i, k]
            count[start + k] += 1
    return (total / count.reshape(-1, *([1] * (w.ndim - 2))).astype(w.dtype))[:length]


def _slice_add(total: np.ndarray, windows: np.ndarray, first: int, stride: int) -> None:
    """Add windows (n, F, D) starting at first, first + stride, ... into total (T, D) in place."""
    n, f = windows.shape[:2]
    for k in range(f):
        total[first + k : first + k + (n - 1) * stride + 1 : stride] += windows[:, k]


def _overlap_sum(w: np.ndarray, stride: int, total: np.ndarray) -> None:
    """Write into total (>= (n-1)*stride + F, D), zeros on entry, the sum of the predictions
    of every frame for regular windows w (n, F, D) starting at i * stride.

    Frame t = q * stride + r gets window i = q - m at position k = m * stride + r, whose flat
    row in w is q * F + r - m * (F - stride): for each phase r, the frames whose windows are
    all present form a strided view (q, m, D) of w (the anti-diagonals), summed over m.
    Phases covered by equally many windows are adjacent rows, so they share one view
    (q, m, r, D) whose (r, D) block is contiguous: long inner loops, one pass over memory.
    The first and last ceil(F / stride) windows' frames, which lack some windows, are summed
    directly from those few windows.
    """
    n, f, d = w.shape
    length = (n - 1) * stride + f
    edge = -(-f // stride)  # ceil(F / stride): windows that can cover one frame
    if n <= 2 * edge:
        _slice_add(total, w, 0, stride)
        return
    flat = w.reshape(n * f, d)
    row, col = flat.strides
    out_row, out_col = total.strides
    extra = f % stride  # phases r < extra are covered by one window more than the others
    for r0, r1, m in ((0, extra, f // stride + 1), (extra, stride, f // stride)):
        if r1 <= r0:
            continue
        q0, q1 = m - 1, n - 1  # frames q * stride + r, q in [q0, q1], see all m windows
        shape = (q1 - q0 + 1, m, r1 - r0, d)
        src = as_strided(flat[q0 * f + r0 :], shape=shape, strides=(f * row, -(f - stride) * row, row, col),
                         writeable=False)
        dst = as_strided(total[q0 * stride + r0 :], shape=(shape[0], shape[2], d),
                         strides=(stride * out_row, out_row, out_col))
        np.einsum("qmrd->qrd", src, out=dst)
    # Frames before edge * stride are covered only by the first `edge` windows; frames from
    # (n - edge - 1) * stride + F on only by the last `edge` windows.
    head = np.zeros(((edge - 1) * stride + f, d), dtype=w.dtype)
    _slice_add(head, w[:edge], 0, stride)
    total[: edge * stride] = head[: edge * stride]
    tail_start = (n - edge) * stride
    tail = np.zeros((length - tail_start, d), dtype=w.dtype)
    _slice_add(tail, w[n - edge :], 0, stride)
    done = (n - edge - 1) * stride + f
    total[done:length] = tail[done - tail_start :]


def sliding_window_average(windows: np.ndarray, length: int, stride: int = 1) -> np.ndarray:
    """Merge overlapping window predictions into one sequence (SWAA).

    Parameters
    ----------
    windows : (N, F, ...) array: the predictions for the windows of
        ``window_starts(length, F, stride)``, in that order (any trailing shape, e.g.
        (N, F, J, C) or (N, F, V, D)).
    length : number of frames T of the sequence the windows were cut from. If T < F the
        windows are the single padded window and its first T frames are returned.
    stride : the stride the windows were cut with, 1 <= stride <= F.

    Returns
    -------
    (T, ...) array: each frame is the mean of all window predictions of that frame. Same
    floating dtype as ``windows`` (integers give float64).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> sliding_window_average(sliding_windows(x, 4), 6).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """
    w, starts = _validate_windows(windows, length, stride)
    n, f = w.shape[:2]
    trailing = w.shape[2:]
    w = np.ascontiguousarray(w).reshape(n, f, -1)  # (N, F, D): any trailing shape flattened
    # Windows 0..regular-1 start at i * stride; an end-aligned last window breaks the pattern.
    regular = n if starts[-1] == (n - 1) * stride else n - 1
    span = max(length, f)
    total = np.zeros((span, w.shape[2]), dtype=w.dtype)
    _overlap_sum(w[:regular], stride, total)
    count = np.zeros(span, dtype=w.dtype)
    for k in range(f):
        count[k : k + (regular - 1) * stride + 1 : stride] += 1
    if regular < n:
        total[starts[-1] : starts[-1] + f] += w[-1]
        count[starts[-1] : starts[-1] + f] += 1
    total /= count[:, None]
    return total[:length].reshape(length, *trailing)
