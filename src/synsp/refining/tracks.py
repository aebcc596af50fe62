"""Refine the tracks of a pose file: where each person was seen, in whatever joint layout it came.

A track (T, J, C) is refined over the spans where it holds one person (:func:`track_segments`),
its gaps filled for the refiner and emptied again where nothing may be invented
(:func:`refine_tracks`: long gaps, joints never seen, and frames in which the person has no
joint detected at all); each span goes through :func:`synsp.refining.arrays.refine_track`, which keeps
the input's joint layout. :mod:`synsp.refine_file` does this for files,
:mod:`synsp.integrations` for mmpose and pandas.
"""
from __future__ import annotations

from functools import partial
from types import SimpleNamespace
from typing import Callable, NamedTuple

import numpy as np

from synsp.config import model_space_layout
from synsp.estimator_errors.body_cuts import turned_cuts
from synsp.estimator_errors.half_turns import half_turns
from synsp.estimator_errors.measurements import Measurements, measurements
from synsp.estimator_errors.track_switches import seen_cuts, track_segments
from synsp.inference.low_rate import looks_for_jumps
from synsp.inference.position_spin import tracks_spins, tracks_turned
from synsp.inference.records import read_records
from synsp.lockstep import own as own_copy
from synsp.lockstep import short_in_lockstep
from synsp.model import NETWORKS
from synsp.motion_pace import pace_groups
from synsp.refining.arrays import group_model, layout_model, refine_track
from synsp.refining.progress import frames_bar
from synsp.refining.segment_values import segment_filled
from synsp.refining.stretches import read_stretches, stretches
from synsp.refining.strided import between, grid_cuts, network_stride, off_grid, on_detections, repeated_frames
from synsp.sequence import left_missing
from synsp.skeleton import Layout, get_layout

ASSUMED_FPS = 30.0  # the rate the refiners take when a file says none (also the summary's, a frame column's)


class ConventionShift(NamedTuple):
    """How far one track's joint definitions were from the model's, as SynSP measured while refining it."""

    offsets: np.ndarray  # (J,) mean |constant pull| per model joint, mm (3D) or pixels (2D)
    far: bool  # the pull was far from the model's own definitions (Refiner.convention_far)
    unlike: bool = False  # so far that the poses are no human body: refined by SmoothNet (Refiner.unlike_body)
    # the share of the track's frames refined so: the spans between cuts and a long span's stretches each decide
    unlike_share: float = 0.0


