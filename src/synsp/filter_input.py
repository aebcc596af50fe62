"""What every classic filter (:mod:`synsp.filters`, :mod:`synsp.one_euro`) checks and prepares first:
the pose array (missing joints filled), the frame rate and the window."""
from __future__ import annotations

import math

import numpy as np

from synsp.errors import OptionError
from synsp.sequence import fill_gaps, pose_array


def prepare(x: np.ndarray) -> tuple[np.ndarray, np.dtype]:
    """Validate (..., T, J, C); return a gap-free float64 copy and the dtype to give back."""
    a = pose_array(x)
    dtype = a.dtype if np.issubdtype(a.dtype, np.floating) else np.dtype(np.float64)
    a = a.astype(np.float64)
    if not np.isfinite(a).all():  # NaN, and inf too: missing (fill_gaps reads both so)
        a = fill_gaps(a)[0]
    return a, dtype


# The filters' frame rate when none is given (``fps=None`` or no ``fps``): the evaluation clips'.
DEFAULT_FPS = 30.0


def check_rate(fps: float | None) -> float:
    """``fps`` as a float (None: no rate given, :data:`DEFAULT_FPS`), or a ``ValueError`` unless it is a
    positive finite frame rate."""
    if fps is None:
        return DEFAULT_FPS
    try:
        rate = float(fps)
    except (TypeError, ValueError):
        rate = math.nan
    if not (math.isfinite(rate) and rate > 0):
        raise OptionError(f"fps must be a positive number, got {fps!r}")
    return rate


def odd_window(window: int, name: str = "window") -> int:
    """``window`` as an int, or a ``ValueError`` naming ``name`` unless it is a positive odd int."""
    if not isinstance(window, (int, np.integer)) or window < 1 or window % 2 == 0:
        raise OptionError(f"{name} must be a positive odd int, got {window!r}")
    return int(window)
