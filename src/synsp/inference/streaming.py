"""Frame in, refined frame out: a trained network on a live pose stream, with a bounded lag.

Every ``stride``-th frame that arrives completes a window of F frames (with the full lag,
offline refinement's windows: the refiner's stride, 3D 3 and 2D 2 by default; else 1); the
network refines that window at once and its output is added to running sums for the frames it
covers (the Sliding Window Average, kept incrementally). Frame t is given back once ``lag`` (plus
``lookahead``, below) later frames have arrived, as the weighted mean of the windows that cover
it and are complete by then. With ``lag = F - 1`` (the default) that is every window, and the
stream equals offline :meth:`synsp.inference.refiner.Refiner.refine` on gap-free input with no
gross error to take out (below), frame for frame, ends included
(at a stride > 1, except frame T - F: offline adds a last window ending at the last frame, which
the stream cuts only when it ends); a smaller lag averages fewer windows (lag 0: only the window
that ends at t), trading smoothness for latency. (Exactly so with a float32 network,
``load_model(..., quantize=False)``: int8 layers quantise their activations per batch, and a
stream's batch is one window, so with the default int8 network the stream is within about a
tenth of what refinement moves.) Many tracked people at once, in one batch per frame:
:mod:`synsp.inference.people_stream`.

Where the stream cannot see the future it differs from offline refinement:

- each frame waits ``lookahead`` frames (default 3) before the network sees it, and is measured
  on the two seconds before it and those frames after (:mod:`synsp.inference.stream_measurements`;
  offline: the whole clip): glitches (:mod:`synsp.estimator_errors.glitches`), held values
  (:mod:`synsp.estimator_errors.held_values`) and missing joints (NaN, or (0, 0) for "not found":
  :func:`synsp.sequence.not_found`) are filled between the frames around them, whole-body
  jumps (:func:`synsp.estimator_errors.glitches.body_jumps`) moved back and left/right inversions
  (:mod:`synsp.estimator_errors.inversions`) exchanged back, where the lookahead holds the frames that tell them;
  a gap longer than it holds the joint's last value, and an inversion longer than 0.7 s is
  exchanged back for 0.7 s only (``lookahead=0``: every gap, glitch, held value, jump and
  inversion is taken as it came); a joint not yet seen is NaN in the frames given back (as
  offline, which leaves a never-seen joint NaN; the network sees it at the centroid of the frame's
  other joints); frames before the first detection come back as NaN at once;
- a frame whose body lies more than half the person's size from where it was (a single-person
  estimator that jumped to someone else: :meth:`StreamingRefiner.switched`) ends the stream
  there, as offline cuts the track (:func:`synsp.estimator_errors.track_switches.track_segments`): the frames of the
  person before come back at once, and the new one starts afresh (its first frames wait for a
  window again);
- 3D units (mm, cm or m) are decided from a body, not from a joint or two: the stream holds its
  frames until one shows at least 60 % of the joints (or :data:`UNIT_WAIT` frames have passed,
  then from the frame with the most joints), then catches up; a body outside the trained sizes
  is refined at the nearest one, measured on that frame (offline: all frames);
  ``mm_per_unit=`` says the unit and nothing is held (nor resized);
- the input's joint definitions are kept (:attr:`Refiner.keep_convention`) with the median of
  the network's constant pull over the windows seen so far (offline: over the whole clip), so
  the first windows, which have little to measure it on, are the least sure of it (past
  ``PULL_HISTORY`` windows the history is thinned, evenly, to bound its cost); in 3D the
  bones are pulled towards the running mean of their lengths (offline: the clip's median);
- the clip's axes (:attr:`Refiner.upright`: which way is up, and in 3D left- or right-handed)
  are decided on the stream's first window (offline: on the whole clip) and kept until
  :meth:`reset`;
- the network's correction is kept in proportion to the model's floor (:mod:`synsp.inference.floor`)
  from the frames seen so far and the ``lag`` frames after (:mod:`synsp.inference.stream_floor`:
  running figures where offline has the whole clip's; the step fades in over the first second);
  then the output is low-passed as offline (:data:`synsp.inference.refiner.LOWPASS_HZ`), by the
  same zero-phase filter over the frames given back lately and the ``lag`` frames after
  (:mod:`synsp.inference.stream_lowpass`);
- nearly clean input keeps its values (:attr:`Refiner.keep_clean`) with each joint's noise and
  correction measured over the frames given back so far (:mod:`synsp.inference.stream_clean`;
  offline: over the whole clip);
- a track with many of the model's joints never seen (waist-up video) is refined by the network
  all the same (offline gives way to SmoothNet: :meth:`Refiner.gives_way`), and a 3D body is
  placed by its root joint (offline: by its joints' mean, :attr:`Refiner.mean_anchor`);
- the network sees the frames as they come, whatever the motion's pace: offline, a clip
  faster than the mocap's is refined as if filmed at a lower rate, with frames interpolated
  between the input's (:mod:`synsp.motion_pace`), which needs the whole clip's pace;
- the 3D root trajectory is smoothed by the same Savitzky-Golay fit as offline (9 frames,
  order 2), centred when ``lag >= 4``, else over the last 9 frames; the first ``8 - lag``
  frames of a 3D stream cannot wait for the 9 frames their fit needs and use fewer.

>>> stream = StreamingRefiner(synsp.load_model("synsp-h36m17"))  # doctest: +SKIP
>>> for frame in camera:                                          # doctest: +SKIP
...     for refined in stream.push(frame):                       # 0 or more (J, C) frames
...         show(refined)
>>> tail = stream.flush()                                         # doctest: +SKIP
"""
from __future__ import annotations

