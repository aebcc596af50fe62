"""A refinement that comes out NaN where its input held values: a fault of one of SynSP's steps, never an output.

The network sees every value filled (gaps, stand-ins for joints never seen), so each of its outputs is a number; a
step after it that makes NaN (a bone with no length to aim at made a trunk NaN: benchmarks/RESULTS.md section 10, "A
trunk joint never seen in 3D") must not reach the caller as a refinement. The low-pass fills NaN as gaps, so the
outputs are counted before it (:func:`unfinite`) and again at the end (:func:`finite_or_fallback`). Where any came
out NaN the call gives the fallback's (SmoothNet's) output of its whole input, and says so in one line (a warning,
which the command line prints as one line); with no fallback it fails with one line (:class:`synsp.errors.
InternalError`).

A stream (:class:`~synsp.inference.streaming.StreamingRefiner`) has no whole input to give another refinement of, and
must go on: its frames are checked before its low-pass and again at the end (:func:`finite_frames`), and a value that
came out NaN is given as the stream's input there (its measured, or filled, value: unrefined), said in one warning.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from synsp.errors import InternalError

if TYPE_CHECKING:
    from synsp.inference.give_way import GiveWay
    from synsp.inference.refiner import Refiner

__all__ = ["unfinite", "finite_or_fallback", "drop_steps", "finite_frames"]


def drop_steps(refiner: Refiner) -> None:
    """Clear what ``refiner`` recorded of its own steps (turn, pace, size, drift, shake, the joint definitions' shift,
    the alternating frames...) when the fallback's output is given instead: none of them is in it, so the summary must
    not report them."""
    refiner.turn, refiner.paced_fps, refiner.resized, refiner.inverted, refiner.group_fps = None, None, 1.0, 0, {}
    refiner.size_changes = refiner.limb_drift = refiner.floor_strength = refiner.repeated = None
    refiner.shaken = refiner.steady = refiner.convention_offsets = refiner.alternated = refiner.moved_motion = None
    refiner.convention_far, refiner.fast_given = False, None


def unfinite(outputs: dict[str, np.ndarray], given: np.ndarray) -> int:
    """How many joint values of ``outputs`` (name -> (V, T, J, C)) are not finite where ``given`` (the values they
    were refined from, shaped like each output) are: over all the outputs, a joint value counted once per output."""
    held = np.isfinite(given).all(axis=-1)
    return sum(int((~np.isfinite(out).all(axis=-1) & held).sum()) for out in outputs.values())


def finite_or_fallback(refiner: Refiner, result: dict[str, np.ndarray], measured: np.ndarray, way: GiveWay,
                       broken: int = 0) -> dict[str, np.ndarray]:
    """``result`` (name -> the refined poses, (T, J, C) or (V, T, J, C), shaped like the call's input) as it is when
    every value is finite where ``measured`` ((V, T, J, C), the values measured from the input) is and ``broken`` (the
    count :func:`unfinite` found before the low-pass, which fills NaN) is 0; else the fallback's output of the whole
    input under every name, said in one warning, and recorded in ``refiner.not_finite`` (the joint values that came
    out NaN). Raises :class:`~synsp.errors.InternalError` (one line) when ``refiner`` has no fallback."""
    shaped = {name: out if out.ndim == 4 else out[None] for name, out in result.items()}
    broken = max(broken, unfinite(shaped, measured))  # the same values, often, before the low-pass and after it
    refiner.not_finite = broken
    if not broken:
        return result
    total = sum(int(np.isfinite(measured).all(axis=-1).sum()) for _ in result)
    what = f"{refiner.kind}'s refinement came out NaN in {broken} of {total} joint values (a fault in synsp: " \
           "please report it, with the input)"
    if refiner.fallback is None:
        raise InternalError(f"{what}; no fallback to give instead")
    warnings.warn(f"{what}; refined by SmoothNet instead", stacklevel=4)
    drop_steps(refiner)  # the summary reports none of SynSP's steps: they are not in this output
    out = way.fallback_output()
    return {name: out for name in result}


def finite_frames(frames: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, int]:
    """A stream's refined ``frames`` (k, V, J, C) with each value that is not finite where ``inputs`` (shaped alike:
    what the network was given for them, in the same space and unit) holds one given as that input, and how many
    joint values were (:func:`unfinite`'s count). ``frames`` itself when there is none."""
    broken = unfinite({"frames": frames}, inputs)
    if not broken:
        return frames, 0
    bad = ~np.isfinite(frames).all(axis=-1, keepdims=True) & np.isfinite(inputs).all(axis=-1, keepdims=True)
    return np.where(bad, inputs, frames).astype(frames.dtype, copy=False), broken
