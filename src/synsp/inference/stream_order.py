"""Which 17-joint order a stream's frames follow (COCO's, Human3.6M's or MPI-INF-3DHP's), read from its first
frames as offline refinement reads a clip's (:func:`synsp.skeleton.seventeen_joint_layout`), and frames of
another order than the model's refined through the model's joints (:class:`StreamOrder`).

Offline, 17 joints in H36M's order given to the COCO-17 model are told from the poses and refined through the
model's joints; a stream read every (17, C) frame as the model's order (audit 25: H36M-ordered 2D came out 8.27
px off, its input 3.14, offline 1.34). A stream now holds its first ``window`` frames that show a joint (at most
:data:`ORDER_WAIT` frames: no longer than its first window waits with the default lag), reads their order, and
lets them go on. Audit 25's H36M-ordered 2D (4 validation clips, 2.5 px of white noise, input 3.14 px): 8.27 px
off -> 2.03-2.31 through ``synsp-coco17``, 1.90-2.10 through ``synsp-coco17-faceless``, the model offline (and
``synsp stream``) takes for 2D joints without a face; ``synsp stream``, whose other-layout front averages the joints
the model lacks (:class:`synsp.inference.stream_layouts.OtherLayout`), 1.56 on the first (RESULTS section 12). The
stream now gives those joints back through the same front.
"""
from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from synsp.errors import LayoutError, OptionError, ShapeError
from synsp.inference.stream_layouts import OtherLayout
from synsp.skeleton import LAYOUTS, Layout, can_convert, convert, seventeen_joint_layout, tree_excess
from synsp.skeleton.joint_order import SEVENTEEN

ORDER_WAIT = 30  # frames held at most while waiting for the first window's frames that show a joint
# How much longer than the shortest tree through the joints (tree_excess) the bones of an order read from a stream's
# first frames may be for it to be taken over the one given, per coordinate count: validation, 8 frames, 65 clips per
# preset (clean-ish, typical, hard, none), the other order's at most 1.5 in 3D for all but 0-2 clips a preset, at most
# 1.8 in 2D for all but 2-6 (those stay in the order given, as before); sinusoidal noise in no body's order (the
# tests' streams) 1.64 or more (3D) for the 5 of 65 seeds read as another order, none in 2D.
FIT_LIMIT = {3: 1.5, 2: 1.8}
FPS = 30.0  # the frame rate the front's widths are scaled for: a Python stream is not told its own (the CLI's default)


def stream_layout(layout: Any, model: Layout) -> str | None:
    """The ``layout=`` of a stream of ``model``'s network checked: None, or the name of a layout of
    ``LAYOUTS`` (or a :class:`Layout` there) with the model's joints in another order or converting to
    them and back (17 joints: ``coco17``, ``h36m17``, ``mpi17``); else a one-line LayoutError."""
    if layout is None:
        return None
    name = layout.name if isinstance(layout, Layout) else layout
    if not isinstance(name, str) or name not in LAYOUTS:
        raise LayoutError(f"layout {layout!r} is unknown; supported: {', '.join(LAYOUTS)}")
    if len(LAYOUTS[name].joints) != len(model.joints):
        raise LayoutError(f"layout {name} has {len(LAYOUTS[name].joints)} joints, this {model.name} model refines "
                          f"{len(model.joints)}; other layouts stream through synsp.integrations.stream.PoseStream "
                          "(synsp stream --layout)")
    if not (_converts(name, model.name) and _converts(model.name, name)):
        raise LayoutError(f"layout {name} does not convert to {model.name} and back; stream it through "
                          "synsp.integrations.stream.PoseStream (synsp stream --layout)")
    return name


def read_order(poses: np.ndarray, given: str) -> str:
    """The 17-joint order poses (..., T, 17, C) follow: ``given`` (the user's, else the model's) unless the
    poses read as another order (:func:`seventeen_joint_layout`, offline's reading) whose bones also fit them
    better (:func:`tree_excess` over the joints seen), and within :data:`FIT_LIMIT`: a few frames' reading alone
    turned 1 of 65 validation clips (`hard`, 8 frames, 2D and 3D) to the other order, with the bones' checks none."""
    name = seventeen_joint_layout(poses)
    if name == given:
        return given
    fit = tree_excess(poses, name, seen_only=True)
    return name if fit < min(FIT_LIMIT.get(poses.shape[-1], FIT_LIMIT[3]), tree_excess(poses, given, seen_only=True)) \
        else given


