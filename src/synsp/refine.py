"""``refine(poses, method)``: every refinement method behind one call shape.

``METHODS`` is a plain dict from name to a function ``f(poses, **options) -> poses`` taking
(T, J, C) or (V, T, J, C) arrays and returning the same shape and dtype.
"""
from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Callable

import numpy as np

from synsp import filters
from synsp.errors import CheckpointError, MissingDataError, OptionError, ShapeError
from synsp.model import NETWORKS
from synsp.sequence import left_missing, max_gap_frames, missing_mask


@lru_cache(maxsize=8)
def cached_model(name_or_path: str, device: str | None):
    """:func:`synsp.load_model`, loaded once per (model, device) for every call of :func:`refine`."""
    from synsp.inference.checkpoint import load_model

    return load_model(name_or_path, device=device)


def network_model(kind: str, n_coords: int, checkpoint: str | None = None, device: str | None = None):
    """The :class:`~synsp.inference.refiner.Refiner` that :func:`refine` runs for network ``kind``
    on poses with ``n_coords`` coordinates (2: pixels, 3: mm): ``checkpoint``, else the shipped
    default for that space; cached, so it keeps what its last refinement measured."""
    from synsp.inference.checkpoint import default_model

    if checkpoint is None:
        checkpoint = default_model(kind, "3d" if n_coords == 3 else "2d")
    model = cached_model(str(checkpoint), device)
    if model.kind != kind:
        raise CheckpointError(f"checkpoint {checkpoint}: a {model.kind} model, not {kind}; "
                              f"use method {model.kind!r} or a {kind} checkpoint")
    return model


def _network(kind: str) -> Callable[..., np.ndarray]:
    def run(
        poses: np.ndarray, *, checkpoint: str | None = None, device: str | None = None, stride: int | None = None,
        fps: float | None = None, keep_convention: bool | str | None = None, floor: bool | None = None,
    ) -> np.ndarray:
        model = network_model(kind, poses.shape[-1], checkpoint, device)
        return model.refine(poses, stride=stride, fps=fps, keep_convention=keep_convention, floor=floor)

    run.__name__ = kind
    run.__doc__ = (f"Refine with a trained {kind} network "
                   f"(the shipped default for the input's 2D/3D, or ``checkpoint``).")
    return run


def _per_view(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Lift a (T, J, C) filter to also take (V, T, J, C): classic filters see one sequence at a time."""

    def run(poses: np.ndarray, **options) -> np.ndarray:
        if poses.ndim == 4:
            return np.stack([fn(view, **options) for view in poses])
        return fn(poses, **options)

    run.__name__, run.__doc__, run.__wrapped__ = fn.__name__, fn.__doc__, fn  # __wrapped__: its signature
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
    fps = options.get("fps")
    if fps is not None and not (isinstance(fps, (int, float, np.number)) and np.isfinite(fps) and fps > 0):
        raise OptionError(f"fps must be a positive number, got {fps!r}")


def refine(poses: np.ndarray, method: str = "synsp", *, max_gap: int | str | None = None, **options) -> np.ndarray:
    """Refine a pose sequence.

    Parameters
    ----------
    poses : (T, J, C) or (V, T, J, C) array; C = 3 (millimetres) or 2 (pixels). NaN marks
        missing joints; they are filled.
    method : one of ``METHODS``: "synsp" (default), "smoothnet", "one-euro", "savgol",
        "gaussian", "identity".
    max_gap : gaps longer than this many frames stay NaN in the output (or seconds, ``"0.5s"``,
        for methods that take ``fps=``); by default every gap is filled.
    **options : passed to the method (e.g. ``checkpoint=``, ``device=`` for networks,
        ``fps=`` for One-Euro and the networks, ``window=`` for Savitzky-Golay,
        ``keep_convention=`` for SynSP: how it keeps the input's joint definitions, "symmetric"
        by default, see :attr:`synsp.inference.refiner.Refiner.keep_convention`); ``floor=False``
        keeps the network's whole correction (:mod:`synsp.inference.floor`).

    Returns
    -------
    The refined sequence, same shape and dtype as ``poses``. A joint never seen in a
    sequence stays NaN: nothing says where it is (the refiner saw it at the body's centre).

    Examples
    --------
    >>> import numpy as np, synsp
    >>> noisy = np.random.default_rng(0).normal(size=(50, 17, 3)).astype(np.float32)
    >>> synsp.refine(noisy, "savgol").shape
    (50, 17, 3)
    """
    run = method_function(method)
    _check_options(run, method, options)
    x = np.asarray(poses)
    if x.ndim not in (3, 4) or x.shape[-1] not in (2, 3) or 0 in x.shape:
        raise ShapeError(f"poses must be (T, J, C) or (V, T, J, C) with C = 2 or 3, got shape {x.shape}")
    if x.dtype == object or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise ShapeError(f"poses must be numbers, got dtype {x.dtype} shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    if not np.isfinite(x).all(-1).any():
        raise MissingDataError(f"poses: no joint has finite coordinates in any of the {x.shape[-3]} frames; "
                         "nothing to refine")
    gap = max_gap_frames(max_gap, options.get("fps"))  # a bad limit fails before the work
    out = run(x, **options)
    unknown = left_missing(missing_mask(x), gap)
    if unknown.any():
        out = np.where(unknown[..., None], np.nan, out).astype(out.dtype, copy=False)
    return out
