"""SMPL files of several people stacked on a leading person axis, as multi-person exports write them.

``poses`` / ``pose`` (P, T, 72), (P, T, 24, 3), (P, T, 24, 3, 3) (or flattened, (P, T, 216), (P, T, 24, 9)), or
4D-Humans' split ``global_orient`` (P, T, 1, 3, 3) and ``body_pose`` (P, T, 23, 3, 3), with ``trans`` (P, T, 3) and
``betas`` (P, 10): SLAHMR's world results stack its people so ((B, T, ...) with ``betas`` (B, 16)), and a
4D-Humans / PHALP, WHAM or SMPLer-X run's people end up so when their per-person outputs are stacked into one npz.

Each person is read as its own motion from the file's arrays with the person axis taken at that person
(:func:`person_arrays`: every array stacked over the same people and frames; the others, ``betas`` among them,
as they are) and refined on its own; the refined people are written back into the stack (:func:`restacked`), so
the output has the input's layout, and a person who cannot be read or refined keeps the input's numbers. A person
absent from some frames (NaN in its poses or translation there, as a stack of tracks of different spans is padded)
is read as one motion per span of frames it is present in (:func:`stacked_motions`; ``synsp refine`` refines a
person's spans as one motion, the frames between bridged); the NaN frames stay NaN. So is
a person zero-padded (SLAHMR's and other optimisers' stacks, ``np.zeros`` filled per track): frames whose poses and
translation are all zero (or identity matrices) are absent (:func:`absent_frames`), written back as zeros; where
the file has SLAHMR's ``track_mask`` ((B, T) bool, as its poses are laid out), the frames it marks False are.
One person's file absent from some frames so (an estimator's zeros or NaN in every number where it found nobody)
or holding a ``track_mask`` (its False frames absent whatever they hold, NaN too) is read the same way, as a stack
of one (:func:`lone_person`); a NaN among a present frame's numbers is a broken value, named as before.

People first or frames first, (P, T, ...) or (T, P, ...), is told by :func:`person_axis` (``betas`` (P, ...), an axis
of one, the motion) and said; a file of frames first is read through its arrays with the two axes swapped and
written back as it was laid out (:func:`people_first`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.smpl_arrays import flat_shape, stacked
from synsp.rotations.smpl_template import JOINT_COUNTS

# The joint counts of a split's main array, body_pose: SMPL's 23 (4D-Humans), the smplx package's 21.
SPLIT_BODY_JOINTS = (21, 23)
# SLAHMR's (B, T) bool: which frames each track is in (its scatter of tracks of different spans, zeros elsewhere)
TRACK_MASK = "track_mask"


def person_count(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None,
                 joint_counts: tuple[int, ...] | set[int], where: str) -> int | None:
    """How many people the pose arrays ``keys`` stack (P of (P, T, ...)); None for one person's file.
    ``joint_counts``: the joint counts one array of poses holds (a split's main array, ``body_pose``, holds
    :data:`SPLIT_BODY_JOINTS`). ValueError naming the arrays when the others (the split's, the translation
    ``trans_key``) do not stack the same people over the same frames."""
    main = keys[1] if len(keys) > 1 else keys[0]  # a split's body_pose: global_orient (P, T, 3) reads as (T, K, 3)
    shape = arrays[main].shape
    if not stacked(shape, SPLIT_BODY_JOINTS if len(keys) > 1 else joint_counts):
        return None
    lead = shape[:2]
    for k in (*keys, *([trans_key] if trans_key else [])):
        if np.shape(arrays[k])[:2] != lead or np.ndim(arrays[k]) < 3:
            raise ValueError(f"{where}: {main!r} {shape} stacks {lead[0]} people over {lead[1]} frames (or "
                             f"{lead[1]} over {lead[0]}, frames first), but {k!r} {np.shape(arrays[k])} does not "
                             f"lead with ({lead[0]}, {lead[1]}): every array of poses and the translation need the "
                             "same two leading axes, people and frames, in the same order")
    return int(lead[0])


def absent_frames(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None,
                  lead: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the people of a stack of ``lead`` (its first two axes) are absent, (``lead``) bool: a NaN or inf among
    the poses ``keys`` or translation ``trans_key`` of that frame, or all of them at rest at the origin (every
    number zero; rotation matrices the identity or zero), as a stack zero-padded where a track is missing;
    (``lead``) where it is absent so, zero-padded; and (``lead``) where every one of those numbers is NaN or inf, as
    an estimator writes a frame where it found nobody (a frame missing, not a broken value among numbers)."""
    lost, rest, hole = np.zeros(lead, bool), np.ones(lead, bool), np.ones(lead, bool)
    said = None if TRACK_MASK not in arrays else ~np.asarray(arrays[TRACK_MASK], bool)  # the estimator's own word
    for k in (*keys, *([trans_key] if trans_key else [])):
        values = np.asarray(arrays[k], dtype=np.float64).reshape(*lead, -1)
        finite = np.isfinite(values)
        lost |= ~finite.all(axis=-1)
        hole &= ~finite.any(axis=-1)
        matrices = k != trans_key and (arrays[k].shape[-2:] == (3, 3) or
                                       flat_shape(arrays[k].shape[1:], JOINT_COUNTS) is not None)
        identity = np.tile(np.eye(3).ravel(), values.shape[-1] // 9) if matrices else 0.0
        rest &= (values == 0).all(axis=-1) | (values == identity).all(axis=-1)
    rest = rest if said is None else said
    return lost | rest, rest & ~lost, hole


def check_mask(arrays: dict[str, np.ndarray], lead: tuple[int, ...], where: str) -> None:
    """ValueError naming both shapes when the file's ``track_mask`` is not ``lead``, its poses' leading axes as the
    file holds them ((T,) for one person's, (P, T) or (T, P) for a stack), or not bool (0 and 1 taken too)."""
    if TRACK_MASK not in arrays:
        return
    mask = np.asarray(arrays[TRACK_MASK])
    if mask.shape != tuple(lead):
        raise ValueError(f"{where}: {TRACK_MASK!r} {mask.shape} does not match the poses' {tuple(lead)} (which "
                         "frames each person is in, laid out as the poses' leading axes)")
    if mask.dtype != bool and not (np.issubdtype(mask.dtype, np.number) and np.isin(mask, (0, 1)).all()):
        raise ValueError(f"{where}: {TRACK_MASK!r} {mask.shape} must be bool (which frames each person is in), "
                         f"got {mask.dtype} values other than 0 and 1")


def lone_person(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None,
                where: str) -> tuple[dict[str, np.ndarray], int, dict] | None:
    """A one-person file's ``arrays`` as a stack of one, (1, T, ...), as :func:`people_first` gives a stack's, when
    the person is absent from some of its frames (:func:`absent_frames`: zeros, or NaN / inf in every number of
    the frame's poses and translation) or it has a ``track_mask`` (the frames it marks False absent
    whatever they hold, NaN too); None otherwise, read as one person's file (the same numbers). Two cases stay so on
    purpose: a NaN or inf in a frame otherwise present (a number among numbers, not marked absent), a broken value
    rather than a missing frame, named with its array and frame; and every frame absent (zeros or NaN throughout),
    where no frame is present to refine (``np.zeros`` poses saved to try a pipeline are refined as before). ``lone``
    names the arrays given the axis (those over the poses' T frames), which :func:`laid_out` takes off again."""
    frames = len(arrays[keys[0]])
    check_mask(arrays, (frames,), where)
    lone = tuple(k for k, a in arrays.items() if a.ndim >= 1 and len(a) == frames)
    out = {k: a[None] if k in lone else a for k, a in arrays.items()}
    if not frames:
        return None
    absent, padded, holes = absent_frames(out, keys, trans_key, (1, frames))
    marked = padded | holes | (
        ~np.asarray(arrays[TRACK_MASK], bool)[None] if TRACK_MASK in arrays else False)
    if (absent & ~marked).any() or TRACK_MASK not in arrays and (marked.all() or not marked.any()):
        return None
    return out, 1, {"lone": lone, "masked": TRACK_MASK in arrays}


def laid_out(arrays: dict[str, np.ndarray], source: dict) -> dict[str, np.ndarray]:
    """A stack's ``arrays`` (people first) as the file ``source`` was read from lays them out: (T, P, ...) swapped
    back (:func:`people_first`), one person's without the axis of one (:func:`lone_person`)."""
    swapped, lone = source.get("swapped", ()), source.get("lone", ())
    return {k: np.swapaxes(a, 0, 1) if k in swapped else a[0] if k in lone else a for k, a in arrays.items()}


def person_axis(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None,
                where: str) -> tuple[bool, str]:
    """Whether a stack's people are on its second axis, (T, P, ...) (else its first, (P, T, ...)), and what told so:
    the first of these rules that decides.

    1. ``betas`` counting the long axis beside an axis of one ((N, 1) or (1, N)) is P people of one image or one
       person's T frames, a betas per frame: the entries are people when a pose changes less between entries
       further apart (:func:`_grows`), else one person's frames (:func:`_betas_beside_one`); ahead of rule 2, which
       would count an (N, 1) stack's N entries as people untested.
    2. ``betas`` (P, ...) counts the people, whatever the motion reads (near-duplicate people, a tracker's doubled
       person, change less from one to the other than from frame to frame), unless it counts them on the second
       axis over fewer frames than people, as one betas per frame (T, 10) beside a people-first stack does
       (:func:`_betas_count`).
    3. An axis of one is the person's, one person's frames (:func:`_axis_of_one`).
    4. The motion: the frames' axis is the one along which a pose changes less, by a factor of 2 or more (the
       median over neighbours present of their mean |difference|; exact repeats, held frames, left out), when that
       leaves no fewer frames than people (:func:`_motion_tells`).
    5. Else the first, as documented; the answer says what the motion read (:func:`_documented`)."""
    main = arrays[keys[1] if len(keys) > 1 else keys[0]]
    lead = main.shape[:2]
    stack = _Stack(lead, np.asarray(main, dtype=np.float64).reshape(*lead, -1),
                   absent_frames(arrays, keys, trans_key, lead)[0], np.shape(arrays.get("betas")))
    for rule in (_betas_beside_one, _betas_count, _axis_of_one, _motion_tells):
        told = rule(stack)
        if told is not None:
            return told
    return _documented(stack)


@dataclass
class _Stack:
    """What :func:`person_axis`'s rules read: the leading axes ``lead`` of the main poses, their ``values``
    (*lead, D), the frames ``absent`` (``lead``) bool, and the shape of ``betas`` (() when there is none)."""
    lead: tuple[int, int]
    values: np.ndarray
    absent: np.ndarray
    betas: tuple[int, ...]

    @property
    def counted(self) -> bool | None:
        """Whether ``betas`` counts the second axis (True) or the first (False); None when it counts neither."""
        betas, lead = self.betas, self.lead
        counts = len(betas) == 2 and lead[0] != lead[1] and betas[0] in lead
        return betas[0] == lead[1] if counts else None

    @property
    def per_frame(self) -> bool:
        """Whether ``betas`` counts the second axis over fewer frames than people: one betas per frame."""
        return bool(self.counted) and self.lead[0] < self.lead[1]

    @property
    def unused(self) -> str:
        """The words on a ``betas`` per frame, not counted as people ("" for any other)."""
        return (f" (betas {self.betas} not counted as people: {self.lead[0]} frame(s) for {self.lead[1]} of them)"
                if self.per_frame else "")

    @cached_property
    def motion(self) -> tuple[bool | None, str]:
        """Whether the motion reads the people on the second axis (None: undecided) and its words ("" then)."""
        steps = []
        for axis in (0, 1):
            change = np.abs(np.diff(self.values, axis=axis)).mean(axis=-1)
            both = ~(np.delete(self.absent, 0, axis) | np.delete(self.absent, -1, axis))
            change = change[both & (change > 0)]
            steps.append(float(np.median(change)) if change.size else None)
        second = None if None in steps or max(steps) < 2 * min(steps) else steps[0] < steps[1]
        along = "" if second is None else (f"a pose changes {max(steps) / min(steps):.1f}x less along the "
                                           f"{'first' if second else 'second'} axis")
        return second, along


def _betas_beside_one(stack: _Stack) -> tuple[bool, str] | None:
    """Rule 1 of :func:`person_axis`: ``betas`` counting the long axis beside an axis of one, read by the lag test."""
    lead, said = stack.lead, f"betas {stack.betas}"
    if stack.counted is None or 1 not in lead or stack.betas[0] <= 1:
        return None
    long = int(lead[1] > 1)
    grows = _grows(np.moveaxis(stack.values, long, 0)[:, 0][~stack.absent.reshape(-1)])
    if grows < 1:  # NaN (undecided) is not: then the axis of one is the person's, as before betas told
        return long == 1, f"{said} (a pose changes {1 / grows:.1f}x less between entries further apart)"
    return long == 0, (f"an axis of one beside {max(lead)} frames ({said} is one per frame, not counted as "
                       "people" + (f": a pose changes {grows:.1f}x more between entries further apart)"
                                   if grows == grows else ")"))


def _betas_count(stack: _Stack) -> tuple[bool, str] | None:
    """Rule 2 of :func:`person_axis`: ``betas`` counts the people, with the motion or over it, unless per frame."""
    said = f"betas {stack.betas}"
    second, along = stack.motion
    if stack.counted is not None and stack.counted == second:
        return second, f"the motion ({along}) and {said}"
    if stack.counted is None or stack.per_frame:
        return None
    undecided = "" if 1 in stack.lead else ", the motion undecided"
    return stack.counted, said + (f", over the motion ({along}: near-duplicate people read so)" if along else undecided)


def _axis_of_one(stack: _Stack) -> tuple[bool, str] | None:
    """Rule 3 of :func:`person_axis`: an axis of one (not both) is the person's."""
    return (stack.lead[1] == 1, "an axis of one") if 1 in stack.lead and stack.lead != (1, 1) else None


def _motion_tells(stack: _Stack) -> tuple[bool, str] | None:
    """Rule 4 of :func:`person_axis`: the axis along which a pose changes less is the frames', if no fewer."""
    second, along = stack.motion
    if second is None:
        return None
    people, frames = stack.lead[::-1] if second else stack.lead
    return (second, f"the motion ({along})" + stack.unused) if frames >= people else None


def _documented(stack: _Stack) -> tuple[bool, str]:
    """Rule 5 of :func:`person_axis`: people first, as documented, saying what the motion read."""
    second, along = stack.motion
    if second is None:
        return False, ("nothing in the file (the motion undecided, as held poses leave it): people first, as "
                       "documented (save (T, P, ...) arrays np.swapaxes(a, 0, 1), or give betas (P, 10))"
                       + stack.unused)
    people, frames = stack.lead[::-1] if second else stack.lead
    return False, (f"nothing else in the file: people first, as documented; the motion ({along}) reads {people} "
                   f"people of {frames} frames, fewer frames than people, as near-duplicate people read (betas "
                   "(P, 10) says otherwise)")

def _grows(entries: np.ndarray) -> float:
    """How many times more a pose changes between ``entries`` (N, D) a few apart (up to 4) than between neighbours
    (medians over the entries of the mean |difference|, exact repeats left out): above 1 for one person's frames (a
    motion's change grows with the lag), below for people of one image; NaN when too few entries or changes tell."""
    lag = min(len(entries) - 1, 4)
    steps = [np.abs(entries[k:] - entries[:-k]).mean(-1) for k in (1, lag)] if lag >= 2 else []
    near, far = (float(np.median(c[c > 0])) if (c > 0).any() else 0.0 for c in steps) if steps else (0.0, 0.0)
    return far / near if near > 0 and far > 0 else float("nan")


def people_first(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None,
                 where: str) -> tuple[dict[str, np.ndarray], int, dict]:
    """A stack's ``arrays`` people first, (P, T, ...), its people P, and the source entries that say how
    (``person_axis``: :func:`person_axis`'s answer; ``swapped``: the arrays of (T, P, ...) read with their two
    leading axes swapped, as views, which :func:`~synsp.formats.smpl.write_people` swaps back)."""
    check_mask(arrays, arrays[keys[1] if len(keys) > 1 else keys[0]].shape[:2], where)
    axis = person_axis(arrays, keys, trans_key, where)
    lead = arrays[keys[0]].shape[:2]
    swapped = tuple(k for k, a in arrays.items() if axis[0] and a.ndim >= 2 and a.shape[:2] == lead)
    out = {k: np.swapaxes(a, 0, 1) if k in swapped else a for k, a in arrays.items()}
    return out, lead[1] if axis[0] else lead[0], {"person_axis": axis, "swapped": swapped,
                                                  "masked": TRACK_MASK in arrays}


def person_arrays(arrays: dict[str, np.ndarray], people: int, frames: int) -> list[dict[str, np.ndarray]]:
    """Each person's view of ``arrays``: every array stacked over ``people`` and ``frames`` ((P, T, ...): poses,
    translations, AMASS's split copies) taken at that person, every other array (``betas`` (P, 10), a frame
    rate) as it is."""
    def own(array: np.ndarray, p: int) -> np.ndarray:
        return array[p] if array.ndim >= 2 and array.shape[:2] == (people, frames) else array

    return [{k: own(a, p) for k, a in arrays.items()} for p in range(people)]


def stacked_motions(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None, people: int,
                    motion: Callable[[dict[str, np.ndarray], str, dict], JointMotion],
                    lone: bool = False) -> list[JointMotion | str]:
    """Each person's motion of the stacked ``arrays`` (``people`` of them; poses ``keys``, translation
    ``trans_key``): ``motion(own arrays, name, source entries)`` for the person, or for each span of frames
    it is present in (:func:`absent_frames`) when it is absent from others; the line "person p: why" for a
    person who cannot be read (absent throughout, numbers that are no rotations). ``lone``: one person's file
    read as a stack of one (:func:`lone_person`), its parts named by their frames alone (:func:`part_name`)."""
    frames = arrays[keys[0]].shape[1]
    per_frame = {k for k, a in arrays.items() if a.ndim >= 2 and a.shape[:2] == (people, frames)}
    absent, padded, _ = absent_frames(arrays, keys, trans_key, (people, frames))
    out: list[JointMotion | str] = []
    for p, own in enumerate(person_arrays(arrays, people, frames)):
        present = ~absent[p]
        if not present.any():
            pad = f"{TRACK_MASK} False" if TRACK_MASK in arrays else "zeros"
            how = "NaN" if not padded[p].any() else pad if padded[p].all() else f"NaN or {pad}"
            out.append(f"{part_name({'person': p, 'lone': lone})}: absent from every frame ({how} throughout)")
            continue
        edges = np.flatnonzero(np.diff(np.concatenate([[0], present.astype(int), [0]])))
        spans = [None] if present.all() else list(zip(edges[::2], edges[1::2]))
        for span in spans:
            part = own if span is None else {k: (a[span[0]:span[1]] if k in per_frame else a) for k, a in own.items()}
            extra = {"person": p, "stacked": arrays, "padded": bool(padded[p].any()),
                     "holes": bool((absent[p] & ~padded[p]).any()),
                     **({} if span is None else {"frames": tuple(map(int, span))})}
            name = part_name({**extra, "lone": lone})
            try:
                out.append(motion(part, name, extra))
            except ValueError as err:  # this person's numbers (not rotations): the others are still read
                out.append(f"{name}: {str(err).split(f'{name}: ', 1)[-1]}")
    return out


def part_name(source: dict) -> str:
    """"person 1", or for one span of a person absent from other frames "person 1, frames 20-149" (first, last);
    in one person's file (:func:`lone_person`) "frames 20-149", or "the person"."""
    frames = source.get("frames")
    span = "" if frames is None else f"frames {frames[0]}-{frames[1] - 1}"
    if source.get("lone"):
        return span or "the person"
    return f"person {source['person']}" + (span and f", {span}")


def person_tracks(parts: list[tuple[dict, np.ndarray]], frames: int, people: int | None = None) -> np.ndarray:
    """Positions (V, T, J, 3) of the people ``parts`` (each a motion's source and its positions (T', J, 3)) come
    from, NaN in the frames a person is absent from; V: the people given (their order), or all ``people``."""
    order = list(range(people)) if people is not None else list(dict.fromkeys(s["person"] for s, _ in parts))
    out = np.full((len(order), frames, *parts[0][1].shape[1:]), np.nan)
    for source, positions in parts:
        first, last = source.get("frames", (0, frames))
        out[order.index(source["person"]), first:last] = positions
    return out


def restacked(arrays: dict[str, np.ndarray], written: list[tuple[dict, dict[str, np.ndarray]]]) -> dict:
    """``arrays`` (the file's, stacked) with each (motion's source, its written arrays) of ``written`` put back at
    its person's place (its frames, for a span); arrays and people not written as they were. The input's arrays
    are not changed."""
    out = dict(arrays)
    for source, own in written:
        at = source["person"] if "frames" not in source else (source["person"], slice(*source["frames"]))
        for k, values in own.items():
            if out[k] is arrays[k]:
                out[k] = arrays[k].copy()
            out[k][at] = values
    return out


def people_note(people: int, shape: tuple[int, ...], failed: list[str], spans: Sequence[str] = (),
                axis: tuple[bool, str] = (False, ""), padded: bool = False, masked: bool | str = False,
                lone: bool = False, holes: bool = False, bridged: int = 0) -> str:
    """The line ``synsp refine`` prints for a stacked file of ``shape``, its main poses array's (a split's
    ``body_pose``) as the file holds it: how many people, on which axis and what told so (``axis``:
    :func:`person_axis`'s), each refined on its own, the spans refined of people absent from some frames
    (``spans``: "person p, frames a-b"; ``padded``: zero-padded there; ``masked``: the file's ``track_mask`` told
    them, or the words naming what did: SLAHMR's ``track_info.json`` beside it, :mod:`synsp.formats.slahmr_tracks`),
    and each person (or span) kept as the input had it (``failed``: "person p: why" lines). ``lone``: one person's
    file read as a stack of one (:func:`lone_person`), said as one person's frames; ``holes``: NaN in some absent
    frames (beside its zeros, said so); ``bridged``: the frames missing between a person's spans, bridged for the
    refinement (that person's ``spans`` entry then from its first frame present to its last)."""
    said = masked if isinstance(masked, str) else f"{TRACK_MASK!r}"  # a file beside it (slahmr_tracks), or its own
    if isinstance(masked, str) or masked:
        how = f"False in {said} or NaN there" if isinstance(masked, str) else f"{TRACK_MASK} False or NaN there"
    else:
        how = ("zeros or NaN there" if holes else "zeros there") if lone else "NaN or zero-padded there"
    how = how + ", kept as they were" if padded or masked else "NaN there, kept"
    present = f"; absent from some frames ({how}), refined where present: {' and '.join(spans)}" if spans else ""
    if bridged:  # the wording of refine_smpl's note on its missing rows (refining.missing_frames)
        present += (f", the {bridged} missing frame{'s' if bridged > 1 else ''} between read as missing and bridged "
                    "for the refinement (each person refined as one motion)")
    kept = "".join(f"; {line.replace(': ', ' kept as the input had it: ', 1)}" for line in failed)
    mask = f"; the frames present read from {said}, the estimator's own statement" if masked else ""
    if lone:
        return f"frames: one person's {shape}" + (present or "; present in every frame") + mask + kept
    where = "on the second axis, frames first," if axis[0] else "on a leading person axis"
    told = f"; the person axis told by {axis[1]}" if axis[1] else ""
    return (f"people: {people} stacked {where} {shape}; each refined on its own and written back "
            f"in the file's layout{present}{mask}{kept}{told}")