class OrderWait:
    """Poses held until the 17 joints' order they follow is read (:func:`read_order`): once ``window`` of them show a
    joint, or :data:`ORDER_WAIT` frames have come (or the stream ends: :meth:`read` then). One implementation for a
    stream's frames (:class:`StreamOrder`: a frame's (V, J, C) is one pose) and ``synsp stream``'s lines
    (:class:`synsp.integrations.stream.PoseStream`: each person shown one (J, C))."""

    def __init__(self, given: str, window: int):
        self.given, self.window = given, window
        self.poses: list[np.ndarray] = []  # (..., J, C) each, showing a joint: the order read on them
        self.frames = 0

    def add(self, poses: list[np.ndarray]) -> bool:
        """One frame's poses (each (..., J, C)); those that show a joint held (a pose with none, as after a
        dropout, would pull :func:`read_order` to the order given); whether the order can be read now."""
        self.frames += 1
        self.poses += [p for p in poses if np.isfinite(p).all(-1).any()]
        return len(self.poses) >= self.window or self.frames >= ORDER_WAIT

    def read(self) -> str:
        """The order of the poses held (:func:`read_order`; the one given when none is held)."""
        return read_order(np.stack(self.poses), self.given) if self.poses else self.given


class StreamOrder:
    """The front of a :class:`~synsp.inference.streaming.StreamingRefiner` whose frames may follow another
    17-joint order than its model's: holds the first frames until their order is read (:func:`read_order`),
    then converts each frame to the model's joints (:func:`synsp.skeleton.convert`) and each refined frame back:
    a joint the model has takes its output, another (H36M's pelvis, spine, thorax, head from COCO's) as
    ``synsp stream``'s front gives it (:class:`~synsp.inference.stream_layouts.OtherLayout`: its input averaged over
    the frames the lag brought, moved with its nearest model joints' correction); where that has none (a joint
    missing in the input and near it), the converted point."""

    def __init__(self, stream: Any, given: str | None):
        self.stream, self.model = stream, stream.refiner.layout.name
        self.given = given or self.model
        self.inside = False  # calling into the stream: its own flush (a switch, a cut) keeps this order's state
        self.clear()

    @classmethod
    def of(cls, stream: Any, given: str | None) -> StreamOrder | None:
        """The front for ``stream``, or None when its frames need none (the model's own layout, not 17 joints)."""
        model = stream.refiner.layout.name
        return cls(stream, given) if model in SEVENTEEN or given not in (None, model) else None

    @staticmethod
    def forget(stream: Any) -> None:
        """``stream.reset()`` by its user: its order read anew; inside this front's own call (a flush), kept."""
        order = getattr(stream, "_order", None)
        if order is not None and not order.inside:
            order.clear()

    def clear(self) -> None:
        """A new stream: its order read anew."""
        self.order = None if self.model in SEVENTEEN else self.given
        self.held: list[tuple[np.ndarray, np.ndarray]] = []  # (frame as given, (V, J, C) validated)
        self.wait = OrderWait(self.given, self.stream.refiner.window)  # their order read once enough show a joint
        self.fifo: deque[tuple[int, np.ndarray]] = deque()  # per frame in: (its index, (V,) views that show a joint)
        self.front: OtherLayout | None = None  # the joints the model lacks: synsp stream's way back
        self.t = 0

    def push(self, frame: np.ndarray) -> np.ndarray:
        """One frame in (checked at once); the refined frames that became ready, as the stream's push."""
        x = self.stream._validate(frame)  # a wrong shape is said now, not when the frame is let go
        if self.order is None and not self.held and not np.isfinite(x).all(-1).any():
            return self._pass([(frame, x)], as_given=True)  # before the first detection: back as NaN at once
        if self.held and np.shape(frame)[:-2] != np.shape(self.held[0][0])[:-2]:  # the stream's own check, held
            first = np.shape(self.held[0][0])
            self.stream._views = first[0] if len(first) == 3 else None
            raise ShapeError(f"frame has shape {np.shape(frame)}, but this stream's frames are "
                             f"{'(J, C)' if len(first) == 2 else f'({first[0]}, J, C)'}; call reset() first")
        if self.order is None:
            self.held.append((frame, x))
            if not self.wait.add([x]):
                return self.stream._shape_out([])
            self.order = self.wait.read()
            return self._release()
        return self._pass([(frame, x)])

    def flush(self) -> np.ndarray:
        """End of the stream: the frames held and the stream's own, as its flush gives them."""
        if self.order is None:
            self.order = self.wait.read()
        out = self._release() if self.held else None
        self.inside = True
        try:
            tail = self._back(self.stream._flush())
        finally:
            self.inside = False
        self.clear()
        return tail if out is None else np.concatenate([out, tail])

    def _release(self) -> np.ndarray:
        held, self.held = self.held, []
        return self._pass(held)

    def _pass(self, frames: list[tuple[np.ndarray, np.ndarray]], as_given: bool = False) -> np.ndarray:
        """Frames (as given, validated) into the stream, in the model's joints; what came back, in theirs."""
        out = []
        self.inside = True
        try:
            for frame, x in frames:
                if self.order == self.model or as_given:
                    out.append(self.stream._push(frame, x))  # x: the frame validated at its push, not again
                    continue
                if self.front is None:
                    self.front = OtherLayout.for_refiner(self.order, self.stream.refiner,
                                                         self.stream.lag + self.stream.lookahead, FPS)
                kind = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float32  # the output's, as the input's
                x = x.astype(np.float64)
                # a view with no joint is left out of the front's averages (as synsp stream leaves an absent person)
                shown = np.isfinite(x).all(-1).any(-1)  # (V,)
                model = np.stack([self.front.to_model(v, self.t, x[v]) if shown[v] else
                                  _convert(x[v][None], self.order, self.model)[0] for v in range(len(x))])
                self.fifo.append((self.t, shown))
                self.t += 1
                out.append(self._back(self.stream._push((model if np.ndim(frame) == 3 else model[0]).astype(kind))))
        finally:
            self.inside = False
        return np.concatenate(out) if out else self.stream._shape_out([])

    def _back(self, refined: np.ndarray) -> np.ndarray:
        """Refined frames (k, [V,] J, C) in the model's joints -> in the order read, oldest first (:attr:`fifo`): a
        joint the model has takes its output, another its input averaged over the frames the stream's lag brought
        and moved with its nearest model joints' correction, as ``synsp stream``'s front
        (:class:`~synsp.inference.stream_layouts.OtherLayout`); where that has no value, the refined joints
        converted back."""
        if self.order == self.model or not len(refined):
            return refined
        out = np.empty_like(refined)
        for i, frame in enumerate(refined):
            t, shown = self.fifo.popleft()
            y = frame.astype(np.float64).reshape((len(shown),) + frame.shape[-2:])
            back = _convert(y, self.model, self.order)
            for v in np.flatnonzero(shown):
                given = self.front.back(v, t, y[v])
                back[v] = np.where(np.isnan(given), back[v], given)
            out[i] = back.reshape(frame.shape)
        return out


