"""A video cut on a live stream: the body turned to another side, or the clip joined to another moment.

Offline, a track is cut where the whole body jumped in one frame and stayed so
(:func:`synsp.estimator_errors.body_cuts.turned_cuts`; benchmarks/RESULTS.md, section 4, "A cut to another
side of the body" and "A cut in time: clips joined"), and each span is refined alone. A stream that did not
cut read such a jump as its measurements read inversions, as they come: whole stretches given with left
and right exchanged, or an arm filled as astray (RESULTS section 12, "A stream at a video cut").

:class:`CutWatch` stands before the stream's measurements. A frame whose body jumped (the median joint, less
the body's own move, beyond :data:`~synsp.estimator_errors.body_cuts.CUT_STEP` body sizes and
:data:`~synsp.estimator_errors.body_cuts.CUT_NOISE` times the median step so far; not in the stream's first
second, whose running figures are too few) is held, with the frames
after it, until :data:`~synsp.estimator_errors.body_cuts.CUT_STAY` of them have arrived (fewer if the
stream's latency, ``lag + lookahead``, is shorter: then that many), and the offline test of that jump
(:func:`~synsp.estimator_errors.body_cuts.cut_at`) is run on the last frames with those after it that have
arrived, not the :data:`~synsp.estimator_errors.body_cuts.CUT_RETURN` frames offline reads after it: the
frames after a 2D cut, or a 3D cut in time, must show no other jump only up to the newest one. A cut ends the
stream there, as a switch of people does: the frames before come back at once and the person's stream
starts afresh from the jump (a new window, new measurements, new running figures), as a new track would;
else the frames held go on into the stream. While a jump is held nothing more comes out: the frames then
due come out up to ``stay`` frames late, together; the output's values are the same as without the watch
wherever no cut is found.

The watch holds and cuts the same way where two people crossing had their ids swapped (the body's centre stepped
onto another line, its motion turned: :mod:`synsp.inference.stream_centre_cuts`, offline
:func:`~synsp.estimator_errors.track_switches.centre_cuts`), a suspect held until the frames after it tell it,
at most 4 (RESULTS section 12, "A stream at a crossing with ids swapped"); and where a tracker handed the id to
someone close by (the body stepped off its path and stayed off it: :mod:`synsp.inference.stream_path_cuts`, offline
:func:`~synsp.estimator_errors.track_switches.left_path`), a suspect held 2 frames (RESULTS section 12, "A stream where
ids were swapped for a few frames").
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable

import numpy as np

from synsp.estimator_errors.body_cuts import CUT_NOISE, CUT_RETURN, CUT_STAY, CUT_STEP, cut_at, jump_sizes
from synsp.estimator_errors.depth_flips import depth_switches
from synsp.estimator_errors.stalls import stall_before_last
from synsp.inference.stream_centre_cuts import CentreWatch
from synsp.inference.stream_path_cuts import PathWatch
from synsp.medians import nanmedian
from synsp.sequence import box_sides

__all__ = ["CutWatch", "HISTORY", "restart"]

HISTORY = 900  # frames (30 s at 30 fps) whose steps and sizes give the median step and the person's size


class CutWatch:
    """Frames (V, J, C) in (as they came, NaN where not seen), on to the stream or held at a jump (module
    docstring).

    Parameters
    ----------
    flip : (J,) each joint's left/right partner (the layout's ``flip_index``).
    stay : frames after a jump read before it is told (``min(CUT_STAY, lag + lookahead)``); 0: no cut. The
        centre's suspects read ``min(CENTRE_AFTER, stay)`` (:class:`~synsp.inference.stream_centre_cuts.CentreWatch`).
    enter : gives a frame to the stream; returns the frames that became ready (a list of arrays).
    restart : ends the stream (its frames back, an array) and starts it afresh, keeping this watch.
    """

    def __init__(self, flip: np.ndarray, stay: int, enter: Callable[[np.ndarray], list[np.ndarray]],
                 restart: Callable[[], np.ndarray]):
        self.flip, self.stay = np.asarray(flip), int(min(stay, CUT_STAY))
        self.centre = CentreWatch(int(stay), HISTORY)  # people crossing, their ids swapped (stream_centre_cuts)
        self.path = PathWatch(int(stay), HISTORY)  # ids handed to someone close by (stream_path_cuts)
        # the held jump's: a jump, and the views of a centre suspect and of a path suspect
        self.kinds = (False, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
        self._size: tuple[int, np.ndarray] | None = None  # (frames, (V,) running size) read at that many frames
        self.enter, self.restart = enter, restart
        self.recent: deque[np.ndarray] = deque(maxlen=CUT_RETURN + CUT_STAY + 2)  # (V, J, C) frames, float64
        self.steps: deque[np.ndarray] = deque(maxlen=self.recent.maxlen)  # (V,) the last frames' jumps
        self.usual = _Window(HISTORY)  # the same over the last HISTORY frames, for their median
        self.sizes = _Window(HISTORY)  # (V,) each frame's largest box side
        self.held: list[np.ndarray] = []  # the frames from a jump on, not yet given to the stream
        self.frames = 0  # frames pushed
        self.measured = 0  # of them, those with a step measured (a joint seen in it and the frame before)
        self.cuts: list[int] = []  # frames (counted from the first pushed) where the stream was cut (either rule)

    @classmethod
    def of(cls, stream: Any) -> CutWatch:
        """The watch of a :class:`~synsp.inference.streaming.StreamingRefiner` (its ``_enter`` takes a frame;
        a cut restarts it, :func:`restart`), reading ``min(CUT_STAY, lag + lookahead)`` frames after a jump."""
        watch = cls(stream.refiner.layout.flip_index, stream.lag + stream.lookahead, stream._enter,
                    lambda: restart(stream, watch))
        return watch

    def push(self, frame: np.ndarray) -> list[np.ndarray]:
        """Take a (V, J, C) frame; the frames the stream gave back (a list of arrays, maybe none)."""
        x = np.asarray(frame, np.float64)
        step = self._note(x)
        if self.held:
            self.held.append(frame)
            return self._decide() if self._told() else []
        kinds = (self._jumped(step, self.frames - 1), self._suspect(0), self._path_suspect(0))
        if kinds[0] or kinds[1].any() or kinds[2].any():
            self.held, self.kinds = [frame], kinds
            return []
        return self.enter(frame)

    def release(self) -> list[np.ndarray]:
        """Every frame held into the stream, untold (the stream ends: no frames after them will come)."""
        held, self.held = self.held, []
        return [out for frame in held for out in self.enter(frame)]

    def _note(self, x: np.ndarray) -> np.ndarray:
        """Remember the frame; (V,) its jump from the frame before (2D: the lesser under either labelling)."""
        before = self.recent[-1] if self.recent else np.full_like(x, np.nan)
        self.recent.append(x)
        self.frames += 1
        both = jump_sizes(before, x, self.flip)  # (V, 2)
        step = both.min(axis=-1) if x.shape[-1] != 3 else both[:, 0]
        if len(self.recent) > 2 and np.array_equal(before, self.recent[-3], equal_nan=True):  # after a repeat
            # a decoder stall's catch-up: its repeats are a gap, no step across it (offline: estimator_errors.stalls)
            track = np.stack(self.recent, axis=1)  # (V, N, J, C)
            step = np.where([stall_before_last(v) is not None for v in track], np.nan, step)
        self.steps.append(step)
        self.usual.append(step)
        self.measured += bool(np.isfinite(step).any())
        seen = np.isfinite(x).all(-1)  # (V, J)
        sides = np.array([box_sides(v[s]).max() if s.any() else np.nan for v, s in zip(x, seen)])
        self.sizes.append(sides)
        self.centre.note(x)
        self.path.note(x)
        return step

    def _running_size(self) -> np.ndarray:
        """(V,) the person's size: the median box side over the last :data:`HISTORY` frames (read once a frame)."""
        if self._size is None or self._size[0] != self.frames:
            self._size = (self.frames, self.sizes.median())  # a view not seen in those frames: NaN
        return self._size[1]

    def _suspect(self, back: int) -> np.ndarray:
        """(V,) bool: the frame ``back`` before the newest a centre suspect (:meth:`CentreWatch.suspect`), not in
        the stream's first second (as :meth:`_jumped`)."""
        if self.measured < CUT_RETURN:
            return np.zeros(len(self.recent[-1]), dtype=bool)
        return self.centre.suspect(self._running_size(), back)

    def _path_suspect(self, back: int) -> np.ndarray:
        """(V,) bool: the frame ``back`` before the newest a path suspect (:meth:`PathWatch.suspect`), not in the
        stream's first second, counted across a switch of people, whose frames the path watch keeps)."""
        if self.path.count < CUT_RETURN:
            return np.zeros(len(self.recent[-1]), dtype=bool)
        return self.path.suspect(self._running_size(), back)

    def _told(self) -> bool:
        """Whether the frames held tell the first one: a jump after ``stay`` frames; a centre or path suspect
        without a jump as soon as its tests say yes or no."""
        if self.kinds[0]:
            return len(self.held) > self.stay  # at least the path test's frames (stay >= PathWatch.after)
        back, size = len(self.held) - 1, self._running_size()
        return ((not self.kinds[1].any() or self.centre.verdict(self.kinds[1], back, size) is not None)
                and (not self.kinds[2].any() or self.path.verdict(self.kinds[2], back, size) is not None))

    def _limit(self) -> np.ndarray:
        """(V,) a jump's least size: :data:`CUT_STEP` of the person's size and :data:`CUT_NOISE` times the
        median step, both over the last :data:`HISTORY` frames (offline: the track's)."""
        size = self._running_size()
        return np.fmax(CUT_STEP * size, CUT_NOISE * self.usual.median())  # a view not seen in those frames: NaN

    def _jumped(self, step: np.ndarray, frame: int) -> bool:
        """Whether ``frame``'s ``step`` (V,) is a jump to tell: beyond the limit in any view, not within
        :data:`CUT_STAY` frames after a cut (as offline), the stream able to wait, and :data:`CUT_RETURN` steps
        measured before it (a second: the running size and step of a stream's first frames, which may show a
        joint or two, would make any step a jump)."""
        if not self.stay or self.measured < CUT_RETURN or (self.cuts and frame - self.cuts[-1] <= CUT_STAY):
            return False
        with np.errstate(invalid="ignore"):
            size = self._running_size()
            # the limit is CUT_STEP * size or more: a step within that is no jump, and the median step (the
            # limit's other term, a sort of HISTORY steps) is read only for a step beyond it or a view of no size
            if not ((step > CUT_STEP * size) | np.isnan(size)).any():
                return False
            return bool((step > self._limit()).any())

    def _decide(self) -> list[np.ndarray]:
        """The jump held first has ``stay`` frames after it: a cut or not; on with the frames held (one of
        them may be a jump to hold in its turn)."""
        jump = self.frames - len(self.held)  # the frame that jumped
        track = np.stack(self.recent)  # (N, V, J, C), its last frame the newest
        t = len(track) - len(self.held)
        limit = self._limit()
        jumped, suspects, off = self.kinds
        back, size = len(self.held) - 1, self._running_size()
        cut = bool(suspects.any()) and bool(self.centre.verdict(suspects, back, size))
        cut = cut or (bool(off.any()) and bool(self.path.verdict(off, back, size)))
        for view in range(track.shape[1] if jumped and not cut else 0):
            x = track[:, view]
            both = jump_sizes(x[:-1], x[1:], self.flip)
            steps = both.min(axis=-1) if x.shape[-1] != 3 else both[:, 0]
            start = self.frames <= len(track)  # the frames read reach back to the stream's first
            cut |= bool(np.isfinite(limit[view]) and limit[view] > 0 and steps[t - 1] > limit[view]
                        and cut_at(x, t, steps, both, limit[view], self.flip, (start, False), self.stay))
        views, near = track.transpose(1, 0, 2, 3), slice(max(0, t - 1 - CUT_STAY), t)  # (V, N, J, C); steps
        if cut and track.shape[-1] == 3 and all(depth_switches(v, self.flip)[near].any() for v in views):
            # a body mirrored in depth about its pelvis moves its centre and leaves its path, at the step or the
            # frames after it (a suspect told later): no cut (as offline, track_switches.track_segments)
            cut = False
        held, self.held, out = self.held, [], []
        if cut:
            self.cuts.append(jump)
            self.path.started(back)  # only paths from here on count (as offline)
            out.append(self.restart())
        for k, frame in enumerate(held):
            kinds = (self._jumped(self.steps[k - len(held)], jump + k), self._suspect(len(held) - 1 - k),
                     self._path_suspect(len(held) - 1 - k)) if k else None
            if kinds and (kinds[0] or kinds[1].any() or kinds[2].any()):
                self.held, self.kinds = held[k:], kinds  # told when the rest arrive
                break
            out += self.enter(frame)
        return out