class RefinedTracks(NamedTuple):
    """What :func:`refine_tracks` returns."""

    refined: np.ndarray  # (V, T, J, C) like the input, NaN outside the spans and where left missing
    filled: np.ndarray  # (V, T, J) bool, values filled in (not measured) and given
    long_gaps: int  # joint values left missing: in gaps longer than max_gap
    never_seen: np.ndarray  # (V, T, J) bool: values left missing, of joints never seen in their span
    conventions: list[ConventionShift | None]  # per track; None where SynSP kept no joint definitions
    axes: list[np.ndarray]  # each distinct (C, C) map to the network's axes it refined a span in (Refiner.turn)
    sizes: list[float]  # each distinct factor a span's body was scaled by to the trained sizes (Refiner.resized)
    paces: list[float]  # each distinct rate (fps) a span with fast motion was refined at (Refiner.paced_fps)
    drifts: list[float]  # each span's limb drift, where the floor step measured it (Refiner.limb_drift)
    glitches: int  # joint values that left the body for a frame or two (estimator_errors.glitches): refined as gaps
    held: int  # joint values that repeated the frame before them, or the value such a run repeats off its track
               # (estimator_errors.held_values): refined as gaps
    inverted: int  # pair-frames whose left/right labels were exchanged back (estimator_errors.inversions)
    jumped: int  # frames where the whole body left its path for a frame or two (glitches.body_jumps): moved back
    absent: np.ndarray  # (V, T) bool: frames inside a span where the track has no joint detected, left out (NaN)
    # (track, share of the model's joints never seen, its part the input's layout has no joint for) of each track
    # SynSP gave way to SmoothNet in (a waist-up video, a marker set without the face: more than
    # synsp.sequence.UNSEEN_SHARE, Refiner.gives_way); the means over the spans that gave way
    unseen: list[tuple[int, float, float]] = []
    # (track, trunk over shoulder width, SmoothNet's share, foreshortening.fallback_share) of each 2D track from above
    # (synsp.inference.foreshortening; Refiner.from_above); the means over its spans, weighted by their frames
    above: list[tuple[int, float, float]] = []
    group_paces: dict[str, float] = {}  # pace group -> the lowest rate (fps) SmoothNet refined it at, when faster
    repeats: list[float] = []  # each span's share of its slow correction the network repeats (Refiner.repeated)
    repeat_ramp: tuple | None = None  # the ramp that share was read through (Refiner.repeat_ramp)
    shaken: list[tuple[float, float, float]] = []  # each span's shares of the whole-body steadying (Refiner.shaken)
    pull_ramp: tuple | None = None  # the part of the repeated pull taken off, by that share (Refiner.pull_ramp)
    # (track, trunk-to-legs bend in degrees, SmoothNet's mean share) of each 3D track bent over its legs throughout or
    # at the hips in some frames (synsp.inference.leaned_trunk; Refiner.flexed); means over its spans, by their frames
    leaned: list[tuple[int, float, float]] = []
    # (track, frame) of each cut to another side of the body (estimator_errors.body_cuts): the track refined in spans
    turned: list[tuple[int, int]] = []
    # (track, the step's share, joints moved to their low-pass) of each track whose errors read as light noise only
    # (synsp.inference.noise_only; the model's noise_only, recorded by refining.person); the means over its spans
    light: list[tuple[int, float, float]] = []
    stride: int = 1  # k > 1: whole frames empty at a regular stride, refined on the detected frames at fps/k
    depth_flipped: int = 0  # frames read mirrored front to back in depth (estimator_errors.depth_flips): mirrored back
    half_turned: int = 0  # frames of a body turned half round and back (estimator_errors.half_turns): turned back
    # joints given the floor step back on a span whose limbs drift, their own rigid distances steady: a few joint
    # definitions drifting (synsp.inference.joint_drift; Refiner.steady)
    steady: tuple[str, ...] = ()
    # (V, T, J) bool: values measured but taken out as a limb astray (estimator_errors.astray_limbs; doubled_limbs)
    # and filled, given
    taken: np.ndarray | None = None
    # each person's (4,) reading of the alternating frames taken out of a span (Refiner.alternated)
    alternating: list[np.ndarray] = []
    # (track, fastest turns a second) of each track spinning fast about the vertical (inference.position_spin)
    spun: list[tuple[int, float]] = []
    # each person's (smallest, largest) size against its median, where its size changed over the span beyond an
    # estimator's drift and was refined at its median (body_scale.size_track; Refiner.size_changes)
    size_changes: list[tuple[float, float]] = []
    arrivals: int = 0  # of the held values, the first values of runs written off the joint's track (held_arrivals)
    across: int = 0  # of the glitches and limbs astray, those told across frames with no joint (Measurements.across)
    carried: int = 0  # of the held values, a decoder's stall at a track's end carried on at the body's pace (stalls)
    pulled: tuple[str, ...] = ()  # joints low-passed: a motion the network never saw (inference.unseen_motion)
    struck: tuple[tuple[str, int], ...] = ()  # (joint, frames) of a limb's fast frames given back (fast_limbs)


