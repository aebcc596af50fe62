"""Who a frames-first stack's slots hold: people exchanged between slots, linked back into one person per slot.

rtmlib returns, per frame, the people in the order its detector found them (by box score or position,
not identity), and users stack those results frames first, (T, P, J, C). Slot ``p`` of frame ``t`` is then
the p-th detection of that frame: whenever the detector's order changes, two people exchange slots,
and a slot read as a person jumps between bodies. A JSON of the same detections with no ids is linked
into tracks (:mod:`synsp.formats.tracking`); a stack is linked the same way here
(:func:`synsp.formats.instances.match_tracks`, joints at the origin or scored low taking no part).

Slots are kept unless the motion proves an exchange: a stack whose slots are ids (a tracker's) must not
be relinked where two people pass close to each other. At a frame where the linking moves a person to
another slot, the move is taken only when the slots, read as given, step at least
:data:`~synsp.stack_axes.JUMP` body sizes from their persons' last poses and :data:`~synsp.stack_axes.SMOOTHER`
times as far as the linked reading does (the rule that tells a stack's frames from its people,
:mod:`synsp.stack_axes`); a move back to the slots as read needs only a linked reading no rougher than the
slots' (without it, one unproved move back leaves a person in the wrong slot until the next exchange). A
linking that needs more persons than the stack has slots (people coming and
going, a detection twice) leaves the slots as given.
"""
from __future__ import annotations

import warnings

import numpy as np

from synsp.formats.instances import Instance, match_tracks
from synsp.formats.tracking import assigned, pose_size
from synsp.stack_axes import JUMP, SMOOTHER

__all__ = ["slot_people", "exchanged_frames", "by_person"]


def _empty(pose: np.ndarray) -> bool:
    """Whether a (J, C) slot holds nobody: every joint NaN or at the origin (a stack's padding)."""
    return not (np.isfinite(pose).all(-1) & ~(pose == 0).all(-1)).any()


def _linked(x: np.ndarray, scores: np.ndarray | None) -> np.ndarray | None:
    """(T, P) linked track of every slot (one of 0..P-1 in each frame, a permutation), or None when the
    linking finds more persons than slots. Empty slots take the tracks absent from their frame, each
    the slot it held last when it can."""
    full = [[p for p in range(x.shape[1]) if not _empty(x[t, p])] for t in range(len(x))]
    frames = [[Instance(x[t, p], None if scores is None else scores[t, p]) for p in slots]
              for t, slots in enumerate(full)]
    found = match_tracks(frames)
    people = x.shape[1]
    if max((k for ks in found for k in ks), default=-1) >= people:
        return None
    linked = np.full(x.shape[:2], -1)
    for t, (slots, tracks) in enumerate(zip(full, found)):
        linked[t, slots] = tracks
        absent = sorted(set(range(people)) - set(tracks))
        empty = [p for p in range(people) if p not in slots]
        before = linked[t - 1] if t else np.arange(people)
        for p in [p for p in empty if before[p] in absent]:  # an absent track stays in the slot it held
            linked[t, p] = before[p]
            absent.remove(before[p])
        for p, k in zip([p for p in empty if linked[t, p] < 0], absent):
            linked[t, p] = k
    return linked


def _step(pose: np.ndarray, last: np.ndarray) -> float:
    """Mean distance (the poses' unit) over the joints two (J, C) poses both locate; NaN when none."""
    both = np.isfinite(pose).all(-1) & np.isfinite(last).all(-1) & ~(pose == 0).all(-1) & ~(last == 0).all(-1)
    return float(np.linalg.norm(pose[both] - last[both], axis=-1).mean()) if both.any() else float("nan")


def _proved(x_t: np.ndarray, moved: list[int], given: np.ndarray, linked: np.ndarray, last: list) -> bool:
    """Whether the slots ``moved`` of one frame ``x_t`` (P, J, C) hold other persons than they did: their steps
    from the last poses of the persons ``given`` (the slots' as read) are :data:`JUMP` body sizes or more and
    :data:`SMOOTHER` times those from the persons ``linked``; or, when ``linked`` puts every moved slot back to
    its own person (slot p, person p: the slots as read are the prior), no more than those from ``given``."""
    if any(last[given[p]] is None or last[linked[p]] is None for p in moved):
        return False
    as_given = sum(_step(x_t[p], last[given[p]]) for p in moved)
    as_linked = sum(_step(x_t[p], last[linked[p]]) for p in moved)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        size = float(np.median([pose_size(np.where((x_t[p] == 0).all(-1, keepdims=True), np.nan, x_t[p]))
                                for p in moved]))
    if all(linked[p] == p for p in moved):  # back to the slots as read: the linking need only be no rougher
        return bool(as_linked <= as_given)
    return bool(size > 0 and as_given >= JUMP * size * len(moved) and as_given >= SMOOTHER * as_linked)


