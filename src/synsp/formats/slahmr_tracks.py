"""SLAHMR's ``track_info.json``: which frames each of its tracks was seen in, read beside its results.

SLAHMR (github vye16/slahmr) writes, in its output folder, ``track_info.json``::

    {"tracks": {"<track id>": {"index": i, "vis_mask": [bool per image, ...]}, ...},
     "meta": {"seq_interval": [start, end], "data_interval": [first, last]}}

and each optimisation phase's results one folder below (``<phase>/<seq>_<iter>_world_results.npz``, arrays
(B, T, ...), track ``index`` i at row i). ``vis_mask`` counts the images of the whole run; a result's T frames are
images ``start`` .. ``start + T - 1`` (T <= end - start: an early chunk's results are shorter). Frames a track was
not seen in (no detection: the optimiser's motion prior filled them in) are the frames' missing mask: absent, as
``track_mask``'s False frames are (:mod:`synsp.formats.smpl_people`), the seen spans refined as one motion with the
unseen frames between bridged, and the unseen frames written back as SLAHMR wrote them. The mask is read for reading
only: the file's own arrays (its ``track_mask`` or none) are written back (:func:`file_mask`).

A ``track_info.json`` that cannot be read or does not fit the results (another run's: other tracks, more frames)
is not used, and said, never an error: the results are refined as without it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from synsp.formats.smpl_people import TRACK_MASK as _TRACK_MASK

TRACK_INFO = "track_info.json"
_FILE_MASK = "file_track_mask"  # the source entry holding the file's own track_mask (None: it had none)


def track_info_path(path: Path) -> Path | None:
    """The ``track_info.json`` beside the results ``path``: in its folder, else the folder above (SLAHMR's layout,
    the results one phase folder below it); None when neither holds one."""
    for folder in (path.parent, path.parent.parent):
        if (folder / TRACK_INFO).is_file():
            return folder / TRACK_INFO
    return None


def seen_frames(info: Path, lead: tuple[int, int]) -> np.ndarray | str:
    """(B, T) bool: the frames each of the results' B tracks (rows in ``index`` order) was seen in, over the T
    frames of ``lead`` (the results' two leading axes, people first), from the ``track_info.json`` at ``info``;
    or the reason it does not fit (one clause naming the file and both counts)."""
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
        tracks = sorted(data["tracks"].values(), key=lambda t: int(t["index"]))
        masks = [np.asarray(t["vis_mask"], dtype=bool) for t in tracks]
        start, end = (int(v) for v in data["meta"]["seq_interval"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:  # a broken or foreign JSON
        return f"{info}: not SLAHMR's track info ({type(err).__name__}: {err})"
    people, frames = lead
    if len(masks) != people or len({len(m) for m in masks}) != 1 or not 0 <= start <= end <= len(masks[0]):
        return (f"{info}: {len(masks)} track(s) of {len(masks[0]) if masks else 0} images (run frames {start}-{end}) "
                f"do not fit results of {people} track(s)")
    if frames > end - start:
        return f"{info}: its run spans {end - start} frames, the results {frames}"
    return np.stack(masks)[:, start:start + frames]


def with_seen_frames(path: Path, arrays: dict[str, np.ndarray], lead: tuple[int, int],
                     ) -> tuple[dict[str, np.ndarray], dict]:
    """``arrays`` (a stacked SMPL file's, people first over ``lead``) with the frames SLAHMR's ``track_info.json``
    beside ``path`` says each track was unseen in marked absent in their ``track_mask`` (ANDed with the file's
    own), and the source entries saying so (``masked``: the words naming what told; ``file_track_mask``: the
    file's own mask, for :func:`file_mask`; ``notes``: the line saying why a JSON beside it was not read). The
    arrays as they are, and no entries, when there is no such file."""
    info = track_info_path(path)
    if info is None:
        return arrays, {}
    seen = seen_frames(info, lead)
    if isinstance(seen, str):
        return arrays, {"notes": [f"tracks: {seen}; not read, the frames present as the results alone say"]}
    own = arrays.get(_TRACK_MASK)
    fits = own is not None and np.shape(own) == lead
    if own is not None and not fits:  # the file's own mask of another shape: its error (smpl_people.check_mask)
        return arrays, {}
    mask = seen & np.asarray(own, bool) if fits else seen
    words = f"{'track_mask and ' if fits else ''}{info.name}'s vis_mask"
    unseen = int((~seen).sum())
    return {**arrays, _TRACK_MASK: mask}, {
        "masked": words, _FILE_MASK: own,
        "notes": [f"tracks: {info} read: {unseen} frame(s) of {lead[0]} track(s) unseen (no detection; SLAHMR "
                  "filled them in), refined around, kept as SLAHMR wrote them"]}


def file_mask(arrays: dict[str, np.ndarray], source: dict) -> dict[str, np.ndarray]:
    """``arrays`` to write, with the file's own ``track_mask`` (or none) in place of the one :func:`with_seen_frames`
    read ``track_info.json`` into; as they are for a file read without it."""
    if _FILE_MASK not in source:
        return arrays
    own = source[_FILE_MASK]
    out = {k: a for k, a in arrays.items() if k != _TRACK_MASK}
    return out if own is None else {**out, _TRACK_MASK: own}