def refine_tracks(poses: np.ndarray, layout: str | None, method: str, *, max_gap: int | None = None,
                  lacking: np.ndarray | None = None, cuts: list[np.ndarray] | None = None,
                  **options) -> RefinedTracks:
    """Refine tracks ``poses`` (V, T, J, C) in their own unit (mm or px), NaN where nothing was
    measured, as ``synsp refine`` does; ``layout`` names their J joints (None: unknown), or
    their first joints when J is more than its count: the joints after those are a file's own
    markers beside a layout's (:meth:`synsp.formats.PoseData.partial_layout`), refined as
    joints of no layout. ``lacking`` (J,) bool marks the layout's joints the input does not have at
    all (a file's marker set without them), which SynSP does not count as never seen
    (:meth:`~synsp.inference.refiner.Refiner.gives_way`). ``cuts``: per track the frames (K,) it is cut at besides
    those it reads (a cut read at a file's own times before resampling, :mod:`synsp.refining.clock_cuts`; on the
    strided route, at the first detection at or after it; at a frame the track is not seen in, at the next one it
    is, :func:`~synsp.estimator_errors.track_switches.seen_cuts`). ``options`` go to :func:`refine_track`.

    Each track is refined over the spans where it holds one person (:func:`track_segments`);
    gaps are filled for the refiner, and afterwards the values of gaps longer than ``max_gap``
    frames, of joints never seen in a span, and every value of a frame in which the track has no
    joint detected at all (the person hidden, or not detected: :attr:`RefinedTracks.absent`) are
    NaN again (never invented); the refinement still sees such frames filled, for context. For the networks,
    glitches (:mod:`synsp.estimator_errors.glitches`) and held values
    (:mod:`synsp.estimator_errors.held_values`) are gaps too, always filled and counted as filled.
    Left/right pairs whose labels the input exchanged for a while are exchanged back
    (:mod:`synsp.estimator_errors.inversions`), and frames where the whole body left its path for a
    frame or two are moved back (:func:`synsp.estimator_errors.glitches.body_jumps`); both counted. For SynSP keeping
    the input's joint definitions, the constant pull each track's refinement measured is kept
    (its spans averaged, weighted by frames), so every track can be reported without refining again.

    For the networks, whole frames empty at a regular stride (every k-th frame detected,
    :mod:`synsp.refining.strided`) are no frames to bridge: the detected frames are refined alone at fps/k
    (``stride`` k), the empty ones left NaN.
    """
    detected, k = network_stride(poses, method)  # the filters: bridged (refining.strided)
    if k > 1:
        return _on_detections(poses, detected, k, layout, method, max_gap=max_gap, lacking=lacking, cuts=cuts,
                              **options)
    spins = tracks_spins(poses, layout, options.get("fps")) if method in NETWORKS and not options.get(
        "network_only") else []
    if any(spins):  # a body spinning fast about the vertical: taken out, refined, put back (inference.position_spin)
        out = refine_tracks(tracks_turned(poses, spins, -1.0), layout, method, max_gap=max_gap, lacking=lacking,
                            cuts=cuts, **options)
        return out._replace(refined=tracks_turned(out.refined, spins, 1.0),
                            spun=[(v, spin.fastest) for v, spin in enumerate(spins) if spin is not None])
    out = np.full_like(poses, np.nan)
    filled, taken, never = (np.zeros(poses.shape[:3], dtype=bool) for _ in range(3))  # (V, T, J) each
    absent = np.zeros(poses.shape[:2], dtype=bool)
    long = 0
    # the model refine_track runs, whose measurements the summary reads (a made-up face's own)
    model = layout_model(method, poses.shape[-1], layout, options) if method in NETWORKS else None
    conventions: list[ConventionShift | None] = []
    axes: list[np.ndarray] = []
    sizes: list[float] = []
    size_changes: list[tuple[float, float]] = []
    paces, drifts, repeats = ([] for _ in range(3))  # list[float] each
    steady: list[str] = []
    pulled: list[str] = []  # joints low-passed: a motion the network never saw (inference.unseen_motion)
    struck: list[tuple[str, int]] = []  # (joint, frames) of a limb's fast frames given back (inference.fast_limbs)
    repeat_ramp = pull_ramp = None
    shaken: list[tuple[float, float, float]] = []
    alternating: list[np.ndarray] = []
    body = get_layout(layout) if layout is not None else None  # gaps filled along its bones, for filters too
    laid = len(get_layout(layout).joints) if layout is not None else poses.shape[2]  # then the file's own joints
    glitch_count = held_count = inverted = jumped = flipped = half = arrivals = across = carried = 0
    # (track, two figures) of each track SynSP gave way in: never seen, from above, bent over, light noise only
    unseen, above, leaned, light = ([] for _ in range(4))  # list[tuple[int, float, float]] each
    grouped = (group_model(method, poses.shape[-1], options) if model is not None and layout is not None
               and pace_groups(layout) else None)  # SmoothNet refining hands and face at their own pace
    group_paces: dict[str, float] = {}
    # the networks' routes undo the estimator's errors: a cut to another side of the body is cut there first
    pairs = body.left_right if body is not None and model is not None and not options.get("network_only") else ()
    turned: list[tuple[int, int]] = []
    stretched = method == "synsp" and not options.get("network_only")  # its route is decided per stretch
    thrown = model is None or bool(options.get("network_only"))
    given = [None if cuts is None or not len(cuts[v]) else np.isin(np.arange(poses.shape[1]), cuts[v])
             for v in range(len(poses))]  # (T,) bool each: the cuts read before
    # each at a frame the track is seen in (the next one): the spans and the cuts: line agree on where it was cut
    given = [None if cut is None else seen_cuts(poses[v], cut) for v, cut in enumerate(given)]
    turns = [half_turns(track, pairs) for track in poses]  # spans turned half round and back: read once a track
    spans = [track_segments(track, pairs=pairs, thrown=thrown, given=given[v], turns=turns[v])
             for v, track in enumerate(poses)]
    lengths = [len(poses[v][span]) for v, cut in enumerate(spans) for span in cut]
    bar = frames_bar(sum(n + _again(n, options.get("fps"), stretched) for n in lengths))  # on a terminal
    # every value, for the refiners; the networks' input with the measured errors undone (network_only: not)
    measure = partial(_measurements, body=body, laid=laid, undo=model is not None and not options.get("network_only"),
                      jumps=looks_for_jumps(options.get("fps")), fps=options.get("fps"))  # as the Refiner reads them

    def refine_part(values: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, SimpleNamespace]:
        """A span or a stretch refined, with what the models recorded of it (in a lockstep job, the job's own
        copies of the models: synsp.lockstep.own)."""
        out = _refine_stretch(own_copy(model), own_copy(grouped), lambda: refine_track(
            values[:, :laid], layout, method, missing=missing[:, :laid],
            lacking=None if lacking is None else lacking[:laid], **options))
        bar.update(len(values))
        return out

    # short spans' refinements first, their network windows batched across spans (synsp.lockstep)
    ahead = _short_spans(poses, spans, measure, refine_part) if model is not None else {}
    for v, track in enumerate(poses):
        read = turned_cuts(track, pairs, turns=turns[v])
        turned += [(v, int(t)) for t in np.flatnonzero(read if given[v] is None else read | given[v])]
        shifts: list[tuple[int, ConventionShift]] = []
        gave_way: list[tuple[int, float, float]] = []  # (frames, unseen, lacked share): spans SmoothNet refined
        from_above: list[tuple[int, float, float]] = []  # (frames, trunk ratio, SmoothNet's share): from above
        bent: list[tuple[int, float, float]] = []  # (frames, trunk-to-legs bend, SmoothNet's mean share): bent
        noisy: list[tuple[int, float, float]] = []  # (frames, share, joints moved): light noise only
        for at, span in enumerate(spans[v]):
            segment = track[span]
            measured = ahead[v, at][0] if (v, at) in ahead else measure(segment)
            values, missing = measured.values, measured.missing
            glitch_count += int(measured.glitches.sum())
            across += 0 if measured.across is None else int(measured.across.sum())  # told past unseen frames
            held_count, arrivals = held_count + int(measured.held.sum()), arrivals + measured.arrivals
            carried, inverted = carried + measured.carried, inverted + measured.inverted
            jumped, flipped = jumped + int(measured.jumped.sum()), flipped + int(measured.depth_flipped.sum())
            half += 0 if measured.turned is None else int(measured.turned.sum())
            nobody = missing.all(axis=1)  # (T,): no joint detected; bridged for the refiner, not written
            too_long = left_missing(missing, max_gap)
            long += int((too_long & ~missing.all(axis=0) & ~nobody[:, None]).sum())
            unknown = too_long | nobody[:, None]
            filled[v, span] = measured.gaps & ~unknown
            off = measured.astray if measured.edge is None else measured.astray | measured.edge  # limbs astray, on edge
            taken[v, span] = off & ~missing & ~unknown
            never[v, span] = missing.all(axis=0)
            absent[v, span] = nobody
            if model is None and body is not None:  # a filter's: joints beyond the model's filled from their segment
                values[:, :laid] = segment_filled(values[:, :laid], measured.gaps[:, :laid], layout,
                                                  model_space_layout(values.shape[-1]))
            source = segment if model is not None else values
            # a long span: refined whole, and stretch by stretch (refining.stretches); a stretch whose route differs
            # from the whole span's (SmoothNet where the span took SynSP, or the reverse) is given its own output
            bounds = stretches(len(segment), options.get("fps")) if stretched else [(0, len(segment))]
            refined, records, own = ahead.pop((v, at))[1] if (v, at) in ahead else read_stretches(
                bounds, lambda start, end: refine_part(source[start:end], missing[start:end]))
            whole = records[0]
            kept = len(segment) - sum(bounds[i][1] - bounds[i][0] for i in own)  # frames the whole span's route gave
            for read, frames in [(records[i + 1], bounds[i][1] - bounds[i][0]) for i in own] + [(whole, kept)] * (
                    kept > 0 or not own):
                for group, rate in read.group_fps.items():
                    group_paces[group] = min(rate, group_paces.get(group, rate))
                if read.model is None:
                    continue
                if read.gave_way:
                    gave_way.append((frames, read.unseen, read.lacked))
                if read.from_above:
                    from_above.append((frames, read.trunk_ratio, read.from_above))
                if read.noise_only is not None:
                    noisy.append((frames, read.noise_only[0], float(read.noise_only[1].sum())))
                if read.flexed and not read.unlike_body:  # unlike: SmoothNet's output whole, said so already
                    bent.append((frames, read.trunk_bend, read.flexed))
                if read.convention_offsets is not None:
                    shifts.append((frames, ConventionShift(read.convention_offsets, read.convention_far,
                                                           read.unlike_body)))
                if not read.unlike_body:  # else SmoothNet's output was given: nothing else SynSP did is in it
                    if read.turn is not None and not any(np.allclose(read.turn, a) for a in axes):
                        axes.append(read.turn)
                    if read.resized != 1.0 and not any(np.isclose(read.resized, f) for f in sizes):
                        sizes.append(read.resized)
                    size_changes.extend(read.size_changes or [])
                    if read.paced_fps is not None and not any(np.isclose(read.paced_fps, r) for r in paces):
                        paces.append(read.paced_fps)
                    if read.limb_drift is not None:
                        drifts.extend(np.ravel(read.limb_drift).tolist())
                    if read.steady is not None:
                        steady += [n for n, s in zip(read.model.layout.joints, read.steady.max(axis=0)) if s > 0]
                    if read.moved_motion is not None:
                        pulled += [n for n, s in zip(read.model.layout.joints, read.moved_motion.max(axis=0)) if s > 0]
                    if read.fast_given is not None:
                        struck += [(n, int(k)) for n, k in zip(read.model.layout.joints, read.fast_given.sum(0)) if k]
                    if read.repeated is not None:
                        repeats.extend(np.ravel(read.repeated).tolist())
                        repeat_ramp, pull_ramp = read.repeat_ramp, read.pull_ramp
                    if read.shaken is not None:
                        shaken.extend(tuple(person) for person in np.reshape(read.shaken, (-1, 3)).tolist())
                    if read.alternated is not None:
                        alternating.extend(person for person in np.reshape(read.alternated, (-1, 4)) if person[0] > 0)
            if laid < values.shape[1]:  # the file's own markers beside the layout's: joints of no layout
                refined = np.concatenate([refined, refine_track(values[:, laid:], None, method, **options)], axis=1)
            refined[unknown] = np.nan  # what was only filled for the refiner is not given as measured
            out[v, span] = refined
        conventions.append(None if not shifts else ConventionShift(
            np.average([s.offsets for _, s in shifts], axis=0, weights=[n for n, _ in shifts]),
            any(s.far for _, s in shifts), any(s.unlike for _, s in shifts),
            sum(n for n, s in shifts if s.unlike) / sum(n for n, _ in shifts)))
        if gave_way:
            unseen.append((v, *_frame_weighted(gave_way)))
        if from_above:
            above.append((v, *_frame_weighted(from_above)))
        if bent:
            leaned.append((v, *_frame_weighted(bent)))
        if noisy:
            light.append((v, *_frame_weighted(noisy)))
    bar.close()
    return RefinedTracks(out, filled, long, never, conventions, axes, sizes, paces, drifts, glitch_count, held_count,
                         inverted, jumped, absent, unseen, above, group_paces, repeats, repeat_ramp, shaken, pull_ramp,
                         leaned, turned, light, depth_flipped=flipped, half_turned=half,
                         steady=tuple(dict.fromkeys(steady)), taken=taken, alternating=alternating,
                         size_changes=size_changes, arrivals=arrivals, across=across, carried=carried,
                         pulled=tuple(dict.fromkeys(pulled)), struck=tuple(struck))


