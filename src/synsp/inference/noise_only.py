"""Input whose errors are only light noise: each joint SynSP's output or a low-pass, whichever is nearer.

Under a little white noise (markers, mocap with noise added, a per-frame tracker: 1-2 mm) SynSP keeps an
error of its own, its pull towards the bodies it learnt: validation, 3D, 30 clips at 30 fps, 1 mm of noise
came out at 0.892 x input (12 clips worse than their input; a 6 Hz Butterworth 0.739), and HALPE-26 at
1.113. For white noise Stein's unbiased risk estimate tells which of SynSP's output and a low-pass is nearer
the truth, from the input alone (:mod:`synsp.inference.risk_choice`: the low-pass's divergence is known,
the route's is read by one random probe, a second run of it).

The estimate holds for white noise only: an estimator's errors are correlated over frames and slow (a
bias, a drift), which it counts as SynSP's own error, and it would give the network's correction of them
up. The input shows when its errors are only noise, in either of two ways (the larger share counts):

- its noise reads white (:func:`~synsp.inference.white_noise.whiteness` under
  :data:`~synsp.inference.white_noise.WHITE_RAMP`); but at 30 fps fast motion's own power reads as
  colour (1 mm on a dash: 5-11);
- in 3D, its limbs keep their lengths (:func:`~synsp.inference.limb_turn.limb_drift` under
  :data:`STILL_LIMBS`): an estimator's slow errors stretch them, noise hardly does, nor a marker's turn (clean
  marker-style sprints: 3.28 -> 0.88 mm moved, RESULTS section 9, "Marker-style joints on runs and sprints");
- in 2D, its bones' lengths in the image read white (:func:`length_whiteness` under :data:`WHITE_LENGTHS`):
  a limb's swing, most of fast motion's power, leaves its length as it was, while the noise of its two
  joints is in it whole; an estimator's jitter, correlated over frames, colours the lengths as it does
  the joints (validation, coco17, 0.25 px: 0.81-4.1 on walks and dashes whose joints read 0.87-27);

and only where the noise is light (:data:`LIGHT_NOISE`). Validation, 30 clips (``benchmarks/noise_only.py``):
3D 1 mm 0.892 -> 0.565 x input, 2 mm 0.605 -> 0.492, HALPE-26 1 mm 1.113 -> 0.648, 2D 1 px 0.570 -> 0.539;
the presets' cases it reads as noise only (none of `clean-ish`, `jitter` and `hard`, one of `typical` in 3D,
7 of `synthetic`) stay within 0.0002 x input. benchmarks/RESULTS.md, section 10, "Input whose errors are only
light noise". The 2D bones' lengths: validation, 30 clips, coco17 0.25 / 0.5 px 0.858 / 0.649 -> 0.826 / 0.617 x
input, HALPE-26 0.5 px 0.664 -> 0.615 (clips worse than their input 3 -> 1); the presets as they were (section 10,
"2D light noise on fast limbs").
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.consistency import frame_lengths
from synsp.inference.clean import input_noise, noise_level, opened
from synsp.inference.limb_turn import limb_drift
from synsp.inference.risk_choice import RISK_FRAMES, best_lowpass, network_risk, noise_variance
from synsp.inference.white_noise import READ_AT_FROM, at_network_rate, rounding_variance, white_share, whiteness

__all__ = ["SPACES", "STILL_LIMBS", "WHITE_LENGTHS", "LIGHT_NOISE", "noise_only_share", "share_at_rate",
           "length_whiteness", "nearer_of"]

# The spaces whose SynSP route takes this step. In 2D limbs change length as they turn in the image, so only
# whiteness tells noise there (validation, coco17, 1 px 0.570 -> 0.539 x input, 2 px 0.497 -> 0.485).
SPACES = ("3d", "2d")
# Limbs' drift (body sizes) up to the first figure: errors read as noise only; from the second: not; linear
# between. Validation, all 65 clips, 3D: white noise of 1-3 mm 0.0002-0.0017 (median 0.0003-0.0007; walks
# whose markers slide reach 0.0013 with 1 mm), the presets from 0.00096 (`clean-ish`; 10th percentile 0.0017),
# `jitter` from 0.00103, `typical` from 0.0036. (0.0007, 0.001) left 14 of 30 clips at 1 mm worse than input.
STILL_LIMBS = (1.0e-3, 1.4e-3)
# The noise's level (body sizes, :func:`~synsp.inference.clean.noise_level`) up to the first figure: light noise,
# the step in full; from the second: none, linear between. Without it the `synthetic` preset (white noise whose
# amplitude varies within a clip, 0.0035-0.087) went 0.364 -> 0.384 x input on validation (30 clips, root-relative),
# though nearer in absolute error on 28 of them: the pelvis, which the network keeps at the root-relative origin,
# took its low-pass. White 3 mm reads 0.0029-0.0042, 5 mm 0.0049-0.0064.
LIGHT_NOISE = (5.0e-3, 8.0e-3)

# 2D: the bones' lengths' whiteness (:func:`length_whiteness`) up to the first figure: errors read as noise only;
# from the second: not; linear between. Validation, all 65 clips, the simulator's presets read from 1.17 (HALPE-26
# `hard`; coco17 from 1.23: `jitter`), white noise of 0.25-0.5 px (the model's layout) 0.80-4.1, 31-38 clips under
# 1.1 (the joints' whiteness: 34-39 under 1.1); 2D's light white noise on walks and dashes the joints read coloured.
WHITE_LENGTHS = (1.05, 1.15)


def noise_only_share(values: np.ndarray, layout: str, *, fps: float | None = None,
                     noise: np.ndarray | None = None, rounding: float | None = None) -> np.ndarray:
    """How far the errors of ``values`` (..., T, J, C) without NaN, in ``layout``, read as light noise only:
    per person (each leading index), 1 where the noise is light (:data:`LIGHT_NOISE`) and reads white or (3D)
    the limbs keep their lengths, 0 where neither (module docstring); shaped ``values.shape[:-3]``. ``noise``:
    (..., J) :func:`~synsp.inference.clean.input_noise` of ``values`` when read already (None: read here).
    ``fps`` above :data:`~synsp.inference.white_noise.READ_AT_FROM`: read at the network's rate
    (:func:`share_at_rate`). ``rounding``: the variance per coordinate of a grid's rounding in the values (whole
    pixels: 1/12), white noise that hides the colour of the rest (:func:`~synsp.inference.white_noise.whiteness`);
    None: :func:`~synsp.inference.white_noise.rounding_variance` of ``values``."""
    rounding = rounding_variance(values) if rounding is None else rounding
    if fps is not None and fps > READ_AT_FROM:
        return share_at_rate(values, layout, fps, rounding)
    x = np.asarray(values, np.float64)
    light = 1.0 - opened(noise_level(x, input_noise(x) if noise is None else noise), LIGHT_NOISE)
    white = white_share(x, rounding=rounding)
    if x.shape[-1] != 3:  # limbs foreshorten in an image: their lengths' noise, not their drift
        return light * np.maximum(white, 1.0 - opened(length_whiteness(x, layout, rounding), WHITE_LENGTHS))
    # a marker's length that turns with its limb is no drift (limb_turn): clean marker-style sprints read as noise
    return light * np.maximum(white, 1.0 - opened(limb_drift(x, layout, fps), STILL_LIMBS))


def share_at_rate(values: np.ndarray, layout: str, fps: float, rounding: float | None = None) -> np.ndarray:
    """:func:`noise_only_share` of ``values`` (..., T, J, C) recorded at ``fps`` read as the network sees them
    (:func:`~synsp.inference.white_noise.at_network_rate`). Noise and whiteness are read in the top bands of the
    frame rate: an estimator run at 30 fps on footage of a higher rate (interpolated video, a tracker's smoothing)
    makes errors correlated over k frames, whose power lies below them, and a little white noise on top reads as
    the whole of them (validation, 3D, `typical` drawn at 30 fps and resampled to 120 fps with 5 mm white: the
    share 1.0 where it read 0.3-0.7 at 30 fps, and SynSP's gain given up to the low-pass). ``rounding``: as
    :func:`noise_only_share`'s, read from ``values`` (None) before the resampling takes them off their grid."""
    rounding = rounding_variance(values) if rounding is None else rounding
    return at_network_rate(lambda grids: noise_only_share(grids, layout, fps=TRAINING_FPS, rounding=rounding),
                           values, fps)


def length_whiteness(values: np.ndarray, layout: str, rounding: float | None = None) -> np.ndarray:
    """:func:`~synsp.inference.white_noise.whiteness` of the bones' lengths of ``values`` (..., T, J, C) without NaN,
    in ``layout``: the median over the bones of their length's power per unit band in
    :data:`~synsp.inference.white_noise.MID_BAND` over that above :data:`~synsp.inference.clean.NOISE_BAND`; (...).
    White noise reads about 1 though the joints swing fast (module docstring). ``rounding``: the joints' rounding
    variance per coordinate (None: read from ``values``); a length holds its two ends' along the bone, twice it."""
    rounding = rounding_variance(values) if rounding is None else rounding
    return whiteness(frame_lengths(np.asarray(values, np.float64), layout)[..., None], 2.0 * rounding)


def nearer_of(values: np.ndarray, route: Callable[[np.ndarray], np.ndarray], share: np.ndarray, *,
              measured: np.ndarray | None = None, seed: int = 0,
              noise: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``route(values)`` with each joint of each person moved, by ``share`` (per person), to the low-pass
    of least estimated risk where that risk is under the route's (Stein's unbiased risk estimate for
    white noise; the route's divergence read by one random probe).

    ``values`` (T, J, C) or (V, T, J, C), NaN for missing joints; ``measured``: the same with the NaN
    filled (None: ``values`` has none), which the noise, the risks and the low-pass are read from;
    ``route`` takes and returns that shape (SynSP's whole route, run on the probe first, then on
    ``values``: last, so that what it records is the input's); ``share`` shaped ``values.shape[:-3]``;
    ``noise``: (..., J) :func:`~synsp.inference.clean.input_noise` of ``measured`` when read already (the share's
    in the model's own layout; None: read here).
    Returns the poses like ``route(values)`` and (..., J) bool: the joints moved towards their low-pass.
    """
    y = np.asarray(values if measured is None else measured, np.float64)
    share = np.asarray(share, np.float64)
    moved = np.zeros(y.shape[:-3] + y.shape[-2:-1], bool)
    if y.shape[-3] < RISK_FRAMES or not share.any():
        return route(values), moved
    s2 = noise_variance(y, noise)  # (..., J)
    refined, risk = network_risk(values, route, s2, seed=seed, measured=y)
    out = refined.copy()
    for person in [()] if y.ndim == 3 else [(v,) for v in range(y.shape[0])]:
        low, low_risk = best_lowpass(y[person], s2[person])
        moved[person] = (np.maximum(low_risk, 0.0) < np.maximum(risk[person], 0.0)) & (share[person] > 0)
        nearer = moved[person]
        out[person][:, nearer] += share[person] * (low[:, nearer] - refined[person][:, nearer])
    return out.astype(np.asarray(values).dtype), moved
