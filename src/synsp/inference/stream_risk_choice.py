"""The low-pass of least estimated risk (:mod:`synsp.inference.risk_choice`) on a live stream.

Offline, each joint takes the zero-phase low-pass of :data:`~synsp.inference.risk_choice.CUTOFFS` (or the
input itself) of least Stein's unbiased risk for white noise, read over the whole clip. A stream reads it over
the frames it has given back so far: each low-pass is the offline filter run over the input the stream holds
around the frames it gives back now (the history before them and the frames after them that have arrived),
taken at those frames. Being linear, a filter of a track of ``n`` frames is one (n, n) matrix, built once per
length (:func:`filter_matrix`); row t gives frame t's output, and the diagonal there is how much it follows its
own input, the filter's divergence, so each low-pass's risk is summed frame by frame (:class:`RunningLowpasses`),
the filter's edge included.

Two steps read it: a 3D stream's light noise only (:mod:`synsp.inference.stream_noise_only`) and the joints of
another layout beyond the model's under white noise (:class:`RunningWhereWhite`; offline:
:func:`~synsp.inference.risk_choice.lowpass_where_white`): where the input's running whiteness
(:class:`~synsp.inference.stream_white_noise.RunningWhiteness`, over all the layout's joints, as offline reads it)
is under :data:`~synsp.inference.white_noise.WHITE_RAMP`, those joints take the low-pass of least running risk,
faded out over the ramp. What it gains: benchmarks/RESULTS.md, section 12, "A stream's joints beyond the
model's under light white noise".
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.filters import butterworth
from synsp.inference.clean import NOISE_BAND, opened
from synsp.inference.risk_choice import CUTOFFS, ORDER
from synsp.inference.stream_white_noise import RunningWhiteness
from synsp.inference.white_noise import MID_BAND, WHITE_RAMP, rounding_variance

__all__ = ["filter_matrix", "lowpass_matrices", "RunningLowpasses", "RunningWhereWhite", "WHERE_WHITE_FIRST"]

# Per space, frames given back before the extra joints' low-pass moves any (offline: clips of RISK_FRAMES, 32, or
# more): the running whiteness is loose over a stream's first frames. Validation, HALPE-26, 6 clips (white 1 px / 1 mm
# at 30 fps; `jitter`): 2D 16 moved no preset (white 0.501 -> 0.440 x input, 8 and 32 within 0.0004 of it); 3D 8, 16
# and 32 moved `jitter` (0.8758 -> 0.8771, between its 32nd and 48th frames), 48 did not (white 0.771 -> 0.634; 16
# gave 0.602). benchmarks/RESULTS.md, section 12, "A stream's joints beyond the model's under light white noise".
WHERE_WHITE_FIRST = {"2d": 16, "3d": 48}


@lru_cache(maxsize=1024)  # a stream's history grows to ~75 frames, one length at a time
def filter_matrix(n: int, share: float, order: int) -> np.ndarray:
    """(n, n) the zero-phase Butterworth low-pass at ``share`` of the Nyquist rate, effective order ``order``,
    with its end padding, on a track of ``n`` frames (:func:`synsp.filters.butterworth`): row t gives frame t's
    output from the track's frames. Read from the filter's impulse responses, once per length; read-only."""
    impulses = np.eye(n)[:, :, None, None]  # (n tracks, n frames, 1, 1)
    matrix = butterworth(impulses, cutoff=share * 15.0, order=order, fps=30.0)[:, :, 0, 0].T
    matrix.flags.writeable = False
    return matrix


@lru_cache(maxsize=256)
def lowpass_matrices(n: int) -> np.ndarray:
    """(L, n, n) :func:`filter_matrix` of each low-pass of :data:`~synsp.inference.risk_choice.CUTOFFS` (order
    :data:`~synsp.inference.risk_choice.ORDER`), as :func:`~synsp.inference.risk_choice.best_lowpass` filters."""
    return np.stack([filter_matrix(n, cut, ORDER) for cut in CUTOFFS])


class RunningLowpasses:
    """The running risks of each low-pass of :data:`~synsp.inference.risk_choice.CUTOFFS` of one stream's
    tracks (any shape (..., C) per frame), summed over the frames given back."""

    def __init__(self):
        self._lows = 0.0  # (L, ...) summed squared distance of each low-pass to the input, per joint
        self._spread = np.zeros(len(CUTOFFS))  # (L,) summed divergence per value of each, at the frames summed
        self.count = 0  # frames summed

    def add(self, inputs: np.ndarray, around: np.ndarray, at: int) -> np.ndarray:
        """Sum the frames ``inputs`` (k, ..., C, float64): rows ``at`` to ``at + k`` of ``around`` (n, ..., C),
        the input the stream holds. Returns (L, k, ..., C) each low-pass there."""
        k = len(inputs)
        rows = lowpass_matrices(len(around))[:, at:at + k]  # (L, k, n)
        lows = (rows @ np.asarray(around, np.float64).reshape(len(around), -1)).reshape((len(CUTOFFS),) + inputs.shape)
        self._lows = self._lows + np.sum((lows - inputs) ** 2, axis=(1, -1))
        self._spread = self._spread + np.einsum("lkk->l", rows[:, :, at:at + k])  # the matrices' diagonals there
        self.count += k
        return lows

    def best(self, s2: np.ndarray, coords: int) -> tuple[np.ndarray, np.ndarray]:
        """Per joint, for white noise of variance ``s2`` (...) per coordinate over ``coords`` coordinates:
        the index of the low-pass of least running risk, -1 where the input itself is less, and that risk
        (...), squared error summed over the frames summed and the coordinates."""
        n = self.count * coords
        spread = self._spread.reshape((-1,) + (1,) * np.ndim(s2))
        low_risk = self._lows - n * s2 + 2.0 * s2 * coords * spread  # (L, ...)
        best = np.argmin(low_risk, axis=0)
        least = np.take_along_axis(low_risk, best[None], 0)[0]
        return np.where(least < n * s2, best, -1), np.minimum(least, n * s2)  # the input itself: its noise

    @staticmethod
    def target(lows: np.ndarray, inputs: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """(k, ..., C): each joint's low-pass of ``lows`` (L, k, ..., C) that ``chosen`` (...) names, ``inputs``
        (k, ..., C) itself where it is -1."""
        picked = np.take_along_axis(lows, np.maximum(chosen, 0)[None, None, ..., None], 0)[0]
        return np.where((chosen >= 0)[None, ..., None], picked, inputs)


class RunningWhereWhite:
    """:func:`~synsp.inference.risk_choice.lowpass_where_white` for one person of a stream in another layout
    (:class:`synsp.inference.stream_layouts.OtherLayout`): its ``joints`` (the layout's joints the model
    does not give) take the low-pass of least running risk where the input's running whiteness reads white."""

    def __init__(self, joints: list[int]):
        self.joints = list(joints)
        self.white = RunningWhiteness()  # over every joint of the layout, as offline reads it
        self._lowpasses = RunningLowpasses()
        self._relative = RunningLowpasses()  # the same low-passes relative to the body's refined path
        self._noise = 0.0  # (J',) summed squared fast part of the joints' input at the frames given back

    def __call__(self, out: np.ndarray, around: np.ndarray, at: int, path: np.ndarray | None = None) -> np.ndarray:
        """``out`` (J, C), the stream's output for row ``at`` of ``around`` (n, J, C, float64, no NaN), the
        input the stream holds around it (the frames given back before and the ones after that have arrived,
        in order). ``path`` (n, 1, C): the body's refined path over those frames
        (:func:`~synsp.inference.risk_choice.refined_path`; at frames not refined yet, the input's): each
        low-pass is tried relative to it too, as offline, each joint taking the candidate of least running risk.
        Returns (J, C): ``out`` with the joints moved by the share towards their low-pass; ``out``
        itself before :data:`WHERE_WHITE_FIRST` frames (C 3: 3D), or where the noise does not read white."""
        n = len(around)
        x = around[at]
        flat = around.reshape(n, -1)
        fast = x - (filter_matrix(n, NOISE_BAND, 4)[at] @ flat).reshape(x.shape)  # clean.fast_part, here
        below = (filter_matrix(n, MID_BAND[0], 4)[at] @ flat).reshape(x.shape)  # stream_white_noise.below_mid
        self.white.add(x[None], fast[None], below[None])
        if not self.joints:
            return out
        self.white.rounding = rounding_variance(around)  # a grid's rounding hides no colour (offline's white_share)
        self._noise = self._noise + np.sum(fast[self.joints] ** 2, axis=-1)
        lows = self._lowpasses.add(x[None, self.joints], around[:, self.joints], at)  # (L, 1, J', C)
        if path is not None:  # relative to the body's path, put back on it (of the same divergence)
            relative = self._relative.add(x[None, self.joints] - path[at], around[:, self.joints] - path, at)
        share = 1.0 - float(opened(self.white.whiteness, WHITE_RAMP))
        coords = x.shape[-1]
        if self._lowpasses.count < WHERE_WHITE_FIRST["3d" if coords == 3 else "2d"] or share <= 0.0:
            return out
        s2 = self._noise / self._lowpasses.count / (1.0 - NOISE_BAND) / coords  # risk_choice.noise_variance, here
        chosen, risk = self._lowpasses.best(s2, coords)
        target = RunningLowpasses.target(lows, x[None, self.joints], chosen)[0]
        if path is not None and self._relative.count == self._lowpasses.count:  # summed over the same frames
            near, near_risk = self._relative.best(s2, coords)
            nearer = near_risk < risk  # the input itself reads the same risk either way: kept absolute
            target = np.where(nearer[:, None], RunningLowpasses.target(relative + path[at], x[None, self.joints],
                                                                       near)[0], target)
        moved = np.asarray(out, np.float64).copy()
        moved[self.joints] += share * (target - moved[self.joints])
        return moved.astype(np.asarray(out).dtype)
