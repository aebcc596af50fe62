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
is read as one motion per span of frames it is present in (:func:`stacked_motions`); the NaN frames stay NaN.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.smpl_arrays import stacked

# The joint counts of a split's main array, body_pose: SMPL's 23 (4D-Humans), the smplx package's 21.
SPLIT_BODY_JOINTS = (21, 23)


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
            raise ValueError(f"{where}: {main!r} {shape} stacks {lead[0]} people over {lead[1]} frames, but {k!r} "
                             f"{np.shape(arrays[k])} does not ({lead[0]}, {lead[1]}, ...): every array of poses "
                             "and the translation need the same person axis")
    return int(lead[0])


def person_arrays(arrays: dict[str, np.ndarray], people: int, frames: int) -> list[dict[str, np.ndarray]]:
    """Each person's view of ``arrays``: every array stacked over ``people`` and ``frames`` ((P, T, ...): poses,
    translations, AMASS's split copies) taken at that person, every other array (``betas`` (P, 10), a frame
    rate) as it is."""
    def own(array: np.ndarray, p: int) -> np.ndarray:
        return array[p] if array.ndim >= 2 and array.shape[:2] == (people, frames) else array

    return [{k: own(a, p) for k, a in arrays.items()} for p in range(people)]


def stacked_motions(arrays: dict[str, np.ndarray], keys: tuple[str, ...], trans_key: str | None, people: int,
                    motion: Callable[[dict[str, np.ndarray], str, dict], JointMotion]) -> list[JointMotion | str]:
    """Each person's motion of the stacked ``arrays`` (``people`` of them; poses ``keys``, translation
    ``trans_key``): ``motion(own arrays, name, source entries)`` for the person, or for each span of frames
    it is present in (every number of its poses and translation finite) when it is absent from others; the
    line "person p: why" for a person who cannot be read (absent throughout, numbers that are no rotations)."""
    frames = arrays[keys[0]].shape[1]
    per_frame = {k for k, a in arrays.items() if a.ndim >= 2 and a.shape[:2] == (people, frames)}
    out: list[JointMotion | str] = []
    for p, own in enumerate(person_arrays(arrays, people, frames)):
        present = np.ones(frames, bool)
        for k in (*keys, *([trans_key] if trans_key else [])):
            present &= np.isfinite(own[k].reshape(frames, -1)).all(axis=1)
        if not present.any():
            out.append(f"person {p}: absent from every frame (NaN throughout)")
            continue
        edges = np.flatnonzero(np.diff(np.concatenate([[0], present.astype(int), [0]])))
        spans = [None] if present.all() else list(zip(edges[::2], edges[1::2]))
        for span in spans:
            part = own if span is None else {k: (a[span[0]:span[1]] if k in per_frame else a) for k, a in own.items()}
            extra = {"person": p, "stacked": arrays, **({} if span is None else {"frames": tuple(map(int, span))})}
            name = part_name(extra)
            try:
                out.append(motion(part, name, extra))
            except ValueError as err:  # this person's numbers (not rotations): the others are still read
                out.append(f"{name}: {str(err).split(f'{name}: ', 1)[-1]}")
    return out


def part_name(source: dict) -> str:
    """"person 1", or for one span of a person absent from other frames "person 1, frames 20-149" (first, last)."""
    frames = source.get("frames")
    return f"person {source['person']}" + ("" if frames is None else f", frames {frames[0]}-{frames[1] - 1}")


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


def people_note(people: int, shape: tuple[int, ...], failed: list[str], spans: Sequence[str] = ()) -> str:
    """The line ``synsp refine`` prints for a stacked file of ``shape``, its main poses array's (a split's
    ``body_pose``): how many people, each refined on its own, the spans
    refined of people absent from some frames (``spans``: "person p, frames a-b"), and each person (or span) kept
    as the input had it (``failed``: "person p: why" lines)."""
    present = (f"; absent from some frames (NaN there, kept), refined where present: {' and '.join(spans)}"
               if spans else "")
    kept = "".join(f"; {line.replace(': ', ' kept as the input had it: ', 1)}" for line in failed)
    return (f"people: {people} stacked on a leading person axis {shape}; each refined on its own and written back "
            f"in the file's layout{present}{kept}")
