"""The refinement methods behind one call shape: ``METHODS``, the networks' models (loaded once) and the
check of a method's options.

``METHODS`` is a plain dict from name to a function ``f(poses, **options) -> poses`` taking
(T, J, C) or (V, T, J, C) arrays and returning the same shape and dtype: every network of
:data:`synsp.model.NETWORKS` and every filter of :data:`synsp.filters.FILTERS`.
"""
from __future__ import annotations

import inspect
import os
from functools import lru_cache
from typing import Callable

import numpy as np

from synsp import filters
from synsp.errors import CheckpointError, OptionError, check_fps, check_keep_convention, is_number
from synsp.lockstep import own
from synsp.model import NETWORKS
from synsp.refining.refill import refilled
from synsp.sequence import fill_gaps

# A clip (or a person's span) of fewer frames is given back as it came, its gaps filled: two frames
# cannot tell noise from motion (a walking foot moves about 30 mm in 1/30 s). A user's audit: every
# method moved clean 2-frame clips (SMPL 11.6-18.5 mm, a BVH 33-36 mm, positions 10.7-14.5 mm) and left
# 2-frame jitter worse than its input (SMPL 3 degrees: 29.2 -> 32.3-36.7 mm; positions 10 mm: 15.7 ->
# 16.4-19.9); three frames are still refined (SMPL jitter 33.8 -> 23.1 mm).
MIN_FRAMES = 3


def too_short(poses: np.ndarray) -> np.ndarray | None:
    """``poses`` (T, J, C) or (V, T, J, C) as they came, gaps filled (:func:`synsp.sequence.fill_gaps`), when
    they hold fewer than :data:`MIN_FRAMES` frames; else None (to be refined)."""
    if poses.shape[-3] >= MIN_FRAMES:
        return None
    return fill_gaps(poses)[0].astype(poses.dtype, copy=False) if not np.isfinite(poses).all() else poses.copy()


def cached_model(name_or_path: str, device: str | None, network_only: bool = False):
    """:func:`synsp.load_model`, loaded once per (model, device, network_only) for every refinement (inside a job
    of :func:`synsp.lockstep.in_lockstep`, the job's copy of it: its records its own)."""
    return own(_cached_model(name_or_path, device, bool(network_only)))  # one cache key however it is called


@lru_cache(maxsize=8)
def _cached_model(name_or_path: str, device: str | None, network_only: bool):
    from synsp.inference.checkpoint import load_model

    return load_model(name_or_path, device=device, network_only=network_only)


def checkpoint_network(checkpoint: str | os.PathLike, device: str | None = None) -> str:
    """The network kind ("synsp", "smoothnet") of ``checkpoint``: the method a call that names a
    checkpoint and no method runs (:func:`synsp.refine`, ``synsp refine --checkpoint``)."""
    return cached_model(str(checkpoint), device).kind


def check_checkpoint(method: str, checkpoint: str | None, device: str | None) -> None:
    """``checkpoint`` fits ``method``: a network of that kind, and only for network methods."""
    if checkpoint is None:
        return
    if method not in NETWORKS:
        raise OptionError(f"--checkpoint is for the network methods ({', '.join(NETWORKS)}), not {method!r}")
    from synsp.inference.checkpoint import checkpoint_kind

    kind = checkpoint_kind(checkpoint)  # not loaded: a model of the wrong kind is refused before any warning of it
    if kind != method:
        raise CheckpointError(f"checkpoint {checkpoint} is a {kind} model, but the method is {method}; "
                              f"use --method {kind} or a {method} checkpoint")


def network_model(kind: str, n_coords: int, checkpoint: str | None = None, device: str | None = None,
                  network_only: bool = False):
    """The :class:`~synsp.inference.refiner.Refiner` that :func:`synsp.refine` runs for network ``kind``
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


# SynSP's own last steps (its joint definitions, its floor step, its low-pass): options SmoothNet does not take
SYNSP_STEPS = ("keep_convention", "floor", "lowpass_hz")
# the options that choose the Refiner (which model, where, the bare network), not options of its refine()
MODEL_CHOICE = ("checkpoint", "device", "network_only")


def smoothnet_options(options: dict, method: str) -> dict:
    """The options of network ``method``'s call that SmoothNet runs with where it refines joints for it: all but
    :data:`SYNSP_STEPS`, and the shipped SmoothNet (checkpoint None) for SynSP, whose checkpoint is no SmoothNet."""
    return {**{k: v for k, v in options.items() if k not in SYNSP_STEPS},
            "checkpoint": None if method == "synsp" else options.get("checkpoint")}


def refiner_options(options: dict) -> dict:
    """``options`` without :data:`MODEL_CHOICE`: what a chosen Refiner's ``refine()`` takes of them."""
    return {k: v for k, v in options.items() if k not in MODEL_CHOICE}


