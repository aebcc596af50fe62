"""Clips shorter than the network's window: a low-pass instead of the networks.

SynSP's network sees windows of :data:`SHORT_FRAMES` frames and SmoothNet's of 32; a clip shorter than the
8-frame window is padded by holding its last frame, a sudden stop the networks smooth, and the clean-input test
(:mod:`synsp.inference.clean`), which reads the noise above 12 Hz through a low-pass, reads little on a handful
of frames. On validation clips cut to 3, 5 and 7 frames (3D HALPE-26, clean poses: RESULTS section 10, "Clips
shorter than the network's window") SynSP moved clean poses by 1.8-2.3 mm and SmoothNet by 3.0-3.2 mm, and both
left `clean-ish` input worse than it came; the Butterworth low-pass (``--method butterworth``'s, 6 Hz) moved them
0.6-1.0 mm and left `clean-ish` level, at some cost on heavy jitter. A clip (or one person's span) of 3 to
:data:`SHORT_FRAMES` - 1 frames refined by a network therefore takes that low-pass for every joint; clips of
:data:`SHORT_FRAMES` frames or more take the networks' route unchanged (the guard). ``synsp refine`` says so
in one line (:func:`synsp.refining.route_notes.short_note`).
"""
from __future__ import annotations

import numpy as np

__all__ = ["SHORT_FRAMES", "SHORT_METHOD", "SHORT_NETWORKS", "is_short", "short_options"]

SHORT_FRAMES = 8  # the SynSP network's window (frames): below it, the low-pass
SHORT_NETWORKS = ("synsp", "smoothnet")  # windows of 8 and 32 frames; a network added with a shorter one keeps its own
SHORT_METHOD = "butterworth"  # the filter that refines them (its defaults: 6 Hz, order 4, scipy's ends)


def is_short(poses: np.ndarray, method: str, options: dict) -> bool:
    """Whether network ``method`` hands ``poses`` (T, J, C) or (V, T, J, C) to :data:`SHORT_METHOD`: fewer
    than :data:`SHORT_FRAMES` frames, and not the bare network (``network_only``, asked for as it is)."""
    return method in SHORT_NETWORKS and not options.get("network_only") and poses.shape[-3] < SHORT_FRAMES


def short_options(options: dict) -> dict:
    """The options :data:`SHORT_METHOD` takes from a network's ``options``: the frame rate alone."""
    return {} if options.get("fps") is None else {"fps": options["fps"]}

