"""Where a 3D body is: the network refines root-relative poses, and the body is placed back by its
root's (or its joints' mean's) own trajectory, smoothed here."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.signal import savgol_coeffs

from synsp.filters import savgol
from synsp.inference.frame_rate import run_at_rate

# 3D: the root's own trajectory (the network sees root-relative poses) is smoothed by a
# Savitzky-Golay fit of this many frames and order, short enough to keep its real accelerations;
# fitted at the rate the network refines at (:func:`smoothed_track`), as the network's frames are.
ROOT_WINDOW, ROOT_ORDER = 9, 2
# 3D: place the refined body by the mean over its joints (that trajectory, smoothed as above),
# not by its root joint alone, so that one joint's error (a pelvis off in depth) does not move
# the whole body; root-relative figures are unchanged (RESULTS section 6, "The root at high
# frame rates"). Streams keep the root joint (synsp.inference.streaming).
MEAN_ANCHOR = True


def smoothed_track(root: np.ndarray, fps: float | None, covered_fps: tuple[float, float],
                   whole_span: bool = False) -> np.ndarray:
    """The root's trajectory (V, T, 1, 3), mm, recorded at ``fps`` (None: a rate the network
    knows), smoothed by the Savitzky-Golay fit (:data:`ROOT_WINDOW`) at the rate the network
    refines at (:func:`~synsp.inference.frame_rate.run_at_rate` over ``covered_fps``, the rates
    it was trained at): its 9 frames span 0.3 s at 30 fps, but 37 ms at 240 fps, where they
    passed the noise (RESULTS section 6, "The root at high frame rates"). ``whole_span``: a resampled clip's
    grid reaches past its last frame, as the network's does (``run_at_rate(whole_span=True)``), so the last
    frames' places are interpolated, not extrapolated (RESULTS section 10, "The 3D root's track at a clip's ends")."""
    fit = lambda r: {"root": np.stack([savgol(v, window=ROOT_WINDOW, order=ROOT_ORDER) for v in r])}  # noqa: E731
    return run_at_rate(fit, root, fps, covered_fps, whole_span=whole_span)["root"]


def paced_root_window(stretch: float | None) -> int:
    """The frames (odd) of a stream's root fit when its windows are paced ``stretch`` times slower
    than the input (None: not paced): the span :data:`ROOT_WINDOW` frames have at the paced rate,
    as offline's fit at that rate (:func:`smoothed_track`) spans ``(ROOT_WINDOW - 1) / stretch``
    input frames; at 3x a walk's bounce is 5-6 Hz, which 9 frames at 30 fps cut."""
    if stretch is None or stretch <= 1.0:
        return ROOT_WINDOW
    return 2 * int(round((ROOT_WINDOW - 1) / stretch / 2)) + 1


def running_root(roots: dict[int, np.ndarray], t: int, start: int, last: int,
                 stretch: float | None = None) -> np.ndarray:
    """A stream's root (V, 1, 3) at frame ``t``: the Savitzky-Golay fit (:data:`ROOT_WINDOW`, or
    :func:`paced_root_window` of the stream's pace ``stretch``) of the raw roots ``roots`` (frame ->
    (V, 1, 3)) of frames ``start``..``last`` (the first detected and the newest), centred on t where
    those frames exist, else the one nearest the edge (as offline)."""
    span = last - start + 1
    w = min(paced_root_window(stretch), span if span % 2 else span - 1)
    if w <= ROOT_ORDER:
        return roots[t]
    first = min(max(t - w // 2, start), last - w + 1)
    return np.tensordot(_root_coeffs(w, t - first), np.stack([roots[first + k] for k in range(w)]), axes=1)


@lru_cache(maxsize=128)  # every person's root at every frame asks for one of a few fits
def _root_coeffs(window: int, pos: int) -> np.ndarray:
    """Savitzky-Golay weights (window,) of the root's fit at position ``pos`` of its window."""
    coeffs = savgol_coeffs(window, ROOT_ORDER, pos=pos, use="dot")
    coeffs.flags.writeable = False
    return coeffs
