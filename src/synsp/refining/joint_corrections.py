"""Which model joints' correction a joint of another layout takes: the joints both layouts share, the
model joints nearest to each other joint, and the share of their correction its own noise needs."""
from __future__ import annotations

import numpy as np

from synsp.inference.clean import input_noise
from synsp.skeleton import can_convert, convert, get_layout


def shared_joints(layout: str, target: str) -> list[tuple[int, int]]:
    """(index in ``layout``, index in ``target``) of the joints both layouts name alike and the
    conversion copies as they are (Halpe's "head", the head top, is not H36M's "head", made from the ears)."""
    target_names = get_layout(target).joints
    probe = np.random.default_rng(0).normal(size=(1, len(get_layout(layout).joints), 3))
    converted = convert(probe, layout, target) if can_convert(layout, target) else None
    return [(j, k) for j, name in enumerate(get_layout(layout).joints) if name in target_names
            for k in [target_names.index(name)]
            if converted is None or np.array_equal(converted[:, k], probe[:, j])]


def noise_ratio(poses: np.ndarray, converted: np.ndarray) -> np.ndarray:
    """(J,) for every joint of ``poses`` (T, J, C) without NaN, its own noise over that of the model
    joints of ``converted`` (T, K, C) whose correction it takes (:func:`nearest_joints`' weights),
    at most 1 (:func:`synsp.inference.clean.input_noise`, each in the poses' unit): the share of
    their correction it needs. A face point half as noisy as the nose takes half the nose's."""
    own = input_noise(poses)
    theirs = nearest_joints(poses, converted) @ np.nan_to_num(input_noise(converted))
    known = np.isfinite(own) & (theirs > 0)  # a joint never seen (NaN) keeps the whole correction
    return np.where(known, np.clip(own / np.where(known, theirs, 1.0), 0.0, 1.0), 1.0)


# A joint of another layout moves with every model joint about as near to it as the nearest one
# (within this factor of its distance): a mid-hip with both hips, a head top with the eyes and ears
# that a conversion made from one head point, instead of with whichever came first.
NEAR_TIE = 1.1


def nearest_joints(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(J, K) weights: for every joint of ``x`` (T, J, C), the joints of ``y`` (T, K, C) nearest to
    it on average (all those within :data:`NEAR_TIE` times the nearest distance), equally weighted;
    each row sums to 1 (a joint never seen: all on ``y``'s first joint)."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    d = np.where(np.isnan(d), np.inf, d)
    near = np.isfinite(d) & (d <= NEAR_TIE * d.min(axis=1, keepdims=True))
    near[~near.any(axis=1), 0] = True
    return near / near.sum(axis=1, keepdims=True)
