"""Glitches: a joint that leaves the body for one or two frames and comes back.

Estimators put a joint somewhere else for a frame or two (on another person, on the other
wrist, on the background); every smoother then spreads that excursion over the frames around
it. Such a value is no measurement, so it is marked missing before the refinement and filled
like a gap. A run of ``k`` frames (1 or 2) of joint ``j`` is a glitch when, in every frame of it:

- the joint lies more than :data:`GLITCH_SIZE` body sizes from the straight line between its
  positions just before and just after the run, and further from it than those two positions
  lie from each other (it went away and came back: fast real motion does not turn round in a
  frame by that much), and :data:`GLITCH_NOISE` times further than the joint strays from that
  line in a median frame around the run (heavy noise strays far too, but everywhere it lasts):
  the larger of its median over the :data:`NOISE_SPAN` frames before the run and over those after;
- and one of its bones changes length by more than :data:`GLITCH_BONE` of that bone's median
  length, against the line between the frames around the run (a moving limb keeps its bones).

Thresholds were set on the validation split (benchmarks/RESULTS.md, section 4, "Glitches"): no
value of a clean clip is marked, in 2D or 3D, played up to three times as fast (146,251 joint
values at the mocap's pace); 90 % (2D) and 96 % (3D) of single-frame spikes (2 % of values off
by 300 mm or 75 px per coordinate) are found; 50 mm white noise loses nothing to the step. The
bone share is the lowest of its grid (0.3, 0.2, 0.15), each gaining a little on spikes at no cost.
The size was 0.05 body sizes at first, which let smaller outliers through: in 2D, 1 % of values off
by 40 px per coordinate on a person ~430 px tall (`benchmarks/robustness.py --space 2d --split val
--max-clips 30`) came out at 1.304 x the input's error, and a whole body 20 px off its path for 2
frames at 1.758. At 0.02 they come out at 0.438 and 0.457 (SmoothNet 0.490 and 0.532), every other
row of that benchmark within 0.005, in 2D and 3D; clean validation clips played up to three times
as fast still have nothing marked, and `typical`, `jitter` and `hard` gained by 0.0001-0.0023 x
input (RESULTS section 4, "Smaller outliers").

The whole body can leave its path too, every bone kept (:func:`body_jumps`: a detector's box that
jumped); the same three tests on the median of the joints' excursions tell it, with the same
thresholds. On validation (every 4th clip) they mark no frame of clean clips, clean clips three
times as fast, 50 mm white noise, `jitter`, `typical` or `synthetic` input or a body wobbling by
10 mm in every frame, in 2D and 3D, and one frame of `hard` input in 3D; moved back, two 2-frame
jumps per clip took SynSP on 2D `jitter` input from 0.830 to 0.779 x input (RESULTS section 4,
"Whole-body jumps").

The median stray was the clip's at first; noise whose level changes within a clip (1 px with bursts of 10 px
for 1-2 s: motion blur, an occluder, a turn) then had its bursts' ordinary values taken for glitches and filled
from their equally noisy neighbours (a user audit, audit 11: 999 of a walk's 2,431 burst values). Read over the
second before the run and the second after, the larger of the two (a run at a burst's edge has a calm side), a
burst's values stay measurements; a second on either side, not a window around the run, so a burst of 1 s or more
is read at its own level from its first frame to its last (benchmarks/RESULTS.md, section 4, "Noise in bursts").
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median

__all__ = ["GLITCH_SIZE", "GLITCH_BONE", "GLITCH_NOISE", "MAX_RUN", "FOREIGN_POSE", "FOREIGN_SHARE", "glitches",
           "body_jumps", "foreign_poses", "far_off_path"]

GLITCH_SIZE = 0.02  # body sizes (the bounding box's largest side)
GLITCH_BONE = 0.15  # share of the bone's median length
GLITCH_NOISE = 5.0  # times the joint's median stray around the run
MAX_RUN = 2  # frames
# A jump's frames moved back whose pose strays from the line between the frames around more than FOREIGN_POSE times
# it does around them (its upper quartile over the joints: the limbs, most of a body, carry a pose) are another
# person's, refined as gaps (foreign_poses). Validation (benchmarks/id_swaps.py's pairs, ids swapped for 1-2 frames;
# the whole body shifted for 2 frames as benchmarks/robustness.py shifts it): shifted 0.0-1.3, another's 1.4-26.
FOREIGN_POSE = 2.0
FOREIGN_SHARE = 0.75  # the quantile over the joints read
NOISE_SPAN = 30  # frames before, and after, a run over which its joint's median stray is read (1 s at 30 fps)
_CHUNK = 2048  # frames of windows read at once (bounds the memory of a long clip's windows)


def glitches(poses: np.ndarray, bones: Sequence[tuple[int, int]]) -> np.ndarray:
    """Where the joints of ``poses`` glitch (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values (never part of a glitch).
    bones : (a, b) joint index pairs of the poses' layout.

    Returns
    -------
    (T, J) bool array, True on the values of a glitch.
    """
    x = np.asarray(poses, np.float64)
    t_count, j_count = x.shape[:2]
    marked = np.zeros((t_count, j_count), dtype=bool)
    size = body_size(x)
    if not bones or not np.isfinite(size) or size <= 0:
        return marked
    pairs = np.asarray(bones, dtype=int)
    ends = np.zeros((len(pairs), j_count), dtype=bool)  # (B, J): each bone's two joints
    ends[np.arange(len(pairs)), pairs[:, 0]] = ends[np.arange(len(pairs)), pairs[:, 1]] = True
    lengths = np.linalg.norm(x[:, pairs[:, 0]] - x[:, pairs[:, 1]], axis=-1)  # (T, B)
    typical = nan_median(lengths, axis=0)  # (B,); NaN for a bone never seen
    unbent = []  # per run length: (run of stray frames whose bones kept, each frame's offsets), for the pass below
    for k in range(1, MAX_RUN + 1):
        if t_count < k + 2:
            break
        step, offsets = _off_line(x, k)
        span = np.linalg.norm(step, axis=-1)  # (N, J)
        run = np.ones(span.shape, dtype=bool)
        strays = np.ones(span.shape, dtype=bool)
        for offset, stretch in zip(offsets, _off_line(lengths, k)[1]):
            away = np.linalg.norm(offset, axis=-1)
            stretched = np.abs(stretch) > GLITCH_BONE * typical
            bent = stretched @ ends  # (N, J): one of the joint's bones stretched (a boolean product: any)
            strays &= _stray_runs(away, span, size)  # against how far the joint strays anyway around the run
            run &= bent
        run &= strays
        for i in range(k):
            marked[1 + i: t_count - k + i] |= run
        unbent.append((strays & ~run, offsets))
    if any(s.any() for s, _ in unbent) and marked.any():
        marked |= _beside(x, marked, unbent, pairs, typical)
    return marked


def _beside(x: np.ndarray, marked: np.ndarray, unbent: list, pairs: np.ndarray, typical: np.ndarray) -> np.ndarray:
    """(T, J) bool: runs of poses ``x`` (T, J, C) whose joint strayed as a glitch does (``unbent``, per run length
    k: (N, J) bool, and its frames' offsets from the line, ``_off_line``) with its bones kept, but beside a glitch
    ``marked`` (T, J): a bone to a neighbour marked in the same frame is stretched by more than :data:`GLITCH_BONE`
    once that neighbour stands on its own line (where it is filled). An elbow and wrist clamped together to the
    picture's edge keep their forearm, and the wrist was kept (2D, 75 px off after SynSP; benchmarks/RESULTS.md,
    section 4, "Joints on the picture's edge: what was left")."""
    t_count, j_count = marked.shape
    out = np.zeros_like(marked)
    a, b = pairs[:, 0], pairs[:, 1]
    at_a, at_b = (np.eye(j_count, dtype=bool)[ends] for ends in (a, b))  # (B, J): each bone's first, second joint
    limit = GLITCH_BONE * typical
    for k, (strays, offsets) in enumerate(unbent, start=1):
        if not strays.any():
            continue
        run = strays.copy()
        for i, offset in enumerate(offsets):
            frames = x[1 + i: t_count - k + i]  # (N, J, C): the run's i-th frame
            line = frames - offset  # where each joint is on its line
            near = marked[1 + i: t_count - k + i]  # (N, J)
            on_line = np.linalg.norm(line[:, a] - line[:, b], axis=-1)  # (N, B): the bone's length on the line
            # clamped together: the two hold one value on an axis (the edge's), which no noise gives
            same = (frames[:, a] == frames[:, b]).any(-1)  # (N, B)
            b_off = near[:, a] & same & (np.abs(np.linalg.norm(frames[:, b] - line[:, a], axis=-1) - on_line) > limit)
            a_off = near[:, b] & same & (np.abs(np.linalg.norm(frames[:, a] - line[:, b], axis=-1) - on_line) > limit)
            run &= (b_off @ at_b) | (a_off @ at_a)  # a boolean product: any of the joint's bones
        for i in range(k):
            out[1 + i: t_count - k + i] |= run
    return out


def body_jumps(poses: np.ndarray) -> np.ndarray:
    """How far the whole body left its path for a frame or two and came back (a person detector's
    box that jumped, a tracker that followed someone else for a frame): per frame, the median over
    the joints of each one's distance from the straight line between its positions just before and
    just after, where that median move passes a glitch's three tests (module docstring) and no
    bone needs to stretch. A single joint's glitch hardly moves the median; real motion does not
    move a whole body off its path by a twentieth of its size in a frame.

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values.

    Returns
    -------
    (T, C) array: the body's excursion in each frame, zero where it kept to its path; subtract it
    from every joint to move the body back.
    """
    x = np.asarray(poses, np.float64)
    t_count = len(x)
    offsets = np.zeros((t_count, x.shape[-1]))
    size = body_size(x)
    if not np.isfinite(size) or size <= 0:
        return offsets
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a joint seen twice
        for k in range(1, MAX_RUN + 1):
            if t_count < k + 2:
                break
            step, excursions = _off_line(x, k)
            span = np.linalg.norm(nan_median(step, axis=1), axis=-1)  # (N,): the body's own move
            moves = [nan_median(excursion, axis=1) for excursion in excursions]  # (N, C) each, over the joints
            run = np.ones(len(span), dtype=bool)
            for move in moves:
                away = np.linalg.norm(move, axis=-1)  # (N,)
                run &= _stray_runs(away, span, size)
            for i, move in enumerate(moves):
                offsets[1 + i: t_count - k + i][run] = np.nan_to_num(move[run])
    return offsets


def foreign_poses(poses: np.ndarray, jumped: np.ndarray, factor: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which frames of a whole-body jump hold another pose than the frames around it (a tracker that followed
    the person beside for a frame or two: moved back onto the path, the body is still the other person's).

    Parameters
    ----------
    poses : (T, J, C) array, the jumps already moved back (:func:`body_jumps`), any unit; NaN for missing values.
    jumped : (T,) bool, the frames :func:`body_jumps` moved.

    Returns
    -------
    (T,) bool, and (T,) float: per frame of a jump, the upper quartile (:data:`FOREIGN_SHARE`) over the joints of
    each one's distance from the straight line between its positions just before and just after the jump, over the
    same quartile in the frames around (:func:`_usual_stray`); zero elsewhere. True where it is more than
    :data:`FOREIGN_POSE` (``factor``).
    """
    x = np.asarray(poses, np.float64)
    ratio = np.zeros(len(x))
    t = np.flatnonzero(jumped)
    if not len(t):
        return ratio > 0, ratio
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for run in np.split(t, np.flatnonzero(np.diff(t) > 1) + 1):
            k, start = len(run), run[0]
            if start == 0 or run[-1] + 1 >= len(x) or k > MAX_RUN:
                continue
            low = max(start - 1 - NOISE_SPAN - MAX_RUN, 0)  # the run's seconds around it, read alone
            near = x[low: start + k + NOISE_SPAN + MAX_RUN + 1]
            at = start - 1 - low  # the run's index among ``near``'s runs of k frames
            for i, excursion in enumerate(_off_line(near, k)[1]):
                away = np.nanquantile(np.linalg.norm(excursion, axis=-1), FOREIGN_SHARE, axis=1)  # (N,)
                # the runs through the jump's frames are left out of the usual stray
                usual = _usual_stray(np.where(np.abs(np.arange(len(away)) - at) <= k, np.nan, away))
                ratio[start + i] = away[at] / usual[at]
    return ratio > (FOREIGN_POSE if factor is None else factor), ratio


def far_off_path(poses: np.ndarray, size: float) -> np.ndarray:
    """Which frames could be part of a glitch or a whole-body jump: those where some joint lies
    more than :data:`GLITCH_SIZE` times ``size`` from the straight line between its positions
    just before and just after a run of up to :data:`MAX_RUN` frames through the frame (the
    first of a glitch's tests, and, for the median joint, of a jump's). A frame where it is False
    is neither, so a stream measures only the frames where it is True (or that miss a joint).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN joints are never off their path.
    size : the body's size in that unit (:func:`synsp.sequence.body_size` of the clip).

    Returns
    -------
    (T,) bool array.
    """
    x = np.asarray(poses, np.float64)
    far = np.zeros(len(x), dtype=bool)
    limit = GLITCH_SIZE * size
    with np.errstate(invalid="ignore"):  # once: a stream asks per person and frame
        for k in range(1, MAX_RUN + 1):
            if len(x) < k + 2:
                break
            for i, offset in enumerate(_off_line(x, k)[1]):
                # np.linalg.norm's own arithmetic (the square root of the summed squares) without its checks
                far[1 + i: len(x) - k + i] |= (np.sqrt(np.add.reduce(offset * offset, axis=-1)) > limit).any(axis=-1)
    return far


def _off_line(x: np.ndarray, k: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """For every run of ``k`` frames of ``x`` (T, ...) with a frame before and after it (runs
    starting at frames 1 .. T-k-1): the move from the frame before to the frame after (N, ...), and
    each of the run's frames' offset from the straight line between those two (``k`` arrays (N, ...))."""
    t_count = len(x)
    before, after = x[: t_count - k - 1], x[k + 1:]
    return after - before, [x[1 + i: t_count - k + i] - (before + (i + 1) / (k + 1) * (after - before))
                            for i in range(k)]


def _stray_runs(away: np.ndarray, span: np.ndarray, size: float) -> np.ndarray:
    """A glitch's three tests (module docstring) on distances ``away`` (N, ...) from the line between the frames
    around a run: more than :data:`GLITCH_SIZE` body sizes, more than those frames lie apart (``span``) and
    :data:`GLITCH_NOISE` times the usual stray (:func:`_usual_stray`), that one read only where the first two pass
    (its sliding medians are most of a stream's glitch test)."""
    near = (away > GLITCH_SIZE * size) & (away > span)
    if not near.any():
        return near
    return near & (away > GLITCH_NOISE * _usual_stray(away, near))


def _usual_stray(away: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
    """How far a joint strays anyway around each run, ``away`` (N, ...) -> same: the larger of its
    median over the :data:`NOISE_SPAN` frames before the run and over those after it, each read only where
    it holds more than half its span's values (near a clip's end the run's own excursion and its neighbours',
    a glitch's, would be most of a short span); the clip's median where neither does. NaN ignored. ``where`` ((N, ...)
    bool): read there only, NaN elsewhere."""
    n, w = len(away), NOISE_SPAN
    pad = np.full((w, *away.shape[1:]), np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, away, pad]), w + 1, axis=0)
    if where is not None:  # (N, ...) bool: read there only, NaN elsewhere
        at = np.nonzero(where)
        local = np.full(away.shape, np.nan)
        local[at] = np.fmax(*(_window_medians(windows[(at[0] + shift, *at[1:])]) for shift in (0, w)))
        short = np.isnan(local) & where
    else:
        medians = np.concatenate([_window_medians(windows[i: i + _CHUNK]) for i in range(0, n + w, _CHUNK)])
        local = np.fmax(medians[:n], medians[w:])  # the span ending at each run, the span starting at it
        short = np.isnan(local)
    if short.any():
        local[short] = np.broadcast_to(nan_median(away, axis=0), away.shape)[short]
    return local


def _window_medians(windows: np.ndarray) -> np.ndarray:
    """(..., W) -> (...): each window's median over its values that are not NaN, by one sort (NaN sorts
    last): np.nanmedian's values without its per-slice work; NaN where half the window or less is seen."""
    ordered = np.sort(windows, axis=-1)
    seen = np.count_nonzero(~np.isnan(windows), axis=-1)[..., None]
    low = np.take_along_axis(ordered, np.maximum(seen - 1, 0) // 2, axis=-1)
    high = np.take_along_axis(ordered, np.minimum(seen // 2, windows.shape[-1] - 1), axis=-1)
    return np.where(2 * seen > windows.shape[-1], (low + high) / 2, np.nan)[..., 0]
