"""``synsp refine`` on a file of joint rotations (BVH, SMPL parameters), written back as the same kind of file.

The default for an SMPL file is the shipped SynSP network on rotations, with each joint's rest
frame kept (:func:`synsp.inference.rotation_refiner.keep_rest_frames`), run at the frame rate and
pace of motion it learnt (:class:`synsp.inference.rotation_refiner.RotationRefiner`), and the root
trajectory and any SMPL-H / SMPL-X finger, jaw and eye joints (which the network does not know)
filtered by a filter on the rotation manifold tuned on the validation split
(``ROTATION_DEFAULT``). A BVH, which animates its own skeleton, gets the shipped SmoothNet on
rotations, which refines every joint on its own (so any tree), then that filter. The filter's
cut-off follows the motion's pace. Why: benchmarks/RESULTS.md, section 14.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.errors import CheckpointError, FormatError, MissingDataError, OptionError, ShapeError, check_fps
from synsp.estimator_errors.half_turns import turned_orientations
from synsp.estimator_errors.held_values import held_frames
from synsp.filter_options import check_filter_options, filter_kwargs
from synsp.filters import FPS_FILTERS, ONE_EURO_BETA, cutoff_for
from synsp.formats import FORMATS
from synsp.formats.bvh_units import given_unit, unit_note
from synsp.formats.motion import JointMotion
from synsp.model import NETWORKS
from synsp.motion_pace import fps_text, pace_note
from synsp.refining.arrays import METHODS, MIN_FRAMES, method_function
from synsp.refining.held_motion import held_stride, refine_on_stride, stride_held_note
from synsp.refining.motion_people import refine_people
from synsp.refining.motion_spin import without_motion_spin
from synsp.refining.summary import RefineSummary, summarize, too_few_frames_note
from synsp.rotations.conversions import matrix_from_sixd, sixd_from_matrix
from synsp.rotations.filters import (
    ROTATION_DEFAULT,
    ROTATION_SETTINGS,
    at_frame_rate,
    default_filter_rate,
    refine_root,
    refine_rotations,
    smooth_at_joint_pace,
    smooth_rotations,
)
from synsp.sequence import body_size, fill_gaps

__all__ = ["refine_motion", "refine_motion_file", "refine_smpl"]


def refine_motion_file(src: Path, dst: Path, fmt: str, *, method: str | None = None, out_format: str | None = None,
                       fps: float | None = None, checkpoint: str | None = None, device: str | None = None,
                       keep_rest_frames: bool | None = None, key: str | None = None,
                       filter_options: dict | None = None, units: str | None = None, **options) -> RefineSummary:
    """Refine a file of joint rotations (a ``motion`` format: BVH, SMPL) by :func:`refine_motion`
    and write it back: the input's kind of file with its skeleton, channel orders and other data.
    ``fps`` overrides the file's frame rate; ``key`` names the poses of an SMPL file holding several
    sets; ``filter_options`` are ``synsp refine``'s ``--cutoff`` (Hz), ``--window`` (frames, or seconds
    at the motion's rate) and ``--min-cutoff`` (Hz) for ``method`` (:mod:`synsp.filter_options`), as
    :func:`refine_motion` takes them. The summary's figures are on the joint positions after forward
    kinematics, in mm (a BVH's unit ``units``, a key of :data:`synsp.formats.bvh_units.UNITS`, or told from the
    body's size). An SMPL file of several people stacked on a leading person axis: each person refined on its own
    and written back into the stack (:mod:`synsp.refining.motion_people`). Checks on ``dst`` are the caller's.
    """
    if out_format not in (None, fmt) or dst.suffix.lower() not in FORMATS[fmt].extensions:
        raise OptionError(f"{dst}: a {fmt} input is written as {fmt} ({', '.join(FORMATS[fmt].extensions)}); "
                          "joint rotations cannot be converted to another format")
    if method is not None:
        method_function(method)
    filter_options = check_filter_options(method, filter_options or {})
    if "beta" in filter_options:  # --beta is per body size; a rotation's speed has no body size to be per
        raise OptionError(f"{src}: --beta is One-Euro's speed term per body size, for joint positions; on joint "
                          f"rotations it is per radian/s (default {ROTATION_SETTINGS['one-euro']['beta']:g}): "
                          "refine_motion(..., beta=B) in Python, or --min-cutoff here")
    module = importlib.import_module(FORMATS[fmt].module)
    takes = inspect.signature(module.read_motion).parameters
    if key is not None and "key" not in takes:
        raise OptionError(f"{src}: --key names an array of an .npz; a {fmt} file has none")
    check_fps(fps)
    given = {} if key is None else {"key": key}
    if fps is not None and "fps" in takes:
        given["fps"] = fps  # over the file's rate, which then need not be readable (an SMPL rate per frame)
    try:  # an SMPL file of several people stacked: one motion per person (formats.smpl_people)
        motion = getattr(module, "read_people", module.read_motion)(src, **given)
    except ValueError as err:
        raise FormatError(err if str(err).startswith(str(src)) else f"{src}: {err}") from None

    def refine_one(motion: JointMotion) -> tuple[JointMotion, list[str]]:
        if fps is not None:
            motion.fps = float(fps)
        settings = {**filter_kwargs(method, filter_options, motion.fps), **options}  # a window in seconds: its rate's
        refined, notes = refine_motion(motion, method=method, checkpoint=checkpoint, device=device,
                                       keep_rest_frames=keep_rest_frames, where=str(src), **settings)
        if fps is None and isinstance(motion.source, dict) and not motion.source.get("rate_named", True):
            notes.append(f"fps: the file names no frame rate; taken as {motion.fps:g} fps (--fps to give it)")
        kept = getattr(module, "kept_note", lambda _: None)(motion)  # arrays of poses or joints not refined: said
        if kept:
            notes.insert(1, kept)
        return refined, notes

    if isinstance(motion, list):  # each person refined on its own, written back into the stack
        return refine_people(motion, refine_one, lambda people: module.write_people(dst, people), dst, str(src))
    refined, notes = refine_one(motion)
    module.write_motion(dst, refined)
    # A BVH does not say its unit (read as cm): the summary is in mm as the body's size tells, as for positions,
    # and says so (a centimetre file's figures are not its own numbers)
    guess = given_unit(units, motion.positions(), motion.mm_per_unit) if fmt == "bvh" else None
    scale = guess.mm / motion.mm_per_unit if guess else 1.0
    note = unit_note(guess, quiet_cm=False) if guess else None
    if note:
        notes.append(note)
    return summarize(dst, motion.positions()[None] * scale, refined.positions()[None] * scale, "mm", notes)


def refine_motion(motion: JointMotion, *, method: str | None = None, checkpoint: str | None = None,
                  device: str | None = None, keep_rest_frames: bool | None = None, where: str = "motion",
                  **options) -> tuple[JointMotion, list[str]]:
    """``motion`` refined (its rotations and animated translations; the rest as it came), and
    what ``synsp refine`` says about it; ``where`` names the motion in errors.

    ``method`` None: the network of ``checkpoint`` if one is given, else the default (module
    docstring). A filter (``synsp.filters.FILTERS``) runs
    through :func:`synsp.rotations.filters.refine_rotations`, on the rotations and the animated
    translations (the root trajectory) alike; the default filter's method (``ROTATION_DEFAULT``,
    the Butterworth) starts from its tuned settings and follows the pace. A network refines SMPL
    files (any frame rate), and a BVH if it refines every joint on its own (SmoothNet; then the
    default filter runs after it), with ``checkpoint`` or the network's shipped model for
    rotations (trained with ``[data] space = "rotation"``); the root trajectory then gets
    ``ROTATION_DEFAULT``. ``keep_rest_frames`` None: the network's default
    (:class:`~synsp.inference.rotation_refiner.RotationRefiner`), False: the network alone
    (``--joints model``), True: each joint's rest frame kept (``--joints keep-all``).
    Before a network, frames held whole (a repeat of the frame before) are interpolated between
    the frames around them (:func:`without_held_frames`), or, held on a regular stride (every frame of a
    15 fps estimate repeated to 30 fps), the new frames are refined alone at their own rate and the held ones
    slerped between them (:mod:`synsp.refining.held_motion`); a filter takes them as they come. A
    motion of fewer than :data:`~synsp.refining.methods.MIN_FRAMES` frames comes back as it came.
    ``options`` override the filter's settings. Another named filter starts from its setting for
    rotations (``ROTATION_SETTINGS``, windows in frames scaled to the motion's rate), the root trajectory
    from the same, One-Euro's speed term per body size. A body (BVH, SMPL) spinning about the vertical faster than
    :data:`~synsp.rotations.body_spin.SPIN_FROM` degrees a second, half a turn or more, is refined with the spin taken
    out and put back (:mod:`synsp.refining.motion_spin`).
    """
    spun = without_motion_spin(motion, lambda still: _refined(still, method, checkpoint, device, keep_rest_frames,
                                                                 where, options))
    return _refined(motion, method, checkpoint, device, keep_rest_frames, where, options) if spun is None else spun


def _refined(motion: JointMotion, method: str | None, checkpoint: str | None, device: str | None,
             keep_rest_frames: bool | None, where: str, options: dict) -> tuple[JointMotion, list[str]]:
    """:func:`refine_motion` of a motion whose heading turns no faster than the networks' (or an SMPL one)."""
    fmt, options = motion.format, dict(options)  # a copy: the steps below set the filter's defaults in it
    if method is None and checkpoint is not None:  # no method named: the checkpoint's own network
        from synsp.inference.rotation_refiner import load_rotation_model

        method = load_rotation_model(checkpoint, device).kind
    if method in NETWORKS and fmt != "smpl" and not NETWORKS[method].per_coordinate:
        raise OptionError(f"{where}: a {fmt} file animates its own skeleton, and {method} on joint rotations "
                          "refines SMPL parameters only; refine it with a network that refines every joint on its "
                          "own or a filter on the rotation manifold: --method "
                          + " | ".join(n for n in METHODS if n not in NETWORKS or NETWORKS[n].per_coordinate))
    frames = len(motion.rotations)
    if frames < MIN_FRAMES:  # 2 frames cannot tell noise from motion: as they came (synsp.refining.methods)
        return motion, [too_few_frames_note(frames, f"the {fmt} motion")]
    if method is None and not options:
        method = "synsp" if fmt == "smpl" else "smoothnet"
    if keep_rest_frames is not None and method not in NETWORKS:  # --joints model / keep-all: a network's pull
        raise OptionError(f"{where}: --joints on rotations is for {' and '.join(NETWORKS)}, not "
                          f"{method or ROTATION_DEFAULT[0]!r}")
    network = _rotation_network(method, checkpoint, device, keep_rest_frames) if method in NETWORKS else None
    notes = []
    # frames repeated whole are no measurement of their moment (synsp.estimator_errors.held_values)
    if network is not None and fmt == "smpl":  # the global orientation turned half round and back: turned back
        orientations, turned = turned_orientations(motion.rotations[:, 0])
        if turned:
            motion = replace(motion, rotations=np.concatenate([orientations[:, None].astype(motion.rotations.dtype),
                                                              motion.rotations[:, 1:]], axis=1))
            notes.append(f"half turns: the global orientation turned half round for a few frames and back, {turned} "
                         "frames in all (an estimator reading the back as the front); turned back")
    new, stride = held_stride(motion) if network is not None else (None, 1)
    if stride > 1:  # held on a regular stride: the new frames refined alone at fps / k (refining.held_motion)
        again = {**options, "fps": options["fps"] / stride} if "fps" in options else options
        refined, said = refine_on_stride(motion, new, stride, lambda sub: _refined(
            sub, method, checkpoint, device, keep_rest_frames, where, again))
        return refined, [said[0], stride_held_note(int((~new).sum()), stride, motion.fps), *notes, *said[1:]]
    if network is not None:
        motion, held = without_held_frames(motion)
        if held:
            notes.append(f"held: {held} frames repeat the frame before them exactly (a frame rate converted, an "
                         "estimator run on fewer frames); the network refined them from the frames around them")
    # the default filter, named or not, and the filter a network leaves its output to: tuned settings, the pace followed
    default = method in (None, ROTATION_DEFAULT[0]) or network is not None
    given = set(options)
    if default:
        method, options = ROTATION_DEFAULT[0], {**ROTATION_DEFAULT[1], **options}
    elif network is None and method in ROTATION_SETTINGS:  # the filter's own defaults are for positions
        setting = at_frame_rate(ROTATION_SETTINGS[method], motion.fps)
        if "cutoff" in given:  # a Gaussian's cut-off in Hz replaces its width in frames and the window made for it
            setting = {k: v for k, v in setting.items() if k not in ("sigma", "window")}
        options = {**setting, **options}
    if method in FPS_FILTERS:
        options.setdefault("fps", motion.fps)
    body = _pace_joints(motion)
    paced = default_filter_rate(body, motion.fps) if default else motion.fps
    if default and "cutoff" not in given and "fps" not in given and paced != motion.fps:
        options["fps"] = paced  # the default filter follows fast motion
        if network is None:
            notes.append(f"pace: the motion is fast for {fps_text(motion.fps)}; the default filter's cut-off raised "
                         f"{motion.fps / paced:.2f} x, to the pace it was tuned at")
    if default and "cutoff" in options and "cutoff" not in given:  # a default never refuses a low frame rate
        options["cutoff"] = cutoff_for(options["cutoff"], options["fps"])
    if network is None:
        rotations, _ = refine_rotations(motion.rotations, None, method, **options)
        root = refine_root(motion.translations[:, motion.animated], len(rotations), method,
                           **_root_options(method, options, given, body, motion.mm_per_unit))
    else:  # the network refines the rotations; the filter only the root trajectory
        if fmt == "smpl":
            rotations = network.refine(motion.rotations, motion.fps)
            unknown = _unknown_joints(motion)
            if unknown:  # fingers, jaw, eyes: the network returns them as they came; the default filter's
                rotations[:, unknown] = smooth_rotations(rotations[:, unknown], method, **options)
        else:  # any skeleton (a network that refines every joint on its own), then the default filter,
            # which leaves it smoother on gross errors (validation, the mocap's own BVH tree), each
            # joint's cut-off raised with its turning pace unless a cut-off was given; nearly clean
            # input's correction by both limited to its noise (RotationRefiner.keep_clean)
            def then(refined: np.ndarray) -> np.ndarray:
                return (smooth_rotations(refined, method, **options) if "cutoff" in given
                        else smooth_at_joint_pace(refined, method, recorded_fps=motion.fps, **options))

            rotations = network.refine_skeleton(motion.rotations, body, motion.fps, then=then)
        if network.paced_fps != motion.fps:
            notes.append(pace_note(network.paced_fps, motion.fps))
        position_options = {k: v for k, v in options.items() if k not in ("space", "base_sigma")}
        root = refine_root(motion.translations[:, motion.animated], len(rotations), method, **position_options)
    translations = motion.translations.copy()
    translations[:, motion.animated] = root
    unknown = _unknown_joints(motion) if network is not None and fmt == "smpl" else []
    split = (f": {len(motion.names) - len(unknown)} by " if unknown else " refined by ")
    note = f"{fmt}: {len(motion.names)} joint rotations" + (
        f"{split}{network.kind} ({checkpoint or _default_name(network.kind)}, "
        f"{'rest frames kept' if network.keep_rest_frames else 'the network alone'})"
        f"{'' if fmt == 'smpl' else f', then {method} on the rotation manifold'}"
        f"{_unknown_note(unknown, method)}"
        f", the root by {method}"
        if network else f" refined on the rotation manifold by {method}{_settings_text(options, given)}")
    return replace(motion, rotations=rotations, translations=translations), [note, *notes]


def _settings_text(options: dict, given: set) -> str:
    """The filter settings the caller gave (``--cutoff 2``: " (cutoff 2 Hz)"), for the summary; "" for none."""
    units = {"cutoff": " Hz", "min_cutoff": " Hz", "window": " frames"}
    said = [f"{name.replace('_', ' ')} {options[name]:g}{units.get(name, '')}" for name in sorted(given)
            if name in options and isinstance(options[name], (int, float))]
    return f" ({', '.join(said)})" if said else ""


def _root_options(method: str, options: dict, given: set, body: np.ndarray, mm_per_unit: float) -> dict:
    """A filter's ``options`` for the root trajectory (file unit): without the tangent-space settings; for
    One-Euro, which lags, its settings for positions (not the rotations' lower cut-off) unless given, its
    speed term per body size (:func:`synsp.sequence.body_size` of the joints ``body`` (T, J, 3), mm): a
    root of one joint has no size of its own, and its speed term was 0 (a walk's end 16 cm behind)."""
    out = {k: v for k, v in options.items() if k not in ("space", "base_sigma")}
    if method == "one-euro":
        out = {k: v for k, v in out.items() if k in given or k == "fps"}
    if method == "one-euro" and "beta" not in given:
        size = body_size(body) / mm_per_unit
        out["beta"] = ONE_EURO_BETA / size if size > 0 else 0.0  # NaN (no joint seen) is not > 0
    return out


def without_held_frames(motion: JointMotion) -> tuple[JointMotion, int]:
    """``motion`` with its held frames (:func:`synsp.estimator_errors.held_values.held_frames`) interpolated between
    the frames around them, and how many frames of rotations were held. Rotations (every joint's
    as in the frame before; interpolated in the continuous 6D form, then made rotations again) and
    the animated translations are read apart: a pipeline may hold one and not the other."""
    rotations, held = _interpolated(sixd_from_matrix(motion.rotations))
    translations, _ = _interpolated(motion.translations[:, motion.animated])
    if not held:
        return (motion, 0) if translations is None else (_with_root(motion, translations), 0)
    moved = replace(motion, rotations=matrix_from_sixd(rotations))
    return (moved if translations is None else _with_root(moved, translations)), held


def _interpolated(x: np.ndarray) -> tuple[np.ndarray | None, int]:
    """(T, J, C) values with their held frames filled from the frames around them, and how many
    there were; None and 0 when none is held, or every frame is (a still pose: nothing to fill)."""
    held = held_frames(x)
    if not held.any() or held.sum() == len(x) - 1:
        return None, 0
    return fill_gaps(x, held[:, None].repeat(x.shape[1], axis=1))[0], int(held.sum())


def _with_root(motion: JointMotion, animated: np.ndarray) -> JointMotion:
    translations = motion.translations.copy()
    translations[:, motion.animated] = animated
    return replace(motion, translations=translations)


def refine_smpl(poses: np.ndarray, fps: float = 30.0, method: str | None = None, *, trans: np.ndarray | None = None,
                track_mask: np.ndarray | None = None, **options) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Refine SMPL parameters held in arrays, as ``synsp refine`` refines an SMPL file.

    Parameters
    ----------
    poses : (T, 3K) or (T, K, 3) axis-angle rotations in radians (VIBE, PARE, WHAM: (T, 72)), or
        (T, K, 3, 3) rotation matrices (4D-Humans' ``global_orient`` and ``body_pose`` joined), or those
        flattened row by row, (T, K, 9) or (T, 9K);
        K = 24 (SMPL), 22 (body), 52 (SMPL-H) or 55 (SMPL-X); joint 0 is the global orientation.
    fps : frames per second of ``poses``. Frames are taken as evenly spaced: no dropped frame is read from the
        motion (as :func:`synsp.refine` reads one from joint positions, :mod:`synsp.refining.dropped_frames`).
    method : None: the default, SynSP on rotations with each joint's rest frame kept; "smoothnet";
        or a filter (``synsp.filters.FILTERS``) on the rotation manifold.
    trans : (T, 3) root translation in metres, optional; given, it is refined too (by the default
        filter, or by ``method`` if that is a filter) and returned.
    track_mask : (T,) bool, optional: the frames present (SLAHMR's ``track_mask``), over the numbers. Without it a
        frame NaN in every number, or exactly SMPL's rest pose (every number 0, ``trans`` too; a warning says how
        many) among frames that are not, is missing: bridged for the refinement and given back NaN, as
        :func:`synsp.refine` gives a frame of positions with no joint found (:mod:`synsp.refining.missing_frames`);
        ``np.ones(T, bool)`` keeps rest-pose rows as poses.
    **options : as :func:`refine_motion` takes them (``checkpoint=``, ``device=``,
        ``keep_rest_frames=``, the filter's settings).

    Returns
    -------
    The refined poses in the input's shape, form and float dtype; with ``trans``: ``(poses, trans)``.
    """
    from synsp.formats.smpl import smpl_motion
    from synsp.formats.smpl_arrays import flat_shape
    from synsp.refining.missing_frames import missing_rows, refine_bridged, stand_ins
    from synsp.rotations.conversions import axis_angle_from_matrix
    from synsp.rotations.smpl_template import JOINT_COUNTS, SMPL_REST

    if method is not None:
        method_function(method)
    given = np.asarray(poses)
    check_fps(fps)
    absent = missing_rows(given, trans, track_mask)  # a warning says how many rest-pose rows it read as missing
    try:  # the shapes' one-line errors as synsp's own (NaN or inf: MissingDataError, raised as such)
        motion = smpl_motion(*((given, trans) if absent is None else stand_ins(given, trans, absent)), fps,
                             missing=MissingDataError)
    except MissingDataError:
        raise
    except ValueError as err:
        raise ShapeError(str(err)) from None
    if absent is None:
        refined, _ = refine_motion(motion, method=method, **options)
        rotations, root = refined.rotations, refined.translations[:, 0]
    else:  # frames missing: bridged, refined, given back NaN (the root: the one animated translation)
        rotations, roots = refine_bridged(motion, absent, lambda m: refine_motion(m, method=method, **options)[0])
        root = roots[:, 0]
    matrices = given.ndim == 4 or flat_shape(given.shape, JOINT_COUNTS) is not None  # (T, K, 9), (T, 9K) too
    out = rotations if matrices else axis_angle_from_matrix(rotations)  # NaN rows stay NaN
    out = out.reshape(given.shape).astype(given.dtype if np.issubdtype(given.dtype, np.floating) else np.float64)
    if trans is None:
        return out
    root = root - SMPL_REST[0]
    dtype = np.asarray(trans).dtype
    return out, root.astype(dtype if np.issubdtype(dtype, np.floating) else np.float64)


def _unknown_joints(motion: JointMotion) -> list[int]:
    """The joints of an SMPL-H / SMPL-X motion past the body's 22, which the rotation networks
    (trained on SMPL's 24) do not refine."""
    from synsp.rotations.smpl_template import BODY_JOINTS, SMPL_JOINTS

    count = len(motion.names)
    return [] if count in (BODY_JOINTS, len(SMPL_JOINTS)) else list(range(BODY_JOINTS, count))


def _unknown_note(unknown: list[int], method: str) -> str:
    if not unknown:
        return ""
    parts = "fingers" if len(unknown) == 30 else "fingers, jaw, eyes"
    return f", {len(unknown)} ({parts}, which the network does not know) by {method} on the rotation manifold"


def _pace_joints(motion: JointMotion) -> np.ndarray:
    """The joint positions (T, J', 3) that a motion's pace is read on, in mm: a BVH's without its root
    joint, which often stands on the floor under the body (the mocap's ``joint_Root``, game rigs'
    ``Root``) and reads as body size (validation clips: the pace 0.73 x that of their SMPL
    retarget with it, 0.94 x without); an SMPL file's every joint, as the pace thresholds were
    chosen on them."""
    positions = motion.positions()
    below_root = motion.parents >= 0
    return positions if motion.format == "smpl" or not below_root.any() else positions[:, below_root]


def _default_name(kind: str) -> str:
    from synsp.inference.checkpoint import default_model

    return default_model(kind, "rotation")


def _rotation_network(method: str, checkpoint: str | None, device: str | None, keep_rest_frames: bool | None):
    """The network for ``method`` on rotations: ``checkpoint`` or the shipped one, checked to be of that
    kind; ``keep_rest_frames`` as :func:`refine_motion_file` takes it."""
    from synsp.inference.rotation_refiner import load_rotation_model

    network = load_rotation_model(checkpoint or _default_name(method), device,
                                  keep_rest_frames=keep_rest_frames)
    if network.kind != method:
        raise CheckpointError(f"checkpoint {checkpoint}: a {network.kind} model, not {method}")
    return network
