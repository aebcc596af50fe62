"""Training pairs: clean mocap windows and what an estimator would have made of them.

Every epoch draws fresh augmentation (playback speed, rotation, body size and proportions,
mirror) and fresh simulated estimator errors, so the network never sees the same noise twice.
"""
from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from synsp.config import DataConfig
from synsp.conventions import apply_offsets, random_joint_offsets
from synsp.data.novel_motion import bend_posture, graft_limbs, random_limb_sources, warped_times
from synsp.data.simulator import estimate, get_preset
from synsp.inference.frame_rate import interpolate_linear
from synsp.inference.normalize import normalize, window_stats
from synsp.inference.swaa import sliding_windows
from synsp.skeleton import (
    Layout,
    can_convert,
    convert,
    flip_lr,
    get_layout,
    random_proportions,
    reproportion,
    root_position,
)


def resample(clip: np.ndarray, factor: float) -> np.ndarray:
    """Play ``clip`` (T, J, C) ``factor`` times faster by linear interpolation in time."""
    t = clip.shape[0]
    n = max(int(round((t - 1) / factor)) + 1, 2)
    if t == 1:
        return np.repeat(clip, n, axis=0)
    return play_at(clip, np.linspace(0.0, t - 1, n))


def play_at(clip: np.ndarray, times: np.ndarray) -> np.ndarray:
    """``clip`` (T, J, C) sampled at ``times`` (N,) frames, linearly; returns (N, J, C)."""
    return interpolate_linear(clip[None], np.arange(clip.shape[0], dtype=float), times)[0].astype(clip.dtype)


def random_rotation(rng: np.random.Generator, mode: str) -> np.ndarray:
    """A (3, 3) rotation for Y-up data: about the vertical, tilted, or (half the time in
    "yaw+tilt") any orientation, so that camera-frame inputs are covered too."""
    yaw = Rotation.from_euler("y", rng.uniform(0, 360), degrees=True)
    if mode == "none":
        return np.eye(3)
    if mode == "yaw":
        return yaw.as_matrix()
    if rng.random() < 0.5:
        return Rotation.random(random_state=rng).as_matrix()
    tilt = Rotation.from_rotvec(_unit_horizontal(rng) * np.deg2rad(rng.uniform(0, 30)))
    return (tilt * yaw).as_matrix()


def _unit_horizontal(rng: np.random.Generator) -> np.ndarray:
    a = rng.uniform(0, 2 * np.pi)
    return np.array([np.cos(a), 0.0, np.sin(a)])


