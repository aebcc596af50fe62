"""Rotation error simulator: what an SMPL estimator (or a jittery mocap) outputs for clean joint rotations.

Errors are rotations applied to every joint's local rotation (``noisy = exp(e) @ clean``,
``e`` a rotation vector in the parent's frame), so forward kinematics turns them into the
position errors a user sees, larger down the limbs:

- **jitter**: fast AR(1) noise per joint and axis, heavy-tailed (occasional spikes);
- **bias** and **drift**: a per-sequence constant and a slowly varying error per joint (what
  carries most of a monocular estimator's MPJPE);
- **flips**: a joint turned by 90-180 degrees about a random axis for a short span (the twist
  and depth-ambiguity flips of estimators);
- **swaps**: left and right joints exchanging their (mirrored) rotations for a span;
- **frozen joints**: a joint held at its last rotation for a span;
- the root translation gets slow drift and jitter in millimetres.

Presets (``ROTATION_PRESETS``): ``"3dpw-pare"`` is calibrated on the validation split of the
mocap retargeted to SMPL (:mod:`synsp.data.smpl_mocap`) to the input of the SynSP
supplementary's Tab. 1 for 3DPW-PARE: 78.9 mm MPJPE and 25.7 mm/frame^2 acceleration error,
both on root-relative joint positions after forward kinematics on the SMPL template
(``python benchmarks/rotations.py --calibrate`` prints the figures; RESULTS section 14).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from synsp.data.simulator import _events, _slow_noise  # the position simulator's event and slow-noise draws
from synsp.rotations.conversions import matrix_from_axis_angle, rotation_sequence
from synsp.rotations.smpl_template import SMPL_LEFT_RIGHT

__all__ = ["RotationErrorModel", "ROTATION_PRESETS", "SMPL_LEFT_RIGHT", "corrupt_rotations", "slow_errors_in"]

_MIRROR = np.diag([-1.0, 1.0, 1.0])  # SMPL's left-right axis is X in every (world-aligned) rest frame


@dataclass(frozen=True)
class RotationErrorModel:
    """Parameters of :func:`corrupt_rotations`. Angles in degrees (per-axis std), times in
    seconds, rates in events per second per sequence, lengths in millimetres. The defaults
    are the ``"3dpw-pare"`` preset: gross-error rates set by hand, then ``jitter_deg`` (which
    sets the Accel) and ``bias_deg`` = ``drift_deg`` (which set the MPJPE) fitted on the
    validation split to 25.7 mm/frame^2 and 78.9 mm."""

    jitter_deg: float = 0.90
    jitter_time: float = 0.05  # correlation time of the AR(1) jitter
    spike_rate: float = 0.3  # spikes per joint per second
    spike_scale: float = 4.0  # a spike's std, in jitter stds
    bias_deg: float = 3.22
    drift_deg: float = 3.22
    drift_time: tuple[float, float] = (0.5, 3.0)  # one per sequence, log-uniform
    flip_rate: float = 0.05
    flip_duration: tuple[float, float] = (0.1, 0.5)
    swap_rate: float = 0.02
    swap_duration: tuple[float, float] = (0.1, 0.6)
    freeze_rate: float = 0.05
    freeze_duration: tuple[float, float] = (0.2, 1.0)
    trans_jitter_mm: float = 8.0
    trans_drift_mm: float = 30.0


ROTATION_PRESETS: dict[str, RotationErrorModel] = {
    # calibrated on val (module docstring): 3DPW-PARE's 78.9 mm MPJPE, 25.7 mm/frame^2 Accel
    "3dpw-pare": RotationErrorModel(),
    "jitter": RotationErrorModel(jitter_deg=3.0, bias_deg=0.0, drift_deg=0.0, flip_rate=0.0, swap_rate=0.0,
                                 freeze_rate=0.0, trans_drift_mm=0.0),
    # 3dpw-pare's fast and gross errors without its slow ones (bias, drift): what a refiner can
    # tell from the clip itself; a constant per-joint bias looks like another rig's rest frames
    "3dpw-pare-fast": RotationErrorModel(bias_deg=0.0, drift_deg=0.0, trans_drift_mm=0.0),
    # a good estimator or mocap: a little jitter, nothing slow or gross; what a refiner should
    # nearly leave alone (training mixes it in so that clean input is not pulled to a prior)
    "light": RotationErrorModel(jitter_deg=0.5, spike_rate=0.0, bias_deg=0.0, drift_deg=0.0, flip_rate=0.0,
                                swap_rate=0.0, freeze_rate=0.0, trans_jitter_mm=2.0, trans_drift_mm=0.0),
}


def slow_errors_in(presets: Iterable[str]) -> bool:
    """Whether any of these ``ROTATION_PRESETS`` gives joints a constant or slow error (bias,
    drift): a network trained on it learns to remove a clip's constant change, so undoing that
    change afterwards (keeping each joint's rest frame) would undo what it learnt."""
    return any(ROTATION_PRESETS[name].bias_deg > 0 or ROTATION_PRESETS[name].drift_deg > 0 for name in presets)


def corrupt_rotations(rotations: np.ndarray, trans: np.ndarray | None = None,
                      model: str | RotationErrorModel = "3dpw-pare", *, rng: np.random.Generator | int | None = None,
                      pairs: tuple[tuple[int, int], ...] = SMPL_LEFT_RIGHT,
                      fps: float = 30.0) -> tuple[np.ndarray, np.ndarray | None]:
    """Simulated estimator output for clean local joint rotations.

    Parameters
    ----------
    rotations : (T, J, 3, 3) clean local rotations (SMPL: J = 24, joint 0 the global orientation).
    trans : (T, 3) clean root translation in metres, or None.
    model : a ``ROTATION_PRESETS`` name or a :class:`RotationErrorModel`.
    rng : Generator, seed or None.
    pairs : left/right joint pairs for swaps (SMPL's by default; () for none); a swap gives
        each joint its partner's rotation mirrored in the X (left-right) axis.
    fps : frame rate; every time in the model is in seconds.

    Returns
    -------
    (rotations (T, J, 3, 3), trans (T, 3) metres or None), the noisy motion.
    """
    if isinstance(model, str):
        if model not in ROTATION_PRESETS:
            raise ValueError(f"unknown rotation error preset {model!r}; choose from {', '.join(ROTATION_PRESETS)}")
        model = ROTATION_PRESETS[model]
    r = rotation_sequence(rotations)
    rng = np.random.default_rng(rng)
    t, n = r.shape[:2]
    out = r.copy()
    for a, b in pairs:  # identity errors first: which joint's rotation the estimator reports
        for start, stop in _events(rng, model.swap_rate, model.swap_duration, t, fps):
            span = slice(start, stop)
            out[span, a], out[span, b] = _MIRROR @ r[span, b] @ _MIRROR, _MIRROR @ r[span, a] @ _MIRROR
    sigma = float(np.exp(rng.uniform(*np.log(model.drift_time)))) * fps
    error = np.deg2rad(model.bias_deg) * rng.standard_normal((1, n, 3)) \
        + np.deg2rad(model.drift_deg) * _slow_noise(rng, t, (n, 3), sigma)
    rho = float(np.exp(-1 / (model.jitter_time * fps))) if model.jitter_time > 0 else 0.0
    burn = int(np.ceil(5 * model.jitter_time * fps))
    size = np.where(rng.random((t + burn, n, 1)) < model.spike_rate / fps, model.spike_scale, 1.0)
    from scipy.signal import lfilter

    jitter = lfilter([1.0], [1.0, -rho], rng.standard_normal((t + burn, n, 3)) * size * np.sqrt(1 - rho**2), axis=0)
    error = error + np.deg2rad(model.jitter_deg) * jitter[burn:]
    out = matrix_from_axis_angle(error) @ out
    for start, stop in _events(rng, model.flip_rate, model.flip_duration, t, fps):
        axis = rng.standard_normal(3)
        angle = np.deg2rad(rng.uniform(90, 180))
        j = rng.integers(n)
        out[start:stop, j] = matrix_from_axis_angle(axis / np.linalg.norm(axis) * angle) @ out[start:stop, j]
    for start, stop in _events(rng, model.freeze_rate, model.freeze_duration, t, fps):
        j = rng.integers(n)
        out[start:stop, j] = out[start, j]
    noisy_trans = None
    if trans is not None:
        tr = np.asarray(trans, dtype=np.float64)
        if tr.shape != (t, 3):
            raise ValueError(f"trans must be (T, 3) = ({t}, 3), got shape {tr.shape}")
        noisy_trans = tr + (model.trans_drift_mm * _slow_noise(rng, t, (3,), sigma)
                            + model.trans_jitter_mm * rng.standard_normal((t, 3))) / 1000.0
    return out, noisy_trans
