"""Sliding Window Average Algorithm (SWAA): cut a sequence into windows, merge the outputs back.

A network refines windows of F frames; a sequence of T frames is cut at ``stride`` into
windows, and every frame, predicted by each window that covers it, becomes the mean of
those predictions. Windows start at 0, stride, 2*stride, ... and a last window is aligned
to the end of the sequence, so every frame is covered whatever T, F and stride are.

The naive merge (:func:`sliding_window_average_naive`) loops over windows and frames. The
paper's fast version is one convolution of the (N x F) window image with a flipped F x F
identity. :func:`sliding_window_average` computes the same sums with long contiguous adds
instead: windows i, i + g, i + 2g, ... (g = ceil(F / stride)) cover disjoint frames, so each
such phase is a single NumPy add of whole (F * D)-value window rows into the output, done in
cache-sized chunks, then every frame is divided by its precomputed coverage. Windows stored
frame-major (each frame offset's predictions contiguous, as the Refiner stores its network
outputs) are merged without that staging copy, one contiguous add per frame offset and chunk
(:func:`_merge_frame_major`). Its speed against the naive loop, a plain read of the windows and
the alternatives that were tried: benchmarks/swaa_speed.py, benchmarks/speed.py and
benchmarks/RESULTS.md, "Design measurements" and section 15.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["window_starts", "sliding_windows", "sliding_window_average", "sliding_window_average_naive", "taper"]


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


def taper(window: int) -> np.ndarray:
    """(F,) Hann weights for :func:`sliding_window_average`'s ``weights``: a window's middle
    frames count most, its edge frames (which see the least context) least. Not the paper's
    plain mean: with strided windows it keeps the merged sequence smooth (benchmarks/RESULTS.md,
    section 15; docs/deviations.md)."""
    return np.hanning(window + 2)[1:-1]


def _check_weights(weights: np.ndarray | None, window: int) -> np.ndarray | None:
    if weights is None:
        return None
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape != (window,) or not np.isfinite(weights).all() or (weights <= 0).any():
        raise ValueError(f"weights must be {window} positive finite numbers (one per window frame), "
                         f"got shape {weights.shape}")
    return weights


def sliding_window_average_naive(windows: np.ndarray, length: int, stride: int = 1,
                                 weights: np.ndarray | None = None) -> np.ndarray:
    """Reference SWAA, the literal loop the paper's 0.374% speed figure is measured against.

    For each window, for each frame in it: add that frame's prediction (one ``(...)``-shaped
    array) times its weight to the frame's running sum and the weight (1 by default) to its
    count; then divide. Parameters and result as :func:`sliding_window_average`; kept as the
    ground truth for tests and the speed benchmark (benchmarks/swaa_speed.py), so deliberately
    not vectorised.
    """
    w, starts = _validate_windows(windows, length, stride)
    f = w.shape[1]
    weights = np.ones(f) if weights is None else _check_weights(weights, f)
    total = np.zeros((max(length, f), *w.shape[2:]), dtype=w.dtype)
    count = np.zeros(max(length, f), dtype=np.float64)
    for i, start in enumerate(starts):
        for k in range(f):
            total[start + k] += w[i, k] * weights[k]
            count[start + k] += weights[k]
    return (total / count.reshape(-1, *([1] * (w.ndim - 2))).astype(w.dtype))[:length]


# Windows are merged in chunks whose staging copy fits in L2/L3 (the chunk is then read
# F/stride times); measured best between 1 and 4 MB on 100,000 frames, F = 8 and 32.
_CHUNK_BYTES = 2 * 2**20
# Windows that fit in cache (contiguous, accumulator dtype) are read in place, in one chunk.
_DIRECT_BYTES = 8 * 2**20
# Each chunk issues one NumPy call per phase; fewer than ~16 windows per call and the
# per-call overhead (a few microseconds) dominates.
_MIN_WINDOWS_PER_PHASE = 16


def _coverage(window: int, rows: int, stride: int, regular: int, last: int | None, dtype: np.dtype,
              weights: np.ndarray | None = None) -> np.ndarray:
    """(rows, 1) number of windows covering each frame, or with ``weights`` the sum of the
    weights they give it: ``regular`` windows starting at 0, stride, 2 * stride, ..., then one
    starting at ``last`` (None: no such window)."""
    weights = np.ones(window) if weights is None else weights
    cover = np.zeros(rows + window + stride, dtype=np.float64)
    for k, weight in enumerate(weights):
        cover[k : k + stride * regular : stride] += weight  # a strided slice: no fancy indexing
        if last is not None:
            cover[last + k] += weight
    return cover[:rows].astype(dtype).reshape(rows, 1)


def sliding_window_average(windows: np.ndarray, length: int, stride: int = 1,
                           weights: np.ndarray | None = None) -> np.ndarray:
    """Merge overlapping window predictions into one sequence (SWAA).

    Parameters
    ----------
    windows : (N, F, ...) array: the predictions for the windows of
        ``window_starts(length, F, stride)``, in that order (any trailing shape, e.g.
        (N, F, J, C) or (N, F, V, D); any memory layout; stored frame-major, i.e.
        ``np.swapaxes(windows, 0, 1)`` C-contiguous, it is merged fastest).
    length : number of frames T of the sequence the windows were cut from. If T < F the
        windows are the single padded window and its first T frames are returned.
    stride : the stride the windows were cut with, 1 <= stride <= F.
    weights : optional (F,) positive weight of each window frame (e.g. :func:`taper`); each
        frame is then the weighted mean of its predictions. None: the paper's plain mean.

    Returns
    -------
    (T, ...) array: each frame is the mean of all window predictions of that frame. Same
    floating dtype as ``windows`` (integers give float64). Equal to
    :func:`sliding_window_average_naive` up to float rounding (the sums run in another order).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> sliding_window_average(sliding_windows(x, 4), 6).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    >>> sliding_window_average(np.array([[1.0, 2.0], [4.0, 6.0]]), 3).tolist()
    [1.0, 3.0, 6.0]
    """
    w, starts = _validate_windows(windows, length, stride)
    n, f = w.shape[:2]
    weights = _check_weights(weights, f)
    if (n > 1 and np.swapaxes(w, 0, 1).flags.c_contiguous and not w.flags.c_contiguous
            and w.dtype in (np.float32, np.float64)):
        return _merge_frame_major(w, starts, length, stride, weights)
    trailing = w.shape[2:]
    d = int(np.prod(trailing, dtype=np.int64))
    acc = np.result_type(w.dtype, np.float32)  # float16 is summed in float32, cast back at the end
    # Windows 0..regular-1 start at i * stride; an end-aligned last window breaks the pattern.
    regular = n if starts[-1] == (n - 1) * stride else n - 1
    last = int(starts[-1]) if regular < n else None
    # Phases: windows i, i + g, i + 2g, ... (g = ceil(F / stride)) never overlap, so one phase
    # is a single add of (windows, F * D) rows into an (F * D)-long-row view of the output.
    g = -(-f // stride)
    span = max(length, (regular - 1) * stride + f)
    total = np.zeros((span + g * stride, d), dtype=acc)  # slack rows: every phase view is a reshape
    flat = total.reshape(-1)
    count = _coverage(f, span, stride, regular, last, acc, weights)
    chunk = max(_CHUNK_BYTES // max(1, f * d * total.itemsize), _MIN_WINDOWS_PER_PHASE * g)
    chunk = -(-chunk // g) * g
    # Weighted windows are scaled in the staging copy, never in place in the caller's array.
    direct = w.dtype == acc and w.flags.c_contiguous and w.nbytes <= _DIRECT_BYTES and weights is None
    frame_weights = None if weights is None else weights.astype(acc).reshape(1, f, 1)
    if direct:
        chunk = regular
    else:
        stage = np.empty((min(chunk, regular), f, d), dtype=acc)
    final = span if last is None else last  # frames from `last` on wait for the last window
    done = 0
    for c0 in range(0, regular, chunk):
        c1 = min(regular, c0 + chunk)
        # Large inputs go through a contiguous copy of the chunk: read once in order (strided
        # phase reads straight from a large array were 3x slower), and any layout is accepted.
        if direct:
            rows = w[:regular].reshape(regular, f * d)
        else:
            buf = stage[: c1 - c0]
            if frame_weights is None:
                np.copyto(buf.reshape(c1 - c0, f, *trailing), w[c0:c1])
            else:  # weighted while staged: one pass over the chunk
                np.multiply(w[c0:c1].reshape(c1 - c0, f, d), frame_weights, out=buf)
            rows = buf.reshape(c1 - c0, f * d)
        for r in range(min(g, c1 - c0)):
            m = -(-(c1 - c0 - r) // g)  # windows of this phase in the chunk
            a = (c0 + r) * stride * d
            dst = flat[a : a + m * g * stride * d].reshape(m, g * stride * d)[:, : f * d]
            np.add(dst, rows[r::g], out=dst)
        # Frames before window c1's start are complete: divide them while they are in cache.
        end = min(c1 * stride, final)
        np.divide(total[done:end], count[done:end], out=total[done:end])
        done = max(done, end)
    if last is not None:
        tail = w[-1].reshape(f, d)
        total[last : last + f] += tail if frame_weights is None else tail * frame_weights[0]
    np.divide(total[done:span], count[done:span], out=total[done:span])
    return total[:length].reshape(length, *trailing).astype(w.dtype, copy=False)


def _merge_frame_major(w: np.ndarray, starts: np.ndarray, length: int, stride: int,
                       weights: np.ndarray | None) -> np.ndarray:
    """:func:`sliding_window_average` of float32/float64 windows (N, F, ...) stored frame-major
    (``w.swapaxes(0, 1)`` C-contiguous, as :class:`synsp.inference.refiner.Refiner` lays out its
    network outputs).

    Frame offset k of window i predicts frame ``i * stride + k``. Writing ``k = r + q * stride``,
    frame ``j * stride + r`` is predicted by windows ``j - q`` at offsets ``r + q * stride``, and
    in this layout those predictions lie a constant number of bytes apart: for the rows j that
    every such window reaches, the mean of residue r over a chunk of rows is one BLAS
    vector-matrix product (the weights divided by their sum beforehand) over a strided view.
    The windows are read once, with no staging copy and no separate division; the residues are
    interleaved into the output chunk by chunk, in cache. The few rows at either end, which
    fewer windows reach, are summed term by term.
    """
    n, f = w.shape[:2]
    trailing = w.shape[2:]
    d = int(np.prod(trailing, dtype=np.int64))
    blocks = np.swapaxes(w, 0, 1).reshape(f, n, d)  # a view: (frame offset, window, value)
    regular = n if starts[-1] == (n - 1) * stride else n - 1
    last = int(starts[-1]) if regular < n else None
    weight = np.ones(f) if weights is None else weights
    offsets = [np.arange(r, f, stride) for r in range(stride)]  # residue r's k = r + q * stride, q = 0, 1, ...
    shares = [(weight[k] / weight[k].sum()).astype(w.dtype) for k in offsets]
    reach = len(offsets[0])  # windows predicting one frame (residue 0 has the most offsets)
    rows = regular + reach  # rows of `stride` frames: every regular window's, and the last frames' row
    total = np.empty((rows * stride, d), dtype=w.dtype)
    out = total.reshape(rows, stride, d)
    # From offset k of window i to offset k + stride of window i - 1: a constant step in bytes.
    step = stride * blocks.strides[0] - blocks.strides[1]
    chunk = max(1, _CHUNK_BYTES // max(1, d * w.itemsize * stride))  # rows per chunk
    sums = np.empty((stride, chunk * d), dtype=w.dtype) if stride > 1 else None
    for c0 in range(reach - 1, regular, chunk):
        m = min(regular, c0 + chunk) - c0
        for r in range(stride):
            terms = as_strided(blocks[r, c0:c0 + m], shape=(len(shares[r]), m * d), strides=(step, w.itemsize),
                               writeable=False)
            np.matmul(shares[r], terms, out=total[c0:c0 + m].reshape(-1) if sums is None else sums[r, : m * d])
        if sums is not None:
            np.copyto(out[c0:c0 + m], sums[:, : m * d].reshape(stride, m, d).transpose(1, 0, 2))
    for j in [*range(min(reach - 1, rows)), *range(max(regular, reach - 1), rows)]:  # the ends' rows
        for r, k in enumerate(offsets):
            i = j - np.arange(len(k))
            seen = (i >= 0) & (i < regular)
            if not seen.any():  # frames past every regular window: the last window alone gives them
                out[j, r] = 0.0
                continue
            out[j, r] = weight[k[seen]] @ blocks[k[seen], i[seen]] / weight[k[seen]].sum()
    if last is not None:  # the end-aligned window: its weighted frames join the means already taken
        acc = w.dtype
        own = _coverage(f, rows * stride, stride, regular, None, acc, weights)[last : last + f]
        k = weight.astype(acc)[:, None]
        ends = total[last : last + f]
        ends[:] = (ends * own + k * blocks[:, -1]) / (own + k)
    return total[:length].reshape(length, *trailing)
