"""``synsp evaluate --input NOISY --truth CLEAN``: the split route's table on the user's own data.

Each method refines NOISY exactly as ``synsp refine NOISY OUT --method M`` does (the file read as
refine reads it, its layout found or given, every step of the method; filters at their defaults:
they are tuned on nothing, the user's truth being the test set), and is scored against CLEAN
with the split route's metric code (:func:`synsp.evaluation.protocol.evaluate`, the same table):
MPJPE, PA-MPJPE and Accel in 3D (root-relative, millimetres), MPJPE, PCK@0.05 and Accel in 2D
(pixels). Only the joint values the truth has are scored: NaN there (or a score below the
threshold, or a point at exactly 0 where that joint is elsewhere, as refine reads them, or a value
its file flags as filled: the eyes and ears a Pose2Sim TRC lacks, placed for the networks) is not
scored, nor a value any method's output leaves missing (a joint never seen, a gap past ``--max-gap``): every row
is scored on the same values. The input row is NOISY with its missing values filled linearly in time, as the split
route's input row is. A file of joint rotations (BVH, SMPL) is refined as ``synsp refine NOISY
OUT.bvh`` refines it, on the rotations (:mod:`synsp.refining.motion`), and scored on the joint
positions of its output (forward kinematics, as the input and truth are read); a method refine
refuses for the file (SynSP on a BVH) has no row, and a line says why.
"""
from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from synsp.errors import OptionError, ShapeError
from synsp.evaluation.compare import checkpoint_kinds
from synsp.evaluation.protocol import Case, evaluate, markdown_table
from synsp.formats import FORMATS, read_poses, scores_to_missing
from synsp.formats.bvh import MM_PER_CM
from synsp.formats.bvh_units import UNITS, guess_unit
from synsp.motion_pace import fps_text
from synsp.refining.arrays import METHODS
from synsp.refining.file_channels import confidence_channel, flat_coordinate, flat_track_unit
from synsp.refining.file_units import check_units, check_units_space, told_unit
from synsp.refining.files import refine_file
from synsp.score_levels import LIKELIHOOD_FORMATS
from synsp.sequence import ABSURD, MIN_SCORE, fill_gaps, mm_per_unit, not_found
from synsp.skeleton import LAYOUTS, Layout, get_layout, root_position
from synsp.units import unit_words
from synsp.viz.files import file_layout

DEFAULT_METHODS = ["one-euro", "savgol", "gaussian", "butterworth", "smoothnet", "synsp"]

Poses = str | os.PathLike | np.ndarray


