"""`synsp stream` where a tracker swapped two people's ids for a few frames: benchmarks/id_swaps.py's pairs through
a :class:`~synsp.StreamingRefiner` per track (each frame pushed as it comes), against offline ``synsp.refine`` and the
input. benchmarks/RESULTS.md, section 12, "A stream where ids were swapped for a few frames".

Pairs, noise and scoring as id_swaps.py (two clips of the split side by side, ``--apart`` body heights; ids swapped
for ``--lengths`` frames at the middle; each output frame against the nearer of what its track holds and the track's
own person): mean over the swap's frames / the 15 frames either side / the worst frame of those. Methods: ``input``,
``synsp`` (offline), ``stream`` (default lookahead), ``streamN`` (lookahead N). Run:

    .venv/bin/python benchmarks/stream_id_swaps.py [--split val] [--space 2d 3d] [--lengths 1 2 3 5]
        [--apart 0.2 0.5 1.0] [--pairs 5] [--frames 120] [--methods synsp stream stream10]
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synsp  # noqa: E402
from id_swaps import NOISE, clip_pairs, people, swap_cells, swap_errors, swap_parser, swapped  # noqa: E402
from synsp.inference.refiner import Refiner  # noqa: E402

MODELS = {"2d": "synsp-coco17", "3d": "synsp-h36m17"}


def streamed(x: np.ndarray, refiner: Refiner, lookahead: int | None) -> np.ndarray:
    """(P, T, J, C) ``x``, each track pushed frame by frame through its own stream (``lookahead``: None, the
    default), then flushed."""
    options = {} if lookahead is None else {"lookahead": lookahead}
    return np.stack([synsp.StreamingRefiner(refiner, **options).refine_all(track) for track in x])


def output(x: np.ndarray, method: str, refiner: Refiner) -> np.ndarray:
    """The method's output for ``x`` (P, T, J, C), float64."""
    if method == "input":
        return x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method.startswith("stream"):
            y = streamed(x.astype(np.float32), refiner, int(method[6:]) if method[6:] else None)
        else:
            y = synsp.refine(x.astype(np.float32), method, fps=30)
    return np.asarray(y, np.float64)


def main() -> None:
    parser = swap_parser(__doc__, [1, 2, 3, 5], [0.2, 0.5, 1.0])
    parser.add_argument("--frames", type=int, default=120, help="each pair's first frames (the swap at the middle)")
    parser.add_argument("--methods", nargs="+", default=["synsp", "stream", "stream10"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    names = clip_pairs(args.split, args.pairs)
    columns = ["input", *args.methods]
    for space in args.space:
        refiner = synsp.load_model(MODELS[space])
        unit, noise = NOISE[space]
        print(f"\n### {args.split}, {space}: ids swapped for K frames ({args.pairs} pairs of clips, "
              f"{args.frames} frames, "
              f"{' / '.join(f'{d:g}' for d in args.apart)} body heights apart, {noise:g} {unit} noise, {unit})\n")
        print("| K | " + " | ".join(f"{m}: swap / around / worst" for m in columns) + " |")
        print("|---:|" + "---:|" * len(columns))
        for length in args.lengths:
            rows = {m: [] for m in columns}
            for apart in args.apart:
                for k in range(args.pairs):
                    truth = people((names[2 * k], names[2 * k + 1]), space, apart, k)[:, :args.frames]
                    x, held, s = swapped(truth, space, length, k)
                    for m in columns:
                        rows[m].append(swap_errors(output(x, m, refiner), truth, held, s, length))
            print(f"| {length} | " + " | ".join(swap_cells(rows)) + " |", flush=True)


if __name__ == "__main__":
    main()
