"""A tracker's ids exchanged between people: two tracks cut at one frame, each onto the other's path, relinked.

A tracker (AlphaPose's ``--pose_track``, a ByteTrack id, mmpose's) may give two people each other's ids from
some frame on. Read track by track, both tracks jump in one frame and stay so, which
:func:`synsp.estimator_errors.track_switches.track_segments` cuts as a switch of people (and the summary called
"a video cut"); but the positions after the cut continue the *other* track's path before it. Where two or more
tracks are cut at the same frame (or within :data:`NEAR` frames of it) and, matched by the linking's assignment
(:func:`synsp.formats.tracking.assigned`), each lands within :data:`LAND` of its body sizes of another's last pose
before the cut, at a size within :data:`SIZE_RATIO` of it, the ids were exchanged: the tracks are relinked from
that frame on so that track ``k`` follows one person throughout, its id the one the file gave for its first
stretch. A real video cut (the people jump elsewhere, or onto each other's place at another size) stays a cut.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from synsp.estimator_errors.track_switches import track_segments
from synsp.formats import PoseData
from synsp.formats.tracking import assigned, pose_size
from synsp.skeleton import get_layout

__all__ = ["id_exchanges", "relinked", "exchanged_back", "exchange_note", "LAND", "SIZE_RATIO"]

LAND = 0.5  # body sizes between a track's last pose before the cut and the other's first after it
SIZE_RATIO = 1.25  # the largest ratio of the two body sizes (a child beside an adult: 0.6, no exchange)
NEAR = 1  # frames between the two tracks' cuts read as one exchange, at the first


def _seen(track: np.ndarray) -> np.ndarray:
    """(T,) bool: frames of ``track`` (T, J, C) with at least two joints located (a size to measure)."""
    return np.isfinite(track).all(-1).sum(-1) >= 2


def _cut_frames(track: np.ndarray, pairs: Sequence[tuple[int, int]]) -> set[int]:
    """The frames ``track`` (T, J, C) is cut at (each span's first after the first): a switch or a whole-body cut."""
    return {span.start for span in track_segments(track, pairs=pairs)[1:]}


def _ends(track: np.ndarray, t: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The last pose of ``track`` seen before frame ``t`` and the first seen from it on ((J, C) each, or None)."""
    seen = _seen(track)
    before, after = np.flatnonzero(seen[:t]), np.flatnonzero(seen[t:])
    return (track[before[-1]] if len(before) else None), (track[t + after[0]] if len(after) else None)


def _landing(before: np.ndarray | None, after: np.ndarray | None) -> float:
    """How far pose ``after`` (J, C) is from ``before`` (J, C), in ``before``'s body sizes; inf when their sizes
    differ by more than :data:`SIZE_RATIO` (another person) or either is unknown."""
    if before is None or after is None:
        return np.inf
    size, other = pose_size(before), pose_size(after)
    both = np.isfinite(before).all(-1) & np.isfinite(after).all(-1)
    if size <= 0 or other <= 0 or not both.any() or max(size / other, other / size) > SIZE_RATIO:
        return np.inf
    return float(np.linalg.norm(before[both] - after[both], axis=-1).mean() / size)


def id_exchanges(poses: np.ndarray, pairs: Sequence[tuple[int, int]] = (),
                 skip: Sequence[int] = ()) -> list[tuple[int, np.ndarray]]:
    """Where ``poses`` (V, T, J, C) (NaN where not located; any unit) exchanged people between tracks.

    ``pairs``: the layout's left/right joint pairs (a whole-body turn is a cut too); ``skip``: tracks taking no
    part (a reader's duplicates set aside). Returns (frame, ``owner``) of each exchange in time order: ``owner``
    (V,) int, the track that from that frame on holds what track ``v`` held before it (``owner[v] == v``: none);
    empty for fewer than two tracks.
    """
    if poses.shape[0] < 2:
        return []
    poses = np.asarray(poses, np.float64)
    cuts = [set() if v in skip else _cut_frames(track, pairs) for v, track in enumerate(poses)]
    found, done = [], -1
    for t in sorted(set().union(*cuts)):
        # a track whose cut is read a frame later (the bodies near each other: its first frame after still fits)
        cut = [v for v in range(len(poses)) if cuts[v] & set(range(t, t + NEAR + 1))]
        if len(cut) < 2 or t <= done:
            continue
        done = t + NEAR
        ends = [_ends(poses[v], t) for v in cut]
        cost = np.array([[_landing(ends[a][0], ends[b][1]) for b in range(len(cut))] for a in range(len(cut))])
        match = assigned(np.where(cost <= LAND, cost, np.inf))
        owner = np.arange(len(poses))
        for a, b in match.items():
            owner[cut[a]] = cut[b]
        if len(set(owner.tolist())) == len(owner) and (owner != np.arange(len(poses))).any():
            found.append((t, owner))  # a one-to-one exchange (a track matched to itself: no cut, left so)
    return found


def relinked(a: np.ndarray, exchanges: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """``a`` (V, T, ...) per track and frame, relinked at ``exchanges`` (:func:`id_exchanges`): ``out[v]`` holds
    from each exchange on what the track following ``v``'s person holds there."""
    out, who = np.array(a, copy=True), np.arange(len(a))
    for t, owner in exchanges:
        who = owner[who]
        out[:, t:] = np.asarray(a)[who, t:]
    return out


def _relinked_keys(table: dict, exchanges: list[tuple[int, np.ndarray]], frames: int) -> dict:
    """A reader's (track, frame)-keyed ``table`` (a result's own fields, its place in the frame) relinked."""
    where = relinked(np.broadcast_to(np.arange(len(exchanges[0][1]))[:, None], (len(exchanges[0][1]), frames)),
                     exchanges)  # (V, T): the file's track each relinked track holds
    back = {(int(where[v, t]), t): v for v in range(where.shape[0]) for t in range(frames)}
    return {(back.get(key, key[0]), key[1]): value for key, value in table.items()}


def exchange_note(exchanges: list[tuple[int, np.ndarray]], ids: Sequence[int], fps: float | None) -> str | None:
    """The summary's line on ``exchanges`` (:func:`id_exchanges`), naming the file's ``ids``; None without any."""
    if not exchanges:
        return None

    def one(t: int, owner: np.ndarray) -> str:
        moved = [v for v in range(len(owner)) if owner[v] != v]
        when = f" ({t / fps:.2f} s)" if fps else ""
        return " and ".join(f"{ids[v]}" for v in moved) + f" at frame {t}{when}"

    return ("ids: a tracker exchanged the ids of " + "; ".join(one(t, owner) for t, owner in exchanges)
            + " (each track jumped onto the other's path at the size of its person): relinked, each id following "
            "the person it named before")


def exchanged_back(data: PoseData) -> PoseData:
    """``data`` with its tracks relinked where a tracker exchanged ids (:func:`id_exchanges`; the layout's
    left/right pairs when it names one) and the summary's line among its reader's notes; as it came when none
    were, when its reader gives no track ids (an array or a table of tracks; detections it linked itself have
    ids) or keeps arrays of its own beside the poses. Relinked besides poses, scores and filled: each reader's
    ``fields`` and ``positions`` (keyed by (track, frame)) and ``absent`` (V, T)."""
    if data.poses.shape[0] < 2 or data.track_ids is None or data.extra.get("arrays", {}).get("others"):
        return data
    poses = np.asarray(data.poses, np.float64).copy()
    poses[(poses == 0).all(-1)] = np.nan  # (0, 0): not found, as estimators write it
    pairs = get_layout(data.layout).left_right if data.layout is not None else ()
    exchanges = id_exchanges(poses, pairs, data.extra.get("set_aside", ()))
    if not exchanges:
        return data
    frames = poses.shape[1]
    extra = {**data.extra, "notes": [*data.extra.get("notes", []),
                                     exchange_note(exchanges, data.track_ids, data.fps)]}
    for name, own in data.extra.items():  # a reader's own: its results' fields, their place in the frame
        if isinstance(own, dict) and any(key in own for key in ("fields", "positions")):
            extra[name] = {**own, **{key: _relinked_keys(own[key], exchanges, frames)
                                     for key in ("fields", "positions") if isinstance(own.get(key), dict)}}
    absent = extra.get("absent")
    if absent is not None and np.shape(absent)[:2] == poses.shape[:2]:
        extra["absent"] = relinked(np.asarray(absent), exchanges)
    return replace(data, poses=relinked(data.poses, exchanges), extra=extra,
                   scores=None if data.scores is None else relinked(data.scores, exchanges),
                   filled=None if data.filled is None else relinked(data.filled, exchanges))
