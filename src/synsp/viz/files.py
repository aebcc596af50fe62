"""File-level entry points of ``synsp plot``, ``synsp animate`` and ``synsp report``: read a
pose file before and after refinement (any supported format), pick one track, draw."""
from __future__ import annotations

import os
import warnings
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from synsp.errors import MissingDataError, OutputError
from synsp.formats import PoseData
from synsp.skeleton import LAYOUTS, Layout, follows_layout, generic_names, get_layout, guessed_layout


def load_pair(
    before: str | os.PathLike, after: str | os.PathLike, *, track: int = 0, space: str | None = None,
    layout: str | None = None, truth: str | os.PathLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, float]:
    """Read two pose files of the same sequence and return track ``track`` of each.

    Returns (before (T, J, C), after (T, J, C), ground truth or None, layout (its name, or a
    :class:`~synsp.skeleton.Layout` of the file's own joints: :func:`file_layout`), fps).
    """
    pair = _read_pair(before, after, track=track, space=space, layout=layout, truth=truth)
    return pair.before, pair.after, pair.truth, pair.layout, pair.fps


class Pair(NamedTuple):
    """Two pose files' track, as the pictures take it: the arrays (T, J, C) in ``unit``."""

    first: PoseData  # the first file's data (its own joint names), poses as read_channels gives them
    before: np.ndarray
    after: np.ndarray
    truth: np.ndarray | None
    layout: str | Layout
    fps: float
    unit: str  # "px", "mm" or "units" (3D of no known layout), as the refine summary says
    tracks: int = 1  # how many tracks (people) the first file holds


def read_channels(path: str | os.PathLike, space: str | None = None, layout: str | None = None) -> tuple[PoseData, str]:
    """A pose file's coordinates as ``synsp refine`` reads them (:mod:`synsp.refining.file_channels`):
    a third channel that is a confidence becomes scores, and a TRC's or C3D's coordinate that is
    one constant (Sports2D's Z = 0) is dropped: a 2D track. Returns the data, poses (V, T, J, C)
    in the unit the refine summary uses, and that unit: a flat track in its file's pixels
    (:func:`~synsp.refining.file_channels.flat_track_unit`) with the file's up axis turned into
    image y (down), so it draws upright and over its video; 3D in mm (:func:`summary_unit`)."""
    from synsp.formats import detect_format, read_poses
    from synsp.refining.file_channels import SPACES, confidence_channel, flat_coordinate, flat_track_unit
    from synsp.refining.summary import summary_unit

    if space not in (None, *SPACES):
        raise ValueError(f"space must be one of {', '.join(SPACES)}; got {space!r}")
    fmt = detect_format(path)
    data = read_poses(path, format=fmt, **({"space": SPACES[space]} if space and fmt == "mediapipe" else {}))
    data, _ = confidence_channel(data, space, Path(path))
    data, flat = flat_coordinate(data, space, Path(path))
    if flat is None:  # 3D: the body's size tells metres from mm when the layout is known, as in refine
        told = layout or data.layout or file_layout(data)
        scale, unit, _ = summary_unit(data.poses, data.format, told if isinstance(told, str) else None)
        return replace(data, poses=np.asarray(data.poses, dtype=np.float64) * scale), unit
    scale, unit, _ = flat_track_unit(data)
    poses = np.asarray(data.poses, dtype=np.float64) * scale
    kept = [k for k in range(3) if k != flat[0]]
    up = 1 if data.format == "trc" else 2  # TRC's Y is up, C3D's Z (Sports2D writes minus the pixel row)
    if up in kept:
        poses[..., kept.index(up)] *= -1
    return replace(data, poses=poses), unit


def _read_pair(before, after, *, track: int = 0, space: str | None = None, layout: str | None = None,
               truth=None) -> Pair:
    """:func:`load_pair`'s arrays, after the first file's PoseData (its own joint names), and their unit."""
    first, unit = read_channels(before, space, layout)
    second, unit_after = read_channels(after, space, layout)
    if unit_after != unit and "units" not in (unit, unit_after):  # "units": not known, so not contradicted
        raise ValueError(f"{after}: read in {unit_after}, but {before} in {unit}; give files of the same kind")
    unit = unit_after if unit == "units" else unit
    name = layout or first.layout or second.layout or file_layout(first)
    arrays = [first.poses, second.poses]
    if truth is not None:
        arrays.append(read_channels(truth, space, layout)[0].poses)
    for path, poses in zip((before, after, truth), arrays):
        if not 0 <= track < len(poses):
            raise ValueError(f"{path}: has {len(poses)} track(s); --track {track} does not exist")
    b, a = arrays[0][track], arrays[1][track]
    for path, poses in ((before, b), (after, a)):
        if not (np.isfinite(poses).all(-1) & (poses != 0).any(-1)).any():  # empty axes would say nothing of why
            raise MissingDataError(f"{path}: every joint value of track {track} is missing (NaN, or 0 in every "
                                   "coordinate: not found); nothing to draw")
    if b.shape != a.shape:
        raise ValueError(f"{after}: shape {a.shape} differs from {before}: {b.shape}")
    gt = arrays[2][track] if truth is not None else None
    return Pair(first, b, a, gt, name, float(first.fps or 30.0), unit, len(arrays[0]))


