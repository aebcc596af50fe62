"""Refine tracks whose frames are unevenly spaced in time (a phone's variable frame rate, dropped frames).

The refiners take frames as evenly spaced: a network's window, a filter's cut-off and every
velocity are in frames. A TRC's Time column (Pose2Sim, Sports2D on a phone's video), or a CSV's
``time`` column, can say otherwise: steps 25 to 45 ms, gaps where frames were dropped. :func:`refine_tracks_at`
resamples such tracks onto an even grid (:func:`even_grid`; the resampler of
:mod:`synsp.inference.frame_rate`), refines them there (:func:`synsp.refining.tracks.refine_tracks`)
and interpolates the result back to the file's own times, so the file keeps its frames and its
Time column. Evenly spaced frames go to ``refine_tracks`` as they are. What it gains:
benchmarks/RESULTS.md, section 11 ("Uneven times").

A frame column that skips numbers (a CSV's or DeepLabCut's rows dropped by the estimator or the
user: frames 0, 1, 2, 5, 6, ...) is the same case: the frame numbers are times at the file's fps
(:func:`file_times`), and steps that are whole multiples of the median step put the grid on every
frame number (:func:`even_grid`), so the refiner sees the video's own rate, the kept rows' values as they are
and a gap (NaN) at each skipped number; the output keeps the file's rows and frame numbers.

A file with neither column (an npz, a JSON of frames, a CSV of joints alone) can still miss frames the capture
skipped: where a moving body steps over two frame intervals at once (:mod:`synsp.refining.dropped_frames`, read over
every track: a skipped frame is everyone's), :func:`refine_file_tracks` refines the tracks at the capture's frame
numbers, as a frame column that skips them (a gap at each drop), so the file keeps its frames.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.interpolate import CubicSpline

from synsp.errors import FPS_RANGE
from synsp.formats.posedata import PoseData
from synsp.inference.frame_rate import resample
from synsp.refining.clock_cuts import file_cuts, nearest_frames, pieces
from synsp.refining.dropped_frames import capture_times, drop_note, dropped_in_tracks
from synsp.refining.tracks import ASSUMED_FPS, RefinedTracks, refine_tracks
from synsp.sequence import fill_gaps

# Steps that differ by more than this share of their median are uneven: a Time column rounded to
# the millisecond (30 fps: 33 and 34 ms, 3 %) stays under it, a phone's variable rate does not.
UNEVEN = 0.25
# The grid's step is the file's mean step (as many grid frames as the file has), or the shortest
# median step over any RATE_WINDOW_S where that is under FASTER times it (a part filmed faster, a
# phone switching to 60 fps): no such part is thinned out. Validation (benchmarks/uneven_times.py,
# SynSP, +-30 % steps, 5 % dropped), MPJPE / Accel at the file's times, jitter preset: the mean step
# 8.89 / 2.99 mm, the median step 9.07 / 3.12, the shortest 1 s median (31 fps here) 9.27 / 3.24.
RATE_WINDOW_S = 1.0
FASTER = 0.8
# Readers whose ``extra["frame_ids"]`` are the video's frame numbers, rows of a table that a user or
# the estimator may drop (SLEAP's frames are every frame of the video: never skipped; COCO's image
# ids and mmpose's frame_id need not be frame numbers).
FRAME_NUMBERED = ("csv", "dlc")
# Steps within this share of the median step of a whole multiple of it are frames dropped from an
# even rate (a Time column to 0.1 ms at 30 fps: 0.3 %): the grid is every multiple (each frame).
ON_LATTICE = 0.05


def file_times(data: PoseData) -> np.ndarray | None:
    """The per-frame times (T,) in seconds a reader gave (:func:`column_times`) when they are uneven
    (:func:`uneven_column`); None when the file gives none, or they are even, or not all finite and increasing."""
    times = column_times(data)
    return None if times is None else uneven_column(times, _reader_fields(data).get("time_decimals"))


def column_times(data: PoseData) -> np.ndarray | None:
    """The per-frame times (T,) in seconds as the file has them, even or not (``extra[format]["times"]``: a
    TRC's Time column; for the ``FRAME_NUMBERED`` formats the frame numbers ``extra["frame_ids"]`` at
    ``data.fps``, or ``ASSUMED_FPS``); None when the file gives none, or not one a frame. The summary's
    ``cuts:`` line says these, so a clock that starts at 5 s reads alike even or uneven."""
    given = _reader_fields(data)
    times = given.get("times")
    if times is None and data.format in FRAME_NUMBERED and data.extra.get("frame_ids") is not None:
        ids = data.extra["frame_ids"]
        if not all(isinstance(i, (int, float, np.integer, np.floating)) and not isinstance(i, bool) for i in ids):
            return None  # image paths (DeepLabCut's labelled frames): no times
        times = np.asarray(ids, dtype=np.float64) / (data.fps or ASSUMED_FPS)
    if times is None or len(times) != data.poses.shape[1]:
        return None
    return np.asarray(times, dtype=np.float64)


def uneven_column(times: np.ndarray, decimals: int | None = None) -> np.ndarray | None:
    """``times`` (T,) s, a column of frames' times, when they are uneven (:func:`uneven`) and not even times written
    to ``decimals`` digits (30 fps to 0.01 s: steps of 30 and 40 ms); None for even ones, fewer than 4, or times not
    all finite and increasing (no time to resample by). Shared by a file's (:func:`file_times`) and a DataFrame's
    (:func:`synsp.integrations.pandas.refine_dataframe`), so one column reads alike in both."""
    if len(times) < 4 or not np.isfinite(times).all() or not (np.diff(times) > 0).all() or not uneven(times):
        return None
    index = np.arange(len(times))
    line = np.polyval(np.polyfit(index, times, 1), index)
    # an even clock rounded to the digits is within half a digit of its own line, but up to 0.55 of a digit from the
    # least-squares line (29.97, 24 or 120 fps to 0.01 s: read as jitter at half a digit): a whole digit of slack
    if decimals is not None and np.abs(times - line).max() <= 10.0 ** -decimals:
        return None
    return times


def uneven(times: np.ndarray) -> bool:
    """Whether the steps of ``times`` (T,) s differ by more than ``UNEVEN`` of their median."""
    steps = np.diff(times)
    return bool(steps.max() - steps.min() > UNEVEN * np.median(steps))


def on_lattice(times: np.ndarray) -> bool:
    """Whether every step of ``times`` (T,) s is a whole multiple of the median step (to
    ``ON_LATTICE`` of it): frames dropped from an even rate, e.g. a frame column 0, 1, 2, 5, 6."""
    steps = np.diff(times) / np.median(np.diff(times))
    return bool((np.abs(steps - np.round(steps)) <= ON_LATTICE).all() and (np.round(steps) >= 1).all())


def even_grid(times: np.ndarray) -> np.ndarray:
    """An even grid (N,) s from the first time to the last (both on it): every multiple of the
    median step when the steps are whole multiples of it (:func:`on_lattice`: each frame of the
    video, dropped ones included), else as many frames as ``times`` (T,) s, or more where a part
    of the file was filmed faster (the shortest median step over any ``RATE_WINDOW_S`` under
    ``FASTER`` times the mean step: that step, rounded down so that the span holds a whole
    number of steps)."""
    steps = np.diff(times)
    if on_lattice(times):
        return np.linspace(times[0], times[-1], int(round((times[-1] - times[0]) / np.median(steps))) + 1)
    step = float(times[-1] - times[0]) / len(steps)
    window = max(3, int(round(RATE_WINDOW_S / step)))
    if len(steps) > window:
        fast = float(np.median(np.lib.stride_tricks.sliding_window_view(steps, window), axis=1).min())
        if fast < FASTER * step:
            return np.linspace(times[0], times[-1], int(np.ceil((times[-1] - times[0]) / fast - 1e-9)) + 1)
    return np.linspace(times[0], times[-1], len(times))


def to_grid(poses: np.ndarray, times: np.ndarray, grid: np.ndarray, max_gap: int | None,
            cuts: list[np.ndarray] | None = None) -> np.ndarray:
    """Tracks ``poses`` (V, T, J, C), NaN where missing, sampled at ``times`` (T,) s, resampled
    at ``grid`` (N,) s: (V, N, J, C). A grid point is missing where the input's nearest frame
    is, and half a median step or more inside a step of ``times`` longer than ``max_gap`` + 1.5
    median steps (more than ``max_gap`` frames dropped, with slack for the steps' jitter: left
    missing, as a gap that long would be; None: every dropped frame is bridged). ``cuts``: per track
    the file frames it cut at (:func:`synsp.refining.clock_cuts.file_cuts`), each piece resampled alone."""
    missing = ~np.isfinite(poses).all(-1)
    # the resampler needs every value: bridged here, missing again below where the input is
    bridged = np.nan_to_num(fill_gaps(poses)[0])
    out = resample(bridged, times, grid)
    dense = len(grid) > len(times)  # the resampler's own choice for the whole track, kept for its pieces
    for v, at in enumerate(cuts or ()):
        for frames, points in pieces(times, grid, at) if len(at) else ():
            # a grid point beyond its piece's last frame (under half a step) takes that frame's value
            near, own = np.clip(grid[points], times[frames][0], times[frames][-1]), bridged[v, frames]
            out[v, points] = own if len(own) == 1 else resample(own[None], times[frames], near, dense)[0]
    out[missing[:, nearest_frames(times, grid)]] = np.nan
    if max_gap is not None:
        hi = np.clip(np.searchsorted(times, grid), 1, len(times) - 1)
        step = float(np.median(np.diff(times)))
        dropped = (times[hi] - times[hi - 1] > (max_gap + 1.5) * step) \
            & (np.minimum(grid - times[hi - 1], times[hi] - grid) > step / 2)
        out[:, dropped] = np.nan
    return out


def from_grid(refined: np.ndarray, grid: np.ndarray, times: np.ndarray, missing: np.ndarray,
              cuts: list[np.ndarray] | None = None) -> np.ndarray:
    """Refined tracks ``refined`` (V, N, J, C) on ``grid`` (N,) s, NaN where left missing, at
    ``times`` (T,) s: (V, T, J, C), by a cubic spline (as :func:`synsp.inference.frame_rate.run_at_rate`
    brings a network's output back); with ``cuts`` (:func:`to_grid`'s) each piece's frames from its own
    grid points. A value the input lacked (``missing`` (V, T, J)) is missing
    where the grid's nearest point is; a measured one is always given."""
    left = ~np.isfinite(refined).all(-1)
    bridged = np.nan_to_num(fill_gaps(refined)[0])
    out = CubicSpline(grid, bridged, axis=1)(times).astype(refined.dtype)
    for v, at in enumerate(cuts or ()):
        for frames, points in pieces(times, grid, at) if len(at) else ():
            own = bridged[v, points]
            if len(points) >= 2:  # a spline across the cut would ring both sides' frames
                out[v, frames] = CubicSpline(grid[points], own, axis=0)(times[frames])
            elif len(points):
                out[v, frames] = own
    out[missing & left[:, nearest_frames(grid, times)]] = np.nan
    return out


