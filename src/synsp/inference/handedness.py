"""A mirrored (selfie) 2D clip, read by the network's own correction and refined mirrored back.

A phone's front camera writes the image mirrored; keypoints estimated on the camera's raw frames and drawn on its
mirrored preview (x -> W - x, the labels kept) are a left-handed body in the picture. Seen flat, it is a right-handed
body facing the other way, so no 2D geometry tells it (RESULTS section 9, "Which way is up"); but the network learnt
bodies seen from cameras above them (elevation -5 to 30 degrees), and a mirror reads as a body seen from below, which
it "corrects": validation, `jitter`, mirrored clips came out 0.721 x input against 0.676 as given (now 0.706), up to
1.45 x on one. Its correction of such a clip (its output against a 6 Hz Butterworth of the input) is larger than of
the same clip mirrored back; when the clip as given needs :data:`MIRROR_READ` times the correction of its mirror, it
is refined mirrored (a turn in :class:`~synsp.inference.network_frame.NetworkFrame`, undone with it), and the
summary's ``axes:`` line says so. RESULTS section 9, "A mirrored (selfie) 2D video".
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.floor import BASELINE_HZ
from synsp.inference.network_frame import NetworkFrame

__all__ = ["FLIP", "MIRROR_READ", "READ_STRIDE", "correction_ratio", "correction_size", "mirror_ratio",
           "read_handedness"]

# Mirror a 2D clip when its correction is this many times its mirror's (None: never). On the validation split the
# clips as given read at most 1.51 (`hard`; `typical` 1.47, clean 1.40, `clean-ish` 1.38, `jitter` 1.27), so none is
# mirrored; mirrored, 6 of 65 `jitter` clips read 2.0 or more. At 1.7 (3 `typical`, 11 `jitter`) the tests' flat
# walking figure (tests/walking.py, its left joints on the image's left) read 1.71-1.84 and was mirrored. Chosen there
# (benchmarks/selfie.py).
MIRROR_READ: float | None = 2.0
READ_STRIDE = 8  # the reading's windows, every 8 frames: it only takes a mean over the clip (convention_pass's too)
FLIP = np.array([-1.0, 1.0])  # the image's x mirrored


def correction_size(out: np.ndarray, seq: np.ndarray, fps: float | None) -> float:
    """Mean distance (the input's unit) of a network's ``out`` from a Butterworth of its input ``seq`` at the floor
    step's :data:`~synsp.inference.floor.BASELINE_HZ` (6 Hz, without its end fit), both
    (V, T, J, 2) at ``fps`` frames per second (None: 30): how much it changed beyond smoothing."""
    rate = 30.0 if fps is None else float(fps)
    smooth = butterworth(seq, cutoff=cutoff_for(BASELINE_HZ, rate), order=4, fps=rate)
    return float(np.mean(np.linalg.norm(out - smooth, axis=-1)))


def mirror_ratio(run: Callable[[np.ndarray, int], dict[str, np.ndarray]], seq: np.ndarray,
                 fps: float | None) -> float:
    """The network's correction of ``seq`` (V, T, J, 2, in its frame) over its correction of ``seq`` mirrored in x;
    ``run(seq, stride)`` gives the network's outputs by name (the last one read). Above 1: the mirror looks more like
    the bodies it learnt."""
    def final(s: np.ndarray) -> np.ndarray:
        out = run(s, READ_STRIDE)
        return out.get("final", next(iter(out.values())))
    return correction_ratio(final(seq), final(seq * FLIP.astype(seq.dtype)), seq, fps)


def correction_ratio(given: np.ndarray, mirrored: np.ndarray, seq: np.ndarray, fps: float | None) -> float:
    """:func:`correction_size` of the network's output ``given`` of ``seq`` (V, T, J, 2) over that of its output
    ``mirrored`` of ``seq`` mirrored in x (1.0 when the mirror's is 0): :func:`mirror_ratio` from outputs at hand."""
    given_size = correction_size(given, seq, fps)
    mirror = correction_size(mirrored, seq * FLIP.astype(seq.dtype), fps)
    return given_size / mirror if mirror > 0 else 1.0


def read_handedness(run: Callable[[np.ndarray, int], dict[str, np.ndarray]], seq: np.ndarray, frame: NetworkFrame,
                    fps: float | None, *, reads: bool) -> tuple[np.ndarray, NetworkFrame]:
    """``seq`` (V, T, J, C) and its ``frame`` (:func:`~synsp.inference.network_frame.into_network_frame`), mirrored in
    x when ``reads`` (2D SynSP in its own layout, the upright turn on) and :func:`mirror_ratio` is at least
    :data:`MIRROR_READ`; else both as given. The mirror joins ``frame.turn``, so ``frame.back`` undoes it."""
    if not reads or MIRROR_READ is None or seq.shape[-1] != 2 or mirror_ratio(run, seq, fps) < MIRROR_READ:
        return seq, frame
    turn = np.diag(FLIP) @ (np.eye(2) if frame.turn is None else frame.turn)
    return seq * FLIP.astype(seq.dtype), dataclasses.replace(frame, turn=turn)
