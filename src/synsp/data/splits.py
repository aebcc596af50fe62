"""The fixed train / val / test split of the mocap clips.

The lists ship in ``resources/splits.json``; :func:`make_splits` rebuilds them, the same
way every time, from the clip names and frame counts:

1. Whole clips only: no clip is cut between splits.
2. Dataset 1 (17 contents x up to 15 styles, mostly one take each): whole
   ``(content, style)`` combinations are held out, so the test measures generalisation
   to a content performed in a style the model never saw it in. Candidates are the
   non-``normal`` styles of contents recorded in several styles; the ``normal`` style of
   every content stays in train, so every content (and every style, via other contents)
   is still trained on. The candidates are shuffled with ``seed`` and dealt to test, then
   val, until each holds ~10% of dataset 1's frames, in passes that take at most one new
   style per content, so the held-out combinations spread over all contents.
3. Dataset 2 (10 contents, style ``normal`` only, 24-79 takes each): whole takes are held
   out, ~10% of every content's takes for test and ~10% for val (at least one each), chosen
   with ``seed``.

That gives about 80/10/10 of the frames. Rebuild with ``python -m synsp.data.splits``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from synsp.data.mocap import clip_info, clip_path, list_clips
from synsp.paths import atomic_path, resource

SPLITS = ("train", "val", "test")
SEED = 2024
HOLD_OUT = 0.10  # share of frames for val and for test


def clip_frames(name: str, root: str | os.PathLike | None = None) -> int:
    """Frame count of a clip, from its BVH header (``Frames: N``) without parsing the motion."""
    path = clip_path(name, root)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip().startswith("Frames:"):
                return int(line.split(":")[1])
    raise ValueError(f"{path}: no 'Frames:' line")


def _hold_out_pairs(frames: dict[str, int], rng: np.random.Generator) -> dict[str, list[tuple[str, str]]]:
    """Dataset-1 (content, style) pairs for val and test (step 2 of the module docstring)."""
    pair_frames: dict[tuple[str, str], int] = {}
    for name, n in frames.items():
        info = clip_info(name)
        if info.dataset == 1:
            pair_frames[(info.content, info.style)] = pair_frames.get((info.content, info.style), 0) + n
    styles_of: dict[str, set[str]] = {}
    for content, style in pair_frames:
        styles_of.setdefault(content, set()).add(style)
    candidates = sorted(p for p in pair_frames if p[1] != "normal" and len(styles_of[p[0]]) > 2)
    candidates = [candidates[i] for i in rng.permutation(len(candidates))]
    budget = HOLD_OUT * sum(pair_frames.values())
    held: dict[str, list[tuple[str, str]]] = {"test": [], "val": []}
    used: set[tuple[str, str]] = set()
    for split in ("test", "val"):
        total = 0
        while total < budget and any(p not in used for p in candidates):
            contents: set[str] = set()  # one new pair per content per pass spreads them out
            for pair in candidates:
                if total >= budget:
                    break
                if pair in used or pair[0] in contents:
                    continue
                held[split].append(pair)
                used.add(pair)
                contents.add(pair[0])
                total += pair_frames[pair]
    return {k: sorted(v) for k, v in held.items()}


def make_splits(root: str | os.PathLike | None = None, seed: int = SEED) -> dict:
    """Build the split (see the module docstring) from the clips under ``root``.

    Returns
    -------
    dict
        ``{"train": [...], "val": [...], "test": [...]}`` clip names (sorted), plus
        ``"held_out_pairs"`` (dataset-1 ``[content, style]`` pairs of val and test),
        ``"frames"`` (frames per split), ``"seed"`` and ``"method"``.
    """
    rng = np.random.default_rng(seed)
    names = list_clips(root)
    frames = {n: clip_frames(n, root) for n in names}
    held = _hold_out_pairs(frames, rng)
    assign: dict[str, str] = {}
    for name in names:
        info = clip_info(name)
        if info.dataset == 1:
            pair = (info.content, info.style)
            assign[name] = "test" if pair in held["test"] else "val" if pair in held["val"] else "train"
    takes: dict[str, list[str]] = {}
    for name in names:
        info = clip_info(name)
        if info.dataset == 2:
            takes.setdefault(info.content, []).append(name)
    for content in sorted(takes):
        clips = takes[content]
        order = [clips[i] for i in rng.permutation(len(clips))]
        k = max(1, round(HOLD_OUT * len(clips)))
        for i, name in enumerate(order):
            assign[name] = "test" if i < k else "val" if i < 2 * k else "train"
    out: dict = {s: sorted(n for n in names if assign[n] == s) for s in SPLITS}
    out["held_out_pairs"] = {s: [list(p) for p in held[s]] for s in ("val", "test")}
    out["frames"] = {s: int(sum(frames[n] for n in out[s])) for s in SPLITS}
    out["seed"] = seed
    out["method"] = ("dataset 1: whole (content, style) pairs held out for val/test (non-normal styles, "
                     "spread over contents, ~10% of frames each); dataset 2: ~10% of each content's "
                     "takes for val and for test; see synsp.data.splits")
    return out


def write_splits(path: str | os.PathLike | None = None, root: str | os.PathLike | None = None) -> Path:
    """Write :func:`make_splits` as JSON to ``path`` (default: the shipped ``splits.json``)."""
    target = Path(path) if path is not None else resource("splits.json")
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(make_splits(root), indent=1) + "\n")
    return target


def load_split_file() -> dict:
    """The shipped ``splits.json`` as a dict (see :func:`make_splits` for its keys)."""
    return json.loads(resource("splits.json").read_text())


def load_split(name: str) -> list[str]:
    """Clip names of split ``name``: ``"train"``, ``"val"`` or ``"test"``."""
    if name not in SPLITS:
        raise ValueError(f"name: unknown split {name!r}; use one of {', '.join(SPLITS)}")
    return list(load_split_file()[name])


if __name__ == "__main__":
    written = write_splits()
    print(f"wrote {written}: " + ", ".join(f"{k} {v} frames" for k, v in load_split_file()["frames"].items()))
