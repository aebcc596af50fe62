"""SynSP as an mmpose 0.x temporal filter: ``filter_cfg=dict(type='SynSPFilter', ...)``.

mmpose 0.x smooths pose results with ``mmpose.core.Smoother``, which builds a filter from
``filter_cfg`` through the ``FILTERS`` registry of
``mmpose.core.post_processing.temporal_filters.builder``. A filter has a ``window_size``
and is called on one target's pose sequence ``x`` (T, K, C) (pixels for 2D, any unit for
3D), returning the smoothed (T, K, C). Offline the Smoother passes the whole clip; online
(frame by frame) it passes the last ``window_size`` frames and keeps the last output
frame, and it keeps one filter object per track, so a filter may carry state.

Importing this module registers :class:`SynSPFilter` when mmpose 0.x is importable, which
is what a config's ``custom_imports = dict(imports=['synsp.integrations.mmpose'])`` does::

    custom_imports = dict(imports=['synsp.integrations.mmpose'], allow_failed_imports=False)
    filter_cfg = dict(type='SynSPFilter', method='synsp')
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np

from synsp.filters import FPS_FILTERS, OneEuroFilter
from synsp.model import NETWORKS
from synsp.refining.arrays import cached_model, input_layout, method_function, model_layout, refine_track
from synsp.refining.dropped_frames import dropped_after, refine_with_drops

__all__ = ["SynSPFilter", "FILTERS"]

_HISTORY = 31  # frames of context for the offline filters online (their default windows are 31)


class SynSPFilter:
    """mmpose 0.x ``TemporalFilter`` running any synsp method on (T, K, C) pose sequences.

    Parameters
    ----------
    method : one of ``synsp.METHODS`` (default ``"synsp"``).
    window_size : frames the Smoother hands over online (history + the new frame); default:
        the network's window (8 frames for SynSP, 32 for SmoothNet), 1 for One-Euro (it keeps its state
        across calls, as mmpose's own does), 31 for the other filters. A sequence longer than it (offline, the
        whole clip) has the frames its capture skipped read and refined as gaps, as ``synsp refine`` reads them; one
        no longer (an online window, or a clip that short) reads none.
    checkpoint, device : the network to use (default: the shipped model for 2D or 3D).
    layout : the keypoints' layout (``coco17``, ``halpe26``, ``coco133``, ...); by default
        the network's when K matches it, else the one layout with K joints; other layouts
        are converted as ``synsp refine`` does.
    fps : frame rate for One-Euro, Butterworth and the networks (default 30).
    **options : further settings of the method (e.g. ``min_cutoff`` for One-Euro).
    """

    def __init__(self, method: str = "synsp", window_size: int | None = None, checkpoint: str | None = None,
                 device: str | None = None, layout: str | None = None, fps: float | None = None, **options):
        method_function(method)  # an unknown method fails when the config is built
        self.method, self.layout = method, layout
        self.options = dict(options)
        if method in NETWORKS:
            self.options.update(checkpoint=checkpoint, device=device)
            from synsp.inference.checkpoint import default_model

            # the 2D and 3D shipped models of a kind share their window
            default = cached_model(str(checkpoint or default_model(method, "2d")), device).window
        else:
            default = 1 if method == "one-euro" else _HISTORY
        if fps is not None and (method in FPS_FILTERS or method in NETWORKS):
            self.options["fps"] = float(fps)
        size = default if window_size is None else window_size
        if not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"window_size must be an int >= 1, got {window_size!r}")
        self._window_size = int(size)
        self._one_euro = OneEuroFilter(**self.options) if method == "one-euro" else None

    @property
    def window_size(self) -> int:
        """Frames the Smoother passes online: ``window_size - 1`` of history plus the new one."""
        return self._window_size

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth one target's pose sequence (T, K, C); returns (T, K, C) in the input's unit and dtype."""
        a = np.asarray(x)
        if a.ndim != 3 or a.shape[-1] not in (2, 3):
            raise ValueError(f"SynSPFilter: input must be a pose sequence [T, K, C] with C = 2 or 3, got {a.shape}")
        if a.shape[0] == 0 or not np.isfinite(a).all(-1).any():
            return a.copy()  # nothing measured: nothing to smooth
        dtype = a.dtype if np.issubdtype(a.dtype, np.floating) else np.dtype(np.float64)
        if self._one_euro is not None:  # stateful, frame by frame, as mmpose's OneEuroFilter
            return np.stack([self._one_euro(frame) for frame in a]).astype(dtype)
        layout = None
        if self.method in NETWORKS:
            target = model_layout(a.shape[-1], self.options.get("checkpoint"), self.options.get("device"))
            layout = input_layout(a, None, self.layout, Path("SynSPFilter"), target)
        x = a.astype(np.float32)
        refine = partial(refine_track, layout=layout, method=self.method, **self.options)
        # offline (the whole clip): frames the capture skipped are read from the motion and refined as gaps, as
        # synsp refine and synsp.refine read a clip's with no times; online windows are too short to tell them by
        after = dropped_after(x) if len(x) > self.window_size else np.zeros(0, int)
        return (refine_with_drops(x, after, refine) if len(after) else refine(x)).astype(dtype)


def _registry():
    """mmpose 0.x's filter registry, or None when mmpose 0.x is not installed (1.x has none)."""
    try:
        from mmpose.core.post_processing.temporal_filters.builder import FILTERS as registry
    except ImportError:
        return None
    return registry


FILTERS = _registry()
if FILTERS is not None:
    # force: importing twice (custom_imports in several configs) must not fail on a duplicate name
    FILTERS.register_module(name="SynSPFilter", module=SynSPFilter, force=True)