def _short_spans(poses: np.ndarray, spans: list[list[slice]], measure: Callable[[np.ndarray], Measurements],
                 refine: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, SimpleNamespace]]) -> dict:
    """(track, span index) -> (the span's measurements, :func:`read_stretches`' triple) of the spans of at most
    :data:`synsp.lockstep.SHORT_SPAN` frames (one stretch each): ``refine(segment, missing)`` of each, run in lockstep
    (:func:`synsp.lockstep.short_in_lockstep`). Empty when fewer than two spans are short."""
    lengths = {(v, i): len(poses[v][span]) for v, cut in enumerate(spans) for i, span in enumerate(cut)}

    def job(key: tuple[int, int]) -> tuple[Measurements, tuple[np.ndarray, SimpleNamespace]]:
        segment = poses[key[0]][spans[key[0]][key[1]]]
        measured = measure(segment)  # in the job: which spans are short is short_in_lockstep's alone to say
        return measured, refine(segment, measured.missing)

    done = short_in_lockstep(lengths, job)
    return {key: (measured, (refined, [record], [])) for key, (measured, (refined, record)) in done.items()}


def _on_detections(poses: np.ndarray, detected: np.ndarray, k: int, layout: str | None, method: str, *,
                   max_gap: int | None, cuts: list[np.ndarray] | None = None, **options) -> RefinedTracks:
    """:func:`refine_tracks` of ``poses`` (V, T, J, C) on their ``detected`` (T,) frames alone, every ``k`` frames:
    refined at fps / k, ``max_gap`` (file frames) and ``cuts`` (per track, file frames) in the detections' steps;
    the other frames NaN, and absent inside a track's detections, as a frame with no joint detected is."""
    grid, steps, fps, grid_gap = on_detections(poses, detected, k, options.get("fps"), max_gap)
    tracks = refine_tracks(grid, layout, method, max_gap=grid_gap, cuts=grid_cuts(cuts, detected, steps),
                           **{**options, "fps": fps})
    seen = np.isfinite(poses).all(-1).any(-1)  # (V, T)
    inside = (np.cumsum(seen, 1) > 0) & (np.cumsum(seen[:, ::-1], 1) > 0)[:, ::-1]  # first to last detection
    held = repeated_frames(poses, detected)  # an estimator's output held between its runs: given, as filled
    empty = inside & ~detected & ~held
    frames = np.flatnonzero(detected)  # the file's frame of each grid step with a detection
    never = off_grid(tracks.never_seen, detected, steps, 1, False)
    never |= empty[..., None] & tracks.never_seen.any(1, keepdims=True)  # a joint never seen: in every frame
    return tracks._replace(refined=between(off_grid(tracks.refined, detected, steps, 1), held, 1),
                           filled=off_grid(tracks.filled, detected, steps, 1, False)
                           | (held[:, None] & seen[..., None]),
                           taken=off_grid(tracks.taken, detected, steps, 1, False),
                           never_seen=never,
                           absent=off_grid(tracks.absent, detected, steps, 1, False) | empty, stride=k,
                           turned=[(v, int(frames[np.searchsorted(steps, t)])) for v, t in tracks.turned])


