"""``synsp refine IN OUT``: read any supported pose file, refine every track, write it back.

Steps: low-confidence joints (score < threshold) and NaN become missing; each track is
refined over the span where it was detected (outside that span it stays missing, so no
ghost person appears), cut where the estimator jumped to another person
(:func:`track_segments`); gaps inside the span are filled before refinement (the refiners need
every value), then the values of gaps longer than ``max_gap`` and of joints never seen in the
span are missing again (never invented), and the output says which values were filled
(``PoseData.filled``, stored by every format that has room; scores are kept as the estimator
gave them). When the file's joint layout differs from the network's (e.g. MediaPipe-33 into
a Human3.6M-17 model), the poses are converted, refined, and each input joint moves with the
model joint nearest to it, so the output keeps the input's layout and shape. Classic filters
need no layout: they run on any joint set.

Files of joint rotations (BVH, SMPL parameters: the ``motion`` rows of ``FORMATS``) written to
the same kind of file are refined on the rotation manifold instead (:func:`refine_motion_file`),
with the input's skeleton; written to another format, their joint positions are refined.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from synsp.config import DEFAULT_LAYOUT, TRAINING_FPS
from synsp.errors import (
    CheckpointError,
    FormatError,
    InputNotFoundError,
    LayoutError,
    MissingDataError,
    OptionError,
    OutputError,
    OutputExistsError,
    ShapeError,
    SpaceError,
)
from synsp.filters import FPS_FILTERS
from synsp.formats import (
    FORMATS,
    PoseData,
    detect_format,
    format_for_writing,
    read_poses,
    scores_to_missing,
    write_poses,
)
from synsp.metrics import acceleration
from synsp.model import NETWORKS
from synsp.paths import exclusive_writes
from synsp.refine import METHODS, cached_model, method_function, network_model, refine
from synsp.rotation_filters import ROTATION_DEFAULT, refine_rotations
from synsp.sequence import ABSURD, body_size, fill_gaps, left_missing, max_gap_frames, third_channel
from synsp.skeleton import LAYOUTS, can_convert, convert, get_layout


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

    def __str__(self) -> str:
        (mean_in, median_in), (mean_out, median_out) = self.accel_in, self.accel_out
        ratio = mean_out / mean_in if mean_in else float("nan")
        # The median is shown too: a few jumps (the estimator switching people) dominate the mean.
        return "".join(f"{note}\n" for note in self.notes) + (f"wrote {self.output}: {self.tracks} track(s), "
                f"{self.frames} frames, {self.filled} joint values filled\n"
                f"smoothness: mean |accel| {mean_in:.2f} -> {mean_out:.2f} {self.unit}/frame^2 (x{ratio:.3f}), "
                f"median {median_in:.2f} -> {median_out:.2f}; mean displacement from input {self.displacement:.2f} "
                f"{self.unit}" + ("\ndisplacement by joint group: " + ", ".join(
                    f"{name} {value:.2f}" for name, value in self.groups.items()) if self.groups else "")
                + (f"\n{self.long_gaps} joint values left missing: gaps longer than {self.max_gap}"
                   if self.long_gaps else "")
                + (f"\n{self.never_seen} joint values left missing: joints never seen in their track"
                   if self.never_seen else ""))


def _layout_for(poses: np.ndarray, declared: str | None, given: str | None, where: Path,
                guess: str | None) -> str | None:
    """The input's layout: ``given`` (--layout), else the file's, else ``guess`` (the network's
    layout) when the joint counts agree, else the one known layout with that many joints; None
    when nothing needs one (filters) or nothing fits (the networks then use SmoothNet alone)."""
    if given is not None and not given.strip():
        raise LayoutError("--layout is empty; name a layout or leave it out")
    name = given or declared
    j = poses.shape[-2]
    if name is None and guess is not None:
        same_count = [n for n, layout in LAYOUTS.items() if len(layout.joints) == j]
        name = guess if len(LAYOUTS[guess].joints) == j else (same_count[0] if len(same_count) == 1 else None)
    if name is None:
        return None
    what = "--layout" if given else f"{where}: the file's layout"  # name the culprit: argument or file
    if name not in LAYOUTS:
        raise LayoutError(f"{what} {name!r} is unknown; supported: {', '.join(LAYOUTS)}")
    if len(LAYOUTS[name].joints) != j:
        has = f"{where} has" if given else "its poses have"
        raise LayoutError(f"{what} {name} has {len(LAYOUTS[name].joints)} joints but {has} {j}")
    return name


def nearest_joints(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For every joint of ``x`` (T, J, C), the index of the joint of ``y`` (T, K, C) nearest to it on average."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    return np.nanargmin(np.where(np.isnan(d), np.inf, d), axis=1)


def model_layout(n_coords: int, checkpoint: str | os.PathLike | None = None, device: str | None = None) -> str:
    """Joint layout a network refines: the checkpoint's own, else the shipped default's.

    Parameters
    ----------
    n_coords : 2 (pixels) or 3 (millimetres), the input's C.
    checkpoint : a checkpoint file or shipped model name; None = the shipped default.
    device : where to load the checkpoint (it is cached for the refinement that follows).

    Returns
    -------
    Layout name, e.g. ``"h36m17"``. Raises ``ValueError`` when the checkpoint was trained
    on the other dimensionality.
    """
    if n_coords not in (2, 3):
        raise ShapeError(f"poses must have C = 2 or 3 coordinates, got {n_coords}")
    if checkpoint is None:
        return DEFAULT_LAYOUT["3d" if n_coords == 3 else "2d"]
    model = cached_model(str(checkpoint), device)
    if model.n_coords != n_coords:
        raise CheckpointError(f"checkpoint {checkpoint} refines {model.space.upper()} poses ({model.layout.name}); "
                         f"the input has C = {n_coords} coordinates")
    return model.layout.name


def refine_track(poses: np.ndarray, layout: str | None, method: str, **options) -> np.ndarray:
    """Refine one track (T, J, C) in ``layout``; returns (T, J, C) like ``poses``.

    Filters and SmoothNet (which refines every coordinate on its own) run on any joint set;
    ``layout`` may be None for them. SynSP runs directly when ``layout`` is its own; for
    another layout it sees the poses converted to its layout, and:

    - joints the conversion keeps as they are (same name, e.g. COCO's 17 in Halpe-26) take
      SynSP's output;
    - every other joint (feet, hands, face, a head top) is refined by SmoothNet and moved with
      the SynSP correction of the model joint nearest to it, so that hands stay on wrists;
    - a layout that cannot be converted (unknown joints) is refined by SmoothNet alone.
    """
    if method not in NETWORKS:
        return refine(poses, method, **options)
    target = model_layout(poses.shape[-1], options.get("checkpoint"), options.get("device"))
    if layout == target:
        return refine(poses, method, **options)
    smoothnet = {k: v for k, v in options.items() if k != "keep_convention"}
    smoothnet["checkpoint"] = None if method == "synsp" else options.get("checkpoint")
    if method == "smoothnet" or layout is None or not can_convert(layout, target):
        return refine(poses, "smoothnet", **smoothnet)
    converted = convert(poses, layout, target)
    refined = refine(converted, method, **options)
    out = refine(poses, "smoothnet", **smoothnet)
    correction = refined - refine(converted, "smoothnet", **smoothnet)  # what SynSP adds to SmoothNet, per model joint
    out += correction[:, nearest_joints(poses, converted)]
    for j, k in shared_joints(layout, target):
        out[:, j] = refined[:, k]
    return out


def shared_joints(layout: str, target: str) -> list[tuple[int, int]]:
    """(index in ``layout``, index in ``target``) of the joints both layouts name alike and the
    conversion copies as they are (Halpe's "head", the head top, is not H36M's "head", made from the ears)."""
    target_names = get_layout(target).joints
    probe = np.random.default_rng(0).normal(size=(1, len(get_layout(layout).joints), 3))
    converted = convert(probe, layout, target) if can_convert(layout, target) else None
    return [(j, k) for j, name in enumerate(get_layout(layout).joints) if name in target_names
            for k in [target_names.index(name)]
            if converted is None or np.array_equal(converted[:, k], probe[:, j])]


def track_segments(track: np.ndarray, jump: float = 0.5) -> list[slice]:
    """Spans of frames that hold one person, in a track (T, J, C) with NaN where nothing was seen.

    A track runs from its first to its last detected frame, and is cut where the estimator
    switched people: between two consecutive detected frames (any gap between them) the mean of
    the joints seen in both moved by more than ``jump`` times the person's size
    (:func:`synsp.sequence.body_size`). Refining across a switch would smear two people into a
    ghost; the frames between two segments stay missing.
    """
    seen = np.flatnonzero(np.isfinite(track).all(-1).any(-1))  # frames where the track has any joint
    if len(seen) == 0:
        return []
    size = body_size(track[seen])
    cuts = [0]
    for i in range(1, len(seen)):
        a, b = track[seen[i - 1]], track[seen[i]]
        both = np.isfinite(a).all(-1) & np.isfinite(b).all(-1)
        # size 0 (a single joint): nothing says how far is too far for a person, so no cut
        if both.any() and np.linalg.norm(a[both].mean(0) - b[both].mean(0)) > jump * size > 0:
            cuts.append(i)
    cuts.append(len(seen))
    return [slice(seen[lo], seen[hi - 1] + 1) for lo, hi in zip(cuts[:-1], cuts[1:])]


class ConventionShift(NamedTuple):
    """How far one track's joint definitions were from the model's, as SynSP measured while refining it."""

    offsets: np.ndarray  # (J,) mean |constant pull| per model joint, mm (3D) or pixels (2D)
    far: bool  # the pull was far from the model's own definitions (Refiner.convention_far)


class RefinedTracks(NamedTuple):
    """What :func:`refine_tracks` returns."""

    refined: np.ndarray  # (V, T, J, C) like the input, NaN outside the spans and where left missing
    filled: np.ndarray  # (V, T, J) bool, values filled in (not measured) and given
    long_gaps: int  # joint values left missing: in gaps longer than max_gap
    never_seen: int  # joint values left missing: joints never seen in their span
    conventions: list[ConventionShift | None]  # per track; None where SynSP kept no joint definitions


def refine_tracks(poses: np.ndarray, layout: str | None, method: str, *, max_gap: int | None = None,
                  **options) -> RefinedTracks:
    """Refine tracks (V, T, J, C) with NaN where nothing was measured, as ``synsp refine`` does.

    Each track is refined over the spans where it holds one person (:func:`track_segments`);
    gaps are filled for the refiner, and afterwards the values of gaps longer than ``max_gap``
    frames and of joints never seen in a span are NaN again (never invented). For SynSP keeping
    the input's joint definitions, the constant pull each track's refinement measured is kept
    (its spans averaged, weighted by frames), so every track can be reported without refining again.
    """
    out = np.full_like(poses, np.nan)
    filled = np.zeros(poses.shape[:3], dtype=bool)
    never = long = 0
    model = network_model(method, poses.shape[-1], options.get("checkpoint"), options.get("device")) \
        if method in NETWORKS else None
    conventions: list[ConventionShift | None] = []
    for v, track in enumerate(poses):
        shifts: list[tuple[int, ConventionShift]] = []
        for span in track_segments(track):
            values, missing = fill_gaps(track[span])  # every value, as the refiners need
            unknown = left_missing(missing, max_gap)
            filled[v, span] = missing & ~unknown
            n_never = int(missing.all(axis=0).sum()) * len(missing)
            never, long = never + n_never, long + int(unknown.sum()) - n_never
            if model is not None:
                model.convention_offsets = None  # a span refined without SynSP must not report the previous one
            refined = refine_track(values, layout, method, **options)
            if model is not None and model.convention_offsets is not None:
                shifts.append((len(values), ConventionShift(model.convention_offsets, model.convention_far)))
            refined[unknown] = np.nan  # what was only filled for the refiner is not given as measured
            out[v, span] = refined
        conventions.append(None if not shifts else ConventionShift(
            np.average([s.offsets for _, s in shifts], axis=0, weights=[n for n, _ in shifts]),
            any(s.far for _, s in shifts)))
    return RefinedTracks(out, filled, long, never, conventions)


def _nanmean(x: np.ndarray) -> float:
    finite = np.isfinite(x)
    return float(x[finite].mean()) if finite.any() else float("nan")  # no "mean of empty slice" warning


def _accel_stats(x: np.ndarray) -> tuple[float, float]:
    """Mean and median |second difference| over frames and joints of (..., T, J, C), NaN ignored."""
    if x.shape[-3] < 3:
        return float("nan"), float("nan")
    acc = acceleration(x)
    finite = acc[np.isfinite(acc)]
    return _nanmean(acc), float(np.median(finite)) if finite.size else float("nan")


def refine_file(
    input: str | os.PathLike, output: str | os.PathLike | None = None, *, method: str | None = None,
    checkpoint: str | None = None, layout: str | None = None, in_format: str | None = None,
    out_format: str | None = None, threshold: float = 0.3,
    device: str | None = None, force: bool = False, space: str | None = None, fps: float | None = None,
    keep_convention: bool | str = True, key: str | None = None, max_gap: int | str | None = None,
) -> RefineSummary:
    """Refine the pose file ``input`` into ``output`` (same format unless ``out_format``).

    Parameters
    ----------
    input, output : pose files (see :mod:`synsp.formats`); ``output`` is never ``input``. Without
        ``output`` a TRC file is written beside the input as ``<name>_filt_synsp.trc``, the name
        Pose2Sim's later steps look for (:func:`default_output`).
    method : one of ``synsp.refine.METHODS``; None: "synsp" for positions, the rotation
        filter tuned on the validation split for rotation files (``ROTATION_DEFAULT``).
    checkpoint : a checkpoint file or shipped model name for the network methods.
    layout : the input's joint layout when the file does not say (networks need one).
    in_format, out_format : force a format instead of guessing from the file / extension.
    threshold : joints with a confidence below this are missing, and filled.
    device : torch device for the networks.
    force : replace an existing ``output``.
    space : ``"image"``/``"2d"`` or ``"world"``/``"3d"`` for MediaPipe files; for (T, J, 3) arrays
        and CSV without confidences, ``"2d"`` reads the third channel as a confidence (x, y,
        score) and ``"3d"`` as z. Without it synsp decides by
        :func:`synsp.sequence.third_channel` and refuses (``SpaceError``) when it cannot tell. A
        confidence channel makes low-confidence joints missing and is written back unchanged.
    fps : the input's frame rate, when the file does not say or says it wrongly (the
        networks and the filters of ``synsp.filters.FPS_FILTERS`` use it).
    key : the array of an ``.npz`` that holds the poses (``--key``), when the file has several.
    keep_convention : SynSP keeps the input's joint definitions (True), only their left/right
        symmetric part ("symmetric"), or moves them to its own (False); see
        :attr:`synsp.inference.refiner.Refiner.keep_convention`.
    max_gap : gaps longer than this many frames (``15``), or seconds (``"0.5s"``, at the
        file's frame rate), are not invented: they stay missing (NaN) in the output. Joints
        never seen in a track always stay missing. Shorter gaps are filled.

    Returns
    -------
    RefineSummary; the written file holds poses (V, T, J, C) shaped like the input's, in
    its unit, NaN where a track was not yet / no longer detected, and ``filled`` (V, T, J)
    flags where values were filled in.

    Raises ``ValueError``/``FileNotFoundError``/``FileExistsError`` with one-line messages
    for bad input; nothing is written then.
    """
    if not isinstance(input, (str, os.PathLike)) or not isinstance(output, (str, os.PathLike, type(None))):
        raise OptionError(f"input and output must be file paths, got {input!r} and {output!r}")
    src = Path(input)
    dst = default_output(src, in_format) if output is None else Path(output)
    if method is not None:
        method_function(method)  # an unknown method fails before any file is read
    if not np.isfinite(threshold):
        raise OptionError(f"threshold must be a number, got {threshold!r}")
    if not src.exists():
        raise InputNotFoundError(f"{src}: no such file")
    if dst.exists() and (dst.resolve() == src.resolve() or os.path.samefile(dst, src)):
        raise OutputError(f"{dst}: output is the input file; refusing to overwrite it")
    if dst.exists() and not force:
        raise OutputExistsError(f"{dst} exists; pass --force to replace it")
    if dst.is_dir() and not src.is_dir():  # a folder in, a folder out (OpenPose); else OUT is a file
        raise OutputError(f"{dst} is a directory; give a file name")
    fmt = in_format or detect_format(src)
    if fmt in FORMATS and FORMATS[fmt].motion and out_format in (None, fmt) \
            and dst.suffix.lower() in FORMATS[fmt].extensions:  # rotations in, rotations out; else joint positions
        with exclusive_writes(not force):
            return refine_motion_file(src, dst, fmt, method=method, out_format=out_format, fps=fps,
                                      checkpoint=checkpoint, device=device)
    method = method or "synsp"
    _check_checkpoint(method, checkpoint, device)
    if space not in (None, *_SPACES):
        raise SpaceError(f"space must be one of {', '.join(_SPACES)}, got {space!r}")
    if space in ("image", "world") and fmt != "mediapipe":
        raise SpaceError(f"{src}: --space {space} is for MediaPipe files; this is a {fmt} file (use 2d or 3d)")
    options = {"space": _SPACES[space]} if space and fmt == "mediapipe" else {}
    data = read_poses(src, format=fmt, fps=fps, **options, **({"key": key} if key is not None else {}))
    v_count, t_count, j_count, c_count = data.poses.shape
    if c_count not in (2, 3) or 0 in (t_count, j_count):
        raise ShapeError(f"{src}: poses must be (T, J, C) or (V, T, J, C) with T, J > 0 and C = 2 or 3, "
                         f"got shape {data.poses.shape}")
    data, confidence = _confidence_channel(data, space, src)
    c_count = data.poses.shape[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        poses = data.poses.astype(np.float32)
        # inf, overflow and absurd values are missing joints (filled and counted), never silent holes
        poses[~(np.abs(poses) <= ABSURD).all(-1)] = np.nan
    if data.scores is not None:
        poses = scores_to_missing(poses, data.scores, threshold)
    if not np.isfinite(poses).all(-1).any():
        raise MissingDataError(f"{src}: no joint detected with confidence >= {threshold} in any frame; "
                               "nothing to refine")
    options = {"checkpoint": checkpoint, "device": device} if method in NETWORKS else {}
    if method == "synsp":
        options["keep_convention"] = keep_convention
    target = model_layout(c_count, checkpoint, device) if method in NETWORKS else None
    name = _layout_for(poses, data.layout, layout, src, target)
    notes = _layout_notes(name, target, method, j_count) if target is not None else []
    if (method in FPS_FILTERS or method in NETWORKS) and data.fps:
        options["fps"] = data.fps
    gap = max_gap_frames(max_gap, data.fps)
    out, filled, long, never, conventions = refine_tracks(poses, name, method, max_gap=gap, **options)
    count = int(filled.sum())
    if data.filled is not None:  # values filled before (an already refined file) are still not measurements
        filled |= np.asarray(data.filled, dtype=bool) & np.isfinite(out).all(-1)
    unit = "mm" if c_count == 3 else "px"
    written = out if confidence is None else np.concatenate([out, confidence[..., None]], axis=-1)
    scores = None if confidence is not None else data.scores  # the file had none: its channel carries them
    refined = replace(data, poses=written.astype(data.poses.dtype), scores=scores, filled=filled)
    notes += _writer_fill_notes(dst, refined, out_format)
    with exclusive_writes(not force):  # a file that appeared since the check above is kept, not replaced
        write_poses(dst, refined, format=out_format)
    if method == "synsp":
        notes += _convention_notes(conventions, checkpoint, device, c_count)
    if confidence is not None:
        notes.insert(0, "space: the third channel is a confidence (x, y in pixels plus a score in [0, 1]); "
                        "refined in 2D, the channel written back unchanged (--space 3d if it is z)")
    valid = np.isfinite(poses)
    moved = np.linalg.norm(np.where(valid, out - poses, np.nan), axis=-1)  # (V, T, J)
    groups = {group: _nanmean(moved[..., joints]) for group, joints in joint_groups(name).items()} if name else {}
    limit = "" if gap is None else f"{gap} frames" + (f" ({gap / data.fps:.2f} s)" if data.fps else "")
    return RefineSummary(dst, v_count, t_count, count, _accel_stats(poses), _accel_stats(out), _nanmean(moved), unit,
                         notes, groups, long, never, limit)


def default_output(src: Path, in_format: str | None = None) -> Path:
    """Where ``synsp refine IN`` writes without OUT: a TRC's ``<name>_filt_synsp.trc`` beside it
    (Pose2Sim's filtering step names its output ``<name>_filt_<filter>.trc`` and its later steps
    pick up ``*_filt_*.trc``). Other formats need OUT (ValueError)."""
    fmt = in_format or (detect_format(src) if src.is_file() else None)
    if fmt != "trc":
        raise OptionError(f"{src}: give OUT, where to write the refined poses (only a .trc input has a default: "
                         "<name>_filt_synsp.trc beside it, for Pose2Sim)")
    return src.with_name(f"{src.stem}_filt_synsp.trc")


def _writer_fill_notes(dst: Path, data, out_format: str | None) -> list[str]:
    """What a format that cannot store missing values (TRC) does with the values still missing."""
    fmt = out_format or format_for_writing(dst, data)
    if fmt not in FORMATS or FORMATS[fmt].holds_missing:  # (an unknown format: write_poses says so)
        return []
    count = importlib.import_module(FORMATS[fmt].module).gap_count(data.poses)
    if not count:
        return []
    return [f"gaps: {fmt.upper()} cannot store missing values; {count} joint values outside the detected span "
            "were interpolated or held at the nearest measured value (markers never seen are left out)"]


def refine_motion_file(src: Path, dst: Path, fmt: str, *, method: str | None = None, out_format: str | None = None,
                       fps: float | None = None, checkpoint: str | None = None, device: str | None = None,
                       **options) -> RefineSummary:
    """Refine a file of joint rotations (a ``motion`` format: BVH, SMPL) on the rotation manifold.

    Rotations go through :func:`synsp.rotation_filters.refine_rotations` with ``method`` (a
    filter of ``synsp.filters.FILTERS``; None: ``ROTATION_DEFAULT``, tuned on the validation
    split), animated translations (the root trajectory) through the same filter as positions.
    A network method needs ``checkpoint``, a model trained on rotations (``[data] space =
    "rotation"``: none is shipped yet), and an SMPL file; the root trajectory then gets
    ``ROTATION_DEFAULT``.
    The output is the input's kind of file with its skeleton, channel orders and other data;
    the summary's figures are on the joint positions after forward kinematics, in mm.
    ``options`` override the filter's settings. Checks on ``dst`` are the caller's.
    """
    network = None
    if method in NETWORKS:
        if checkpoint is None or fmt != "smpl":
            raise OptionError(f"{src}: a {fmt} file holds joint rotations, and no {method} model for rotations is "
                             "shipped yet (the networks refine joint positions); refine it with a filter on the "
                             f"rotation manifold: --method {' | '.join(n for n in METHODS if n not in NETWORKS)}"
                             + ("" if fmt != "smpl" else ", or pass --checkpoint of a model trained on rotations"))
        from synsp.inference.rotation_refiner import load_rotation_model

        network = load_rotation_model(checkpoint, device)
        if network.kind != method:
            raise CheckpointError(f"checkpoint {checkpoint}: a {network.kind} model, not {method}")
    if out_format not in (None, fmt) or dst.suffix.lower() not in FORMATS[fmt].extensions:
        raise OptionError(f"{dst}: a {fmt} input is written as {fmt} ({', '.join(FORMATS[fmt].extensions)}); "
                         "joint rotations cannot be converted to another format")
    if method is None or network is not None:
        method, options = ROTATION_DEFAULT[0], {**ROTATION_DEFAULT[1], **options}
    method_function(method)
    module = importlib.import_module(FORMATS[fmt].module)
    try:
        motion = module.read_motion(src)
    except ValueError as err:
        raise FormatError(err if str(err).startswith(str(src)) else f"{src}: {err}") from None
    if fps is not None:
        if not (np.isfinite(fps) and fps > 0):
            raise OptionError(f"fps must be a positive number, got {fps!r}")
        motion.fps = float(fps)
    if network is not None and abs(motion.fps - TRAINING_FPS) > 0.01 * TRAINING_FPS:
        raise OptionError(f"{src}: {motion.fps:g} fps; the rotation networks refine {TRAINING_FPS:g} fps motion "
                         "(resample it, or use a filter)")
    if method in FPS_FILTERS:
        options.setdefault("fps", motion.fps)
    rotations, root = refine_rotations(motion.rotations, motion.translations[:, motion.animated], method, **options)
    if network is not None:
        rotations = network.refine(motion.rotations)
    translations = motion.translations.copy()
    translations[:, motion.animated] = root
    refined = replace(motion, rotations=rotations, translations=translations)
    module.write_motion(dst, refined)
    before, after = motion.positions()[None], refined.positions()[None]
    moved = np.linalg.norm(after - before, axis=-1)
    note = f"{fmt}: {len(motion.names)} joint rotations refined " + (
        f"by {network.kind} ({checkpoint}), the root by {method}" if network else
        f"on the rotation manifold by {method}")
    return RefineSummary(dst, 1, motion.n_frames, 0, _accel_stats(before), _accel_stats(after), _nanmean(moved),
                         "mm", [note])


def _check_checkpoint(method: str, checkpoint: str | None, device: str | None) -> None:
    """``checkpoint`` fits ``method``: a network of that kind, and only for network methods."""
    if checkpoint is None:
        return
    if method not in NETWORKS:
        raise OptionError(f"--checkpoint is for the network methods ({', '.join(NETWORKS)}), not {method!r}")
    kind = cached_model(str(checkpoint), device).kind
    if kind != method:
        raise CheckpointError(f"checkpoint {checkpoint} is a {kind} model, but the method is {method}; "
                              f"use --method {kind} or a {method} checkpoint")


# --space values: MediaPipe's own names and the generic ones; MediaPipe reads "2d"/"3d" as image/world
_SPACES = {"image": "image", "world": "world", "2d": "image", "3d": "world"}
# Formats whose (T, J, 3) poses do not say whether the third channel is z or a confidence
_UNDECLARED = ("npz", "npy", "csv")


def _confidence_channel(data: PoseData, space: str | None, src: Path) -> tuple[PoseData, np.ndarray | None]:
    """(T, J, 3) poses without scores from an array or CSV file: x, y plus a confidence, or x, y, z?

    ``space`` "2d"/"3d" says; else :func:`synsp.sequence.third_channel` decides, and an
    ambiguous channel is a ``SpaceError`` asking for ``--space``. Returns the data to refine
    (2D poses with the channel as scores when it is a confidence) and the channel (V, T, J) to
    write back unchanged, or None.
    """
    c = data.poses.shape[-1]
    if space == "3d" and c == 2:
        raise SpaceError(f"{src}: --space 3d, but the poses have 2 coordinates {data.poses.shape}")
    if space in ("3d", "world") or data.format not in _UNDECLARED:
        return data, None
    if c == 2:
        return data, None
    if data.scores is not None:
        if space == "2d":
            raise SpaceError(f"{src}: --space 2d, but the file has 3 coordinates and its own scores")
        return data, None
    reading = "confidence" if space == "2d" else third_channel(data.poses)
    if reading is None:
        raise SpaceError(f"{src}: poses {data.poses.shape} without scores: cannot tell whether the third channel is "
                         "a confidence (x, y in pixels) or z; pass --space 2d or --space 3d (space= in Python)")
    if reading == "z":
        return data, None
    channel = np.asarray(data.poses[..., 2]).copy()
    scores = np.where(np.isfinite(channel), channel, 0.0)
    return replace(data, poses=np.ascontiguousarray(data.poses[..., :2]), scores=scores), channel


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


def _layout_notes(name: str | None, target: str, method: str, j_count: int) -> list[str]:
    """What a network does with the input's joints, said before the figures."""
    if name is None:
        return [f"layout: {j_count} joints of an unknown layout (pass --layout; known: {', '.join(LAYOUTS)}); "
                "refined by SmoothNet, which works on any joints"]
    if name == target:
        return []
    if method == "smoothnet":
        return [f"layout: {name}, refined by SmoothNet joint by joint (it needs no conversion)"]
    if not can_convert(name, target):
        return [f"layout: {name} is not convertible to the {target} model's joints; refined by SmoothNet, "
                "which works on any joints"]
    kept = shared_joints(name, target)
    return [f"layout: {name} -> {target}: {len(kept)} joints refined by SynSP, the other {j_count - len(kept)} by "
            "SmoothNet plus the SynSP correction of their nearest model joint"]


def _convention_notes(conventions: list[ConventionShift | None], checkpoint: str | None, device: str | None,
                      c_count: int) -> list[str]:
    """How far the input's joint definitions were from the model's (its constant pull), over every
    track whose refinement measured it (:attr:`RefinedTracks.conventions`), and what was done."""
    measured = [(v, shift) for v, shift in enumerate(conventions) if shift is not None]
    if not measured:
        return []
    joints = network_model("synsp", c_count, checkpoint, device).layout.joints
    unit = "mm" if c_count == 3 else "px"
    far = " (far from the model's)" if any(shift.far for _, shift in measured) else ""
    v, worst = max(measured, key=lambda m: float(m[1].offsets.mean()))
    j = int(np.argmax(worst.offsets))
    where = f"most at {joints[j]} ({worst.offsets[j]:.1f} {unit})"
    if len(measured) == 1:
        how_far = f"{worst.offsets.mean():.1f} {unit} on average, {where}"
    else:  # the mean over tracks, and the track that differs most
        mean = np.mean([shift.offsets.mean() for _, shift in measured])
        how_far = (f"{mean:.1f} {unit} on average over {len(measured)} tracks, most in track {v + 1} of "
                   f"{len(conventions)} ({worst.offsets.mean():.1f} {unit} on average, {where})")
    return [f"joint definitions: the input's differ from the model's by {how_far}{far}; refined in the model's "
            "definitions and moved back, so the output keeps the input's"]
