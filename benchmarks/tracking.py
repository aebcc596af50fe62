"""Do people who cross keep their tracks? Nearest-centroid matching vs synsp's tracking.

Two persons are two validation clips' 2D poses under the ``typical`` preset (real motion,
simulated estimator errors: jitter, misses, swaps of joints), each given a straight walk
across the image so that they cross mid-clip, ``offset`` pixels apart vertically, at
``speed`` pixels per frame; every frame lists the two detections in random order, and in a
fraction of the frames the detector misses one of the two persons altogether. A frame
is *swapped* when a person's detection goes to another track than the one that person has
in most frames. Baseline: greedy nearest-centroid matching without a distance limit (what
``synsp.formats.instances`` did before). Run:

    .venv/bin/python benchmarks/tracking.py [--pairs 20]
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.formats.tracking import link_tracks


def nearest_centroid(frames: list[list[np.ndarray]]) -> list[list[int]]:
    """The baseline: each track keeps its last centroid; closest pairs matched first, no limit."""
    last: list[np.ndarray] = []
    result = []
    for poses in frames:
        cents = [np.nanmean(p, axis=0) for p in poses]
        pairs = sorted((float(np.linalg.norm(c - prev)), i, k) for i, c in enumerate(cents)
                       for k, prev in enumerate(last))
        assigned, taken = [-1] * len(poses), set()
        for _, i, k in pairs:
            if assigned[i] < 0 and k not in taken:
                assigned[i] = k
                taken.add(k)
        for i, c in enumerate(cents):
            if assigned[i] < 0:
                assigned[i] = len(last)
                last.append(c)
            last[assigned[i]] = c
        result.append(assigned)
    return result


def swapped_frames(tracks: list[list[int]], who: list[list[int]]) -> int:
    """Frames where a person's detection is not on that person's usual track."""
    per_person: dict[int, list[int]] = {0: [], 1: []}
    for slots, persons in zip(tracks, who):
        for slot, person in zip(slots, persons):
            per_person[person].append(slot)
    usual = {p: Counter(s).most_common(1)[0][0] for p, s in per_person.items()}
    return sum(any(slot != usual[p] for slot, p in zip(slots, persons)) for slots, persons in zip(tracks, who))


def crossing(a: np.ndarray, b: np.ndarray, speed: float, offset: float, miss: float, rng) -> tuple[list, list]:
    t = min(len(a), len(b), 120)
    a, b = a[:t] - np.nanmean(a[:t], axis=(0, 1)), b[:t] - np.nanmean(b[:t], axis=(0, 1))
    walk = (np.arange(t) - t / 2)[:, None, None] * speed
    a = a + np.concatenate([walk, np.zeros_like(walk)], -1) + [600, 400]
    b = b + np.concatenate([-walk, np.full_like(walk, offset)], -1) + [600, 400]
    frames, who = [], []
    for k in range(t):
        order = [int(x) for x in rng.permutation(2)]
        if rng.random() < miss:  # the detector misses one of them in this frame
            order = order[:1]
        frames.append([(a[k], b[k])[p] for p in order])
        who.append(order)
    return frames, who


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20, help="pairs of validation clips per setting")
    parser.add_argument("--offset", type=float, default=20.0, help="vertical distance of the two paths, px")
    args = parser.parse_args()
    clips = [c.noisy for c in make_cases("val", "typical", layout="coco17", space="2d")]
    rng = np.random.default_rng(0)
    size = np.median([np.nanmax(np.ptp(c, axis=1)) for c in clips])
    print(f"Two people crossing {args.offset:g} px apart (median body size {size:.0f} px), {args.pairs} pairs of "
          "validation clips (2D, `typical`) per row, up to 120 frames each\n")
    print("| speed (px/frame) | a person missed in | frames | swapped: nearest centroid | swapped: synsp "
          "| tracks: nearest centroid | tracks: synsp |\n|---:|---:|---:|---:|---:|---:|---:|")
    for speed in (5.0, 15.0, 25.0):
        for miss in (0.0, 0.1):
            totals = np.zeros(5)
            for i in range(args.pairs):
                frames, who = crossing(clips[(2 * i) % len(clips)], clips[(2 * i + 1) % len(clips)], speed,
                                       args.offset, miss, rng)
                base, ours = nearest_centroid(frames), link_tracks(frames)
                totals += [len(frames), swapped_frames(base, who), swapped_frames(ours, who),
                           1 + max(max(f) for f in base), 1 + max(max(f) for f in ours)]
            n, s_base, s_ours, v_base, v_ours = totals
            print(f"| {speed:g} | {100 * miss:g} % | {n:.0f} | {s_base:.0f} ({100 * s_base / n:.1f} %) | "
                  f"{s_ours:.0f} ({100 * s_ours / n:.1f} %) | {v_base / args.pairs:.2f} | {v_ours / args.pairs:.2f} |")


if __name__ == "__main__":
    main()
