"""Which layout, and which joint order, poses follow, told from the poses themselves: files
and arrays often say only how many joints they hold.

17 joints are COCO's, Human3.6M's or MPI-INF-3DHP's order (:func:`seventeen_joint_layout`), 22
the Bandai mocap's or SMPL's body (:func:`twenty_two_joint_layout`), 25 OpenPose's BODY_25 or
Kinect v2's (:func:`twenty_five_joint_layout`), 32 Human3.6M's or Azure Kinect's
(:func:`thirty_two_joint_layout`), 543 MediaPipe Holistic's
own order or Kaggle's (:func:`holistic_order`); any layout's bones must be
about the shortest tree through its joints for poses to follow it (:func:`follows_layout`).
"""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from synsp.sequence import body_size
from synsp.skeleton.layouts import COCO17, H36M17, LAYOUTS, MPI17, SHIPPED, Layout, get_layout
from synsp.skeleton.pose_geometry import bone_tree

# How far apart a 17-joint pose's first five joints lie, less its joints 8-10, in body sizes:
# COCO's face points (0-4) lie together and its elbow and wrists (8-10) apart; H36M's pelvis and
# leg (0-4) lie apart and its thorax, nose and head (8-10) together. Validation split, every clip
# under `typical`, `hard` and no errors: COCO's order at most 0.06 in 2D (0.26 for one `hard` 3D
# clip, otherwise at most -0.07), H36M's at least 0.20.
SEVENTEEN_SPLIT = 0.15
SEVENTEEN = ("coco17", "h36m17", "mpi17")  # the 17-joint orders poses tell apart (files, arrays, streams)


def seventeen_joint_layout(poses: np.ndarray) -> str:
    """``"coco17"``, ``"h36m17"`` or ``"mpi17"``: which order 17-joint poses (..., T, 17, C)
    follow, told from the poses. MPI-INF-3DHP's order where its bones are shorter than either
    other order's would be (:func:`tree_length`: on the validation split, 0.61-0.79 times the
    shorter of the two on MPI-ordered poses, 1.34-2.44 times on the others, 2D and 3D, `typical`,
    `hard` and no errors, four joint conventions); else COCO's or H36M's by
    :data:`SEVENTEEN_SPLIT` when joints 0-4 and 8-10 are seen, else by which of the two orders'
    bones among the seen joints are nearer the shortest tree through them (:func:`tree_excess`,
    ``seen_only``): a waist-up H36M capture has no leg for the first test to spread. NaN joints
    are skipped; ``"coco17"`` when nothing is seen."""
    x = np.asarray(poses, np.float64)
    lengths = {layout.name: tree_length(x, layout) for layout in (MPI17, H36M17, COCO17)}
    if lengths["mpi17"] < min(lengths["h36m17"], lengths["coco17"]):
        return "mpi17"
    if not np.isin((0, 1, 2, 3, 4, 8, 9, 10), seen_joints(x)).all():
        # Validation split, `typical`, legs (with or without hips and pelvis) or one arm NaN:
        # the other order's excess over the poses' own 1.65-2.5 times for H36M's order, 0.91-1.7
        # for COCO's (whose face and elbows, when seen, keep it on the first test).
        h36m, coco = tree_excess(x, H36M17, seen_only=True), tree_excess(x, COCO17, seen_only=True)
        return "h36m17" if h36m < coco else "coco17"

    def spread(joints: tuple[int, ...]) -> float:
        pairs = [np.linalg.norm(x[..., a, :] - x[..., b, :], axis=-1) for a in joints for b in joints if a < b]
        with warnings.catch_warnings():  # frames without the joints are expected
            warnings.simplefilter("ignore", RuntimeWarning)
            return float(np.nanmedian(np.nanmax(np.stack(pairs), axis=0)))

    score = in_body_sizes(spread((0, 1, 2, 3, 4)) - spread((8, 9, 10)), x)
    return "h36m17" if np.isfinite(score) and score > SEVENTEEN_SPLIT else "coco17"


def _spaced_frames(poses: np.ndarray, max_frames: int) -> np.ndarray:
    """At most ``max_frames`` frames (N, J, C) of poses (..., T, J, C), evenly spaced, as float64,
    of those that hold a seen joint (every coordinate finite); N is 0 when none does."""
    x = np.asarray(poses, np.float64).reshape(-1, *np.shape(poses)[-2:])
    # A frame where the detector lost the person tells nothing of the joint order: kept, it would
    # count against every joint in seen_joints' half (a clip 3/4 empty has no joint seen) and thin the sample.
    x = x[np.isfinite(x).all(-1).any(-1)]
    return x[np.linspace(0, len(x) - 1, min(len(x), max_frames)).astype(int)]


