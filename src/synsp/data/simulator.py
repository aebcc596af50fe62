"""Pose-estimator error simulator: what an estimator would output for a clean pose sequence.

Injects the SynSP paper's four error kinds (supplementary 1.1), each with its own
parameters in an :class:`~synsp.data.presets.ErrorModel`:

- **jitter**: small, temporally correlated (AR(1)), heavy-tailed (occasional spikes) noise,
  larger at the ends of the limbs and for fast-moving joints;
- **miss**: a joint (a limb end, or the whole person) lost for a span: NaN or frozen;
- **swap**: a joint (or limb end) jumps to the same joint of another person nearby;
- **inversion**: left and right exchanged (one pair, one limb chain, or the whole body);

plus the slow structured errors of monocular estimators that carry most of their MPJPE: a
per-sequence bias and a smooth drift of every joint (correlated along the bone tree), and a
slowly varying rotation, scale and depth stretch of the whole pose about its root.

Order of simulation: the identity errors (inversion, swap) first change *which* point the
estimator localises; the localisation errors (whole-body, bias, drift, jitter) are added to
that; misses finally remove or freeze the output.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.presets import PRESETS, ErrorModel, get_preset
from synsp.sequence import fill_gaps
from synsp.skeleton import Layout, get_layout, root_joints, root_position

__all__ = ["ErrorModel", "PRESETS", "Corruption", "corrupt", "get_preset", "NONE", "MISS", "SWAP", "INVERSION"]

NONE, MISS, SWAP, INVERSION = 0, 1, 2, 3  # codes of Corruption.kind


@dataclass
class Corruption:
    """Output of :func:`corrupt`.

    Attributes
    ----------
    noisy : (T, J, C) simulated estimator output, dtype of the input (float64 for integer
        input); NaN where a joint is missing in "nan" mode.
    missing : (T, J) bool, True where the joint was lost (NaN or frozen).
    kind : (T, J) uint8, the gross error visible at each joint: 0 none, 1 miss, 2 swap,
        3 inversion (a later kind hides an earlier one: miss > swap > inversion).
    """

    noisy: np.ndarray
    missing: np.ndarray
    kind: np.ndarray


@dataclass
class _Joints:
    """What the simulator needs to know about a joint layout."""

    roots: list[int]  # tree roots: the root joint, or both hips for layouts without one
    depth: np.ndarray  # (J,) bone hops from the roots
    order: list[int]  # joints in breadth-first order (parents before children)
    parent: np.ndarray  # (J,) parent index, -1 for the roots
    subtree: list[np.ndarray]  # joint j and all its descendants
    pairs: np.ndarray  # (P, 2) left/right pairs
    limbs: list[np.ndarray]  # indices into ``pairs``: the pairs of one limb end (left joint + descendants)


def _joint_info(layout, x: np.ndarray) -> _Joints:
    """Bone-tree facts of ``layout`` (a name, a Layout object, or None for an unknown layout).

    Parts of the layout that no bone joins to the rest (MediaPipe's face, Bandai's ground
    root) are hung from the joint nearest to them in ``x`` (T, J, C).
    """
    n_joints = x.shape[1]
    if isinstance(layout, str):
        layout = get_layout(layout)
    if layout is not None and len(layout.joints) != n_joints:
        raise ValueError(f"clean must have {len(layout.joints)} joints for layout {getattr(layout, 'name', '')!r}, "
                         f"got shape {x.shape}")
    bones = [] if layout is None else [tuple(map(int, b)) for b in layout.bones]
    pairs = [] if layout is None else [tuple(map(int, p)) for p in getattr(layout, "left_right", ())]
    roots = [0] if layout is None else root_joints(layout)
    neighbours: list[list[int]] = [[] for _ in range(n_joints)]
    for a, b in bones:
        neighbours[a].append(b)
        neighbours[b].append(a)
    depth = np.full(n_joints, -1)
    parent = np.full(n_joints, -1)
    depth[roots], order = 0, list(roots)
    with np.errstate(all="ignore"):
        mean_pose = np.nan_to_num(np.nanmean(x, axis=0)) if np.isfinite(x).any() else np.zeros(x.shape[1:])
    while True:
        for j in order:  # breadth-first; the list grows while we walk it
            for k in neighbours[j]:
                if depth[k] < 0:
                    depth[k], parent[k] = depth[j] + 1, j
                    order.append(k)
        if (depth >= 0).all():
            break
        # Hang the nearest unreached joint from its nearest reached joint, then go on.
        reached, unreached = np.flatnonzero(depth >= 0), np.flatnonzero(depth < 0)
        dist = np.linalg.norm(mean_pose[unreached][:, None] - mean_pose[reached][None], axis=-1)
        u, r = np.unravel_index(np.argmin(dist), dist.shape)
        k, j = int(unreached[u]), int(reached[r])
        depth[k], parent[k] = depth[j] + 1, j
        order.append(k)
    subtree = [[j] for j in range(n_joints)]
    for j in reversed(order):  # children before parents: gather descendants upwards
        if parent[j] >= 0:
            subtree[parent[j]] += subtree[j]
    left = {a: i for i, (a, _) in enumerate(pairs)}
    limb_size = max(2, n_joints // 5)
    limbs = {tuple(sorted(left[k] for k in subtree[a] if k in left)) for a in left if len(subtree[a]) <= limb_size}
    return _Joints(roots, depth, order, parent, [np.array(sorted(s)) for s in subtree],
                   np.array(pairs, dtype=int).reshape(-1, 2), [np.array(g) for g in sorted(limbs)])


def _slow_noise(rng: np.random.Generator, t: int, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """(t, *shape) unit-variance Gaussian process, smooth over ``sigma`` frames (a Gaussian kernel).

    White noise with margins is smoothed and cropped, so the start and end of a short
    sequence are as random as its middle.
    """
    from scipy.ndimage import gaussian_filter1d

    if sigma < 0.5:
        return rng.standard_normal((t, *shape))
    pad = int(np.ceil(4 * sigma))
    white = rng.standard_normal((t + 2 * pad, *shape))
    # A Gaussian kernel of std sigma has sum of squares 1 / (2 sqrt(pi) sigma): undo that.
    smooth = gaussian_filter1d(white, sigma, axis=0, mode="constant") * np.sqrt(2 * np.sqrt(np.pi) * sigma)
    return smooth[pad : pad + t]


def _couple(noise: np.ndarray, info: _Joints, coupling: float) -> np.ndarray:
    """Mix each joint's noise (T, J, ...) with its parent's, keeping unit variance."""
    if coupling <= 0:
        return noise
    out = noise.copy()
    own = np.sqrt(1 - coupling**2)
    for j in info.order:  # parents first, so a chain accumulates its parents' error
        if info.parent[j] >= 0:
            out[:, j] = coupling * out[:, info.parent[j]] + own * noise[:, j]
    return out


def _events(
    rng: np.random.Generator, rate: float, duration: tuple[float, float], t: int, fps: float,
) -> list[tuple[int, int]]:
    """Spans [start, stop) of a Poisson process of ``rate`` events/s with log-uniform durations (s)."""
    n = int(rng.poisson(rate * t / fps)) if rate > 0 else 0
    lo, hi = duration
    spans = []
    for _ in range(n):
        start = int(rng.integers(t))
        seconds = np.exp(rng.uniform(np.log(lo), np.log(hi))) if lo > 0 else rng.uniform(lo, hi)
        spans.append((start, min(t, start + max(1, int(round(seconds * fps))))))
    return spans


def _pick_joints(
    rng: np.random.Generator, info: _Joints, weights: np.ndarray, limb_prob: float, body_prob: float,
) -> np.ndarray:
    """Joints hit by one event: all of them, a limb end (a joint and its descendants) or one joint.

    Joints are drawn in proportion to ``weights``: the ends of the limbs are occluded and
    confused more often than the torso.
    """
    n = len(weights)
    u = rng.random()
    if u < body_prob:
        return np.arange(n)
    if u < body_prob + limb_prob:
        small = np.array([len(s) <= max(2, n // 5) and info.parent[j] >= 0 for j, s in enumerate(info.subtree)])
        if small.any():
            p = np.where(small, weights, 0.0)
            return info.subtree[rng.choice(n, p=p / p.sum())]
    return np.array([rng.choice(n, p=weights / weights.sum())])


def _placed_others(rng: np.random.Generator, clean: np.ndarray, others: np.ndarray | None, roots: list[int],
                   offset_range: tuple[float, float], unit: float) -> np.ndarray:
    """Another person's pose beside the subject, frame by frame (T, J, C).

    Swaps happen where people overlap in the image, so the other person's root-relative pose
    is carried along at a sideways distance from the subject's root. Without ``others``, the
    subject's own motion shifted in time plays the other person.
    """
    t, _, c = clean.shape
    if others is None:
        others, shift = clean, int(rng.integers(t // 4, max(t // 4, 3 * t // 4) + 1))
    else:
        shift = int(rng.integers(len(others)))
    idx = (np.arange(t) + shift) % len(others)
    rel = others[idx] - others[idx][:, roots].mean(axis=1, keepdims=True)
    angle = rng.uniform(0, 2 * np.pi)
    # 3D (Y up): any horizontal direction; 2D (pixels): mostly side by side in the image.
    if c == 3:
        direction = np.array([np.cos(angle), 0.0, np.sin(angle)])
    else:
        direction = np.array([np.sign(np.cos(angle)), 0.3 * np.sin(angle)])
    offset = direction * rng.uniform(*offset_range) * unit
    return rel + clean[:, roots].mean(axis=1, keepdims=True) + offset


def _whole_body(
    rng: np.random.Generator, pose: np.ndarray, root: np.ndarray, m: ErrorModel, k: float, sigma: float,
) -> np.ndarray:
    """Rotate, scale and (3D) depth-stretch each frame of ``pose`` (T, J, C) about ``root`` (T, 1, C)."""
    t, _, c = pose.shape
    s_half = np.sqrt(0.5) * m.scale_std * k
    scale = 1 + s_half * rng.standard_normal() + s_half * _slow_noise(rng, t, (), sigma)  # (T,)
    angle = np.deg2rad(m.rotation_deg * k)
    if c == 3:
        from scipy.spatial.transform import Rotation

        rot = Rotation.from_rotvec(angle * _slow_noise(rng, t, (3,), sigma)).as_matrix()  # (T, 3, 3)
        a = rng.uniform(0, 2 * np.pi)
        axis = np.array([np.cos(a), 0.0, np.sin(a)])  # a random horizontal viewing direction
        depth = m.depth_std * k * _slow_noise(rng, t, (), sigma)
        stretch = np.eye(3) + depth[:, None, None] * np.outer(axis, axis)
        mat = rot @ stretch * scale[:, None, None]
    else:
        theta = angle * _slow_noise(rng, t, (), sigma)
        cos, sin = np.cos(theta), np.sin(theta)
        mat = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2) * scale[:, None, None]
    return root + np.einsum("tij,tkj->tki", mat, pose - root)


def _hold_missing(x: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Freeze every missing joint at its last seen value (the next one for a lost start).

    Joints lost for the whole sequence have nothing to hold, so they are returned unmarked.
    """
    t = len(x)
    frames = np.arange(t)[:, None]
    prev = np.maximum.accumulate(np.where(missing, -1, frames), axis=0)  # (T, J)
    nxt = np.minimum.accumulate(np.where(missing, t, frames)[::-1], axis=0)[::-1]
    src = np.where(prev >= 0, prev, nxt)
    never = (src >= t).all(axis=0)
    missing = missing & ~never[None]
    src = np.where(missing, src, frames).clip(0, t - 1)
    return np.take_along_axis(x, src[..., None], axis=0), missing