def file_joint_names(data: PoseData) -> dict[str, int]:
    """The file's own names of its joints (a TRC's or C3D's markers, a CSV's columns, a BVH's
    joints), each with its joint's index in ``data.poses``: ``RAnkle`` in a Pose2Sim TRC read as
    ``halpe26``, ``mixamorig:Hand_L`` in a BVH."""
    for fmt in ("trc", "c3d", "csv", "bvh", "smpl"):
        info = data.extra.get(fmt) or {}
        names = info.get("markers") or info.get("joints")
        if names:
            columns = info.get("columns") or range(len(names))
            return {str(n): int(c) for n, c in zip(names, columns) if int(c) < data.poses.shape[2]}
    return {}


def joint_choice(joints, layout: str | Layout, own: dict[str, int]) -> list | None:
    """``--joints`` as the layout's names or indices: a name the layout lacks may be the file's own
    (``RAnkle``), or a Pose2Sim-style one of a layout joint (``RAnkle`` for ``right_ankle``)."""
    if joints is None:
        return None
    from synsp.formats.marker_names import joint_name

    names = list(get_layout(layout).joints)
    # a rig's name without its namespace (Hand_L for mixamorig:Hand_L), where only one joint has it
    short: dict[str, list[int]] = {}
    for name, index in {**{n: i for i, n in enumerate(names)}, **own}.items():
        if ":" in name:
            short.setdefault(name.rsplit(":", 1)[1], []).append(index)
    out = []
    for j in joints:
        if not isinstance(j, str) or j in names:
            out.append(j)
        elif j in own:
            out.append(own[j])
        elif joint_name(j) in names:
            out.append(names.index(joint_name(j)))
        elif len(set(short.get(j, []))) == 1:
            out.append(short[j][0])
        else:
            extra = [n for n in own if n not in names]
            raise ValueError(f"joints: unknown joint name {j!r}; this file's joints are {names}"
                             + (f", also named {extra}" if extra else ""))
    return out


def file_layout(data: PoseData) -> str | Layout:
    """The layout of a file that names none, found as ``synsp refine`` finds it: a known layout's
    joints followed by markers of the file's own (:meth:`PoseData.partial_layout`), drawn with that
    layout's bones; the known layout its joint count and bones fit
    (:func:`synsp.skeleton.guessed_layout`, :func:`synsp.skeleton.follows_layout`), when the file
    gives no names of its own; else the file's joint names (``j0``, ``j1``, ... when it has none)
    with no bones, so that named joints can still be plotted."""
    n_joints = data.poses.shape[2]
    partial = data.partial_layout()
    if partial is not None:
        known = LAYOUTS[partial]
        joints = (data.extra.get(data.format) or {}).get("joints") or generic_names(n_joints)
        return Layout(f"{partial} and the file's own markers", tuple(joints), known.bones, known.left_right,
                      known.root)
    own = data.own_joint_names()
    if own is None:
        guess = guessed_layout(data.poses)
        if guess is not None and follows_layout(data.poses, guess):
            return guess
    if own is None:  # a BVH's joints, which make no known layout: named as the file names them
        named = list(file_joint_names(data))
        own = named if len(named) == n_joints else None
    names = own if own is not None and len(own) == n_joints else generic_names(n_joints)
    return Layout("the file's own joints", tuple(names), (), (), None)


# What each picture command writes, by the output's suffix (animate: a .png still with --video)
SUFFIXES = {"plot": (".png",), "animate": (".gif", ".mp4", ".png"), "report": (".html", ".htm")}


def check_suffix(out: str | os.PathLike, command: str) -> None:
    """An ``OutputError`` before any work when ``out``'s suffix is not one ``command`` writes
    (:data:`SUFFIXES`): a PNG written under ``plot.xyz`` opens in nothing."""
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES[command]:
        raise OutputError(f"{out}: synsp {command} writes {' or '.join(SUFFIXES[command])}, not "
                          f"{suffix or 'a name without an extension'}; give OUTPUT one of those")


def refuse_inputs(out: str | os.PathLike, **inputs: str | os.PathLike | None) -> None:
    """An ``OutputError`` when ``out`` is one of the ``inputs`` (role=path; None skipped): a
    picture written there would replace the user's pose file or video."""
    for role, path in inputs.items():
        if path is None:
            continue
        same = os.path.samefile(out, path) if Path(out).exists() and Path(path).exists() else (
            Path(out).resolve() == Path(path).resolve())
        if same:
            raise OutputError(f"{out} is the {role} file: writing there would replace it; give another output path")


