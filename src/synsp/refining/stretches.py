"""A long span of one person read stretch by stretch, so that SynSP's route is decided per stretch.

SynSP decides its route over whatever it is given: SmoothNet instead where the joint definitions are too far from a
body it knows, the camera is high above it, body parts are never seen or the trunk is bent over the legs. A span of a
track (between two cuts) of several minutes (a match, a lab session, joined clips) changes over them, and one stretch
of it should not decide the route for all of it. A span longer than :data:`LONG_SPAN_S` is therefore refined whole and
again in stretches of about :data:`STRETCH_S` seconds overlapping by :data:`OVERLAP_S` seconds; a stretch whose route
differs from the whole span's takes its own output, faded into its neighbours across the overlaps (no step where the
route changes), the others keep the whole span's (what SynSP reads over a span, its floor, drift and joint
definitions, is steadier over the whole: refining every stretch alone cost 3D 0.1 mm on audit 24's file, where no
route changed). Shorter spans are refined whole, as before: every validation clip (at most 481 frames, 16 s) is far
below the limit, so their output is unchanged.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.filter_input import DEFAULT_FPS

LONG_SPAN_S = 60.0  # seconds: a span longer than this is refined in stretches
STRETCH_S = 30.0  # seconds: the stretches' length (about: the span is shared evenly)
OVERLAP_S = 2.0  # seconds: two neighbouring stretches share this much, faded across


def stretches(frames: int, fps: float | None = None) -> list[tuple[int, int]]:
    """The (start, end) frames of the stretches a span of ``frames`` frames at ``fps`` is refined in: the whole
    span when it is no longer than :data:`LONG_SPAN_S`, else stretches of about :data:`STRETCH_S` seconds that
    cover it, each overlapping the next by :data:`OVERLAP_S` seconds (in frames, at least 2)."""
    rate = fps if fps and fps > 0 else DEFAULT_FPS
    if frames <= LONG_SPAN_S * rate:
        return [(0, frames)]
    lap = max(2, int(round(OVERLAP_S * rate)))
    size = max(lap + 2, int(round(STRETCH_S * rate)))
    count = int(np.ceil((frames - lap) / (size - lap)))
    step = (frames - lap) / count  # shared evenly: each stretch is step + lap frames, give or take one
    starts = [int(round(i * step)) for i in range(count)]
    return [(a, frames if i == count - 1 else starts[i + 1] + lap) for i, a in enumerate(starts)]


def blended(parts: list[np.ndarray], bounds: list[tuple[int, int]]) -> np.ndarray:
    """The stretches' outputs ``parts`` (each (..., b - a, J, C) for its (a, b) of ``bounds``, :func:`stretches`) as
    one span (..., T, J, C): each frame from the stretch it lies in, and across an overlap a linear fade from the
    earlier stretch to the later one. One part is returned as it is."""
    if len(parts) == 1:
        return parts[0]
    shape = list(parts[0].shape)
    shape[-3] = bounds[-1][1]
    total = np.zeros(shape, dtype=np.float64)
    weight = np.zeros(shape[-3])
    for i, (part, (a, b)) in enumerate(zip(parts, bounds)):
        w = np.ones(b - a)
        if i > 0:  # faded in across the overlap with the stretch before
            lap = bounds[i - 1][1] - a
            w[:lap] = np.arange(1, lap + 1) / (lap + 1)
        if i < len(parts) - 1:  # faded out across the overlap with the next
            lap = b - bounds[i + 1][0]
            w[b - a - lap:] = np.minimum(w[b - a - lap:], np.arange(lap, 0, -1) / (lap + 1))
        total[..., a:b, :, :] += w[:, None, None] * part
        weight[a:b] += w
    return (total / weight[:, None, None]).astype(parts[0].dtype)


def route_of(model) -> tuple[bool, bool, bool, bool]:
    """The route a SynSP Refiner ``model`` (or what was read of it) took for the input it refined last: SmoothNet's
    output for a body it does not know, for body parts never seen, from above, for a trunk bent over the legs (each
    in part or whole); all False: its own."""
    return (bool(getattr(model, "unlike_body", False)), bool(getattr(model, "gave_way", False)),
            bool(getattr(model, "from_above", 0.0)), bool(getattr(model, "flexed", 0.0)))


def along_stretches(x: np.ndarray, refine: Callable[[np.ndarray], np.ndarray], fps: float | None,
                    model: object | None) -> np.ndarray:
    """``refine`` (a span (..., T, J, C) in, the same shape out) of ``x`` whole, and of each of its :func:`stretches`
    when it has several and ``model`` (the SynSP Refiner ``refine`` runs; None: no route to decide) is given: a
    stretch whose route (:func:`route_of`) differs from the whole span's takes its own output, the others the whole
    span's, :func:`blended`. A span of 60 s or less, or one whose stretches all take its route: ``refine(x)``."""
    bounds = stretches(x.shape[-3], fps) if model is not None else [(0, x.shape[-3])]
    if len(bounds) == 1:  # as before stretches were read: nothing reset or read
        return refine(x)

    def run(a: int, b: int) -> tuple[np.ndarray, tuple[bool, bool, bool, bool]]:
        model.clear_records()  # a refinement that does not run the network must not report the previous one's route
        return refine(x[..., a:b, :, :]), route_of(model)

    return read_stretches(bounds, run, route=lambda taken: taken)[0]


def read_stretches(bounds: list[tuple[int, int]], run: Callable[[int, int], tuple[np.ndarray, object]],
                   route: Callable[[object], tuple] = route_of) -> tuple[np.ndarray, list[object], list[int]]:
    """:func:`along_stretches` with what each run recorded: ``run(a, b)`` refines frames a .. b - 1 of a span and
    returns (its output (..., b - a, J, C), its record), first for the whole span (0, ``bounds[-1][1]``), then, when
    ``bounds`` (:func:`stretches`) has several, for each stretch; a stretch whose ``route`` of its record differs
    from the whole span's takes its own output (:func:`blended`). Returns the output, the records (the whole span's
    first, then each stretch's) and the indices into ``bounds`` of the stretches that took their own."""
    whole, taken = run(0, bounds[-1][1])
    if len(bounds) == 1:
        return whole, [taken], []
    records, parts, own = [taken], [], []
    for i, (a, b) in enumerate(bounds):
        part, read = run(a, b)
        records.append(read)
        differs = route(read) != route(taken)
        own += [i] if differs else []
        parts.append(part if differs else whole[..., a:b, :, :])
    return (blended(parts, bounds) if own else whole), records, own

