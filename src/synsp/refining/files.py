"""``synsp refine IN OUT``: read any supported pose file, refine every track, write it back.

Steps: low-confidence joints (score < threshold) and NaN become missing; each track is refined
over the span where it was detected (outside that span it stays missing, so no ghost person
appears), cut where the estimator jumped to another person (:func:`track_segments`); gaps
inside the span are filled before refinement (the refiners need every value), then the values
of gaps longer than ``max_gap``, of joints never seen in the span and of frames in which the
track has no joint detected are missing again (never invented), and the output says which
values were filled (``PoseData.filled``, stored by every format that has room; scores are kept
as the estimator gave them). When the file's joint layout differs from the network's (e.g.
MediaPipe-33 into a Human3.6M-17 model), the poses are converted, refined, and each input joint
moves with the model joint nearest to it, so the output keeps the input's layout and shape.
Classic filters need no layout: they run on any joint set.

Files of joint rotations (BVH, SMPL parameters: the ``motion`` rows of ``FORMATS``) written to
the same kind of file are refined on the rotation manifold instead (:func:`refine_motion_file`),
with the input's skeleton (:mod:`synsp.refining.motion`); written to another format, their joint
positions are refined. An OpenSim ``.mot`` of joint angles is filtered curve by curve
(:mod:`synsp.refining.angle_curves`).

This module reads, checks and writes files; IN and OUT are checked by :mod:`synsp.refining.file_paths`, the
per-track refinement and layout conversion are :mod:`synsp.refining.tracks`, the figures and notes
:mod:`synsp.refining.summary`.
"""
from __future__ import annotations

import os
from dataclasses import replace

import numpy as np

import synsp.refining.file_channels as file_channels
from synsp.errors import MissingDataError, OptionError, ShapeError, SpaceError, check_threshold
from synsp.filter_options import check_filter_options, filter_kwargs
from synsp.filters import FPS_FILTERS
from synsp.formats import FORMATS, detect_format, read_poses, scores_to_missing, writable_format, write_poses
from synsp.formats.decimals import refined_decimals
from synsp.formats.joint_subsets import laid_out
from synsp.model import NETWORKS
from synsp.motion_pace import slow_hint
from synsp.paths import exclusive_writes
from synsp.refining.angle_curves import refine_angle_file
from synsp.refining.arrays import (
    checkpoint_network,
    guessed_layout,
    input_layout,
    layout_name,
    method_function,
    model_layout,
    nearest_joints,
    refine_track,
    shared_joints,
)
from synsp.refining.copied_joints import copies_note, copies_to_leave_out, tracks_with_copies, without_copies
from synsp.refining.earlier_pass import fill_lines
from synsp.refining.file_channels import SPACES, UNDECLARED, confidence_channel, flat_coordinate, flat_track_unit
from synsp.refining.file_paths import check_paths, default_output, file_paths
from synsp.refining.file_units import check_units, check_units_space, refine_factor
from synsp.refining.give_way_notes import give_way_notes
from synsp.refining.id_exchanges import exchanged_back
from synsp.refining.image_size import from_pixels, image_sides, to_pixels
from synsp.refining.methods import MIN_FRAMES, check_checkpoint, check_method_flags
from synsp.refining.motion import refine_motion_file
from synsp.refining.route_notes import (
    given_layout_notes,
    kept_clean_note,
    layout_notes,
    no_layout_route,
    other_order_note,
    told_order_notes,
)
from synsp.refining.summary import (
    ASSUMED_FPS,
    NORMALISED_FORMATS,
    RefineSummary,
    convention_notes,
    gap_fill_notes,
    joint_groups,
    joint_names,
    single_frame_summary,
    summarize,
    summary_unit,
    track_notes,
    unmarked_format,
)
from synsp.refining.tracks import ConventionShift, RefinedTracks, refine_tracks, track_segments
from synsp.refining.uneven_times import column_times, rate_note, refine_file_tracks, with_file_rate
from synsp.score_levels import LIKELIHOOD_FORMATS, steady_notes
from synsp.sentinels import sentinel_values
from synsp.sequence import ABSURD, MIN_SCORE, fixed_at_origin, max_gap_frames, not_found
from synsp.skeleton import LAYOUTS, TREE_EXCESS, tree_excess

