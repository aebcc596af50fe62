"""Planted feet held: a 3D foot joint the refined output reads still and on the floor follows a straight line there.

Every refiner leaves some of its input's noise in a planted foot, which then slides: Blender's and OpenSim's most
visible artefact (a user audit, audit 9, finding 5; ``benchmarks/foot_sliding.py``: validation locomotion under
`jitter`, the truth's planted ankles move 1.83 mm/frame, SynSP's 4.29, SmoothNet's 4.17). The network sees
root-relative windows of 8 frames and knows no floor, so no step before this one can tell a planted foot.

Here, per foot joint (a layout's ankles, toes, heels, feet), a frame is read planted where the *refined* joint moves
slower than :data:`STILL` and lies within :data:`NEAR_FLOOR` of its low height over the clip (its
:data:`FLOOR_PERCENTILE`-th percentile along the body's up, the hips' side of the feet); both are in leg lengths
(the hips' median distance to the ankles), so the step reads metres as millimetres. Root-relative poses
(:func:`root_relative`) are left as they are: their feet move with the hips, planted or not. A run of at least
:data:`MIN_RUN` seconds is replaced by its least-squares straight line (a slow roll stays, the wobble goes), blended
in over :data:`EDGE` seconds at each end so that nothing jumps. A run whose line leaves the joint by more than
:data:`BENT` anywhere is a slow move, no plant (a heel pivoting about its toe), and is left. Noisy output moves
faster than :data:`STILL`, so heavy noise leaves fewer frames read planted, never more (validation: 1 of 2,975
frames held under `jitter` was not planted in the truth). Chosen on the validation split (benchmarks/RESULTS.md,
section 1, "Feet that slide while planted").
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout, get_layout, root_position

HOLD = True  # the step on (False: SynSP's output as it was before it)
STILL = 8.0 / 720.0 * 30.0  # leg lengths per second: 8 mm/frame at 30 fps for the mocap's 0.72 m (hips to ankles)
NEAR_FLOOR = 60.0 / 720.0  # leg lengths above the foot joint's low height
FLOOR_PERCENTILE = 5.0
MIN_RUN = 4 / 30.0  # seconds
EDGE = 3 / 30.0  # seconds of blend at each end of a run
BENT = 0.03  # leg lengths: a run whose straight line leaves the refined joint by more is no plant (a slow pivot)
# leg lengths: a root whose slow path (ROOT_SMOOTH seconds' mean of its 5-frame median) moves less is held at one place
# (root-relative poses). Its raw spread is no test: 1 mm of white noise on every joint, root included, moves it by
# 0.4 % of the leg, the slow path by < 0.1 % (a standing clip's sway in world axes: centimetres)
ROOT_STILL = 0.01
ROOT_SMOOTH = 1.0  # seconds
FOOT_WORDS = ("ankle", "toe", "heel", "foot")


def foot_joints(layout: str | Layout) -> list[int]:
    """Indices of ``layout``'s foot joints: names with ankle, toe, heel or foot in them."""
    return [i for i, n in enumerate(get_layout(layout).joints) if any(w in n.lower() for w in FOOT_WORDS)]


def root_relative(poses: np.ndarray, layout: str | Layout, fps: float | None = 30.0) -> bool:
    """True when ``poses`` (T, J, 3) hold their root still: its slow path (a 5-frame median, then a centred mean over
    :data:`ROOT_SMOOTH` seconds, so white noise and short spikes on it average out) stays within :data:`ROOT_STILL`
    leg lengths of its median. Root-relative poses: their feet move with the hips' sway and the body's path, so a foot
    still there is not planted (held there, validation `synthetic` root-relative 11.29 -> 11.57 mm over every joint;
    a standing clip with 1 mm of noise on every joint 1.6 -> 5 mm)."""
    poses = np.asarray(poses, np.float64)
    root = root_position(poses, layout)[:, 0]
    feet = foot_joints(layout) or [0]
    legs = np.linalg.norm(poses[:, feet] - root[:, None], axis=-1)
    leg = np.nanmedian(legs) if np.isfinite(legs).any() else np.nan  # feet never seen: no leg, no warning
    root = root[np.isfinite(root).all(-1)]  # the frames that have one
    fps = 30.0 if fps is None else float(fps)
    slow = _slow_path(root, max(1, round(ROOT_SMOOTH * fps)))
    spread = np.nanmax(np.abs(slow - np.nanmedian(slow, axis=0))) if np.isfinite(slow).any() else 0.0
    return bool(not spread > ROOT_STILL * leg)


