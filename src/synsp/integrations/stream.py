"""``synsp stream``: JSON lines of poses in on stdin, refined JSON lines out on stdout, live.

So that a webcam loop in any language can use synsp, one frame is one line of JSON:

    {"t": 12, "people": [{"id": 0, "keypoints": [[x, y], [x, y], ...]}, ...]}

- ``t`` (optional, any JSON value) is echoed in the output line that refines this frame;
  without it, frames are numbered 0, 1, ... in the order they arrive;
- ``people`` lists the persons seen in the frame (may be empty); ``id`` tells them apart
  across frames (default: their place in the list); each ``keypoints`` is a list of J points
  ``[x, y]`` or ``[x, y, confidence]`` in 2D, ``[x, y, z]`` or ``[x, y, z, confidence]`` in 3D
  (``--space``), with ``null`` (or a point of nulls) for a joint not detected; a joint whose
  confidence is below ``--threshold`` counts as not detected (one scored below it in most of the person's lines so
  far, at one level, is read against that level, as ``synsp refine`` reads it: :mod:`synsp.score_levels`), and so
  does a joint whose values are not numbers (``["a", "b", 0.9]``: said once on stderr; the frame and its other joints
  are kept); with no ``--layout``, keypoints of more joints than the layout's, some copies of others (H36M-17 and
  its pelvis again), are refined without the copies, each given back as its refined original
  (:mod:`~synsp.integrations.stream_copies`);
- a bare list of keypoints is one person (id 0): ``[[x, y], [x, y], ...]``.

Every valid input line gives exactly one output line, in input order, of the same form:
``{"t": 12, "people": [{"id": 0, "keypoints": [...]}]}`` with the persons present in that
frame, their keypoints refined (confidences passed through; a joint whose coordinates were
missing, ``null`` or ``NaN``, or the whole joint ``null``, comes back filled with confidence ``0``: a
number, below any threshold, so that a client reading ``kp[2]`` as one sees it was not detected; a 2D
third value read as a depth stays ``null`` there). A joint not detected in that
frame is filled between the frames around it where the lookahead reaches its return, else it
moves on from its last position with the joints its bones join; a joint of a person not yet seen has null coordinates.
Output lags input by the refiner's bounded lag: ``--lag`` plus ``--lookahead`` frames for the
networks (default 7 + 3: the windows of the offline result, and three frames after each one to
tell glitches, held values, jumps, inversions and short gaps by; a new person's first frames wait
for their first full window), none for One-Euro. The networks refine every person in one
:class:`synsp.inference.people_stream.MultiPersonStreamingRefiner` (one network batch per
frame, whatever the number of people, each person's windows on its own phase of the stride; its
``patience`` is ``--timeout``), each person as if alone (with int8 layers, ``quantize=True``, nearly
so: their activations share one scale per batch, RESULTS.md section 15); One-Euro gives each
person a :class:`synsp.filters.OneEuroFilter`. A person unseen for more than ``--timeout``
frames is forgotten (a return starts afresh). A bad line is reported on stderr in one line
and skipped (with ``--strict``: the stream stops, exit code 2); a malformed person beside valid ones, only
that person (said once per person and kind, counted at the end). A person who leaves is refined,
until the timeout, as holding still (so that the other persons' frames keep the bounded lag).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np

from synsp.channels import in_score_range, scored_2d_frame
from synsp.errors import InternalError, OptionError, ShapeError, check_threshold
from synsp.filters import OneEuroFilter
from synsp.inference.stream_layouts import OtherLayout
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.inference.stream_order import SEVENTEEN, OrderWait
from synsp.integrations.stream_copies import StreamCopies
from synsp.integrations.stream_lines import Frame, parse_frame
from synsp.integrations.stream_models import stream_model
from synsp.integrations.stream_run import run_stream
from synsp.model import NETWORKS
from synsp.refining.image_size import NORMALISED_MAX, centred, from_pixels, image_sides, to_pixels
from synsp.score_levels import RunningLevels
from synsp.sequence import MIN_SCORE, UNSEEN_SHARE
from synsp.skeleton import LAYOUTS

if TYPE_CHECKING:  # torch loads with the networks, not for One-Euro
    from synsp.inference.refiner import Refiner

__all__ = ["PoseStream", "parse_frame", "run_stream", "STREAM_METHODS"]

STREAM_METHODS = (*NETWORKS, "one-euro")  # methods that refine frame by frame without the future


@dataclass
class _Person:
    """What a person's output lines need: per frame given to the refiner and not back yet,
    (frame index, confidences, joints seen by then), or None for a frame the person was absent."""

    joints: int
    seen: np.ndarray  # (J,) joints detected at least once
    last: int  # last frame index the person was present
    held: deque = field(default_factory=deque)
    filter: OneEuroFilter | None = None  # One-Euro only; the networks' people live in one crowd


class PoseStream:
    """Streaming refinement of frames of tracked people (see the module docstring).

    Parameters
    ----------
    method : a network (``synsp``, ``smoothnet``) or ``one-euro``.
    checkpoint : a model file or shipped name (networks); default the shipped one for
        ``layout`` and ``space``.
    layout : the keypoints' layout (default: the model's; for One-Euro any joints, each
        person keeping the count of its first frame). A layout without a shipped model of its
        own (``halpe26``, ``body25``, ...) is refined through the space's default model
        (:class:`OtherLayout`).
    space : ``"2d"`` (pixels) or ``"3d"``; default the checkpoint's, else the shipped model's for
        ``layout`` (3D for ``h36m17``), else 2D. ``"2d"`` with ``h36m17`` streams 2D keypoints in
        H36M's order through the 2D model; a 3D stream refuses a person's first frame when it reads
        as [x, y, confidence] in pixels (:func:`synsp.channels.third_channel`).
    fps : the frames' rate (Hz): One-Euro's, and the networks' (a stall's carry, the unseen-motion step:
        :class:`~synsp.inference.streaming.StreamingRefiner`).
    lag : frames of delay for the networks (0 .. window - 1; default window - 1).
    lookahead : frames each frame waits for the frames after it, to tell glitches, held values,
        jumps, inversions and short gaps (:mod:`synsp.inference.stream_measurements`; default 3,
        added to ``lag``).
    threshold : confidence below which a joint counts as not detected.
    timeout : frames a person may go unseen before being forgotten.
    device : torch device for the networks.
    image_size : (width, height) in pixels of the image whose sides normalise 2D keypoints
        (MediaPipe's landmarks, 0 to 1): refined in pixels, written back normalised
        (:mod:`synsp.refining.image_size`).
    """

    def __init__(self, method: str = "synsp", *, checkpoint: str | None = None, layout: str | None = None,
                 space: str | None = None, fps: float = 30.0, lag: int | None = None, threshold: float = MIN_SCORE,
                 timeout: int = 30, device: str | None = None, lookahead: int | None = None,
                 image_size: tuple[float, float] | None = None):
        if method not in STREAM_METHODS:
            raise ValueError(f"method {method!r} cannot stream (it needs the future); choose from "
                             f"{', '.join(STREAM_METHODS)}")
        given_space, self._given = space, dict(checkpoint=checkpoint, layout=layout, fps=fps, lag=lag,
                                               threshold=threshold, timeout=timeout, device=device,
                                               lookahead=lookahead, image_size=image_size)
        if space not in (None, "2d", "3d"):
            raise ValueError(f"space must be 2d or 3d, got {space!r}")
        if not fps > 0 or not timeout >= 0:
            raise ValueError(f"fps must be > 0 and timeout >= 0 frames, got {fps!r} and {timeout!r}")
        check_threshold(threshold)
        if layout is not None and layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
        self._sides = None if image_size is None else image_sides(image_size)
        self.method, self.fps, self.threshold, self.timeout = method, float(fps), float(threshold), int(timeout)
        self.model = self._crowd = None
        if method in NETWORKS:
            self._network(stream_model(method, checkpoint, layout, space, device))
            space = self.model.space
        elif lag not in (None, 0) or lookahead not in (None, 0):
            raise ValueError("one-euro has no lag and no lookahead: it gives each frame back at once")
        self.lag = lag
        self.layout = layout or (self.model.layout.name if self.model is not None else None)
        self._other = self._other_for(self.layout)
        # 17 joints: COCO's, H36M's or MPI-INF-3DHP's order, read from the first frames as offline (stream_order):
        # the lines held meanwhile, and their poses that show a joint
        reads = self.model is not None and self.model.layout.name in SEVENTEEN and self.layout in SEVENTEEN
        self._reading = [] if reads else None
        self._wait = OrderWait(self.layout, self.model.window) if reads else None
        self.space = space or "2d"
        self._space_read = given_space is None and checkpoint is None and self.space == "3d"  # 2D lines: 2D
        # what made the stream 3D, for the message refusing 2D keypoints
        self._why_3d = f" (the shipped {self.layout} model is 3D)" if given_space is None else ""
        if self._sides is not None and self.space != "2d":
            raise OptionError(f"image size is for 2D keypoints normalised by the image's sides; this stream is "
                              f"3D{self._why_3d}")
        self.coords = 3 if self.space == "3d" else 2
        # no --layout: a pose of more joints, some copies of others (H36M-17 and its pelvis again), refined without
        # them, as offline (stream_copies)
        self._copies = StreamCopies(len(LAYOUTS[self.layout].joints), self.coords) \
            if self.model is not None and layout is None else None
        self._people: dict[Any, _Person] = {}
        self._count = 0  # frames pushed
        self._out: dict[int, dict] = {}  # frame index -> {"t", "people": {id: keypoints or None}}
        self._next = 0  # next frame index to write
        self.notes: list[str] = []  # what the caller should know of the input, said once (run_stream: on stderr)
        self._depths: set = set()  # people whose third value beside x, y is no score (MediaPipe's z): given back
        self._levels: dict[Any, RunningLevels] = {}  # each person's scores so far (score_levels)
        self._unseen_said = False  # a person's stream gave way for joints not seen so far: said (_gave_way)
        self._units_read = self._sides is not None or self.space != "2d" or self.model is None

    def _network(self, model: Refiner) -> None:
        """Stream with ``model``: every person in one crowd (module docstring)."""
        from synsp.inference.people_stream import MultiPersonStreamingRefiner

        lookahead = LOOKAHEAD if self._given["lookahead"] is None else self._given["lookahead"]
        self.model = model
        self._crowd = MultiPersonStreamingRefiner(model, lag=self._given["lag"], patience=self.timeout,
                                                  lookahead=lookahead, fps=self.fps)

    def _other_for(self, layout: str | None) -> OtherLayout | None:
        """The front converting ``layout``'s keypoints to the network's and back, None for the network's own.
        Offline's white-noise low-pass of the other joints: SynSP's route only (SmoothNet's takes none)."""
        if self.model is None or layout == self.model.layout.name:
            return None
        return OtherLayout.for_refiner(layout, self.model, self._crowd.lag + self._crowd.lookahead, self.fps)

    def push(self, frame: Frame, skip_people: bool = False) -> list[dict]:
        """Add one frame; return the output lines (dicts) that became ready, in input order.
        A frame that does not fit (joint count, coordinates) raises :class:`ShapeError` (a ``ValueError``)
        and changes nothing; with ``skip_people``, only a frame none of whose persons fit does: a person
        who does not is left out of it and added to ``frame.refused``. With 17 joints, the first lines wait
        until a window's count of poses that show a joint have come (each person in a line one; ``ORDER_WAIT`` lines
        at most), to read the joints' order (as offline: :mod:`synsp.inference.stream_order`; the ``--layout`` given
        wins unless the poses contradict it)."""
        if self._space_read and not self._count and self._two_d(frame):
            self.__init__(self.method, space="2d", **self._given)  # nothing pushed yet: the 2D model
            self.notes.append(f"{self.layout}: the keypoints are [x, y(, confidence)]: streamed as 2D through the "
                              "2D model (--space 3d for 3D)")
        points, refused = {}, []
        for pid, kp in frame.people.items():  # validate all first
            try:
                points[pid] = self._split(pid, kp)
            except ShapeError as err:
                refused.append((pid, err))
        if refused and (not skip_people or not points):
            raise refused[0][1]
        frame.refused += [(pid, str(err)) for pid, err in refused]
        f = self._count
        self._count += 1
        self._out[f] = {"t": frame.t, "people": dict.fromkeys(points), "given": frame.people}  # given: salvage
        if self._reading is not None:
            self._reading.append((f, points))
            if self._wait.add([c for c, _ in points.values()]):
                self._read_order()
        else:
            self._feed(f, points)
        return self._ready()

    def _two_d(self, frame: Frame) -> bool:
        """Whether a first line's keypoints are 2D: [x, y], or [x, y, confidence] in pixels (a 3D stream's refusal)."""
        kp = next(iter(frame.people.values()), None)
        return kp is not None and kp.ndim == 2 and (kp.shape[1] == 2 or (kp.shape[1] == 3 and scored_2d_frame(kp)))

    def _read_order(self) -> None:
        """Read the 17 joints' order (once the lines held show ``window`` poses, or ``ORDER_WAIT`` lines have come,
        or at the end: :class:`~synsp.inference.stream_order.OrderWait`), then refine the lines held in it."""
        order = self._wait.read()
        if order != self.layout:
            if self._given["checkpoint"] is None:  # its own shipped model, as offline (2D without a face: faceless)
                self._network(stream_model(self.method, None, order, self.space, self._given["device"]))
            self.layout, self._other = order, self._other_for(order)
            self.notes.append(f"the keypoints follow {order}'s joint order (told from their bones, as synsp refine "
                              f"tells them): refined through the {self.model.layout.name} model's joints")
        held, self._reading, self._wait = self._reading, None, None
        for f, points in held:
            self._feed(f, points)

    def _feed(self, f: int, points: dict[Any, tuple[np.ndarray, np.ndarray | None]]) -> None:
        """Frame ``f``'s persons (coordinates, confidences) into the refiner."""
        for pid, (coords, conf) in points.items():
            person = self._people.get(pid)
            if person is None:
                joints = coords.shape[0]
                person = self._people[pid] = _Person(joints, np.zeros(joints, dtype=bool), f)
                if self._crowd is None:
                    person.filter = OneEuroFilter(fps=self.fps)
            person.last = f
            person.seen |= np.isfinite(coords).all(-1)
            if self._other is not None:  # the crowd refines the network's joints
                points[pid] = (self._other.to_model(pid, f, coords), conf)
            person.held.append((f, conf, person.seen.copy()))
        coords = {pid: c for pid, (c, _) in points.items()}
        if self._crowd is not None:
            ready = self._crowd.push(self._stack(coords), list(coords))
            alive = set(self._crowd.people)
            self._gave_way(coords)
            for pid, person in self._people.items():
                if pid not in coords and pid in alive:
                    person.held.append(None)  # refined as holding still until the timeout; nothing written
        else:  # One-Euro: each frame back at once; an absent person's filter waits (a NaN frame is a no-op)
            ready = {pid: self._people[pid].filter(c)[None] for pid, c in coords.items()}
            alive = {pid for pid, person in self._people.items() if f - person.last <= self.timeout}
        self._place(ready)
        for pid in [pid for pid in self._people if pid not in alive]:
            del self._people[pid]
            self._levels.pop(pid, None)
            if self._other is not None:
                self._other.forget(pid)

    def _gave_way(self, people: Iterable[Any]) -> None:
        """A note, once, when a person's stream gives way to SmoothNet's for joints not seen so far (a waist-up
        view: :attr:`synsp.inference.streaming.StreamingRefiner.gave_way`), as ``synsp refine``'s summary says."""
        if self._unseen_said:
            return
        for pid in people:
            share = self._crowd.gave_way(pid)
            if share:
                self._unseen_said = True
                self.notes.append(f"person {pid!r}: {share:.0%} of the model's joints not seen in any frame so far "
                                  f"(more than {UNSEEN_SHARE:.0%}: a waist-up view, the legs out of the picture?): "
                                  "refined by SmoothNet, which refines each joint on its own, until enough of them "
                                  "are seen, as synsp refine does (said once)")
                return

    def close(self) -> list[dict]:
        """End of input: every frame still held, in order. A frame the refiner did not give back raises
        :class:`InternalError` (:meth:`salvage` then writes the frames held, unrefined where not refined)."""
        if self._reading is not None:
            self._read_order()
        if self._crowd is not None:
            self._place(self._crowd.flush())
        self._people.clear()
        lost = sum(kp is None for frame in self._out.values() for kp in frame["people"].values())
        if lost:  # never a stream that ends short with nothing said
            raise InternalError(f"the refiner gave back no frame for {lost} person-frames at the end of the stream")
        return self._ready()

    def _stack(self, coords: dict[Any, np.ndarray]) -> np.ndarray:
        """The crowd's frame (P, J, C) of the persons present."""
        if not coords:
            return np.empty((0, len(self.model.layout.joints), self.coords))
        return np.stack(list(coords.values()))

    def _split(self, pid: Any, kp: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(J, D) -> coordinates (J, C) with NaN for joints not detected, and confidences or None."""
        c = self.coords
        if kp.shape[1] not in (c, c + 1):
            raise ShapeError(f"person {pid!r}: keypoints have {kp.shape[1]} values; {self.space} takes "
                             f"{c} ({'x, y' if c == 2 else 'x, y, z'}) or {c + 1} (with a confidence)")
        if self._copies is not None:
            kp = self._copies.strip(kp)
            self.notes += self._copies.notes
            self._copies.notes = []
        known = self._people.get(pid)
        if self.layout is not None:
            want, whose = len(LAYOUTS[self.layout].joints), f"{self.layout} has"
        elif known is not None:
            want, whose = known.joints, "its earlier frames had"
        else:
            want = None
        if want is not None and kp.shape[0] != want:
            raise ShapeError(f"person {pid!r} has {kp.shape[0]} keypoints, {whose} {want}")
        if c == 3 and kp.shape[1] == 3 and known is None and scored_2d_frame(kp):
            # a 2D [x, y, score] stream on a 3D model would be refined with its scores as depths
            raise ShapeError(f"person {pid!r}: keypoints read as [x, y, confidence] (pixels, the third value a "
                             f"score in [0, 1]), but this stream is 3D{self._why_3d}; pass --space 2d for 2D keypoints")
        coords = kp[:, :c].copy() if self._sides is None else to_pixels(kp[:, :c], self._sides, f"person {pid!r}")
        if not self._units_read and np.isfinite(coords).any():
            self._units_read = True
            if np.nanmax(np.abs(coords)) <= NORMALISED_MAX:  # the networks' bodies are in pixels
                across = "-1 to 1 about the image's centre" if centred(coords) else "0 to 1 across the image"
                self.notes.append(f"the keypoints all lie within -2 to 2: normalised image coordinates ({across}), "
                                  "not pixels? If the image is not square, x and y are in different "
                                  "units, which the network was not trained on: give its width and height "
                                  "(--image-size W H)")
        conf = kp[:, c].copy() if kp.shape[1] > c else None
        if conf is not None and c == 2 and known is None:
            seen = conf[np.isfinite(conf)]
            if seen.size and not in_score_range(seen):
                self.notes += [f"person {pid!r}: the third values run from {seen.min():.3g} to {seen.max():.3g}, no "
                               "confidence: read as a depth (MediaPipe's z) and given back as they came"] * (
                    not self._depths)  # said once, for the first such person
                self._depths.add(pid)
        if conf is not None:  # no coordinates measured: confidence 0 (a number a client can compare), a depth null
            conf[~np.isfinite(kp[:, :c]).all(-1)] = np.nan if pid in self._depths else 0.0
        if conf is not None and pid not in self._depths:  # a joint scored low all along: at its own level
            levels = self._levels.setdefault(pid, RunningLevels(self.threshold))
            coords[~levels.measured(conf, np.isfinite(kp[:, :c]).all(-1))] = np.nan
        return coords, conf

    def _place(self, ready: dict[Any, np.ndarray]) -> None:
        """Refined frames (k, J, C) came back for the oldest held frames of each person: place them."""
        for pid, frames in ready.items():
            held = self._people[pid].held
            for refined in frames:
                entry = held.popleft()
                if entry is None:  # a frame the person was absent from
                    continue
                f, conf, seen = entry
                if self._other is not None:
                    refined = self._other.back(pid, f, refined)
                if self._sides is not None:
                    refined = from_pixels(refined, self._sides)
                points = np.where(seen[:, None], refined, np.nan)
                if conf is not None:
                    points = np.concatenate([points, conf[:, None]], axis=1)
                if self._copies is not None:  # each copy left out as its refined original
                    points = self._copies.back(points, self._out[f]["given"][pid])
                    self.notes += self._copies.notes
                    self._copies.notes = []
                self._out[f]["people"][pid] = _points(points)

    def salvage(self) -> list[dict]:
        """After a failure of synsp itself (:func:`run_stream`): every frame pushed and not written yet, in
        order, each person as refined if that came back, else as the line gave them (unrefined), so that
        no frame the user gave is lost. The stream is over then: its state is unsure."""
        for frame in self._out.values():
            frame["people"] = {pid: _points(frame["given"][pid]) if kp is None else kp
                               for pid, kp in frame["people"].items()}
        return self._ready()

    def _ready(self) -> list[dict]:
        lines = []
        while self._next in self._out and all(v is not None for v in self._out[self._next]["people"].values()):
            frame = self._out.pop(self._next)
            lines.append({"t": frame["t"], "people": [{"id": pid, "keypoints": kp}
                                                      for pid, kp in frame["people"].items()]})
            self._next += 1
        return lines


def _points(points: np.ndarray) -> list[list[float | None]]:
    """Keypoints (J, D) as an output line's lists, null where NaN."""
    return [[None if v != v else float(v) for v in p] for p in points]