def refine_file_tracks(poses: np.ndarray, data: PoseData, layout: str | None, method: str, *,
                       max_gap: int | None = None, **options) -> tuple[RefinedTracks, str | None]:
    """:func:`refine_tracks_at` of ``poses`` (V, T, J, C) at the times of the file read as ``data``
    (:func:`file_times`); the summary's line names the file's Time or frame column. The tracks the
    reader set aside (``extra["set_aside"]``: duplicate detections, :func:`synsp.formats.instances.set_aside`)
    are not refined, nor counted in what the refinement found: they come back as they are in ``poses``."""
    aside = list(data.extra.get("set_aside") or [])
    people = poses.copy() if aside else poses
    people[aside] = np.nan  # an empty track: nothing refined, nothing said of it
    after = np.zeros(0, int) if _timed(data) else dropped_in_tracks(people)
    times = capture_times(after, poses.shape[1], options.get("fps") or ASSUMED_FPS)
    if times is not None:  # no times, and frames the capture skipped: refined at the capture's frames, a gap at each
        tracks = refine_tracks_at(people, times, layout, method, max_gap=max_gap, **options)[0]
        frame_ids = data.extra.get("frame_ids")
        note = drop_note(after, frame_ids if frame_ids is not None and len(frame_ids) == poses.shape[1] else None)
    else:
        tracks, note = refine_tracks_at(people, file_times(data), layout, method, max_gap=max_gap,
                                        numbered=_reader_fields(data).get("times") is None, **options)
    if aside:
        refined = tracks.refined.copy()
        refined[aside] = poses[aside]
        tracks = tracks._replace(refined=refined)
    return tracks, note