def _slow_path(path: np.ndarray, width: int) -> np.ndarray:
    """``path`` (T, C): a 5-frame running median (spikes out), then a centred running mean over ``width`` frames
    (white noise out), both shortened at the ends; (T, C)."""
    t = len(path)
    med = np.array(path, np.result_type(path, np.float16))  # nanmedian's type: float32 stays, integers become float64
    # whole windows of 5 finite values at once (their median is one of them: the same number as frame by frame); the
    # 2 frames at each end and the windows with a NaN one by one
    whole = np.lib.stride_tricks.sliding_window_view(path, 5, axis=0) if t >= 5 else np.zeros((0, 1, 5))
    finite = np.isfinite(whole).all(axis=(-2, -1))
    med[2:2 + len(whole)][finite] = np.median(whole[finite], axis=-1)
    for i in sorted({*range(min(2, t)), *range(max(0, t - 2), t), *(np.flatnonzero(~finite) + 2)}):
        med[i] = np.nanmedian(path[max(0, i - 2):i + 3], axis=0)
    half = width // 2
    csum = np.concatenate([np.zeros((1, path.shape[1])), np.cumsum(np.nan_to_num(med), axis=0)])
    lo, hi = np.maximum(np.arange(t) - half, 0), np.minimum(np.arange(t) + half + 1, t)
    return (csum[hi] - csum[lo]) / (hi - lo)[:, None]


def _hips(layout: Layout) -> list[int]:
    return [i for i, n in enumerate(layout.joints) if "hip" in n.lower() and "mid" not in n.lower()]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[(start, stop)] of the True runs of ``mask`` (T,)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2], edges[1::2]))


def hold_planted(poses: np.ndarray, layout: str | Layout, fps: float | None = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (T, J, 3), refined, any unit and axes, with each planted foot joint's runs on their straight line.

    Returns (held poses (T, J, 3), (T, J) bool: the frames held, blend edges included). Poses without foot
    and hip joints, 2D poses, or with NaN in the feet or hips come back as they are."""
    poses = np.asarray(poses)
    held = np.zeros(poses.shape[:2], bool)
    if poses.ndim != 3 or poses.shape[-1] != 3:
        return poses, held
    layout = get_layout(layout)
    if len(layout.joints) != poses.shape[1]:
        raise ValueError(f"hold_planted: poses have {poses.shape[1]} joints, layout {layout.name} {len(layout.joints)}")
    feet, hips = foot_joints(layout), _hips(layout)
    ankles = [i for i in feet if "ankle" in layout.joints[i].lower()] or feet
    fps = 30.0 if fps is None else float(fps)
    if not feet or not hips or not np.isfinite(poses[:, feet + hips]).all() or len(poses) < 2:
        return poses, held
    hip_mid, foot_mid = poses[:, hips].mean(1), poses[:, ankles].mean(1)
    up = (hip_mid - foot_mid).mean(0)
    leg = float(np.median(np.linalg.norm(hip_mid - foot_mid, axis=-1)))
    if not np.linalg.norm(up) > 0 or not leg > 0:
        return poses, held
    up = up / np.linalg.norm(up)
    out = poses.astype(np.float64, copy=True)
    min_run, edge = max(3, round(MIN_RUN * fps)), max(1, round(EDGE * fps))
    for j in feet:
        p = out[:, j].copy()
        speed = np.linalg.norm(np.gradient(p, axis=0), axis=-1) * fps / leg
        height = p @ up
        low = height <= np.percentile(height, FLOOR_PERCENTILE) + NEAR_FLOOR * leg
        for start, stop in _runs((speed < STILL) & low):
            n = stop - start
            if n < min_run:
                continue
            basis = np.stack([np.ones(n), np.arange(n) - (n - 1) / 2.0], axis=1)
            line = basis @ np.linalg.lstsq(basis, p[start:stop], rcond=None)[0]
            if BENT is not None and np.linalg.norm(line - p[start:stop], axis=-1).max() > BENT * leg:
                continue
            weight = np.ones(n)
            ramp = np.arange(1, min(edge, n // 2) + 1) / (min(edge, n // 2) + 1)
            if len(ramp):
                weight[:len(ramp)], weight[n - len(ramp):] = ramp, ramp[::-1]
            out[start:stop, j] = weight[:, None] * line + (1 - weight[:, None]) * p[start:stop]
            held[start:stop, j] = True
    return out.astype(poses.dtype, copy=False), held
