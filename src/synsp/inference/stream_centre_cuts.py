"""Two people crossing whose ids a tracker swapped, on a live stream: the body's centre stepped onto another line.

Offline, a track is cut where its centre (the mean of the joints seen throughout) stepped off the line through
the two frames before, ran along a line before the step and along another after it, its motion turned
(:func:`synsp.estimator_errors.track_switches.centre_cuts`; benchmarks/RESULTS.md, section 4, "Two people
crossing, their ids swapped"): a switch between bodies too close for the half-size rule, which no exchange of
left/right labels imitates (the same points under other names leave the centre where it was).

:class:`CentreWatch` reads that rule on a stream, for :class:`~synsp.inference.stream_cuts.CutWatch`, which holds
the frames: each frame's centre turn (its second difference, over the joints seen in it and the two frames before)
is noted as it comes; a frame is a suspect (:meth:`CentreWatch.suspect`) where that turn passes offline's limits
(:data:`~synsp.estimator_errors.track_switches.CENTRE_STEP` times the person's running size and
:data:`~synsp.estimator_errors.track_switches.CENTRE_NOISE` times the median turn of the last 30 s, as the
watch's other figures; offline: the track's) and the
:data:`~synsp.estimator_errors.track_switches.CENTRE_STAY` frames before it ran on a line (known on arrival:
most of the turns that pass the limits fail here, a jump's return or a spike's second frame, and hold nothing).
The whole body must have stepped, as offline (the median joint's own step beyond
:data:`~synsp.estimator_errors.track_switches.LIMB_SHARE` of the centre's,
:func:`~synsp.estimator_errors.track_switches.body_stepped`): a limb alone, or a lost joint written at an image corner,
is no suspect. A suspect is held, and told (:meth:`CentreWatch.verdict`) as soon as the frames after it say no (the
centre's velocity not turned by two frames after it, or the centre off its new line) or after
:data:`~synsp.estimator_errors.track_switches.CENTRE_STAY` + 1 of them (offline's test, read on the frames
from 5 before it to 4 after it, the centre over the joints seen in all of them): at most 4 frames held, fewer
where the stream's latency is shorter (2 or 3: the after test on fewer frames; under 2: no such cut).
"""
from __future__ import annotations

from collections import deque

import numpy as np

from synsp.estimator_errors.stalls import stall_free
from synsp.estimator_errors.track_switches import (
    CENTRE_NOISE,
    CENTRE_STAY,
    CENTRE_STEP,
    CENTRE_STILL,
    CENTRE_TURN,
    body_stepped,
    centre_turns,
)
from synsp.sequence import nan_median

__all__ = ["CentreWatch", "CENTRE_AFTER"]

CENTRE_AFTER = CENTRE_STAY + 1  # frames after the step offline's test reads (t + 2 .. t + 1 + CENTRE_STAY)
_BEFORE = CENTRE_STAY + 2  # frames before the step the test reads (the turn at t - CENTRE_STAY needs 2 before it)


class CentreWatch:
    """Each frame's centre turn as it comes, the suspects among them, and the test of a suspect (module docstring).

    Parameters
    ----------
    latency : frames the stream holds a frame already (``lag + lookahead``): the frames read after a suspect
        are ``min(CENTRE_AFTER, latency)``; under 2 (the velocity's turn reads the second frame after it): none.
    history : frames whose centre turns give the median turn (the cut watch's :data:`~.stream_cuts.HISTORY`).
    """

    def __init__(self, latency: int, history: int):
        after = min(CENTRE_AFTER, int(latency))
        self.after = after if after >= 2 else 0
        self.recent: deque[np.ndarray] = deque(maxlen=_BEFORE + CENTRE_AFTER + 6)  # (V, J, C) float64 frames
        self.turns: deque[np.ndarray] = deque(maxlen=history)  # (V,) each frame's centre turn (NaN: not read)

    def note(self, x: np.ndarray) -> None:
        """Remember the (V, J, C) frame (float64, NaN where not seen) and its centre turn over the joints seen
        in it and the two frames before (NaN in the first two frames, or where a frame shows no joint)."""
        self.recent.append(x)
        if len(self.recent) < 3:
            self.turns.append(np.full(len(x), np.nan))
            return
        three = np.stack([self.recent[-3], self.recent[-2], x])  # (3, V, J, C)
        self.turns.append(np.array([centre_turns(three[:, v])[-1] for v in range(len(x))]))

    def suspect(self, size: np.ndarray, back: int = 0) -> np.ndarray:
        """(V,) bool: whether the frame ``back`` frames before the newest stepped as a switch of people moves
        the centre (module docstring), per view, at the person's size (V,) in the frames' unit."""
        i = len(self.turns) - 1 - back
        if not self.after or i < CENTRE_STAY or back > len(self.recent) - 1 - _BEFORE:
            return np.zeros(len(self.turns[-1]), dtype=bool)
        off = self.turns[i]
        with np.errstate(invalid="ignore"):
            big = (off > CENTRE_STEP * size) & (size > 0)
            before = np.array([self.turns[k] for k in range(i - CENTRE_STAY, i)])  # (CENTRE_STAY, V)
            big &= (before < CENTRE_STILL * off).all(axis=0)  # NaN: not on a line
            if not big.any():
                return big  # the whole history (a stack of up to HISTORY turns) read only for a suspect
            r = len(self.recent) - 1 - back  # the frame in the frames remembered
            three = np.stack([self.recent[r - 2], self.recent[r - 1], self.recent[r]])  # (3, V, J, C)
            big &= np.array([body_stepped(three[:, v], off[v]) if big[v] else False for v in range(len(big))])
            usual = nan_median(np.array(self.turns), axis=0)  # a view never measured: NaN, no suspect
            return big & (off > CENTRE_NOISE * usual)

    def verdict(self, views: np.ndarray, back: int, size: np.ndarray) -> bool | None:
        """Whether the suspect ``back`` frames before the newest (in ``views`` (V,) bool) is a switch of people:
        True, False, or None while the frames after it that have arrived cannot tell yet. Offline's test
        (:func:`~synsp.estimator_errors.track_switches.centre_cuts`) on the frames from :data:`_BEFORE` before it
        to :attr:`after` after it (fewer while they arrive), per view: a cut in any view is a cut."""
        frames = list(self.recent)
        t = len(frames) - 1 - back  # the suspect's index in the frames remembered
        read = min(back, self.after)  # frames after it read
        if t < _BEFORE:
            return False
        window = np.stack(frames[t - _BEFORE: t + read + 1])  # (N, V, J, C)
        s = _BEFORE  # the suspect in the window
        waiting = False
        for v in np.flatnonzero(views):
            # a decoder's stall read as a gap, as offline (estimator_errors.stalls): its stop and catch-up turn nothing
            off, centre = centre_turns(stall_free(window[:, v]), centres=True)
            still = off[s - CENTRE_STAY: s].tolist() + off[s + 2: s + 1 + read].tolist()
            with np.errstate(invalid="ignore"):  # NaN: not still, no turn
                if not (np.array(still) < CENTRE_STILL * off[s]).all():
                    continue
                if read >= 2:
                    turn = np.linalg.norm((centre[s + 2] - centre[s + 1]) - (centre[s - 1] - centre[s - 2]))
                    if not turn > CENTRE_TURN * size[v]:
                        continue
                if read >= self.after:
                    return True
            waiting = True
        return None if waiting else False
