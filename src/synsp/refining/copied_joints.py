"""Joints that are copies of another: an export that writes one joint twice ("root" and "pelvis", an
H36M-17 pose plus a copy of its pelvis) carries no information in the copy, but its joint count can read as
another layout's (18 joints: COCO-18's, by bones that fit it loosely: 58 -> 91 mm on a dash). The copies are
found (:func:`copied_joints`), the other joints are read and refined as any input of their count is
(:func:`refine_without_copies`), and each copy is given back as its refined original, so the output keeps the
input's joint count and order."""
from __future__ import annotations

from typing import Callable, NamedTuple, TypeVar

import numpy as np

from synsp.sequence import body_size
from synsp.skeleton import LAYOUTS

T = TypeVar("T", bound=NamedTuple)

# A copy is within this share of the body's size of its original in every frame where both are seen:
# float rounding of one value written twice (float32 of a body of 1.7 m: 1e-4 mm), far below any two
# joints of a body (a millimetre is 6e-4 of it).
COPY_SHARE = 1e-6
MIN_SHARED = 2  # frames in which both must be seen: a single frame's coincidence is no copy
PAIRS_AT_ONCE = 1_000_000  # pair-frames compared at a time (holistic's 543 joints: 147k pairs)


class Copies(NamedTuple):
    """What :func:`copies_to_leave_out` found: ``copies`` maps each copied joint to its original (the lowest
    index of the joints it copies), ``kept`` the joints refined (the input's indices, in order), ``layout`` the
    layout they read as (None: no layout) and ``whole`` the one the whole input read as."""

    copies: dict[int, int]
    kept: list[int]
    layout: str | None
    whole: str | None


def copied_joints(poses: np.ndarray, share: float = COPY_SHARE) -> dict[int, int]:
    """The joints of ``poses`` (..., T, J, C) that copy another joint: within ``share`` of the body's size
    (:func:`synsp.sequence.body_size`) of it in every frame (of every entry) where both are seen, and seen
    together in at least :data:`MIN_SHARED` frames. Returns {copy: original}, the original the lowest index of
    the joints it copies; empty when there is none. Joints never seen (NaN, or "not found" made NaN) copy
    nothing; a joint equal to another in some frames only is no copy."""
    x = np.asarray(poses).reshape(-1, *np.shape(poses)[-2:])  # (N, J, C): every entry's frames
    seen = np.isfinite(x).all(-1)
    ever = np.flatnonzero(seen.sum(0) >= MIN_SHARED)
    if len(ever) < 2:
        return {}
    tolerance = share * body_size(x)
    first, second = (ever[k] for k in np.triu_indices(len(ever), 1))
    shared, start = np.zeros(len(first), int), 0
    while start < len(x) and len(first):  # in chunks of frames; a pair apart in one is dropped as it is found
        stop = start + max(1, PAIRS_AT_ONCE // len(first))
        both = seen[start:stop, first] & seen[start:stop, second]
        close = np.ones(both.shape, bool)
        for c in range(x.shape[-1]):  # a coordinate at a time: numpy reduces a last axis of 2 or 3 slowly
            values = x[start:stop, :, c]
            with np.errstate(invalid="ignore"):
                close &= np.abs(values[:, first] - values[:, second]) <= tolerance
        apart = (both & ~close).any(0)
        first, second, shared, start = first[~apart], second[~apart], (shared + both.sum(0))[~apart], stop
    copies: dict[int, int] = {}
    for i, j in zip(first[shared >= MIN_SHARED], second[shared >= MIN_SHARED]):
        copies.setdefault(int(j), copies.get(int(i), int(i)))  # pairs come by their first joint: its original
    return copies


def copies_to_leave_out(poses: np.ndarray, read: Callable[[np.ndarray], str | None]) -> Copies | None:
    """The copied joints of ``poses`` (..., T, J, C) (:func:`copied_joints`) to refine without, and the layout
    ``read`` (poses -> a layout name or None) tells the others (:func:`without_copies`) and the whole as. None
    (refine the whole as before) when there is no copy, or when the whole reads as a layout and the others as
    none, or when each copy lies on a bone of the whole's layout (a layout with copies of its own: H36M's 32
    joints, :func:`_own_copies`)."""
    copies = copied_joints(poses)
    if not copies:
        return None
    found = Copies(copies, [j for j in range(poses.shape[-2]) if j not in copies], None, None)
    layout, whole = read(without_copies(poses, found)), read(poses)
    if whole is not None and (layout is None or _own_copies(copies, whole)):
        return None
    return found._replace(layout=layout, whole=whole)


def _own_copies(copies: dict[int, int], layout: str) -> bool:
    """Whether each copy and its original are joined by a bone of ``layout``: a bone of no length, the layout's
    own (H36M-32 writes joint 11 at 0, 16 and 24 at 13, each hand's end at its wrist)."""
    bones = {frozenset(bone) for bone in LAYOUTS[layout].bones} if layout in LAYOUTS else set()
    return all(frozenset(pair) in bones for pair in copies.items())


def without_copies(poses: np.ndarray, found: Copies) -> np.ndarray:
    """``poses`` (..., T, J, C) without the copied joints ``found``: (..., T, K, C), the joints kept; an original
    missing (NaN) where its copy is seen takes the copy's value."""
    x = poses[..., found.kept, :].copy()
    for copy, original in found.copies.items():
        at = found.kept.index(original)
        x[..., at, :] = np.where(np.isfinite(x[..., at, :]), x[..., at, :], poses[..., copy, :])
    return x


def refine_without_copies(poses: np.ndarray, read: Callable[[np.ndarray], str | None],
                          run: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, Copies] | None:
    """``run`` (poses (..., T, K, C) -> refined, same shape) on ``poses`` (..., T, J, C) without their copied
    joints (:func:`copies_to_leave_out`, ``read`` telling a layout), each copy then given back as its refined
    original. Returns the refined (..., T, J, C) poses and what was found; None when nothing was left out."""
    found = copies_to_leave_out(poses, read)
    if found is None:
        return None
    return with_copies(run(without_copies(poses, found)), found, axis=-2), found


def with_copies(a: np.ndarray, found: Copies, axis: int = -1) -> np.ndarray:
    """``a``, shaped by the joints :func:`without_copies` kept along ``axis``, with each copied joint
    given as its original's (e.g. a refinement's (V, T, K) masks to (V, T, J))."""
    joints = len(found.kept) + len(found.copies)
    return np.take(a, [found.kept.index(found.copies.get(j, j)) for j in range(joints)], axis=axis)


def tracks_with_copies(tracks: T, found: Copies) -> T:
    """A file's refined tracks (a NamedTuple with ``refined`` (V, T, K, C) and ``filled`` / ``never_seen``
    (V, T, K) masks) with each copied joint given back as its refined original."""
    return tracks._replace(refined=with_copies(tracks.refined, found, -2), **{
        key: with_copies(getattr(tracks, key), found) for key in ("filled", "never_seen")})


def copies_note(found: Copies) -> str:
    """The summary's line for the copies ``found``: which joint copies which, and how the others were refined."""
    pairs = "; ".join(f"joint {copy} is a copy of joint {original}" for copy, original in found.copies.items())
    whole = f", not as {found.whole} by their count of {len(found.kept) + len(found.copies)}" \
        if found.whole not in (None, found.layout) else ""
    each = "each copy" if len(found.copies) > 1 else "the copy"
    return (f"copies: {pairs} in every frame both are seen; the other {len(found.kept)} joints refined as "
            f"{found.layout or 'joints of no layout'}{whole}, and {each} given back as its refined original")
