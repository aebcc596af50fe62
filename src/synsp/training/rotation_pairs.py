"""Training pairs for joint rotations: clean SMPL rotation windows and a simulated estimator's.

The rotation counterpart of :class:`synsp.training.pairs.TrainingPairs` (``[data] space =
"rotation"``): the clips are the mocap retargeted to the SMPL tree
(:func:`synsp.data.smpl_mocap.load_smpl_clip`), the errors come from
:func:`synsp.data.rotation_errors.corrupt_rotations` with a preset of ``[data] presets`` (a
``ROTATION_PRESETS`` name) and every amplitude times a severity from ``[data] severity``.
Windows hold every joint's local rotation in the continuous 6D form (Zhou et al. 2019):
``(N, V, F, 24 * 6)``, unnormalised (6D values lie in [-1, 1]). Augmentation: playback speed
(``time_scale``), left/right mirror (``flip``), a random turn of the whole body about the
vertical (``rotation`` other than "none") and, with ``conventions`` (degrees), another rig's rest
orientations (:func:`other_rest_frames`).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from synsp.config import DataConfig
from synsp.data.rotation_errors import ROTATION_PRESETS, RotationErrorModel, corrupt_rotations
from synsp.inference.swaa import sliding_windows
from synsp.rotations.conversions import matrix_from_axis_angle, matrix_from_sixd, sixd_from_matrix
from synsp.rotations.smpl_template import SMPL_LEFT_RIGHT, SMPL_PARENTS
from synsp.training.pairs import resample

_MIRROR = np.diag([-1.0, 1.0, 1.0])
_AMPLITUDES = ("jitter_deg", "bias_deg", "drift_deg", "trans_jitter_mm", "trans_drift_mm")


def mirror_rotations(rotations: np.ndarray) -> np.ndarray:
    """The left/right mirror image (T, 24, 3, 3) of SMPL local rotations: partners exchanged, each
    reflected in the X (left-right) axis of its world-aligned rest frame."""
    out = _MIRROR @ rotations @ _MIRROR
    for left, right in SMPL_LEFT_RIGHT:
        out[:, [left, right]] = out[:, [right, left]]
    return out


def other_rest_frames(rotations: np.ndarray, max_deg: float, rng: np.random.Generator) -> np.ndarray:
    """The same motion (T, 24, 3, 3) in a rig whose joints' rest frames are turned by constant
    rotations ``O_j`` (a random axis each, angles up to U(0, ``max_deg``) degrees): every joint's
    world frame becomes ``G_j O_j``, so its local rotation becomes ``O_parent^T R_j O_j``."""
    axes = rng.standard_normal((len(SMPL_PARENTS), 3))
    angles = rng.uniform(0.0, np.radians(rng.uniform(0.0, max_deg)), len(SMPL_PARENTS))
    offsets = matrix_from_axis_angle(axes / np.linalg.norm(axes, axis=1, keepdims=True) * angles[:, None])
    parents = np.concatenate([np.eye(3)[None], offsets[SMPL_PARENTS[1:]]])
    return np.swapaxes(parents, -1, -2) @ rotations @ offsets


class RotationPairs:
    """Makes (noisy, clean) 6D window pairs from clean SMPL rotation clips.

    Parameters
    ----------
    clips : list of (T, 24, 3, 3) clean local rotations at 30 fps.
    config : the run's :class:`DataConfig` (``space = "rotation"``).
    window : F, frames per window.
    """

    def __init__(self, clips: list[np.ndarray], config: DataConfig, window: int):
        if not clips:
            raise ValueError("RotationPairs needs at least one clip")
        unknown = [name for name in config.presets if name not in ROTATION_PRESETS]
        if unknown:
            raise ValueError(f"[data] presets: {unknown[0]!r} is not a rotation error preset; "
                             f"choose from {', '.join(ROTATION_PRESETS)}")
        self.clips = clips
        self.config = config
        self.window = window
        weights = np.array(list(config.presets.values()), float)
        self.presets = [ROTATION_PRESETS[name] for name in config.presets]
        self.preset_p = weights / weights.sum()

    def epoch(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """One epoch of windows: noisy, clean float32 (N, V, F, 24 * 6)."""
        noisy, clean = [], []
        for clip in self.clips:
            clip = self.augment(clip, rng)
            views = [self.estimate(clip, rng) for _ in range(self.config.views)]
            # float32 per clip: a whole epoch of float64 windows would take gigabytes
            noisy.append(np.stack([sliding_windows(sixd_from_matrix(v).astype(np.float32), self.window,
                                                   self.config.stride) for v in views], axis=1))
            target = sliding_windows(sixd_from_matrix(clip).astype(np.float32), self.window, self.config.stride)
            clean.append(np.repeat(target[:, None], self.config.views, axis=1))
        noisy, clean = np.concatenate(noisy), np.concatenate(clean)  # (N, V, F, J, 6)
        if self.config.windows_per_epoch and self.config.windows_per_epoch < len(noisy):
            keep = rng.choice(len(noisy), self.config.windows_per_epoch, replace=False)
            noisy, clean = noisy[keep], clean[keep]
        n, v, f = noisy.shape[:3]
        return noisy.reshape(n, v, f, -1), clean.reshape(n, v, f, -1)

    def augment(self, clip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Playback speed, mirror, a turn about the vertical and rest frames of one clip (T, 24, 3, 3)."""
        cfg = self.config
        clip = matrix_from_sixd(resample(sixd_from_matrix(clip), rng.uniform(*cfg.time_scale)))
        if cfg.flip and rng.random() < 0.5:
            clip = mirror_rotations(clip)
        if cfg.rotation != "none":
            clip = clip.copy()
            clip[:, 0] = matrix_from_axis_angle(np.array([0.0, rng.uniform(-np.pi, np.pi), 0.0])) @ clip[:, 0]
        if cfg.conventions:
            # In input and target alike: keeping the input's own rest frames is what the network
            # learns, not pulling every joint towards the mocap's (RESULTS section 14).
            clip = other_rest_frames(clip, cfg.conventions, rng)
        return clip

    def estimate(self, clip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Simulated estimator rotations (T, 24, 3, 3) for ``clip``: a preset of the mix, a severity."""
        preset: RotationErrorModel = self.presets[rng.choice(len(self.presets), p=self.preset_p)]
        severity = rng.uniform(*self.config.severity)
        preset = dataclasses.replace(preset, **{k: getattr(preset, k) * severity for k in _AMPLITUDES})
        return corrupt_rotations(clip, None, preset, rng=rng)[0]