def _timed(data: PoseData) -> bool:
    """Whether the file read as ``data`` says when its frames were taken: a column of times (a TRC's Time, a CSV's
    time), or of frame numbers (:data:`FRAME_NUMBERED`). Its frames are then where it says (:func:`file_times`),
    and no drop is read from the motion (:mod:`synsp.refining.dropped_frames`)."""
    return _reader_fields(data).get("times") is not None or (
        data.format in FRAME_NUMBERED and data.extra.get("frame_ids") is not None)


def with_file_rate(data: PoseData) -> PoseData:
    """``data`` with ``fps`` the rate of its column of times (a CSV's ``time``, in seconds) when the
    file names no rate (:func:`column_rate`), not an assumed 30 fps. Files with a rate, or with no usable
    times, are given back as they are."""
    fields = _reader_fields(data)
    if data.fps is not None or fields.get("times") is None:
        return data
    rate = column_rate(np.asarray(fields["times"], dtype=np.float64), fields.get("time_decimals"))
    return data if rate is None else replace(data, fps=rate)


def rate_note(data: PoseData) -> str:
    """The summary's line for a rate read from the time column of the file read as ``data``
    (:func:`with_file_rate`), naming the column's unit when its steps, not its name, said it
    (:func:`synsp.formats.csv_rows.time_scale`)."""
    unit = _reader_fields(data).get("time_unit")
    return f"fps: {data.fps:g} (the file's time column{f', read in {unit} by its steps' if unit else ''})"