def score_files(
    input: Poses, truth: Poses, *, methods: list[str] | None = None, layout: str | None = None,
    space: str | None = None, fps: float | None = None, checkpoint: str | None = None, key: str | None = None,
    threshold: float = MIN_SCORE, device: str | None = None, units: str | None = None,
) -> tuple[dict[str, dict[str, float]], str]:
    """Score every method on ``input`` against ``truth``: (method -> metric -> value, the
    table's heading, with a line per method ``synsp refine`` refuses for this file, which has no
    row). See :func:`evaluate_files`."""
    methods = list(DEFAULT_METHODS if methods is None else methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise OptionError(f"unknown method(s) {unknown}; choose from {', '.join(METHODS)}")
    checkpoints = checkpoint_kinds(checkpoint, methods)
    with tempfile.TemporaryDirectory(prefix="synsp-evaluate-") as tmp:
        src, dst = _as_file(input, Path(tmp) / "input.npy"), _as_file(truth, Path(tmp) / "truth.npy")
        noisy, data, channels = _read(src, space, fps, key, threshold)
        check_units(units, data.format, src)  # as synsp refine: a unit of the table, for a file that does not state it
        check_units_space(units, noisy.shape[-1], None if channels[1] is None else (channels[1],), src)
        clean, truth_data, _ = _read(dst, space, fps, key, threshold)
        rates = _rates_apart(data.fps, truth_data.fps)
        if noisy.shape != clean.shape:
            raise ShapeError(f"{dst}: truth poses {_shape(clean)} do not match the input's {_shape(noisy)} "
                             f"({src}{rates}); they must be the same tracks, frames, joints and coordinates")
        if rates:  # same frame count: scored frame by frame, as given; a wrong pairing would pass unseen
            warnings.warn(f"{dst}: the truth's frame rate is not the input's ({src}{rates}); scored frame by frame "
                          "as given (--fps gives both one rate)", stacklevel=2)
        # a file of joint rotations (BVH, SMPL) is refined as synsp refine refines it into its own kind of
        # file, on the rotations, and scored on the joint positions read back from that output
        fmt = data.format
        rotations = fmt in FORMATS and FORMATS[fmt].motion
        outputs, refused = {}, {}
        for method in methods:
            out = Path(tmp) / f"{method}{FORMATS[fmt].extensions[0] if rotations else '.npy'}"
            try:
                refine_file(src, out, method=method, checkpoint=checkpoints.get(method), layout=layout, space=space,
                            fps=fps, key=key, threshold=threshold, device=device, units=units,
                            out_format=None if rotations else "npy")
            except OptionError as err:  # synsp refine --method M refuses this file: no row to show for M
                refused[method] = err
                continue
            outputs[method] = (_read(out, space, fps, key, threshold)[0] if rotations
                               else _coordinates(np.load(out), channels))
        if not outputs:
            raise next(iter(refused.values()))
    space_name = "3d" if clean.shape[-1] == 3 else "2d"
    name = _root_layout(layout or data.layout or file_layout(data), clean.shape[-2]) if space_name == "3d" else None
    # a 2D track in a TRC (Sports2D's pixels, labelled m) is in its file's unit, as refine's summary gives it
    flat_scale, flat_unit = flat_track_unit(data)[:2] if channels[1] is not None else (1.0, "px")
    # a BVH does not say its unit and is read as centimetres (formats.bvh): its own unit told from its values, as
    # synsp refine's summary tells it (refining.motion); a metre or millimetre file is not scored x10 or x0.1; an
    # array's: given (--units), inches told by the body's size (file_units.told_unit), else metres, cm or mm
    read_as = MM_PER_CM if fmt == "bvh" else 1.0
    human = name.name if name is not None and name.name in LAYOUTS else None  # a known layout: a person's size
    told = told_unit(clean, fmt, human) if units is None else units
    file_unit = (UNITS[told] if told else guess_unit(clean).mm if fmt == "bvh" else mm_per_unit(clean)) \
        if space_name == "3d" else 1.0
    scale = file_unit / read_as if space_name == "3d" else flat_scale
    if name is not None:  # the split route's truth is root-relative; score() makes each output so
        clean = clean - root_position(clean, name)
    if truth_data.filled is not None:  # values the truth's file flags as not measured (a TRC's placed ears): not scored
        clean[np.asarray(truth_data.filled, bool)] = np.nan
    # values some method's output leaves missing (a joint never seen, a gap past --max-gap) are scored in no row: the
    # input row, filled there, was scored on values the methods' rows were not (an amputee's leg read 111.50 mm into
    # the input's 16.65, "x input 0.200" for a refiner at 1.34 x its input on the joints it gives back)
    held = np.logical_and.reduce([np.isfinite(out).all(-1) for out in outputs.values()])
    unheld = int((np.isfinite(clean).all(-1) & ~held).sum())
    clean[~held] = np.nan
    filled, _ = fill_gaps(noisy)
    case = Case(str(src), filled * scale, clean * scale)
    rows = {m: (lambda x, out=out: out * scale) for m, out in outputs.items()}
    results = evaluate(rows, [case], layout=name, space=space_name)
    scored = int(np.isfinite(clean).all(-1).sum())
    read = f", the files read as {unit_words(file_unit)}" if scale != 1 else ""
    read += " (told from the body's size; --units to say otherwise)" if told and units is None else ""
    unit = flat_unit if space_name == "2d" else "mm" + read
    where = "" if space_name == "2d" else ", root-relative" if name is not None else ", as given (no root joint known)"
    left = f", {unheld} the outputs leave missing not scored" if unheld else ""
    what = f"{fmt} joint rotations refined as rotations, scored on their joint positions; " if rotations else ""
    heading = (f"### `{src.name}` against `{dst.name}` ({what}{space_name}{where}: {clean.shape[0]} track(s), "
               f"{clean.shape[1]} frames, {scored} joint values scored{left}, {unit})")
    for method, err in refused.items():  # one line each, under the heading: why the method has no row
        reason = str(err).removeprefix(f"{src}: ").split("; ")[0]
        heading += f"\n\nLeft out: {method} (`synsp refine --method {method}` refuses this file: {reason})"
    return results, heading


def evaluate_files(input: Poses, truth: Poses, **options) -> str:
    """The split route's markdown table for the user's own data: the input and every method
    refining it, scored against the ground truth.

    Parameters
    ----------
    input : a pose file any ``synsp refine`` reads, or an array (T, J, C) / (V, T, J, C): the
        estimator's output.
    truth : the ground truth of the same tracks, frames and joints, as a file or array, in the
        same unit; NaN (or a low score) marks a joint value not to score.
    methods : ``synsp.refining.arrays.METHODS`` names (default: the split route's six).
    layout, space, fps, key, threshold, device, units : as for :func:`synsp.refining.files.refine_file` (``units``:
        the 3D unit of both files, when they do not state it; else told as refine tells it).
    checkpoint : a model file or shipped name, used for the method of its own kind (which must be
        among ``methods``).

    Returns
    -------
    str: a heading, the table (metric and ratio to the input per method; 3D errors in mm,
    root-relative; 2D in px) and a line saying how the methods ran.
    """
    results, heading = score_files(input, truth, **options)
    return (f"{heading}\n\n{markdown_table(results)}\n\nEach method as `synsp refine --method M` refines the input "
            "(filters at their defaults); the input row has its missing values filled linearly in time.")




def _rates_apart(input_fps: float | None, truth_fps: float | None) -> str:
    """", input at 25 fps, truth at 30 fps" when both files give a frame rate and the two differ (as
    :func:`~synsp.motion_pace.fps_text` says them), else ""."""
    if input_fps is None or truth_fps is None or fps_text(input_fps) == fps_text(truth_fps):
        return ""
    return f", input at {fps_text(input_fps)}, truth at {fps_text(truth_fps)}"


def _shape(poses: np.ndarray) -> tuple[int, ...]:
    return poses.shape[1:] if poses.shape[0] == 1 else poses.shape


def _as_file(poses: Poses, spare: Path) -> Path:
    """A path to read: ``poses`` itself, or an array written to ``spare`` (a .npy)."""
    if isinstance(poses, np.ndarray):
        np.save(spare, poses)
        return spare
    if not isinstance(poses, (str, os.PathLike)):
        raise OptionError(f"input and truth must be pose files or arrays, got {type(poses).__name__}")
    return Path(poses)


def _read(path: Path, space: str | None, fps: float | None, key: str | None, threshold: float):
    """(poses (V, T, J, C) float64 with NaN where nothing is known, the PoseData, how to take the
    same coordinates from a refined output: (drop a last confidence channel, a constant axis))."""
    if not path.exists():
        raise OptionError(f"{path}: no such file")
    options = {"key": key} if key is not None else {}
    if space in ("image", "world"):
        options["space"] = space
    data = read_poses(path, fps=fps, **options)
    data, confidence = confidence_channel(data, space, path)
    data, flat = flat_coordinate(data, space, path)
    with np.errstate(over="ignore", invalid="ignore"):
        poses = np.asarray(data.poses, dtype=np.float64).copy()
        poses[~(np.abs(poses) <= ABSURD).all(-1)] = np.nan
    poses[not_found(poses)] = np.nan
    if data.scores is not None:
        poses = scores_to_missing(poses, np.asarray(data.scores), threshold, data.format not in LIKELIHOOD_FORMATS)
    return poses, data, (confidence is not None, None if flat is None else flat[0])


def _coordinates(out: np.ndarray, channels: tuple[bool, int | None]) -> np.ndarray:
    """A refined output (T, J, C) or (V, T, J, C) as (V, T, J, C) of the coordinates scored."""
    out = np.asarray(out, dtype=np.float64)
    out = out[None] if out.ndim == 3 else out
    confidence, flat = channels
    if confidence:
        out = out[..., :-1]
    return out if flat is None else np.delete(out, flat, axis=-1)


def _root_layout(layout: str | Layout, n_joints: int) -> Layout | None:
    """``layout`` when it has a root to make poses root-relative (its root joint or both hips), else None."""
    try:
        layout = get_layout(layout)
    except ValueError:
        return None
    hips = {"left_hip", "right_hip"} <= set(layout.joints)
    return layout if len(layout.joints) == n_joints and (layout.root is not None or hips) else None
