"""Can 2D bone lengths tell a newcomer from the person who left the same place a few frames before?

The untracked gatherer (``synsp.formats.tracking.link_tracks``) joins a detection to a track unseen for a
few frames when it stands near where the track was expected (audit 17, finding 7: a second person appearing
9 frames after the first left, at nearly the same place, joined the first's track). A rule "a gap plus a change
of body size starts a new track" needs the bone lengths of one person, seen on both sides of a gap, to differ
less than two people's. Measured here on validation clips, as the gatherer would see them: an orthographic
view at a random yaw, 0.25 px/mm, 2 px of white noise (the audit's ``mk_mp3.py``), each bone's length the
median over 10 frames.

- same person: 10 frames before and 10 after a gap of ``--gap`` frames, at a random place of one clip;
- two people: the last 10 frames of one clip and the first 10 of another (a camera turned by a few degrees).

Printed per statistic (the median over 13 limb and trunk bones of |log(length after / before)|, and the
|log| ratio of their sums, the body's size): the same person's 50th and 99th percentiles and largest, the
two people's 10th and 50th, and the share of two-people pairs a threshold at the same person's largest (no
person ever split) and 99th percentile would separate. Run:

    .venv/bin/python benchmarks/newcomer_bones.py [--gap 9] [--split val]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.data.mocap import load_clip
from synsp.data.splits import load_split

# body25: neck-shoulders-elbows-wrists, neck-mid hip, hips-knees-ankles
BONES = [(1, 2), (2, 3), (3, 4), (1, 5), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10), (10, 11), (8, 12), (12, 13), (13, 14)]
WINDOW = 10  # frames whose median bone length is read on each side


def view(clip: np.ndarray, yaw: float, rng: np.random.Generator) -> np.ndarray:
    """(T, J, 2) pixels of a (T, J, 3) mm clip seen from ``yaw`` radians, 0.25 px/mm, 2 px noise."""
    c, s = np.cos(yaw), np.sin(yaw)
    turned = clip @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]).T
    xy = np.stack([turned[..., 0] * 0.25, -turned[..., 1] * 0.25], -1)
    return xy + rng.normal(0, 2.0, xy.shape)


def lengths(xy: np.ndarray) -> np.ndarray:
    """(B,) median length of each of :data:`BONES` over the frames of ``xy`` (W, J, 2)."""
    return np.median(np.stack([np.linalg.norm(xy[:, a] - xy[:, b], axis=-1) for a, b in BONES], -1), axis=0)


def change(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """(median |log bone ratio|, |log size ratio|) between two windows (W, J, 2)."""
    a, b = lengths(before), lengths(after)
    return float(np.median(np.abs(np.log(b / a)))), float(abs(np.log(b.sum() / a.sum())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap", type=int, default=9, help="frames unseen between the two windows")
    parser.add_argument("--split", default="val")
    parser.add_argument("--per-clip", type=int, default=10, help="same-person gaps drawn per clip")
    parser.add_argument("--pairs", type=int, default=2000, help="two-people pairs drawn")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    clips = [load_clip(name, "body25") for name in load_split(args.split)]
    same, two = [], []
    for clip in clips:
        if len(clip) < 2 * WINDOW + args.gap + 1:
            continue
        for _ in range(args.per_clip):
            t = int(rng.integers(WINDOW, len(clip) - WINDOW - args.gap + 1))
            xy = view(clip, rng.uniform(0, 2 * np.pi), rng)
            same.append(change(xy[t - WINDOW:t], xy[t + args.gap:t + args.gap + WINDOW]))
    for _ in range(args.pairs):
        i, j = rng.choice(len(clips), 2, replace=False)
        yaw = rng.uniform(0, 2 * np.pi)
        two.append(change(view(clips[i][-WINDOW:], yaw, rng), view(clips[j][:WINDOW], yaw + rng.normal(0, 0.5), rng)))
    same_a, two_a = np.array(same), np.array(two)
    print(f"{args.split} split, {len(clips)} clips, gap {args.gap} frames: {len(same_a)} same-person gaps, "
          f"{len(two_a)} two-people pairs\n")
    print("| statistic | same: p50 | same: p99 | same: max | two people: p10 | two people: p50 "
          "| separated at same's max | at same's p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for k, name in enumerate(["bones: median abs log ratio", "body size: abs log ratio"]):
        s, d = same_a[:, k], two_a[:, k]
        print(f"| {name} | {np.median(s):.3f} | {np.quantile(s, .99):.3f} | {s.max():.3f} | {np.quantile(d, .1):.3f} "
              f"| {np.median(d):.3f} | {np.mean(d > s.max()):.0%} | {np.mean(d > np.quantile(s, .99)):.0%} |")


if __name__ == "__main__":
    main()
