"""The One-Euro filter (Casiez et al., CHI 2012): an adaptive low-pass whose cut-off rises with the
speed, offline over a sequence (:func:`one_euro`) and frame by frame (:class:`OneEuroFilter`); one of
:mod:`synsp.filters`' smoothers, its ``beta`` per body size so that one setting serves any unit."""
from __future__ import annotations

import math
import warnings

import numpy as np

from synsp.errors import OptionError
from synsp.filter_input import check_rate, prepare
from synsp.medians import nanmedian

ONE_EURO_BETA = 50.0
ONE_EURO_MIN_CUTOFF = 0.5  # Hz: at 20 or more per body size the result hardly depends on it
# The body's size is read over the stream's first second (what a stream knows by then, no look-ahead): the first
# frame's, unless it lies beyond this factor of the median of the frames so far (one joint astray in it, a false
# keypoint, widened the box 3 x on audit 34's clips; a body's box changes far less within a second), then that median.
SIZE_S, FIRST_FRAME_SLACK = 1.0, 1.5


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
        None; the size is the largest side of the joints' box (as :func:`synsp.sequence.body_size` reads
        each frame), read over the first :data:`SIZE_S` s (:func:`_size_over`: the first frame's unless it
        is astray), so one setting serves millimetres, metres and pixels alike; a single tracked point (a
        ball, a marker, one wrist: a box of no size) takes the side of its path's box over that second.
        None: :data:`ONE_EURO_BETA`.

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
        self._sizes: list[np.ndarray] = []  # the box's side of each frame of the first second, (...,) each
        self._path: tuple[np.ndarray, np.ndarray] | None = None  # lowest, highest x of the first second, (..., C)
        self._elapsed = 0.0  # seconds since the first frame
        self._size: np.ndarray | None = None  # the body's size read so far, (...,): 0 a single point, NaN none seen
        self._point = False  # some person is a single point: its beta follows its path over the first second

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
            if self.beta is None:
                self._read_size(x)
            self._x, self._dx = x.copy(), np.zeros_like(x)
            self._t = timestamp
            return x.astype(dtype)
        dt = 1.0 / self.fps
        if timestamp is not None and self._t is not None:
            if not timestamp > self._t:
                raise ValueError(f"timestamp must increase, got {timestamp!r} after {self._t!r}")
            dt = float(timestamp - self._t)
        self._t = timestamp if timestamp is not None else (None if self._t is None else self._t + dt)
        self._elapsed += dt
        if self._sizes:  # the body's size is still being read
            self._read_size(x) if self._elapsed <= SIZE_S + 1e-9 else self._settle()
        fresh = np.isnan(self._x) & ~np.isnan(x)  # first sighting of a joint: take it as is
        seen = ~np.isnan(x) & ~fresh
        dx = (x - self._x) / dt
        dx_hat = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self._beta * np.abs(dx_hat)
        x_hat = self._x + _alpha(cutoff, dt) * (x - self._x)
        self._dx = np.where(seen, dx_hat, self._dx)
        self._x = np.where(seen, x_hat, np.where(fresh, x, self._x))
        return self._x.astype(dtype)


    def _read_size(self, x: np.ndarray) -> None:
        """Take frame ``x`` (..., J, C) of the first second into the body's size and ``self._beta``: the size is
        (re)read at the first frame and the third (:func:`_size_over`), a single point's path every frame."""
        if np.isfinite(x).all():  # the nan-functions and a warnings context cost more than the whole step
            low, high = x.min(axis=-2), x.max(axis=-2)  # (..., C)
        else:
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a person with no joint seen
                low, high = np.nanmin(x, axis=-2), np.nanmax(x, axis=-2)
        self._sizes.append((high - low).max(axis=-1))
        if self._path is not None:
            low, high = np.fmin(low, self._path[0]), np.fmax(high, self._path[1])
        self._path = low, high
        if len(self._sizes) in (1, 3):
            self._size = _size_over(self._sizes)
            self._point = bool((self._size == 0).any())
        if len(self._sizes) in (1, 3) or self._point:
            self._beta = _beta_for(np.where(self._size == 0, (high - low).max(axis=-1), self._size), self.body_beta)

    def _settle(self) -> None:
        """The body's size from the whole first second (:func:`_size_over`), kept from then on."""
        self._size = _size_over(self._sizes)
        path = (self._path[1] - self._path[0]).max(axis=-1)
        self._beta = _beta_for(np.where(self._size == 0, path, self._size), self.body_beta)
        self._sizes = []


def _size_over(sizes: list[np.ndarray]) -> np.ndarray:
    """The body's size (...,) from the box sides ``sizes`` of the frames read so far (each (...,), the first
    frame's first): the first frame's, or, beyond :data:`FIRST_FRAME_SLACK` of the median of them all, that median
    (from the third frame on: two frames' median is their mean). 0 for a single point, NaN for none seen."""
    first = sizes[0]
    if len(sizes) > 2:
        stacked = np.stack(sizes)
        median = np.median(stacked, axis=0) if np.isfinite(stacked).all() else nanmedian(stacked, axis=0)
        astray = (first > FIRST_FRAME_SLACK * median) | (first < median / FIRST_FRAME_SLACK) | np.isnan(first)
        first = np.where(astray & np.isfinite(median), median, first)
    return first


def _beta_for(size: np.ndarray, body_beta: float) -> np.ndarray:
    """``body_beta`` (Hz per body size / s) in Hz per (unit / s) for a body of ``size`` (...,) per person or view,
    shaped (..., 1, 1); 0 (no speed term) for a body of no size or none seen."""
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
