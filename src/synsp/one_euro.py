"""The One-Euro filter (Casiez et al., CHI 2012): an adaptive low-pass whose cut-off rises with the
speed, offline over a sequence (:func:`one_euro`) and frame by frame (:class:`OneEuroFilter`); one of
:mod:`synsp.filters`' smoothers, its ``beta`` per body size so that one setting serves any unit."""
from __future__ import annotations

import math
import warnings

import numpy as np

from synsp.errors import OptionError
from synsp.filter_input import check_rate, prepare

ONE_EURO_BETA = 50.0
ONE_EURO_MIN_CUTOFF = 0.5  # Hz: at 20 or more per body size the result hardly depends on it


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    """Smoothing factor of a first-order low-pass at ``cutoff`` Hz sampled every ``dt`` s."""
    r = 2.0 * math.pi * cutoff * dt
    return r / (r + 1.0)


class OneEuroFilter:
    """Streaming One-Euro filter (Casiez et al., CHI 2012): one frame in, one frame out.

    An exponential low-pass whose cutoff rises with the (low-passed) speed: steady joints
    are smoothed hard, fast ones follow with little lag. Every joint and coordinate is
    filtered independently but in one vectorised step.

    Parameters
    ----------
    fps : frame rate in Hz (None: 30); the time step when no timestamp is given is ``1 / fps`` s.
    min_cutoff : cutoff in Hz at zero speed (lower = smoother).
    beta : cutoff increase per unit of speed, in Hz per (input unit / s); None (default):
        ``body_beta`` per body size per second.
    d_cutoff : cutoff in Hz of the low-pass applied to the speed estimate.
    body_beta : the speed term per body size, in Hz per (body size / s), used when ``beta`` is
        None; the size is read from the first frame (the largest side of its joints' box, as
        :func:`synsp.sequence.body_size` reads each frame), so one setting serves millimetres,
        metres and pixels alike. None: :data:`ONE_EURO_BETA`.

    Notes
    -----
    Time is in seconds and cutoffs in Hz, so a setting means the same at any frame rate.
    SmoothNet's and mmpose's implementations step time in frames (dt = 1): their settings
    equal ours at ``fps=1``; at a frame rate F the same filter is ``min_cutoff * F``,
    ``beta`` unchanged, ``d_cutoff * F``. ``beta`` multiplies a speed, so it also scales with
    the position unit: the paper's (0.04, 0.7, d_cutoff 1) on metres at 30 fps is
    (1.2, 0.0007, 30) on millimetres, ``body_beta`` 1 for a 1.43 m body (the mocap's median size):
    :data:`PAPER_SETTINGS`. The defaults follow fast motion more closely (:data:`ONE_EURO_BETA`).
    Taken literally in Hz and millimetres, (0.04, 0.7) barely smooths (the speed
    term dominates the cutoff); the same 0.0007 per mm/s on metres or pixels lags far behind.

    A joint that is NaN in a frame keeps its state and returns its last estimate (NaN until
    it has been seen once); the filter cannot look ahead to fill it.

    Examples
    --------
    >>> import numpy as np
    >>> f = OneEuroFilter(fps=30.0)
    >>> f(np.zeros((17, 3))).shape
    (17, 3)
    """

    def __init__(self, fps: float | None = 30.0, min_cutoff: float = ONE_EURO_MIN_CUTOFF, beta: float | None = None,
                 d_cutoff: float = 30.0, body_beta: float | None = None):
        fps = check_rate(fps)
        for name, value in (("min_cutoff", min_cutoff), ("d_cutoff", d_cutoff)):
            if not value > 0:
                raise OptionError(f"{name} must be > 0, got {value!r}")
        if beta is not None and not beta >= 0:
            raise OptionError(f"beta must be >= 0, got {beta!r}")
        if body_beta is not None and not (np.isfinite(body_beta) and body_beta >= 0):
            raise OptionError(f"body_beta must be a number >= 0 (Hz per body size per second), got {body_beta!r}")
        if beta is not None and body_beta is not None:
            raise OptionError("give beta (per unit of speed) or body_beta (per body size), not both")
        self.body_beta = ONE_EURO_BETA if body_beta is None else float(body_beta)
        self.fps, self.min_cutoff = float(fps), float(min_cutoff)
        self.beta, self.d_cutoff = None if beta is None else float(beta), float(d_cutoff)
        self.reset()

    def __repr__(self) -> str:
        return (f"OneEuroFilter(fps={self.fps}, min_cutoff={self.min_cutoff}, beta={self.beta}, "
                f"d_cutoff={self.d_cutoff}, body_beta={self.body_beta})")

    def reset(self) -> None:
        """Forget the past: the next frame is passed through as the first one."""
        self._x: np.ndarray | None = None  # last estimate, float64
        self._dx: np.ndarray | None = None  # last low-passed speed, input unit per second
        self._t: float | None = None
        self._beta: float | np.ndarray | None = self.beta  # None until the first frame gives the body's size

    def __call__(self, frame: np.ndarray, timestamp: float | None = None) -> np.ndarray:
        """Filter one frame.

        Parameters
        ----------
        frame : (J, C) array (any shape, as long as it stays the same between calls).
        timestamp : time of this frame in seconds; if None, frames are ``1 / fps`` apart.

        Returns
        -------
        The filtered frame, same shape and dtype as ``frame``.
        """
        a = np.asarray(frame)
        dtype = a.dtype if np.issubdtype(a.dtype, np.floating) else np.dtype(np.float64)
        x = a.astype(np.float64)
        if self._x is not None and x.shape != self._x.shape:
            raise ValueError(f"frame must keep the shape {self._x.shape} of earlier frames, got shape {x.shape}")
        if self._x is None:
            if self._beta is None:
                self._beta = _beta_for(x, self.body_beta)
            self._x, self._dx = x.copy(), np.zeros_like(x)
            self._t = timestamp
            return x.astype(dtype)
        dt = 1.0 / self.fps
        if timestamp is not None and self._t is not None:
            if not timestamp > self._t:
                raise ValueError(f"timestamp must increase, got {timestamp!r} after {self._t!r}")
            dt = float(timestamp - self._t)
        self._t = timestamp if timestamp is not None else (None if self._t is None else self._t + dt)
        fresh = np.isnan(self._x) & ~np.isnan(x)  # first sighting of a joint: take it as is
        seen = ~np.isnan(x) & ~fresh
        dx = (x - self._x) / dt
        dx_hat = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self._beta * np.abs(dx_hat)
        x_hat = self._x + _alpha(cutoff, dt) * (x - self._x)
        self._dx = np.where(seen, dx_hat, self._dx)
        self._x = np.where(seen, x_hat, np.where(fresh, x, self._x))
        return self._x.astype(dtype)


