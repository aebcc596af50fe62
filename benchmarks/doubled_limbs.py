"""One limb read twice: the hidden leg (or arm) put on the visible one, and real legs crossing or standing together.

The first ``--clips`` validation clips under the ``jitter`` preset (coco17 2D px, or h36m17 3D mm). For each, from
frame T/3 the left knee and ankle (``arm``: elbow and wrist) are set on the right ones plus white noise (1 px, 5 mm)
for 4, 8 and 15 frames: a copy (``synsp.estimator_errors.doubled_limbs``). Two controls that must not fire: a
crossing (the left joints set on the right ones plus an offset of 0.1 body sizes that turns to its opposite over
``--cross`` frames, the distance passing through ~0 in a smooth motion, over the whole clip) and legs standing
together (the left joints brought to 0.03 body sizes beside the right ones over 10 frames, held 15, and back over
10: close but not equal, no jump). Prints per case: the share of the copied (or control's) values the step takes
out in the measurements, the values it takes out elsewhere, and the error (px or mm) on the copied joints over
the run's frames: the input, SynSP with the step, SynSP with the step off, and SynSP with the copies given as gaps
(NaN); the controls' against their own values (how far the refinement moved them).

``--more``: cases the step first left alone (a second noise stream, so the cases above stay as they were): a copy
of 15 frames at the clip's first frames (``start``) and at its last (``end``); a copy of 8 and 15 frames that begins
5 frames into a stance (``stance``: the left joints brought to 0.03 body sizes beside the right ones over 10 frames
from T/3, held 15, back over 10; the copy from T/3 + 15, its truth the stance); and four more controls: legs
standing together the whole clip (``together``, 0.01 body sizes apart), a side view's walk (``side walk``: the left
joints on the right ones plus 0.1 body sizes x sin(2 pi t / 30 frames), passing each other every 15 frames), and
feet together at the clip's start or end (``feet start``, ``feet end``: 0.01 body sizes apart for 15 frames, parting
or meeting over 10).

``--guard``: the step's values taken out of every validation clip (65) as they are, under `clean-ish`, `typical`,
`jitter` and `hard`, 2D coco17 and 3D h36m17 (no copy made: each is a false alarm or a copy of the preset's own).

Run::

    .venv/bin/python benchmarks/doubled_limbs.py [--space 3d] [--clips 12] [--limb arm] [--cross 3] [--more]
    .venv/bin/python benchmarks/doubled_limbs.py --guard
    .venv/bin/python benchmarks/doubled_limbs.py --clips 10 --write double.npy  # the 10th clip, copied 15 frames
    .venv/bin/python -m synsp refine double.npy out.npy --layout coco17 --fps 30
    .venv/bin/python benchmarks/doubled_limbs.py --clips 10 --score out.npy
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
import synsp.estimator_errors.measurements as measuring
from synsp.estimator_errors.doubled_limbs import doubled_limbs
from synsp.evaluation.protocol import make_cases
from synsp.sequence import body_size
from synsp.skeleton import Layout
from synsp.skeleton.layouts import get_layout

# (left joints, right joints) per layout and limb: knee+ankle, elbow+wrist
LIMBS = {"coco17": {"leg": ([13, 15], [14, 16]), "arm": ([7, 9], [8, 10])},
         "h36m17": {"leg": ([5, 6], [2, 3]), "arm": ([12, 13], [15, 16])}}


def copied(noisy: np.ndarray, left: list[int], right: list[int], length: int, spread: float,
           rng: np.random.Generator) -> tuple[np.ndarray, slice]:
    """``noisy`` (T, J, C) with ``left`` on ``right`` (+ white noise ``spread``) for ``length`` frames from T/3."""
    x, run = noisy.copy(), slice(len(noisy) // 3, len(noisy) // 3 + length)
    x[run, left] = x[run, right] + rng.normal(0, spread, x[run, right].shape)
    return x, run


def crossing(noisy: np.ndarray, left: list[int], right: list[int], frames: int, spread: float,
             rng: np.random.Generator) -> tuple[np.ndarray, slice]:
    """``left`` on ``right`` + an offset of 0.1 body sizes turning to its opposite over ``frames`` frames at T/3."""
    x, t0, size = noisy.copy(), len(noisy) // 3, body_size(noisy)
    ramp = np.clip((np.arange(len(x)) - t0) / (frames / 2), -1, 1)  # (T,): -1 .. 1, through 0 at t0
    way = np.zeros(x.shape[-1])
    way[0] = 0.1 * size
    x[:, left] = x[:, right] + ramp[:, None, None] * way + rng.normal(0, spread, x[:, right].shape)
    return x, slice(t0 - frames // 2, t0 + frames // 2 + 1)


def standing(noisy: np.ndarray, left: list[int], right: list[int], spread: float,
             rng: np.random.Generator) -> tuple[np.ndarray, slice]:
    """``left`` brought to 0.03 body sizes beside ``right`` over 10 frames from T/3, held 15, taken back over 10."""
    x, t0, size = noisy.copy(), len(noisy) // 3, body_size(noisy)
    weight = np.zeros(len(x))
    weight[t0: t0 + 10] = 0.5 - 0.5 * np.cos(np.pi * np.arange(10) / 10)
    weight[t0 + 10: t0 + 25] = 1.0
    weight[t0 + 25: t0 + 35] = 0.5 + 0.5 * np.cos(np.pi * np.arange(10) / 10)
    beside = x[:, right] + 0.03 * size * np.eye(x.shape[-1])[0] + rng.normal(0, spread, x[:, right].shape)
    x[:, left] = (1 - weight[:, None, None]) * x[:, left] + weight[:, None, None] * beside
    return x, slice(t0 + 10, t0 + 25)


def beside(noisy: np.ndarray, left: list[int], right: list[int], weight: np.ndarray, gap: float, spread: float,
           rng: np.random.Generator) -> np.ndarray:
    """``noisy`` (T, J, C) with ``left`` moved by ``weight`` (T,: 0 .. 1) to ``gap`` body sizes beside ``right``."""
    x, size = noisy.copy(), body_size(noisy)
    near = x[:, right] + gap * size * np.eye(x.shape[-1])[0] + rng.normal(0, spread, x[:, right].shape)
    x[:, left] = (1 - weight[:, None, None]) * x[:, left] + weight[:, None, None] * near
    return x


def more_cases(noisy: np.ndarray, left: list[int], right: list[int], spread: float,
               rng: np.random.Generator) -> dict[str, tuple[np.ndarray, slice, np.ndarray]]:
    """``--more``'s cases (module docstring): label -> (poses (T, J, C), the frames to score, their truth)."""
    t_count, t0, frames = len(noisy), len(noisy) // 3, np.arange(len(noisy))

    def copy(x: np.ndarray, run: slice) -> tuple[np.ndarray, slice, np.ndarray]:
        y = x.copy()
        y[run, left] = y[run, right] + rng.normal(0, spread, y[run, right].shape)
        return y, run, x

    stance = beside(noisy, left, right, np.interp(frames, [t0, t0 + 10, t0 + 25, t0 + 35], [0, 1, 1, 0]), 0.03,
                    spread, rng)
    made = {"start 15": copy(noisy, slice(0, 15)), "end 15": copy(noisy, slice(t_count - 15, t_count)),
            "stance 8": copy(stance, slice(t0 + 15, t0 + 23)), "stance 15": copy(stance, slice(t0 + 15, t0 + 30))}
    way = np.eye(noisy.shape[-1])[0] * 0.1 * body_size(noisy)
    walk = noisy.copy()
    walk[:, left] = (walk[:, right] + np.sin(2 * np.pi * frames / 30)[:, None, None] * way
                     + rng.normal(0, spread, walk[:, right].shape))
    weights = {"together": np.ones(t_count), "feet start": np.interp(frames, [0, 15, 25], [1, 1, 0]),
               "feet end": np.interp(frames, [t_count - 26, t_count - 16, t_count - 1], [0, 1, 1])}
    controls = {label: beside(noisy, left, right, w, 0.01, spread, rng) for label, w in weights.items()}
    controls["side walk"] = walk
    return made | {label: (x, slice(0, t_count), x) for label, x in controls.items()}


