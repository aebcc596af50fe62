"""Error models of pose estimators: the parameters of :func:`synsp.data.simulator.corrupt` and the presets.

An :class:`ErrorModel` says how a pose estimator errs, with the four error kinds of the
SynSP paper (jitter, miss, swap, inversion; supplementary 1.1) plus the slow, structured
errors of monocular estimators (per-joint bias and drift, whole-body rotation, scale and
depth errors) that carry most of their MPJPE.

Units: lengths are millimetres (multiplied by ``unit_scale`` in :func:`corrupt`, e.g. the
pixels per mm of a 2D view), times are seconds (converted with ``fps``), rates are events per
second. Amplitudes are per-coordinate standard deviations for an *average* joint: each joint
gets a weight from its depth in the layout's bone tree (the root errs least, the ends of the
limbs most) and the weights have mean 1.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ErrorModel", "PRESETS", "get_preset", "CLEAN_ISH", "TYPICAL", "HARD", "JITTER", "SYNTHETIC"]


@dataclass(frozen=True)
class ErrorModel:
    """Parameters of a simulated pose estimator (see the module docstring for units).

    Jitter (fast, small, temporally correlated, heavy-tailed)
        jitter_mm : per-coordinate std of the Gaussian core of the jitter, mm.
        jitter_time : correlation time of the AR(1) jitter, s (lag-1 correlation
            ``exp(-1 / (jitter_time * fps))``).
        jitter_spike_rate : spikes per joint per second: a spike is one innovation drawn
            ``jitter_spike_scale`` times larger (a mis-localised joint for a few frames).
        jitter_spike_scale : spike std as a multiple of the core std.
        jitter_speed_gain : extra relative jitter per m/s of joint speed (motion blur),
            capped at x3.
    Joint profile
        joint_spread : weight of joint j is ``1 + joint_spread * depth_j / max_depth`` (depth in
            the bone tree from the root), then normalised to mean 1; 0 = all joints alike.
        joint_coupling : correlation of a joint's slow error with its parent's (0-1): a
            lifted limb errs as a whole, not joint by joint.
    Slow errors (drift and bias; most of the MPJPE)
        bias_mm : per-sequence constant offset of every joint, per-coordinate std, mm.
        drift_mm : slowly varying offset of every joint, per-coordinate std, mm.
        drift_time : (min, max) correlation time of all slow errors, s; one value per
            sequence is drawn log-uniformly. It is the std of the Gaussian smoothing kernel.
        rotation_deg : slowly varying rotation of the whole pose about the root, per-axis
            std, degrees (2D: in-plane angle).
        scale_std : relative error of the root-relative pose size: half of it a constant
            per sequence, half slowly varying (a monocular estimator's size/depth ambiguity).
        depth_std : 3D only: relative stretch of the pose along a random horizontal viewing
            axis, slowly varying (depth is what a monocular estimator sees least).
        sequence_spread : std of the log of a per-sequence factor multiplying every
            amplitude (videos differ in difficulty).
    Gross errors (events; each picks its joints, start frame and duration)
        miss_rate : miss events per second; ``miss_duration`` (min, max) s; ``miss_mode``
            "nan" (joint absent) or "freeze" (held at its last value); ``miss_body_prob`` the
            chance that an event loses the whole person, ``miss_limb_prob`` a limb end (the
            joint and its descendants), else one joint.
        swap_rate, swap_duration, swap_limb_prob : same for swaps (a joint or limb end takes
            the same joint of another person); ``swap_offset_mm`` (min, max) distance of the
            other person from the subject, mm, sideways.
        inversion_rate, inversion_duration : same for left/right inversions;
            ``inversion_scope`` relative weights of exchanging one left/right pair, one limb
            chain, or the whole body.
    """

    # Defaults: the "typical" preset (calibrated; see TYPICAL below).
    jitter_mm: float = 5.35
    jitter_time: float = 0.05
    jitter_spike_rate: float = 0.5
    jitter_spike_scale: float = 4.0
    jitter_speed_gain: float = 0.2
    joint_spread: float = 1.5
    joint_coupling: float = 0.6
    bias_mm: float = 21.0
    drift_mm: float = 23.0
    drift_time: tuple[float, float] = (0.5, 3.0)
    rotation_deg: float = 1.6
    scale_std: float = 0.02
    depth_std: float = 0.04
    sequence_spread: float = 0.2
    miss_rate: float = 0.03
    miss_duration: tuple[float, float] = (0.1, 0.6)
    miss_mode: str = "nan"
    miss_body_prob: float = 0.1
    miss_limb_prob: float = 0.4
    swap_rate: float = 0.02
    swap_duration: tuple[float, float] = (0.1, 0.5)
    swap_limb_prob: float = 0.3
    swap_offset_mm: tuple[float, float] = (250.0, 800.0)
    inversion_rate: float = 0.05
    inversion_duration: tuple[float, float] = (0.1, 0.6)
    inversion_scope: tuple[float, float, float] = (0.5, 0.35, 0.15)

    def __post_init__(self) -> None:
        if self.miss_mode not in ("nan", "freeze"):
            raise ValueError(f"miss_mode must be 'nan' or 'freeze', got {self.miss_mode!r}")
        for name in ("drift_time", "miss_duration", "swap_duration", "inversion_duration", "swap_offset_mm"):
            lo, hi = getattr(self, name)
            if not 0 <= lo <= hi:
                raise ValueError(f"{name} must be a (min, max) range with 0 <= min <= max, got {(lo, hi)}")
        if len(self.inversion_scope) != 3 or min(self.inversion_scope) < 0 or sum(self.inversion_scope) <= 0:
            raise ValueError(f"inversion_scope must be 3 non-negative weights, got {self.inversion_scope}")


CLEAN_ISH = ErrorModel(
    jitter_mm=1.5, jitter_time=0.08, jitter_spike_rate=0.2, jitter_spike_scale=3.0, jitter_speed_gain=0.2,
    bias_mm=13.0, drift_mm=9.0, rotation_deg=0.8, scale_std=0.015, depth_std=0.02, sequence_spread=0.2,
    miss_rate=0.01, miss_duration=(0.1, 0.4), miss_mode="freeze", miss_body_prob=0.05,
    swap_rate=0.003, inversion_rate=0.01,
)
"""A good video-based 3D estimator (a temporal lifter on several frames, or a tracker).

Its output is already smooth: little jitter with a longer correlation time (0.08 s) and rare
spikes; most of its MPJPE is per-sequence bias and slow drift. Gross errors are rare
(a miss every ~100 s, held at the last value as trackers do; a left/right confusion every
~100 s). About 27 mm MPJPE, 20.5 mm PA-MPJPE and 4.1 mm/frame^2 Accel on the test split (h36m17,
root-relative, 30 fps; mean of 10 seeds).
"""

TYPICAL = ErrorModel()  # the defaults
"""A single-frame monocular 3D estimator on Human3.6M: the paper's FCN input (a fully connected
lifter of 2D detections, MPJPE 54.6 mm, Accel 19.2 mm/frame^2; PA-MPJPE ~42 mm in SmoothNet's
table).

