"""Motions the mocap does not hold, made from the motions it does.

A network trained on a few hundred clips learns what *those* clips do, and then "corrects" a
user's motion towards them (it moved clean clips of motions it never saw 3-4x as far as clips
of motions it trained on). Two cheap ways to show it motions that exist nowhere:

- :func:`graft_limbs`: each arm or leg moves as it does in another clip (or another moment of
  the same clip), relative to the trunk, while the body keeps its own bone lengths;
- :func:`warped_times`: the playback speed wanders smoothly over the clip, so one motion's
  phases no longer keep their recorded tempo;
- :func:`bend_posture`: the trunk, head and limbs turned about their joints by random angles
  that wander slowly, postures no actor held (a trunk bent sideways over its legs).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.spatial.transform import Rotation

from synsp.conventions import trunk_frame
from synsp.skeleton import Layout, get_layout

# Each limb: the joint it hangs from, then its joints from the body outwards.
LIMBS = {
    "left_arm": ("left_shoulder", "left_elbow", "left_wrist"),
    "right_arm": ("right_shoulder", "right_elbow", "right_wrist"),
    "left_leg": ("left_hip", "left_knee", "left_ankle"),
    "right_leg": ("right_hip", "right_knee", "right_ankle"),
}


def _chain(layout: Layout, limb: str) -> list[int]:
    missing = [n for n in LIMBS[limb] if n not in layout.joints]
    if missing:
        raise ValueError(f"layout {layout.name} has no {', '.join(missing)}: cannot graft its {limb}")
    return [layout.index(n) for n in LIMBS[limb]]


def graft_limbs(target: np.ndarray, sources: dict[str, np.ndarray], layout: str | Layout) -> np.ndarray:
    """Each named limb of ``target`` moves as it does in its source, relative to the trunk.

    Parameters
    ----------
    target : ndarray (T, J, 3)
        Clean 3D poses, any unit.
    sources : {limb name: ndarray (T, J, 3)}
        Limb names are :data:`LIMBS`' keys; each source has the target's frame count and layout
        (another clip's segment, or the target shifted in time).
    layout : the poses' layout; it needs the joints of every grafted limb and both hips and
        shoulders (the trunk frame).

    Returns
    -------
    ndarray (T, J, 3), same dtype: each grafted limb's bones point, in the target's trunk
    frame, where the source's point in its own, and keep the target's lengths at every frame.
    """
    layout = get_layout(layout)
    target = np.asarray(target)
    out = target.astype(np.float64)
    trunk = trunk_frame(target, layout)  # (T, 3, 3), columns are axes
    for limb, source in sources.items():
        if source.shape != target.shape:
            raise ValueError(f"{limb} source shape {source.shape} differs from the target's {target.shape}")
        # source trunk axes -> target trunk axes, per frame
        turn = trunk @ np.swapaxes(trunk_frame(source, layout), -1, -2)
        chain = _chain(layout, limb)
        for parent, child in zip(chain[:-1], chain[1:]):
            direction = np.einsum("tij,tj->ti", turn, source[:, child] - source[:, parent])
            direction /= np.linalg.norm(direction, axis=-1, keepdims=True) + 1e-9
            length = np.linalg.norm(target[:, child] - target[:, parent], axis=-1, keepdims=True)
            out[:, child] = out[:, parent] + direction * length
    return out.astype(target.dtype, copy=False)


def warped_times(frames: int, strength: float, rng: np.random.Generator,
                 periods: tuple[float, float] = (30.0, 120.0)) -> np.ndarray:
    """Where to sample a clip of ``frames`` frames so that its playback speed wanders smoothly
    around 1: increasing times (frames) from 0 to at most ``frames - 1``.

    The log-speed is a sum of three sinusoids of random phase and of periods drawn from
    ``periods`` (frames), scaled so that its standard deviation is about ``strength`` (0.2:
    mostly 0.7-1.4 x). ``strength`` 0 (or fewer than 3 frames): every frame, as recorded.
    """
    steps = np.arange(frames, dtype=float)
    if strength <= 0 or frames < 3:
        return steps
    log_speed = sum(np.sin(2 * np.pi * steps / rng.uniform(*periods) + rng.uniform(0, 2 * np.pi))
                    for _ in range(3))
    speed = np.exp(strength * np.sqrt(2 / 3) * log_speed)  # a sinusoid's std is 1/sqrt(2)
    times = np.concatenate([[0.0], np.cumsum(speed[:-1])])
    return times[times <= frames - 1]


def random_limb_sources(target: np.ndarray, clips: Sequence[np.ndarray], probability: float,
                        rng: np.random.Generator) -> dict[str, np.ndarray]:
    """For each limb, with ``probability``: a random segment, as long as the target, of a random
    clip of ``clips`` at least that long (the limb is skipped when none is). Returns
    {limb name: (T, J, 3)} for :func:`graft_limbs`. Legs are drawn half as often, since a leg
    that moves apart from the root's path makes the feet slide."""
    t = len(target)
    long_enough = [c for c in clips if len(c) >= t]
    sources = {}
    for limb in LIMBS:
        if not long_enough or rng.random() >= probability * (0.5 if limb.endswith("leg") else 1.0):
            continue
        source = long_enough[rng.integers(len(long_enough))]
        start = int(rng.integers(len(source) - t + 1))
        sources[limb] = np.asarray(source[start:start + t], target.dtype)
    return sources


# Each bend: the joints it turns about (their mean) and the joints it moves, by name; a bend whose
# joints a layout lacks is skipped. Trunk first, so that the limbs turn about where it put them.
_UPPER = ("spine", "thorax", "neck", "neck_nose", "head", "nose", "left_eye", "right_eye", "left_ear",
          "right_ear", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist")
BENDS = (
    (("left_hip", "right_hip"), _UPPER),
    (("left_shoulder", "right_shoulder"), ("neck_nose", "head", "nose", "left_eye", "right_eye", "left_ear",
                                           "right_ear")),
    (("left_shoulder",), ("left_elbow", "left_wrist")),
    (("right_shoulder",), ("right_elbow", "right_wrist")),
    (("left_elbow",), ("left_wrist",)),
    (("right_elbow",), ("right_wrist",)),
    (("left_hip",), ("left_knee", "left_ankle")),
    (("right_hip",), ("right_knee", "right_ankle")),
    (("left_knee",), ("left_ankle",)),
    (("right_knee",), ("right_ankle",)),
)


def bend_posture(clip: np.ndarray, layout: str | Layout, degrees: float, rng: np.random.Generator,
                 probability: float = 0.5, periods: tuple[float, float] = (30.0, 120.0)) -> np.ndarray:
    """``clip`` (T, J, 3), any unit, with each of :data:`BENDS` (with ``probability``) turned
    about a random axis by an angle of up to ``degrees``: a constant part and a slow sinusoidal
    wander (period drawn from ``periods``, frames), so that the posture is one no actor held and
    still moves smoothly. Every bone keeps its length. Returns the same shape and dtype."""
    layout = get_layout(layout)
    out = np.asarray(clip, np.float64).copy()
    t = np.arange(len(out), dtype=float)
    for pivot, moved in BENDS:
        pivots = [layout.index(n) for n in pivot if n in layout.joints]
        joints = [layout.index(n) for n in moved if n in layout.joints]
        if len(pivots) < len(pivot) or not joints or rng.random() >= probability:
            continue
        axis = rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        wander = np.sin(2 * np.pi * t / rng.uniform(*periods) + rng.uniform(0, 2 * np.pi))
        angle = np.radians(degrees) * (rng.uniform(-0.7, 0.7) + 0.3 * wander)  # (T,)
        turn = Rotation.from_rotvec(angle[:, None] * axis).as_matrix()  # (T, 3, 3)
        centre = out[:, pivots].mean(axis=1, keepdims=True)
        out[:, joints] = np.einsum("tij,tkj->tki", turn, out[:, joints] - centre) + centre
    return out.astype(np.asarray(clip).dtype, copy=False)
