"""Raw pose sequences as estimators give them: gaps filled, size and unit measured.

Estimators lose joints (occlusion, a person not detected); filters and networks need every
value. Each joint's track is interpolated across its gaps, never reading a NaN, so a gap
cannot leak into its neighbours. A person's size (:func:`body_size`) tells the unit of 3D
poses (:func:`mm_per_unit`).
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.errors import OptionError
from synsp.medians import nanmedian
from synsp.sentinels import sentinel_points

__all__ = ["fill_gaps", "frames_or_seconds", "missing_mask", "not_found", "fixed_at_origin", "max_gap_frames",
           "left_missing", "body_size", "box_sides", "nan_median",
           "mm_per_unit", "UNSEEN_SHARE", "unseen_share", "pose_array"]

_METHODS = ("linear", "pchip")
ABSURD = 1e9  # a coordinate beyond this (1000 km in mm, 1e9 px) is no measurement: missing
MIN_SCORE = 0.3  # a joint an estimator scores below this is missing (``synsp refine --threshold``'s default)
# A track in which more than this share of a body model's joints is never seen (a waist-up video: no
# hips, knees or ankles in any frame) holds a body whose missing part only the gap fill's stand-ins
# make: SynSP gives way to SmoothNet there (Refiner.gives_way). Chosen on the validation split
# (benchmarks/RESULTS.md, section 4, "Waist-up video"): the feet or one arm never seen (2 of 17)
# stay with SynSP, and so does a lower body seen in a few frames (its fill holds a real pose there,
# where SynSP beat SmoothNet; the share of missing values, the first rule tried, handed those over).
UNSEEN_SHARE = 0.2


def missing_mask(x: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """(..., T, J) bool for poses (..., T, J, C): a joint is missing if any coordinate is NaN,
    infinite or absurd (beyond :data:`ABSURD` in any unit), or ``missing`` says so."""
    # float16 cannot hold ABSURD (its largest value is 65504): there only NaN and inf are absurd
    limit = min(ABSURD, float(np.finfo(x.dtype).max)) if np.issubdtype(x.dtype, np.floating) else ABSURD
    with np.errstate(invalid="ignore"):
        mask = ~(np.abs(x) <= limit).all(axis=-1)
    if missing is not None:
        m = np.asarray(missing)
        if m.shape != x.shape[:-1]:
            raise ValueError(f"missing must have shape {x.shape[:-1]} to match x {x.shape}, got shape {m.shape}")
        mask = mask | m.astype(bool)
    return mask


def unseen_share(missing: np.ndarray, lacking: np.ndarray | None = None) -> float:
    """The share (0-1) of the joints of poses with mask ``missing`` (..., T, J) bool (True: not
    measured, :func:`missing_mask`) that are missing in every frame of their sequence (never seen),
    over every sequence of the leading axes; 0.0 for an empty mask. ``lacking`` (J,) bool marks
    joints the input's layout does not have at all (Pose2Sim's 22 HALPE_26 markers: no eyes or
    ears): never seen, but no body part out of the picture, so they do not count as unseen."""
    m = np.asarray(missing, dtype=bool)
    if not m.size:
        return 0.0
    never = m.all(axis=-2)
    if lacking is not None:
        never = never & ~np.asarray(lacking, dtype=bool)
    return float(never.mean())


def not_found(x: np.ndarray) -> np.ndarray:
    """(..., T, J) bool for poses (..., T, J, C): points written for a joint not found, (0, 0) as
    :func:`_zeros_not_found` reads them, and another constant recurring off the body, e.g. (-1, -1)
    or (9999, 9999) (:func:`synsp.sentinels.sentinel_points`, the zeros' points left out)."""
    x = np.asarray(x)
    zeros = _zeros_not_found(x)
    return zeros | sentinel_points(np.where(zeros[..., None], np.nan, x) if zeros.any() else x)


def _zeros_not_found(x: np.ndarray) -> np.ndarray:
    """(..., T, J) bool for poses (..., T, J, C): the points that are exactly 0 in every coordinate
    where that joint is not 0 in most of the frames it has values in, or where the body lies
    farther from the origin than its size (:func:`body_size`, here over the other joints), the
    centroid of the frame's other joints (or the median of the sequence's centroids, for a
    frame of zeros) telling where.

    OpenPose, AlphaPose and mmpose exports write (0, 0) for a joint they did not find. The root
    of root-relative poses (the pelvis) is 0 in every frame and lies within the body, so it
    stays a point; a joint no estimator found in any frame is told by the body's place alone.
    A 3D point at (0, 0, 0) in every frame is lost in every frame once the body leaves it (a
    ground root a runner passes over is one point throughout, not one that jumps in and out).
    A sequence with no point other than 0 (an estimator that found nobody, written as zeros)
    holds no body: all its zeros are "not found".
    """
    x = np.asarray(x)
    zero = (x == 0).all(axis=-1)
    if not zero.any():
        return zero
    seen = ~zero & np.isfinite(x).all(axis=-1)
    frames = seen.any(axis=-1)  # (..., T)
    if not frames.any():
        return zero
    empty = ~frames.any(axis=-1)[..., None, None]  # (..., 1, 1): sequences with nothing but zeros
    inside = seen[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):  # frames of zeros only: their centre comes next
        centre = np.where(inside, x, 0.0).sum(axis=-2) / seen.sum(axis=-1)[..., None]  # (..., T, C)
        extent = np.where(inside, x, -np.inf).max(axis=-2) - np.where(inside, x, np.inf).min(axis=-2)
    if not frames.all():
        with warnings.catch_warnings():  # a sequence without any joint seen: NaN, nothing found far
            warnings.simplefilter("ignore", RuntimeWarning)
            typical = np.nanmedian(np.where(frames[..., None], centre, np.nan), axis=-2, keepdims=True)
        centre = np.where(frames[..., None], centre, typical)
    with np.errstate(invalid="ignore"):
        far = np.linalg.norm(centre, axis=-1) > np.median(extent.max(axis=-1)[frames])
    sporadic = zero.sum(axis=-2) < 0.5 * np.isfinite(x).all(axis=-1).sum(axis=-2)  # (..., J)
    lost = zero & (far[..., None] | sporadic[..., None, :] | empty)
    if x.shape[-1] == 3:  # a 3D point at the origin in every frame is one thing throughout: lost if the body leaves it
        lost |= zero.all(axis=-2, keepdims=True) & lost.any(axis=-2, keepdims=True)
    return lost


def fixed_at_origin(x: np.ndarray, lost: np.ndarray | None = None) -> np.ndarray:
    """(..., J) bool for poses (..., T, J, C): 3D points at (0, 0, 0) in every frame that
    :func:`not_found` reads as lost, the body lying away from them: a BVH's root joint at the
    world origin (Bandai-Namco's ``joint_Root``). They carry no motion and would pull a body's
    centroid, so they are refined as missing, and the refiners give them back as they came. Always
    False in 2D, where (0, 0) in every frame is an estimator's joint never found, and for the root
    of root-relative poses, which lies within the body and is refined as a point. ``lost``:
    ``not_found(x)`` where the caller has it already."""
    x = np.asarray(x)
    if x.shape[-1] != 3:
        return np.zeros(x.shape[:-3] + x.shape[-2:-1], bool)
    lost = (not_found(x) if lost is None else lost) & (x == 0).all(axis=-1)  # (0, 0, 0), not another sentinel
    return lost.all(axis=-2)  # lost in every frame: (0, 0, 0) throughout, the body away from it


def _fill_linear(values: np.ndarray, valid: np.ndarray, max_gap: int | None) -> np.ndarray:
    """Fill columns of ``values`` (T, M, C) where ``valid`` (T, M) is False.

    Each missing frame takes the straight line between the previous and next valid frame of
    its column; before the first or after the last valid frame, that frame's value is held.
    Columns without any valid frame are left NaN. Fully vectorised: the previous/next valid
    index of every frame comes from a running max/min over the frame axis.
    """
    t = values.shape[0]
    frames = np.arange(t)[:, None]
    prev = np.maximum.accumulate(np.where(valid, frames, -1), axis=0)  # (T, M)
    nxt = np.minimum.accumulate(np.where(valid, frames, t)[::-1], axis=0)[::-1]
    has_prev, has_next = prev >= 0, nxt < t
    lo = np.where(has_prev, prev, nxt).clip(0, t - 1)
    hi = np.where(has_next, nxt, prev).clip(0, t - 1)
    # values[lo[t, m], m] by np.take on the (T * M, C) rows: take_along_axis' values, ~5 x faster on
    # a clip (fill_gaps runs several times per clip a stream measures, per person and frame)
    rows, columns = values.reshape(-1, values.shape[-1]), np.arange(values.shape[1])[None, :]
    v_lo = np.take(rows, lo * values.shape[1] + columns, axis=0)  # (T, M, C)
    v_hi = np.take(rows, hi * values.shape[1] + columns, axis=0)
    span = np.maximum(hi - lo, 1)
    frac = ((frames - lo) / span).clip(0.0, 1.0)[..., None]
    filled = v_lo + frac * (v_hi - v_lo)
    out = np.where(valid[..., None], values, filled)
    out[~(has_prev | has_next)] = np.nan
    if max_gap is not None:
        # Run length of the gap holding each missing frame (ends: up to the sequence edge).
        start = np.where(has_prev, prev + 1, 0)
        stop = np.where(has_next, nxt, t)
        too_long = ~valid & (stop - start > max_gap)
        out[too_long] = np.nan
    return out


def _fill_pchip(values: np.ndarray, valid: np.ndarray, max_gap: int | None) -> np.ndarray:
    """Like :func:`_fill_linear` but shape-preserving cubic (PCHIP) inside gaps."""
    from scipy.interpolate import PchipInterpolator

    out = _fill_linear(values, valid, max_gap)  # ends held, long gaps and empty columns handled
    frames = np.arange(values.shape[0])
    for m in range(values.shape[1]):
        ok = valid[:, m]
        if ok.all() or ok.sum() < 3:
            continue  # nothing to fill, or too few points for a cubic: keep the linear fill
        first, last = frames[ok][0], frames[ok][-1]
        inner = ~ok & (frames > first) & (frames < last) & ~np.isnan(out[:, m]).any(-1)
        if inner.any():
            out[inner, m] = PchipInterpolator(frames[ok], values[ok, m], axis=0)(frames[inner])
    return out


def frames_or_seconds(text: int | float | str) -> tuple[float, bool]:
    """A span written as frames (``15``, ``"15"``) or seconds (``"0.5s"``): (value, in seconds);
    ``ValueError`` if it is neither (the callers name the option in their own message)."""
    text = str(text).strip().lower()
    seconds = text.endswith("s")
    return float(text[:-1] if seconds else text), seconds


def max_gap_frames(max_gap: int | float | str | None, fps: float | None = None) -> int | None:
    """A gap limit in frames, from frames (``15``, ``"15"``) or seconds (``"0.5s"``, at ``fps``).

    Returns None for None (no limit). Raises ``ValueError`` for a negative or unreadable
    limit, or seconds without a frame rate.
    """
    if max_gap is None:
        return None
    try:
        value, seconds = frames_or_seconds(max_gap)
    except ValueError:
        raise OptionError(f"max_gap must be frames (15) or seconds (0.5s), got {max_gap!r}") from None
    if not 0 <= value < np.inf or (not seconds and value != int(value)):
        raise OptionError(f"max_gap must be a whole number of frames >= 0 or seconds (0.5s), got {max_gap!r}")
    if seconds and (fps is None or not fps > 0):
        raise OptionError(f"max_gap {max_gap!r} is in seconds but the frame rate is unknown; give fps (--fps) "
                          "or the gap in frames")
    frames = value * fps if seconds else value
    return int(round(frames))


def true_runs(column: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a (T,) bool column: frames start .. stop - 1."""
    ends = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(column, np.int8), [0]])))
    return list(zip(ends[::2].tolist(), ends[1::2].tolist()))


def left_missing(missing: np.ndarray, max_gap: int | None = None) -> np.ndarray:
    """Where a missing joint is not to be filled in an output: its gap is longer than
    ``max_gap`` frames (runs at either end count to the sequence's edge), or the joint is
    missing in every frame (never seen, so nothing says where it is).

    Parameters
    ----------
    missing : bool (..., T, J), True where a joint was not measured (see :func:`fill_gaps`).
    max_gap : frames, or None for no limit (then only never-seen joints are left missing).

    Returns
    -------
    bool (..., T, J), True where the joint stays missing (NaN).
    """
    m = np.asarray(missing, dtype=bool)
    never = np.broadcast_to(m.all(axis=-2, keepdims=True), m.shape)
    if max_gap is None or not m.any():
        return never.copy()
    # _fill_linear leaves exactly the too-long gaps NaN; one coordinate is enough to find them
    t, j = m.shape[-2:]
    valid = np.moveaxis(~m.reshape(-1, t, j), 1, 0).reshape(t, -1)
    filled = _fill_linear(np.zeros(valid.shape + (1,)), valid, max_gap)[..., 0]
    too_long = np.moveaxis(np.isnan(filled).reshape(t, -1, j), 0, 1).reshape(m.shape)
    return too_long | never


def pose_array(x: np.ndarray) -> np.ndarray:
    """``x`` as an array, checked to be a non-empty (T, J, C) or (V, T, J, C) one (any (..., T, J, C)): a
    ValueError naming its shape otherwise (the gap fill's and the classic filters' input check)."""
    a = np.asarray(x)
    if a.ndim < 3 or 0 in a.shape:
        raise ValueError(f"x must be a non-empty (T, J, C) or (V, T, J, C) array, got shape {a.shape}")
    return a


def fill_gaps(
    x: np.ndarray, missing: np.ndarray | None = None, *, max_gap: int | str | None = None, method: str = "linear",
    fps: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing joints of a pose sequence by interpolation over time.

    Parameters
    ----------
    x : (T, J, C) or (V, T, J, C) array (any (..., T, J, C)), any unit. NaN marks a missing
        value; a joint with a NaN in any coordinate is missing as a whole.
    missing : optional bool mask of shape x.shape[:-1], i.e. (T, J) or (V, T, J); True marks
        a joint as missing even if it holds numbers (e.g. a low-confidence detection). Its
        union with the NaN entries is what gets filled.
    max_gap : if given, gaps longer than this many frames (including runs at either end),
        or seconds as a string ``"0.5s"`` (needs ``fps``), are left NaN so the caller can
        decide; by default every gap is filled.
    method : "linear" (default) or "pchip" (shape-preserving cubic inside gaps; the ends and
        joints with fewer than three valid frames fall back to linear).
    fps : frame rate in Hz, for ``max_gap`` in seconds.

    Returns
    -------
    filled : array of the same shape and floating dtype as ``x``. Inside a gap, each
        coordinate is interpolated between the last valid frame before and the first after;
        before the first or after the last valid frame the nearest valid value is held.
        A joint missing in every frame sits at the centroid of that frame's other (filled)
        joints, i.e. zero offset from the body's centre; if every joint of a sequence is
        always missing, the sequence is zeros. (This is input for refiners, which need every
        value; :func:`left_missing` says which values an output should not claim to know.)
    missing_mask : bool array of shape x.shape[:-1], True where the input was missing.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0]], [[np.nan]], [[2.0]]])  # T=3, J=1, C=1
    >>> fill_gaps(x)[0].ravel().tolist()
    [0.0, 1.0, 2.0]
    """
    a = pose_array(x)
    if isinstance(max_gap, str):
        max_gap = max_gap_frames(max_gap, fps)
    if max_gap is not None and (not isinstance(max_gap, (int, np.integer)) or max_gap < 0):
        raise ValueError(f"max_gap must be a non-negative int, a string of seconds ('0.5s') or None, got {max_gap!r}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    mask = missing_mask(a, missing)
    if not mask.any():
        return a.copy(), mask

    t, j, c = a.shape[-3:]
    lead = a.shape[:-3]
    # (T, M, C) with M = every (sequence, joint) column, so one call fills them all.
    seq = np.moveaxis(a.reshape(-1, t, j, c), 1, 0).reshape(t, -1, c)
    valid = np.moveaxis(~mask.reshape(-1, t, j), 1, 0).reshape(t, -1)
    fill = _fill_pchip if method == "pchip" else _fill_linear
    out = fill(seq, valid, max_gap)
    out = np.moveaxis(out.reshape(t, -1, j, c), 0, 1)  # (S, T, J, C)

    never = ~valid.any(axis=0).reshape(-1, j)  # (S, J): joints without a single valid frame
    if never.any() and (max_gap is None or max_gap >= t):  # else its gap (all T frames) stays NaN
        usable = ~never[:, None, :, None] & ~np.isnan(out)  # (S, T, J, C); max_gap may leave NaN
        n_seen = usable.sum(axis=2, keepdims=True)
        total = np.where(usable, out, 0.0).sum(axis=2, keepdims=True)
        centroid = np.where(n_seen > 0, total / np.maximum(n_seen, 1), 0.0)  # (S, T, 1, C)
        out = np.where(never[:, None, :, None], centroid, out)
    return out.reshape(*lead, t, j, c).astype(a.dtype, copy=False), mask


def sorted_median(x: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.median(x, axis)`` of a floating array, the same values (NaN for a slice holding one), by
    one sort: numpy's median spends some 10 us in Python around its partition, which the small
    arrays a stream measures per person and frame (body sizes, glitches) feel."""
    x = np.asarray(x)
    if axis is None:
        x, axis = x.ravel(), 0
    n = x.shape[axis]
    if not n or x.dtype.kind != "f":
        return np.median(x, axis=axis)
    ordered = np.sort(x, axis=axis)  # NaN sorts last
    if axis % x.ndim:
        ordered = np.moveaxis(ordered, axis, 0)
    mid = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2  # np.median's mean of the two
    last = np.isnan(ordered[-1])
    out = np.where(last, np.nan, mid).astype(x.dtype, copy=False) if last.any() else np.asarray(mid, x.dtype)
    return out[()] if out.ndim == 0 else out


def nan_median(x: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.nanmedian(x, axis)`` of ``x`` read as float64, without a warning for all-NaN slices (they give NaN):
    :func:`synsp.medians.nanmedian` (numpy's nan-median sorts masked arrays, ~0.5 ms a call on the small arrays
    that streams measure at every frame)."""
    x = np.asarray(x, np.float64)
    out = nanmedian(x.ravel(), axis=0) if axis is None else nanmedian(x, axis=axis)
    return out[()] if out.ndim == 0 else out


def box_sides(poses: np.ndarray) -> np.ndarray:
    """(..., T, C) the sides of each frame's bounding box of ``poses`` (..., T, J, C) without NaN:
    ``poses.max(axis=-2) - poses.min(axis=-2)``, the same values (a maximum rounds nothing), read
    with the joints innermost: numpy reduces a middle axis over an inner one of 2 or 3 coordinates
    element by element, about 20 us for 64 frames of 17 joints against 4 (a stream asks per person
    and frame)."""
    x = np.swapaxes(np.asarray(poses), -1, -2).copy()
    return x.max(axis=-1) - x.min(axis=-1)


def body_size(poses: np.ndarray) -> float:
    """A person's size in the poses' unit: the median over frames of the largest side of the
    joints' bounding box, for (..., T, J, C) poses. NaN joints are ignored; NaN if none is finite."""
    x = np.asarray(poses)
    if np.isfinite(x).all():  # numpy's nan-functions cost several times the plain ones (a stream asks every frame)
        return float(sorted_median(box_sides(x).max(axis=-1))) if x.size else np.nan
    with warnings.catch_warnings():  # all-NaN frames are expected (a person not detected)
        warnings.simplefilter("ignore", RuntimeWarning)
        extent = np.nanmax(x, axis=-2) - np.nanmin(x, axis=-2)  # (..., T, C)
        return float(nan_median(np.nanmax(extent, axis=-1)))


def body_sizes(poses: np.ndarray) -> np.ndarray:
    """:func:`body_size` of each person (each leading index) of ``poses`` (..., T, J, C); shaped
    ``poses.shape[:-3]``."""
    poses = np.asarray(poses)
    flat = poses.reshape(-1, *poses.shape[-3:])
    return np.array([body_size(person) for person in flat]).reshape(poses.shape[:-3])


def mm_per_unit(poses: np.ndarray) -> float:
    """Guess the unit of 3D poses (..., T, J, 3) from the body's size: 1000 for metres, 10 for
    centimetres, 1 for millimetres.

    A person measures 0.3-2.5 m in any posture (:func:`body_size`), so a size below 30 means
    metres, below 300 centimetres. NaN joints are ignored; no finite joint gives 1.
    """
    size = body_size(poses)
    if not np.isfinite(size) or size >= 300:
        return 1.0
    return 1000.0 if size < 30 else 10.0
