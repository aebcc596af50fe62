"""Which scored joint values are measurements: a threshold for an estimator's misses, a joint's own level when steady.

An estimator's score dips below the threshold (``synsp refine --threshold``, :data:`synsp.sequence.MIN_SCORE`)
where it lost a joint for a while (occluded, blurred): those values are missing and filled. A joint it reports in
every frame at a low but steady score (the far side of a side view, a blurred hand) is still measured: read
against the threshold alone it would be missing all clip long, and then either given back raw or left to the body
model's stand-ins. A joint scored below the threshold in most of the frames it is reported in is read against its
own level instead (its median score) when its scores hold near that level: only its dips below :data:`STEADY_DIP`
of it are missing. A joint scored above the threshold most of the time, or now high now low (seen, then hidden: two
levels, not one), keeps the threshold as it was (its low stretches are the misses), and so does every joint of a
track with no value at or above the threshold (nobody detected, or too faint to tell).

A stream (``synsp stream``) has no clip: :class:`RunningLevels` reads each line's scores against the levels of the
person's last :data:`HISTORY` lines (the same rule, on the frames so far), once :data:`MIN_FRAMES` of them have come,
and only for a joint none of whose lines there was scored at another level (:data:`STEADY_SPREAD` times it or more):
a clip's rare high frames (a tenth of them) tell a joint seen now and then, but a stream's first seconds of a joint
hidden since the start hold none yet (validation, an estimator's hidden elbow and wrist: 35.59 px read against the
threshold, 48.16 by the clip's rule on the lines so far, benchmarks/stream_offline_steps.py).
"""
from __future__ import annotations

import warnings
from collections import deque

import numpy as np

__all__ = ["LIKELIHOOD_FORMATS", "STEADY_DIP", "STEADY_SPREAD", "HISTORY", "MIN_FRAMES", "REREAD", "steady_levels",
           "measured_by_score", "steady_notes", "RunningLevels"]

# A steadily low-scored joint's frames scored below this share of its own median are its misses (a dip as deep, in
# proportion, as 0.3 under a confident 0.6-0.9). Benchmarked on the validation split with scores put on
# (benchmarks/score_levels.py; benchmarks/RESULTS.md, section 11, "A joint scored low all clip long").
STEADY_DIP = 0.5
# ... and a joint is steady when its scores hold near that level: their 90th percentile below this many times it.
# An estimator's hidden joint has two levels (0.85-0.99 seen, 0.1-0.29 guessed: 3 to 9 times apart).
STEADY_SPREAD = 2.0
# Formats whose score is a likelihood of the part's presence (DeepLabCut's, SLEAP's): a part absent all clip still
# gets a place, its score map's peak, so a steadily low score is no measurement there: their files keep the threshold.
LIKELIHOOD_FORMATS = ("dlc", "sleap")
# A stream's levels: read over a person's last HISTORY lines (30 s at 30 fps), and only once MIN_FRAMES have come.
# Set on validation (benchmarks/stream_offline_steps.py --case scores): from the first line, a burst of an estimator's
# misses at a stream's start read as a level (bursts 15.62 -> 17.98 px); 15 lines keep bursts and hidden joints as
# they were and give back 89 % of a steadily low side's values (30: 77 %).
HISTORY = 900
MIN_FRAMES = 15
REREAD = 15  # lines between two reads of the levels (a line at another level drops its joint's at once)


def steady_levels(scores: np.ndarray, threshold: float, seen: np.ndarray | None = None) -> np.ndarray:
    """Each joint's median score where it is reported, NaN for a joint not steadily low.

    Parameters
    ----------
    scores : (..., T, J) confidences on the threshold's scale (0-1), NaN where none.
    threshold : the score below which an estimator's value is missing.
    seen : (..., T, J) bool, where the joint has a position (None: wherever its score is finite).

    Returns
    -------
    (..., J) float: the median over its seen frames of a joint scored below ``threshold`` in more than half of them,
    whose median is above 0 (a joint scored 0 is not detected at all) and 90th percentile below :data:`STEADY_SPREAD`
    times that median, in a track with some value at or above ``threshold`` (a person detected); NaN for every other
    joint (read against the threshold).
    """
    scores = np.asarray(scores, dtype=np.float64)
    seen = np.isfinite(scores) if seen is None else np.asarray(seen, bool) & np.isfinite(scores)
    rated = np.where(seen, scores, np.nan)
    level = np.full(scores.shape[:-2] + scores.shape[-1:], np.nan)
    some = seen.any(-2)
    if some.any():
        level[some] = np.nanmedian(np.moveaxis(rated, -2, -1)[some], axis=-1)
    # low in more than half of its frames: an exact half (one low frame of two) is still read against the threshold
    low = (seen & (scores < threshold)).sum(-2) * 2 > seen.sum(-2)
    high = np.full_like(level, np.nan)
    if some.any():
        high[some] = np.nanpercentile(np.moveaxis(rated, -2, -1)[some], 90, axis=-1)
    # near one level: a joint seen now confidently, now hidden (scored 0.9, then 0.1-0.29) is read frame by frame
    # of a person detected: a track with no value at or above the threshold is nobody (or too faint to tell)
    detected = (seen & (scores >= threshold)).any(axis=(-2, -1))[..., None]
    steady = low & (level > 0) & (high < STEADY_SPREAD * level) & detected
    return np.where(steady, level, np.nan)