Calibrated on the test split (h36m17, root-relative, 30 fps, misses filled linearly; mean of
10 seeds, seed-to-seed std ~1.5 mm) to 54.7 mm MPJPE, 42.3 mm PA-MPJPE and 19.2 mm/frame^2
Accel. Nearly all of the MPJPE is slow (the error low-passed by a Gaussian of 3 frames still
scores ~97 % of it): a per-sequence bias and a 0.5-3 s drift of every joint (coupled along
the limbs), a slowly varying 1.6 deg rotation about the pelvis and a few % of size/depth
error; smoothing cannot remove it. The jitter (AR(1), 0.05 s, spikes 4x at 0.5 per joint per second) is ~13 mm of
MPJPE but nearly all of the Accel. Occasional gross errors: a lost joint every ~30 s, a
swap every ~50 s, a left/right inversion every ~20 s.
"""

HARD = ErrorModel(
    jitter_mm=7.0, jitter_time=0.04, jitter_spike_rate=1.5, jitter_spike_scale=5.0, jitter_speed_gain=0.4,
    bias_mm=32.0, drift_mm=34.0, rotation_deg=3.0, scale_std=0.05, depth_std=0.08, sequence_spread=0.3,
    miss_rate=0.3, miss_duration=(0.1, 1.0), miss_mode="nan", miss_body_prob=0.15, miss_limb_prob=0.4,
    swap_rate=0.15, swap_duration=(0.1, 0.8), swap_limb_prob=0.4, swap_offset_mm=(200.0, 700.0),
    inversion_rate=0.15, inversion_duration=(0.1, 1.0), inversion_scope=(0.4, 0.4, 0.2),
)
"""A single-image estimator in the wild (3DPW/AIST++-like: SPIN, PARE; 2D detectors in crowds):
fast motion, occlusion, other people.

Large heavy-tailed jitter (spikes 5x at 1.5 per joint per second, worse for fast joints),
large bias and drift, 3 deg of whole-body rotation, 5 % size and 8 % depth error; frequent
misses (every ~3 s, 15 % of them the whole person), swaps with a nearby person and
left/right inversions (every ~7 s each, up to 1 s long). About 95 mm MPJPE, 71 mm PA-MPJPE
and 40 mm/frame^2 Accel on the test split (h36m17, root-relative, 30 fps; mean of 10 seeds),
between the paper's 3DPW-PARE (78.9 / 25.7) and AIST++-SPIN (107.7 / 33.8) inputs.
"""

SYNTHETIC = ErrorModel(
    jitter_mm=10.0, jitter_time=0.0, jitter_spike_rate=0.0, jitter_speed_gain=0.0, joint_spread=0.0,
    bias_mm=0.0, drift_mm=0.0, rotation_deg=0.0, scale_std=0.0, depth_std=0.0, sequence_spread=0.9,
    miss_rate=0.0, swap_rate=0.0, inversion_rate=0.0,
)
"""The synthetic noise that mocap refiners are often trained and tested on (the SynSP and
SmoothNet authors add it to mocap that has no estimator): white Gaussian noise on every
joint alike, nothing slow, no gross errors. The amplitude varies widely between sequences
(10 mm per coordinate times a log-normal factor of std 0.9: 2-60 mm covers 95 % of them),
so a model trained with it learns to leave nearly clean input alone and to smooth large
white noise hard. Not an imitation of an estimator: a robustness preset.
"""

JITTER = ErrorModel(bias_mm=0.0, drift_mm=0.0, rotation_deg=0.0, scale_std=0.0, depth_std=0.0)
"""`typical` without its slow errors: the same jitter, spikes, misses, swaps and inversions, but
no bias, drift, rotation, size or depth error. In the training mix it makes the jitter carry no
information about the slow error, so a model must find slow errors in the poses themselves
(implausible bone lengths, asymmetric limbs) instead of pulling every input towards an average
pose; without it the shipped models made nearly clean input worse (benchmarks/RESULTS.md).
"""

PRESETS: dict[str, ErrorModel] = {
    "clean-ish": CLEAN_ISH, "typical": TYPICAL, "hard": HARD, "jitter": JITTER, "synthetic": SYNTHETIC,
}


def get_preset(name: str) -> ErrorModel:
    """Return the preset ``name`` ("clean-ish", "typical", "hard", "jitter", "synthetic").

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown error preset {name!r}; known presets: {', '.join(PRESETS)}") from None
