"""A wide stance: the knees set out to the sides (a horse or sumo stance, a goalkeeper's ready stance).

The 3D model learnt standing and walking mocap, whose thighs swing forward and back under the hips: per frame the
smaller of the two thighs' angles out to the side (:func:`hip_abduction`, half a second's mean) is at most 14 degrees
over the training clips bar one dance clip (25), at most 15.3 over the validation clips under every preset. On a
stance held with the knees out its prior pulls the legs in, towards the ones it knows, though its input is noise
alone: validation, the clip's own motion over legs held rigid with the hips, each ankle 0.55 leg lengths out and 0.75
down and the knee bent outward (49-55 degrees), 8 mm jitter, all 65 clips, the legs (knees and ankles) 12.60 mm input,
12.62 out (worse than the input on 30 clips), where SmoothNet keeps them at 9.63 and a Butterworth at 10.53
(benchmarks/wide_stance.py). Held with the feet under the hips the same happens once the knees turn out (14.97 mm on
12 clips, input 14.82); turned forward (a held half squat) the legs gain. SmoothNet sees each coordinate alone and has
no posture to pull towards.

Frames whose knees stand out beyond :data:`WIDE`'s start get, on the legs (:func:`leg_joints`), the give-way of hips
bent (:func:`synsp.inference.leaned_trunk.flexed_shares`, :meth:`synsp.inference.give_way.GiveWay.blended`): the
fallback's output but for the network's corrections larger than a share of the body's size (a swap, an outlier).
The 65 clips' legs now 9.70 mm (worse than the input on 1), all joints 9.79 -> 9.11 (SmoothNet 9.29; RESULTS
section 10, "A wide stance held"). One knee out (a step to the side, a kick) is no stance: the smaller angle of the
two is read.
"""
from __future__ import annotations

import numpy as np

from synsp.inference.leaned_trunk import FLEX_FRAMES, frame_shares
from synsp.skeleton import Layout
from synsp.skeleton.pose_geometry import trunk_vector

__all__ = ["WIDE", "hip_abduction", "leg_joints", "wide_shares"]

# (start, full) in degrees of :func:`hip_abduction` averaged over FLEX_FRAMES: frames at or below ``start`` keep the
# network's output, the fallback's share 1 at ``full``. The training clips read at most 14 (one dance clip 25),
# validation at most 15.3 (`jitter`; 15.0 clean, byebye_giant); the held stances of the module docstring 21-55 (the
# least: the feet under the hips, the knees out and bent a little, 0.9 leg lengths down; its legs 12.83 mm -> 11.40,
# SmoothNet 11.00); knees forward, standing, a lunge at most 3 (read in development on benchmarks/wide_stance.py's
# constructions; its --guard prints the clips' readings).
WIDE = (18.0, 26.0)

# the joint names of the legs below the hips (leg_joints)
_LEG_PARTS = ("knee", "ankle", "heel", "toe", "foot")
_JOINTS = ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee", "right_knee")


def hip_abduction(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """(..., T) degrees: per frame of (..., T, J, 3) poses in ``layout``, the smaller over the two thighs (hip to
    knee) of the thigh's angle out to its side from the body's midplane (the plane of the trunk's line, hips' to
    shoulders' midpoint, square to the hips' line): about 0 standing, walking or running (the thighs swing forward),
    negative with the knees in, 37 with the knees held 0.6 thigh lengths out. NaN where a joint is unseen or the
    layout lacks one."""
    x = np.asarray(poses, np.float64)
    if not all(name in layout.joints for name in _JOINTS):
        return np.full(x.shape[:-2], np.nan)
    side = lambda name: x[..., layout.index(name), :]  # noqa: E731
    with np.errstate(divide="ignore", invalid="ignore"):
        up = trunk_vector(x, layout)
        up = up / np.linalg.norm(up, axis=-1, keepdims=True)
        left = side("left_hip") - side("right_hip")  # towards the body's left, square to the trunk
        left = left - (left * up).sum(-1, keepdims=True) * up
        left = left / np.linalg.norm(left, axis=-1, keepdims=True)
        angles = []
        for name, out in (("left", 1.0), ("right", -1.0)):
            thigh = side(f"{name}_knee") - side(f"{name}_hip")
            sine = out * (thigh * left).sum(-1) / np.linalg.norm(thigh, axis=-1)
            angles.append(np.degrees(np.arcsin(np.clip(sine, -1, 1))))
    return np.minimum(*angles)  # NaN where either leg is unseen: one leg alone tells no stance


def wide_shares(poses: np.ndarray, layout: Layout, ramp: tuple[float, float] | None,
                frames: int = FLEX_FRAMES) -> np.ndarray:
    """(..., T) the fallback's share per frame of (..., T, J, 3) poses: :func:`hip_abduction` averaged over ``frames``
    (unseen frames count as feet under the hips), through ``ramp`` (:data:`WIDE`); zeros when ``ramp`` is None (not
    asked: 2D, SmoothNet, another layout's joints, no fallback)."""
    return frame_shares(hip_abduction, poses, layout, ramp, frames)


def leg_joints(layout: Layout) -> np.ndarray:
    """(J,) bool: the joints of ``layout`` the stance's give-way reaches, the legs below the hips (knees, ankles, the
    feet's points). The trunk and arms keep the network's output: validation, 12 clips under the `typical` errors,
    all joints 46.69 mm without the step, 46.54 with it on the legs, 47.51 on every joint (the legs 53.45 either
    way; 8 mm jitter 11.30, 10.48, 10.35)."""
    return np.array([any(part in name for part in _LEG_PARTS) for name in layout.joints])