def _refine_stretch(model, grouped, run: Callable[[], np.ndarray]) -> tuple[np.ndarray, SimpleNamespace]:
    """``run()`` (one span's or stretch's refinement), with what ``model`` (the SynSP or SmoothNet Refiner the route
    runs; None: a filter) and ``grouped`` (SmoothNet refining the pace groups, or None) recorded of it: reset
    before, so that a span refined without the network does not report the previous one, read after."""
    if model is not None:
        model.clear_records()
    if grouped is not None:
        grouped.group_fps = {}
    # A network's route measures the span itself, as synsp.refine's does: given the values
    # measured by refine_tracks, it read them again, and found glitches and held values in their fills
    # (the MediaPipe demo: 27 and 245; its ankle 67 px from synsp.refine's)
    out = run()
    read = read_records(model) if model is not None else {}
    return out, SimpleNamespace(model=model, group_fps=dict(grouped.group_fps) if grouped is not None else {}, **read)


def _again(frames: int, fps: float | None, stretched: bool) -> int:
    """The frames a span of ``frames`` is refined again in, stretch by stretch (0: refined whole only)."""
    bounds = stretches(frames, fps) if stretched else []
    return sum(b - a for a, b in bounds) if len(bounds) > 1 else 0


def partly_note(shares: list[float]) -> str:
    """What the summary adds to a route SynSP gave way in where it did so in part of the frames only: ``shares``
    (0 to 1) of the frames of each track it gave way in (:attr:`ConventionShift.unlike_share`); '' when all were."""
    if not shares or min(shares) >= 1:
        return ""
    return (f" in {', '.join(f'{share:.0%}' for share in shares)} of the frames (the spans between cuts and the "
            "stretches of a long span that read so; the others refined by SynSP)")


