"""A leg or an arm read on the wrong side: left/right exchanges of whole limbs, with the limb reading on and off.

Estimators in side views exchange a whole leg's labels (knee, ankle, heel, toes) or a whole
arm's for a few frames. ``synsp.estimator_errors.inversions`` reads each left/right pair, then
each limb below the hips and shoulders as one (:func:`~synsp.estimator_errors.inversions.limb_pairs`).
This scores both with that limb reading off (as before it) and on, in any layout:

- the simulator's presets (``none``, ``jitter``, ``typical``, ``hard``) as they are;
- on ``jitter``: the legs' pairs (or the arms') exchanged for 3 or 8 frames once every 2 s, and
  every pair for a second from a third of the clip (the person read facing the other way);
- white noise (10 px or 50 mm) on clean poses, and clean poses at a third of the frames (fast motion).

Per row: the pair-frames whose two joints are nearer each other's true place than their own by
0.1 body sizes, after the measurement step (``synsp.estimator_errors.measurements``), and
SynSP's MPJPE x input (px or mm moved for clean input). Run:

    .venv/bin/python benchmarks/limb_exchanges.py [--layout mediapipe33] [--space 2d] [--split val] [--max-clips 30]
"""
from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

import synsp
import synsp.estimator_errors.inversions as inversions
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.sequence import body_size
from synsp.skeleton import Layout, get_layout


def wrong_labels(poses: np.ndarray, clean: np.ndarray, layout: Layout) -> int:
    """Pair-frames of ``poses`` (T, J, C) whose two joints are nearer each other's place in ``clean`` than
    their own by 0.1 body sizes."""
    index = np.asarray(layout.left_right)
    a, b, ca, cb = poses[:, index[:, 0]], poses[:, index[:, 1]], clean[:, index[:, 0]], clean[:, index[:, 1]]
    kept = np.linalg.norm(a - ca, axis=-1) + np.linalg.norm(b - cb, axis=-1)
    exchanged = np.linalg.norm(a - cb, axis=-1) + np.linalg.norm(b - ca, axis=-1)
    return int((exchanged + 0.1 * body_size(clean) < kept).sum())


def limb_exchanged(x: np.ndarray, rng: np.random.Generator, layout: Layout, limb: tuple[int, ...],
                   frames: int) -> np.ndarray:
    """``x`` with the pairs ``limb`` (indices into ``layout.left_right``) exchanged for ``frames``
    frames once every 60 frames."""
    y = x.copy()
    pairs = [list(layout.left_right[p]) for p in limb]
    for _ in range(max(1, len(x) // 60)):
        start = int(rng.integers(5, max(6, len(x) - frames - 5)))
        for left, right in pairs:
            y[start:start + frames, [left, right]] = x[start:start + frames, [right, left]]
    return y


def rows(layout: Layout, space: str, split: str, max_clips: int) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """Row name -> (input, clean) pairs (module docstring)."""
    rng = np.random.default_rng(7)
    cases = {preset: [(c.noisy, c.clean) for c in make_cases(split, preset, layout=layout.name, space=space,
                                                             max_clips=max_clips)]
             for preset in ("none", "jitter", "typical", "hard")}
    jitter = cases["jitter"]
    legs, arms = inversions.limb_pairs(layout)  # the pairs below the hips, below the shoulders
    for limb, name in ((legs, "legs"), (arms, "arms")):
        for frames in (3, 8):
            cases[f"jitter, {name} exchanged {frames} frames every 2 s"] = [
                (limb_exchanged(x, rng, layout, limb, frames), clean) for x, clean in jitter]
    flipped = []
    for x, clean in jitter:
        y, start = x.copy(), len(x) // 3
        y[start:start + 30] = x[start:start + 30][:, layout.flip_index]
        flipped.append((y, clean))
    cases["jitter, every pair exchanged for 1 s"] = flipped
    white = 10.0 if space == "2d" else 50.0
    cases[f"white {white:g}"] = [(clean + rng.normal(0, white, clean.shape), clean) for _, clean in cases["none"]]
    cases["clean, a third of the frames"] = [(clean[::3], clean[::3]) for _, clean in cases["none"]]
    return cases


def score(pairs: list[tuple[np.ndarray, np.ndarray]], layout: Layout, refine: Callable) -> tuple[int, float]:
    """Wrong pair-frames after the measurement step, and SynSP's frame-weighted MPJPE x input (or its
    mean displacement when the input is clean)."""
    wrong, out_error, in_error, frames = 0, 0.0, 0.0, 0
    for x, clean in pairs:
        wrong += wrong_labels(measurements(x, layout).values, clean, layout)
        out_error += len(x) * float(np.linalg.norm(refine(x) - clean, axis=-1).mean())
        in_error += len(x) * float(np.linalg.norm(x - clean, axis=-1).mean())
        frames += len(x)
    return wrong, out_error / in_error if in_error > 1e-6 else out_error / frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layout", default="coco17")
    parser.add_argument("--space", choices=["3d", "2d"], default="2d")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    parser.add_argument("--max-clips", type=int, default=30, help="only the first N clips (0 = all)")
    args = parser.parse_args()
    layout = get_layout(args.layout)
    unit = "px" if args.space == "2d" else "mm"
    limbs = inversions.limb_pairs

    def refine(x: np.ndarray) -> np.ndarray:
        return synsp.refine(x, layout=layout.name, fps=30)

    print(f"### {layout.name}, {args.space.upper()}, {args.split} split: wrong pair-frames / SynSP MPJPE x input "
          f"({unit} moved for clean input), limb reading off -> on\n")
    print("| errors | wrong pair-frames | SynSP |\n|---|---:|---:|")
    for name, pairs in rows(layout, args.space, args.split, args.max_clips).items():
        figures = []
        for on in (False, True):
            inversions.limb_pairs = limbs if on else (lambda _: [])
            figures.append(score(pairs, layout, refine))
        inversions.limb_pairs = limbs
        (wrong_off, off), (wrong_on, on) = figures
        print(f"| {name} | {wrong_off} -> {wrong_on} | {off:.4f} -> {on:.4f} |", flush=True)


if __name__ == "__main__":
    main()
