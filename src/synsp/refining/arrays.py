"""``refine(poses, method)``: every refinement method behind one call shape, in the poses' own joint layout.

``METHODS`` is a plain dict from name to a function ``f(poses, **options) -> poses`` taking
(T, J, C) or (V, T, J, C) arrays and returning the same shape and dtype. A network that sees
the joints together (SynSP) refines its own layout; poses in another one are told
(:func:`input_layout`), converted to it, refined and given back in theirs (:func:`refine_track`).
"""
from __future__ import annotations

import inspect
import os
from functools import lru_cache
from typing import Callable

import numpy as np

from synsp import filters
from synsp.config import DEFAULT_LAYOUT
from synsp.errors import (
    CheckpointError,
    LayoutError,
    MissingDataError,
    OptionError,
    ShapeError,
    check_fps,
    check_frames_first,
    is_number,
)
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.track_switches import track_segments
from synsp.inference.clean import input_noise
from synsp.inference.floor import SHRINK_CONVERTED
from synsp.model import NETWORKS
from synsp.motion_pace import pace_groups
from synsp.sequence import (
    ABSURD,
    MIN_SCORE,
    constant_channel,
    fourth_channel_error,
    left_missing,
    max_gap_frames,
    missing_mask,
    not_found,
    third_channel,
)
from synsp.skeleton import (
    BLOCKS,
    LAYOUTS,
    can_convert,
    convert,
    follows_layout,
    get_layout,
    guessed_layout,
    missing_blocks,
    reorders,
)


def cached_model(name_or_path: str, device: str | None, network_only: bool = False):
    """:func:`synsp.load_model`, loaded once per (model, device, network_only) for every call of :func:`refine`."""
    return _cached_model(name_or_path, device, bool(network_only))  # one cache key however it is called


@lru_cache(maxsize=8)
def _cached_model(name_or_path: str, device: str | None, network_only: bool):
    from synsp.inference.checkpoint import load_model

    return load_model(name_or_path, device=device, network_only=network_only)


def checkpoint_network(checkpoint: str | os.PathLike, device: str | None = None) -> str:
    """The network kind ("synsp", "smoothnet") of ``checkpoint``: the method a call that names a
    checkpoint and no method runs (:func:`refine`, ``synsp refine --checkpoint``)."""
    return cached_model(str(checkpoint), device).kind


def network_model(kind: str, n_coords: int, checkpoint: str | None = None, device: str | None = None,
                  network_only: bool = False):
    """The :class:`~synsp.inference.refiner.Refiner` that :func:`refine` runs for network ``kind``
    on poses with ``n_coords`` coordinates (2: pixels, 3: mm): ``checkpoint``, else the shipped
    default for that space; cached, so it keeps what its last refinement measured. ``network_only``:
    the bare network (``synsp.load_model(..., network_only=True)``)."""
    from synsp.inference.checkpoint import default_model

    if checkpoint is None:
        checkpoint = default_model(kind, "3d" if n_coords == 3 else "2d")
    model = cached_model(str(checkpoint), device, True) if network_only else cached_model(str(checkpoint), device)
    if model.kind != kind:
        raise CheckpointError(f"checkpoint {checkpoint}: a {model.kind} model, not {kind}; "
                              f"use method {model.kind!r} or a {kind} checkpoint")
    return model


def _network(kind: str) -> Callable[..., np.ndarray]:
    def run(
        poses: np.ndarray, *, checkpoint: str | None = None, device: str | None = None, stride: int | None = None,
        fps: float | None = None, keep_convention: bool | str | None = None, floor: bool | None = None,
        lowpass_hz: float | None = None, network_only: bool = False, missing: np.ndarray | None = None,
    ) -> np.ndarray:
        model = network_model(kind, poses.shape[-1], checkpoint, device, network_only)
        return model.refine(poses, stride=stride, fps=fps, keep_convention=keep_convention, floor=floor,
                            lowpass_hz=lowpass_hz, missing=missing)

    run.__name__ = kind
    run.__doc__ = (f"Refine with a trained {kind} network "
                   f"(the shipped default for the input's 2D/3D, or ``checkpoint``).")
    return run


