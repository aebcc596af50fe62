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
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from synsp.config import DEFAULT_LAYOUT
from synsp.filters import FPS_FILTERS
from synsp.formats import detect_format, read_poses, scores_to_missing, write_poses
from synsp.metrics import acceleration
from synsp.model import NETWORKS
from synsp.refine import cached_model, method_function, refine
from synsp.sequence import ABSURD, body_size, fill_gaps, left_missing, max_gap_frames
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
    name = given or declared
    j = poses.shape[-2]
    if name is None and guess is not None:
        same_count = [n for n, layout in LAYOUTS.items() if len(layout.joints) == j]
        name = guess if len(LAYOUTS[guess].joints) == j else (same_count[0] if len(same_count) == 1 else None)
    if name is None:
        return None
    what = "--layout" if given else f"{where}: the file's layout"  # name the culprit: argument or file
    if name not in LAYOUTS:
        raise ValueError(f"{what} {name!r} is unknown; supported: {', '.join(LAYOUTS)}")
    if len(LAYOUTS[name].joints) != j:
        has = f"{where} has" if given else "its poses have"
        raise ValueError(f"{what} {name} has {len(LAYOUTS[name].joints)} joints but {has} {j}")
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
        raise ValueError(f"poses must have C = 2 or 3 coordinates, got {n_coords}")
    if checkpoint is None:
        return DEFAULT_LAYOUT["3d" if n_coords == 3 else "2d"]
    model = cached_model(str(checkpoint), device)
    if model.n_coords != n_coords:
        raise ValueError(f"checkpoint {checkpoint} refines {model.space.upper()} poses ({model.layout.name}); "
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
    """(index in ``layout``, index in ``target``) of the joints both layouts name alike."""
    target_names = get_layout(target).joints
    return [(j, target_names.index(name)) for j, name in enumerate(get_layout(layout).joints) if name in target_names]


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


def refine_tracks(poses: np.ndarray, layout: str | None, method: str, *, max_gap: int | None = None,
                  **options) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Refine tracks (V, T, J, C) with NaN where nothing was measured, as ``synsp refine`` does.

    Each track is refined over the spans where it holds one person (:func:`track_segments`);
    gaps are filled for the refiner, and afterwards the values of gaps longer than ``max_gap``
    frames and of joints never seen in a span are NaN again (never invented).

    Returns
    -------
    refined : (V, T, J, C) like ``poses``, NaN outside the spans and where left missing.
    filled : (V, T, J) bool, values filled in (not measured) and given.
    long_gaps, never_seen : how many joint values were left missing for each reason.
    """
    out = np.full_like(poses, np.nan)
    filled = np.zeros(poses.shape[:3], dtype=bool)
    never = long = 0
    for v, track in enumerate(poses):
        for span in track_segments(track):
            values, missing = fill_gaps(track[span])  # every value, as the refiners need
            unknown = left_missing(missing, max_gap)
            filled[v, span] = missing & ~unknown
            n_never = int(missing.all(axis=0).sum()) * len(missing)
            never, long = never + n_never, long + int(unknown.sum()) - n_never
            refined = refine_track(values, layout, method, **options)
            refined[unknown] = np.nan  # what was only filled for the refiner is not given as measured
            out[v, span] = refined
    return out, filled, long, never


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
    input: str | os.PathLike, output: str | os.PathLike, *, method: str = "synsp", checkpoint: str | None = None,
    layout: str | None = None, in_format: str | None = None, out_format: str | None = None, threshold: float = 0.3,
    device: str | None = None, force: bool = False, space: str | None = None, fps: float | None = None,
    keep_convention: bool | str = True, max_gap: int | str | None = None,
) -> RefineSummary:
    """Refine the pose file ``input`` into ``output`` (same format unless ``out_format``).

    Parameters
    ----------
    input, output : pose files (see :mod:`synsp.formats`); ``output`` is never ``input``.
    method : one of ``synsp.refine.METHODS``.
    checkpoint : a checkpoint file or shipped model name for the network methods.
    layout : the input's joint layout when the file does not say (networks need one).
    in_format, out_format : force a format instead of guessing from the file / extension.
    threshold : joints with a confidence below this are missing, and filled.
    device : torch device for the networks.
    force : replace an existing ``output``.
    space : ``"image"`` or ``"world"`` for MediaPipe files.
    fps : the input's frame rate, when the file does not say or says it wrongly (the
        networks and the filters of ``synsp.filters.FPS_FILTERS`` use it).
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
    src, dst = Path(input), Path(output)
    method_function(method)  # an unknown method fails before any file is read
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a number, got {threshold!r}")
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    if dst.exists() and (dst.resolve() == src.resolve() or os.path.samefile(dst, src)):
        raise ValueError(f"{dst}: output is the input file; refusing to overwrite it")
    if dst.exists() and not force:
        raise FileExistsError(f"{dst} exists; pass --force to replace it")
    if dst.is_dir():
        raise IsADirectoryError(f"{dst} is a directory; give a file name")
    fmt = in_format or detect_format(src)
    if space and fmt != "mediapipe":
        raise ValueError(f"{src}: --space is for MediaPipe files; this is a {fmt} file")
    data = read_poses(src, format=fmt, fps=fps, **({"space": space} if space else {}))
    v_count, t_count, j_count, c_count = data.poses.shape
    if c_count not in (2, 3) or 0 in (t_count, j_count):
        raise ValueError(f"{src}: poses must be (T, J, C) or (V, T, J, C) with T, J > 0 and C = 2 or 3, "
                         f"got shape {data.poses.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        poses = data.poses.astype(np.float32)
        # inf, overflow and absurd values are missing joints (filled and counted), never silent holes
        poses[~(np.abs(poses) <= ABSURD).all(-1)] = np.nan
    if data.scores is not None:
        poses = scores_to_missing(poses, data.scores, threshold)
    if not np.isfinite(poses).all(-1).any():
        raise ValueError(f"{src}: no joint detected with confidence >= {threshold} in any frame; nothing to refine")
    options = {"checkpoint": checkpoint, "device": device} if method in NETWORKS else {}
    if method == "synsp":
        options["keep_convention"] = keep_convention
    target = model_layout(c_count, checkpoint, device) if method in NETWORKS else None
    name = _layout_for(poses, data.layout, layout, src, target)
    notes = _layout_notes(name, target, method, j_count) if target is not None else []
    if (method in FPS_FILTERS or method in NETWORKS) and data.fps:
        options["fps"] = data.fps
    gap = max_gap_frames(max_gap, data.fps)
    out, filled, long, never = refine_tracks(poses, name, method, max_gap=gap, **options)
    count = int(filled.sum())
    if data.filled is not None:  # values filled before (an already refined file) are still not measurements
        filled |= np.asarray(data.filled, dtype=bool) & np.isfinite(out).all(-1)
    unit = "mm" if c_count == 3 else "px"
    write_poses(dst, replace(data, poses=out.astype(data.poses.dtype), filled=filled), format=out_format)
    if method == "synsp" and name is not None and can_convert(name, target):
        notes += _convention_notes(checkpoint, device, c_count)
    valid = np.isfinite(poses)
    moved = np.linalg.norm(np.where(valid, out - poses, np.nan), axis=-1)  # (V, T, J)
    groups = {group: _nanmean(moved[..., joints]) for group, joints in joint_groups(name).items()} if name else {}
    limit = "" if gap is None else f"{gap} frames" + (f" ({gap / data.fps:.2f} s)" if data.fps else "")
    return RefineSummary(dst, v_count, t_count, count, _accel_stats(poses), _accel_stats(out), _nanmean(moved), unit,
                         notes, groups, long, never, limit)


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


def _convention_notes(checkpoint: str | None, device: str | None, c_count: int) -> list[str]:
    """How far the input's joint definitions were from the model's (its constant pull), and what was done."""
    from synsp.inference.checkpoint import DEFAULT_MODEL

    model = cached_model(str(checkpoint or DEFAULT_MODEL["3d" if c_count == 3 else "2d"]), device)
    offsets = model.convention_offsets
    if offsets is None:
        return []
    unit = "mm" if c_count == 3 else "px"
    worst = int(np.argmax(offsets))
    far = " (far from the model's)" if model.convention_far else ""
    return [f"joint definitions: the input's differ from the model's by {offsets.mean():.1f} {unit} on average, "
            f"most at {model.layout.joints[worst]} ({offsets[worst]:.1f} {unit}){far}; refined in the model's "
            "definitions and moved back, so the output keeps the input's"]
