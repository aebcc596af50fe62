"""Where a 3D body is: the network refines root-relative poses, and the body is placed back by its
root's (or its joints' mean's) own trajectory, smoothed here."""
from __future__ import annotations

import numpy as np

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


def smoothed_track(root: np.ndarray, fps: float | None, covered_fps: tuple[float, float]) -> np.ndarray:
    """The root's trajectory (V, T, 1, 3), mm, recorded at ``fps`` (None: a rate the network
    knows), smoothed by the Savitzky-Golay fit (:data:`ROOT_WINDOW`) at the rate the network
    refines at (:func:`~synsp.inference.frame_rate.run_at_rate` over ``covered_fps``, the rates
    it was trained at): its 9 frames span 0.3 s at 30 fps, but 37 ms at 240 fps, where they
    passed the noise (RESULTS section 6, "The root at high frame rates")."""
    fit = lambda r: {"root": np.stack([savgol(v, window=ROOT_WINDOW, order=ROOT_ORDER) for v in r])}  # noqa: E731
    return run_at_rate(fit, root, fps, covered_fps)["root"]