def column_rate(times: np.ndarray, decimals: int | None = None) -> float | None:
    """The frame rate (fps) a column of times (T,) s written to ``decimals`` digits gives, NaN for frames without a
    row: the mean rate of uneven times (:func:`uneven_column`; their grid is refined at it), and of even ones their
    step's (:func:`even_rate`; times repeated by a fast clock's rounding: frames over the whole span); None outside
    ``FPS_RANGE`` or without usable times. A file's time column (:func:`with_file_rate`) and a DataFrame's (its
    frames' times, repeats kept) are read by it alike."""
    uneven_times = uneven_column(times, decimals)
    if uneven_times is None:
        rate = even_rate(times, decimals)
    else:
        rate = (len(uneven_times) - 1) / float(uneven_times[-1] - uneven_times[0])
    return rate if rate is not None and FPS_RANGE[0] <= rate <= FPS_RANGE[1] else None


# Video and capture rates a column of even times is read as when it matches one to its digits
COMMON_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 48.0, 50.0, 59.94, 60.0, 90.0, 100.0, 119.88, 120.0,
                150.0, 200.0, 240.0, 250.0, 500.0, 1000.0)


def even_rate(times: np.ndarray, decimals: int | None = None) -> float | None:
    """The rate (fps) of ``times`` (T,) s, NaN for frames without a row: frames over the span they
    cover; a common rate (:data:`COMMON_RATES`) when it is that to the ``decimals`` the times were
    written with (30 fps to the millisecond spans 2.967 s over 89 frames: 30, not 29.997). Times that
    repeat are a clock faster than its digits (240 fps to 0.01 s: 0.00, 0.00, 0.01, 0.01, 0.01, 0.02)
    when each is within a digit of the even line through the ends: read the same way. None for fewer
    than 2 times, times that decrease, or repeat otherwise (a clock that stalled)."""
    frames = np.flatnonzero(np.isfinite(times))
    steps = np.diff(times[frames])
    if len(frames) < 2 or not (steps >= 0).all() or times[frames[-1]] == times[frames[0]]:
        return None
    span = float(times[frames[-1]] - times[frames[0]])
    rate = (frames[-1] - frames[0]) / span
    line = times[frames[0]] + (frames - frames[0]) / rate
    # a repeated time is the rounding of a fast clock (each within a digit of the line) or no clock to read
    if (steps == 0).any() and (decimals is None or np.abs(times[frames] - line).max() > 10.0 ** -decimals):
        return None
    tolerance = (10.0 ** -decimals if decimals is not None else 1e-9) / span  # both ends rounded: one digit
    close = [r for r in COMMON_RATES if abs(rate / r - 1) <= tolerance]
    return min(close, key=lambda r: abs(rate / r - 1)) if close else rate


def _reader_fields(data: PoseData) -> dict:
    """What the reader of ``data``'s format kept of the file (``extra[format]``: a TRC's times, ...); {} if none."""
    fields = data.extra.get(data.format)
    return fields if isinstance(fields, dict) else {}


