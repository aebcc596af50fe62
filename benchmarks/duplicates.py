"""A person detected twice in a frame (a detector's NMS miss): set aside, or a second person?

Validation clips only (``synsp.data.splits``), projected to 2D px through one random camera each
(``synsp.data.camera``), every 4th frame:

1. The rule's two settings (``synsp.formats.duplicates``: NEAR body sizes, a MOST share of the
   joints): how often a detection and its copy (noise of ``sigma`` body sizes per coordinate) are
   called duplicates, and how often two real people close together are: person B ``d`` mm from
   person A in a random direction (depth too) in the same camera, in the same posture at the same
   time ("lockstep": a pair dance, a person right behind another) or another validation clip's.
2. Files: one person with a copy of the body in 20 % of the frames (the audit's NMS miss: noise of
   0.01 body sizes, box score 0.4 against 0.95, listed first half the time), linked as before
   (every detection linked, ``link_tracks``) and now (``match_tracks``, copies set aside): the
   frames the person keeps its main track id, its id changes. And two real people 300 mm apart
   in every frame: detections set aside (should be none).

Run::

    .venv/bin/python benchmarks/duplicates.py [--clips 8]
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.formats.instances import Instance, linked_joints, match_tracks
from synsp.formats.tracking import link_tracks, pose_size

GRID = [(near, most) for near in (0.05, 0.075, 0.1) for most in (0.7, 0.8, 0.9)]


def _flags(a: np.ndarray, b: np.ndarray) -> list[bool]:
    """Whether (J, 2) poses a and b are duplicates under each (NEAR, MOST) of GRID."""
    dist = np.linalg.norm(a - b, axis=-1) / max(pose_size(a), pose_size(b))
    return [bool(np.mean(dist <= near) >= most) for near, most in GRID]


def _partner(clips, ci: int, t: int, d: float, lockstep: bool, rng) -> np.ndarray:
    """(J, 3) mm: person B, ``d`` mm from clip ci's person at frame t, in a random direction."""
    ang = rng.uniform(0, 2 * np.pi)
    off = np.array([np.cos(ang) * d, 0, np.sin(ang) * d])
    if lockstep:
        return clips[ci][t] + off
    other = clips[(ci + 1 + rng.integers(len(clips) - 1)) % len(clips)]
    u = rng.integers(len(other))
    return other[u] - other[u].mean(0) + clips[ci][t].mean(0) + off


def _person_ids(slots: list[list[int]], real: list[int]) -> tuple[int, int]:
    """(frames in the person's main id, id changes) of the person at index real[t] of each frame."""
    ids = [frame[i] for frame, i in zip(slots, real)]
    return Counter(ids).most_common(1)[0][1], sum(a != b for a, b in zip(ids, ids[1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    clips = [load_clip(n, "coco17").astype(float)[:240:4] for n in load_split("val")[:args.clips]]
    rows: dict[str, list[list[bool]]] = {}
    before = [0, 0, 0]  # frames, frames in the main id, id changes
    after = [0, 0, 0]
    aside_pairs = pair_frames = 0
    for ci, clip in enumerate(clips):
        cam = random_camera(rng, subject=clip)
        person = project(clip, cam)
        for t in range(0, len(clip), 3):
            a, size = person[t], pose_size(person[t])
            for sigma in (0.01, 0.02, 0.03):
                rows.setdefault(f"copy, noise {sigma} body sizes", []).append(
                    _flags(a, a + rng.normal(0, sigma * size, a.shape)))
            for d in (150, 300, 450, 600):
                for lockstep in (True, False):
                    b = project(_partner(clips, ci, t, d, lockstep, rng)[None], cam)[0]
                    rows.setdefault(f"{'lockstep' if lockstep else 'another'} {d} mm", []).append(_flags(a, b))
        frames, real = [], []
        for pose in person:
            inst = Instance(pose, np.full(17, 0.9), None, {"bbox_score": 0.95})
            if rng.random() < 0.2:
                copy = Instance(pose + rng.normal(0, 0.01 * pose_size(pose), pose.shape), np.full(17, 0.9), None,
                                {"bbox_score": 0.4})
                first = rng.random() < 0.5
                frames.append([copy, inst] if first else [inst, copy])
                real.append(int(first))
            else:
                frames.append([inst])
                real.append(0)
        for total, slots in ((before, link_tracks([[linked_joints(i) for i in f] for f in frames])),
                             (after, match_tracks(frames))):
            kept, changes = _person_ids(slots, real)
            total[0] += len(frames)
            total[1] += kept
            total[2] += changes
        pair = [[Instance(pose, np.full(17, 0.9), None, {"bbox_score": 0.95}),
                 Instance(project(_partner(clips, ci, t, 300, False, rng)[None], cam)[0], np.full(17, 0.9), None,
                          {"bbox_score": 0.6})] for t, pose in enumerate(person)]
        aside: list[int] = []
        aside_pairs += sum(v in aside for frame in match_tracks(pair, aside) for v in frame)
        pair_frames += len(pair)
    print(f"{len(clips)} validation clips, 2D px; share of pairs called duplicates, per NEAR/MOST\n")
    print("| pair | n | " + " | ".join(f"{near}/{most}" for near, most in GRID) + " |")
    print("|---|---:|" + "---:|" * len(GRID))
    for name, flags in rows.items():
        print(f"| {name} | {len(flags)} | " + " | ".join(f"{x:.3f}" for x in np.mean(flags, axis=0)) + " |")
    print(f"\none person, a copy in 20 % of frames ({before[0]} frames): frames in the person's main id, id changes")
    print(f"  every detection linked (before): {before[1]} ({before[1] / before[0]:.1%}), {before[2]} changes")
    print(f"  copies set aside (now): {after[1]} ({after[1] / after[0]:.1%}), {after[2]} changes")
    print(f"two people 300 mm apart, another clip's posture ({pair_frames} frames): detections set aside "
          f"{aside_pairs}")


if __name__ == "__main__":
    main()