def _frame_weighted(spans: list[tuple[int, float, float]]) -> tuple[float, float]:
    """The two figures of ``spans`` ((frames, a, b) each), averaged over the spans weighted by their frames."""
    a, b = np.average([figures for _, *figures in spans], axis=0, weights=[n for n, *_ in spans])
    return float(a), float(b)


def _measurements(segment: np.ndarray, body: Layout | None, laid: int, *, undo: bool, jumps: bool = True,
                  fps: float | None = None) -> Measurements:
    """:func:`synsp.estimator_errors.measurements.measurements` of a span (T, J, C) whose first ``laid`` joints are in
    layout ``body`` and the rest (a file's own markers) in none; masks over all J joints. ``jumps``: whether whole-body
    jumps are looked for (not under 15 fps, :mod:`synsp.inference.low_rate`); ``fps`` (None: 30) times stall carries."""
    first = measurements(segment[:, :laid], body, undo=undo, jumps=jumps, fps=fps)
    if laid == segment.shape[1]:
        return first
    rest = measurements(segment[:, laid:], None, undo=undo, jumps=jumps, fps=fps)
    joints = [np.concatenate([a, b], axis=1) for a, b in zip(first[:4], rest[:4])]  # values, missing, glitches, held
    return first._replace(values=joints[0], missing=joints[1], glitches=joints[2], held=joints[3],
                          jumped=first.jumped | rest.jumped, astray=np.concatenate([first.astray, rest.astray], axis=1),
                          edge=np.concatenate([first.edge, rest.edge], axis=1))