def taken_out(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """(T, J) bool: the values of ``poses`` (T, J, C) the step takes out within the measurements."""
    found: list[np.ndarray] = []
    measuring.doubled_limbs = lambda *given: found.append(doubled_limbs(*given)) or found[-1]
    try:
        measuring.measure(poses, layout)
    finally:
        measuring.doubled_limbs = doubled_limbs
    return found[-1]


def refined(poses: np.ndarray, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """SynSP's refinement of ``poses`` (T, J, C) with the step, and with it off (the code before)."""
    with_step = synsp.refine(poses, fps=30, layout=layout)
    measuring.doubled_limbs = lambda values, *_: np.zeros(values.shape[:2], dtype=bool)
    try:
        return with_step, synsp.refine(poses, fps=30, layout=layout)
    finally:
        measuring.doubled_limbs = doubled_limbs


def guard(checked: int = 2) -> None:
    """Print, per space and preset, the validation clips (and values) the step takes out as they are, and how many
    outputs of the first ``checked`` clips are bit-identical with the step off."""
    for space, name in (("2d", "coco17"), ("3d", "h36m17")):
        for preset in ("clean-ish", "typical", "jitter", "hard"):
            fired, same = [], 0
            for k, case in enumerate(make_cases("val", preset, layout=name, space=space)):
                noisy = np.asarray(case.noisy, np.float64)
                taken = taken_out(noisy, get_layout(name))
                if taken.any():  # the clip's error (px or mm) refined with the step, and with it off
                    errors = [np.linalg.norm(y - case.clean, axis=-1).mean() for y in refined(noisy, name)]
                    fired.append(f"{case.name} ({int(taken.sum())} values; SynSP %.3f, step off %.3f)" % tuple(errors))
                elif k < checked:  # the first clips' outputs, bit for bit, with the step and without it
                    same += np.array_equal(*refined(noisy, name))
            print(f"{space} {preset}: {len(fired)} clips: {', '.join(fired) or '-'}; {same} of the first {checked} "
                  "clips' outputs bit-identical with the step off", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--limb", choices=("leg", "arm"), default="leg")
    parser.add_argument("--cross", type=int, default=6, help="frames a crossing takes from 0.1 to -0.1 body sizes")
    parser.add_argument("--more", action="store_true", help="copies at an edge and in a stance, four more controls")
    parser.add_argument("--guard", action="store_true", help="the validation clips as they are: what is taken out")
    parser.add_argument("--write", help="save the last clip's 15-frame copy (.npy) for `synsp refine`, and stop")
    parser.add_argument("--score", help="with the same --clips: the error of this refined copy (.npy), and stop")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.guard:
        guard()
        return
    name = "coco17" if args.space == "2d" else "h36m17"
    layout, (left, right) = get_layout(name), LIMBS[name][args.limb]
    spread = 1.0 if args.space == "2d" else 5.0
    rng, more = np.random.default_rng(0), np.random.default_rng(1)
    rows: dict[str, list[list[float]]] = {}
    cases = make_cases("val", "jitter", layout=name, space=args.space, max_clips=args.clips)
    if args.write or args.score:
        x, run = copied(np.asarray(cases[-1].noisy, np.float64), left, right, 15, spread, rng)
        if args.write:
            np.save(args.write, x.astype(np.float32))
        clean = np.asarray(cases[-1].clean, np.float64)[run][:, left]
        for label, y in (("input", x), ("output", np.load(args.score) if args.score else None)):
            if y is not None:
                error = np.linalg.norm(y[run][:, left] - clean, axis=-1).mean()
                print(f"{cases[-1].name}, frames {run.start}-{run.stop - 1}, left {args.limb}: {label} {error:.2f}")
        return
    for case in cases:
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        made = {f"copy {n}": copied(noisy, left, right, n, spread, rng) + (clean,) for n in (4, 8, 15)}
        made["crossing"] = crossing(noisy, left, right, args.cross, spread, rng) + (None,)
        made["standing"] = standing(noisy, left, right, spread, rng) + (None,)
        if args.more:
            made |= {label: (x, run, truth if label.split()[0] in ("start", "end", "stance") else None)
                     for label, (x, run, truth) in more_cases(noisy, left, right, spread, more).items()}
        for label, (x, run, truth) in made.items():
            taken = taken_out(x, layout)
            inside = np.zeros_like(taken)
            inside[run, left] = True
            copies = truth is not None
            truth = truth if copies else x  # the controls' own values are the truth there

            def error(y: np.ndarray) -> float:
                return float(np.linalg.norm(y[run][:, left] - truth[run][:, left], axis=-1).mean())

            with_step, without = refined(x, name)
            gap = x.copy()
            gap[run, left] = np.nan
            rows.setdefault(label, []).append([taken[inside].mean(), (taken & ~inside).sum(), error(x),
                                               error(with_step), error(without),
                                               error(synsp.refine(gap, fps=30, layout=name)) if copies else np.nan])
            print(f"{case.name:40s} {label:9s} " + " ".join(f"{v:7.2f}" for v in rows[label][-1]), flush=True)
    print(f"\n{args.space} {args.limb}, {len(cases)} val clips (jitter); controls: error against their own values")
    print(f"{'case':9s} {'taken':>6s} {'others':>6s} {'input':>7s} {'synsp':>7s} {'step off':>8s} {'as gap':>7s}")
    for label, values in rows.items():
        m = np.mean(values, axis=0)
        print(f"{label:9s} {m[0]:6.3f} {int(np.sum(values, axis=0)[1]):6d} {m[2]:7.2f} {m[3]:7.2f} {m[4]:8.2f} "
              f"{m[5]:7.2f}")


if __name__ == "__main__":
    main()