def _beta_for(frame: np.ndarray, body_beta: float) -> np.ndarray:
    """``body_beta`` (Hz per body size / s) in Hz per (unit / s) for a frame (..., J, C), per person or view
    (shaped (..., 1, 1)): divided by the largest side of that person's joints' box, NaN joints
    left out; 0 (no speed term) for a body of no size or none seen."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a person with no joint seen
        size = (np.nanmax(frame, axis=-2) - np.nanmin(frame, axis=-2)).max(axis=-1)
    ok = np.isfinite(size) & (size > 0)
    return np.where(ok, body_beta / np.where(ok, size, 1.0), 0.0)[..., None, None]


def one_euro(
    x: np.ndarray, *, fps: float | None = 30.0, min_cutoff: float = ONE_EURO_MIN_CUTOFF, beta: float | None = None,
    d_cutoff: float = 30.0,
    body_beta: float | None = None,
) -> np.ndarray:
    """One-Euro filter over a whole sequence, frame by frame (causal, like live use).

    Exactly what :class:`OneEuroFilter` gives when fed the frames one at a time, but all
    joints, coordinates (and leading axes) of a frame are filtered in one step.

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit; frames ``1 / fps`` seconds apart.
    fps, min_cutoff, beta, d_cutoff, body_beta : see :class:`OneEuroFilter` (Hz, Hz per unit/s and
        Hz per body size / s).
        The defaults: :data:`ONE_EURO_MIN_CUTOFF` and :data:`ONE_EURO_BETA` per body size.

    Returns
    -------
    Filtered array, same shape and dtype as ``x``.
    """
    a, dtype = prepare(x)
    frames = np.moveaxis(a, -3, 0)  # (T, ..., J, C)
    f = OneEuroFilter(fps=fps, min_cutoff=min_cutoff, beta=beta, d_cutoff=d_cutoff, body_beta=body_beta)
    out = np.empty_like(frames)
    for i, frame in enumerate(frames):
        out[i] = f(frame)
    return np.moveaxis(out, 0, -3).astype(dtype)