def _jumps(x: np.ndarray) -> bool:
    """Whether a slot of ``x`` (T, P, J, C) ever steps :data:`JUMP` body sizes (the smallest slot's of that frame) or
    more from its last pose: with no such step no move can be proved, and the linking is not run (it costs ~30 ms a
    frame for 16 people)."""
    located = np.isfinite(x).all(-1) & ~(x == 0).all(-1)  # (T, P, J)
    pts = np.where(located[..., None], x, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sizes = np.nanmax(np.nanmax(pts, 2) - np.nanmin(pts, 2), -1)  # (T, P) largest side, as pose_size
        smallest = np.nanmin(np.where(located.sum(-1) >= 2, sizes, np.nan), 1)  # (T,)
        for p in range(x.shape[1]):
            full = np.flatnonzero(located[:, p].any(-1))
            if len(full) < 2:
                continue
            step = np.nanmean(np.linalg.norm(np.diff(pts[full, p], axis=0), axis=-1), -1)  # (n - 1,)
            if (step >= JUMP * smallest[full[1:]]).any():
                return True
    return False


def slot_people(x: np.ndarray, scores: np.ndarray | None = None) -> np.ndarray | None:
    """The person each slot of a frames-first stack holds, when the motion proves that slots exchange people.

    Parameters
    ----------
    x : (T, P, J, C) array
        Poses, frames first, any unit; NaN (or a joint at the origin) = not located; a slot with no joint
        located holds nobody.
    scores : (T, P, J) array, optional
        Joint scores; below :data:`synsp.sequence.MIN_SCORE` a joint takes no part in the linking.

    Returns
    -------
    (T, P) int array or None
        ``people[t, p]``: the person (0..P-1, person ``p`` being whom slot ``p`` holds in most frames) in slot
        ``p`` of frame ``t``, a permutation in every frame; None when the slots hold the same persons
        throughout (or cannot be linked one person per slot).
    """
    if x.ndim != 4 or x.shape[1] < 2 or len(x) < 2:
        return None
    x = np.asarray(x, dtype=np.float64)
    if not _jumps(x):
        return None
    linked = _linked(x, scores)
    if linked is None:
        return None
    people = np.empty_like(linked)
    people[0] = np.arange(x.shape[1])
    rename = np.empty(x.shape[1], dtype=int)  # linked track -> person
    rename[linked[0]] = people[0]
    last: list = [None] * x.shape[1]  # each person's last pose located
    for t in range(len(x)):
        if t:
            wanted = rename[linked[t]]
            moved = [p for p in range(x.shape[1]) if wanted[p] != people[t - 1, p] and not _empty(x[t, p])]
            if moved and not _proved(x[t], moved, people[t - 1], wanted, last):
                wanted = people[t - 1].copy()
                rename[linked[t]] = wanted  # the linking continues from the slots as they are
            people[t] = wanted
        for p in range(x.shape[1]):
            if not _empty(x[t, p]):
                last[people[t, p]] = x[t, p]
    # person p: whom slot p holds in most frames, so the frames that change are the fewest
    held = np.zeros((x.shape[1], x.shape[1]))  # (person, slot) frames
    np.add.at(held, (people, np.broadcast_to(np.arange(x.shape[1]), people.shape)), 1)
    order = assigned(-held)
    people = np.array([order[k] for k in range(x.shape[1])])[people]
    return None if (people == np.arange(x.shape[1])).all() else people


def exchanged_frames(people: np.ndarray) -> int:
    """Frames of a (T, P) :func:`slot_people` result where some slot holds another person than its own."""
    return int((people != np.arange(people.shape[1])).any(-1).sum())


def by_person(a: np.ndarray, people: np.ndarray) -> np.ndarray:
    """A (T, P, ...) array of a stack's slots reordered one person per slot: ``out[t, people[t, p]] = a[t, p]``."""
    out = np.empty_like(a)
    out[np.arange(len(a))[:, None], people] = a
    return out
