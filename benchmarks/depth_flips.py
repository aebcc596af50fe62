"""A body mirrored front to back in depth (a monocular 3D estimator's depth ambiguity), read back or not.

Every clip of the split (h36m17, 3D, clean clips of 90 frames or more, 8 mm of white noise) with, from a third of
it: the whole body's depth about the pelvis mirrored for 5, 10, 20 or 40 frames; one arm's (the right elbow and
wrist about the shoulder) for 20 frames; every left/right label exchanged for 30 frames (the inversion step's, which
a body seen side-on resembles); or a real turn, the body turning by 180 degrees about the vertical through
the pelvis over 10, 20 or 30 frames and staying turned (whose values must stay). Rows: the mean per-joint error
(root-relative mm) over the values the error touched ("hit"; the turn: the frames from its start) and the others
("rest"), for the input, SynSP with the depth-flip step (:mod:`synsp.estimator_errors.depth_flips`), SynSP
without it, and SmoothNet with it; and the frames read as flipped. ``--found``: only the frames
the step reads as flipped in each protocol preset's input (no refinement), where there is no flip, and in clean
motion 2 or 3 times as fast, 20 mm of white noise twice as fast, and `jitter` with every label exchanged for 1 s.
``--ends``: only the frames read (no refinement) where the body is mirrored for 5-60 frames (from a third and from a
random frame), at the clip's start or end, or twice (15 and 30 frames), under 8, 14 or 20 mm of white noise: frames
read flipped that are not ("wrong", the clips with any), and flipped frames not read. ``--stream``: the whole body
mirrored for 10, 20 or 40 frames, or nothing, through ``synsp.StreamingRefiner`` (default lag and lookahead), hit /
rest as above (nothing: the frames from a third for 20 frames as "hit").
benchmarks/RESULTS.md, section 4, "A body mirrored in depth". Run:

    .venv/bin/python benchmarks/depth_flips.py [--split val] [--max-clips 12] [--found | --ends | --stream]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.spatial.transform import Rotation

import synsp
import synsp.estimator_errors.depth_flips as flips
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout, root_position

LAYOUT = "h36m17"


def corrupted(clean: np.ndarray, kind: str, length: int,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``clean`` (T, J, 3) with 8 mm of white noise and the error ``kind`` of ``length`` frames from a third of it,
    its truth (the turn's turned) and the (T, J) values the error touched."""
    layout = get_layout(LAYOUT)
    x, truth = clean + rng.normal(0, 8.0, clean.shape), clean.copy()
    t0, hit = len(clean) // 3, np.zeros(clean.shape[:2], bool)
    span = slice(t0, t0 + length)
    if kind == "body":
        root = root_position(x, layout)[span, :, 2]
        x[span, :, 2] = 2 * root - x[span, :, 2]
        hit[span] = True
    elif kind == "arm":
        ix = [layout.joints.index(n) for n in ("right_elbow", "right_wrist")]
        shoulder = x[span, layout.joints.index("right_shoulder"), 2][:, None]
        x[span, ix, 2] = 2 * shoulder - x[span, ix, 2]
        hit[span, ix] = True
    elif kind == "labels":
        x[span] = x[span][:, layout.flip_index]
        hit[span] = True
    else:  # a real turn: the truth turns too, and the input is the truth's plus noise
        angles = np.clip((np.arange(len(clean)) - t0 + 1) / length, 0, 1) * np.pi  # (T,)
        turn = Rotation.from_rotvec(angles[:, None] * np.array([0.0, 1.0, 0.0])).as_matrix()  # about y, up
        root = root_position(clean, layout)
        truth = np.einsum("tij,tkj->tki", turn, clean - root) + root
        x = truth + rng.normal(0, 8.0, clean.shape)
        hit[t0:] = True
    return x, truth, hit