def smoothnet_alone(values: np.ndarray, smoothnet: dict) -> np.ndarray:
    """SmoothNet (options ``smoothnet``: checkpoint, device, network_only and the refiner's own) on ``values``
    (T, N, C, gaps filled, any N points in the input's unit) in one run with no layout's step; (T, N, C)."""
    model = network_model("smoothnet", values.shape[-1], smoothnet.get("checkpoint"), smoothnet.get("device"),
                          smoothnet.get("network_only", False))
    return model.refine(values, other_layout=True, **refiner_options(smoothnet))


def layout_checkpoint(method: str, n_coords: int, layout: str | None, checkpoint: str | None) -> str | None:
    """The model network ``method`` refines poses of ``n_coords`` coordinates in ``layout`` with: ``checkpoint`` when
    named, else for SynSP the shipped one for that layout (2D skeletons whose conversion makes COCO's face up have
    their own: :func:`~synsp.inference.checkpoint.shipped_model_for`), else None (the shipped default)."""
    if method != "synsp" or checkpoint is not None or layout is None:
        return checkpoint
    from synsp.inference.checkpoint import shipped_model_for  # torch: not on importing synsp

    return shipped_model_for(method, "3d" if n_coords == 3 else "2d", layout)


def _network(kind: str) -> Callable[..., np.ndarray]:
    def run(
        poses: np.ndarray, *, checkpoint: str | None = None, device: str | None = None, stride: int | None = None,
        fps: float | None = None, keep_convention: bool | str | None = None, floor: bool | None = None,
        lowpass_hz: float | None = None, network_only: bool = False, missing: np.ndarray | None = None,
        lacking: np.ndarray | None = None,
    ) -> np.ndarray:
        model = network_model(kind, poses.shape[-1], checkpoint, device, network_only)
        once = lambda x, gaps: model.refine(x, stride=stride, fps=fps, keep_convention=keep_convention,  # noqa: E731
                                            floor=floor, lowpass_hz=lowpass_hz, missing=gaps, lacking=lacking)
        if kind != "synsp" or network_only or lacking is not None:  # a second look: SynSP's own joints only
            return once(poses, missing)
        out, first = refilled(once, poses, missing,
                              still=lambda: (model.unseen, model.lacked, model.gave_way, model.unmeasured))
        if first is not None:  # what a caller reports of the input's gaps: the first pass's reading
            model.unseen, model.lacked, model.gave_way, model.unmeasured = first
        return out

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
    if not isinstance(method, str):  # a list or a function: one line, not "unhashable type"
        raise OptionError(f"method must be a name ({', '.join(METHODS)}), got {type(method).__name__} {method!r}")
    run = METHODS.get(method) or (_network(method) if method in NETWORKS else None)
    if run is None:
        raise OptionError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    return run


def check_method_flags(method: str, *, lowpass_hz: float | None = None, floor: bool | float | None = None,
                       keep_convention: bool | str | None = None, network_only: bool = False,
                       stride: int | None = None, why: str = "") -> None:
    """An option of ``synsp refine`` (:func:`synsp.refining.files.refine_file`) that ``method`` does not
    take is a one-line ``OptionError`` naming it and the method, never silently ignored (it would give
    the method's plain output); ``why`` says how the method was chosen when the user did not name it.
    ``floor`` True is the default (the CLI gives it unless ``--whole-correction``). Joint positions only:
    on joint rotations ``--joints`` is every network's (:mod:`synsp.refining.motion`)."""
    synsp_only = [flag for flag, on in (("--lowpass", lowpass_hz is not None),
                                        ("--whole-correction", floor is not None and floor is not True),
                                        ("--joints", keep_convention is not None)) if on]
    if synsp_only and method != "synsp":
        what = {"--lowpass": "SynSP's last step", "--whole-correction": "SynSP's (how much of its correction it "
                "keeps)", "--joints": "SynSP's (how it keeps the input's joint definitions)"}[synsp_only[0]]
        raise OptionError(f"{synsp_only[0]} is {what}, not an option of {method!r}{why}")
    for flag, on in (("--network-only", network_only), ("--stride", stride is not None)):
        if on and method not in NETWORKS:
            raise OptionError(f"{flag} is for the network methods ({', '.join(NETWORKS)}), not {method!r}{why}")


def check_options(run: Callable[..., np.ndarray], method: str, options: dict) -> None:
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
    check_keep_convention(options.get("keep_convention"))
    if not isinstance(options.get("network_only", False), bool):
        raise OptionError(f"network_only must be True or False, got {options['network_only']!r}")
    strength = options.get("floor")
    if strength is not None and not isinstance(strength, bool) and not (
            is_number(strength) and np.isfinite(strength) and strength >= 0):
        raise OptionError(f"floor must be True, False or the floor step's strength (>= 0), got {strength!r}")
    hz = options.get("lowpass_hz")
    if hz is not None and not (is_number(hz) and np.isfinite(hz) and hz >= 0):
        raise OptionError(f"lowpass_hz (--lowpass) must be a cut-off in Hz (0: none), got {hz!r}")
