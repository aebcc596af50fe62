"""Which model joints' correction a joint of another layout takes: the joints both layouts share, the
model joints nearest to each other joint, the share of their correction its own noise needs, the
trunk points the conversion does not use, carried rigidly by the refined trunk instead (in 2D a neck
on the refined shoulders), and the points that keep still while the body moves away (a ground root),
refined on their own."""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from synsp.conventions import in_frames, local_frames
from synsp.inference.clean import input_noise
from synsp.sequence import body_size
from synsp.skeleton import can_convert, convert, get_layout
from synsp.skeleton.layout_type import pair_flip

# Coordinates per joint where :func:`rigid_on_trunk` carries the loose trunk points: 3D only. In 2D
# the COCO-17 model's refined shoulders and hips do worse than the neck's and mid-hip's own route
# (validation, 12 clips, benchmarks/loose_trunk.py --space 2d --in-2d: BODY-25 `typical` 8.29 -> 9.10 px); a 2D
# neck is carried by the refined shoulders instead (:func:`necks_on_shoulders`).
RIGID_TRUNK_COORDS = (3,)


def shared_joints(layout: str, target: str) -> list[tuple[int, int]]:
    """(index in ``layout``, index in ``target``) of the joints both layouts name alike and the
    conversion copies as they are (Halpe's "head", the head top, is not H36M's "head", made from the ears)."""
    target_names = get_layout(target).joints
    probe = np.random.default_rng(0).normal(size=(1, len(get_layout(layout).joints), 3))
    converted = convert(probe, layout, target) if can_convert(layout, target) else None
    return [(j, k) for j, name in enumerate(get_layout(layout).joints) if name in target_names
            for k in [target_names.index(name)]
            if converted is None or np.array_equal(converted[:, k], probe[:, j])]


def noise_ratio(poses: np.ndarray, converted: np.ndarray, layouts: tuple[str, str] | None = None) -> np.ndarray:
    """(J,) for every joint of ``poses`` (T, J, C) without NaN, its own noise over that of the model
    joints of ``converted`` (T, K, C) whose correction it takes (:func:`nearest_joints`' weights),
    at most 1 (:func:`synsp.inference.clean.input_noise`, each in the poses' unit): the share of
    their correction it needs. A face point half as noisy as the nose takes half the nose's.
    ``layouts``: (``poses``' layout, ``converted``'s), as :func:`nearest_joints` takes them."""
    own = input_noise(poses)
    theirs = nearest_joints(poses, converted, layouts) @ np.nan_to_num(input_noise(converted))
    known = np.isfinite(own) & (theirs > 0)  # a joint never seen (NaN) keeps the whole correction
    return np.where(known, np.clip(own / np.where(known, theirs, 1.0), 0.0, 1.0), 1.0)


# A joint of another layout moves with every model joint about as near to it as the nearest one
# (within this factor of its distance): a mid-hip with both hips, a head top with the eyes and ears
# that a conversion made from one head point, instead of with whichever came first.
NEAR_TIE = 1.1