import warnings
from collections import deque
from functools import lru_cache

import numpy as np
from scipy.signal import savgol_coeffs

from synsp.consistency import constant_bone_lengths, frame_lengths, symmetric_lengths
from synsp.conventions import local_correction, symmetric_part
from synsp.errors import OptionError, ShapeError, is_number
from synsp.estimator_errors.track_switches import switched_people
from synsp.inference.body_scale import size_factor
from synsp.inference.refiner import Refiner
from synsp.inference.root_track import ROOT_ORDER, ROOT_WINDOW
from synsp.inference.stream_clean import HISTORY as CLEAN_HISTORY
from synsp.inference.stream_clean import RunningCleanStep, clean_steps
from synsp.inference.stream_floor import RunningFloorStep, floor_steps
from synsp.inference.stream_lowpass import RunningLowPass, lowpass_steps
from synsp.inference.stream_measurements import LOOKAHEAD, RunningMeasurements
from synsp.inference.upright import needed_turn
from synsp.sequence import mm_per_unit, nan_median, not_found
from synsp.skeleton import root_position

UNIT_EVIDENCE = 0.6  # a frame showing this share of the joints measures the body, hence the 3D unit
UNIT_WAIT = 30  # frames held at most while waiting for such a frame (1 s at 30 fps)
# At most this many windows' pulls are kept for keep_convention's running median; beyond it
# every other one is dropped, so the median costs the same after an hour as after a minute.
PULL_HISTORY = 512
MAX_LOOKAHEAD = 30  # frames a stream may wait for the frames after one (stream_measurements)
SIZE_FRAMES = 30  # the person's size for telling a switch of people: the median over this many detected frames


