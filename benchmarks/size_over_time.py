"""A 3D body whose size changes over the clip (audit 32, finding 1): the size step's reading on the validation split
and SynSP before/after it on scaled val clips.

1. ``log(max / min)`` of :func:`synsp.inference.body_scale.size_track` on the 65 val clips x clean-ish / typical /
   hard / jitter (h36m17, 3D): the largest, and on how many clips it passes SIZE_CHANGE (the step fires).
2. The first 4 val clips (`typical`), input and truth scaled about the pelvis by s(t): linear 1-d -> 1+d, a 4 s sway
   of +-10 %, and a MotionBERT ``--pixel``-like clip (pixels, y down, growing 300 -> 700 px tall, root-relative px):
   MPJPE (mm; px) of the input and of SynSP without the step (SIZE_CHANGE = inf) and with it.

Run: PYTHONPATH=src OMP_NUM_THREADS=1 SYNSP_DATA=... python benchmarks/size_over_time.py
"""
from __future__ import annotations

import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases, score
from synsp.inference import body_scale

warnings.filterwarnings("ignore")


def spread(poses: np.ndarray) -> float:
    track = body_scale.size_track(poses[None], "h36m17")
    return float(np.log(track.max() / track.min()))


def mpjpe(pred: np.ndarray, truth: np.ndarray, pixels: bool) -> float:
    if pixels:  # root-relative, in the clip's own pixels
        return float(np.linalg.norm((pred - pred[:, :1]) - (truth - truth[:, :1]), axis=-1).mean())
    return score(pred, truth, layout="h36m17", space="3d")["MPJPE"]


def main() -> None:
    threshold = body_scale.SIZE_CHANGE
    for preset in ("clean-ish", "typical", "hard", "jitter"):
        read = [spread(c.noisy) for c in make_cases("val", preset, layout="h36m17", space="3d")]
        print(f"val {preset}: {len(read)} clips, log size range max {max(read):.3f}, median {np.median(read):.3f}, "
              f"fires (> {threshold}) on {sum(r > threshold for r in read)}", flush=True)
    cases = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=4)

    def pixel(a: np.ndarray, s: np.ndarray) -> np.ndarray:  # MotionBERT --pixel-like: px, y down, drifting right
        q = a * s * np.array([1, -1, 1], np.float32)
        q[..., 0] += 960 + np.linspace(0, 200, len(a))[:, None]
        q[..., 1] += 540
        return q.astype(np.float32)

    scalings = {f"linear +-{d}": (lambda t, d=d: np.linspace(1 - d, 1 + d, t), False) for d in (0.1, 0.2, 0.3)}
    scalings["sway +-0.1 over 4 s"] = (lambda t: 1 + 0.1 * np.sin(2 * np.pi * np.arange(t) / 120), False)
    scalings["MotionBERT-pixel 300->700 px"] = (lambda t: np.linspace(300, 700, t) / 1700, True)
    for name, (scaling, pixels) in scalings.items():
        rows: dict[str, list[float]] = {"input": [], "without": [], "with": []}
        for c in cases:
            s = scaling(len(c.noisy)).astype(np.float32)[:, None, None]
            x, y = (pixel(c.noisy, s), pixel(c.clean, s)) if pixels else (s * c.noisy, s * c.clean)
            rows["input"].append(mpjpe(x, y, pixels))
            for label, value in (("without", np.inf), ("with", threshold)):
                body_scale.SIZE_CHANGE = value
                rows[label].append(mpjpe(synsp.refine(x, "synsp", fps=30), y, pixels))
            body_scale.SIZE_CHANGE = threshold
        base = np.mean(rows["input"])
        print(f"{name}: input {base:.2f}; synsp without the step {np.mean(rows['without']):.2f} "
              f"(x{np.mean(rows['without']) / base:.3f}), with it {np.mean(rows['with']):.2f} "
              f"(x{np.mean(rows['with']) / base:.3f})", flush=True)


if __name__ == "__main__":
    main()