def tree_length(poses: np.ndarray, layout: str | Layout, max_frames: int = 500) -> float:
    """The summed lengths of ``layout``'s bone tree (:func:`bone_tree`) in poses (..., T, J, C),
    each bone its median length over frames (at most ``max_frames`` of them, evenly spaced):
    the shorter, the likelier the poses follow that layout's joint order. NaN when no bone is seen."""
    x = _spaced_frames(poses, max_frames)
    tree = np.asarray(bone_tree(layout))
    with warnings.catch_warnings():  # bones never seen
        warnings.simplefilter("ignore", RuntimeWarning)
        lengths = np.nanmedian(np.linalg.norm(x[:, tree[:, 0]] - x[:, tree[:, 1]], axis=-1), axis=0)
    return float(np.sum(lengths)) if np.isfinite(lengths).any() else float("nan")


# How much longer a layout's bones may be than the shortest tree through the same joints
# (:func:`tree_excess`) before poses are taken not to follow that layout, per coordinate count.
# Validation split, every clip under `typical`, `hard` and no errors, eight layouts: at most 1.70
# in 3D and 2.28 in 2D (MediaPipe-33's face); the joints in a random order at least 1.75 in 3D
# and, for 22 joints or more, 2.50 in 2D; 17 and 18 joints in 2D may pass in a random order.
TREE_EXCESS = {3: 1.8, 2: 2.5}


def seen_joints(poses: np.ndarray, max_frames: int = 200) -> np.ndarray:
    """The joints of poses (..., T, J, C) seen (every coordinate finite) in at least half of
    ``max_frames`` evenly spaced frames of those that hold a person (any joint seen), ascending;
    none when no frame does."""
    seen = np.isfinite(_spaced_frames(poses, max_frames)).all(-1)
    return np.flatnonzero(seen.mean(0) >= 0.5) if len(seen) else np.empty(0, np.int64)


def tree_excess(poses: np.ndarray, layout: str | Layout, max_frames: int = 200, *, seen_only: bool = False) -> float:
    """How much longer ``layout``'s bones are in poses (..., T, J, C) than the shortest tree
    through the same joints: the summed median lengths of the bones' shortest spanning forest
    over those of the shortest forest of as many trees through the joints the bones join (at
    most ``max_frames`` frames, evenly spaced). About 1.0-1.7 for poses that follow the layout
    (:data:`TREE_EXCESS`), 2-4 for its joints in another order; NaN when nothing is seen.
    ``seen_only``: only the joints :func:`seen_joints` and the bones between them (NaN when no
    bone is seen), so a layout can be judged from the part of the body in view."""
    # scipy's graph routines load when a layout is guessed, not with every `import synsp`
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

    layout = get_layout(layout)
    x = _spaced_frames(poses, max_frames)
    bones, joints = np.asarray(layout.bones), np.unique(layout.bones)
    if seen_only:  # every seen joint counts, joined by a bone or not: the shortest forest spans them all
        joints = seen_joints(x, max_frames)
        bones = bones[np.isin(bones, joints).all(axis=1)]
        if len(bones) == 0:
            return float("nan")
    y = x[:, joints]
    with warnings.catch_warnings():  # joints never seen
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.nanmedian(np.linalg.norm(y[:, :, None] - y[:, None], axis=-1), axis=0)
    if not np.isfinite(d).all():
        return float("nan")
    d = d + 1e-9 * (1.0 + d.max())  # a zero distance is no edge to scipy
    n, ends = len(joints), np.searchsorted(joints, bones)
    bones = coo_matrix((d[ends[:, 0], ends[:, 1]], (ends[:, 0], ends[:, 1])), shape=(n, n)).tocsr()
    trees = connected_components(bones, directed=False)[0]
    shortest = np.sort(minimum_spanning_tree(d * (1.0 - np.eye(n))).data)[: n - trees]
    return float(minimum_spanning_tree(bones).sum() / max(shortest.sum(), 1e-300))


def follows_layout(poses: np.ndarray, layout: str | Layout) -> bool:
    """Whether poses (..., T, J, C) could follow ``layout``'s joint order (:func:`tree_excess`
    within :data:`TREE_EXCESS`); True when too little is seen to tell."""
    excess = tree_excess(poses, layout)
    return not excess > TREE_EXCESS.get(np.shape(poses)[-1], TREE_EXCESS[3])


# How far a 22-joint pose's first joint lies from its second, in body sizes: the mocap's first
# joint is its ground reference, about a leg's length below its Hips; SMPL's is the pelvis, a
# hand's width from the left hip. Checked on the validation split (benchmarks/RESULTS.md,
# section 11, "SMPL's joints").
TWENTY_TWO_SPLIT = 0.25


def twenty_two_joint_layout(poses: np.ndarray) -> str:
    """``"bandai22"`` or ``"smpl22"``: which skeleton 22-joint poses (..., T, 22, C) follow, told
    from the poses (:data:`TWENTY_TWO_SPLIT`), or from the bones (:func:`tree_excess` over the
    joints seen: on the validation split 1.05-1.34 for the layout the poses follow, 2.87-4.83
    for the other) when their first joint is never seen; ``"smpl22"`` when nothing is seen."""
    x = np.asarray(poses, np.float64)
    with warnings.catch_warnings():  # frames without the joints are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        gap = float(np.nanmedian(np.linalg.norm(x[..., 0, :] - x[..., 1, :], axis=-1)))
    score = in_body_sizes(gap, x)
    if not np.isfinite(score):  # the first joint unseen (a ground joint at the origin read as not found): bones tell
        excess = {name: tree_excess(x, name, seen_only=True) for name in ("bandai22", "smpl22")}
        return "bandai22" if excess["bandai22"] < excess["smpl22"] else "smpl22"
    return "bandai22" if score > TWENTY_TWO_SPLIT else "smpl22"


