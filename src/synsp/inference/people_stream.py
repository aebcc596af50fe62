"""Many people live: one :class:`StreamingRefiner` per person, one network batch per frame.

A frame of a multi-person estimator holds P people, each with an id that follows them from
frame to frame (a tracker's). Each person is refined exactly as a single-person
:class:`~synsp.inference.streaming.StreamingRefiner` with that person's stride ``phase`` (below)
would refine them alone (same lag, same output; with another phase, other windows: up to a few
tenths of a pixel apart), but the windows that every person completes at a frame go through the network
together, in one batch (two with ``keep_convention``), so the per-frame cost grows far more
slowly than P streams would (benchmarks/speed.py, "Streaming, many people"). With a stride > 1
each new person gets the ``phase`` of the stride where the fewest people's windows fall due,
so that no frame carries everyone's windows (their stream alone: ``StreamingRefiner(phase=)``).

People come and go: a new id starts a new stream, and so does an id whose body jumped by more
than half its size, to someone else (:meth:`StreamingRefiner.switched`; the stream before ends
there and gives its frames back); an id missing from a frame counts as a
frame where every joint of that person is missing (held at its last value, as the
single-person stream does for missing joints) and comes back as NaN; an id missing for more
than ``patience`` frames in a row is ended (its held frames given back) and forgotten, so a
later return starts afresh.

>>> crowd = MultiPersonStreamingRefiner(synsp.load_model("synsp-h36m17"))  # doctest: +SKIP
>>> for poses, ids in tracker:                           # poses (P, J, C), ids P track ids
...     for person, frames in crowd.push(poses, ids).items():  # id -> (k, J, C), k >= 0
...         show(person, frames)
>>> tail = crowd.flush()                                 # doctest: +SKIP
"""
from __future__ import annotations

from collections import deque
from typing import Hashable, Sequence

import numpy as np

from synsp.conventions import local_correction
from synsp.inference.refiner import Refiner
from synsp.inference.stream_convention import window_pull
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.inference.stream_output import clip_steps, finish_steps
from synsp.inference.streaming import StreamingRefiner
from synsp.sequence import not_found


class _PersonStream(StreamingRefiner):
    """A single-person stream whose windows wait for the crowd's batch while ``deferred``."""

    def reset(self) -> None:
        super().reset()
        self.cut_switches = False  # the crowd ends this stream and starts another (push)
        self.deferred = False
        self.pending: list[tuple[int, int, np.ndarray]] = []  # (first frame, index, (1, 1, F, J, C) window)
        self.emit_request: tuple[int, int] | None = None
        self.absent: deque[bool] = deque()  # per pushed frame not yet given back: was the person absent
        self.created = 0  # the crowd's frame when this person was first seen

    def _zeros_missing(self, x: np.ndarray) -> np.ndarray:
        return x  # the crowd's push found them for every person at once

    def _add_window(self, first: int, index: int, window: np.ndarray | None = None) -> None:
        if not self.deferred:
            return super()._add_window(first, index, window)
        self.pending.append((first, index, self._in_model_axes(self._window(first) if window is None else window,
                                                                index)))

    def _emit(self, upto: int, last: int, final: bool = False) -> np.ndarray:
        if not self.deferred:
            return super()._emit(upto, last, final)
        self.emit_request = (upto, last)
        return self._shape_out([])

    def _advance(self, x: np.ndarray) -> np.ndarray:
        if not (self.deferred and self.emit_request is not None):
            return super()._advance(x)
        # Several frames enter in one push (those held at a jump given on together, a 3D stream's held for its
        # unit): the one before is refined and given back now, alone, as the stream alone gives it, before this
        # one moves the stream's history on (the crowd's batch takes each push's last frame only; giving the
        # earlier ones there, with it, read inputs the stream no longer held: KeyError).
        for first, index, window in self.pending:
            self._refine_window(first, index, window)
        (upto, last), self.pending, self.emit_request = self.emit_request, [], None
        before = super()._emit(upto, last)
        return np.concatenate([before, super()._advance(x)])


