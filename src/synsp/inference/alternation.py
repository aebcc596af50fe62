"""Alternating frames: a whole body read one way on even frames and another on odd ones, taken out before the network.

A tracker that detects on even frames and tracks on odd ones, two crops or boxes that take turns, interlaced video
read field by field or a frame rate doubled by repeating its frames through another estimator: every other frame
comes from another box, and the body alternates between two sizes and places at half the frame rate. That error
lies at the frame rate's Nyquist and moves the whole body together: per frame, a scale about the body's middle and
a shift, alternating in sign (:func:`alternation`). Noise of any colour is no such thing: it moves each joint alone.

Where that alternation is most of what reads as the input's noise (:func:`synsp.inference.clean.noise_level`,
above 12 Hz at 30 fps), the network sees it as heavy noise on otherwise clean poses: the clean-input steps
(:mod:`synsp.inference.clean`) let its whole correction through, its own error on clean poses with it, and SynSP came
out worse than its input (audit 28's error on the first 30 clean validation clips, odd frames x1.04 about the root:
7.91 mm against the input's 7.72; x0.96: 10.18; now 7.75 and 7.75). So the alternation is taken out of the measured
values first, in the share :data:`SHARE_RAMP` opens from what it explains of the noise reading: 1 - level without it
/ level with it. Under an estimator's heavy jitter the alternation is one more fast error that the network and the
SmoothNet blend smooth as they do the rest (the `jitter` preset with the boxes +-2 % about the truth: 8.65 mm, 8.73
without them), and taking it out changed little or cost (x1.04: 11.03 -> 11.57): there it explains at most 0.79 of
the reading and stays. Taking out the alternation leaves the mean of the two boxes, whose constant offset from the
truth no refiner can tell (benchmarks/RESULTS.md, section 4, "Alternating frames"). ``synsp refine`` says when it
took one out (:func:`alternation_note`); a stream does not read it.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d

from synsp.inference.clean import input_noise, noise_level, opened

__all__ = ["SMOOTH_FRAMES", "SHARE_RAMP", "MIN_FRAMES", "NO_NOISE", "alternation", "explained_share",
           "without_alternation", "read_alternation", "alternation_note"]

# The scale and shift that alternate are read per frame and smoothed over a Gaussian of this many frames (sigma):
# a box's change between detections changes slowly, and the noise's part that looks like it averages out.
SMOOTH_FRAMES = 3.0
# What the alternation explains of the noise reading up to the first figure: left in; from the second: taken out
# whole; linear between. Validation, first 12 clips, 3D: no alternation 0.26 at most (clean or `jitter`); odd frames
# x1.04 or +-2 % on clean poses 0.91-1.00, on the `jitter` preset 0.36-0.79.
SHARE_RAMP = (0.8, 0.9)
# Fewer frames cannot tell an alternation from motion.
MIN_FRAMES = 8
# A noise reading (body sizes) under this is a pose held still, the filter's rounding (1e-15), which the alternation's
# own rounding "explained" at 0.999: a frozen span (a decoder's stall cut off, audit 34) read as an alternation taken
# out. The clean validation clips read 2.3e-5 at least (2D and 3D).
NO_NOISE = 1e-9


def alternation(values: np.ndarray, smooth: float = SMOOTH_FRAMES) -> np.ndarray:
    """The whole body's period-2 alternation in ``values`` (..., T, J, C) without NaN: per frame ``(-1)^t`` times a
    scale about the joints' mean and a shift, read from the frame's part at the Nyquist rate (each frame against
    its neighbours' mean, the sign of the frame taken off) and smoothed over ``smooth`` frames (Gaussian sigma).
    Shaped like ``values``, float64, in their unit; zero under :data:`MIN_FRAMES` frames."""
    x = np.asarray(values, np.float64)
    if x.shape[-3] < MIN_FRAMES:
        return np.zeros_like(x)
    return _alternating(*_fitted(x, smooth))


def _alternating(sign: np.ndarray, scale: np.ndarray, shift: np.ndarray, about: np.ndarray) -> np.ndarray:
    """:func:`alternation` from its parts (:func:`_fitted`'s), shaped like ``about`` (..., T, J, C)."""
    return sign * (scale[..., None, None] * about + shift)


def _fitted(x: np.ndarray, smooth: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`alternation`'s parts of ``x`` (..., T, J, C), at least 3 frames: each frame's sign (T, 1, 1), the
    even frames' scale (..., T) and shift (..., T, 1, C), and the joints about their mean (..., T, J, C)."""
    pad = [(0, 0)] * x.ndim
    pad[-3] = (1, 1)
    p = np.pad(x, pad, mode="reflect")  # reflected, a period-2 alternation goes on past the ends
    fast = 0.5 * p[..., 1:-1, :, :] - 0.25 * (p[..., :-2, :, :] + p[..., 2:, :, :])  # 1 at Nyquist, 0 on lines
    sign = np.where(np.arange(x.shape[-3]) % 2 == 0, 1.0, -1.0)[:, None, None]
    turned = sign * fast  # the alternation now slow, the motion's curvature alternating
    body = x - fast
    about = body - body.mean(axis=-2, keepdims=True)
    shift = turned.mean(axis=-2, keepdims=True)

    num = gaussian_filter1d(((turned - shift) * about).sum(axis=(-2, -1)), smooth, axis=-1, mode="reflect")
    den = gaussian_filter1d((about * about).sum(axis=(-2, -1)), smooth, axis=-1, mode="reflect")
    return sign, num / np.maximum(den, 1e-12), gaussian_filter1d(shift, smooth, axis=-3, mode="reflect"), about


def explained_share(values: np.ndarray, alternating: np.ndarray) -> np.ndarray:
    """What ``alternating`` (:func:`alternation` of ``values``, both (V, T, J, C) without NaN) explains of the noise
    reading of ``values`` (:func:`~synsp.inference.clean.noise_level`): 1 - level without it / level with it, (V,);
    0 where the level with it is under :data:`NO_NOISE` (nothing to explain)."""
    x = np.asarray(values, np.float64)
    before = noise_level(x, input_noise(x))
    after = noise_level(x - alternating, input_noise(x - alternating))
    return np.where(before > NO_NOISE, 1.0 - after / np.maximum(before, NO_NOISE), 0.0)


def without_alternation(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values`` (..., T, J, C) without NaN with each person's alternation (:func:`alternation`) taken out in the
    share :data:`SHARE_RAMP` opens from what it explains of the noise (:func:`explained_share`); and those shares,
    shaped ``values.shape[:-3]``. ``values`` itself (not a copy) when every share is 0."""
    out, reading = read_alternation(values)
    return out, reading[..., 0]


def read_alternation(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`without_alternation`'s values, and per person (``values.shape[:-3] + (4,)``) what the summary says of
    it: the share taken out, what the alternation explains of the noise reading (0 for none taken out), the odd
    frames' size over the even frames' (1 for none) and the shift between the two boxes over the body's size (RMS
    of the joints about their mean; 0 for none), each a median over the frames."""
    x = np.asarray(values)
    people = x.reshape(-1, *x.shape[-3:])
    reading = np.zeros((len(people), 4))
    reading[:, 2] = 1.0
    if x.shape[-3] < MIN_FRAMES:
        return x, reading.reshape(*x.shape[:-3], 4)
    fit = _fitted(people.astype(np.float64), SMOOTH_FRAMES)  # once: the reading's parts are the alternation's
    alternating = _alternating(*fit)
    explained = explained_share(people, alternating)
    share = opened(explained, SHARE_RAMP)
    if not share.any():
        return x, reading.reshape(*x.shape[:-3], 4)
    _, scale, shift, about = fit
    size = np.sqrt((about * about).sum(-1).mean(-1))  # (V, T): the body's RMS radius
    acted = share > 0
    reading[acted, 0], reading[acted, 1] = share[acted], explained[acted]
    reading[acted, 2] = np.median((1.0 - scale) / np.maximum(1.0 + scale, 1e-12), axis=-1)[acted]
    reading[acted, 3] = np.median(2.0 * np.linalg.norm(shift[..., 0, :], axis=-1) / np.maximum(size, 1e-12),
                                  axis=-1)[acted]
    out = people - share[:, None, None, None] * alternating
    return out.reshape(x.shape).astype(x.dtype), reading.reshape(*x.shape[:-3], 4)


def alternation_note(readings: list[np.ndarray]) -> str:
    """What ``synsp refine`` says of the :func:`read_alternation` readings (4,) of the spans it refined (the one with
    the most taken out); "" where none was taken out."""
    if not readings or max(r[0] for r in readings) <= 0:
        return ""
    share, explained, ratio, apart = max(readings, key=lambda r: r[0])
    how = "taken out" if share >= 1 else f"{share:.0%} of it taken out"
    return (f"alternation: the whole body alternates between two boxes on odd and even frames (odd frames x{ratio:.2f} "
            f"the even frames' size, {apart:.1%} of the body's size aside; {explained:.2f} of the noise reading), as a "
            f"tracker that detects on every other frame reads it; {how} before refining")
