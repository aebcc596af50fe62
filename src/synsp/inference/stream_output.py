"""How a stream gives its frames back: the windows' running sums collected (SWAA), the bones
pulled towards their running lengths, the floor step, the whole-body shake (track, size and
orientation) steadied, the low-pass, a camera's pan given back (2D), the over-smoothing given back and the
clean step, each batched across a crowd's people
(:func:`clip_steps`, :func:`finish_steps`), then the root, the unit and the input's shape; a value that came out
NaN, before the low-pass (which would fill it) or at the end, given as the stream's input (:mod:`~.finite_output`).
:class:`~synsp.inference.streaming.StreamingRefiner` is one of these."""
from __future__ import annotations

import warnings

import numpy as np

from synsp.consistency import constant_bone_lengths
from synsp.errors import InternalError
from synsp.inference.finite_output import finite_frames
from synsp.inference.root_track import ROOT_WINDOW, running_root
from synsp.inference.stream_clean import HISTORY as CLEAN_HISTORY
from synsp.inference.stream_clean import RunningCleanStep, clean_steps
from synsp.inference.stream_floor import RunningFloorStep, floor_steps
from synsp.inference.stream_lowpass import RunningLowPass, lowpass_steps
from synsp.inference.stream_oversmoothing import RunningGiveBack
from synsp.inference.stream_pan import RunningPan
from synsp.inference.stream_repeat import second_pass
from synsp.inference.stream_shake import RunningShake, shake_steps
from synsp.inference.stream_unseen_motion import RunningUnseenMotion
from synsp.inference.stream_white_noise import RunningWhiteNoise