def _converts(src: str, dst: str) -> bool:
    """Whether poses of ``src`` convert to ``dst``, directly or through H36M-17 (COCO-17 to MPI-INF-3DHP's)."""
    return can_convert(src, dst) or (can_convert(src, "h36m17") and can_convert("h36m17", dst))


def _convert(x: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Poses (..., J, C) of ``src`` in ``dst``'s joints, through H36M-17 where no direct conversion is."""
    return convert(x, src, dst) if can_convert(src, dst) else convert(convert(x, src, "h36m17"), "h36m17", dst)


class OrderedFront:
    """The public ``push``, ``flush`` and ``refine_all`` of :class:`~synsp.inference.streaming.StreamingRefiner`:
    through its :class:`StreamOrder` when it has one, else straight to its ``_push`` / ``_flush``."""

    _order: StreamOrder | None
    refiner: Any
    _pushed = False  # a frame pushed since the stream was made, reset or flushed: refine_all's stream is not new

    def _new_stream(self) -> None:
        """The stream made, reset or ended by its flush: no frame pushed, its order read anew (unless inside this
        front's own flush: :meth:`StreamOrder.forget`)."""
        StreamOrder.forget(self)
        self._pushed = False

    def in_model_joints(self) -> None:
        """The frames come in the model's joints, no order read (:class:`StreamOrder`): a crowd's person's (their
        layout converted by :class:`synsp.integrations.stream.PoseStream`), SmoothNet's stream alongside."""
        self._order = None

    def push(self, frame: np.ndarray) -> np.ndarray:
        """Add one frame (J, C), or (V, J, C) for V views/persons; NaN marks missing joints.

        Returns the frames that became ready, oldest first: an array (k, J, C) or (k, V, J, C) with k >= 0, in the
        input's unit, dtype and joint order. 2D frames are x, y only: a score channel is refused (set the joints
        below your threshold to NaN and drop it first; ``synsp stream`` takes scores). With 17 joints, the first
        frames wait until ``window`` of them show a joint, to read their order (:mod:`synsp.inference.stream_order`).
        V views or persons pushed together share the stream's clip-level readings (units, axes, noise, pace, the
        floor step, the convention's pull), so each one's output depends a little on the others (up to ~2 px in
        2D, +0.004 px on average; audit 25): for independent persons, :class:`MultiPersonStreamingRefiner`.
        """
        self._no_scores(np.shape(frame), "frame has", "push")
        out = self._push(frame) if self._order is None or self._order.inside else self._order.push(frame)
        self._pushed = True  # after the push: a flush inside it (another person, a cut) started the stream anew
        return out

    def _no_scores(self, shape: tuple[int, ...], what: str, call: str) -> None:
        """ShapeError when ``shape`` ((J, C) or (V, J, C), with T before it for ``refine_all``) gives 2D frames a
        score channel: ``what`` ("frame has") names the input, ``call`` the method that refuses it."""
        if self.refiner.space == "2d" and len(shape) in (2, 3, 4) and shape[-1] == 3:
            raise ShapeError(f"{what} shape {shape}: a 2D stream takes x, y only; set the joints scored below your "
                             f"threshold to NaN and drop the scores before {call} (synsp stream takes them)")

    def flush(self) -> np.ndarray:
        """End the stream: give back every frame still held (k, J, C) or (k, V, J, C)."""
        if self._order is None or self._order.inside:
            return self._flush()
        return self._order.flush()

    def refine_all(self, frames: np.ndarray) -> np.ndarray:
        """A whole recording through the stream: every frame of ``frames`` (T, J, C), or (T, V, J, C) for V
        views/persons, pushed in turn, then the stream flushed (and so reset). Returns the frames :meth:`push` and
        :meth:`flush` gave back, joined: (T, J, C) or (T, V, J, C), in the input's unit, dtype and joint order; each
        as a live loop gets it (a stream's output, not offline refinement's). The stream must be new (made, reset or
        flushed): frames pushed before would come out too, so they are refused (OptionError). T = 0: an empty array
        of the frames' shape, that shape checked.
        """
        x = np.asarray(frames)
        if x.ndim not in (3, 4):
            raise ShapeError(f"frames must be (T, J, C) or (T, V, J, C), got shape {x.shape}")
        self._no_scores(x.shape, "frames have", "refine_all")  # said of the frames given, not of their first
        if self._pushed:
            raise OptionError("refine_all takes a new stream, but frames were pushed to this one since it was made, "
                              "reset or flushed; call flush() (it gives back the frames held) or reset() first")
        if not len(x):  # no frame to push: the frames' shape still checked, and taken for the (0, [V,] J, C) out
            self._validate(np.zeros(x.shape[1:], x.dtype))
        return np.concatenate([*(self.push(frame) for frame in x), self.flush()])
