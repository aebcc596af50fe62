"""Frame in, refined frame out: a trained network on a live pose stream, with a bounded lag.

Every ``stride``-th frame that arrives completes a window of F frames (with the full lag, offline refinement's
windows: the refiner's stride, 3D 3 and 2D 2 by default; else 1); the network refines that window at once and its
output is added to running sums for the frames it covers (the Sliding Window Average, kept incrementally). Frame t is
given back once ``lag`` (plus ``lookahead``, below) later frames have arrived, as the weighted mean of the windows
that cover it and are complete by then. With ``lag = F - 1`` (the default) that is every window, and the stream equals
offline :meth:`synsp.inference.refiner.Refiner.refine` on gap-free input with no gross error to take out (below),
frame for frame, ends included (at a stride > 1, except frame T - F: offline adds a last window ending at the last
frame, which the stream cuts only when it ends); a smaller lag averages fewer windows (lag 0: only the window that
ends at t), trading smoothness for latency. (Exactly so with the default float32 network; int8 layers,
``load_model(..., quantize=True)``, quantise their activations per batch, and a stream's batch is one window, so with
them the stream is within about a tenth of what refinement moves.) Many people at once:
:mod:`synsp.inference.people_stream`. A whole recording at once (every frame pushed, then flushed):
:meth:`StreamingRefiner.refine_all`.

Where the stream cannot see the future it differs from offline refinement (its measurements, cuts, units, joint
definitions, axes, floor step, clean input, pace and root trajectory): ``docs/streaming.md`` lists each way.

>>> stream = StreamingRefiner(synsp.load_model("synsp-h36m17"))  # doctest: +SKIP
>>> for frame in camera:                                          # doctest: +SKIP
...     for refined in stream.push(frame):                       # 0 or more (J, C) frames
...         show(refined)
>>> tail = stream.flush()                                         # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from synsp.errors import OptionError, ShapeError, check_fps, is_number
from synsp.inference.body_scale import size_factor
from synsp.inference.refiner import Refiner
from synsp.inference.stream_above import RunningAbove
from synsp.inference.stream_bones import RunningBoneLengths
from synsp.inference.stream_convention import RunningPull, keep_convention
from synsp.inference.stream_cuts import CutWatch
from synsp.inference.stream_drops import DropWatch
from synsp.inference.stream_fill import moved_fill
from synsp.inference.stream_handedness import RunningHandedness
from synsp.inference.stream_measurements import LOOKAHEAD, RunningMeasurements
from synsp.inference.stream_order import OrderedFront, StreamOrder, stream_layout
from synsp.inference.stream_output import StreamOutput
from synsp.inference.stream_pace import RunningPace, back_to_frames, paced_cuts, paced_window
from synsp.inference.stream_path_cuts import PathWatch
from synsp.inference.stream_switches import SwitchWatch
from synsp.inference.upright import needed_turn
from synsp.sequence import mm_per_unit, not_found
from synsp.skeleton import root_position

UNIT_EVIDENCE = 0.6  # a frame showing this share of the joints measures the body, hence the 3D unit
UNIT_WAIT = 30  # frames held at most while waiting for such a frame (1 s at 30 fps)
MAX_LOOKAHEAD = 30  # frames a stream may wait for the frames after one (stream_measurements)


class StreamingRefiner(OrderedFront, StreamOutput):
    """Refine a stream of poses one frame at a time (see the module docstring).

    Parameters
    ----------
    refiner : a trained model from :func:`synsp.load_model`.
    lag : frames between a frame's arrival and its refined output, 0 <= lag <= F - 1 (default F - 1: the offline
        result). The first frames wait for the first complete window (F frames).
    mm_per_unit : 3D only: millimetres per unit of the input (1000 for metres, 10 for centimetres, 1 for
        millimetres). None: decided from the first frame that shows most of the body (module docstring).
    stride : frames between window starts, 1 <= stride <= lag + 1 (so that every frame has a window by the time it
        is given back); default: the refiner's offline stride with the full lag, else 1 (a shorter lag averages fewer
        windows, and every one of them counts: benchmarks/RESULTS.md, section 15).
    phase : 0 <= phase < stride: after the first window (at the first detected frame), windows start where (start -
        first detected frame) % stride == phase; crowds give people different phases so that their windows fall due
        on different frames.
    lookahead : frames each frame waits for the ones after it, to tell glitches, held values, jumps, inversions and
        short gaps (module docstring), 0 <= lookahead <= 30 (default 3); it adds to ``lag``. 0: frames go to the
        network as they come.
    layout : the frames' joint order (a name of ``synsp.skeleton.LAYOUTS``; default the model's); of 17 joints
        read from the first frames as offline, the one given unless the poses contradict it (:mod:`~.stream_order`).
    fps : the frames' rate (None: 30), as offline's ``fps``: a stall's carry (half a second) and the unseen-motion step.
    """

    def __init__(self, refiner: Refiner, *, lag: int | None = None, mm_per_unit: float | None = None,
                 stride: int | None = None, phase: int = 0, lookahead: int = LOOKAHEAD, layout: str | None = None,
                 fps: float | None = None):
        if not isinstance(refiner, Refiner):
            raise OptionError(f"refiner must be a model from synsp.load_model, got {type(refiner).__name__}")
        f = refiner.window
        lag = f - 1 if lag is None else lag
        if not isinstance(lag, (int, np.integer)) or not 0 <= lag <= f - 1:
            raise OptionError(f"lag must be an int in [0, {f - 1}] for a window of {f} frames, got {lag!r}")
        if mm_per_unit is not None and not (is_number(mm_per_unit) and np.isfinite(mm_per_unit) and mm_per_unit > 0):
            raise OptionError(f"mm_per_unit must be a positive number (1000 for metres), got {mm_per_unit!r}")
        self.refiner = refiner.trace()  # a stream's few windows per frame run traced (Refiner.trace)
        self.lag = int(lag)
        if stride is None:
            stride = refiner.stride if self.lag == f - 1 else 1
        if not isinstance(stride, (int, np.integer)) or not 1 <= stride <= self.lag + 1:
            raise OptionError(f"stride must be an int in [1, lag + 1 = {self.lag + 1}], got {stride!r}")
        self.stride = int(stride)
        if not isinstance(phase, (int, np.integer)) or not 0 <= phase < self.stride:
            raise OptionError(f"phase must be an int in [0, stride = {self.stride}), got {phase!r}")
        self.phase = int(phase)
        if not isinstance(lookahead, (int, np.integer)) or not 0 <= lookahead <= MAX_LOOKAHEAD:
            raise OptionError(f"lookahead must be an int in [0, {MAX_LOOKAHEAD}], got {lookahead!r}")
        check_fps(fps)
        self.lookahead, self.fps = int(lookahead), None if fps is None else float(fps)
        self.cut_switches = True  # False: the caller tells switches of people (a crowd ends and starts the stream)
        self.mm_per_unit = None if mm_per_unit is None else float(mm_per_unit)
        self._order = StreamOrder.of(self, stream_layout(layout, refiner.layout))
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next frame starts a new one."""
        self._new_stream()  # no frame pushed; a user's reset: the order read anew (not the stream's own, in a flush)
        self._frames = 0  # frames pushed, including those before the first detection
        self._start: int | None = None  # index of the first detected frame
        self._windows = 0  # windows cut so far: the next one's index in the stream's regular cut
        self._last_end = -1  # the last one's last frame
        self._views: int | None = None  # None: frames are (J, C); else V of (V, J, C) frames
        self._dtype = np.dtype(np.float32)  # of the input frames, if floating
        self._unit = self.mm_per_unit if self.refiner.space == "3d" else 1.0  # None: not decided yet
        self._held: list[np.ndarray] = []  # (V, J, C) frames held until the 3D unit is decided
        self._last: np.ndarray | None = None  # (V, J, C) last filled frame, model units
        self._seen: np.ndarray | None = None  # (V, J) joints detected so far
        self._seen_by: dict[int, np.ndarray] = {}  # frame -> (V, J) joints detected by it, until given back
        self._inputs: dict[int, np.ndarray] = {}  # frame -> (V, J, C) model-space input (root-relative for 3D)
        self._inputs_from = 0  # the oldest frame whose input may still be kept
        self._roots: dict[int, np.ndarray] = {}  # frame -> (V, 1, 3) raw root, 3D only
        self._sums: dict[int, np.ndarray] = {}  # frame -> (V, J, C) summed final window outputs
        self._counts: dict[int, float] = {}  # frame -> summed SWAA weights
        self._next = 0  # next frame to give back
        self._lengths = RunningBoneLengths()  # of the frames given back
        self._pull = RunningPull()  # the network's local pull on each window so far
        self._axes: np.ndarray | None = None  # (C, C) model_axes of the first window; None: not turned
        self._hand = RunningHandedness(self)  # 2D: a selfie's mirror, read on the first frames (stream_handedness)
        model = self.refiner
        self._new_output_steps()  # the floor step, the shake, the low-pass, ... (stream_output)
        self._measured = RunningMeasurements(model.layout, self.lookahead, self.fps) if self.lookahead else None
        self._raw: dict[int, np.ndarray] = {}  # frame -> (V, J, C) filled model-unit input, root kept (clean step)
        self._watch = SwitchWatch()  # who the frames so far show
        self._pace = RunningPace(model.covered_fps, (self._lowpass, self._shake)) if model.follow_pace else None
        self._above = RunningAbove.of(self)  # 2D seen from high above, waist-up: SmoothNet's stream alongside
        self._cuts = CutWatch.of(self)  # a video cut: the stream ends there and starts afresh
        self._drops = DropWatch() if self.lookahead else None  # frames dropped from the capture (stream_drops)
        self._entered = 0  # frames into the stream's measurements, the frames put in at drops included
        self._put_in: set[int] = set()  # those frames (their index in the stream), taken out of the output

    def _push(self, frame: np.ndarray, validated: np.ndarray | None = None) -> np.ndarray:
        """:meth:`push` of a frame in the model's joints; ``validated``: its :meth:`_validate` done (StreamOrder)."""
        x = self._validate(frame) if validated is None else validated
        if validated is not None:  # checked at its push: only its views and dtype taken now
            self._adopt(np.asarray(frame))
        ended = []
        if self.cut_switches and self.switched(x):  # another person: the one before ends here
            kept = self._watch, self._cuts.path
            ended = [self.flush()]
            self.carry(*kept)
            x = self._validate(frame)
        out = ended + self._cuts.push(x)  # a jump's frames held until it is told a cut or not (stream_cuts)
        return np.concatenate(out) if out else self._shape_out([])

    def carry(self, watch: SwitchWatch, path: PathWatch) -> None:
        """After a switch, keep the sizes of ``watch`` and frames of ``path`` as offline's whole track."""
        self._watch.extents, self._cuts.path, path.start = watch.extents, path, path.count  # a start: the next frame

    @property
    def cuts(self) -> list[int]:
        """The frames (counted since the stream started) where it was cut: video cuts, swaps (:mod:`~.stream_cuts`)."""
        return list(self._cuts.cuts)

    @property
    def turn(self) -> tuple[int, np.ndarray | None]:
        """The windows cut so far and their (C, C) turn to the model's axes (the first window's; None: not turned)."""
        return self._windows, self._axes

    def mirror_from_now(self, flip: np.ndarray) -> None:
        """Refine the windows cut from now on mirrored by ``flip`` (C,) of +-1 (a second call: back): the mirror joins
        the turn to the model's axes, undone with it; the network's running pull starts afresh (stream_handedness)."""
        turn = np.diag(flip) @ (np.eye(len(flip)) if self._axes is None else self._axes)
        self._axes, self._pull = turn.astype(np.float32), RunningPull()

    def _enter(self, x: np.ndarray) -> list[np.ndarray]:
        """One (V, J, C) frame into the stream, past the cut watch and, with a lookahead, the drop watch: frames
        dropped before the frame before ``x``, read now, are put in behind it (:mod:`~.stream_drops`; it has not
        been given on, its lookahead); the frames that became ready."""
        if self._drops is not None:
            self._put_in_behind(self._drops.push(x))
        return self._measure(x)

    def _put_in_behind(self, count: int) -> None:
        """``count`` frames of NaN put in behind the newest frame in the stream's measurements, not given on yet;
        their outputs are taken out (:meth:`_given_back`)."""
        if not count or self._measured is None or not self._measured.pending:
            return
        newest = self._entered - 1
        self._put_in.update(range(newest, newest + count))
        self._entered += count
        self._measured.put_in(count)
        if self._above is not None:
            self._above.put_in(count)

    def _measure(self, x: np.ndarray) -> list[np.ndarray]:
        """One (V, J, C) frame into the stream's measurements; the frames that became ready."""
        self._entered += 1
        self._watch.remember(x)
        if self._above is not None:
            self._above.push(x)
        return [self._take(x)] if self._measured is None else [self._take(m) for m in self._measured.push(x)]

    def switched(self, frame: np.ndarray) -> bool:
        """Whether ``frame`` (J, C) or (V, J, C) shows another person than the frames before it in any view
        (:class:`~synsp.inference.stream_switches.SwitchWatch`): an estimator following one person jumped to someone
        else: the stream ends there (offline: :func:`~synsp.estimator_errors.track_switches.track_segments`)."""
        x = np.asarray(frame, np.float64)
        return self._watch.switched(x if x.ndim == 3 else x[None], self._cuts.held)

    def _take(self, x: np.ndarray) -> np.ndarray:
        """One measured (V, J, C) frame into the stream; the frames that became ready."""
        if self._unit is None and (self._held or np.isfinite(x).all(-1).any()):  # undetected: NaN at once
            self._held.append(x)
            if not self._decide_unit(final=False):
                return self._shape_out([])
            return self._release()
        return self._advance(x)

    def _decide_unit(self, final: bool) -> bool:
        """Set the 3D unit once a held frame shows a body (>= 60 % of the joints), or from the
        held frame with the most joints after :data:`UNIT_WAIT` frames or at the end."""
        counts = [int(np.isfinite(f).all(-1).sum(-1).max()) for f in self._held]  # joints seen, best view
        j = self._held[0].shape[-2]
        best = int(np.argmax(counts))
        if counts[best] >= UNIT_EVIDENCE * j or ((final or len(self._held) >= UNIT_WAIT) and counts[best]):
            frame = self._held[best]
            self._unit = mm_per_unit(frame)
            if self.refiner.trained_size and frame.shape[-2] == len(self.refiner.layout.joints):
                self._unit *= size_factor(frame * self._unit, self.refiner.layout)  # as offline
            return True
        if final or len(self._held) >= UNIT_WAIT:
            self._unit = 1.0  # nothing detected at all: the frames come back NaN whatever the unit
            return True
        return False

    def _release(self) -> np.ndarray:
        """Push the held frames now that the unit is known; their outputs, oldest first."""
        held, self._held = self._held, []
        out = [self._advance(x) for x in held]
        return np.concatenate(out) if out else self._shape_out([])

    def _advance(self, x: np.ndarray) -> np.ndarray:
        """One (V, J, C) frame through the stream, the unit known."""
        t = self._frames
        self._frames += 1
        if self._start is None:
            if not np.isfinite(x).all(-1).any():
                self._next = self._frames
                return self._shape_out([np.full(x.shape, np.nan, np.float32)])
            self._start = t
        detected = np.isfinite(x).all(-1)  # (V, J)
        self._seen = detected if self._seen is None else self._seen | detected
        self._seen_by[t] = self._seen
        model_frame = self._fill(x.astype(np.float32) * np.float32(self._unit))
        if self._clean is not None:
            self._raw[t] = model_frame
        if self.refiner.space == "3d":
            root = root_position(model_frame, self.refiner.layout)  # (V, 1, 3)
            self._roots[t] = root
            model_frame = model_frame - root
        self._inputs[t] = model_frame
        self._hand.add(self, model_frame)  # before this frame's windows: a crowd's run after every person's push
        stretch = None if self._pace is None else self._pace.add(model_frame)  # None: the frames as they come
        f = self.refiner.window
        start = t - self._start - (f - 1)  # the window of frames t-F+1..t is complete; is it due?
        if stretch is not None:
            if t - self._last_end >= max(1, int(self.stride / stretch)):
                self._add_paced_window(t, stretch)
        elif start == 0 or (start > 0 and start % self.stride == self.phase):
            self._add_window(t - f + 1, self._windows)
            self._windows, self._last_end = self._windows + 1, t
        # flush's last window may still need frames t-F+1..t; a frame not given back yet, its own (frames put in at
        # drops give the frames before them back later than lag frames of the stream)
        for old in range(self._inputs_from, min(t - f, self._next - 1) + 1):
            self._inputs.pop(old, None)
            self._inputs_from = old + 1
        return self._emit(upto=self._due(t), last=t)

    def _due(self, t: int) -> int:
        """The newest frame due once frame ``t`` is in: ``lag`` frames before it, frames put in at drops not counted
        (each of the caller's frames comes back ``lag + lookahead`` of its frames after it went in)."""
        if not self._put_in:
            return t - self.lag
        upto, after = t, 0
        while after < self.lag:
            after += upto not in self._put_in
            upto -= 1
        return upto

    def _flush(self) -> np.ndarray:
        untold = self._cuts.release()  # the frames after a jump the stream ends before telling
        if self._above is not None:
            self._above.flush()  # SmoothNet's frames first: the stream's last ones are blended with them
        waiting = [] if self._measured is None else [self._take(x) for x in self._measured.flush()]
        released = None
        if self._held:
            self._decide_unit(final=True)
            released = self._release()
        last, f = self._frames - 1, self.refiner.window
        span = 0 if self._start is None else last - self._start + 1
        if 0 < span < f:
            # A stream shorter than a window: pad with its last frame, as offline refinement does.
            held = [self._inputs[i] for i in range(self._start, last + 1)]
            held += [held[-1]] * (f - len(held))
            self._add_window(self._start, 0, np.stack(held, axis=1)[None])
        elif span >= f and self._last_end != last:
            # The last window due did not end at the last frame: one more that does, as offline.
            stretch = None if self._pace is None else self._pace.stretch
            if stretch is None:
                self._add_window(last - f + 1, self._windows)
            else:
                self._add_paced_window(last, stretch)
        out = self._emit(upto=last, last=last, final=True)
        self.reset()
        return np.concatenate([*untold, *waiting, *([] if released is None else [released]), out])

    def _validate(self, frame: np.ndarray) -> np.ndarray:
        """``frame`` checked, (V, J, C), "not found" NaN; its views and dtype taken (:meth:`_adopt`)."""
        x = np.asarray(frame)
        j, c = len(self.refiner.layout.joints), self.refiner.n_coords
        if x.ndim not in (2, 3) or x.shape[-2:] != (j, c):
            raise ShapeError(f"frame must be ({j}, {c}) or (V, {j}, {c}) for this {self.refiner.layout.name} "
                             f"{self.refiner.space} model, got shape {x.shape}")
        views = x.shape[0] if x.ndim == 3 else None
        started = self._frames or self._held or (self._measured is not None and self._measured.pending)
        if started and views != self._views:
            raise ShapeError(f"frame has shape {x.shape}, but this stream's frames are "
                             f"{'(J, C)' if self._views is None else f'({self._views}, J, C)'}; call reset() first")
        self._adopt(x)
        return self._zeros_missing(x if x.ndim == 3 else x[None])

    def _adopt(self, x: np.ndarray) -> None:
        """The stream takes frame ``x``'s ((J, C) or (V, J, C)) views and float dtype: its outputs' shape and kind."""
        self._views = x.shape[0] if x.ndim == 3 else None
        if np.issubdtype(x.dtype, np.floating):
            self._dtype = x.dtype

    def _zeros_missing(self, x: np.ndarray) -> np.ndarray:
        """(V, J, C) with the joints written as (0, 0) for "not found" made NaN, as offline (:func:`not_found`)."""
        zeros = not_found(x)
        return np.where(zeros[..., None], np.nan, x) if zeros.any() else x

    def _fill(self, x: np.ndarray) -> np.ndarray:
        """(V, J, C) with NaN -> each missing joint moved with the body from its last value (:mod:`~.stream_fill`)."""
        self._last = moved_fill(x, self._last, self.refiner.layout, self._seen)
        return self._last

    def _add_window(self, first: int, index: int, window: np.ndarray | None = None) -> None:
        """Refine the window from frame ``first``, the ``index``-th of the regular cut (swaa), and add it."""
        window = self._in_model_axes(self._window(first) if window is None else window, index)
        self._refine_window(first, index, window)

    def _refine_window(self, first: int | np.ndarray, index: int, window: np.ndarray) -> None:
        """The window (1, V, F, J, C) of :meth:`_add_window`, in the model's axes, refined and added."""
        mirrored = self.refiner.mirrored(np.array([index]))
        final = self.refiner.refine_windows(window, mirrored=mirrored)["final"]
        if self.refiner.keep_convention:
            final = keep_convention(self, window, final, mirrored)
        self._accumulate(first, final)

    def _add_paced_window(self, end: int, stretch: float) -> None:
        """Refine the window ending at frame ``end`` sampled ``1 / stretch`` frames apart, and one before it
        where frames would have none (:func:`~.stream_pace.paced_cuts`); its times stand for its first frame."""
        for times in paced_cuts(max(self._last_end, self._start - 1), end, stretch, self.refiner.window):
            self._add_window(times, self._windows, paced_window(self._inputs, times))
            self._windows, self._last_end = self._windows + 1, end

    def _in_model_axes(self, window: np.ndarray, index: int) -> np.ndarray:
        """The window (1, V, F, J, C) turned to the model's axes (:attr:`Refiner.upright`),
        which the stream's first window (``index`` 0) decides."""
        if index == 0 and self.refiner.upright:
            axes = needed_turn(window, self.refiner.layout)
            self._axes = None if axes is None else axes.astype(np.float32)
        return window if self._axes is None else window @ self._axes.T

    def _window(self, first: int) -> np.ndarray:
        """(1, V, F, J, C) model-space input window starting at frame ``first``."""
        return np.stack([self._inputs[first + k] for k in range(self.refiner.window)], axis=1)[None]

    def _accumulate(self, first: int | np.ndarray, final: np.ndarray) -> None:
        """Add the window's final output (1, V, F, J, C) in the model's axes, starting at frame
        ``first`` (or sampled at (F,) times ``first``: a paced window, brought back to the frames
        it spans), to the running sums (in the input's axes), each frame weighted as offline SWAA
        weights it (:attr:`Refiner.weights`)."""
        if self._axes is not None:
            final = final @ self._axes
        f = self.refiner.window
        weights = np.ones(f) if self.refiner.weights is None else self.refiner.weights
        if isinstance(first, np.ndarray):
            frames, values, weights = back_to_frames(final, first, weights)
        else:
            frames, values = first + np.arange(f), np.moveaxis(final[0], 1, 0)
        for i, value, weight in zip(frames.tolist(), values, weights):
            if i >= self._next:  # frames already given back take no more
                self._sums[i] = self._sums.get(i, 0.0) + weight * value
                self._counts[i] = self._counts.get(i, 0.0) + weight