def same_poses(pair: Pair, before, after) -> str | None:
    """One line when ``pair``'s before and after are the same poses (NaN alike): the picture will
    show no refinement, most often because the same file was given twice (or it holds a single
    frame, which ``synsp refine`` writes as read); None otherwise."""
    if not np.array_equal(pair.before, pair.after, equal_nan=True):
        return None
    if len(pair.before) == 1:  # synsp refine writes one frame as read: nothing to smooth over, nothing amiss
        return "a single frame: it cannot be refined (refining smooths each joint's path over frames), so before " \
               "and after are the same"
    how = "the same file given twice" if Path(before).resolve() == Path(after).resolve() else "the same poses"
    return (f"before and after are {how}: the picture shows no refinement (give the refined file as AFTER, "
            f"e.g. synsp refine {Path(before).name} OUT)")


def one_of_many(pair: Pair, before, track: int) -> str | None:
    """One line when ``before`` holds several tracks (people) and only ``track`` is drawn; None otherwise."""
    if pair.tracks <= 1:
        return None
    return (f"{Path(before).name} holds {pair.tracks} tracks (people); drawn: track {track} "
            f"(--track 0 to {pair.tracks - 1} draws another)")


def _say_pair(pair: Pair, before, after, read: dict, log) -> None:
    """The lines every picture says of ``pair`` (:func:`same_poses`, :func:`one_of_many`)."""
    _say(same_poses(pair, before, after), log)
    _say(one_of_many(pair, before, read.get("track", 0)), log)


def plot_files(before, after, out: Path, *, joints=None, log=None, **read) -> Path:
    """PNG of chosen joints' trajectories and accelerations, before vs after. ``log`` (default: a
    warning) gets one line when before and after are the same (:func:`same_poses`)."""
    from synsp.viz.plot import plot_trajectories

    refuse_inputs(out, before=before, after=after, truth=read.get("truth"))
    check_suffix(out, "plot")
    pair = _read_pair(before, after, **read)
    _say_pair(pair, before, after, read, log)
    joints = joint_choice(joints, pair.layout, file_joint_names(pair.first))
    plot_trajectories(pair.before, pair.after, layout=pair.layout, joints=joints, ground_truth=pair.truth,
                      fps=pair.fps, path=out, unit=pair.unit)
    return out


def animate_files(before, after, out: Path, *, video=None, max_frames=None, frames=None, log=None, **read) -> Path:
    """GIF/MP4 of the skeleton before and after, side by side, or drawn over ``video`` (2D);
    with ``video`` and a ``.png`` output, a still: ``frames`` (default four spread over the clip)
    with both skeletons and their paths. ``log`` (default: a warning) gets one line when before
    and after are the same (:func:`same_poses`), and one when the video and the poses disagree
    (:func:`~synsp.viz.overlay.video_mismatch`)."""
    from synsp.viz.animate import animate
    from synsp.viz.overlay import contact_sheet, overlay_on_video, video_mismatch

    refuse_inputs(out, before=before, after=after, truth=read.get("truth"), video=video)
    check_suffix(out, "animate")
    if Path(out).suffix.lower() == ".png" and video is None:
        raise ValueError(f"{out}: a PNG still needs --video (animations are .gif or .mp4)")
    pair = _read_pair(before, after, **read)
    b, a, gt, layout, fps = pair.before, pair.after, pair.truth, pair.layout, pair.fps
    _say_pair(pair, before, after, read, log)
    _say(video_mismatch(video, b, pair.first.fps) if video is not None and b.shape[-1] == 2 else None, log)
    if video is not None and Path(out).suffix.lower() == ".png":
        return contact_sheet(video, b, a, layout=layout, path=out, frames=frames)
    if video is not None:
        return overlay_on_video(video, b, a, layout=layout, path=out, max_frames=max_frames)
    return animate(b, a, layout=layout, path=out, fps=fps, ground_truth=gt, max_frames=max_frames)


def _say(line: str | None, log) -> None:
    """Give ``line`` to ``log``, by default as a warning (the CLI prints it instead); None: nothing."""
    if line:
        (log or (lambda text: warnings.warn(text, stacklevel=4)))(line)


def report_files(before, after, out: Path, *, title: str = "synsp report", log=None, **read) -> Path:
    """One self-contained HTML page: player, metric table (with ground truth), plots. ``log``
    (default: a warning) gets one line when before and after are the same (:func:`same_poses`)."""
    from synsp.viz.report import write_report

    refuse_inputs(out, before=before, after=after, truth=read.get("truth"))
    check_suffix(out, "report")
    pair = _read_pair(before, after, **read)
    _say_pair(pair, before, after, read, log)
    return write_report(out, before=pair.before, after=pair.after, layout=pair.layout, fps=pair.fps,
                        ground_truth=pair.truth, title=title, unit=pair.unit)