# Where the parts of ``synsp refine`` were before they had modules of their own; imported from here too.
__all__ = ["ConventionShift", "RefineSummary", "RefinedTracks", "default_output", "joint_groups", "model_layout",
           "nearest_joints", "refine_file", "refine_motion_file", "refine_track", "refine_tracks", "shared_joints",
           "track_segments"]


def refine_file(
    input: str | os.PathLike, output: str | os.PathLike | None = None, *, method: str | None = None,
    checkpoint: str | None = None, layout: str | None = None, in_format: str | None = None,
    out_format: str | None = None, threshold: float = MIN_SCORE,
    device: str | None = None, force: bool = False, space: str | None = None, fps: float | None = None,
    keep_convention: bool | str | None = None, floor: bool | None = None, key: str | None = None,
    max_gap: int | str | None = None, stride: int | None = None, lowpass_hz: float | None = None,
    network_only: bool = False, filter_options: dict | None = None, image_size: tuple[float, float] | None = None,
    units: str | None = None) -> RefineSummary:
    """Refine the pose file ``input`` into ``output`` (same format unless ``out_format``).

    Parameters
    ----------
    input, output : pose files (see :mod:`synsp.formats`); ``output`` is never ``input``. Without
        ``output`` a TRC file is written beside the input as ``<name>_filt_synsp.trc``, the name
        Pose2Sim's later steps look for (:func:`default_output`).
    method : one of ``synsp.refining.arrays.METHODS``; None: the network of ``checkpoint`` when one is
        given, else "synsp" for positions and the rotation filter tuned on the validation split
        for rotation files (``ROTATION_DEFAULT``).
    checkpoint : a checkpoint file or shipped model name for the network methods.
    layout : the input's joint layout when the file does not say (networks need one).
    in_format, out_format : force a format instead of guessing from the file / extension.
    threshold : joints with a confidence below this are missing, and filled.
    device : torch device for the networks.
    force : replace an existing ``output``.
    space : ``"image"``/``"2d"`` or ``"world"``/``"3d"`` for MediaPipe files; for (T, J, 3) arrays
        and CSV without confidences, ``"2d"`` reads the third channel as a confidence (x, y,
        score) and ``"3d"`` as z. Without it synsp decides by
        :func:`synsp.channels.third_channel` and refuses (``SpaceError``) when it cannot tell. A
        confidence channel makes low-confidence joints missing and is written back unchanged.
    fps : the input's frame rate, when the file does not say or says it wrongly (the
        networks and the filters of ``synsp.filters.FPS_FILTERS`` use it).
    key : the array of an ``.npz`` that holds the poses (``--key``), when the file has several.
    keep_convention : SynSP keeps the input's joint definitions by undoing the left/right symmetric part of its
        constant pull ("symmetric", the default when None), all of it (True) or none (False: it moves them to its
        own); see :attr:`synsp.inference.refiner.Refiner.keep_convention`. On joint rotations, False is the rotation
        network alone, True keeps each joint's rest frame (:func:`synsp.inference.rotation_refiner.keep_rest_frames`),
        anything else is the network's default (kept unless it learnt to remove slow errors).
    floor : SynSP keeps its correction in proportion to how far it stands above the model's floor (None or True, the
        default; :mod:`synsp.inference.floor`) or whole (False: ``--whole-correction``).
    lowpass_hz : the cut-off (Hz) of SynSP's last low-pass (``--lowpass``; None: the model's
        default, 6 Hz; 0: none), e.g. higher for fast sports motion filmed at 60 fps or more.
    stride : frames between the network's windows (``--stride``; default: the model's, for SynSP 3 in 3D and 2 in
        2D): 1 is the smoothest, 4 faster and less smooth (benchmarks/RESULTS.md, section 15).
    network_only : the bare network (``--network-only``, :func:`synsp.load_model`'s
        ``network_only``): every step around it off, its windows merged by SWAA's plain mean.
    max_gap : gaps longer than this many frames (``15``), or seconds (``"0.5s"``, at the file's frame rate), are not
        invented: they stay missing (NaN) in the output. Joints never seen in a track always stay missing. Shorter
        gaps are filled.
    filter_options : a filter's ``--cutoff``, ``--window``, ``--min-cutoff``, ``--beta`` (:mod:`synsp.filter_options`).
    image_size : (width, height) in pixels of the image whose sides normalise the file's 2D x, y
        (``--image-size``; MediaPipe's image landmarks): refined in pixels, written back normalised
        (:mod:`synsp.refining.image_size`).
    units : the length unit of a 3D file that does not state it (``--units``: m, cm, mm, in, cmu; arrays, CSV,
        JSON, BVH): refined in millimetres, written back in it; None: told from the body's size
        (:mod:`synsp.refining.file_units`).

    Returns
    -------
    RefineSummary; the written file holds poses (V, T, J, C) shaped like the input's, in its unit, NaN where a track
    was not yet / no longer detected or has no joint detected in a frame (the person hidden: no instance is written
    for it; (0, 0) where the input said so), and ``filled`` (V, T, J) flags where values were filled in.

    Raises ``ValueError``/``FileNotFoundError``/``FileExistsError`` with one-line messages for bad input; nothing is
    written then.
    """
    src, dst = file_paths(input, output, in_format)  # OUT beside a TRC when not given
    if src.suffix.lower() == ".mot" and in_format is None:  # joint angles, not positions: refining.angle_curves
        return refine_angle_file(src, dst, method=method, fps=fps, filter_options=filter_options,
                                 checkpoint=checkpoint, force=force)
    if method is not None:
        method_function(method)  # an unknown method fails before any file is read
    layout = layout_name(layout)  # a Layout of LAYOUTS: its name; anything else fails here too
    filter_options = check_filter_options(method, filter_options or {})  # fails before any file is read too
    sides = None if image_size is None else image_sides(image_size)
    flags = dict(lowpass_hz=lowpass_hz, floor=floor, network_only=network_only, stride=stride)
    if method is not None:  # --joints is also the rotation networks': checked once the file's kind is known
        check_method_flags(method, **flags)
    check_threshold(threshold)
    check_paths(src, dst, force)  # after the options, before the file is read
    fmt = in_format or detect_format(src, key=key)
    check_units(units, fmt, src)  # a unit of the table, for a file that does not state its own
    if fmt in FORMATS and FORMATS[fmt].motion and out_format in (None, fmt) \
            and dst.suffix.lower() in FORMATS[fmt].extensions:  # rotations in, rotations out; else joint positions
        given = [flag for flag, on in (("lowpass", lowpass_hz is not None), ("network-only", network_only),
                                       ("whole-correction", floor is not None and floor is not True),
                                       ("stride", stride is not None), ("image-size", sides is not None)) if on]
        if given:  # a filter's --cutoff, --window, --min-cutoff go on: refine_motion_file
            raise OptionError(f"{src}: --{given[0].replace('_', '-')} is for joint positions; joint rotations are "
                              "refined without it")
        if keep_convention is not None and method is not None and method not in NETWORKS:
            raise OptionError(f"{src}: --joints on rotations is for {' and '.join(NETWORKS)}, not {method!r}")
        with exclusive_writes(not force):
            return refine_motion_file(src, dst, fmt, method=method, out_format=out_format, fps=fps,
                                      checkpoint=checkpoint, device=device,
                                      keep_rest_frames=keep_convention if isinstance(keep_convention, bool)
                                      else None, key=key, filter_options=filter_options, units=units)
    chosen, why = None, ""
    if method is None and checkpoint is not None:  # no --method: the checkpoint says which network it is
        method = checkpoint_network(checkpoint, device)
        chosen = f"method: {method}, the network of checkpoint {checkpoint} (no --method given)"
        why = f" (the network of checkpoint {checkpoint})"
    if method is None and fmt in NORMALISED_FORMATS and sides is None:  # x, y scaled by sides the file does not give
        method = "smoothnet"
        chosen = ("method: smoothnet (no --method given): x, y are normalised by an image whose size the file does "
                  "not give, and SynSP's body model needs the body's proportions; give the video's width and "
                  "height (--image-size W H) for SynSP")
        why = " (chosen as x, y are normalised by an image of a size the file does not give: --image-size W H)"
    method = method or "synsp"
    check_method_flags(method, keep_convention=keep_convention, why=why, **flags)
    check_checkpoint(method, checkpoint, device)
    file_channels.check_space(space, fmt, src)
    read_options = {"space": SPACES[space]} if space and fmt == "mediapipe" else {}
    if key is not None:
        read_options["key"] = key
    # by the joints' names; a tracker's ids exchanged between people relinked (refining.id_exchanges)
    data = exchanged_back(laid_out(read_poses(src, format=fmt, fps=fps, **read_options), layout, src))
    file_values = data.poses  # the values written back as they came keep every digit (formats.decimals)
    v_count, t_count, j_count, c_count = data.poses.shape
    four = c_count == 4 and data.format in UNDECLARED and data.scores is None  # x, y, z plus a confidence
    shape = data.poses.shape[data.extra.get("arrays", {}).get("rank") == 3:]  # the file's own, for messages
    if t_count == 0:
        raise ShapeError(f"{src}: no frames: the file holds no data rows (poses of shape {shape})")
    if (c_count not in (2, 3) and not four) or 0 in (t_count, j_count):
        raise ShapeError(f"{src}: poses must be (T, J, C) or (V, T, J, C) with T, J > 0 and C = 2 or 3 "
                         f"(or 4: x, y, z and a confidence), got shape {shape}")
    as_read = data  # as the file holds it: what a clip too short to refine is written back as
    writable_format(dst, as_read, format=out_format)  # a wrong OUT fails now, not after the work
    data, depth = file_channels.holistic_depth(data, space, layout, sides is not None)  # z: written back as read
    normalised = data.poses
    if sides is not None:  # before the third channel is read: a score beside pixels is told from a z
        data = replace(data, poses=to_pixels(data.poses, sides, str(src), order=True))
    data, confidence = confidence_channel(data, space, src)
    data, flat = flat_coordinate(data, space, src)
    c_count = data.poses.shape[-1]
    if sides is not None and (c_count != 2 or flat is not None):  # a flat track too: its unit is the file's
        raise SpaceError(f"{src}: --image-size is for 2D x, y normalised by the image's sides; the file holds x, y, "
                         f"z ({data.format}, {v_count} track(s) of {j_count} joints)")
    check_units_space(units, c_count, flat, src)
    with np.errstate(over="ignore", invalid="ignore"):
        poses = data.poses.astype(np.float32)
        # inf, overflow and absurd values are missing joints (filled and counted), never silent holes
        poses[~(np.abs(poses) <= ABSURD).all(-1)] = np.nan
    zeros = not_found(poses)
    fixed = fixed_at_origin(poses, zeros)[..., None, :]  # given back as they came
    came = np.where(zeros[..., None], poses, 0)  # the value written for "not found": (0, 0), (-1, -1), ...
    poses[zeros] = np.nan
    if zeros.any() and not np.isfinite(poses).all(-1).any():
        raise MissingDataError(f"{src}: every joint is missing or exactly 0 in every frame (estimators write 0 "
                               "for a joint not found): nothing to refine")
    measured = poses
    scored, rating = file_channels.rated_scores(data, src, confidence is not None)  # percent: divided by 100
    steady = data.format not in LIKELIHOOD_FORMATS  # a joint scored low in most frames: read at its own level
    if scored is not None:
        poses = scores_to_missing(poses, scored, threshold, steady)
    if not np.isfinite(measured).all(-1).any():  # nothing at all, whatever the scores say
        how = "NaN, or (0, 0): not found" if zeros.any() else "NaN"
        raise MissingDataError(f"{src}: every joint value is missing ({how}); nothing to refine")
    if not np.isfinite(poses).all(-1).any():
        how = "--space 2d" if space == "2d" else "told from its values"
        read = "" if confidence is None or c_count != 2 else (  # the channel was taken for the scores: say so
            f", the third channel read as the confidence ({how}): its values run from {np.nanmin(confidence):.2f} "
            f"to {np.nanmax(confidence):.2f}")
        raise MissingDataError(f"{src}: no joint detected with confidence >= {threshold} in any frame{read}; "
                               "nothing to refine")
    if t_count < MIN_FRAMES:  # too few frames to smooth over: written as read (said in one line)
        with exclusive_writes(not force):
            write_poses(dst, as_read, format=out_format)
        return single_frame_summary(dst, as_read)
    options = {"checkpoint": checkpoint, "device": device} if method in NETWORKS else {}
    if method == "synsp":
        options["keep_convention"] = keep_convention
        options["floor"] = floor
        options["lowpass_hz"] = lowpass_hz
    if network_only or stride is not None:  # a network's only (check_method_flags); else its defaults
        options.update(network_only=network_only, stride=stride)
    target = model_layout(c_count, checkpoint, device) if method in NETWORKS else None
    own = data.own_joint_names()  # a lab's markers or a project's body parts: never a layout by their count
    partial = data.partial_layout()  # a layout's joints, then markers of the file's own (Pose2Sim's augmented)
    laid = len(LAYOUTS[partial].joints) if partial is not None and layout in (None, partial) else j_count
    found = copies_to_leave_out(poses, lambda p: input_layout(p, None, None, src, target, fit_given=True)) \
        if target is not None and layout is None and data.layout is None and partial is None and not own else None
    name = found.layout if found is not None else input_layout(
        poses[..., :laid, :], partial if laid < j_count else data.layout, layout, src, None if own else target,
        fit_given=True)
    held = data.extra.get(data.format, {}).get("columns") if data.format in ("trc", "c3d") else None  # its markers
    if method in NETWORKS:  # joints its marker set has none of (no eyes, ears): no body part out of the picture
        options["lacking"] = file_channels.lacking_joints(data, name)
    refined_count = len(found.kept) if found else laid  # the joints refined (a copy left out): one count in every line
    route = layout_notes(name, target, method, refined_count, c_count, held, checkpoint) if target is not None else []
    notes = given_layout_notes(own, layout, name, poses[..., :laid, :]) + route
    if laid < j_count:
        markers = data.extra[data.format]["joints"][laid:]
        notes = [note + f"; the file's {j_count - laid} other markers ({', '.join(markers)}) by "
                 f"{no_layout_route(method) if target is not None else method}, as joints of no layout"
                 for note in notes or [f"layout: {name}"]]
    rejected = layout or (guessed_layout(poses, target) if name is None and target is not None and not own
                          and data.layout is None else None)
    if rejected is not None and name != rejected:  # the joint count of a known layout, in another order
        notes = [other_order_note(j_count, rejected, name, tree_excess(poses, rejected), TREE_EXCESS[c_count],
                                  layout is not None, method), *(notes if name else [])]
    if layout is None and data.layout is None:
        notes[:0] = told_order_notes(name, target)
    rated = with_file_rate(data)  # a CSV's time column gives the rate the file does not name
    if rated.fps and not data.fps:
        notes.append(rate_note(rated))
    data = rated
    if (method in FPS_FILTERS or method in NETWORKS) and data.fps:
        options["fps"] = data.fps
    elif method in FPS_FILTERS or method in NETWORKS:  # the rate changes the output: the one taken is said
        notes.append(f"fps: {ASSUMED_FPS:g} (assumed; pass --fps)" + slow_hint(poses))  # the pace may tell
    options.update(filter_kwargs(method, filter_options, data.fps or ASSUMED_FPS))
    said_absent = data.extra.get("absent")  # the file says a track is not there: no joint detected, none invented
    if said_absent is not None and np.shape(said_absent) == poses.shape[:2]:
        poses = np.where(np.asarray(said_absent)[..., None, None], np.nan, poses)
    # joints the file says are not there (an empty hand key): the refiner sees them bridged, the output does not
    not_there = np.asarray(said_absent, bool) if np.shape(said_absent) == poses.shape[:3] else None
    not_there, block_notes = file_channels.holistic_blocks(measured, name, layout is None and data.layout is None
                                                           and not own, depth, not_there)
    notes, gap = block_notes + notes, max_gap_frames(max_gap, data.fps)
    # a filter needs no layout, but the figures do (the unit told from the body's size, the joint groups)
    told = name if name is not None or own else input_layout(poses[..., :laid, :], None, None, src,
                                                               model_layout(c_count))
    to_mm = refine_factor(units, data.format, poses, told)  # given or told inches: refined in mm, written back
    mm = poses if to_mm == 1.0 else poses * np.float32(to_mm)
    tracks, time_note = refine_file_tracks(mm if found is None else without_copies(mm, found), data, name, method,
                                           max_gap=gap, **options)
    if found is not None:  # each copy given back as its refined original
        tracks = tracks_with_copies(tracks, found)
        notes.insert(0, copies_note(found))
    tracks = tracks if to_mm == 1.0 else tracks._replace(refined=tracks.refined / np.float32(to_mm))
    notes = [time_note] * (time_note is not None) + notes  # uneven times: refined on an even grid, given back
    out, filled = tracks.refined, tracks.filled
    if not_there is not None:
        out = np.where(not_there[..., None], np.nan, out)
        filled = filled & ~not_there
    # only ever seen below the threshold: missing to the refiner (a value it was given comes back a number)
    unrefined = ~np.isfinite(out).all(-1) & np.isfinite(measured).all(-1) & ~np.isfinite(poses).all(-1)
    out = np.where(fixed[..., None], 0, out)
    never = file_channels.never_written(data, name, tracks.never_seen, tracks.absent)  # the file's values only
    never_seen, long_gaps = int((never & ~fixed).sum()), tracks.long_gaps
    if unrefined.any():  # nothing better is known of them: the input's values, with their scores
        out = np.where(unrefined[..., None], measured, out)
        never_seen -= int((unrefined & never).sum())
        long_gaps -= int((unrefined & ~tracks.never_seen & ~tracks.absent[..., None]).sum())
        notes.append(f"{int(unrefined.sum())} joint values scored below {threshold:g}, with no confident value near "
                     "them, were not refined: kept as the input had them, with their scores (a lower --threshold "
                     "refines them)")
    with np.errstate(invalid="ignore"):  # refined in float32: a value given back as it came keeps all its digits
        out = np.where(out == measured, data.poses, out)
    # frames seen below the threshold only are written as read above: not absent
    absent = int((tracks.absent & ~np.isfinite(out).all(-1).any(-1)).sum())
    count, gaps = fill_lines(filled, data, joint_names(data, name, j_count), data.fps,  # this run's fills
                             data.extra.get("frame_ids"), gap is not None, taken=tracks.taken)
    if data.filled is not None:  # values filled before (an already refined file) are still not measurements
        filled |= np.asarray(data.filled, dtype=bool) & np.isfinite(out).all(-1)
    out = np.where((zeros & ~np.isfinite(out).all(-1))[..., None], came, out)  # not found, not filled: as it came
    written = file_channels.written_channels(out if sides is None else from_pixels(out, sides, normalised), depth,
                                             confidence)
    if flat is not None:  # the constant coordinate back in its place, unchanged (gaps included)
        axis, value = flat
        written = np.insert(out, axis, np.where(np.isfinite(out).all(-1), value, np.nan), axis=-1)
    written = refined_decimals(written, file_values, dst)  # refined in float32: printed with its digits, not 17
    scores = None if confidence is not None else data.scores  # the file had none: its channel carries them
    extra = {**data.extra, "keep_missing": True} if gap is not None else data.extra  # not invented: not filled
    refined = replace(data, poses=written.astype(data.poses.dtype), scores=scores, filled=filled, extra=extra,
                      layout=data.layout or (name if laid == j_count and not (own or found) else None))  # names
    notes += gap_fill_notes(dst, refined, out_format)
    with exclusive_writes(not force):  # a file that appeared since the check above is kept, not replaced
        write_poses(dst, refined, format=out_format)
    notes += track_notes(tracks, data.fps, column_times(data))  # a cut at the file's own time, even or not
    # a flat track's unit is not its label's (Sports2D labels pixels m): flat_track_unit says which; --units a 3D's
    scale, unit, unit_notes = summary_unit(poses, data.format, told, sides, units) if flat is None else \
        flat_track_unit(data)
    kept = kept_clean_note(refined_count, poses, out, scale, unit) if name is None and method in NETWORKS else None
    if kept is not None:  # joints of no layout kept as clean: said, not "refined by SmoothNet"
        notes = [kept if note in route else note for note in notes]
    if zeros.any():
        notes.insert(0, f"missing: {sentinel_values(came, zeros)} read as not found "
                        "(as estimators write them): missing, like NaN")
    if method == "synsp":
        shifts = [shift for shift in tracks.conventions if shift is not None]
        given = int(np.isfinite(tracks.refined).all(-1).any(axis=(1, 2)).sum())  # tracks with a person refined
        if shifts and all(shift.unlike for shift in shifts) or len(tracks.unseen) == given > 0:  # SmoothNet's output
            notes = [note for note in notes if note not in route]
        notes += convention_notes(tracks.conventions, checkpoint, device, c_count, (scale, unit))
        notes += give_way_notes(tracks, v_count)
    notes = [rating] * (rating is not None) + notes  # then the joints a steady low score did not make missing
    notes = notes if scored is None or not steady else steady_notes(scored, threshold, np.isfinite(measured).all(-1),
                                                     joint_names(data, name, j_count)) + notes
    notes = [chosen] * (chosen is not None) + file_channels.channel_notes(confidence, c_count, data.scores is None,
                                                                          flat) + notes
    if fmt in FORMATS and FORMATS[fmt].motion:  # the rotations are the animation: say they are lost, and how not
        ext = FORMATS[fmt].extensions[0]
        notes.insert(0, f"rotations: {dst.name} holds joint positions only (forward kinematics of the {fmt} file's "
                        f"rotations, refined as positions); the rotations were not kept (write a {ext} to keep them)")
    notes = list(data.extra.get("notes", [])) + notes  # the reader's first (files it skipped, ...)
    limit = "" if gap is None else f"{gap} frames" + (f" ({gap / data.fps:.2f} s)" if data.fps else "")
    return summarize(dst, poses * scale, out * scale, unit, notes + unit_notes, filled=count, layout=told,
                     long_gaps=long_gaps, never_seen=never_seen, max_gap=limit, absent=absent,
                     unmarked=unmarked_format(dst, refined, out_format), gaps=gaps, stride=tracks.stride)