class _Window:
    """The last ``size`` rows (V,) of a running figure in one array, overwritten in turn: their median per view
    without stacking a deque's rows anew each frame (a median needs no order)."""

    def __init__(self, size: int):
        self.size, self.count = int(size), 0
        self.rows: np.ndarray | None = None  # (size, V)

    def append(self, row: np.ndarray) -> None:
        if self.rows is None:
            self.rows = np.empty((self.size, len(row)), dtype=np.asarray(row).dtype)
        self.rows[self.count % self.size] = row
        self.count += 1

    def median(self) -> np.ndarray:
        """(V,) the median of the rows kept, NaN where none is seen."""
        return nanmedian(self.rows[: min(self.count, self.size)], axis=0)


def restart(stream: Any, watch: CutWatch) -> np.ndarray:
    """End ``stream`` at a cut (its frames back, as :meth:`flush` gives them) and start it afresh, keeping
    ``watch`` (offline reads the whole track across a cut) and what a crowd's stream keeps across it
    (:mod:`synsp.inference.people_stream`: which frames the person was absent from, when the stream was
    created, whether its windows wait for the crowd's batch; ``flush`` runs them at once)."""
    kept = {name: getattr(stream, name) for name in ("absent", "created", "deferred") if hasattr(stream, name)}
    if "deferred" in kept:
        stream.deferred = False
    tail = stream.flush()
    for name, value in kept.items():
        setattr(stream, name, value)
    stream._cuts = watch
    return tail
