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
truth no refiner can tell (benchmarks/RESULTS.md, section 4, "Alternating frames").
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d

from synsp.inference.clean import input_noise, noise_level, opened

__all__ = ["SMOOTH_FRAMES", "SHARE_RAMP", "MIN_FRAMES", "alternation", "explained_share", "without_alternation"]

# The scale and shift that alternate are read per frame and smoothed over a Gaussian of this many frames (sigma):
# a box's change between detections changes slowly, and the noise's part that looks like it averages out.
SMOOTH_FRAMES = 3.0
# What the alternation explains of the noise reading up to the first figure: left in; from the second: taken out
# whole; linear between. Validation, first 12 clips, 3D: no alternation 0.26 at most (clean or `jitter`); odd frames
# x1.04 or +-2 % on clean poses 0.91-1.00, on the `jitter` preset 0.36-0.79.
SHARE_RAMP = (0.8, 0.9)
# Fewer frames cannot tell an alternation from motion.
MIN_FRAMES = 8


def alternation(values: np.ndarray, smooth: float = SMOOTH_FRAMES) -> np.ndarray:
    """The whole body's period-2 alternation in ``values`` (..., T, J, C) without NaN: per frame ``(-1)^t`` times a
    scale about the joints' mean and a shift, read from the frame's part at the Nyquist rate (each frame against
    its neighbours' mean, the sign of the frame taken off) and smoothed over ``smooth`` frames (Gaussian sigma).
    Shaped like ``values``, float64, in their unit; zero under :data:`MIN_FRAMES` frames."""
    x = np.asarray(values, np.float64)
    if x.shape[-3] < MIN_FRAMES:
        return np.zeros_like(x)
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
    scale = num / np.maximum(den, 1e-12)
    return sign * (scale[..., None, None] * about + gaussian_filter1d(shift, smooth, axis=-3, mode="reflect"))


def explained_share(values: np.ndarray, alternating: np.ndarray) -> np.ndarray:
    """What ``alternating`` (:func:`alternation` of ``values``, both (V, T, J, C) without NaN) explains of the noise
    reading of ``values`` (:func:`~synsp.inference.clean.noise_level`): 1 - level without it / level with it, (V,)."""
    x = np.asarray(values, np.float64)
    before = noise_level(x, input_noise(x))
    after = noise_level(x - alternating, input_noise(x - alternating))
    return 1.0 - after / np.maximum(before, 1e-12)


def without_alternation(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values`` (..., T, J, C) without NaN with each person's alternation (:func:`alternation`) taken out in the
    share :data:`SHARE_RAMP` opens from what it explains of the noise (:func:`explained_share`); and those shares,
    shaped ``values.shape[:-3]``. ``values`` itself (not a copy) when every share is 0."""
    x = np.asarray(values)
    people = x.reshape(-1, *x.shape[-3:])
    if x.shape[-3] < MIN_FRAMES:
        return x, np.zeros(x.shape[:-3])
    alternating = alternation(people)
    share = opened(explained_share(people, alternating), SHARE_RAMP)
    if not share.any():
        return x, share.reshape(x.shape[:-3])
    out = people - share[:, None, None, None] * alternating
    return out.reshape(x.shape).astype(x.dtype), share.reshape(x.shape[:-3])