class StreamOutput:
    """The output side of a stream. Its subclass :class:`~synsp.inference.streaming.StreamingRefiner`
    sets what is read here: ``refiner``, the running sums ``_sums`` and ``_counts``, ``_inputs``,
    ``_raw``, ``_roots``, ``_pace``, ``_seen_by``, ``_next``, ``_start``, ``_views``, ``_dtype``, ``_unit``, ``fps``,
    ``_lengths`` and the steps ``_floor`` (with ``_repeat``), ``_shake``, ``_lowpass``, ``_pan``, ``_give_back``,
    ``_clean``, ``_above``, ``_put_in`` (frames put in at drops, taken out here)."""

    not_finite = 0  # joint values that came out NaN and were given as the stream's input (finite_output)

    @property
    def gave_way(self) -> bool:
        """Whether the stream has given its frames to SmoothNet's stream since it started because more than the
        refiner's ``max_unseen`` of the joints were not seen in any frame so far (a waist-up view:
        :mod:`~synsp.inference.stream_above`), as offline ``Refiner.gave_way``; it falls back to SynSP's output
        once enough of them are seen."""
        return bool(self._above is not None and self._above.gave_way)

    @property
    def unseen(self) -> float:
        """The share (0-1) of the model's joints not seen in any frame so far (0.0 before any is seen)."""
        return 0.0 if self._above is None else self._above.unseen

    def _new_output_steps(self) -> None:
        """The steps :func:`clip_steps` and :func:`finish_steps` run, new (the stream's ``reset``):
        each None where the model does not take it."""
        model = self.refiner
        self._floor = (RunningFloorStep(model.floor, model.shrink, model.layout, model.drift_ramp)
                       if model.floor is not None and model.shrink else None)
        self._repeat = second_pass(self)  # 2D: the floor step's strength from a second pass (stream_repeat)
        # a box's shake (2D: the track step, stream_shake), the size and orientation wobbling (2D and 3D)
        self._shake = (RunningShake(model.shake_hz, track=model.space == "2d", layout=model.layout)
                       if model.shake_hz else None)
        self._lowpass = RunningLowPass(model.lowpass_hz) if model.lowpass_hz else None
        self._pan = RunningPan() if model.keep_pans and model.space == "2d" else None  # a camera's pan (2D SynSP)
        self._give_back = RunningGiveBack(pooled=model.space == "3d") if model.give_back_motion else None
        self._clean = (RunningCleanStep(model.space, lambda: None if self._floor is None else self._floor.drift,
                                        RunningWhiteNoise.of(model),
                                        RunningUnseenMotion.of(model, self._floor, self.fps))
                       if model.keep_clean else None)
        self._raw_stack: tuple[list[int], list[np.ndarray], np.ndarray | None] = ([], [], None)  # _stacked_raw's

    def _emit(self, upto: int, last: int, final: bool = False) -> np.ndarray:
        """Give back frames up to ``upto`` that have at least one window; ``last`` = newest frame;
        ``final``: the stream ends (flush), so every frame up to ``last`` must have one."""
        first = self._next
        frames, roots = self._collect(upto, last, final)
        if self._bone_step and len(frames):
            seen = self._bone_seen(len(frames))
            frames = self._bones(frames, self._bone_targets(frames, seen), seen)
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

    def _collect(self, upto: int, last: int, final: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """The frames ready up to ``upto``, SWAA-averaged (k, V, J, C) in model space, and in 3D
        their smoothed roots (k, V, 1, 3); they count as given back. A frame due that no window
        covers and none can cover any more (all later windows start after it; at the end, ``final``,
        any) would hold every later frame for ever: an :class:`InternalError`, never a silent stop."""
        frames, roots = [], []
        stop = self._next
        while stop <= upto and stop in self._counts:
            stop += 1
        if stop <= upto and (final or stop <= last + 1 - self.refiner.window):
            raise InternalError(f"frame {stop} of the stream was covered by no window of the network, so it and "
                                f"the {last - stop} frames after it could not be given back")
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

    def _bones(self, frames: np.ndarray, targets: np.ndarray, seen: np.ndarray | None = None) -> np.ndarray:
        """:func:`synsp.consistency.constant_bone_lengths` of frames (k, V, J, 3) towards
        bone lengths (k, V, B): the running means of :meth:`_bone_targets` (offline: the median
        over the clip); ``seen`` (k, V, J) of :meth:`_bone_seen`: a limb not seen so far is a stand-in, as offline."""
        return constant_bone_lengths(frames[:, :, None], self.refiner.layout, self.refiner.bone_strength,
                                     targets, None if seen is None else seen[:, :, None])[:, :, 0]

    def _bone_targets(self, frames: np.ndarray, seen: np.ndarray | None = None) -> np.ndarray:
        """(k, V, B) running mean bone lengths after each of the frames (k, V, J, 3) about to be given back,
        stand-ins (not ``seen``, (k, V, J) or None) counting as offline's."""
        return self._lengths.add(frames, self.refiner.layout, None if seen is None else ~seen)

    def _bone_seen(self, k: int) -> np.ndarray | None:
        """(k, V, J) joints seen by each of the k frames just collected, None if every joint was: a joint not seen
        so far stands at the centroid for the network, and the bone step must not read it as a measurement."""
        if not k:  # a crowd's person with no frame due this round
            return None
        seen = np.stack([self._seen_by[t] for t in range(self._next - k, self._next)])
        return None if seen.all() else seen

    def _clean_arguments(self, frames: np.ndarray) -> tuple:
        """What the streaming form of :attr:`Refiner.keep_clean` (:mod:`synsp.inference.stream_clean`)
        takes for the frames (k, V, J, C) about to be given back, in model units with their roots
        (and the input's grid step, :meth:`~synsp.inference.stream_clean.RunningCleanStep.grid`)."""
        first = self._next - len(frames)
        frames_around = sorted(i for i in self._raw if i >= first - CLEAN_HISTORY)
        around = self._stacked_raw(frames_around)
        at = frames_around.index(first)
        grid = self._clean.grid(frames_around, self._raw)
        self._raw = {i: r for i, r in self._raw.items() if i >= self._next - CLEAN_HISTORY}
        return frames, around[at:at + len(frames)], around, at, grid

    def _stacked_raw(self, frames: list[int]) -> np.ndarray:
        """``np.stack([self._raw[i] for i in frames])``, read-only, the rows the last call stacked
        kept: a stream's history shifts by a frame or two each time, and stacking its ~70 frames anew
        per person and frame cost a crowd of ten ~0.5 ms a frame. Stacked anew unless the last call's
        frames from ``frames[0]`` on are the same arrays, every one of the stack's dtype."""
        arrays = [self._raw[i] for i in frames]
        keys, kept, stack = self._raw_stack
        start = keys.index(frames[0]) if frames and frames[0] in keys else None
        n = len(keys) - (start or 0)
        if (start is None or keys[start:] != frames[:n] or any(a is not b for a, b in zip(kept[start:], arrays))
                or any(a.dtype != stack.dtype for a in arrays[n:])):
            stack = np.stack(arrays)
            if any(a.dtype != stack.dtype for a in arrays):  # mixed: stacked anew next time too
                return stack
        elif len(arrays) > n:
            stack = np.concatenate([stack[start:], np.stack(arrays[n:])])
        else:
            stack = stack[start:]
        stack.flags.writeable = False  # kept for the next call: the steps reading it must not write to it
        self._raw_stack = (frames, arrays, stack)
        return stack

    def _given_back(self, frames: np.ndarray) -> np.ndarray:
        """Frames (k, V, J, C) in model units after the clean step (:func:`finish_steps`), the k
        before ``_next``, back to the input's unit and shape; NaN for joints not detected by then."""
        if len(frames):
            # the centroid the network saw for a joint never detected is no measurement of it
            seen = np.stack([self._seen_by.pop(t) for t in range(self._next - len(frames), self._next)])
            frames = np.where(seen[..., None], frames, np.nan)
        frames = frames / np.float32(self._unit)
        first = self._next - len(frames)
        if self._above is not None:  # 2D seen from high above: SmoothNet's in part (stream_above)
            frames = self._above.blend(frames, first)
        if self._put_in:  # frames put in where the capture dropped some (stream_drops): not the caller's
            frames = frames[[t not in self._put_in for t in range(first, self._next)]]
            self._put_in.difference_update(range(first, self._next))
        return self._shape_out(frames)

    def _finite(self, frames: np.ndarray, first: int, placed: bool = False) -> np.ndarray:
        """Frames (k, V, J, C) in model space given back from frame ``first`` (root-relative in 3D, or ``placed``
        on their roots), each value that came out NaN given as the network's input for it, root and all
        (:func:`~synsp.inference.finite_output.finite_frames`): never NaN claimed refined. Said in one warning,
        the first time; :attr:`not_finite` counts them all."""
        if not len(frames) or np.isfinite(frames).all():
            return frames
        frames_in = range(first, first + len(frames))
        inputs = np.stack([self._inputs[t] for t in frames_in])
        if placed and self.refiner.space == "3d":
            inputs = inputs + np.stack([self._roots[t] for t in frames_in])
        frames, broken = finite_frames(frames, inputs)
        if broken and not self.not_finite:
            warnings.warn(f"synsp's stream refinement came out NaN in {broken} joint values of frames {first}-"
                          f"{first + len(frames) - 1} (a fault in synsp: please report it, with the input); given "
                          "as measured there, unrefined (said once: the stream's not_finite counts them)",
                          stacklevel=2)
        self.not_finite += broken
        return frames

    def _root_track(self, t: int, last: int) -> np.ndarray:
        """The root at frame ``t`` fitted on the frames seen up to ``last`` (:func:`running_root`), over
        fewer frames while the stream follows a fast pace, as offline fits it at the paced rate."""
        stretch = None if self._pace is None else self._pace.stretch
        return running_root(self._roots, t, self._start, last, stretch)

    def _frame_shape(self) -> tuple[int, int, int]:
        """(V, J, C) of one model-space frame (V = 1 for (J, C) frames)."""
        return (1 if self._views is None else self._views), len(self.refiner.layout.joints), self.refiner.n_coords

    def _shape_out(self, frames: list[np.ndarray] | np.ndarray) -> np.ndarray:
        out = np.stack(frames) if len(frames) else np.zeros((0, *self._frame_shape()))
        out = out.astype(self._dtype, copy=False)
        return out[:, 0] if self._views is None else out


def clip_steps(parts: list[tuple[StreamOutput, np.ndarray, int, int]]) -> list[np.ndarray]:
    """The floor step, the whole-body shake steadied, the low-pass, a camera's pan given back (2D), then
    over-smoothing given back,
    of each ``(stream, frames, first, last)``: frames (k, V, J, C) in model space given back from
    frame ``first``, ``last`` the newest frame. Each step's filters run in one call for every
    stream (a crowd's people), and their results are each stream's own."""
    out = [stream._finite(frames, first) for stream, frames, first, _ in parts]  # before the low-pass fills NaN
    arguments = [stream._floor_arguments(frames, first, last) if len(frames) and any(step is not None for step in (
                     stream._floor, stream._shake, stream._lowpass, stream._pan, stream._give_back)) else None
                 for (stream, _, first, last), frames in zip(parts, out)]
    later = [None if a is None else a[2] for a in arguments]
    floored = [i for i, (stream, *_) in enumerate(parts) if stream._floor is not None and arguments[i] is not None]
    for i in floored:  # 2D: a second pass over the inputs given back (synsp.inference.stream_repeat)
        repeat = parts[i][0]._repeat
        if repeat is not None:
            repeat.add(arguments[i][1], arguments[i][3])
            parts[i][0]._floor.scale = repeat.factor()
    for i, (frames, after) in zip(floored, floor_steps([(parts[i][0]._floor, arguments[i]) for i in floored])):
        out[i], later[i] = frames, after
    shaken = [i for i, (stream, *_) in enumerate(parts) if stream._shake is not None and arguments[i] is not None]
    for i, (frames, after) in zip(shaken, shake_steps([(parts[i][0]._shake, (out[i], arguments[i][1], later[i],
                                                                             arguments[i][3])) for i in shaken])):
        out[i], later[i] = frames, after
    passed = [i for i, (stream, *_) in enumerate(parts) if stream._lowpass is not None and arguments[i] is not None]
    for i, frames in zip(passed, lowpass_steps([(parts[i][0]._lowpass, (out[i], later[i])) for i in passed])):
        out[i] = frames
    for i, (stream, *_) in enumerate(parts):
        if stream._pan is not None and arguments[i] is not None:  # a camera's pan given back (stream_pan)
            out[i] = stream._pan(out[i], arguments[i][1])
        if stream._give_back is not None and arguments[i] is not None:
            out[i] = stream._give_back(out[i], arguments[i][1], later[i], arguments[i][3])
    return out


def finish_steps(parts: list[tuple[StreamOutput, np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
    """Each ``(stream, frames, roots)``'s frames (k, V, J, C) in model space, the last ``_collect``
    gave (and their roots, 3D; else None), back to the input's place, unit and shape, after the
    clean step: its filters in one call for every stream (a crowd's people), the results each
    stream's own."""
    out = [frames if roots is None else frames + roots for _, frames, roots in parts]
    kept = [i for i, (stream, *_) in enumerate(parts) if stream._clean is not None and len(out[i])]
    for i, frames in zip(kept, clean_steps([(parts[i][0]._clean, parts[i][0]._clean_arguments(out[i]))
                                            for i in kept])):
        out[i] = frames
    return [stream._given_back(stream._finite(frames, stream._next - len(frames), placed=True))
            for (stream, *_), frames in zip(parts, out)]
