"""2D slow drift seen at a coarser time scale: a multi-scale pass tried on the 2D default (not shipped; RESULTS
section 9, "Tried: 2D slow drift seen at a coarser time scale").

On the VALIDATION split (choices only), shipped ``synsp-coco17``, for each joint convention: MPJPE x input
under ``typical`` and under ``jitter`` only, and px the clean input is moved. The network sees 8 frames, so
the simulator's drift (0.5-3 s) looks like a pose to it. Here the output of a first stage (``default``: the
2D default; ``raw``: the network alone with mirrored windows; or any gap2d variant) is low-passed below the
coarse scale's Nyquist rate, cut into its ``k`` phases of every ``k``-th frame (the network then sees
``8 k`` frames), each coarse sequence refined by the same network (``COARSE`` below; pace-following off, so
that it is not resampled back), the coarse correction interpolated back to every frame, the ``k`` phases
averaged, and only its part below ``slow`` Hz added with a weight ``w`` (the fine scale stays the first
stage's). ``sym``: the symmetric
part of that correction's constant pull undone (:func:`synsp.conventions.constant_pull`), so that the user's
joint definitions stay theirs.

A variant is ``STAGE:COARSE:k:w:slow[:sym][:rep][:paceX]``, e.g. ``default:bare:2:1:1.5:rep``. ``COARSE``:
``bare``, the network with no step around it (mirrored windows, stride 2, tapered merge), or ``raw``, gap2d's
``raw+mirror`` (the refiner's other steps kept: the clean-input step, motion given back, ...). ``rep``: less
the network's correction of its own coarse output (what it does to the coarse motion alone, clean or not).
``paceX``: ``k`` lowered per clip until the coarse motion's pace is at most X x ``synsp.motion_pace.PACE``
(no coarse pass below 2). ``gateA_B``: the result blended back to the default's output by clip, the whole of it
where the log of the default's own correction below 2 Hz (body sizes; choice2d_fit's feature) is over B, none
under A.
The table's "varying part" is the mean joint error under ``typical`` once each clip's constant error (its
per-joint median over frames) is taken out: what drift removal would lower. ``--oracle HZ`` prints, for the
first stage, MPJPE x input with its error's varying part below HZ removed (a perfect slow correction).

Run (about 3 min per variant and convention on 65 clips, one thread, the other core busy)::

    .venv/bin/python benchmarks/drift_scale.py --conventions mocap smpl-pelvis body25 \\
        --variants default:bare:2:1:1.5:rep default:bare:2:1:1.5:rep:sym
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from gap2d import LAYOUT, build, mean_mpjpe
from synsp.conventions import constant_pull
from synsp.evaluation.protocol import make_cases
from synsp.filters import butterworth
from synsp.inference.checkpoint import load_model
from synsp.inference.floor import slow_part
from synsp.inference.refiner import Refiner
from synsp.motion_pace import PACE, motion_pace
from synsp.sequence import body_sizes

FPS = 30.0  # the simulated clips' rate
PRESETS = ("typical", "jitter", "none")


def coarse_model(name: str) -> Refiner:
    """The refiner of the coarse sequences: ``raw`` (network alone, mirrored windows) or ``default``;
    pace-following off (a coarse sequence's motion is fast on purpose)."""
    if name == "bare":  # the network alone, no step around it (no clean-input step either), mirrored windows
        model = load_model("synsp-coco17", network_only=True, stride=2, taper=True)
        model.mirror_windows = True
        return model
    model = build("raw+mirror" if name == "raw" else "default")[0]
    model.follow_pace = False
    return model


def upsample(values: np.ndarray, times: np.ndarray, length: int) -> np.ndarray:
    """(n, J, C) ``values`` at frame ``times`` (n,) linearly interpolated onto frames 0..length-1 (ends held)."""
    flat = values.reshape(len(values), -1)
    grid = np.arange(length, dtype=np.float64)
    return np.stack([np.interp(grid, times, flat[:, i]) for i in range(flat.shape[1])], axis=1).reshape(
        (length,) + values.shape[1:])


def coarse_correction(poses: np.ndarray, model: Refiner, k: int, slow_hz: float, symmetric: bool,
                      repeat: bool = False, pace: float = 0.0) -> np.ndarray:
    """(T, J, 2) slow correction of ``poses`` (T, J, 2 px) read at ``k`` frames per step (module docstring);
    ``repeat``: less the network's correction of its own coarse output (its pull on motion alone); ``pace`` > 0:
    ``k`` lowered for this clip until the coarse motion's pace is at most ``pace`` x :data:`motion_pace.PACE`
    (none at 1: the clip's motion is too fast to be seen coarser)."""
    length = len(poses)
    if pace:
        k = min(k, int(pace * PACE / max(motion_pace(poses), 1e-9)))
        if k < 2:
            return np.zeros_like(poses, dtype=np.float64)
    smooth = butterworth(poses.astype(np.float64), cutoff=0.8 * FPS / (2 * k), order=4, fps=FPS)
    total = np.zeros_like(smooth)
    for phase in range(k):
        coarse = smooth[phase::k]
        if len(coarse) < 2:
            continue
        refined = model.refine(coarse.astype(np.float32)).astype(np.float64)
        change = refined - coarse
        if repeat:
            change -= model.refine(refined.astype(np.float32)).astype(np.float64) - refined
        total += upsample(change, np.arange(phase, length, k, dtype=np.float64), length)
    total /= k
    if symmetric:  # the symmetric part of its constant pull undone: joint definitions stay the user's
        total -= constant_pull(smooth, smooth + total, LAYOUT, symmetric=True)
    return butterworth(total, cutoff=slow_hz, order=4, fps=FPS) if slow_hz else total


def pace_of(options: list[str]) -> float:
    """The ``paceX`` option's X (0: none)."""
    return next((float(o[4:]) for o in options if o.startswith("pace")), 0.0)


def slow_log(inputs: np.ndarray, default: np.ndarray) -> float:
    """The log of the RMS of the default's correction below 2 Hz, in body sizes (choice2d_fit's feature)."""
    x = np.asarray(inputs, np.float64)
    slow = np.linalg.norm(slow_part(default - x), axis=-1)
    return float(np.log(np.sqrt(np.mean(slow ** 2)) / np.median(body_sizes(x))))


def varying(error: np.ndarray) -> np.ndarray:
    """(T, J, C) ``error`` less its per-joint median over frames (its constant part)."""
    return error - np.nanmedian(error, axis=0, keepdims=True)


def varying_error(outputs: list[np.ndarray], cases) -> float:
    """Frame-weighted mean joint error (px) of ``outputs`` once each clip's constant error is taken out."""
    errors = [np.nanmean(np.linalg.norm(varying(out - c.clean), axis=-1)) for out, c in zip(outputs, cases)]
    return float(np.average(errors, weights=[len(c.clean) for c in cases]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N validation clips (0 = all 65)")
    parser.add_argument("--conventions", nargs="+", default=["mocap", "smpl-pelvis", "body25"])
    parser.add_argument("--variants", nargs="+", default=["default:raw:4:1:1.5", "default:raw:4:1:1.5:sym"])
    parser.add_argument("--oracle", type=float, default=0.0, help="Hz: the first stages' error below it removed")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("| convention | variant | `typical` (x input) | its varying part (px) | `jitter` (x input) | "
          "clean moved (px) |")
    print("|---|---|---:|---:|---:|---:|")
    models: dict[str, Refiner] = {}
    for convention in args.conventions:
        sets = {preset: make_cases("val", preset, layout=LAYOUT, space="2d", max_clips=args.max_clips,
                                   convention=convention) for preset in PRESETS}
        inputs = {preset: mean_mpjpe(lambda x: x, sets[preset]) for preset in PRESETS[:2]}
        print(f"| {convention} | input | 1 ({inputs['typical']:.2f} px) | "
              f"{varying_error([c.noisy for c in sets['typical']], sets['typical']):.2f} | "
              f"1 ({inputs['jitter']:.2f} px) | 0 |", flush=True)
        firsts: dict[str, dict[str, list[np.ndarray]]] = {}
        for stage in sorted({v.split(":")[0] for v in args.variants}):
            model = build("raw+mirror" if stage == "raw" else stage)[0]  # or a gap2d variant
            firsts[stage] = {p: [model.refine(c.noisy).astype(np.float64) for c in sets[p]] for p in PRESETS}
            table = {p: iter(firsts[stage][p]) for p in PRESETS}
            figures = [mean_mpjpe(lambda x, p=p: next(table[p]), sets[p]) for p in PRESETS]
            print(f"| {convention} | {stage} | {figures[0] / inputs['typical']:.3f} | "
                  f"{varying_error(firsts[stage]['typical'], sets['typical']):.2f} | "
                  f"{figures[1] / inputs['jitter']:.3f} | {figures[2]:.2f} |", flush=True)
            if args.oracle:
                for p in PRESETS[:2]:
                    fixed = iter([out - butterworth(varying(out - c.clean), cutoff=args.oracle, order=4, fps=FPS)
                                  for out, c in zip(firsts[stage][p], sets[p])])
                    print(f"|   oracle {stage} {p} below {args.oracle} Hz: "
                          f"{mean_mpjpe(lambda x: next(fixed), sets[p]) / inputs[p]:.3f}")
        for variant in args.variants:
            stage, coarse, k, weight, slow, *rest = variant.split(":")
            model = models.setdefault(coarse, coarse_model(coarse))
            figures, typical = [], []
            for p in PRESETS:
                outs = [out + float(weight) * coarse_correction(out, model, int(k), float(slow), "sym" in rest,
                                                              "rep" in rest, pace_of(rest))
                        for out in firsts[stage][p]]
                gate = next((o[4:] for o in rest if o.startswith("gate")), None)
                if gate is not None:  # the default's output kept where its own slow correction is small
                    low, high = (float(v) for v in gate.split("_"))
                    if "default" not in firsts:
                        model_d = build("default")[0]
                        firsts["default"] = {q: [model_d.refine(c.noisy).astype(np.float64) for c in sets[q]]
                                             for q in PRESETS}
                    shares = [np.clip((slow_log(c.noisy, d) - low) / (high - low), 0.0, 1.0)
                              for c, d in zip(sets[p], firsts["default"][p])]
                    outs = [d + g * (o - d) for o, d, g in zip(outs, firsts["default"][p], shares)]
                typical = typical or outs
                ordered = iter(outs)
                figures.append(mean_mpjpe(lambda x: next(ordered), sets[p]))
            print(f"| {convention} | {variant} | {figures[0] / inputs['typical']:.3f} | "
                  f"{varying_error(typical, sets['typical']):.2f} | {figures[1] / inputs['jitter']:.3f} | "
                  f"{figures[2]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
