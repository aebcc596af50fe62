"""Refining one person's poses in their own joint layout: directly with a filter or a network of that
layout, else through the network's layout (:func:`refine_track`), each joint given back in the poses'."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from synsp.config import model_space_layout
from synsp.estimator_errors.edge_values import beyond_edges
from synsp.estimator_errors.measurements import measurements
from synsp.inference import half_pace, noise_only, planted_feet
from synsp.inference.alternation import without_alternation
from synsp.inference.clean import input_noise
from synsp.inference.joint_corrections import RIGID_TRUNK_COORDS, detached_joints, shared_joints
from synsp.inference.low_rate import looks_for_jumps
from synsp.inference.white_noise import rounding_variance
from synsp.memo import memo_scope
from synsp.model import NETWORKS
from synsp.motion_pace import pace_groups
from synsp.refining.bursts import calm_beside_bursts
from synsp.refining.converted_layout import model_lacking, refine_converted
from synsp.refining.input_layout import input_layout, model_layout
from synsp.refining.methods import (
    check_options,
    layout_checkpoint,
    method_function,
    network_model,
    refiner_options,
    smoothnet_options,
    too_short,
)
from synsp.refining.no_layout import refine_no_layout
from synsp.refining.segment_values import filter_values, segment_filled
from synsp.refining.still_gaps import still_gaps
from synsp.sequence import missing_mask
from synsp.skeleton import can_convert, convert, get_layout, reorders

__all__ = ["RIGID_TRUNK_COORDS", "group_model", "layout_checkpoint", "layout_model", "nearer_if_noise_only",
           "refine_person", "refine_track"]  # RIGID_TRUNK_COORDS, layout_checkpoint: read from here too

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner


def refine_person(x: np.ndarray, method: str, layout: str | None, options: dict, *, nearer: bool = True,
                  segments: bool = True) -> np.ndarray:
    """Refine poses (T, J, C) or (V, T, J, C) that hold one person (or the views of one moment):
    no score channel, NaN for missing joints, options checked. What :func:`~synsp.refining.arrays.refine` does once it
    has read its input and cut it where the estimator switched people, and what
    :func:`refine_track` runs on a file's track, cut already. A filter given the layout sees the
    gaps filled along its bones (:func:`synsp.estimator_errors.measurements.measurements`, no
    error undone), as the networks do; without one, each coordinate filled on its own. Fewer than
    :data:`~synsp.refining.methods.MIN_FRAMES` frames come back as they came, gaps filled. ``nearer``: SynSP's
    route takes :func:`nearer_if_noise_only` (False: the caller's route takes it, once). ``segments``: SmoothNet's
    route measures the poses in their layout and fills the gaps of joints beyond the model's from their segment
    (:mod:`synsp.refining.segment_values`; False: the caller measured and filled them already, SynSP's converted
    route, so they are taken as they are: a second measurement of them was CPU for no change). SynSP's (T, J, C) input
    with bursts of noise and no gap has its calm frames refined apart from them (:mod:`synsp.refining.bursts`)."""
    with memo_scope():  # steps asked twice for the same values are run once (synsp.memo)
        return _refine_person(x, method, layout, options, nearer=nearer, segments=segments)


def _refine_person(x: np.ndarray, method: str, layout: str | None, options: dict, *, nearer: bool,
                   segments: bool) -> np.ndarray:
    """:func:`refine_person` inside its memo scope."""
    if layout is not None:  # a wrong name or joint count fails for every method, not only the networks
        input_layout(x, None, layout, "poses", None, flag="layout")
    kept = too_short(x)  # 2 frames: no telling noise from motion
    if kept is not None:
        return kept
    if method == "synsp" and nearer and not options.get("network_only"):
        # bursts of noise: the calm frames refined apart from them (synsp.refining.bursts; not within its own runs)
        apart = calm_beside_bursts(x, lambda v, m: refine_person(v, method, layout, {**options, "missing": m}),
                                   options.get("missing"), lambda v: _undone(v, layout, options.get("fps")))
        if apart is not None:
            return apart
    if method in NETWORKS:
        model = network_model(method, x.shape[-1], options.get("checkpoint"), options.get("device"),
                              options.get("network_only", False))
        name = input_layout(x, None, layout, "poses", model.layout.name, flag="layout")
        out = _in_layout(x, method, model, name, options, nearer, segments)
        if method == "synsp" and name is not None and not options.get("network_only"):  # still legs hidden a while
            out = still_gaps(out, missing_mask(x, options.get("missing")), get_layout(name), options.get("fps"))
        return beyond_edges(out, x)  # a joint the estimator wrote on the picture's edge is on or beyond it
    if layout is not None and not np.isfinite(x).all():  # gaps along the bones, as every network route fills them
        x = filter_values(x, layout)
    return method_function(method)(x, **options)


def _undone(x: np.ndarray, layout: str | None, fps: float | None) -> np.ndarray:
    """``x`` (T, J, C) in ``layout`` (None: unknown) with the estimator's errors SynSP's route undoes undone
    (glitches, left/right exchanges, whole-body jumps), where :mod:`synsp.refining.bursts` reads the noise."""
    return measurements(x, None if layout is None else get_layout(layout), jumps=looks_for_jumps(fps)).values


def _feet_held(out: np.ndarray, x: np.ndarray, method: str, model: Refiner, name: str | None,
               options: dict, beyond: str | None = None) -> np.ndarray:
    """SynSP's 3D output ``out`` (T, J, 3) or (V, T, J, 3) of ``x`` (in layout ``name``, refined by ``model``
    just before) with its planted feet held (:func:`~synsp.inference.planted_feet.hold_planted`; ``beyond``: only
    those the model's layout ``beyond`` does not share, toes, heels); as it is for other methods, 2D, ``network_only``,
    ``floor`` False or 0 (the network's whole correction, asked for), root-relative ``x``, and where SynSP's Refiner
    gave its output to the fallback (no body it knows, too much never seen): SmoothNet's, which holds nothing."""
    if method != "synsp" or out.shape[-1] != 3 or options.get("network_only") or not planted_feet.HOLD \
            or (options.get("floor") is not None and not options.get("floor")):
        return out
    if model.unlike_body or model.gave_way:  # what the refinement just before read of this input
        return out
    if name is None or any(planted_feet.root_relative(v, name, options.get("fps"))
                           for v in (x if x.ndim == 4 else x[None])):
        return out
    views = out if out.ndim == 4 else out[None]
    held = np.stack([planted_feet.hold_planted(v, name, options.get("fps"))[0] for v in views])
    if beyond is not None:  # each foot joint is held on its own: the shared ones' are left as they came
        shared = [j for j, _ in shared_joints(name, beyond)]
        held[..., shared, :] = views[..., shared, :]
    return held if out.ndim == 4 else held[0]


def _in_layout(x: np.ndarray, method: str, model: Refiner, name: str | None, options: dict, nearer: bool,
               segments: bool = True) -> np.ndarray:
    """Refine ``x`` (T, J, C) or (V, T, J, C) in layout ``name`` (as told from ``x`` by :func:`input_layout`;
    None: none fits) with the network ``method``'s ``model`` (:func:`network_model`). SmoothNet sees every
    coordinate alone, so any layout is its own; SynSP's, its feet held (:func:`_feet_held`), in its network's layout
    or another order of it; any other layout view by view, as a file's tracks are (:func:`refine_track`)."""
    run = method_function(method)
    if name == model.layout.name or reorders(name, model.layout.name):  # the Refiner finds its own layout's glitches
        def route(v: np.ndarray, **rate) -> np.ndarray:  # in another order: MPI-INF-3DHP's; ``rate``: fps= to refine at
            if name == model.layout.name:
                return run(v, **{**options, **rate})
            return convert(run(convert(v, name, model.layout.name), **{**options, **rate}), model.layout.name, name)
        out = nearer_if_noise_only(x, route, method, name, model.layout.name, options) if nearer else route(x)
        return _feet_held(out, x, method, model, name, options)
    if model.network.per_coordinate:  # SmoothNet sees no joints: their glitches and inversions are read here
        if segments:  # else measured and filled by the caller already (SynSP's converted route)
            measured = measurements(x, None if name is None else get_layout(name))
            values = measured.values
            if name is not None and not options.get("network_only"):  # feet, hands, face: as SynSP's route
                values = segment_filled(values, measured.gaps, name, model_space_layout(x.shape[-1]))
        else:
            values = x
        network_options = refiner_options(options)
        groups = pace_groups(name) if name is not None else None  # hands, face, mouth: each at its own pace
        detached = detached_joints(values, name) if name is not None else []
        if not detached:
            return model.refine(values, other_layout=True, groups=groups, **network_options)
        # a ground root: its own path smoothed (first: the body's call leaves the pace the summary reads);
        # about the body's centroid it would move with the body's whole path, and count in its size
        out = np.empty_like(values)
        out[..., detached, :] = model.refine(values[..., detached, :], other_layout=True, **network_options)
        body = [j for j in range(values.shape[-2]) if j not in detached]
        at = {j: i for i, j in enumerate(body)}
        groups = {g: np.array([at[j] for j in js if j in at], int) for g, js in (groups or {}).items()}
        out[..., body, :] = model.refine(values[..., body, :], other_layout=True,
                                         groups={g: js for g, js in groups.items() if len(js)} or None,
                                         **network_options)
        return out
    if x.ndim == 3:
        return refine_track(x, name, method, **options)
    return np.stack([refine_track(view, name, method, **options) for view in x])


def nearer_if_noise_only(x: np.ndarray, route: Callable[[np.ndarray], np.ndarray], method: str, layout: str,
                         target: str, options: dict, others: tuple[object, ...] = ()) -> np.ndarray:
    """``route(x)``, SynSP's route for poses ``x`` (T, J, C) or (V, T, J, C) in ``layout``, NaN for missing
    joints; where their errors read as light noise only (:func:`~synsp.inference.noise_only.noise_only_share`,
    read in the model's layout ``target``, as its ramps were chosen), each joint the nearer of it and a low-pass
    (:func:`~synsp.inference.noise_only.nearer_of`), both read against the values with the estimator's errors
    undone (:func:`~synsp.estimator_errors.measurements.measurements`). The route runs with a second look at half
    the rate where the pace missed fast motion (:func:`~synsp.inference.half_pace.at_half_pace_if_nearer`; ``route``
    takes ``fps=`` for it; what the SynSP model and ``others``, the other Refiners it runs, record is put back to the
    kept run's). ``route(x)`` itself for other methods,
    ``network_only``, a floor step's strength asked for (``floor`` False or a number: the correction as asked), a
    model that keeps its whole correction on nearly clean input (``keep_clean`` False) and spaces not in
    :data:`~synsp.inference.noise_only.SPACES`. The model :func:`refine_track` runs records ``noise_only``:
    (the share, (..., J) bool joints moved) where the step moved any, else None."""
    if method != "synsp":
        return route(x)
    model = layout_model(method, x.shape[-1], layout, options)
    model.noise_only = None
    floor = options.get("floor")  # a strength asked for (or the whole correction): the network's output as asked
    if options.get("network_only") or not model.keep_clean or (floor is not None and floor is not True) or (
            "3d" if x.shape[-1] == 3 else "2d") not in noise_only.SPACES:
        return route(x)
    # against the values with the estimator's errors undone, as the route reads them: a left/right exchange it
    # undoes is no pull of its own (to the risk, a correction far beyond white noise)
    seen = measurements(x, get_layout(layout), jumps=looks_for_jumps(options.get("fps")))
    measured = segment_filled(seen.values, seen.gaps, layout, target)  # as the route fills them
    measured = without_alternation(measured)[0]  # a body alternating between two boxes: out, as the Refiner takes it
    read = measured if layout == target else convert(measured, layout, target)
    noise = input_noise(measured) if layout == target else None  # the same values' noise: read once for both
    # the grid of the values as given (a conversion's midpoints and the filled gaps lie off it)
    share = noise_only.noise_only_share(read, target, fps=options.get("fps"), noise=noise,
                                        rounding=rounding_variance(x))
    halved: list[float] = []  # the half rate, where a look at it was kept (half_pace)

    def paced(v: np.ndarray) -> np.ndarray:  # fast motion the pace missed: kept at half the rate where far nearer
        out, chosen, half = half_pace.at_half_pace_if_nearer(route, v, measured, options.get("fps"), model.covered_fps,
                                                             lambda: half_pace.recorded(model, *others), seen.gaps)
        if chosen.any():
            halved.append(half)
        return out
    out, moved = noise_only.nearer_of(x, paced, share, measured=measured, noise=noise)
    if halved and model.paced_fps is None:  # the summary's pace note: the rate the kept output was refined at
        model.paced_fps = halved[-1]
    if moved.any():  # after the route's runs, which are the model's last
        model.noise_only = (float(np.max(share)), moved)
    return out


def layout_model(method: str, n_coords: int, layout: str | None, options: dict):
    """The :class:`~synsp.inference.refiner.Refiner` that :func:`refine_track` runs for network ``method`` on poses
    of ``n_coords`` coordinates in ``layout`` (:func:`layout_checkpoint`'s model, on ``options``' device, the bare
    network when ``network_only``): cached, so its callers read what its last refinement recorded."""
    checkpoint = layout_checkpoint(method, n_coords, layout, options.get("checkpoint"))
    return network_model(method, n_coords, checkpoint, options.get("device"), options.get("network_only", False))


def refine_track(poses: np.ndarray, layout: str | None, method: str, *, missing: np.ndarray | None = None,
                 lacking: np.ndarray | None = None, **options) -> np.ndarray:
    """Refine one person's track (T, J, C) in ``layout``; returns (T, J, C) like ``poses``.

    ``poses`` holds one person (a span of :func:`synsp.estimator_errors.track_switches.track_segments`, as
    :func:`synsp.refining.tracks.refine_tracks` cuts a file's track), NaN for missing joints and no
    score channel; :func:`~synsp.refining.arrays.refine` reads any array down to that.

    Filters and SmoothNet (which refines every coordinate on its own) run on any joint set;
    ``layout`` may be None for them. SynSP runs directly when ``layout`` is its own; for
    another layout it sees the poses converted to its layout, and:

    - joints the conversion keeps as they are (same name, e.g. COCO's 17 in Halpe-26) take
      SynSP's output;
    - every other joint (feet, hands, face, a head top) is refined by SmoothNet and moved with the SynSP
      correction of the model joint nearest to it (the mean over near ties,
      :func:`~synsp.inference.joint_corrections.nearest_joints`), both read from one SmoothNet run of these joints
      and the model's, so that hands stay on wrists and feet on ankles
      (:func:`~synsp.refining.methods.smoothnet_alone`), scaled down where the joint is less noisy than that model
      joint (:func:`~synsp.inference.joint_corrections.noise_ratio`: a head top less noisy than the nose); but the
      hands', face's and mouth's points of
      a whole-body layout (:func:`synsp.motion_pace.pace_groups`) are SmoothNet's, each group at its own pace:
      the nearest model joint of a raised hand's fingertips can be the shoulder, and fingerspelling moves
      faster than the body; MediaPipe Holistic's face and hands (:data:`synsp.skeleton.BLOCKS`) are
      SmoothNet's too: their own models found them, in crops of their own, so the pose's errors are not theirs
      (this route: :mod:`synsp.refining.converted_layout`);
    - 2D poses whose conversion makes COCO's face up (H36M-17, MPII-16, LSP-14: no face) are refined
      by the model trained with such faces (:func:`~synsp.inference.checkpoint.shipped_model_for`)
      unless ``checkpoint=`` names one;
    - the floor step (:mod:`synsp.inference.floor`) runs at ``SHRINK_CONVERTED``'s strength
      unless ``floor=`` gives one (or False): a converted skeleton is further from what the
      model learnt;
    - in 3D, a trunk point the conversion does not use (BODY-25's neck and mid-hip, Halpe-26's
      neck and hip: the model's thorax and pelvis are made from the shoulders and hips) is kept at its
      clip's median offset, in the trunk's frame, from the refined model joints nearest to it
      (:func:`~synsp.inference.joint_corrections.rigid_on_trunk`; limited to its noise where the input is nearly clean,
      :func:`~synsp.inference.clean.keep_to_noise`): their correction undoes the hips' and
      shoulders' noise, not its own; in 2D a neck at its clip's mean offset from the refined shoulders
      (:func:`~synsp.inference.joint_corrections.necks_on_shoulders`, limited alike);
    - a gap of a joint beyond the model's in a foot, a hand or the face is filled from the measured points of its
      segment (:mod:`synsp.estimator_errors.segment_fill`: turned with them, not along a straight line), for the
      network and for the light-noise step alike;
    - a point no bone joins to the body that keeps still while the body moves (Bandai-22's
      joint_Root, the world's origin: :func:`~synsp.inference.joint_corrections.detached_joints`)
      is SmoothNet's, refined on its own (its path smoothed), with no model joint's correction;
    - a layout that cannot be converted (unknown joints: a lab's own markers, an animal's body parts) is
      refined by SmoothNet, or joint by joint by a low-pass where the input's own noise shows it nearer
      (:mod:`synsp.inference.risk_choice`: white noise of a few mm, as markers have, which SmoothNet hardly removes);
    - where the input's noise reads white (:func:`~synsp.inference.risk_choice.lowpass_where_white`), every
      joint but those SynSP gives takes the low-pass of least estimated risk instead of the above (a Pose2Sim
      C3D's feet with 3 mm at 100 Hz: SmoothNet plus the ankle's correction left them worse than their input).

    SynSP's input with bursts of noise and no gap has its calm frames refined apart from them
    (:mod:`synsp.refining.bursts`), as :func:`refine_person` does.

    ``missing`` (T, J) bool marks the values that were not measured where ``poses`` holds them
    filled already (:func:`synsp.refining.tracks.refine_tracks`): with the NaN, it tells SynSP's
    Refiner which of its joints were never seen (:meth:`~synsp.inference.refiner.Refiner.gives_way`).
    ``lacking`` (J,) bool marks the joints of ``layout`` the input does not have at all (a file's
    marker set without them: Pose2Sim's 22 HALPE_26 markers have no eyes or ears): the model joints
    made of them are not counted as never seen there, as no body part is out of the picture.
    """
    check_options(method_function(method), method, options)
    if method == "synsp" and not options.get("network_only"):
        # bursts of noise: the calm frames refined apart from them (synsp.refining.bursts; not within its own runs)
        apart = calm_beside_bursts(poses, lambda v, m: refine_track(v, layout, method, missing=m, lacking=lacking,
                                                                    **options), missing,
                                   lambda v: _undone(v, layout, options.get("fps")))
        if apart is not None:
            return apart
    kept = too_short(poses)  # 2 frames: as they came (:data:`synsp.refining.methods.MIN_FRAMES`)
    if kept is not None:
        return kept
    if method not in NETWORKS:
        return refine_person(poses, method, None, options)
    target = model_layout(poses.shape[-1], options.get("checkpoint"), options.get("device"))
    missing = missing_mask(poses, missing)
    if layout == target or reorders(layout, target):  # lacking in the order missing is in: the share counts alike
        return refine_person(poses, method, layout, {**options, "missing": missing,
                                                     **model_lacking(lacking, layout, layout, method)})
    smoothnet = smoothnet_options(options, method)
    if method == "smoothnet" or layout is None or not can_convert(layout, target, poses.shape[-1]):
        if method == "smoothnet" or options.get("network_only"):
            return refine_person(poses, "smoothnet", None, smoothnet)
        # joints no model knows: SmoothNet, or a low-pass where their noise shows it nearer; gaps from rigid partners
        return refine_no_layout(poses, missing, lambda v, fps: refine_person(v, "smoothnet", None, {**smoothnet,
                                                                                                  "fps": fps}),
                                smoothnet)
    # In the user's joints: the Refiner sees the model's only, and hands would stay on the other wrist.
    def route(values: np.ndarray, **rate) -> np.ndarray:  # ``rate``: fps= to refine at (a second look at half the pace)
        return refine_converted(values, layout, method, target, missing, lacking, {**smoothnet, **rate},
                                {**options, **rate}, refine_person)
    # SmoothNet's Refiner records the pace groups' rates (group_fps) the track's summary reads
    out = nearer_if_noise_only(poses, route, method, layout, target, options,
                               (group_model(method, poses.shape[-1], options),))
    # the model's feet were held in its layout (refine_person); the layout's own (toes, heels) here, once
    return _feet_held(out, poses, method, layout_model(method, poses.shape[-1], layout, options), layout, options,
                      beyond=target)


def group_model(method: str, n_coords: int, options: dict):
    """The SmoothNet :class:`~synsp.inference.refiner.Refiner` that :func:`refine_track` runs for
    network ``method`` on poses of ``n_coords`` coordinates: the one that refines pace groups
    (hands, face) and records their rates (``group_fps``) after each track."""
    checkpoint = smoothnet_options(options, method)["checkpoint"]
    return network_model("smoothnet", n_coords, checkpoint, options.get("device"), options.get("network_only", False))