def measured_by_score(scores: np.ndarray, threshold: float, seen: np.ndarray | None = None) -> np.ndarray:
    """Where a scored joint value is a measurement: its score at or above ``threshold``, or, for a joint scored
    below it in most frames (:func:`steady_levels`), at or above :data:`STEADY_DIP` of its own median.

    Parameters
    ----------
    scores : (..., T, J) confidences on the threshold's scale (0-1); NaN is never a measurement.
    threshold : the score below which an estimator's value is missing (``--threshold``).
    seen : (..., T, J) bool, where the joint has a position (None: wherever its score is finite).

    Returns
    -------
    (..., T, J) bool.
    """
    scores = np.asarray(scores, dtype=np.float64)
    cut = np.asarray(steady_levels(scores, threshold, seen)) * STEADY_DIP
    cut = np.where(np.isnan(cut), threshold, cut)[..., None, :]
    return scores >= cut


def steady_notes(scores: np.ndarray, threshold: float, seen: np.ndarray, names: list[str]) -> list[str]:
    """The summary's line for the joints read against their own level (:func:`measured_by_score`); [] for none.

    Parameters
    ----------
    scores : (..., T, J) confidences on the threshold's scale; seen : (..., T, J) bool, where a position is given.
    threshold : ``--threshold``; names : the J joints' names.
    """
    levels = steady_levels(scores, threshold, seen)  # (..., J)
    which = np.isfinite(levels).reshape(-1, levels.shape[-1]).any(0)
    if not which.any():
        return []
    listed = [name for name, low in zip(names, which) if low]
    listed = ", ".join(listed[:6]) + (f" and {len(listed) - 6} more" if len(listed) > 6 else "")
    low, high = f"{np.nanmin(levels):.2f}", f"{np.nanmax(levels):.2f}"
    return [f"scores: {int(which.sum())} joint(s) scored below {threshold:g} in most frames ({listed}; median "
            f"{low if low == high else low + '-' + high}) were refined as measurements at their own level, "
            f"only their frames below {STEADY_DIP:g} x that median missing (a lower --threshold reads them as the "
            "others)"]


class RunningLevels:
    """One person's scores on a stream, read as :func:`measured_by_score` reads a clip's, over the lines so far.

    Parameters
    ----------
    threshold : the score below which an estimator's value is missing (``--threshold``).
    history : lines whose scores give the levels (the last ones); min_frames : lines before a level is read
        (None: :data:`MIN_FRAMES`).
    """

    def __init__(self, threshold: float, history: int = HISTORY, min_frames: int | None = None):
        self.threshold, self.min_frames = float(threshold), MIN_FRAMES if min_frames is None else int(min_frames)
        self._scores: deque[np.ndarray] = deque(maxlen=int(history))  # (J,) each line's scores, NaN where unseen
        self._level: np.ndarray | None = None  # (J,) the levels last read (NaN: the threshold), and when
        self._read_at = self._lines = 0  # lines so far

    def measured(self, scores: np.ndarray, seen: np.ndarray) -> np.ndarray:
        """(J,) bool: which of a line's values are measurements: its ``scores`` (J,) at or above the threshold, or
        at or above :data:`STEADY_DIP` of a joint's own level over the lines so far (this one with them) for a joint
        steadily low there (:func:`steady_levels`, and no line of it scored :data:`STEADY_SPREAD` times that level or
        more), once ``min_frames`` lines have come. ``seen`` (J,) bool: where the line gives a position."""
        scores = np.asarray(scores, dtype=np.float64)
        self._scores.append(np.where(seen, scores, np.nan))
        self._lines += 1
        plain = scores >= self.threshold
        if self._level is not None:
            with np.errstate(invalid="ignore"):
                self._level[scores >= STEADY_SPREAD * self._level] = np.nan  # a line at another level: at once
        if len(self._scores) < self.min_frames or (plain | ~np.asarray(seen, bool)).all():
            return plain  # nothing below the threshold to read, or too few lines to read a level from
        if self._level is None or self._lines - self._read_at >= REREAD:
            self._read()
        return scores >= np.where(np.isnan(self._level), self.threshold, STEADY_DIP * self._level)

    def _read(self) -> None:
        """The levels over the lines kept (:func:`steady_levels`, none of their lines at another level); read again
        every :data:`REREAD` lines (a read over 900 lines cost 1.6 ms a line)."""
        history = np.array(self._scores)  # (N, J)
        level = steady_levels(history, self.threshold)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a joint not seen in them
            level[~(np.nanmax(history, axis=0) < STEADY_SPREAD * level)] = np.nan  # any line at another level
        self._level, self._read_at = level, self._lines