class StreamingRefiner:
    """Refine a stream of poses one frame at a time (see the module docstring).

    Parameters
    ----------
    refiner : a trained model from :func:`synsp.load_model`.
    lag : frames between a frame's arrival and its refined output, 0 <= lag <= F - 1
        (default F - 1: the offline result). The first frames wait for the first complete
        window (F frames).
    mm_per_unit : 3D only: millimetres per unit of the input (1000 for metres, 10 for
        centimetres, 1 for millimetres). None: decided from the first frame that shows most of
        the body (module docstring).
    stride : frames between window starts, 1 <= stride <= lag + 1 (so that every frame has a
        window by the time it is given back); default: the refiner's offline stride with the
        full lag, else 1 (a shorter lag averages fewer windows, and every one of them counts:
        benchmarks/RESULTS.md, section 15).
    phase : 0 <= phase < stride: after the first window (at the first detected frame), windows
        start where (start - first detected frame) % stride == phase; crowds give people
        different phases so that their windows fall due on different frames.
    lookahead : frames each frame waits for the ones after it, to tell glitches, held values,
        jumps, inversions and short gaps (module docstring), 0 <= lookahead <= 30 (default 3);
        it adds to ``lag``. 0: frames go to the network as they come.
    """

    def __init__(self, refiner: Refiner, *, lag: int | None = None, mm_per_unit: float | None = None,
                 stride: int | None = None, phase: int = 0, lookahead: int = LOOKAHEAD):
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
        self.lookahead = int(lookahead)
        self.cut_switches = True  # False: the caller tells switches of people (a crowd ends and starts the stream)
        self.mm_per_unit = None if mm_per_unit is None else float(mm_per_unit)
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next frame starts a new one."""
        self._frames = 0  # frames pushed, including those before the first detection
        self._start: int | None = None  # index of the first detected frame
        self._windows = 0  # windows cut so far: the next one's index in the stream's regular cut
        self._last_start = -1  # the last one's first frame, counted from self._start
        self._views: int | None = None  # None: frames are (J, C); else V of (V, J, C) frames
        self._dtype = np.dtype(np.float32)  # of the input frames, if floating
        self._unit = self.mm_per_unit if self.refiner.space == "3d" else 1.0  # None: not decided yet
        self._held: list[np.ndarray] = []  # (V, J, C) frames held until the 3D unit is decided
        self._last: np.ndarray | None = None  # (V, J, C) last filled frame, model units
        self._seen: np.ndarray | None = None  # (V, J) joints detected so far
        self._seen_by: dict[int, np.ndarray] = {}  # frame -> (V, J) joints detected by it, until given back
        self._inputs: dict[int, np.ndarray] = {}  # frame -> (V, J, C) model-space input (root-relative for 3D)
        self._roots: dict[int, np.ndarray] = {}  # frame -> (V, 1, 3) raw root, 3D only
        self._sums: dict[int, np.ndarray] = {}  # frame -> (V, J, C) summed final window outputs
        self._counts: dict[int, float] = {}  # frame -> summed SWAA weights
        self._next = 0  # next frame to give back
        self._bone_sum: np.ndarray | float = 0.0  # (V, bones) summed bone lengths of the frames given back
        self._bone_count = 0
        self._pulls: list[np.ndarray] = []  # (V, J, C) the network's local pull on each window so far
        self._axes: np.ndarray | None = None  # (C, C) model_axes of the first window; None: not turned
        model = self.refiner
        self._floor = (RunningFloorStep(model.floor, model.shrink, model.layout, model.drift_ramp)
                       if model.floor is not None and model.shrink else None)
        self._lowpass = RunningLowPass(model.lowpass_hz) if model.lowpass_hz else None
        self._measured = RunningMeasurements(model.layout, self.lookahead) if self.lookahead else None
        self._clean = RunningCleanStep(model.space) if model.keep_clean else None
        self._raw: dict[int, np.ndarray] = {}  # frame -> (V, J, C) filled model-unit input, root kept (clean step)
        self._last_seen: np.ndarray | None = None  # (V, J, C) each joint's last detected value, as it came
        self._extents: deque[np.ndarray] = deque(maxlen=SIZE_FRAMES)  # (V,) detected frames' box sides, NaN: none

    def push(self, frame: np.ndarray) -> np.ndarray:
        """Add one frame (J, C), or (V, J, C) for V views/persons; NaN marks missing joints.

        Returns the frames that became ready, oldest first: an array (k, J, C) or
        (k, V, J, C) with k >= 0, in the input's unit and dtype.
        """
        x = self._validate(frame)
        ended = []
        if self.cut_switches and self.switched(x):  # another person: the one before ends here
            ended = [self.flush()]
            x = self._validate(frame)
        self._remember(x)
        if self._measured is None:
            out = [self._take(x)]
        else:
            out = [self._take(measured) for measured in self._measured.push(x)]
        out = ended + out
        return np.concatenate(out) if out else self._shape_out([])

    def switched(self, frame: np.ndarray) -> bool:
        """Whether ``frame`` (J, C) or (V, J, C) shows another person than the frames before it in
        any view (:func:`synsp.estimator_errors.track_switches.switched_people` against each joint's last
        detected value, at the median size of the last :data:`SIZE_FRAMES` detected frames): an estimator that
        follows one person at a time and jumped to someone else. Offline, such a track is cut in
        two (:func:`synsp.estimator_errors.track_switches.track_segments`); a stream ends there and starts afresh."""
        if self._last_seen is None or not self._extents:
            return False
        x = np.asarray(frame, np.float64)
        x = x if x.ndim == 3 else x[None]
        sizes = nan_median(np.array(self._extents), axis=0)  # (V,); NaN for a view not seen in those frames
        return len(x) == len(self._last_seen) and bool(switched_people(self._last_seen, x, sizes).any())

    def _remember(self, x: np.ndarray) -> None:
        """Record the (V, J, C) frame's detected joints and, if it shows any, its boxes' largest sides."""
        seen = np.isfinite(x).all(-1)  # (V, J)
        if not seen.any():
            return
        self._last_seen = np.where(seen[..., None], x, np.nan if self._last_seen is None else self._last_seen)
        with warnings.catch_warnings():  # views without a joint seen
            warnings.simplefilter("ignore", RuntimeWarning)
            self._extents.append((np.nanmax(x, axis=1) - np.nanmin(x, axis=1)).max(axis=-1))

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
        f = self.refiner.window
        start = t - self._start - (f - 1)  # the window of frames t-F+1..t is complete; is it due?
        if start == 0 or (start > 0 and start % self.stride == self.phase):
            self._add_window(t - f + 1, self._windows)
            self._windows, self._last_start = self._windows + 1, start
        self._inputs.pop(t - f, None)  # flush's last window may still need frames t-F+1..t
        return self._emit(upto=t - self.lag, last=t)

    def flush(self) -> np.ndarray:
        """End the stream: give back every frame still held (k, J, C) or (k, V, J, C)."""
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
        elif span >= f and self._last_start != span - f:
            # The last window due did not end at the last frame: one more that does, as offline.
            self._add_window(last - f + 1, self._windows)
        out = self._emit(upto=last, last=last)
        self.reset()
        return np.concatenate([*waiting, *([] if released is None else [released]), out])

    def _validate(self, frame: np.ndarray) -> np.ndarray:
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
        self._views = views
        if np.issubdtype(x.dtype, np.floating):
            self._dtype = x.dtype
        return self._zeros_missing(x if x.ndim == 3 else x[None])

    def _zeros_missing(self, x: np.ndarray) -> np.ndarray:
        """(V, J, C) with the joints written as (0, 0) for "not found" made NaN, as offline (:func:`not_found`)."""
        zeros = not_found(x)
        return np.where(zeros[..., None], np.nan, x) if zeros.any() else x

    def _fill(self, x: np.ndarray) -> np.ndarray:
        """(V, J, C) with NaN -> each missing joint at its last value, or the frame's centroid."""
        missing = ~np.isfinite(x).all(-1)  # (V, J)
        if missing.any():
            x = x.copy()
            seen = (~missing)[..., None]  # a frame with no joint at all has no centroid: 0 then
            centroid = np.where(seen, x, 0.0).sum(1, keepdims=True) / np.maximum(seen.sum(1, keepdims=True), 1)
            fallback = np.broadcast_to(np.nan_to_num(centroid), x.shape)
            if self._last is not None:
                fallback = self._last
            x[missing] = fallback[missing]
        self._last = x
        return x

    def _add_window(self, first: int, index: int, window: np.ndarray | None = None) -> None:
        """Refine the window starting at frame ``first``, the ``index``-th of the stream's
        regular cut (:func:`synsp.inference.swaa.window_starts`), and add it to the running sums."""
        window = self._in_model_axes(self._window(first) if window is None else window, index)
        mirrored = self.refiner.mirrored(np.array([index]))
        final = self.refiner.refine_windows(window, mirrored=mirrored)["final"]
        if self.refiner.keep_convention:
            final = self._keep_convention(window, final, mirrored)
        self._accumulate(first, final)

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

    def _accumulate(self, first: int, final: np.ndarray) -> None:
        """Add the window's final output (1, V, F, J, C) in the model's axes, starting at frame
        ``first``, to the running sums (in the input's axes), each frame weighted as offline SWAA
        weights it (:attr:`Refiner.weights`)."""
        if self._axes is not None:
            final = final @ self._axes
        f = self.refiner.window
        weights = np.ones(f) if self.refiner.weights is None else self.refiner.weights
        for k in range(f):
            if first + k >= self._next:  # frames already given back take no more
                self._sums[first + k] = self._sums.get(first + k, 0.0) + weights[k] * final[0, :, k]
                self._counts[first + k] = self._counts.get(first + k, 0.0) + weights[k]

    def _keep_convention(self, window: np.ndarray, final: np.ndarray, mirrored: np.ndarray) -> np.ndarray:
        """The streaming form of :attr:`Refiner.keep_convention`: the window is refined again
        from the input moved by the running median of the network's constant pull (measured, as
        offline, in the body's local frames), then moved back."""
        shift = self._convention_shift(window, final)
        return self.refiner.refine_windows(window + shift, mirrored=mirrored)["final"] - shift

    def _convention_shift(self, window: np.ndarray, final: np.ndarray) -> np.ndarray:
        """(1, V, F, J, C) move of the window to the model's joint definitions: the running
        median of the network's constant pull (``final`` is its first output on ``window``)."""
        frames, local = local_correction(window[0], final[0], self.refiner.layout)  # (V, F, J, C, C), (V, F, J, C)
        return self._shift_from_local(frames, local)

    def _shift_from_local(self, frames: np.ndarray, local: np.ndarray) -> np.ndarray:
        """:meth:`_convention_shift` from the window's local frames and correction
        (:func:`synsp.conventions.local_correction`): records its pull, returns (1, V, F, J, C)."""
        pull = self._running_pull(self._window_pull(local))
        return np.einsum("vtjab,vjb->vtja", frames, pull).astype(np.float32)[None]

    def _window_pull(self, local: np.ndarray) -> np.ndarray:
        """The network's constant pull (..., J, C) on windows from their local correction (..., F, J, C)."""
        local = local.mean(axis=-3)
        if self.refiner.keep_convention == "symmetric":
            local = symmetric_part(local, self.refiner.layout)
        return local

    def _running_pull(self, pull: np.ndarray) -> np.ndarray:
        """Records a window's pull (V, J, C); returns the running median (V, J, C) of them all,
        robust to the windows with gross errors."""
        self._pulls.append(pull)
        if len(self._pulls) > PULL_HISTORY:  # a bounded cost per frame on long streams: thin the history
            self._pulls = self._pulls[::2]
        return np.median(self._pulls, axis=0)

    def _emit(self, upto: int, last: int) -> np.ndarray:
        """Give back frames up to ``upto`` that have at least one window; ``last`` = newest frame."""
        first = self._next
        frames, roots = self._collect(upto, last)
        if self._bone_step and len(frames):
            frames = self._bones(frames, self._bone_targets(frames))
        return finish_steps([(self, clip_steps([(self, frames, first, last)])[0], roots)])[0]

    def _floor_arguments(self, frames: np.ndarray, first: int, last: int) -> tuple[np.ndarray, ...]:
        """What the floor step (:mod:`synsp.inference.stream_floor`) takes for frames (k, V, J, C)
        given back from ``first``: them, their inputs, and the frames after them up to ``last`` as
        refined so far, and their inputs."""
        later = [i for i in range(first + len(frames), last + 1) if i in self._counts and i in self._inputs]
        v, j, c = self._frame_shape()
        later_refined = np.array([self._sums[i] / self._counts[i] for i in later]).reshape(-1, v, j, c)
        later_inputs = np.array([self._inputs[i] for i in later]).reshape(-1, v, j, c)
        inputs = np.stack([self._inputs[first + i] for i in range(len(frames))])
        return frames, inputs, later_refined, later_inputs

    def _collect(self, upto: int, last: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The frames ready up to ``upto``, SWAA-averaged (k, V, J, C) in model space, and in 3D
        their smoothed roots (k, V, 1, 3); they count as given back."""
        frames, roots = [], []
        while self._next <= upto and self._next in self._counts:
            t = self._next
            frames.append(self._sums.pop(t) / self._counts.pop(t))
            if self.refiner.space == "3d":
                roots.append(self._root_track(t, last))
                self._roots = {i: r for i, r in self._roots.items() if i >= t - ROOT_WINDOW}
            self._next += 1
        v, j, c = self._frame_shape()
        frames = np.stack(frames) if frames else np.zeros((0, v, j, c), np.float32)
        if self.refiner.space != "3d":
            return frames, None
        return frames, np.stack(roots) if roots else np.zeros((0, v, 1, 3), np.float32)

    @property
    def _bone_step(self) -> bool:
        """Whether frames given back get :meth:`_bones` (3D with a bone strength)."""
        return self.refiner.space == "3d" and bool(self.refiner.bone_strength)

    def _bones(self, frames: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """:func:`synsp.consistency.constant_bone_lengths` of frames (k, V, J, 3) towards
        bone lengths (k, V, B): the running means of :meth:`_bone_targets` (offline: the median
        over the clip)."""
        return constant_bone_lengths(frames[:, :, None], self.refiner.layout, self.refiner.bone_strength,
                                     targets)[:, :, 0]

    def _bone_targets(self, frames: np.ndarray) -> np.ndarray:
        """(k, V, B) running mean bone lengths, this frame's included, after each of the frames
        (k, V, J, 3) about to be given back; records them."""
        layout = self.refiner.layout
        lengths = symmetric_lengths(frame_lengths(frames, layout), layout)
        if not len(frames):
            return lengths
        running = self._bone_sum + np.cumsum(lengths, axis=0)
        counts = self._bone_count + np.arange(1, len(frames) + 1)
        self._bone_sum, self._bone_count = running[-1], int(counts[-1])
        return running / counts[:, None, None]

    def _clean_arguments(self, frames: np.ndarray) -> tuple:
        """What the streaming form of :attr:`Refiner.keep_clean` (:mod:`synsp.inference.stream_clean`)
        takes for the frames (k, V, J, C) about to be given back, in model units with their roots."""
        first = self._next - len(frames)
        frames_around = sorted(i for i in self._raw if i >= first - CLEAN_HISTORY)
        around = np.stack([self._raw[i] for i in frames_around])
        at = frames_around.index(first)
        self._raw = {i: r for i, r in self._raw.items() if i >= self._next - CLEAN_HISTORY}
        return frames, around[at:at + len(frames)], around, at

    def _given_back(self, frames: np.ndarray) -> np.ndarray:
        """Frames (k, V, J, C) in model units after the clean step (:func:`finish_steps`), the k
        before ``_next``, back to the input's unit and shape; NaN for joints not detected by then."""
        if len(frames):
            # the centroid the network saw for a joint never detected is no measurement of it
            seen = np.stack([self._seen_by.pop(t) for t in range(self._next - len(frames), self._next)])
            frames = np.where(seen[..., None], frames, np.nan)
        return self._shape_out(frames / np.float32(self._unit))

    def _root_track(self, t: int, last: int) -> np.ndarray:
        """Savitzky-Golay value of the root at frame ``t`` from the frames seen up to ``last``:
        the fit centred on t where the frames exist, else the one nearest the edge (as offline)."""
        span = last - self._start + 1
        w = min(ROOT_WINDOW, span if span % 2 else span - 1)
        if w <= ROOT_ORDER:
            return self._roots[t]
        first = min(max(t - w // 2, self._start), last - w + 1)
        coeffs = _root_coeffs(w, t - first)
        return np.tensordot(coeffs, np.stack([self._roots[first + k] for k in range(w)]), axes=1)

    def _frame_shape(self) -> tuple[int, int, int]:
        """(V, J, C) of one model-space frame (V = 1 for (J, C) frames)."""
        return (1 if self._views is None else self._views), len(self.refiner.layout.joints), self.refiner.n_coords

    def _shape_out(self, frames: list[np.ndarray] | np.ndarray) -> np.ndarray:
        out = np.stack(frames) if len(frames) else np.zeros((0, *self._frame_shape()))
        out = out.astype(self._dtype, copy=False)
        return out[:, 0] if self._views is None else out


def clip_steps(parts: list[tuple[StreamingRefiner, np.ndarray, int, int]]) -> list[np.ndarray]:
    """The floor step, then the low-pass, of each ``(stream, frames, first, last)``: frames
    (k, V, J, C) in model space given back from frame ``first``, ``last`` the newest frame. Each
    step's filters run in one call for every stream (a crowd's people), and their results are
    each stream's own."""
    out = [frames for _, frames, _, _ in parts]
    arguments = [stream._floor_arguments(frames, first, last)
                 if len(frames) and (stream._floor is not None or stream._lowpass is not None) else None
                 for stream, frames, first, last in parts]
    later = [None if a is None else a[2] for a in arguments]
    floored = [i for i, (stream, *_) in enumerate(parts) if stream._floor is not None and arguments[i] is not None]
    for i, (frames, after) in zip(floored, floor_steps([(parts[i][0]._floor, arguments[i]) for i in floored])):
        out[i], later[i] = frames, after
    passed = [i for i, (stream, *_) in enumerate(parts) if stream._lowpass is not None and arguments[i] is not None]
    for i, frames in zip(passed, lowpass_steps([(parts[i][0]._lowpass, (out[i], later[i])) for i in passed])):
        out[i] = frames
    return out


def finish_steps(parts: list[tuple[StreamingRefiner, np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
    """Each ``(stream, frames, roots)``'s frames (k, V, J, C) in model space, the last ``_collect``
    gave (and their roots, 3D; else None), back to the input's place, unit and shape, after the
    clean step: its filters in one call for every stream (a crowd's people), the results each
    stream's own."""
    out = [frames if roots is None else frames + roots for _, frames, roots in parts]
    kept = [i for i, (stream, *_) in enumerate(parts) if stream._clean is not None and len(out[i])]
    for i, frames in zip(kept, clean_steps([(parts[i][0]._clean, parts[i][0]._clean_arguments(out[i]))
                                            for i in kept])):
        out[i] = frames
    return [stream._given_back(frames) for (stream, *_), frames in zip(parts, out)]


@lru_cache(maxsize=128)  # every person's root at every frame asks for one of a few fits
def _root_coeffs(window: int, pos: int) -> np.ndarray:
    """Savitzky-Golay weights (window,) of the root's fit at position ``pos`` of its window."""
    coeffs = savgol_coeffs(window, ROOT_ORDER, pos=pos, use="dot")
    coeffs.flags.writeable = False
    return coeffs
