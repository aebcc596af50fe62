"""``refine(poses, method)``: every refinement method behind one call shape, in the poses' own joint layout.

``METHODS`` is a plain dict from name to a function ``f(poses, **options) -> poses`` taking (T, J, C) or (V, T, J, C)
arrays and returning the same shape and dtype. A network that sees the joints together (SynSP) refines its own layout;
poses in another one are told (:func:`input_layout`), converted to it, refined and given back in theirs
(:func:`refine_track`). The parts live in :mod:`~synsp.refining.methods` (the table),
:mod:`~synsp.refining.input_layout`, :mod:`~synsp.refining.person` and :mod:`~synsp.inference.joint_corrections`;
every name is importable from here.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from synsp.channels import (
    POSE_LANDMARKS,
    constant_channel,
    depth_entry,
    entry_readings,
    fourth_channel_error,
    landmarks_with_z,
    normalised_image,
    score_scale,
    tracks_third_channel,
    untold_channel,
)
from synsp.errors import MissingDataError, OptionError, ShapeError, SpaceError
from synsp.estimator_errors.track_switches import track_segments, whole_track
from synsp.inference.joint_corrections import (
    NEAR_TIE,
    in_trunk_frame,
    loose_trunk_points,
    nearest_joints,
    noise_ratio,
    on_trunk,
    shared_joints,
    trunk_anchors,
)
from synsp.inference.position_spin import without_spin
from synsp.lockstep import own, short_in_lockstep
from synsp.model import NETWORKS
from synsp.refining.copied_joints import refine_without_copies
from synsp.refining.dropped_frames import dropped_after, refine_entries_with_drops
from synsp.refining.image_size import from_pixels, image_sides, to_pixels
from synsp.refining.input_layout import TWENTY_TWO, input_layout, layout_name, model_layout
from synsp.refining.methods import (
    METHODS,
    MIN_FRAMES,
    cached_model,
    check_options,
    checkpoint_network,
    method_function,
    network_model,
)
from synsp.refining.person import RIGID_TRUNK_COORDS, group_model, layout_model, refine_person, refine_track
from synsp.refining.stretches import along_stretches
from synsp.refining.strided import between, network_stride, off_grid, on_detections, repeated_frames
from synsp.score_levels import measured_by_score
from synsp.sequence import (
    ABSURD,
    MIN_SCORE,
    body_size,
    fixed_at_origin,
    left_missing,
    max_gap_frames,
    missing_mask,
    not_found,
)
from synsp.skeleton import BLOCKS, LAYOUTS, depth_beside, guessed_layout, missing_blocks
from synsp.skeleton.joint_order import SEVENTEEN
from synsp.stack_axes import check_stack_axes

__all__ = ["METHODS", "MIN_FRAMES", "NEAR_TIE", "RIGID_TRUNK_COORDS", "SEVENTEEN", "TWENTY_TWO", "cached_model",
           "checkpoint_network", "group_model", "guessed_layout", "in_trunk_frame", "input_layout", "layout_model",
           "layout_name", "loose_trunk_points", "method_function", "model_layout", "nearest_joints", "network_model",
           "noise_ratio", "on_trunk", "refine", "refine_track", "shared_joints", "trunk_anchors", "views_together"]


def refine(poses: np.ndarray, method: str | None = None, *, max_gap: int | str | None = None, layout: str | None = None,
           image_size: tuple[float, float] | None = None, space: str | None = None, **options) -> np.ndarray:
    """Refine a pose sequence.

    Parameters
    ----------
    poses : (T, J, C) or (V, T, J, C) array; C = 3 (millimetres) or 2 (pixels). A 4-D array of 16 or more views or
        persons and at least 4 times as many of them as frames is refused (``ShapeError``): it is most likely (T, P, J,
        C), frames first, to be passed transposed (:func:`synsp.errors.check_frames_first`); so is one whose frames jump
        a body's width while smooth read the other way (:func:`synsp.stack_axes`). NaN marks missing joints, and so do
        inf and absurd values (beyond ``synsp.sequence.ABSURD``, as ``synsp refine`` reads a file's) and a point exactly
        at the origin while the body is elsewhere (estimators' "not found", :func:`synsp.sequence.not_found`); they are
        filled. Poses at 0 everywhere hold nobody: ``MissingDataError``, as for poses NaN everywhere. A torch tensor is
        read as its values (detached, on the CPU); the result is a NumPy array. A score per joint may come last, as
        estimators write it: x, y in pixels plus a score (C = 3, told from the values by
        :func:`synsp.channels.third_channel`, as ``synsp refine`` tells it) or x, y, z plus a score (C = 4); joints
        scored below ``MIN_SCORE`` (0.3) are then missing (one scored below it in most frames: its dips below half its
        own level, :mod:`synsp.score_levels`), and the scores come back unchanged (so do the positions of a joint seen
        only below that score, which the refinement leaves missing). A third channel the values cannot tell (``space=``
        decides) is a ``SpaceError``; in a (V, T, J, 3) array it is told per entry, each as if passed alone, and entries
        read differently are one too. MediaPipe Holistic's 543 points (``layout`` None or
        ``"holistic543"``/``"holistic543_kaggle"``) with C = 3 are x, y and MediaPipe's z: x, y are refined in 2D and z
        given back as it came; a block (the face, a hand) missing whole in a frame stays missing.
    method : one of ``METHODS``: "synsp" (default), "smoothnet", "one-euro", "savgol", "gaussian", "butterworth",
        "median", "hampel", "identity" (see :mod:`synsp.filters`); None with ``checkpoint=``: that checkpoint's
        network, as ``synsp refine`` takes it.
    max_gap : gaps longer than this many frames stay NaN in the output (or seconds, ``"0.5s"``, with ``fps=``); by
        default every gap is filled.
    layout : the joint layout of ``poses`` (a name of :data:`synsp.skeleton.LAYOUTS` or its Layout, e.g.
        ``"halpe26"``, ``"body25"``, ``"mediapipe33"``); None = told as ``synsp refine`` tells a file's: by the
        joint count, and for 17 joints by the poses (COCO's or H36M's order). SynSP refines another layout through
        its own and gives the poses back in theirs (:func:`refine_track`); filters and SmoothNet take any joint set.
        For the networks, a joint that copies another in every frame where both are seen (a pelvis written twice, as
        "root" and "pelvis") is left out of that telling and of the refinement, and given back as its refined
        original (:mod:`synsp.refining.copied_joints`).
    image_size : (width, height) of the image in pixels, when x, y are normalised by its sides (x / width, y /
        height, as MediaPipe's image landmarks): they are refined in pixels and given back normalised
        (:mod:`synsp.refining.image_size`). A third channel is then a score or MediaPipe's z (given back as it
        came), never a coordinate.
    space : what the last channel of C = 3 poses is, when the values should not decide: ``"2d"``, x, y in pixels
        plus a score (given back unchanged), or ``"3d"``, x, y, z (for C = 4, x, y, z plus a score: "3d" or None).
        None (default): told from the values (:func:`synsp.channels.third_channel`), as ``synsp refine``'s
        ``--space`` is.
    **options : passed to the method (e.g. ``checkpoint=``, ``device=`` for networks, ``fps=`` for every method
        (used by One-Euro, Butterworth, Savitzky-Golay's default window and the networks, ignored by the filters
        counted in frames), ``window=`` for Savitzky-Golay, ``keep_convention=`` for SynSP: how it keeps the input's
        joint definitions, "symmetric" by default, see :attr:`synsp.inference.refiner.Refiner.keep_convention`);
        ``floor=False`` keeps the network's whole correction (:mod:`synsp.inference.floor`), a number sets that
        step's strength; ``lowpass_hz=`` sets the cut-off of SynSP's last low-pass (6 Hz by default, none under 15
        fps for motion fast for the rate: :mod:`synsp.inference.low_rate`; 0: none); ``network_only=True`` runs the
        bare network, every step around it off, its windows merged by SWAA's plain mean at stride 1
        (``synsp.load_model(..., network_only=True)``).

    Returns
    -------
    The refined sequence, same shape as ``poses``; floats keep their dtype (float16 is computed in float32 and given
    back in float16), integers come back as float32. A joint never seen in a sequence stays NaN: nothing says where
    it is (the networks saw a stand-in, :mod:`synsp.estimator_errors.measurements`). A sequence in which the
    estimator switched people (the body moved by more than half its size between two detections, or stepped off its
    path as no body does and stayed off it: :func:`synsp.estimator_errors.track_switches.track_segments`) is refined
    person by person, as ``synsp refine`` cuts a file's track, each over its own frames (the layout told once from
    every frame, as a file's); the frames between them, those before a track's first detection or after its last,
    and every frame in which it has no joint detected (nobody there, or the person hidden) stay NaN: the refinement
    bridges such frames for context but does not give them; when such frames come at a regular stride (a detector
    run on every 2nd to 4th frame), the networks refine the detected frames alone at fps / k
    (:mod:`synsp.refining.strided`). A track whose moving body steps over two frames at once (a frame dropped from
    poses with no times) is refined with a gap there, taken out after (:mod:`synsp.refining.dropped_frames`); each
    entry of (V, T, J, C) at its own drops (``synsp refine`` puts a drop back in each track of a file: one clock),
    views refined together (below) never. In a (V, T, J, C) array, every entry is refined as if passed alone (its
    own pace, body size and axes), unless the network was trained on several views of one person
    (``synsp-h36m17-mv``, :func:`views_together`) and no view switched people: those views are refined together.
    A 3D body spinning fast about the vertical: its spin taken out, put back (:mod:`synsp.inference.position_spin`).

    Examples
    --------
    >>> import numpy as np, synsp
    >>> noisy = np.random.default_rng(0).normal(size=(50, 17, 3)).astype(np.float32)
    >>> synsp.refine(noisy, "savgol").shape
    (50, 17, 3)
    """
    if method is None:  # the checkpoint says which network it is, else the default
        checkpoint = options.get("checkpoint")
        method = "synsp" if checkpoint is None else checkpoint_network(checkpoint, options.get("device"))
    run = method_function(method)
    if "fps" in options and options["fps"] is None:  # no rate given, as the networks read None; the filters' default
        del options["fps"]
    drops = options.pop("_drops", True)  # False: refine()'s own call on frames put back at drops, read once
    check_options(run, method, options)
    layout = layout_name(layout)
    if hasattr(poses, "detach") and hasattr(poses, "cpu"):  # a torch tensor: its values (no grad, on the CPU)
        poses = poses.detach().cpu()
        poses = poses.float() if str(poses.dtype) == "torch.bfloat16" else poses  # NumPy has no bfloat16
    x = np.asarray(poses)
    if x.ndim not in (3, 4) or x.shape[-1] not in (2, 3, 4) or 0 in x.shape:
        table = " (a table: synsp.integrations.pandas.refine_dataframe takes it)" if hasattr(poses, "columns") else ""
        raise ShapeError(f"poses must be (T, J, C) or (V, T, J, C) with C = 2 or 3 (4: x, y, z and a score), "
                         f"got shape {x.shape}{table}")
    if x.dtype == object or np.iscomplexobj(x) or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise ShapeError(f"poses must be real numbers, got dtype {x.dtype} shape {x.shape}")
    check_stack_axes(x, "poses", "pass poses.transpose(1, 0, 2, 3)")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    _check_space(space, x.shape, image_size)
    if image_size is not None:
        return _in_pixels(x, image_sides(image_size), space, lambda p, s: refine(p, method, max_gap=max_gap,
                                                                                  layout=layout, space=s, **options))
    if x.dtype.itemsize < 4:  # float16: squared distances of pixel poses overflow it; computed in float32
        return refine(x.astype(np.float32), method, max_gap=max_gap, layout=layout, space=space,
                      **options).astype(x.dtype)
    with np.errstate(invalid="ignore"):
        absurd = ~(np.abs(x) <= ABSURD) & ~np.isnan(x)
    if absurd.any():  # inf and absurd values are missing, as synsp refine reads a file's: NaN from here on
        x = np.where(absurd, np.nan, x).astype(x.dtype, copy=False)
    holistic = x.shape[-2] == len(LAYOUTS["holistic543"].joints) and layout in (None, *BLOCKS)
    pose = layout in (None, "mediapipe33") and landmarks_with_z(x)  # MediaPipe Pose's image landmarks and z
    if (holistic or pose) and x.shape[-1] == 3 and space is None:  # MediaPipe's x, y, z: x, y in 2D, z given back
        out = refine(x[..., :2], method, max_gap=max_gap, layout=layout, **options)
        return depth_beside(out, x[..., 2])
    score, constant = _score_channel(x, space)
    if method == "synsp" and (score or x.shape[-1]) == 2 and not holistic and x.shape[-2] != POSE_LANDMARKS \
            and body_size(x[..., :2]) >= NORMALISED_BODY:
        # x, y alone, as the third channel's case above: MediaPipe's own landmarks (33, 543) are refined as they come
        _refuse_normalised(x, "", " (SynSP's body model needs x and y in one unit, which an image not square does "
                                  "not give), or another method (smoothnet, savgol, ...)")
    if score is not None:  # refined without it; low scores are missing joints; given back unchanged
        # an entry with a constant channel (a fixed score, a padded z) has no joint missing by it, nor one whose
        # scale is not told (0-10); percent is compared as a share (synsp.channels.score_scale)
        scale, at = score_scale(x[..., score]), np.isfinite(x[..., :score]).all(-1)  # a steady low joint: measured
        rated = constant | (scale is None) | measured_by_score(x[..., score] / (scale or 1.0), MIN_SCORE, at)[..., None]
        seen = np.where(rated, x[..., :score], np.nan)
        out = refine(seen, method, max_gap=max_gap, layout=layout, **options)
        unrefined = ~np.isfinite(out).all(-1) & np.isfinite(x[..., :score]).all(-1) & ~not_found(x[..., :score])
        out = np.where(unrefined[..., None], x[..., :score], out)  # only seen below MIN_SCORE: given back as it was
        return np.concatenate([out, x[..., score:]], axis=-1).astype(x.dtype, copy=False)
    zeros = not_found(x)
    fixed = fixed_at_origin(x, zeros)
    if zeros.any():  # (0, 0), (-1, -1), (9999, 9999), ... written for a joint not found: missing, like NaN
        x = np.where(zeros[..., None], np.nan, x).astype(x.dtype, copy=False)
    if not np.isfinite(x).all(-1).any():
        if zeros.any():
            raise MissingDataError(f"poses: every joint is missing or exactly 0 in every frame of the {x.shape[-3]} "
                                   "(estimators write 0 for a joint not found): nothing to refine")
        raise MissingDataError(f"poses: no joint has finite coordinates in any of the {x.shape[-3]} frames; "
                               "nothing to refine")
    gap = max_gap_frames(max_gap, options.get("fps"))  # a bad limit fails before the work
    detected, stride = network_stride(x, method)  # the filters: bridged (strided module)
    if stride > 1:  # a detector run on every k-th frame: its frames refined alone at fps/k, as synsp refine does
        grid, steps, fps, grid_gap = on_detections(x, detected, stride, options.get("fps"), gap)
        out = off_grid(refine(grid, method, max_gap=grid_gap, layout=layout, space=space, **{**options, "fps": fps}),
                       detected, steps, -3)
        out = between(out, repeated_frames(x, detected), -3)  # held between the detections: given, as they came
        return np.where(fixed[..., None, :, None], 0, out).astype(out.dtype, copy=False)  # a fixed point: as it came
    if method in NETWORKS:  # told (or checked) once from every frame, as a file's: a short span shows little
        read = partial(input_layout, declared=None, where="poses", fit_given=True, flag="layout",
                       guess=model_layout(x.shape[-1], options.get("checkpoint"), options.get("device")))
        if not layout and (copied := refine_without_copies(x, partial(read, given=None), partial(
                refine, method=method, max_gap=max_gap, space=space, _drops=drops, **options))) is not None:
            return np.where(fixed[..., None, :, None], 0, copied[0]).astype(x.dtype, copy=False)  # copies: copied back
        layout = read(x, given=layout)
        if not options.get("network_only") and (spun := without_spin(x, layout, options.get("fps"), partial(
                refine, method=method, max_gap=max_gap, layout=layout, space=space, _drops=drops, **options))):
            return np.where(fixed[..., None, :, None], 0, spun[0]).astype(x.dtype, copy=False)  # a spin put back
    tracks = x.reshape((-1,) + x.shape[-3:])  # (V, T, J, C); V = 1 for a (T, J, C) track
    # each entry's own drops: the array's entries may be unrelated clips (a file's tracks share one clock: the CLI)
    after = [dropped_after(track) for track in tracks] if drops else []
    if any(map(len, after)) and (x.ndim == 3 or not views_together(method, x.shape[-1], options)):
        # frames dropped from poses with no times: an entry's put back as gaps, it refined alone, they taken out
        alone = partial(refine, method=method, max_gap=max_gap, layout=layout, space=space, _drops=False, **options)
        out = refine_entries_with_drops(tracks, after, alone).reshape(x.shape)
        return np.where(fixed[..., None, :, None], 0, out).astype(out.dtype, copy=False)
    # the networks' routes undo the estimator's errors: a cut to another side of the body is cut there first
    pairs = LAYOUTS[layout].left_right if method in NETWORKS and layout in LAYOUTS and not options.get(
        "network_only") else ()
    # the routes that undo no error are cut where a few joints are thrown far too, which they would smear
    plain = method not in NETWORKS or bool(options.get("network_only"))
    cuts = [track_segments(track, pairs=pairs, thrown=plain) for track in tracks]
    together = x.ndim == 4 and views_together(method, x.shape[-1], options)
    # a long span: a stretch whose route differs from the span's takes its own output (refining.stretches), as a file's
    stretched = layout_model(method, x.shape[-1], layout, options) if method == "synsp" and not options.get(
        "network_only") else None
    if together and not any(len(spans) > 1 for spans in cuts) or x.ndim == 3 and whole_track(cuts[0], len(x)):
        out = along_stretches(x, lambda v: refine_person(v, method, layout, options), options.get("fps"), stretched)
    else:
        # persons (or views with the estimator switching people): each span refined as if passed alone, as
        # a file's tracks are; the frames before a track's first detection and after its last are no
        # context of it (the MediaPipe demo's world landmarks, NaN in frames 0-2: up to 0.1 m off the file's);
        # several persons' short spans in lockstep, their network windows batched across spans (synsp.lockstep)
        out = np.full(x.shape, np.nan, dtype=x.dtype)
        pieces = {(v, i): span for v, spans in enumerate(cuts) for i, span in enumerate(spans)}

        def person(key: tuple[int, int]) -> np.ndarray:  # in a lockstep job, the job's own copy of the model
            return along_stretches(tracks[key[0], pieces[key]], lambda u: refine_person(u, method, layout, options),
                                   options.get("fps"), own(stretched))

        ahead = short_in_lockstep({key: len(tracks[key[0], span]) for key, span in pieces.items()},
                                  person) if method in NETWORKS else {}
        for key, span in pieces.items():
            out.reshape(tracks.shape)[key[0], span] = ahead.pop(key) if key in ahead else person(key)
    missing = missing_mask(x)  # a frame with no joint detected (the person hidden) is bridged, never given
    # (V, T, J): frames outside every span of a track, and per span (a person) its too-long gaps and
    # the joints it never saw (as a file's tracks: the demo's elbow, never seen by its third person)
    unknown = np.ones(tracks.shape[:-1], dtype=bool)
    for v, spans in enumerate(cuts):
        for span in spans:
            unknown[v, span] = left_missing(missing.reshape(unknown.shape)[v, span], gap)
    unknown = unknown.reshape(missing.shape) | missing.all(-1)[..., None]
    if holistic:  # a block MediaPipe did not give (no hand seen) stays missing
        unknown |= missing_blocks(missing, layout or guessed_layout(x))
    if unknown.any():
        out = np.where(unknown[..., None], np.nan, out).astype(out.dtype, copy=False)
    return np.where(fixed[..., None, :, None], 0, out).astype(out.dtype, copy=False)  # a fixed point: as it came


def views_together(method: str, n_coords: int, options: dict) -> bool:
    """Whether :func:`refine` refines the V leading entries of (V, T, J, C) poses with ``n_coords`` coordinates
    together: only with a network trained on several views of one person (``config.data.views > 1``, e.g.
    ``synsp-h36m17-mv``), which shares one pace, one body frame and one window batch over them. Otherwise each entry
    is its own person (or sequence) and is refined as if passed alone, so that a person's result does not depend on
    who else is in the array."""
    if method not in NETWORKS:
        return False
    model = network_model(method, n_coords, options.get("checkpoint"), options.get("device"))
    return int(model.config.data.views) > 1


def _in_pixels(x: np.ndarray, sides: np.ndarray, space: str | None, run) -> np.ndarray:
    """``run`` (poses, space -> refined poses) on normalised image coordinates ``x`` (..., J, C), their x, y times
    the image's ``sides`` (2,); the result back in ``x``'s unit and dtype. A third channel is a score (``space``
    "2d", or read as one in pixels) or MediaPipe's z, given back."""
    if x.shape[-1] == 4:
        raise ShapeError(f"poses {x.shape}: image_size is for 2D x, y normalised by the image's sides; "
                         "a fourth channel (x, y, z and a score) is a 3D pose")
    pixels = to_pixels(x, sides, order=True)
    if x.shape[-1] == 3 and space is None and tracks_third_channel(pixels) not in ("confidence", "constant"):
        out = depth_beside(run(pixels[..., :2], None), x[..., 2])  # x, y and MediaPipe's z: z given back as it came
    else:  # told once here, for the whole array: the pixels' refinement does not ask again
        out = run(pixels, "2d" if x.shape[-1] == 3 else None)
    return from_pixels(out, sides, x).astype(x.dtype, copy=False)


# The smallest body (its box's largest side) read as normalised by an image's sides: a person 2 % of
# the picture. A smaller one within [0, 1] is pixels in a tiny unit (1e-5 px), refined as in a usual one.
NORMALISED_BODY = 0.02


def _refuse_normalised(x: np.ndarray, channel: str, instead: str) -> None:
    """A ``ShapeError`` when the x, y of poses ``x`` (..., J, C) read as image coordinates normalised by the image's
    sides (:func:`synsp.channels.normalised_image`), asking for ``image_size=``; ``channel`` says what the other
    channels were read as, ``instead`` what else the caller can do. Points at (0, 0), estimators' "not found"
    (:func:`synsp.sequence.not_found`), are no coordinates."""
    xy = x[..., :2]
    if normalised_image(np.where(not_found(xy)[..., None], np.nan, xy)):
        raise ShapeError(f"poses {x.shape}: x, y read as normalised image coordinates (0 to 1){channel}: pass "
                         f"image_size=(width, height) for image landmarks{instead}")


SPACES = ("2d", "3d")  # refine()'s space=: what a third channel is when the values should not decide


def _check_space(space: str | None, shape: tuple[int, ...], image_size) -> None:
    """Refuse a ``space`` that is none of :data:`SPACES` or contradicts poses of ``shape`` (..., C)."""
    if space is None:
        return
    if space not in SPACES:
        raise OptionError(f"space={space!r}: pass '2d' (x, y plus a score) or '3d' (x, y, z), or None to tell it "
                          "from the values")
    if space == "3d" and (shape[-1] == 2 or image_size is not None):
        raise SpaceError(f"space='3d', but the poses {shape} are x, y "
                         f"{'normalised by the image (image_size=)' if image_size is not None else 'only'}")
    if space == "2d" and shape[-1] == 4:
        raise SpaceError(f"space='2d', but the poses {shape} have 4 channels (x, y, z and a score)")


def _score_channel(x: np.ndarray, space: str | None = None) -> tuple[int | None, bool | np.ndarray]:
    """The index of the confidence channel of poses (..., J, C), and whether it holds one value everywhere (a fixed
    score or a padded z: no joint is missing by it): a bool, or for (V, T, J, 3) poses a (V, 1, 1, 1) array, per
    entry. 2 when (..., J, 3) reads as x, y in pixels plus a score or is constant
    (:func:`synsp.channels.third_channel`, each entry of (V, T, J, 3) as if passed alone) or ``space`` is "2d"; 3
    for (..., J, 4) (x, y, z plus a score); None for plain coordinates (``space`` "3d", or read as z). A fourth
    channel that is no score is a ShapeError, and so is a third one beside x, y that read as normalised image
    coordinates (a score or MediaPipe's z, or z of a skeleton in metres, not millimetres?); a third channel that
    cannot be told, or is told apart between entries, is a SpaceError naming ``space=``."""
    if x.shape[-1] == 4:
        why = fourth_channel_error(x)
        if why is not None:
            raise ShapeError(f"poses {x.shape}: {why}")
        return 3, constant_channel(x[..., 3])
    if x.shape[-1] != 3 or space == "3d":
        return None, False
    readings = entry_readings(x)  # each entry (person) as if passed alone, absent ones left out
    if space == "2d":  # taken as a score unless it is clearly a depth (a 3D pose passed as 2D: z read as scores)
        depth = depth_entry(x, readings)
        if depth is not None:
            v, why = depth
            raise SpaceError(f"space='2d', but the poses {x.shape}{f' (entry {v})' if x.ndim == 4 else ''}: {why}; "
                             "pass space='3d' for x, y, z, or x, y only")
        readings = {v: "confidence" for v in readings}
    if space is None and any(reading is None for reading in readings.values()):
        _refuse_normalised(x, ", and the third channel as a score or MediaPipe's z",
                           " (a z is given back as it came), or space='3d' for a 3D pose")
        raise SpaceError(_untold(x, readings))  # refined as x, y, z before, the scores as a depth
    scores = {v for v, reading in readings.items() if reading in ("confidence", "constant")}
    if not scores:
        return None, False
    if len(scores) < len(readings):
        raise SpaceError(_untold(x, readings))
    constant = np.array([readings.get(v) == "constant" for v in range(int(np.prod(x.shape[:-3])))])
    return 2, constant.reshape((-1, 1, 1, 1)) if x.ndim == 4 else bool(constant[0])


def _untold(x: np.ndarray, readings: dict[int, str | None]) -> str:
    """The one-line message for poses ``x`` (..., J, 3) whose third channel cannot be told: entries' ``readings``
    (:func:`synsp.channels.third_channel`) with a None, or scores beside a z."""
    which = ""
    if x.ndim == 4:  # which entries read how, when they do not agree
        kinds = {"x, y + score": [v for v, r in readings.items() if r in ("confidence", "constant")],
                 "x, y, z": [v for v, r in readings.items() if r == "z"],
                 "undecided": [v for v, r in readings.items() if r is None]}
        which = " (entries " + "; ".join(f"{', '.join(map(str, vs))}: {kind}" for kind, vs in kinds.items() if vs) + ")"
    return (f"poses {x.shape}: {untold_channel(x)}{which}: pass space='2d' (x, y + score, given back unchanged) "
            "or space='3d' (x, y, z)")
