"""What ``synsp refine`` tells the user: figures that need no ground truth, and notes on what
was done with the input's joint layout, joint definitions and gaps (:class:`RefineSummary`)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from synsp.estimator_errors.body_cuts import cut_note
from synsp.formats import FORMATS, PoseData, format_for_writing
from synsp.inference.alternation import alternation_note
from synsp.inference.body_scale import size_change_notes, size_note
from synsp.inference.body_shake import shake_note
from synsp.inference.floor import drift_factor, drift_note
from synsp.inference.repeated_pull import repeat_note
from synsp.inference.upright import describe_axes
from synsp.metrics import acceleration
from synsp.motion_pace import group_pace_note, pace_note
from synsp.refining.arrays import network_model
from synsp.refining.file_units import three_d_unit
from synsp.refining.image_size import NORMALISED_MAX, centred  # 2D values all within NORMALISED_MAX: no pixels
from synsp.refining.strided import detected_frames, on_grid, stride_note, strided_fps
from synsp.refining.tracks import ASSUMED_FPS, ConventionShift, RefinedTracks, partly_note
from synsp.sequence import true_runs
from synsp.skeleton import LAYOUTS, get_layout


@dataclass
class RefineSummary:
    """What ``refine_file`` did, with figures that need no ground truth."""

    output: Path
    tracks: int
    frames: int
    filled: int  # joint values filled by this run (missing or below the confidence threshold) inside detected spans
    accel_in: tuple[float, float]  # mean and median |acceleration| of the input, unit per frame^2
    accel_out: tuple[float, float]
    displacement: float  # mean distance between output and input joints
    unit: str
    notes: list[str] = field(default_factory=list)  # what was done with the input's layout and joint definitions
    groups: dict[str, float] = field(default_factory=dict)  # mean displacement per joint group (face, arms, ...)
    long_gaps: int = 0  # joint values left missing: in gaps longer than max_gap
    never_seen: int = 0  # joint values left missing: the joint is never seen in its track
    max_gap: str = ""  # the limit, as said to the user ("15 frames (0.5 s)")
    absent: int = 0  # track-frames inside a track's span with no joint detected: left out, not invented
    unmarked: str = ""  # the output's format, when it keeps no mask of the filled values (PoseData.filled)
    gaps: list[str] = field(default_factory=list)  # the longest filled gaps, and a hint when some are long
    stride: int = 1  # k > 1: detected on every k-th frame; the smoothness measured over the detections, k frames apart

    def __str__(self) -> str:
        (mean_in, median_in), (mean_out, median_out) = self.accel_in, self.accel_out
        # 0 / 0 on a frozen clip (a repeated frame, a static marker set) read "(xnan)"
        ratio = f"x{mean_out / mean_in:.3f}" if mean_in else "the input does not move"
        # The median is shown too: a few jumps (the estimator switching people) dominate the mean.
        step = "frame^2" if self.stride == 1 else "step^2"
        over = f" (over the detected frames, a step of {self.stride} frames)" if self.stride > 1 else ""
        smoothness = (f"mean |accel| {figure(mean_in)} -> {figure(mean_out)} {self.unit}/{step} ({ratio}), "
                      f"median {figure(median_in)} -> {figure(median_out)}{over}" if np.isfinite(mean_in)
                      else "no acceleration to measure (fewer than 3 frames in a row)")
        lines = [*self.notes, f"wrote {self.output}: {self.tracks} track(s), {self.frames} frames, "
                              f"{self.filled} joint values filled"]
        lines += self.gaps
        if self.frames < 3 and not np.isfinite(mean_in):  # single_frame_summary (too short to refine): no figures
            return "\n".join(lines)
        if self.unmarked and self.filled:
            lines.append(f"{self.unmarked} keeps no mask of which values were filled: they read as measured there "
                         "(--max-gap leaves long gaps missing; .npz, .csv and .json keep the mask)")
        lines.append(f"smoothness: {smoothness}; mean displacement from input {figure(self.displacement)} {self.unit}")
        if self.groups:
            lines.append("displacement by joint group: " + ", ".join(
                f"{name} {figure(value)}" for name, value in self.groups.items()))
        if self.long_gaps:
            lines.append(f"{self.long_gaps} joint values left missing: gaps longer than {self.max_gap}")
        if self.never_seen:
            lines.append(f"{self.never_seen} joint values left missing: joints never seen in their track")
        if self.absent:
            lines.append(f"{self.absent} frame{'s' if self.absent > 1 else ''} of a track with no joint detected "
                         "(the person hidden or not detected) left out: nobody written there, not invented")
        return "\n".join(lines)


def figure(x: float) -> str:
    """A summary's figure: 2 decimals, or 3 significant digits under 1 (normalised image coordinates,
    0 to 1: their accelerations printed ``0.01 -> 0.00`` with 2 decimals, which said nothing)."""
    return f"{x:.2f}" if not np.isfinite(x) or x == 0 or abs(x) >= 1 else f"{x:#.3g}"


def _offset(x: float) -> str:
    """A joint-definition offset: 1 decimal, or 2 significant digits under 1 (normalised image
    coordinates differ by thousandths, which 1 decimal printed ``0.0``)."""
    return f"{x:.1f}" if not np.isfinite(x) or x == 0 or abs(x) >= 1 else f"{x:.2g}"


def _nanmean(x: np.ndarray) -> float:
    finite = np.isfinite(x)
    return float(x[finite].mean()) if finite.any() else float("nan")  # no "mean of empty slice" warning


def accel_stats(x: np.ndarray) -> tuple[float, float]:
    """Mean and median |second difference| over frames and joints of (..., T, J, C), NaN ignored."""
    if x.shape[-3] < 3:
        return float("nan"), float("nan")
    acc = acceleration(x)
    finite = acc[np.isfinite(acc)]
    return _nanmean(acc), float(np.median(finite)) if finite.size else float("nan")


# Readers whose x, y are normalised image coordinates (Kaggle's sign-language landmarks), the image size unknown.
NORMALISED_FORMATS = ("kaggle",)


def summary_unit(poses: np.ndarray, fmt: str, layout: str | None, image_size: np.ndarray | None = None,
                 units: str | None = None) -> tuple[float, str, list[str]]:
    """The factor the figures of ``poses`` (V, T, J, C) read from format ``fmt`` are multiplied
    by, their unit's name, and the note saying an assumed unit. 2D: pixels, or thousandths of the
    image for normalised coordinates (``NORMALISED_FORMATS``), or the file's unit when every value
    is within ``NORMALISED_MAX`` of 0 (normalised, the format not saying so). 3D:
    :func:`synsp.refining.file_units.three_d_unit` (``units``: ``--units``; else millimetres for formats that say
    so, or told from the body's size). ``image_size`` (2,): 2D normalised coordinates the refinement scaled to
    pixels of that image (:mod:`synsp.refining.image_size`), ``poses`` among them: pixels."""
    if image_size is not None and poses.shape[-1] != 3:
        if centred(poses, image_size):  # x W of -1 to 1: a pixel is two of these units
            return 0.5, "px", [f"units: x, y are normalised by the image's sides, -1 to 1 about its centre; refined "
                               f"in units of the {image_size[0]:g} x {image_size[1]:g} image given (--image-size) "
                               "that are half a pixel, and written back normalised: the figures below are in pixels"]
        return 1.0, "px", [f"units: x, y are normalised by the image's sides; refined in pixels of the "
                           f"{image_size[0]:g} x {image_size[1]:g} image given (--image-size) and written back "
                           "normalised: the figures below are in those pixels"]
    if fmt in NORMALISED_FORMATS:  # 0-1 across the image: figures of 0.00 "px" would say nothing
        return 1000.0, "image/1000", ["units: x, y are normalised image coordinates (0 to 1 across the image, whose "
                                      "size the file does not give): the figures below are in thousandths of the "
                                      "image (image/1000), not pixels; an image not square scales x and y "
                                      "differently, which SynSP's pose model was not trained on: give the "
                                      "image's width and height (--image-size W H)"]
    if poses.shape[-1] != 3 and np.nanmax(np.abs(poses), initial=0.0) <= NORMALISED_MAX:
        across = "-1 to 1 about the image's centre" if centred(poses) else "0 to 1 across the image"
        return 1.0, "units", ["units: x, y all lie within -2 to 2, so they read as normalised image coordinates "
                              f"({across}), not pixels: the figures below are in the file's unit; "
                              "if the image is not square, x and y are in different units, which SynSP's pose "
                              "model was not trained on: give the image's width and height (--image-size W H)"]
    if poses.shape[-1] != 3:
        return 1.0, "px", []
    return three_d_unit(poses, fmt, layout, units)


def too_few_frames_note(frames: int, holder: str) -> str:
    """The line saying ``holder`` ("the file", "the bvh motion") holds ``frames`` frames, fewer than
    :data:`~synsp.refining.methods.MIN_FRAMES`, and was written as read."""
    said = "a single frame, which cannot be refined" if frames == 1 else f"{frames} frames, too few to refine"
    return (f"frames: {holder} holds {said} (refining smooths each joint's path over frames, and tells noise "
            "from motion by it): written as read")


def single_frame_summary(output: Path, data: PoseData) -> RefineSummary:
    """The summary of a file too short to refine (``data``, written as read to ``output``): a note, no figures."""
    tracks, frames = np.shape(data.poses)[:2]
    notes = [*data.extra.get("notes", []), too_few_frames_note(frames, "the file")]
    return RefineSummary(output, tracks, frames, 0, (np.nan, np.nan), (np.nan, np.nan), 0.0, "", notes)


def summarize(output: Path, before: np.ndarray, after: np.ndarray, unit: str, notes: list[str], *,
              filled: int = 0, layout: str | None = None, long_gaps: int = 0, never_seen: int = 0,
              max_gap: str = "", absent: int = 0, unmarked: str = "", gaps: list[str] | None = None,
              stride: int = 1) -> RefineSummary:
    """The summary of a refinement of ``before`` into ``after``, both (V, T, J, C) in ``unit``
    (mm or px), NaN where missing: smoothness (|acceleration|, unit/frame^2) of both, the mean
    displacement, and per joint group of ``layout`` when it is known. ``stride`` k > 1: detected on every
    k-th frame, the smoothness over the detections' grid (unit/step^2, a step k frames,
    :mod:`synsp.refining.strided`). The other arguments are stored as given (see :class:`RefineSummary`)."""
    moved = np.linalg.norm(after - before, axis=-1)  # (V, T, J), NaN where either is missing
    accel_in, accel_out = accel_stats(before), accel_stats(after)
    if stride > 1:  # at the file's rate no three frames in a row are measured: no figure (audit 11, finding 3)
        detected = detected_frames(before)
        accel_in, accel_out = (accel_stats(on_grid(x, detected, stride)[0]) for x in (before, after))
    groups = {group: _nanmean(moved[..., joints]) for group, joints in joint_groups(layout).items()} if layout else {}
    groups = {group: value for group, value in groups.items() if np.isfinite(value)}  # a waist-up video: no legs
    return RefineSummary(output, before.shape[0], before.shape[1], filled, accel_in, accel_out,
                         _nanmean(moved), unit, notes, groups, long_gaps, never_seen, max_gap, absent, unmarked,
                         gaps or [], stride)


# Joint groups by name fragment, in the order they are reported (first match wins).
_GROUPS = {"face": ("nose", "eye", "ear", "mouth", "face", "head", "neck"), "feet": ("toe", "heel", "foot"),
           "hands": ("hand", "thumb", "finger", "pinky", "index"), "arms": ("shoulder", "elbow", "wrist", "arm"),
           "trunk": ("hip", "pelvis", "spine", "thorax", "chest"), "legs": ("knee", "ankle", "leg")}


def joint_groups(layout: str) -> dict[str, list[int]]:
    """Joint indices of ``layout`` by body part (face, hands, feet, arms, trunk, legs; "other")."""
    groups: dict[str, list[int]] = {}
    for j, joint in enumerate(get_layout(layout).joints):
        name = joint.lower()
        group = next((g for g, parts in _GROUPS.items() if any(p in name for p in parts)), "other")
        groups.setdefault(group, []).append(j)
    return {g: groups[g] for g in [*_GROUPS, "other"] if g in groups}


def convention_notes(conventions: list[ConventionShift | None], checkpoint: str | None, device: str | None,
                      c_count: int, scaled: tuple[float, str] | None = None) -> list[str]:
    """How far the input's joint definitions were from the model's (its constant pull, mm in 3D
    with ``c_count`` 3; in 2D ``scaled`` (factor, unit), :func:`summary_unit`'s: px, mm of a 2D TRC,
    the file's unit of normalised image coordinates), over every track whose refinement measured it
    (:attr:`synsp.refining.tracks.RefinedTracks.conventions`): the mean over tracks and the track
    that differs most; and what was done. ``checkpoint``/``device`` name the SynSP model (for its joint names)."""
    measured = [(v, shift) for v, shift in enumerate(conventions) if shift is not None]
    if not measured:
        return []
    joints = network_model("synsp", c_count, checkpoint, device).layout.joints
    # 3D offsets are in mm (the network frame's unit, metres converted); 2D ones in the input's unit, which the
    # summary's factor and unit say as its smoothness line does (a 2D TRC's mm, normalised coordinates' unit)
    factor, unit = scaled if scaled is not None and c_count == 2 else (1.0, "mm" if c_count == 3 else "px")
    measured = [(v, shift._replace(offsets=shift.offsets * factor)) for v, shift in measured]
    far = " (far from the model's)" if any(shift.far for _, shift in measured) else ""
    v, worst = max(measured, key=lambda m: float(m[1].offsets.mean()))
    j = int(np.argmax(worst.offsets))
    where = f"most at {joints[j]} ({_offset(worst.offsets[j])} {unit})"
    if len(measured) == 1:
        how_far = f"{_offset(worst.offsets.mean())} {unit} on average, {where}"
    else:  # the mean over tracks, and the track that differs most
        mean = np.mean([shift.offsets.mean() for _, shift in measured])
        how_far = (f"{_offset(mean)} {unit} on average over {len(measured)} tracks, most in track {v + 1} of "
                   f"{len(conventions)} ({_offset(worst.offsets.mean())} {unit} on average, {where})")
    unlike = [v for v, shift in measured if shift.unlike]
    if unlike:  # the Refiner gave its fallback's (SmoothNet's) output for them (Refiner.unlike_body)
        which = "" if len(unlike) == len(measured) else f" (tracks {', '.join(str(v + 1) for v in unlike)})"
        which += partly_note([shift.unlike_share for _, shift in measured if shift.unlike])  # some stretches only
        return [f"joint definitions: the input's differ from the model's by {how_far}: too far for a human body the "
                f"model knows (an animal, or joints in another order){which}, so refined by SmoothNet, which works on "
                "any joints, without SynSP's steps (--joints model refines them with SynSP anyway)"]
    return [f"joint definitions: the input's differ from the model's by {how_far}{far}; refined in the model's "
            "definitions and moved back, so the output keeps the input's"]


# A filled gap longer than this (s) is more invented than measured: the summary hints --max-gap.
LONG_GAP_S = 0.5
SAID_GAP_S = 0.25  # the longest gaps are named when one is at least this long (s)


def gap_lines(filled: np.ndarray, names: list[str], fps: float | None, frame_ids: list | None = None,
              limited: bool = False, shown: int = 3, taken: np.ndarray | None = None) -> list[str]:
    """What the summary says of the filled runs of ``filled`` (V, T, J) bool: when one lasts
    :data:`SAID_GAP_S` or more, the ``shown`` longest that do (joint name of ``names``, frames,
    seconds at ``fps`` when known; the track when V > 1; frames numbered by ``frame_ids`` when
    given), and, unless ``limited`` (--max-gap given), how many are longer than
    :data:`LONG_GAP_S`, with the --max-gap that would leave them missing. The values of ``taken``
    ((V, T, J) bool, like ``filled``: measured, but taken out as a limb astray or doubled) are no gap: they are
    said on a line of their own, and --max-gap, which leaves gaps missing, is not advised for them (audit 20)."""
    taken = taken if taken is not None and np.shape(taken) == filled.shape else np.zeros_like(filled)
    rate = fps or ASSUMED_FPS
    number = (lambda t: frame_ids[t]) if frame_ids is not None and len(frame_ids) == filled.shape[1] else int
    tracks = filled.shape[0] > 1

    def said(length, v, j, first, last):
        seconds = f", {length / fps:.2f} s" if fps else ""
        track = f" of track {v + 1}" if tracks else ""
        return f"{names[j]}{track} frames {number(first)}-{number(last)} ({length} frames{seconds})"

    lines = []
    out = _runs(filled & taken)
    if out:
        lines.append(f"taken out: {int((filled & taken).sum())} measured joint values read as a limb off the body "
                     "(on a neighbour, on its left/right partner's place, or a run beside the picture's edge), a "
                     "joint left on an object while its limb moved on, or written on the picture's edge (a joint "
                     "out of it: kept beyond it), filled from the frames around them: "
                     + ", ".join(said(*run) for run in out[:shown]))
    runs = _runs(filled & ~taken)
    if not runs or runs[0][0] < SAID_GAP_S * rate:  # blinks and glitches: the count says enough
        return lines
    lines.append("longest gaps filled: "
                 + ", ".join(said(*run) for run in runs[:shown] if run[0] >= SAID_GAP_S * rate))
    limit = LONG_GAP_S * rate
    long = sum(run[0] > limit for run in runs)
    if long and not limited:
        option = f"{LONG_GAP_S:g}s" if fps else f"{round(limit)}"
        lines.append(f"{long} gap{'s' if long > 1 else ''} longer than {LONG_GAP_S:g} s"
                     f"{'' if fps else f' ({round(limit)} frames at the assumed {ASSUMED_FPS:g} fps)'} "
                     f"{'were' if long > 1 else 'was'} invented from the frames around "
                     f"{'them' if long > 1 else 'it'}; --max-gap {option} leaves such gaps missing")
    return lines


def _runs(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """The runs of True of ``mask`` (V, T, J) as (length, track, joint, first, last), longest first."""
    runs = []
    for v, j in zip(*np.nonzero(mask.any(axis=1))):
        runs += [(stop - start, v, j, start, stop - 1) for start, stop in true_runs(mask[v, :, j])]
    return sorted(runs, key=lambda r: (-r[0], r[1], r[3], r[2]))


def joint_names(data: PoseData, layout: str | None, count: int) -> list[str]:
    """The names of the ``count`` joints of ``data`` read in ``layout`` (None: unknown), for the
    summary: the file's own, a layout's (then a file's own markers), else ``joint 0``, ``joint 1``, ..."""
    own = data.own_joint_names()
    if own is not None and len(own) == count:
        return own
    partial = data.partial_layout()
    if partial is not None:
        markers = list(data.extra.get(data.format, {}).get("joints", []))
        names = [*LAYOUTS[partial].joints, *markers[len(LAYOUTS[partial].joints):]]
        if len(names) == count:
            return names
    if layout in LAYOUTS and len(LAYOUTS[layout].joints) == count:
        return list(LAYOUTS[layout].joints)
    return [f"joint {j}" for j in range(count)]


def unmarked_format(dst: Path, data: PoseData, out_format: str | None) -> str:
    """The name of the format ``dst`` is written in (``out_format``, else by extension) when it
    keeps no flags of filled values (``Format.holds_filled``), e.g. ``".npy"``; "" when it does."""
    fmt = out_format or format_for_writing(dst, data)
    if fmt not in FORMATS or FORMATS[fmt].holds_filled:
        return ""
    return f".{fmt}" if fmt in ("npy", "trc") else fmt.upper() if fmt in ("dlc", "sleap") else fmt


def gap_fill_notes(dst: Path, data: PoseData, out_format: str | None) -> list[str]:
    """What the format ``dst`` is written in (``out_format``, else by extension) does with the
    values of ``data.poses`` (V, T, J, C) still missing when it does not store them by default (TRC:
    filled, or blank cells when ``data.extra["keep_missing"]``, set by ``--max-gap``)."""
    fmt = out_format or format_for_writing(dst, data)
    if fmt not in FORMATS or FORMATS[fmt].holds_missing:  # (an unknown format: write_poses says so)
        return []
    count = importlib.import_module(FORMATS[fmt].module).gap_count(data.poses)
    if not count:
        return []
    if data.extra.get("keep_missing"):  # --max-gap: the writer leaves them blank
        return [f"gaps: {count} joint values written as blank cells, {fmt.upper()}'s missing marker (--max-gap; "
                "OpenSim reads them as NaN and its inverse kinematics skips that marker in that frame)"]
    return [f"gaps: {fmt.upper()} is written filled, as Pose2Sim writes it; {count} joint values not given (outside "
            "the detected span, in frames with no joint detected) were interpolated or held at the nearest measured "
            "value (--max-gap leaves gaps blank; markers never seen are written blank)"]


def track_notes(tracks: RefinedTracks, fps: float | None, times: np.ndarray | None = None) -> list[str]:
    """The summary's lines on what the refinement of ``tracks`` found and did, in order: axes
    turned, sizes, paces, limb drift, the whole body's shake, alternating frames, glitches, inversions, jumps and held
    values; ``fps`` is the file's frame rate (None: not given), ``times`` (T,) s its frames' own times, even or not
    (None: no time column, frame / fps), in which a cut is said."""
    notes: list[str] = [stride_note(tracks.stride, fps)] if tracks.stride > 1 else []
    rate = strided_fps(fps, tracks.stride) if tracks.stride > 1 else fps  # the rate the detections were refined at
    notes += [f"axes: {describe_axes(turn)}; refined in the model's axes, then turned back" for turn in tracks.axes]
    notes += [size_note(factor) for factor in tracks.sizes] + size_change_notes(tracks.size_changes)
    if tracks.paces:  # one note: tracks of one file are filmed alike; the slowest rate says how fast the fastest was
        notes.append(pace_note(min(tracks.paces), rate))
    if tracks.group_paces:
        notes.append(group_pace_note(tracks.group_paces, rate))
    if tracks.drifts:
        notes.append(drift_note(tracks.drifts, steady=tracks.steady))
    if tracks.repeats and not tracks.drifts:
        notes.append(repeat_note(tracks.repeats, tracks.repeat_ramp, pull_ramp=tracks.pull_ramp))
    elif tracks.repeats and drift_factor(np.array(tracks.drifts)).any():  # 3D: the drift had not already said "keep"
        notes.append(repeat_note(tracks.repeats, tracks.repeat_ramp, "the Butterworth filter's"))
    notes += [note for note in [shake_note(tracks.shaken), alternation_note(tracks.alternating),
                                cut_note(tracks.turned, fps, times)] if note]
    if tracks.glitches:
        notes.append(f"glitches: {tracks.glitches} joint values left the body for a frame or two and came back; "
                     "refined as gaps (counted as filled)")
    if tracks.across:  # an error's jump out or back read across an absence (estimator_errors.unseen_frames)
        notes.append(f"read past absences: {tracks.across} of the joint values taken out (glitches, limbs astray) lie "
                     "beside frames where nobody was detected, told by the frames seen on the absence's other side")
    if tracks.inverted:
        notes.append(f"inversions: left/right pairs carried each other's labels in {tracks.inverted} pair-frames "
                     "(a pair in a frame); exchanged back")
    if tracks.jumped:
        notes.append(f"jumps: the whole body left its path for a frame or two and came back in {tracks.jumped} "
                     f"frame{'s' if tracks.jumped > 1 else ''} "
                     "(a detector's box that jumped, a tracker that followed someone else); moved back")
    if tracks.depth_flipped:
        notes.append(f"depth flips: the body read mirrored front to back in depth (z about the pelvis, bones kept) in "
                     f"{tracks.depth_flipped} frame{'s' if tracks.depth_flipped > 1 else ''} (a monocular 3D "
                     "estimator's depth ambiguity); mirrored back")
    if tracks.half_turned:
        notes.append(f"half turns: the whole body turned half round for a few frames and back, {tracks.half_turned} "
                     "frames in all (an estimator reading the back as the front); turned back about the root, no cut")
    if tracks.spun:  # as a BVH's (refining.motion)
        people = f" ({len(tracks.spun)} tracks)" if len(tracks.spun) > 1 else ""
        notes.append(f"spin: the body spins about the vertical{people}, up to {max(s for _, s in tracks.spun):.1f} "
                     "turns a second; refined with the spin taken out, then put back")
    if tracks.held:
        fixed = f"; {tracks.arrivals} of them the first value of such a run, written at a fixed point off the " \
            "joint's track" if tracks.arrivals else ""  # a lost joint's (held_arrivals): said only when some were
        fixed += f"; {tracks.carried} of them a decoder's stall at a track's end (the whole pose repeated, no frame " \
            "after it): carried on at the body's pace" if tracks.carried else ""  # estimator_errors.stalls.carried_on
        notes.append(f"held: {tracks.held} joint values repeat the frame before them exactly (a frame rate converted, "
                     f"an estimator run on fewer frames, a lost joint held){fixed}; refined as gaps (counted as "
                     "filled)")
    return notes
