"""Results computed twice inside one person's refinement, remembered for the second asking.

SynSP's route runs the same steps on the same values more than once: the light-noise step and the second look
at half the pace each run the whole route again, and the first pass of the convention step and the measurements
of a track repeat with values unchanged (a crowded 2D file, 50 tracks: 122 of 621 network runs and 92 of 367
measurements were repeats, 15 % of the CPU; benchmarks/RESULTS.md, section 15, "CPU of refine, crowded files").
Inside :func:`memo_scope` (one person's refinement, :func:`synsp.refining.person.refine_person`), a pure step asks
:func:`remembered` with a key of everything its result depends on; outside a scope nothing is kept, so a model
trained between two calls is never answered from a previous one.

A result handed out again is a twin of the first: the same values in the same memory layout (strides), so
that the steps after it reduce the same elements in the same order and give the same bits.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from contextvars import ContextVar
from typing import Any, Callable, Iterator

import numpy as np

__all__ = ["array_key", "memo_scope", "remembered", "twin"]

# Bytes of arrays kept per scope: a long file's person (15 minutes) would otherwise keep every run's outputs.
MAX_BYTES = 256 * 2 ** 20

_SCOPE: ContextVar[dict | None] = ContextVar("synsp_memo", default=None)
# Per kind (a key's first element): results answered from a scope, and the CPU seconds their first computing took
# (benchmarks/refine_cpu.py reads it: the CPU the repeats would have cost).
STATS: dict[str, list[float]] = {}


@contextlib.contextmanager
def memo_scope() -> Iterator[None]:
    """Remember :func:`remembered`'s results until the outermost scope ends (nested scopes share it)."""
    if _SCOPE.get() is not None:
        yield
        return
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def array_key(a: np.ndarray) -> tuple:
    """A key for the values of ``a``: shape, dtype and a digest of its bytes."""
    a = np.asarray(a)
    return a.shape, a.dtype.str, hashlib.blake2b(np.ascontiguousarray(a).data, digest_size=16).digest()


def twin(a: Any, _seen: dict | None = None) -> Any:
    """A copy of array ``a`` with its strides (other objects as they are; arrays in dicts, tuples, lists and
    dataclasses are twinned too, an array met twice copied once, so that shared arrays stay shared)."""
    seen = {} if _seen is None else _seen
    if id(a) in seen:
        return seen[id(a)]
    if isinstance(a, np.ndarray):
        if a.ndim == 0 or a.size == 0 or any(s < 0 or s % a.itemsize for s in a.strides):
            out = a.copy()
        else:
            extent = sum((n - 1) * s for n, s in zip(a.shape, a.strides)) // a.itemsize + 1
            out = np.lib.stride_tricks.as_strided(np.empty(extent, a.dtype), a.shape, a.strides, writeable=True)
            out[...] = a
    elif isinstance(a, dict):
        out = {k: twin(v, seen) for k, v in a.items()}
    elif isinstance(a, tuple) and hasattr(a, "_fields"):  # a NamedTuple
        out = type(a)(*(twin(v, seen) for v in a))
    elif isinstance(a, (tuple, list)):
        out = type(a)(twin(v, seen) for v in a)
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        out = dataclasses.replace(a, **{f.name: twin(getattr(a, f.name), seen) for f in dataclasses.fields(a)
                                        if f.init})
    else:
        return a
    seen[id(a)] = out
    return out


def _nbytes(a: Any) -> int:
    if isinstance(a, np.ndarray):
        return a.nbytes
    if isinstance(a, dict):
        return sum(_nbytes(v) for v in a.values())
    if isinstance(a, (tuple, list)):
        return sum(_nbytes(v) for v in a)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return sum(_nbytes(getattr(a, f.name)) for f in dataclasses.fields(a))
    return 0


def remembered(key: tuple | Callable[[], tuple], compute: Callable[[], Any], pinned: tuple = ()) -> Any:
    """``compute()``, or inside a :func:`memo_scope` a twin of its result for a ``key`` asked before. ``key`` may be
    given as a function making it, called inside a scope only (a key hashes its arrays: a stream's every window
    would pay for a digest no scope reads). ``pinned``: objects whose ``id`` is part of the key, kept alive with the
    entry so that no other object takes their id."""
    scope = _SCOPE.get()
    if scope is None:
        return compute()
    key = key() if callable(key) else key
    if key in scope:
        out, _, seconds = scope[key]
        count = STATS.setdefault(str(key[0]), [0, 0.0])
        count[0] += 1
        count[1] += seconds
        return twin(out)
    start = time.process_time()
    out = compute()
    seconds = time.process_time() - start
    size = _nbytes(out)
    used = scope.get("__bytes__", 0)
    if used + size <= MAX_BYTES:
        scope[key] = (twin(out), pinned, seconds)
        scope["__bytes__"] = used + size
    return out