class MultiPersonStreamingRefiner:
    """Refine P tracked people frame by frame, all in one network batch (module docstring).

    Parameters
    ----------
    refiner : a trained model from :func:`synsp.load_model` (one person's poses (J, C)).
    lag, stride, lookahead, fps : as :class:`StreamingRefiner` (default lag F - 1: each person's offline
        result; lookahead 3 frames, for each person's glitches, held values, jumps, inversions
        and short gaps; fps None: 30).
    patience : frames an id may be missing before its stream ends (default 30).
    """

    def __init__(self, refiner: Refiner, *, lag: int | None = None, patience: int = 30, stride: int | None = None,
                 lookahead: int = LOOKAHEAD, fps: float | None = None):
        if not isinstance(patience, (int, np.integer)) or patience < 0:
            raise ValueError(f"patience must be an int >= 0, got {patience!r}")
        # checks lag, stride, lookahead and fps, fills their defaults
        probe = StreamingRefiner(refiner, lag=lag, stride=stride, lookahead=lookahead, fps=fps)
        self.refiner, self.lag, self.stride, self.patience = refiner, probe.lag, probe.stride, int(patience)
        self.lookahead, self.fps = probe.lookahead, probe.fps
        self._people: dict[Hashable, _PersonStream] = {}
        self._missed: dict[Hashable, int] = {}  # id -> frames missing in a row
        self._frame = 0  # frames pushed

    @property
    def people(self) -> list[Hashable]:
        """Ids of the streams alive now (seen within ``patience`` frames)."""
        return list(self._people)

    def gave_way(self, pid: Hashable) -> float:
        """The share of the model's joints person ``pid``'s stream has not seen in any frame so far where that stream
        gave way to SmoothNet's for them (:attr:`StreamingRefiner.gave_way`, a waist-up view); 0.0 where it did not
        (or no stream of ``pid`` is alive)."""
        stream = self._people.get(pid)
        return stream.unseen if stream is not None and stream.gave_way else 0.0

    def push(self, poses: np.ndarray, ids: Sequence[Hashable] | None = None) -> dict[Hashable, np.ndarray]:
        """Add one frame of P people.

        Parameters
        ----------
        poses : (P, J, C) array (P >= 0), NaN for missing joints, in any unit the single
            stream takes (3D: mm, cm or m; 2D: pixels).
        ids : P distinct track ids (default 0..P-1).

        Returns
        -------
        dict id -> (k, J, C) frames of that person that became ready (k >= 0, oldest first;
        NaN where the person was absent). Ids that ended this frame are included with all
        their held frames.
        """
        x = np.asarray(poses)
        j, c = len(self.refiner.layout.joints), self.refiner.n_coords
        if x.ndim != 3 or x.shape[1:] != (j, c):
            raise ValueError(f"poses must be (P, {j}, {c}) for this {self.refiner.layout.name} "
                             f"{self.refiner.space} model, got shape {x.shape}")
        zeros = not_found(x)  # (P, J): (0, 0) written for a joint not found, as offline
        if zeros.any():
            x = np.where(zeros[..., None], np.nan, x)
        ids = list(range(len(x))) if ids is None else list(ids)
        if len(ids) != len(x) or len(set(ids)) != len(ids):
            raise ValueError(f"ids must be {len(x)} distinct ids, one per person, got {ids!r}")
        frames = dict(zip(ids, x))
        out: dict[Hashable, np.ndarray] = {}
        for pid in list(self._people):
            if pid not in frames:
                self._missed[pid] += 1
                if self._missed[pid] > self.patience:
                    out[pid] = self._end(pid)
        ended: dict[Hashable, np.ndarray] = {}
        for pid, frame in frames.items():
            kept = None
            if pid in self._people and self._people[pid].switched(frame):  # the tracker's id went to someone else
                kept = self._people[pid]._watch, self._people[pid]._cuts.path
                ended[pid] = self._end(pid)
            if pid not in self._people:
                self._people[pid] = self._new_stream()
                if kept is not None:
                    self._people[pid].carry(*kept)  # the person's sizes and path frames, as offline's whole track
            self._missed[pid] = 0
        self._frame += 1
        streams = self._people
        early: dict[Hashable, np.ndarray] = {}
        for pid, stream in streams.items():
            stream.deferred = True
            absent = pid not in frames
            stream.absent.append(absent)
            early[pid] = stream.push(np.full((j, c), np.nan, stream._dtype) if absent else frames[pid])
        self._run_pending(list(streams.values()))
        emitted = self._emit_together([stream for stream in streams.values() if stream.emit_request is not None])
        for pid, stream in streams.items():
            stream.deferred = False
            ready = early[pid]
            if stream in emitted:
                ready = np.concatenate([ready, emitted[stream]])
            out[pid] = self._mask_absent(stream, ready)
            if pid in ended:
                out[pid] = np.concatenate([ended[pid], out[pid]])
        return out

    def _new_stream(self) -> _PersonStream:
        """A stream for a person first seen this frame, its windows due on the frames (modulo
        its stride) where the fewest people's fall due: the network's work spread over frames."""
        stride = self.stride
        load = np.bincount([(other.created + other.phase) % stride for other in self._people.values()],
                           minlength=stride)
        stream = _PersonStream(self.refiner, lag=self.lag, stride=stride,
                               phase=(int(np.argmin(load)) - self._frame) % stride, lookahead=self.lookahead,
                               fps=self.fps)
        stream.created = self._frame
        stream.in_model_joints()  # the crowd's frames: PoseStream converts other layouts
        return stream

    def flush(self) -> dict[Hashable, np.ndarray]:
        """End every stream: id -> all its held frames (k, J, C)."""
        return {pid: self._end(pid) for pid in list(self._people)}

    def _end(self, pid: Hashable) -> np.ndarray:
        stream = self._people.pop(pid)
        self._missed.pop(pid)
        stream.deferred = False
        absent = stream.absent
        tail = stream.flush()
        stream.absent = absent
        return self._mask_absent(stream, tail)

    @staticmethod
    def _mask_absent(stream: _PersonStream, ready: np.ndarray) -> np.ndarray:
        """NaN for the frames where the person was absent (popped in order from ``stream.absent``)."""
        flags = np.array([stream.absent.popleft() for _ in range(len(ready))], dtype=bool)
        if flags.any():
            ready = ready.copy()
            ready[flags] = np.nan
        return ready

    def _run_pending(self, streams: list[_PersonStream]) -> None:
        """Every window the streams completed this frame, through the network in one batch."""
        jobs = [(stream, first, index, window) for stream in streams for first, index, window in stream.pending]
        for stream in streams:
            stream.pending = []
        if not jobs:
            return
        windows = np.concatenate([window for *_, window in jobs])  # (N, 1, F, J, C)
        mirrored = self.refiner.mirrored(np.array([index for _, _, index, _ in jobs]))
        final = self.refiner.refine_windows(windows, mirrored=mirrored)["final"]
        if self.refiner.keep_convention:  # each person's own running pull, from one batched local_correction
            frames, local = local_correction(windows[:, 0], final[:, 0], self.refiner.layout)
            never = np.concatenate([~job[0]._seen for job in jobs])  # (N, J): each window's joints not seen so far
            pulls = window_pull(local, self.refiner.layout, self.refiner.keep_convention == "symmetric",
                                never if never.any() else None)  # (N, J, C)
            pulls = np.stack([job[0]._pull.add(pulls[i : i + 1])[0] for i, job in enumerate(jobs)])
            shift = np.einsum("ntjab,njb->ntja", frames, pulls).astype(np.float32)[:, None]
            final = self.refiner.refine_windows(windows + shift, mirrored=mirrored)["final"] - shift
        for i, (stream, first, *_) in enumerate(jobs):
            stream._accumulate(first, final[i : i + 1])

    def _emit_together(self, streams: list[_PersonStream]) -> dict[_PersonStream, np.ndarray]:
        """Each stream's frames ready this frame, as its ``_emit`` would give them, with
        the bone step of every person's frames in one call and each later step's filters in one
        (the floor step, the low-pass and the clean step)."""
        requests = [(stream._next, *stream.emit_request) for stream in streams]  # (first, upto, last)
        collected = [stream._collect(upto, last) for stream, (_, upto, last) in zip(streams, requests)]
        if not collected:
            return {}
        for stream in streams:
            stream.emit_request = None
        frames = np.concatenate([frames for frames, _ in collected])  # (N, 1, J, C)
        if streams[0]._bone_step and len(frames):
            seen = [stream._bone_seen(len(f)) for stream, (f, _) in zip(streams, collected)]
            targets = np.concatenate([stream._bone_targets(f, s)
                                      for stream, (f, _), s in zip(streams, collected, seen)])
            seen = None if all(s is None for s in seen) else np.concatenate(
                [np.ones(f.shape[:-1], bool) if s is None else s for (f, _), s in zip(collected, seen)])
            frames = streams[0]._bones(frames, targets, seen)
        bounds = np.cumsum([0] + [len(f) for f, _ in collected])
        given = clip_steps([(stream, frames[a:b], first, last)  # everyone's, each step's filters in one call
                            for stream, a, b, (first, _, last) in zip(streams, bounds[:-1], bounds[1:], requests)])
        return dict(zip(streams, finish_steps([(stream, part, roots)  # the clean steps' filters in one call too
                                               for stream, part, (_, roots) in zip(streams, given, collected)])))
