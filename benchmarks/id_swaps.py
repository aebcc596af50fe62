"""Two people side by side whose ids a tracker swapped for a few frames, then gave back: a user audit's case (audit
13, finding 1: swapped for 3 frames, the cut back landed a frame late and the returning person's first frame was
refined with the other's, a ghost). benchmarks/RESULTS.md, section 4, "Ids swapped for a few frames".

Each pair: two clips of the split (their first 240 frames), the second moved beside the first, ``--apart`` body
heights away (on average over the clip), given as a (2, T, J, C) array (persons first); 2D: coco17 through a random
camera, 2 px of noise; 3D: h36m17 in mm (a body of 1700 mm), 8 mm of noise. The ids are swapped for ``--lengths``
frames at the middle. Each output frame's error (mean over joints) against the nearer of what its track holds (the
other person in the swap) and the track's own person (a swap of a frame or two is a jump, moved back onto the path),
px or mm: the swap's frames, the 15 frames either side, and the worst frame of the swap and those 30 frames; and the
tracks :func:`~synsp.estimator_errors.track_switches.track_segments` cuts at the frames of the swap and of the return
(1-2 frames: or not at all). Run:

    .venv/bin/python benchmarks/id_swaps.py [--split val] [--space 2d 3d] [--lengths 1 2 3 4 5 8 15]
        [--apart 0.2 0.5] [--pairs 5] [--methods synsp smoothnet butterworth]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
import torch

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import clip_frames, load_split
from synsp.estimator_errors.track_switches import track_segments

T = 240
AROUND = 15  # frames either side of the swap
NOISE = {"2d": ("px", 2.0), "3d": ("mm", 8.0)}  # each space's unit and white noise per coordinate in it


def people(names: tuple[str, str], space: str, apart: float, seed: int) -> np.ndarray:
    """(2, T, J, C) the two clips side by side, ``apart`` body heights between their mean positions."""
    layout = "coco17" if space == "2d" else "h36m17"
    clips = [load_clip(n, layout)[:T].astype(np.float64) for n in names]
    if space == "2d":
        clips = [project(c, random_camera(np.random.default_rng(seed), subject=c)) for c in clips]
        size = np.ptp(clips[0][..., 1])
    else:
        size = 1700.0
    a, b = (c[: min(len(c) for c in clips)] for c in clips)
    shift = np.zeros(a.shape[-1])
    shift[0] = apart * size
    return np.stack([a, b - b.mean((0, 1)) + a.mean((0, 1)) + shift])


def swapped(truth: np.ndarray, space: str, length: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The input of a pair ``truth`` (2, T, J, C): the space's :data:`NOISE` added (``seed``), the ids swapped for
    ``length`` frames at the middle; what each track holds (the truth swapped alike); the swap's first frame."""
    x = truth + np.random.default_rng(seed).normal(0, NOISE[space][1], truth.shape)
    s = truth.shape[1] // 2 - length // 2
    held = truth.copy()  # what each track holds: the other person in the swap
    x[:, s:s + length], held[:, s:s + length] = x[::-1, s:s + length], truth[::-1, s:s + length]
    return x, held, s


def swap_errors(y: np.ndarray, truth: np.ndarray, held: np.ndarray, s: int, length: int) -> tuple[float, ...]:
    """A method's output ``y`` (2, T, J, C) scored per frame against the nearer of the truth and what the track
    holds: the mean over the swap, over the :data:`AROUND` frames either side of it, and the worst frame there."""
    window = slice(max(s - AROUND, 0), s + length + AROUND)
    e = np.minimum(np.linalg.norm(y - held, axis=-1).mean(-1), np.linalg.norm(y - truth, axis=-1).mean(-1))  # (2, T)
    return (e[:, s:s + length].mean(), np.concatenate([e[:, window.start:s], e[:, s + length:window.stop]], 1).mean(),
            e[:, window].max())


def swap_cells(rows: dict[str, list[tuple[float, ...]]]) -> list[str]:
    """Each column's cell ``swap / around / worst`` over its rows of :func:`swap_errors`."""
    cells = []
    for m in rows:
        v = np.array(rows[m])
        cells.append(f"{v[:, 0].mean():.2f} / {v[:, 1].mean():.2f} / {v[:, 2].max():.1f}")
    return cells


def swap_parser(doc: str, lengths: list[int], apart: list[float]) -> argparse.ArgumentParser:
    """The options this benchmark and ``stream_id_swaps.py`` share, with their defaults ``lengths`` and ``apart``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--space", nargs="+", choices=["2d", "3d"], default=["2d", "3d"])
    parser.add_argument("--lengths", nargs="+", type=int, default=lengths)
    parser.add_argument("--apart", nargs="+", type=float, default=apart, help="body heights between them")
    parser.add_argument("--pairs", type=int, default=5, help="pairs of clips")
    return parser


def clip_pairs(split: str, pairs: int) -> list[str]:
    """``2 * pairs`` clips of ``split`` of 200 frames or more, spread over it: pair k is items 2k and 2k + 1."""
    names = [n for n in load_split(split) if clip_frames(n) >= 200]
    return names[:: max(1, len(names) // (2 * pairs))][: 2 * pairs]


def main() -> None:
    parser = swap_parser(__doc__, [1, 2, 3, 4, 5, 8, 15], [0.2, 0.5])
    parser.add_argument("--methods", nargs="+", default=["synsp", "smoothnet", "butterworth"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    names = clip_pairs(args.split, args.pairs)
    columns = ["input", *args.methods]
    for space in args.space:
        unit, noise = NOISE[space]
        print(f"\n### {args.split}, {space}: ids swapped for K frames ({args.pairs} pairs of clips, "
              f"{' and '.join(f'{d:g}' for d in args.apart)} body heights apart, {noise:g} {unit} noise, {unit})\n")
        print("| K | " + " | ".join(f"{m}: swap / around / worst" for m in columns) + " | tracks cut right |")
        print("|---:|" + "---:|" * (len(columns) + 1))
        for length in args.lengths:
            rows, right, tracks = {m: [] for m in columns}, 0, 0
            for apart in args.apart:
                for k in range(args.pairs):
                    truth = people((names[2 * k], names[2 * k + 1]), space, apart, k)
                    frames = truth.shape[1]
                    x, held, s = swapped(truth, space, length, k)
                    for track in x:
                        cut = [(c.start, c.stop) for c in track_segments(track)]
                        tracks += 1
                        right += cut == [(0, s), (s, s + length), (s + length, frames)] or (
                            length <= 2 and cut == [(0, frames)])
                    for m in columns:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            y = x if m == "input" else np.asarray(synsp.refine(x.astype(np.float32), m, fps=30), float)
                        rows[m].append(swap_errors(y, truth, held, s, length))
            print(f"| {length} | " + " | ".join(swap_cells(rows)) + f" | {right} of {tracks} |", flush=True)


if __name__ == "__main__":
    main()
