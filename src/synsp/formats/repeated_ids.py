"""A track id twice in one frame (a tracker's slip): the ids kept where they are unique, the rest matched.

A tracker sometimes gives two instances of a frame one id for a few frames (a second person takes the
first's id, or a box detected twice keeps it). Refusing the whole file for it loses every other frame's
ids; forgetting them all (matching every frame anew) loses them too. Here the ids are kept in every frame
where they are unique, and so are the instances of a repeated frame whose id is unique there; the
instances that share an id are matched to the tracks free in that frame (the repeated id's, and those
of people the file does not show there: the one whose id was taken) by where each track is expected:
its poses in the nearest frames before and after where its id is unique, joined linearly; the cost and
its limit are :mod:`synsp.formats.tracking`'s (mean joint distance in body sizes, at most
:data:`~synsp.formats.tracking.MAX_DISTANCE` x sqrt(frames away); another id's track unseen for more than
:data:`~synsp.formats.tracking.MAX_LOST` frames is no candidate). An instance that overlaps a
better-scored one of its frame almost exactly (:mod:`synsp.formats.duplicates`) is set aside as the
untracked gatherer sets such copies aside; one that matches no track starts a track of its own, one per
(id, place among the id's leftovers), so a slip of a few frames stays one track. An id seen in no frame
of its own is given to one of its instances (the first), the others go on as above. Nobody's frame is lost
or invented: every instance lands in exactly one track.
"""
from __future__ import annotations

import bisect

import numpy as np

from synsp.formats.duplicates import duplicates
from synsp.formats.tracking import MAX_DISTANCE, MAX_LOST, assigned, pose_size

__all__ = ["UNSEEN", "assigned", "linked_cost", "pose_cost", "repeated_frames", "resolve_repeats"]

UNSEEN = 1e5  # the cost of an id's own track that no other frame places: allowed, the last resort


def repeated_frames(slots: list[list[int]]) -> list[int]:
    """The frames (indices) where a track slot is given to more than one instance."""
    return [t for t, ids in enumerate(slots) if len(set(ids)) != len(ids)]


def _expected(frames: list[int], known: dict[int, np.ndarray], t: int) -> tuple[np.ndarray | None, int]:
    """A track's expected (J, C) pose at ``t`` from ``known`` (frame -> pose; ``frames`` its keys, sorted),
    and the frames to its nearest known pose; (None, 0) when the track has none."""
    if not frames:
        return None, 0
    k = bisect.bisect_left(frames, t)
    before, after = (frames[k - 1] if k > 0 else None), (frames[k] if k < len(frames) else None)
    if before is not None and after is not None:
        a, b = known[before], known[after]
        w = (t - before) / (after - before)
        pose = np.where(np.isfinite(a) & np.isfinite(b), (1 - w) * a + w * b, np.where(np.isfinite(a), a, b))
        return pose, min(t - before, after - t)
    near = before if before is not None else after
    return known[near], abs(t - near)


def pose_cost(expected: np.ndarray, pose: np.ndarray) -> float:
    """Mean distance over the joints both locate, in body sizes (the larger of the two); inf with none."""
    both = np.isfinite(expected).all(-1) & np.isfinite(pose).all(-1)
    size = max(pose_size(expected), pose_size(pose))
    if not both.any() or not size > 0:
        return np.inf
    return float(np.linalg.norm(expected[both] - pose[both], axis=-1).mean() / size)


def linked_cost(expected: np.ndarray, pose: np.ndarray, away: int) -> float:
    """:func:`pose_cost` of ``pose`` against a track ``expected`` ``away`` frames from where it was seen, inf beyond
    the linker's limit (:data:`~synsp.formats.tracking.MAX_DISTANCE` x sqrt(frames away))."""
    d = pose_cost(expected, pose)
    return d if d <= MAX_DISTANCE * np.sqrt(max(away, 1)) else np.inf


def resolve_repeats(joints: list[list[np.ndarray]], ranks: list[list[float]], slots: list[list[int]],
                    n_tracks: int) -> tuple[list[list[int]], list[tuple], list[tuple]]:
    """Slots with every frame's ids unique (see module doc).

    Parameters
    ----------
    joints : list (T) of list of (J, C) arrays
        Every instance's joints that locate the person (NaN elsewhere).
    ranks : list (T) of list of float
        Every instance's detection score (a copy is the lower-scored of two).
    slots : list (T) of list of int
        Every instance's track, from the file's ids (0 .. n_tracks-1), some repeated within a frame.
    n_tracks : int
        The tracks of the file's ids.

    Returns
    -------
    slots : list (T) of list of int
        Unique within each frame; tracks from ``n_tracks`` on are new.
    new : list of (track slot, k)
        The new tracks of instances matching no track, in order (track ``n_tracks + i`` is ``new[i]``).
    aside : list of (track slot, k)
        The tracks of copies set aside, after the new ones.
    """
    repeated = set(repeated_frames(slots))
    known: list[dict[int, np.ndarray]] = [{} for _ in range(n_tracks)]  # track -> frame -> pose, ids unique there
    for t, ids in enumerate(slots):
        for i, v in enumerate(ids):
            if t not in repeated or ids.count(v) == 1:
                known[v][t] = joints[t][i]
    frames = [sorted(poses) for poses in known]
    out = [list(ids) for ids in slots]
    spare: dict[tuple[int, int], tuple] = {}  # (t, i) -> (kind, id, k): the new track an instance starts
    for t in sorted(repeated):
        ids = slots[t]
        loose = [i for i, v in enumerate(ids) if ids.count(v) > 1]
        copies = [i for i in duplicates(joints[t], ranks[t]) if i in loose]
        loose = [i for i in loose if i not in copies]
        taken = {v for v in ids if ids.count(v) == 1}
        free = [v for v in range(n_tracks) if v not in taken]
        cost = np.full((len(loose), len(free)), np.inf)
        for c, v in enumerate(free):
            pose, away = _expected(frames[v], known[v], t)
            for r, i in enumerate(loose):
                if pose is None:  # nowhere else seen: one of the id's own instances takes it, the others go on
                    cost[r, c] = UNSEEN if ids[i] == v else np.inf
                elif away <= MAX_LOST + 1 or ids[i] == v:  # another id's track lost longer is closed, as linked
                    cost[r, c] = linked_cost(pose, joints[t][i], away)
        matched = {loose[r]: free[c] for r, c in assigned(cost).items()}
        counts: dict[tuple, int] = {}
        for i in loose + copies:
            if i in matched:
                out[t][i] = matched[i]
                known[matched[i]][t] = joints[t][i]  # the later repeated frames read it
                bisect.insort(frames[matched[i]], t)
                continue
            kind = "copy" if i in copies else "new"
            counts[(kind, ids[i])] = counts.get((kind, ids[i]), -1) + 1
            spare[(t, i)] = (kind, ids[i], counts[(kind, ids[i])])
    keys = list(dict.fromkeys(sorted(spare.values(), key=lambda key: key[0] == "copy")))  # new ones, then copies
    for (t, i), key in spare.items():
        out[t][i] = n_tracks + keys.index(key)
    return out, [key[1:] for key in keys if key[0] == "new"], [key[1:] for key in keys if key[0] == "copy"]