def nearest_joints(x: np.ndarray, y: np.ndarray, layouts: tuple[str, str] | None = None) -> np.ndarray:
    """(J, K) weights: for every joint of ``x`` (T, J, C), the joints of ``y`` (T, K, C) nearest to
    it on average (all those within :data:`NEAR_TIE` times the nearest distance), equally weighted;
    each row sums to 1 (a joint never seen: all on ``y``'s first joint). With ``layouts`` (``x``'s
    layout, ``y``'s), a left or right joint never takes a joint of the other side: in a side view,
    or one frame of a stream, a left heel can be nearer the right ankle than the left one; and a
    midline joint takes both joints of a pair it picks one of: in 2D the neck was nearer one
    shoulder, the head top one eye or ear, and took that joint's own correction alone (validation
    2D HALPE-26 `typical`: neck 1.018 and head top 1.028 x input, worse than SmoothNet's 0.988)."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    d = np.where(np.isnan(d), np.inf, d)
    if layouts is not None:
        sides = [get_layout(name).sides for name in layouts]
        d = np.where(sides[0][:, None] * sides[1][None, :] < 0, np.inf, d)
    near = np.isfinite(d) & (d <= NEAR_TIE * d.min(axis=1, keepdims=True))
    if layouts is not None:
        midline = sides[0] == 0
        near[midline] |= near[midline][:, pair_flip(get_layout(layouts[1]).left_right, y.shape[1])] & np.isfinite(
            d[midline])
    near[~near.any(axis=1), 0] = True
    return near / near.sum(axis=1, keepdims=True)


# A joint no bone joins to the body is refined on its own, in the world, when the body travels
# while it keeps still (:func:`detached_joints`): the body's centroid spreads over more than this
# share of the body's size, and the joint less than this share of the centroid's spread. Bandai-22's
# joint_Root, the world's origin a runner leaves behind: refined about the centroid, it moved with
# the body's whole path (SmoothNet: 59 mm off on a validation sprint under jitter, input 9 mm),
# counted in the body's size and pace, and took its nearest model joint's correction. A face point
# of a person standing still keeps still too, but the body does not travel.
DETACHED_SPREAD = 0.5


def detached_joints(poses: np.ndarray, layout: str) -> list[int]:
    """Indices of the joints of ``poses`` (..., T, J, C, NaN allowed; ``layout``'s joints) that no
    bone of ``layout`` joins to the others and that keep still in the world while the body
    travels (:data:`DETACHED_SPREAD`): spreads are RMS distances from the median place over the
    frames (of every leading index together), the body's that of the centroid of the joined joints,
    its size :func:`synsp.sequence.body_size`. A face point of a whole-body layout (no bone
    either) moves with the head: not detached."""
    layout_ = get_layout(layout)
    joined = sorted({int(j) for bone in layout_.bones for j in bone})
    free = [j for j in range(len(layout_.joints)) if j not in joined]
    if not free or not joined:
        return []
    x = np.asarray(poses, np.float64).reshape(-1, *np.shape(poses)[-2:])
    with warnings.catch_warnings():  # a joint or frame never seen: NaN, not detached
        warnings.simplefilter("ignore", RuntimeWarning)

        def spread(p: np.ndarray) -> float:
            return float(np.sqrt(np.nanmean(((p - np.nanmedian(p, axis=0)) ** 2).sum(-1))))

        travel = spread(np.nanmean(x[:, joined], axis=1))
        if not travel > DETACHED_SPREAD * body_size(x[:, joined]):
            return []
        return [j for j in free if spread(x[:, j]) < DETACHED_SPREAD * travel]


# A joint named like a trunk point (BODY-25's neck and mid-hip, Halpe-26's neck and hip): rigid with
# the trunk's model joints, unlike a head top, a face point (worse kept rigid, measured), a hand or
# Bandai-22's joint_Root (the world's origin).
TRUNK_WORDS = ("neck", "hip", "pelvis", "spine", "chest", "thorax")


@lru_cache(maxsize=None)
def loose_trunk_points(layout: str, target: str) -> tuple[int, ...]:
    """Indices in ``layout`` of the trunk points (:data:`TRUNK_WORDS`) that the conversion to
    ``target`` neither copies nor uses: moving one moves no converted joint (BODY-25's neck and
    mid-hip, made from nothing in H36M, whose pelvis and thorax are the hips' and shoulders' means).
    Bandai-22's Hips, Spine, Chest and Neck build H36M's joints, so they are not loose."""
    names = get_layout(layout).joints
    if not can_convert(layout, target):
        return ()
    probe = np.random.default_rng(0).normal(size=(1, len(names), 3))
    base = convert(probe, layout, target)
    loose = []
    for j, name in enumerate(names):
        if not any(word in name.lower() for word in TRUNK_WORDS):
            continue
        moved = probe.copy()
        moved[:, j] += 1.0
        if np.array_equal(convert(moved, layout, target), base):
            loose.append(j)
    return tuple(loose)


def trunk_anchors(weights: np.ndarray, joints: Iterable[int], target: str) -> dict[int, np.ndarray]:
    """{j: indices of the model joints ``weights[j]`` (J, K) picks} for the ``joints`` whose picks
    are all trunk model joints (:data:`TRUNK_WORDS`) or shoulders of ``target``: those
    :func:`rigid_on_trunk` can carry."""
    model = get_layout(target).joints
    picks = {j: np.nonzero(weights[j])[0] for j in joints}
    return {j: anchors for j, anchors in picks.items()
            if all(any(word in model[k] for word in TRUNK_WORDS + ("shoulder",)) for k in anchors)}


def in_trunk_frame(points: np.ndarray, refined: np.ndarray, frames: np.ndarray, weights: np.ndarray,
                   anchors: np.ndarray) -> tuple[np.ndarray, ...]:
    """``points`` (T, C) in the refined trunk's frame: returns their offsets (T, C) from the anchor,
    the mean (``weights`` (K,)) of the model joints ``anchors`` of ``refined`` (T, K, C), in the
    first anchor's frame of ``frames`` (T, K, C, C, :func:`synsp.conventions.local_frames` of
    ``refined``), with the anchor (T, C), that frame (T, C, C) and whether it has axes (T,): a body
    of no size has none (its frame is then the identity, its offset 0 in :func:`on_trunk`)."""
    anchor = np.einsum("k,tkc->tc", weights[anchors], refined[:, anchors])
    local, frame, axes = in_frames(frames[:, anchors[0]], points - anchor)
    return local, anchor, frame, axes


def on_trunk(offset: np.ndarray, anchor: np.ndarray, frame: np.ndarray, axes: np.ndarray) -> np.ndarray:
    """(T, C) points at ``offset`` (C,) from ``anchor`` (T, C) in ``frame`` (T, C, C), at the anchor
    where the frame has no ``axes`` (T,) (:func:`in_trunk_frame`)."""
    return anchor + np.where(axes[:, None], np.einsum("tab,b->ta", frame, offset), 0.0)


def rigid_on_trunk(poses: np.ndarray, refined: np.ndarray, target: str, weights: np.ndarray,
                   joints: Iterable[int], measured: np.ndarray) -> dict[int, np.ndarray]:
    """Loose trunk points (:func:`loose_trunk_points`) carried by the refined trunk: for joint
    ``j`` of ``poses`` (T, J, C, no NaN), its anchor is the mean of the model joints ``weights[j]``
    (J, K) picks in ``refined`` (T, K, C, ``target``'s layout), and the point is kept at the
    clip's median offset from it in the anchor's :func:`synsp.conventions.local_frames` (the
    trunk frame; in 2D scaled by the trunk's length), over the frames ``measured`` (T, J) marks.
    A model correction made from the hips and shoulders undoes their noise, not the point's own.
    Returns {j: (T, C)} for the joints whose anchors are all trunk model joints (or shoulders,
    :func:`trunk_anchors`); a point never measured is left out. A stream keeps the running median
    instead (:class:`synsp.inference.stream_layouts.OtherLayout`)."""
    frames = None
    out = {}
    for j, anchors in trunk_anchors(weights, [j for j in joints if measured[:, j].any()], target).items():
        if frames is None:
            frames = local_frames(refined, target)  # (T, K, C, C)
        local, anchor, frame, axes = in_trunk_frame(poses[:, j], refined, frames, weights[j], anchors)
        keep = measured[:, j] & axes
        if not keep.any():
            continue
        out[j] = on_trunk(np.median(local[keep], axis=0), anchor, frame, axes)
    return out


def necks_on_shoulders(poses: np.ndarray, converted: np.ndarray, refined: np.ndarray, target: str,
                       joints: Iterable[int], measured: np.ndarray) -> dict[int, np.ndarray]:
    """2D's loose trunk points nearer the shoulders' midpoint than the hips' (a neck: BODY-25's, Halpe-26's), carried
    by the refined shoulders: for joint ``j`` of ``poses`` (T, J, 2, no NaN), its offset from the midpoint of
    ``target``'s shoulders in the input ``converted`` (T, K, 2), in the input trunk's length (that midpoint to the
    hips'), averaged over the frames ``measured`` (T, J) marks, is put on the same midpoint of ``refined`` (T, K, 2)
    in the refined trunk's length. Returns {j: (T, 2)}, as :func:`rigid_on_trunk`. The neck's own error is mostly
    one offset over the clip (the estimator's bias and slow drift), which the shoulders' correction left
    (validation, HALPE-26 `typical`: 0.993 x input, SmoothNet 0.987; here 0.90): its offset from the shoulders
    hardly moves in the picture (a shrug, a bow), so its mean keeps the neck where the estimator puts it about its
    own shoulders and takes the refined shoulders' path. The offset is read from the input's shoulders, not the
    refined ones as 3D's: BODY-25's neck, the shoulders' midpoint, came out worse from the refined ones (0.987 x
    input against 0.966). No turn into the trunk's frame either: in 2D that frame turns with the picture's
    foreshortened shoulders (:func:`rigid_on_trunk` there: 0.94). Not by :func:`nearest_joints`' picks: a neck
    beside a waving hand or a bowed head picked the wrists or the nose on 2 of 65 clips. The hip centre, nearer
    the hips, measured worse so (1.16 x input: its offset from the hips moves with the pelvis's tilt in the
    picture), and stays on the nearest joints' route."""
    model = get_layout(target).joints
    shoulders = [k for k, name in enumerate(model) if "shoulder" in name]
    hips = [k for k, name in enumerate(model) if "hip" in name]
    if len(shoulders) != 2 or not hips:
        return {}

    def midpoints_and_trunk(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        mid, low = values[:, shoulders].mean(1), values[:, hips].mean(1)
        return mid, low, np.linalg.norm(mid - low, axis=-1, keepdims=True)  # (T, 2), (T, 2), (T, 1)

    mid, low, trunk = midpoints_and_trunk(converted)
    top, _, length = midpoints_and_trunk(refined)
    out = {}
    for j in joints:
        keep = measured[:, j] & (trunk[:, 0] > 0)
        if not keep.any() or np.linalg.norm(poses[keep, j] - mid[keep], axis=-1).mean() >= np.linalg.norm(
                poses[keep, j] - low[keep], axis=-1).mean():
            continue
        offset = np.mean((poses[keep, j] - mid[keep]) / trunk[keep], axis=0)
        out[j] = top + offset * length
    return out