class TrainingPairs:
    """Makes (noisy, clean) window pairs from clean clips.

    Parameters
    ----------
    clips : list of (T, J, 3) clean sequences in millimetres, Y up, 30 fps.
    config : the run's :class:`DataConfig`.
    window : F, frames per window.
    each_point : normalise each coordinate about its own window mean, as the refiner does for a
        per-coordinate network in 2D (:func:`synsp.inference.normalize.window_stats`).
    """

    def __init__(self, clips: list[np.ndarray], config: DataConfig, window: int,
                 clip_weights: list[float] | None = None,
                 layout_clips: dict[str, list[np.ndarray]] | None = None, *, each_point: bool = False):
        if not clips:
            raise ValueError("TrainingPairs needs at least one clip")
        if clip_weights is not None and (len(clip_weights) != len(clips) or min(clip_weights) < 0
                                         or max(clip_weights) <= 0):
            raise ValueError(f"clip_weights: {len(clips)} weights >= 0, not all 0, expected")
        if not (0 <= config.limb_mixing <= 1 and 0 <= config.posture_bend_share <= 1) \
                or config.time_warp < 0 or config.posture_bends < 0:
            raise ValueError(f"[data] limb_mixing and posture_bend_share must be in [0, 1], time_warp and "
                             f"posture_bends >= 0, got {config.limb_mixing}, {config.posture_bend_share}, "
                             f"{config.time_warp} and {config.posture_bends}")
        self.clips = [np.asarray(c, np.float32) for c in clips]
        self.clip_weights = clip_weights
        self.config = config
        self.window = window
        self.each_point = each_point
        self.layout = get_layout(config.layout)
        self.pools = {self.layout.name: self.clips}
        for name in config.input_layouts:
            given = (layout_clips or {}).get(name)
            if given is None or len(given) != len(clips) or not can_convert(name, self.layout):
                raise ValueError(f"[data] input_layouts: {name} needs the {len(clips)} clips in that layout, "
                                 f"convertible to {self.layout.name}")
            self.pools[name] = [np.asarray(c, np.float32) for c in given]
        self.input_p = np.array(list(config.input_layouts.values()), float)
        if self.input_p.sum() > 1 or (self.input_p < 0).any():
            raise ValueError(f"[data] input_layouts: probabilities >= 0 summing to at most 1, "
                             f"got {config.input_layouts}")
        names = list(config.presets)
        weights = np.array([config.presets[n] for n in names], float)
        self.presets = [get_preset(n) for n in names]
        self.preset_p = weights / weights.sum()

    def epoch(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """One epoch of normalised windows.

        Returns
        -------
        noisy, clean : float32 arrays (N, V, F, J*C); ``clean`` normalised with the noisy
        window's statistics, so the network's target lives in the same frame as its input.
        """
        cfg = self.config
        views = [self._clip_views(i, rng) for i in range(len(self.clips))]
        noisy = np.concatenate([v[0] for v in views], axis=0)  # (N, V, F, J, C)
        clean = np.concatenate([v[1] for v in views], axis=0)
        if cfg.views > 1 and cfg.multi_view == "random":
            # Other clips' windows play the extra persons: each view slot gets its own shuffle.
            perms = [np.arange(len(noisy))] + [rng.permutation(len(noisy)) for _ in range(cfg.views - 1)]
            noisy = np.stack([noisy[p, 0] for p in perms], axis=1)
            clean = np.stack([clean[p, 0] for p in perms], axis=1)
        if cfg.windows_per_epoch and cfg.windows_per_epoch < len(noisy):
            p = None
            if self.clip_weights is not None:  # each window weighs as its clip does
                p = np.concatenate([np.full(len(v[0]), w) for v, w in zip(views, self.clip_weights)])
                p = p / p.sum()
                if np.count_nonzero(p) < cfg.windows_per_epoch:
                    raise ValueError(f"clip_weights leave {np.count_nonzero(p)} windows, fewer than "
                                     f"windows_per_epoch = {cfg.windows_per_epoch}")
            keep = rng.choice(len(noisy), cfg.windows_per_epoch, replace=False, p=p)
            noisy, clean = noisy[keep], clean[keep]
        centre, scale = window_stats(noisy, cfg.space, each_point=self.each_point)
        n, v, f, j, c = noisy.shape
        noisy = normalize(noisy, centre, scale).reshape(n, v, f, j * c)
        clean = normalize(clean, centre, scale).reshape(n, v, f, j * c)
        return noisy.astype(np.float32), clean.astype(np.float32)

    def _clip_views(self, index: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Windows (n, V, F, J, C) of one augmented clip: V corrupted estimates and their targets."""
        cfg = self.config
        layout = self._input_layout(rng)
        clip = self._augment(index, rng, layout)
        pool = self.pools[layout.name]
        other = pool[rng.integers(len(pool))]
        n_views = cfg.views if cfg.multi_view == "cameras" else 1
        noisy_views, clean_views = [], []
        for _ in range(n_views):
            noisy, clean = self.estimate(clip, other, rng, layout)
            if layout.name != self.layout.name:
                noisy, clean = convert(noisy, layout, self.layout), convert(clean, layout, self.layout)
            noisy_views.append(sliding_windows(noisy, self.window, cfg.stride))
            clean_views.append(sliding_windows(clean, self.window, cfg.stride))
        return np.stack(noisy_views, axis=1), np.stack(clean_views, axis=1)

    def _input_layout(self, rng: np.random.Generator) -> Layout:
        """The skeleton a clip's errors are drawn in: another with its ``input_layouts`` probability."""
        if len(self.pools) > 1:
            pick = rng.random()
            for name, cumulative in zip(self.config.input_layouts, np.cumsum(self.input_p)):
                if pick < cumulative:
                    return get_layout(name)
        return self.layout

    def _augment(self, index: int, rng: np.random.Generator, layout: Layout | None = None) -> np.ndarray:
        """Clip ``index`` in ``layout`` (None: the run's) played, turned and reshaped at random."""
        cfg = self.config
        layout = layout or self.layout
        pool = self.pools[layout.name]
        clip = pool[index]
        if cfg.limb_mixing:
            clip = graft_limbs(clip, random_limb_sources(clip, pool, cfg.limb_mixing, rng), layout)
        if cfg.posture_bends and (cfg.posture_bend_share >= 1 or rng.random() < cfg.posture_bend_share):
            clip = bend_posture(clip, layout, cfg.posture_bends, rng)
        clip = resample(clip, rng.uniform(*cfg.time_scale))
        if cfg.time_warp:
            clip = play_at(clip, warped_times(len(clip), cfg.time_warp, rng))
        if cfg.flip and rng.random() < 0.5:
            clip = flip_lr(clip, layout)
        root = root_position(clip, layout)
        mode = "yaw" if cfg.space == "2d" else cfg.rotation  # 2D: the random camera supplies the view
        rot = random_rotation(rng, mode).astype(np.float32)
        clip = (clip - root) @ rot.T * rng.uniform(*cfg.scale) + root
        if cfg.proportions:
            # Bodies (and mocap joint conventions) other than the training actors', so that the
            # network cannot lean on theirs to "correct" every input towards them.
            clip = reproportion(clip, layout, random_proportions(layout, cfg.proportions, rng))
        if cfg.conventions:
            # Other skeletons mark other points (SMPL's high pelvis, a clavicle shoulder, a head
            # top): constant offsets in the body's frame, in input and target alike, so that
            # keeping the input's own joint definitions is what the network learns.
            offsets = random_joint_offsets(layout, rng.uniform(0, cfg.conventions), rng)
            clip = apply_offsets(clip, layout, offsets)
        return clip.astype(np.float32)

    def estimate(self, clip: np.ndarray, other: np.ndarray, rng: np.random.Generator,
                 layout: Layout | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:func:`synsp.data.simulator.estimate` in ``layout`` (None: the run's) with a preset
        drawn from the run's mix and a severity from its range."""
        preset = self.presets[rng.choice(len(self.presets), p=self.preset_p)]
        severity = rng.uniform(*self.config.severity)
        return estimate(clip, other, rng, preset=preset, layout=layout or self.layout, space=self.config.space,
                        severity=severity)