def in_body_sizes(distance: float, poses: np.ndarray) -> float:
    """``distance`` over the size of the body in ``poses``; NaN for a body of no size (every joint at one point)."""
    size = body_size(poses)
    return distance / size if size > 0 else float("nan")


# MediaPipe Holistic's 543 points come in its own order (pose, face, left hand, right hand) or
# Kaggle's (face, left hand, pose, right hand). Points 33-500 are the face alone in the first
# and points 0-467 in the second; the other span holds body points too (the first order's 0-467
# the whole pose, the second's 33-500 its face points and left shoulder, and the left hand), so
# it spreads wider than a face. :func:`holistic_order` compares the two spans' extents: about
# face / body (< 0.5) in MediaPipe's order, above 1 in Kaggle's (benchmarks/RESULTS.md, section
# 11, "MediaPipe Holistic").
HOLISTIC_SPLIT = 1.0


def holistic_order(poses: np.ndarray) -> str:
    """``"holistic543"`` or ``"holistic543_kaggle"``: which order MediaPipe Holistic's 543 points
    (..., T, 543, C) follow, told from x, y (:data:`HOLISTIC_SPLIT`): the median over frames of the
    extent (bounding-box diagonal) of points 33-500 over that of points 0-467. NaN points are
    skipped; ``"holistic543"`` when nothing is seen."""
    x = _spaced_frames(poses, 500)[..., :2]

    def extent(first: int, end: int) -> np.ndarray:  # (N,) per frame, NaN where the span is unseen
        return np.linalg.norm(np.nanmax(x[:, first:end], axis=1) - np.nanmin(x[:, first:end], axis=1), axis=-1)

    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without a span's points are expected
        ratio = float(np.nanmedian(extent(33, 501) / extent(0, 468)))
    return "holistic543_kaggle" if np.isfinite(ratio) and ratio > HOLISTIC_SPLIT else "holistic543"


def _nearer_tree(poses: np.ndarray, default: str, other: str) -> str:
    """``other`` when the bones of poses (..., T, J, C) among the seen joints are nearer the shortest tree through them
    as ``other``'s than as ``default``'s (:func:`tree_excess`, ``seen_only``); ``default`` when nothing is seen or the
    two tie."""
    x = np.asarray(poses, np.float64)
    return other if tree_excess(x, other, seen_only=True) < tree_excess(x, default, seen_only=True) else default


def twenty_five_joint_layout(poses: np.ndarray) -> str:
    """``"body25"`` or ``"kinect25"``: which skeleton 25-joint poses (..., T, 25, C) follow, told by which
    layout's bones among the seen joints are nearer the shortest tree through them (:func:`_nearer_tree`);
    ``"body25"`` when nothing is seen or the two tie."""
    return _nearer_tree(poses, "body25", "kinect25")


def thirty_two_joint_layout(poses: np.ndarray) -> str:
    """``"h36m32"`` or ``"kinect32"``: which skeleton 32-joint poses (..., T, 32, C) follow, Human3.6M's or Azure
    Kinect's, told as 25 joints are (:func:`_nearer_tree`); ``"h36m32"`` when nothing is seen or the two tie."""
    return _nearer_tree(poses, "h36m32", "kinect32")


# Joint counts that two known layouts share, and how poses tell them apart.
TOLD_BY_POSES: dict[int, Callable[[np.ndarray], str]] = {17: seventeen_joint_layout, 22: twenty_two_joint_layout,
                                                         25: twenty_five_joint_layout, 32: thirty_two_joint_layout,
                                                         543: holistic_order}


def guessed_layout(poses: np.ndarray, guess: str | None = None) -> str | None:
    """The layout poses (..., J, C) of no named layout are read in by their joint count: ``guess``
    (a network's) when it has J joints, else the one known layout with J joints; for 17, 22, 25, 32
    and 543 joints, the one of the known layouts the poses follow (:data:`TOLD_BY_POSES`). None when no
    known layout, or several, have J joints (of synsp's own, :data:`~synsp.skeleton.layouts.SHIPPED`, when
    a user's is among them)."""
    j = poses.shape[-2]
    if j in TOLD_BY_POSES:
        return TOLD_BY_POSES[j](poses)
    same_count = [n for n, layout in LAYOUTS.items() if len(layout.joints) == j]
    if guess is not None and len(LAYOUTS[guess].joints) == j:
        return guess
    if len(same_count) > 1:  # a user's own layout beside synsp's of that count (passed once as layout=): synsp's
        same_count = [n for n in same_count if n in SHIPPED]
    return same_count[0] if len(same_count) == 1 else None