def refine_tracks_at(poses: np.ndarray, times: np.ndarray | None, layout: str | None, method: str, *,
                     max_gap: int | None = None, numbered: bool = False,
                     **options) -> tuple[RefinedTracks, str | None]:
    """:func:`~synsp.refining.tracks.refine_tracks` of ``poses`` (V, T, J, C), NaN where missing,
    whose frames are at ``times`` (T,) s (:func:`file_times`; None: evenly spaced, refined as
    they are). ``max_gap`` is in the file's median steps; ``options["fps"]``, when given, becomes
    the grid's rate. Returns the tracks at the file's T frames, and the summary's line on what
    was done (None for evenly spaced frames).

    Counts of the refinement's steps (glitches, held values, ...) are the grid's; cuts (``turned``), ``filled``,
    ``taken`` (measured values taken out as a limb astray: filled at the file's frame, taken at its nearest grid
    frame) and the values left missing are the file's frames'. ``numbered``: the times are frame numbers
    (the summary's line says so).
    """
    if times is None:
        return refine_tracks(poses, layout, method, max_gap=max_gap, **options), None
    grid = even_grid(times)
    median, step = float(np.median(np.diff(times))), float(grid[1] - grid[0])
    if "fps" in options:
        options = {**options, "fps": 1.0 / step}
    gap = None if max_gap is None else int(round(max_gap * median / step))
    places = _lattice_places(times, grid)
    # a cut is read at the file's frames and kept in one grid step (refining.clock_cuts); on a lattice it is in one
    cuts = file_cuts(poses, times, layout, method, bool(options.get("network_only"))) if places is None else None
    if places is None:
        at = [np.array([points[0] for _, points in pieces(times, grid, c)[1:] if len(points)], int) for c in cuts]
        tracks = refine_tracks(to_grid(poses, times, grid, max_gap, cuts), layout, method, max_gap=gap, cuts=at,
                               **options)
    else:  # frames dropped from an even rate: a NaN frame at each, a gap the refiner fills knowing it is one
        gapped = np.full((poses.shape[0], len(grid)) + poses.shape[2:], np.nan, poses.dtype)
        gapped[:, places] = poses
        tracks = refine_tracks(gapped, layout, method, max_gap=gap, **options)
    missing = ~np.isfinite(poses).all(-1)  # (V, T, J)
    out = from_grid(tracks.refined, grid, times, missing, cuts) if places is None else tracks.refined[:, places]
    nobody = missing.all(-1)  # (V, T): a frame in which the track has no joint: never written
    out[nobody] = np.nan
    given = np.isfinite(out).all(-1)
    near = nearest_frames(grid, times)
    seen = (~missing).any(1, keepdims=True)  # (V, 1, J): the joint is seen somewhere in the track
    inside = np.zeros(nobody.shape, bool)
    for v, track in enumerate(~nobody):
        frames = np.flatnonzero(track)
        if frames.size:
            inside[v, frames[0]:frames[-1] + 1] = True
    filled = given & (missing | tracks.filled[:, near])
    taken = None if tracks.taken is None else filled & ~missing & tracks.taken[:, near]  # measured, taken out
    # a cut is named at the file's frame, as the drops beside it in the summary: the first at or after its grid frame
    # on a lattice (frames dropped), the nearest on an uneven clock
    cuts = [places.searchsorted(t) if places is not None else nearest_frames(times, grid[[t]])[0]
            for _, t in tracks.turned]
    tracks = tracks._replace(
        refined=out, filled=filled, taken=taken, never_seen=missing & ~seen & inside[..., None],
        long_gaps=int((missing & ~given & seen & ~nobody[..., None]).sum()), absent=nobody & inside,
        turned=[(v, int(t)) for (v, _), t in zip(tracks.turned, cuts)])
    return tracks, _note(times, grid, numbered)


def _lattice_places(times: np.ndarray, grid: np.ndarray) -> np.ndarray | None:
    """(T,) the grid frame of each of ``times`` (T,) s when every one is a point of ``grid`` (N,) s (:func:`on_lattice`:
    frames dropped from an even rate, a frame column's skipped numbers, the drops read from the motion); else None."""
    if not on_lattice(times):
        return None
    places = np.rint((times - grid[0]) / (grid[1] - grid[0])).astype(int)
    return places if (np.diff(places) >= 1).all() and places[-1] == len(grid) - 1 else None


def _note(times: np.ndarray, grid: np.ndarray, numbered: bool) -> str:
    """The summary's line on a file refined on ``grid`` (N,) s and given back at ``times`` (T,) s:
    a Time column's (``numbered`` False) or a frame column's."""
    steps, step = np.diff(times) * 1000, float(grid[1] - grid[0])
    if not numbered:
        return (f"time: the Time column is uneven (steps {steps.min():.0f} to {steps.max():.0f} ms, median "
                f"{np.median(steps):.0f} ms): refined on an even grid at {1 / step:.3g} fps ({len(grid)} frames), "
                f"then interpolated back to the file's {len(times)} times")
    frames = np.diff(times) / np.median(np.diff(times))
    what = (f"{int(np.round(frames).sum()) + 1 - len(times)} frame numbers missing" if on_lattice(times)
            else f"steps {frames.min():.3g} to {frames.max():.3g} times the median step")
    return (f"frames: the frame column skips numbers ({what}): refined on an even grid at {1 / step:.3g} fps "
            f"({len(grid)} frames), then given back at the file's {len(times)} rows")