def _per_view(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Lift a (T, J, C) filter to also take (V, T, J, C): classic filters see one sequence at a time.
    Every method takes ``fps=`` (one call shape for all); a filter counted in frames ignores it."""
    signature = inspect.signature(fn)
    uses_fps = "fps" in signature.parameters

    def run(poses: np.ndarray, **options) -> np.ndarray:
        if not uses_fps:
            options.pop("fps", None)
        if poses.ndim == 4:
            return np.stack([fn(view, **options) for view in poses])
        return fn(poses, **options)

    run.__name__, run.__doc__, run.__wrapped__ = fn.__name__, fn.__doc__, fn
    if not uses_fps:
        run.__doc__ = (fn.__doc__ or "") + "\n    ``fps=`` is taken and ignored: this filter counts in frames.\n"
        fps = inspect.Parameter("fps", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="float | None")
        run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), fps])
    return run


METHODS: dict[str, Callable[..., np.ndarray]] = {
    **{kind: _network(kind) for kind in NETWORKS},
    **{name: _per_view(fn) for name, fn in filters.FILTERS.items()},
}


def method_function(method: str) -> Callable[..., np.ndarray]:
    """The function behind ``method``: a row of ``METHODS``, or a network added to
    :data:`synsp.model.NETWORKS` after import; ``ValueError`` listing the methods otherwise."""
    run = METHODS.get(method) or (_network(method) if method in NETWORKS else None)
    if run is None:
        raise OptionError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    return run


def _check_options(run: Callable[..., np.ndarray], method: str, options: dict) -> None:
    """An option the method does not take is a one-line ``OptionError``, not a TypeError naming internals."""
    params = inspect.signature(run).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    allowed = [name for name, p in list(params.items())[1:] if p.kind is not inspect.Parameter.VAR_POSITIONAL]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise OptionError(f"method {method!r} takes no option {unknown[0]!r} "
                          f"(its options: {', '.join(allowed) or 'none'})")
    check_fps(options.get("fps"))
    if not isinstance(options.get("network_only", False), bool):
        raise OptionError(f"network_only must be True or False, got {options['network_only']!r}")
    strength = options.get("floor")
    if strength is not None and not isinstance(strength, bool) and not (
            is_number(strength) and np.isfinite(strength) and strength >= 0):
        raise OptionError(f"floor must be True, False or the floor step's strength (>= 0), got {strength!r}")
    hz = options.get("lowpass_hz")
    if hz is not None and not (is_number(hz) and np.isfinite(hz) and hz >= 0):
        raise OptionError(f"lowpass_hz (--lowpass) must be a cut-off in Hz (0: none), got {hz!r}")


def refine(poses: np.ndarray, method: str | None = None, *, max_gap: int | str | None = None, layout: str | None = None,
           **options) -> np.ndarray:
    """Refine a pose sequence.

    Parameters
    ----------
    poses : (T, J, C) or (V, T, J, C) array; C = 3 (millimetres) or 2 (pixels). A 4-D array of
        16 or more views or persons and at least 4 times as many of them as frames is refused
        (``ShapeError``): it is most likely (T, P, J, C), frames first, to be passed transposed
        (:func:`synsp.errors.check_frames_first`). NaN marks
        missing joints, and so do inf and absurd values (beyond ``synsp.sequence.ABSURD``, as
        ``synsp refine`` reads a file's) and a point exactly at the origin while the body is elsewhere
        (estimators' "not found", :func:`synsp.sequence.not_found`); they are filled. Poses at
        0 everywhere hold nobody: ``MissingDataError``, as for poses NaN everywhere. A torch
        tensor is read as its values (detached, on the CPU); the result is a NumPy array. A score
        per joint may come last, as estimators write it: x, y in pixels plus a score (C = 3,
        told from the values by :func:`synsp.sequence.third_channel`, as ``synsp refine`` tells
        it) or x, y, z plus a score (C = 4); joints scored below ``MIN_SCORE`` (0.3) are then
        missing, and the scores come back unchanged (and so do the positions of a joint seen only
        below that score, where the refinement leaves it missing). MediaPipe Holistic's 543 points
        (``layout`` None or ``"holistic543"``/``"holistic543_kaggle"``) with C = 3 are x, y and
        MediaPipe's z: x, y are refined in 2D and z given back as it came; a block (the face, a
        hand) missing whole in a frame stays missing.
    method : one of ``METHODS``: "synsp" (default), "smoothnet", "one-euro", "savgol",
        "gaussian", "butterworth", "median", "hampel", "identity" (see :mod:`synsp.filters`);
        None with ``checkpoint=``: that checkpoint's network, as ``synsp refine`` takes it.
    max_gap : gaps longer than this many frames stay NaN in the output (or seconds, ``"0.5s"``,
        with ``fps=``); by default every gap is filled.
    layout : the joint layout of ``poses`` (a name of :data:`synsp.skeleton.LAYOUTS`, e.g.
        ``"halpe26"``, ``"body25"``, ``"mediapipe33"``); None = told as ``synsp refine`` tells a
        file's: by the joint count, and for 17 joints by the poses (COCO's or H36M's order).
        SynSP refines another layout through its own and gives the poses back in theirs
        (:func:`refine_track`); filters and SmoothNet take any joint set.
    **options : passed to the method (e.g. ``checkpoint=``, ``device=`` for networks,
        ``fps=`` for every method (used by One-Euro, Butterworth, Savitzky-Golay's default window
        and the networks, ignored by the filters counted in frames), ``window=`` for Savitzky-Golay,
        ``keep_convention=`` for SynSP: how it keeps the input's joint definitions, "symmetric"
        by default, see :attr:`synsp.inference.refiner.Refiner.keep_convention`); ``floor=False``
        keeps the network's whole correction (:mod:`synsp.inference.floor`), a number sets that
        step's strength; ``lowpass_hz=`` sets the
        cut-off of SynSP's last low-pass (6 Hz by default, 0: none); ``network_only=True`` runs
        the bare network, every step around it off, its windows merged by SWAA's plain mean at
        stride 1 (``synsp.load_model(..., network_only=True)``).

    Returns
    -------
    The refined sequence, same shape as ``poses``; floats keep their dtype (float16 is computed
    in float32 and given back in float16), integers come back as float32. A joint never seen in a
    sequence stays NaN: nothing says where it is (the networks saw a stand-in,
    :mod:`synsp.estimator_errors.measurements`). A sequence in which the estimator switched people (the body
    moved by more than half its size between two detections, or stepped off its path as no body
    does and stayed off it: :func:`synsp.estimator_errors.track_switches.track_segments`)
    is refined person by person, as ``synsp refine`` cuts a file's track; the frames between them,
    those before a track's first detection or after its last, and every frame in which it has no
    joint detected (nobody there, or the person hidden) stay NaN: the refinement bridges such
    frames for context but does not give them. In a
    (V, T, J, C) array, every entry is refined as if passed alone (its own pace, body size and axes),
    unless the network was trained on several views of one person (``synsp-h36m17-mv``,
    :func:`views_together`) and no view switched people: those views are refined together.

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
    _check_options(run, method, options)
    if hasattr(poses, "detach") and hasattr(poses, "cpu"):  # a torch tensor: its values (no grad, on the CPU)
        poses = poses.detach().cpu()
        poses = poses.float() if str(poses.dtype) == "torch.bfloat16" else poses  # NumPy has no bfloat16
    x = np.asarray(poses)
    if x.ndim not in (3, 4) or x.shape[-1] not in (2, 3, 4) or 0 in x.shape:
        raise ShapeError(f"poses must be (T, J, C) or (V, T, J, C) with C = 2 or 3 (4: x, y, z and a score), "
                         f"got shape {x.shape}")
    if x.dtype == object or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise ShapeError(f"poses must be numbers, got dtype {x.dtype} shape {x.shape}")
    check_frames_first(x.shape, "poses", "pass poses.transpose(1, 0, 2, 3)")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    if x.dtype.itemsize < 4:  # float16: squared distances of pixel poses overflow it; computed in float32
        return refine(x.astype(np.float32), method, max_gap=max_gap, layout=layout, **options).astype(x.dtype)
    with np.errstate(invalid="ignore"):
        absurd = ~(np.abs(x) <= ABSURD) & ~np.isnan(x)
    if absurd.any():  # inf and absurd values are missing, as synsp refine reads a file's: NaN from here on
        x = np.where(absurd, np.nan, x).astype(x.dtype, copy=False)
    holistic = x.shape[-2] == len(LAYOUTS["holistic543"].joints) and layout in (None, *BLOCKS)
    if holistic and x.shape[-1] == 3:  # MediaPipe's x, y, z: x, y refined in 2D, its relative depth given back
        out = refine(x[..., :2], method, max_gap=max_gap, layout=layout, **options)
        return np.concatenate([out, np.where(np.isfinite(out).all(-1), x[..., 2], np.nan)[..., None]], axis=-1)
    score, constant = _score_channel(x)
    if score is not None:  # refined without it; low scores are missing joints; given back unchanged
        seen = x[..., :score] if constant else np.where(x[..., score, None] >= MIN_SCORE, x[..., :score], np.nan)
        out = refine(seen, method, max_gap=max_gap, layout=layout, **options)
        unrefined = (~np.isfinite(out).all(-1) & np.isfinite(x[..., :score]).all(-1)
                     & ~not_found(x[..., :score]))[..., None]
        out = np.where(unrefined, x[..., :score], out)  # only seen below MIN_SCORE: given back as it was
        return np.concatenate([out, x[..., score:]], axis=-1).astype(x.dtype, copy=False)
    zeros = not_found(x)
    if zeros.any():  # (0, 0) written for a joint not found: missing, like NaN
        x = np.where(zeros[..., None], np.nan, x).astype(x.dtype, copy=False)
    if not np.isfinite(x).all(-1).any():
        if zeros.any():
            raise MissingDataError(f"poses: every joint is missing or exactly 0 in every frame of the {x.shape[-3]} "
                                   "(estimators write 0 for a joint not found): nothing to refine")
        raise MissingDataError(f"poses: no joint has finite coordinates in any of the {x.shape[-3]} frames; "
                               "nothing to refine")
    gap = max_gap_frames(max_gap, options.get("fps"))  # a bad limit fails before the work
    tracks = x.reshape((-1,) + x.shape[-3:])  # (V, T, J, C); V = 1 for a (T, J, C) track
    cuts = [track_segments(track) for track in tracks]
    if x.ndim == 4 and not views_together(method, x.shape[-1], options) or any(len(spans) > 1 for spans in cuts):
        # persons (or views with the estimator switching people): each refined as if passed alone
        out = np.full(x.shape, np.nan, dtype=x.dtype)
        for v, spans in enumerate(cuts):
            for span in spans if len(spans) > 1 else [slice(None)] * len(spans):
                out.reshape(tracks.shape)[v, span] = _refine_person(tracks[v, span], method, layout, options)
    else:
        out = _refine_person(x, method, layout, options)
    nobody = np.ones(tracks.shape[:2], dtype=bool)  # (V, T): frames outside every span of a track
    for v, spans in enumerate(cuts):
        for span in spans:
            nobody[v, span] = False
    missing = missing_mask(x)  # a frame with no joint detected (the person hidden) is bridged, never given
    unknown = left_missing(missing, gap) | nobody.reshape(x.shape[:-2])[..., None] | missing.all(-1)[..., None]
    if holistic:  # a block MediaPipe did not give (no hand seen) stays missing
        unknown |= missing_blocks(missing, layout or guessed_layout(x))
    if unknown.any():
        out = np.where(unknown[..., None], np.nan, out).astype(out.dtype, copy=False)
    return out


def views_together(method: str, n_coords: int, options: dict) -> bool:
    """Whether :func:`refine` refines the V leading entries of (V, T, J, C) poses with ``n_coords``
    coordinates together: only with a network trained on several views of one person
    (``config.data.views > 1``, e.g. ``synsp-h36m17-mv``), which shares one pace, one body frame and
    one window batch over them. Otherwise each entry is its own person (or sequence) and is refined
    as if passed alone, so that a person's result does not depend on who else is in the array."""
    if method not in NETWORKS:
        return False
    model = network_model(method, n_coords, options.get("checkpoint"), options.get("device"))
    return int(model.config.data.views) > 1


def _refine_person(x: np.ndarray, method: str, layout: str | None, options: dict) -> np.ndarray:
    """Refine poses (T, J, C) or (V, T, J, C) that hold one person (or the views of one moment):
    no score channel, NaN for missing joints, options checked. What :func:`refine` does once it
    has read its input and cut it where the estimator switched people, and what
    :func:`refine_track` runs on a file's track, cut already. A filter given the layout sees the
    gaps filled along its bones (:func:`synsp.estimator_errors.measurements.measurements`, no
    error undone), as the networks do; without one, each coordinate filled on its own."""
    if layout is not None:  # a wrong name or joint count fails for every method, not only the networks
        input_layout(x, None, layout, "poses", None, flag="layout")
    if method in NETWORKS:
        return _in_layout(x, method, layout, options)
    if layout is not None and not np.isfinite(x).all():  # gaps along the bones, as every network route fills them
        x = measurements(x, get_layout(layout), undo=False).values
    return method_function(method)(x, **options)


def _score_channel(x: np.ndarray) -> tuple[int | None, bool]:
    """The index of the confidence channel of poses (..., J, C), and whether it holds one value
    everywhere (a fixed score or a padded z: no joint is missing by it). 2 when (..., J, 3) reads
    as x, y in pixels plus a score or is constant (:func:`synsp.sequence.third_channel`), 3 for
    (..., J, 4) (x, y, z plus a score); None for plain coordinates. A fourth channel that is no
    score is a ShapeError."""
    if x.shape[-1] == 3:
        reading = third_channel(x)
        return (2, reading == "constant") if reading in ("confidence", "constant") else (None, False)
    if x.shape[-1] == 4:
        why = fourth_channel_error(x)
        if why is not None:
            raise ShapeError(f"poses {x.shape}: {why}")
        return 3, constant_channel(x[..., 3])
    return None, False


def _in_layout(x: np.ndarray, method: str, layout: str | None, options: dict) -> np.ndarray:
    """Refine ``x`` (T, J, C) or (V, T, J, C) in ``layout`` (None: told from ``x``) with the
    network ``method``. SmoothNet sees every coordinate alone, so any layout is its own; a
    layout other than a SynSP network's is refined view by view, as a file's tracks are."""
    model = network_model(method, x.shape[-1], options.get("checkpoint"), options.get("device"),
                          options.get("network_only", False))
    run = method_function(method)
    name = input_layout(x, None, layout, "poses", model.layout.name, flag="layout")
    if name == model.layout.name:  # the Refiner finds the glitches of its own layout
        return run(x, **options)
    if reorders(name, model.layout.name):  # the model's joints in another order (MPI-INF-3DHP's)
        return convert(run(convert(x, name, model.layout.name), **options), model.layout.name, name)
    if model.network.per_coordinate:  # SmoothNet sees no joints: their glitches and inversions are read here
        values = measurements(x, None if name is None else get_layout(name)).values
        network_options = {k: v for k, v in options.items() if k not in ("checkpoint", "device", "network_only")}
        groups = pace_groups(name) if name is not None else None  # hands, face, mouth: each at its own pace
        return model.refine(values, other_layout=True, groups=groups, **network_options)
    if x.ndim == 3:
        return refine_track(x, name, method, **options)
    return np.stack([refine_track(view, name, method, **options) for view in x])


SEVENTEEN = ("coco17", "h36m17", "mpi17")  # the 17-joint layouts a file's poses tell apart
# The two 22-joint layouts, in words.
TWENTY_TWO = {"smpl22": "SMPL's body joints", "bandai22": "the Bandai mocap's skeleton"}


def input_layout(poses: np.ndarray, declared: str | None, given: str | None, where: str | os.PathLike,
                guess: str | None, flag: str = "--layout") -> str | None:
    """The joint layout of ``poses`` (..., J, C) read from ``where``: ``given`` (--layout), else
    ``declared`` (the file's), else ``guess`` (the network's layout) when the joint counts agree
    (17 joints: COCO's, H36M's or MPI-INF-3DHP's order, whichever the poses follow, :func:`seventeen_joint_layout`;
    22 joints: the Bandai mocap's or SMPL's body, :func:`twenty_two_joint_layout`),
    else the one known layout with J joints (:func:`guessed_layout`), if the poses' bones fit it
    (:func:`synsp.skeleton.follows_layout`). Returns a name of ``LAYOUTS``, or None when nothing
    needs one (filters) or nothing fits (the networks then use SmoothNet alone); ``LayoutError``
    for an unknown layout or one whose joint count is not J, naming ``flag`` when ``given`` is wrong."""
    if given is not None and not given.strip():
        raise LayoutError(f"{flag} is empty; name a layout or leave it out")
    name = given or declared
    j = poses.shape[-2]
    if name is None and guess is not None:
        name = guessed_layout(poses, guess)
        if name is not None and not follows_layout(poses, name):
            return None
    if name is None:
        return None
    what = flag if given else f"{where}: the file's layout"  # name the culprit: argument or file
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


def refine_track(poses: np.ndarray, layout: str | None, method: str, *, missing: np.ndarray | None = None,
                 **options) -> np.ndarray:
    """Refine one person's track (T, J, C) in ``layout``; returns (T, J, C) like ``poses``.

    ``poses`` holds one person (a span of :func:`synsp.estimator_errors.track_switches.track_segments`, as
    :func:`synsp.refining.tracks.refine_tracks` cuts a file's track), NaN for missing joints and no
    score channel; :func:`refine` reads any array down to that.

    Filters and SmoothNet (which refines every coordinate on its own) run on any joint set;
    ``layout`` may be None for them. SynSP runs directly when ``layout`` is its own; for
    another layout it sees the poses converted to its layout, and:

    - joints the conversion keeps as they are (same name, e.g. COCO's 17 in Halpe-26) take
      SynSP's output;
    - every other joint (feet, hands, face, a head top) is refined by SmoothNet and moved with
      the SynSP correction of the model joint nearest to it (the mean over near ties,
      :func:`nearest_joints`), so that hands stay on wrists, scaled down where the joint is less
      noisy than that model joint (:func:`noise_ratio`: a head top less noisy than the nose); but
      the hands', face's and mouth's points of a whole-body layout
      (:func:`synsp.motion_pace.pace_groups`) are SmoothNet's, each group at its own pace: the
      nearest model joint of a raised hand's fingertips can be the shoulder, and fingerspelling
      moves faster than the body; MediaPipe Holistic's face and hands
      (:data:`synsp.skeleton.BLOCKS`) are SmoothNet's too: their own models found them, in crops
      of their own, so the pose's errors are not theirs;
    - the floor step (:mod:`synsp.inference.floor`) runs at ``SHRINK_CONVERTED``'s strength
      unless ``floor=`` gives one (or False): a converted skeleton is further from what the
      model learnt;
    - a layout that cannot be converted (unknown joints) is refined by SmoothNet alone.

    ``missing`` (T, J) bool marks the values that were not measured where ``poses`` holds them
    filled already (:func:`synsp.refining.tracks.refine_tracks`): with the NaN, it tells SynSP's
    Refiner which of its joints were never seen (:meth:`~synsp.inference.refiner.Refiner.gives_way`).
    """
    _check_options(method_function(method), method, options)
    if method not in NETWORKS:
        return _refine_person(poses, method, None, options)
    target = model_layout(poses.shape[-1], options.get("checkpoint"), options.get("device"))
    missing = missing_mask(poses, missing)
    if layout == target or reorders(layout, target):
        return _refine_person(poses, method, layout, {**options, "missing": missing})
    smoothnet = {k: v for k, v in options.items() if k not in ("keep_convention", "floor", "lowpass_hz")}
    smoothnet["checkpoint"] = None if method == "synsp" else options.get("checkpoint")
    if method == "smoothnet" or layout is None or not can_convert(layout, target, poses.shape[-1]):
        return _refine_person(poses, "smoothnet", None, smoothnet)
    # In the user's joints: the Refiner sees the model's only, and hands would stay on the other wrist.
    poses = measurements(poses, get_layout(layout)).values
    converted = convert(poses, layout, target)
    # a model joint made of a missing one was not measured either (convert carries the NaN)
    unseen = np.isnan(convert(np.where(missing[..., None], np.nan, poses), layout, target)).any(-1)
    floor = options.get("floor")
    if not options.get("network_only") and (floor is None or floor is True):  # the default step, at this strength
        options = {**options, "floor": SHRINK_CONVERTED["3d" if poses.shape[-1] == 3 else "2d"]}
    refined = _refine_person(converted, method, target, {**options, "missing": unseen})
    correction = refined - _refine_person(converted, "smoothnet", None, smoothnet)  # what SynSP adds, per model joint
    out = _refine_person(poses, "smoothnet", None, smoothnet)  # last: its group_fps are the track's (group_model)
    weights = nearest_joints(poses, converted) * noise_ratio(poses, converted, options.get("fps"))[:, None]
    for joints in pace_groups(layout).values():  # SmoothNet's at their own pace: no body joint's correction
        weights[joints] = 0.0
    for block, first, end in BLOCKS.get(layout, ()):  # Holistic's face and hands: models of their own, not the pose's
        weights[first:end] *= block == "pose"
    out += np.einsum("jk,tkc->tjc", weights, correction).astype(out.dtype)
    for j, k in shared_joints(layout, target):
        out[:, j] = refined[:, k]
    return out


def group_model(method: str, n_coords: int, options: dict):
    """The SmoothNet :class:`~synsp.inference.refiner.Refiner` that :func:`refine_track` runs for
    network ``method`` on poses of ``n_coords`` coordinates: the one that refines pace groups
    (hands, face) and records their rates (``group_fps``) after each track."""
    checkpoint = None if method == "synsp" else options.get("checkpoint")
    return network_model("smoothnet", n_coords, checkpoint, options.get("device"), options.get("network_only", False))


def shared_joints(layout: str, target: str) -> list[tuple[int, int]]:
    """(index in ``layout``, index in ``target``) of the joints both layouts name alike and the
    conversion copies as they are (Halpe's "head", the head top, is not H36M's "head", made from the ears)."""
    target_names = get_layout(target).joints
    probe = np.random.default_rng(0).normal(size=(1, len(get_layout(layout).joints), 3))
    converted = convert(probe, layout, target) if can_convert(layout, target) else None
    return [(j, k) for j, name in enumerate(get_layout(layout).joints) if name in target_names
            for k in [target_names.index(name)]
            if converted is None or np.array_equal(converted[:, k], probe[:, j])]


def noise_ratio(poses: np.ndarray, converted: np.ndarray, fps: float | None = None) -> np.ndarray:
    """(J,) for every joint of ``poses`` (T, J, C) without NaN, its own noise over that of the model
    joints of ``converted`` (T, K, C) whose correction it takes (:func:`nearest_joints`' weights),
    at most 1 (:func:`synsp.inference.clean.input_noise`, each in the poses' unit): the share of
    their correction it needs. A face point half as noisy as the nose takes half the nose's."""
    own = input_noise(poses, fps)
    theirs = nearest_joints(poses, converted) @ np.nan_to_num(input_noise(converted, fps))
    known = np.isfinite(own) & (theirs > 0)  # a joint never seen (NaN) keeps the whole correction
    return np.where(known, np.clip(own / np.where(known, theirs, 1.0), 0.0, 1.0), 1.0)


# A joint of another layout moves with every model joint about as near to it as the nearest one
# (within this factor of its distance): a mid-hip with both hips, a head top with the eyes and ears
# that a conversion made from one head point, instead of with whichever came first.
NEAR_TIE = 1.1


def nearest_joints(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(J, K) weights: for every joint of ``x`` (T, J, C), the joints of ``y`` (T, K, C) nearest to
    it on average (all those within :data:`NEAR_TIE` times the nearest distance), equally weighted;
    each row sums to 1 (a joint never seen: all on ``y``'s first joint)."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    d = np.where(np.isnan(d), np.inf, d)
    near = np.isfinite(d) & (d <= NEAR_TIE * d.min(axis=1, keepdims=True))
    near[~near.any(axis=1), 0] = True
    return near / near.sum(axis=1, keepdims=True)