def _spans(frames: int, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """The ``--ends`` errors of a clip of ``frames``: (name, (T,) bool frames mirrored)."""
    out = []
    for length in (5, 10, 20, 40, 60):
        for start in (frames // 3, int(rng.integers(1, frames - length - 1))):
            out.append((f"{length} frames", np.isin(np.arange(frames), np.arange(start, start + length))))
    for length in (10, 30):
        out.append((f"{length} frames from the start", np.arange(frames) < length))
        out.append((f"{length} frames to the end", np.arange(frames) >= frames - length))
    two = np.isin(np.arange(frames), np.r_[frames // 5:frames // 5 + 15, frames // 2:frames // 2 + 30])
    return out + [("twice, 15 and 30 frames", two)]


def ends(clips: list[np.ndarray]) -> None:
    """Print the ``--ends`` table: frames read flipped where none is, and flipped frames missed."""
    layout = get_layout(LAYOUT)
    print("| error | noise (mm) | clips | frames flipped | read where none (clips) | missed |")
    print("|---|---:|---:|---:|---:|---:|")
    total = np.zeros(5, int)
    for noise in (8.0, 14.0, 20.0):
        rng, rows = np.random.default_rng(int(noise)), {}
        for clean in clips:
            noisy = clean + rng.normal(0, noise, clean.shape)
            for name, mirrored in _spans(len(clean), rng):
                x = noisy.copy()
                x[mirrored, :, 2] = 2 * root_position(noisy, layout)[mirrored, :, 2] - noisy[mirrored, :, 2]
                found = flips.depth_flips(x, layout)
                wrong = int((found & ~mirrored).sum())
                row = [1, int(mirrored.sum()), wrong, int(wrong > 0), int((mirrored & ~found).sum())]
                rows[name] = [a + b for a, b in zip(rows.get(name, [0] * 5), row)]
        for name, (n, flipped, wrong, clips_wrong, missed) in rows.items():
            print(f"| {name} | {noise:.0f} | {n} | {flipped} | {wrong} ({clips_wrong}) | {missed} |", flush=True)
            total += [n, flipped, wrong, clips_wrong, missed]
    print(f"| all | | {total[0]} | {total[1]} | {total[2]} ({total[3]}) | {total[4]} |")


def streams(clips: list[np.ndarray]) -> None:
    """Print the ``--stream`` table: input and the stream's output, hit / rest."""
    model = synsp.load_model("synsp-h36m17")
    print("| error | input | SynSP stream |\n|---|---|---|")
    for length in (10, 20, 40, 0):
        rng, figures = np.random.default_rng(length), {"input": [], "stream": []}
        for clean in clips:
            if length:
                x, truth, hit = corrupted(clean, "body", length, rng)
            else:
                x, truth, hit = clean + rng.normal(0, 8.0, clean.shape), clean, np.zeros(clean.shape[:2], bool)
                hit[len(clean) // 3:len(clean) // 3 + 20] = True
            out = synsp.StreamingRefiner(model, mm_per_unit=1.0).refine_all(x.astype(np.float32))
            figures["input"].append(errors(x, truth, hit))
            figures["stream"].append(errors(out.astype(np.float64), truth, hit))
        cells = [f"{np.mean([h for h, _ in v]):.2f} / {np.mean([r for _, r in v]):.2f}" for v in figures.values()]
        name = f"whole body {length} frames" if length else "none"
        print(f"| {name} | {' | '.join(cells)} |", flush=True)


def _exchanged(x: np.ndarray, flip: np.ndarray) -> np.ndarray:
    """``x`` (T, J, 3) with every left/right label exchanged for 30 frames from a third (benchmarks/body_flips.py)."""
    x, t0 = x.copy(), len(x) // 3
    x[t0:t0 + 30] = x[t0:t0 + 30][:, flip]
    return x


def errors(out: np.ndarray, truth: np.ndarray, hit: np.ndarray) -> tuple[float, float]:
    """Root-relative per-joint error (mm) over the hit values and the rest."""
    layout = get_layout(LAYOUT)
    e = np.linalg.norm((out - root_position(out, layout)) - (truth - root_position(truth, layout)), axis=-1)
    return float(e[hit].mean()), float(e[~hit].mean())


def refined(x: np.ndarray, method: str, step: bool) -> np.ndarray:
    """``x`` refined by ``method`` at 30 fps, with the depth-flip step on or off."""
    kept = flips.FLIP_R
    flips.FLIP_R = kept if step else -np.inf
    try:
        return synsp.refine(x.astype(np.float32), method, layout=LAYOUT, fps=30).astype(np.float64)
    finally:
        flips.FLIP_R = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=12)
    parser.add_argument("--found", action="store_true", help="frames read as flipped in the protocol's presets")
    parser.add_argument("--ends", action="store_true", help="frames read as flipped: flips of many lengths and noises")
    parser.add_argument("--stream", action="store_true", help="the whole body mirrored, through a stream")
    args = parser.parse_args()
    layout = get_layout(LAYOUT)
    if args.found:
        print("| preset | clips | frames | frames read as flipped |\n|---|---:|---:|---:|")
        rng, inputs = np.random.default_rng(0), {}
        for preset in ("typical", "hard", "jitter", "clean-ish", "synthetic", "none"):
            inputs[preset] = [c.noisy for c in make_cases(args.split, preset, layout=LAYOUT, space="3d")]
        plain = inputs["none"]
        inputs["clean 2x / 3x fast"] = [c[::k] for c in plain for k in (2, 3)]
        inputs["white noise 20 mm, 2x fast"] = [c[::2] + rng.normal(0, 20.0, c[::2].shape) for c in plain]
        inputs["jitter, every label exchanged for 1 s"] = [_exchanged(c, layout.flip_index) for c in inputs["jitter"]]
        for name, poses in inputs.items():
            found = sum(int(flips.depth_flips(x, layout).sum()) for x in poses)
            print(f"| {name} | {len(poses)} | {sum(len(x) for x in poses)} | {found} |", flush=True)
        return
    clips = [c.clean for c in make_cases(args.split, "none", layout=LAYOUT, space="3d") if len(c.clean) >= 90]
    clips = clips[:args.max_clips] if args.max_clips else clips
    if args.ends:
        return ends(clips)
    if args.stream:
        return streams(clips)
    print(f"{len(clips)} clips of the {args.split} split, 8 mm white noise; hit / rest, root-relative mm\n")
    print("| error | input | SynSP | SynSP without the step | SmoothNet | frames read flipped / touched |")
    print("|---|---|---|---|---|---|")
    rows = [("body", n) for n in (5, 10, 20, 40)] + [("arm", 20), ("labels", 30)] + [("turn", n) for n in (10, 20, 30)]
    for kind, length in rows:
        rng = np.random.default_rng(length)
        figures, found, touched = {k: [] for k in ("input", "synsp", "off", "smoothnet")}, 0, 0
        for clean in clips:
            x, truth, hit = corrupted(clean, kind, length, rng)
            outs = {"input": x, "synsp": refined(x, "synsp", True), "off": refined(x, "synsp", False),
                    "smoothnet": refined(x, "smoothnet", True)}
            for name, out in outs.items():
                figures[name].append(errors(out, truth, hit))
            found += int(flips.depth_flips(x, layout).sum())
            touched += length if kind in ("body", "arm") else 0
        cells = [f"{np.mean([h for h, _ in v]):.2f} / {np.mean([r for _, r in v]):.2f}" for v in figures.values()]
        name = {"body": "whole body", "arm": "right arm", "labels": "every label exchanged",
                "turn": "real turn of 180 degrees over"}[kind]
        print(f"| {name} {length} frames | {' | '.join(cells)} | {found} / {touched} |", flush=True)


if __name__ == "__main__":
    main()
