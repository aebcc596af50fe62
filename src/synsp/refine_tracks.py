"""Refine the tracks of a pose file: where each person was seen, in whatever joint layout it came.

A track (T, J, C) is refined over the spans where it holds one person (:func:`track_segments`),
its gaps filled for the refiner and emptied again where nothing may be invented
(:func:`refine_tracks`). A layout other than the network's is converted to it, refined, and
each input joint moves with the model joint nearest to it, so the output keeps the input's
layout (:func:`refine_track`). :mod:`synsp.refine_file` does this for files,
:mod:`synsp.integrations` for mmpose and pandas.
"""
from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from synsp.config import DEFAULT_LAYOUT
from synsp.errors import CheckpointError, LayoutError, ShapeError
from synsp.model import NETWORKS
from synsp.refine import cached_model, network_model, refine
from synsp.sequence import body_size, fill_gaps, left_missing
from synsp.skeleton import LAYOUTS, can_convert, convert, get_layout, seventeen_joint_layout

SEVENTEEN = ("coco17", "h36m17")  # the two 17-joint layouts a file's poses tell apart


def input_layout(poses: np.ndarray, declared: str | None, given: str | None, where: str | os.PathLike,
                guess: str | None) -> str | None:
    """The joint layout of ``poses`` (..., J, C) read from ``where``: ``given`` (--layout), else
    ``declared`` (the file's), else ``guess`` (the network's layout) when the joint counts agree
    (17 joints: COCO's or H36M's order, whichever the poses follow, :func:`seventeen_joint_layout`),
    else the one known layout with J joints. Returns a name of ``LAYOUTS``, or None when nothing
    needs one (filters) or nothing fits (the networks then use SmoothNet alone); ``LayoutError``
    for an unknown layout or one whose joint count is not J."""
    if given is not None and not given.strip():
        raise LayoutError("--layout is empty; name a layout or leave it out")
    name = given or declared
    j = poses.shape[-2]
    if name is None and guess is not None:
        same_count = [n for n, layout in LAYOUTS.items() if len(layout.joints) == j]
        if guess in SEVENTEEN and j == len(LAYOUTS[guess].joints):  # COCO's or H36M's order: the poses tell
            name = seventeen_joint_layout(poses)
        else:
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
    smoothnet = {k: v for k, v in options.items() if k not in ("keep_convention", "floor")}
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


def nearest_joints(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For every joint of ``x`` (T, J, C), the index of the joint of ``y`` (T, K, C) nearest to it on average."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    return np.nanargmin(np.where(np.isnan(d), np.inf, d), axis=1)


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
    axes: list[np.ndarray]  # each distinct (C, C) map to the network's axes it refined a span in (Refiner.turn)
    sizes: list[float]  # each distinct factor a span's body was scaled by to the trained sizes (Refiner.resized)


def refine_tracks(poses: np.ndarray, layout: str | None, method: str, *, max_gap: int | None = None,
                  **options) -> RefinedTracks:
    """Refine tracks ``poses`` (V, T, J, C) in their own unit (mm or px), NaN where nothing was
    measured, as ``synsp refine`` does; ``layout`` names their J joints (None: unknown),
    ``options`` go to :func:`refine_track`.

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
    axes: list[np.ndarray] = []
    sizes: list[float] = []
    for v, track in enumerate(poses):
        shifts: list[tuple[int, ConventionShift]] = []
        for span in track_segments(track):
            values, missing = fill_gaps(track[span])  # every value, as the refiners need
            unknown = left_missing(missing, max_gap)
            filled[v, span] = missing & ~unknown
            n_never = int(missing.all(axis=0).sum()) * len(missing)
            never, long = never + n_never, long + int(unknown.sum()) - n_never
            if model is not None:  # a span refined without the network must not report the previous one
                model.convention_offsets, model.turn, model.resized = None, None, 1.0
            refined = refine_track(values, layout, method, **options)
            if model is not None and model.convention_offsets is not None:
                shifts.append((len(values), ConventionShift(model.convention_offsets, model.convention_far)))
            if model is not None and model.turn is not None and not any(np.allclose(model.turn, a) for a in axes):
                axes.append(model.turn)
            if model is not None and model.resized != 1.0 and not any(np.isclose(model.resized, f) for f in sizes):
                sizes.append(model.resized)
            refined[unknown] = np.nan  # what was only filled for the refiner is not given as measured
            out[v, span] = refined
        conventions.append(None if not shifts else ConventionShift(
            np.average([s.offsets for _, s in shifts], axis=0, weights=[n for n, _ in shifts]),
            any(s.far for _, s in shifts)))
    return RefinedTracks(out, filled, long, never, conventions, axes, sizes)