def _validate(clean, model, unit_scale, others, fps) -> tuple[np.ndarray, ErrorModel, np.ndarray | None]:
    x = np.asarray(clean)
    if x.ndim != 3 or x.shape[0] < 1 or x.shape[1] < 1 or x.shape[2] not in (2, 3):
        raise ValueError(f"clean must be (T, J, C) with T >= 1 and C = 2 or 3, got shape {x.shape}")
    if isinstance(model, str):
        model = get_preset(model)
    if not isinstance(model, ErrorModel):
        raise ValueError(f"model must be a preset name or an ErrorModel, got {type(model).__name__}")
    if not (np.isfinite(unit_scale) and unit_scale > 0):
        raise ValueError(f"unit_scale must be a positive number, got {unit_scale}")
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"fps must be a positive number, got {fps}")
    if others is not None:
        others = np.asarray(others, dtype=np.float64)
        if others.ndim != 3 or others.shape[0] < 1 or others.shape[1:] != x.shape[1:]:
            raise ValueError(f"others must be (T', {x.shape[1]}, {x.shape[2]}) like clean, got shape {others.shape}")
    return x, model, others


def corrupt(
    clean: np.ndarray, model: str | ErrorModel = "typical", *, rng: np.random.Generator | int | None = None,
    layout: object = "h36m17", unit_scale: float = 1.0, others: np.ndarray | None = None, fps: float = TRAINING_FPS,
) -> Corruption:
    """Simulate a pose estimator's output for the clean sequence ``clean``.

    Parameters
    ----------
    clean : (T, J, C) ground-truth poses: C = 3 in mm (any orientation; Y up assumed for the
        horizontal directions) or C = 2 in pixels.
    model : preset name ("clean-ish", "typical", "hard") or an :class:`ErrorModel`.
    rng : Generator, seed or None; the same seed gives the same output.
    layout : joint layout name (see :mod:`synsp.skeleton`), a Layout object, or None (no
        bone tree: all joints alike, no inversions). Must have J joints.
    unit_scale : output units per model mm (pixels per mm for 2D; a severity factor for 3D).
    others : optional (T', J, C) clean poses of another person for swap errors, same unit as
        ``clean``; only its root-relative pose is used, carried beside the subject. Without
        it, the subject's own motion shifted in time is used.
    fps : frame rate of ``clean``; every time in the model is in seconds.

    Returns
    -------
    Corruption
        ``noisy`` (T, J, C) with the dtype of ``clean``, ``missing`` (T, J) bool, ``kind``
        (T, J) uint8 (0 none, 1 miss, 2 swap, 3 inversion).

    Examples
    --------
    >>> import numpy as np
    >>> clean = np.zeros((60, 17, 3), np.float32)
    >>> out = corrupt(clean, "typical", rng=0)
    >>> out.noisy.shape, out.noisy.dtype, out.missing.shape
    ((60, 17, 3), dtype('float32'), (60, 17))
    """
    x, m, others = _validate(clean, model, unit_scale, others, fps)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    x = x.astype(np.float64)
    t, n, c = x.shape
    rng = np.random.default_rng(rng)
    info = _joint_info(layout, x)
    weights = 1 + m.joint_spread * info.depth / max(info.depth.max(), 1)
    weights = weights / weights.mean()
    k = float(np.exp(m.sequence_spread * rng.standard_normal()))  # this video's difficulty
    amp = unit_scale * k
    sigma = float(np.exp(rng.uniform(*np.log(np.maximum(m.drift_time, 1e-3))))) * fps  # slow time scale, frames
    kind = np.zeros((t, n), np.uint8)

    # Identity errors: which point the estimator localises.
    scene = x.copy()
    if len(info.pairs):
        inverted = np.zeros((t, len(info.pairs)), bool)
        scopes = np.asarray(m.inversion_scope, float) / sum(m.inversion_scope)
        for start, stop in _events(rng, m.inversion_rate, m.inversion_duration, t, fps):
            scope = rng.choice(3, p=scopes)  # one pair, one limb, or the whole body (seen from behind)
            if scope == 2:
                inverted[start:stop] = True
            elif scope == 1 and info.limbs:
                inverted[start:stop, info.limbs[rng.integers(len(info.limbs))]] = True
            else:
                inverted[start:stop, rng.integers(len(info.pairs))] = True
        for p, (a, b) in enumerate(info.pairs):
            f = inverted[:, p]
            scene[f, a], scene[f, b] = x[f, b], x[f, a]
            kind[f, a] = kind[f, b] = INVERSION
    for start, stop in _events(rng, m.swap_rate, m.swap_duration, t, fps):
        joints = _pick_joints(rng, info, weights, m.swap_limb_prob, 0.0)
        placed = _placed_others(rng, x, others, info.roots, m.swap_offset_mm, unit_scale)
        scene[start:stop, joints] = placed[start:stop][:, joints]
        kind[start:stop, joints] = SWAP

    # Localisation errors: slow structured errors, then jitter.
    noisy = scene
    if m.rotation_deg > 0 or m.scale_std > 0 or (m.depth_std > 0 and c == 3):
        noisy = _whole_body(rng, scene, x[:, info.roots].mean(axis=1, keepdims=True), m, k, sigma)
    if m.bias_mm > 0 or m.drift_mm > 0:
        bias = _couple(rng.standard_normal((1, n, c)), info, m.joint_coupling)
        drift = _couple(_slow_noise(rng, t, (n, c), sigma), info, m.joint_coupling)
        noisy = noisy + (m.bias_mm * bias + m.drift_mm * drift) * amp * weights[None, :, None]
    if m.jitter_mm > 0:
        rho = float(np.exp(-1 / (m.jitter_time * fps))) if m.jitter_time > 0 else 0.0
        burn = int(np.ceil(5 * m.jitter_time * fps))  # start the AR(1) process in its stationary state
        size = np.where(rng.random((t + burn, n)) < m.jitter_spike_rate / fps, m.jitter_spike_scale, 1.0)
        innov = rng.standard_normal((t + burn, n, c)) * size[..., None] * np.sqrt(1 - rho**2)
        from scipy.signal import lfilter

        jitter = lfilter([1.0], [1.0, -rho], innov, axis=0)[burn:]
        speed = np.zeros((t, n))
        if t > 1:  # joint speed in m/s: motion blur makes fast joints noisier
            speed = np.nan_to_num(np.linalg.norm(np.gradient(x, axis=0), axis=-1)) * fps / unit_scale / 1000
        blur = np.minimum(1 + m.jitter_speed_gain * speed, 3.0)
        noisy = noisy + jitter * (m.jitter_mm * amp * weights[None, :, None] * blur[..., None])

    # Misses: the estimator outputs nothing, or (trackers) holds the last value.
    missing = np.isnan(noisy).any(axis=-1)  # NaN in the input (or in ``others``) is missing output too
    for start, stop in _events(rng, m.miss_rate, m.miss_duration, t, fps):
        missing[start:stop, _pick_joints(rng, info, weights, m.miss_limb_prob, m.miss_body_prob)] = True
    if m.miss_mode == "freeze":
        noisy, missing = _hold_missing(noisy, missing)
    else:
        noisy = np.where(missing[..., None], np.nan, noisy)
    kind[missing] = MISS
    return Corruption(noisy.astype(dtype), missing, kind)


def estimate(
    clip: np.ndarray, other: np.ndarray, rng: np.random.Generator, *, preset: ErrorModel, layout: str | Layout,
    space: str = "3d", severity: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulated estimator output for one clip, and its ground truth, in model space.

    ``clip`` and ``other`` (another person, for swap errors) are (T, J, 3) mm at the training
    rate. 2D goes through a random virtual camera (:mod:`synsp.data.camera`). Returns
    (noisy, clean), each (T, J, C): root-relative mm for 3D, pixels for 2D; the noisy
    sequence's missing joints are already filled by interpolation.
    """
    layout = get_layout(layout)
    if space == "2d":
        camera = random_camera(rng, subject=clip)
        clean = project(clip, camera).astype(np.float32)
        # The simulator places the other person beside the subject itself; it only needs their 2D pose.
        other_2d = project(other - root_position(other, layout) + root_position(clip[:1], layout), camera)
        scale = pixels_per_mm(clip, camera) * severity
        result = corrupt(clean, preset, rng=rng, layout=layout.name, unit_scale=scale, others=other_2d,
                         fps=TRAINING_FPS)
        noisy, _ = fill_gaps(result.noisy)
        return noisy.astype(np.float32), clean
    result = corrupt(clip, preset, rng=rng, layout=layout.name, unit_scale=severity, others=other, fps=TRAINING_FPS)
    noisy, _ = fill_gaps(result.noisy)
    return (noisy - root_position(noisy, layout)).astype(np.float32), clip - root_position(clip, layout)
