"""A per-clip choice between the 2D default and a less conservative run: its bound (RESULTS section 9).

On the VALIDATION split (choices only), shipped ``synsp-coco17``, for each joint convention and
each error preset (``typical``, ``jitter``, ``clean-ish``, ``hard``, and ``none``: the clean poses
as input), every clip is refined by the default and by each candidate (a :mod:`gap2d` variant,
e.g. ``raw+mirror``), and the per-clip MPJPE (px) is kept. Printed, frame-weighted over the clips
(x input; for ``none``, px the clean input is moved):

- ``default`` and each candidate alone;
- ``oracle``: per clip the better of the default and the candidate (a per-clip choice can do no
  better than this);
- ``blend oracle``: per clip the best of ``w x candidate + (1 - w) x default``, ``w`` on a grid of
  ``--weights`` (0 and 1 included: at least as good as ``oracle``).

``--save`` writes the per-clip figures (an .npz), ``--save-poses`` every clip's poses (a pickle:
clean, input, each run's output) for ``choice2d_fit.py`` to fit a chooser on; ``--split train
--clip-stride K`` takes every K-th training clip, a different K-th for each preset.

Run (about 25 s per run, preset and convention on 65 clips, one thread, the other core busy)::

    .venv/bin/python benchmarks/choice2d.py --conventions mocap smpl-pelvis body25 \
        --candidates raw+mirror default+nopull default+nofloor --save-poses val.pkl
"""
from __future__ import annotations

import argparse
import pickle

import numpy as np
import torch

import synsp.evaluation.protocol as protocol
from gap2d import LAYOUT, build, pull_variant
from synsp.evaluation.protocol import make_cases, score

PRESETS = ("typical", "jitter", "clean-ish", "hard", "none")
split_names = protocol.load_split


def per_clip(split: str, preset: str, convention: str, candidates: list[str], weights: np.ndarray,
             max_clips: int, poses: dict | None = None) -> dict[str, np.ndarray]:
    """Per clip of ``split`` under ``preset``: frames, input MPJPE, the default's, and for each
    candidate its MPJPE at every blend weight (``weights``, w = 1: the candidate alone). px.
    ``poses`` (a dict, or None) is given the clips' clean, input and refined poses (T, J, 2) px."""
    cases = make_cases(split, preset, layout=LAYOUT, space="2d", max_clips=max_clips, convention=convention)
    models = {name: build(name) for name in ("default", *candidates)}
    outputs: dict[str, list[np.ndarray]] = {}
    for name, (model, pull) in models.items():
        with pull_variant(**pull):
            outputs[name] = [model.refine(c.noisy).astype(np.float64) for c in cases]

    if poses is not None:
        poses.update(clean=[c.clean for c in cases], input=[c.noisy for c in cases],
                     **{name: [o.astype(np.float32) for o in out] for name, out in outputs.items()})

    def mpjpe(pred: np.ndarray, case) -> float:
        return score(pred, case.clean, layout=LAYOUT, space="2d")["MPJPE"]

    found = {"frames": np.array([len(c.clean) for c in cases], float),
             "input": np.array([mpjpe(c.noisy, c) for c in cases]),
             "default": np.array([mpjpe(out, c) for out, c in zip(outputs["default"], cases)])}
    for name in candidates:
        found[name] = np.array([[mpjpe(w * out + (1 - w) * base, c) for w in weights]
                                for out, base, c in zip(outputs[name], outputs["default"], cases)])
    return found


def summary(found: dict[str, np.ndarray], candidates: list[str], preset: str) -> dict[str, float]:
    """Frame-weighted figures (x input; px for ``none``): default, each candidate alone, its oracle
    choice and its oracle blend."""
    frames = found["frames"]
    scale = 1.0 if preset == "none" else float(np.average(found["input"], weights=frames))

    def mean(values: np.ndarray) -> float:
        return float(np.average(values, weights=frames)) / scale

    rows = {"default": mean(found["default"])}
    for name in candidates:
        blend = found[name]
        rows[name] = mean(blend[:, -1])
        rows[f"oracle({name})"] = mean(np.minimum(found["default"], blend[:, -1]))
        rows[f"blend oracle({name})"] = mean(np.minimum(found["default"], blend.min(axis=1)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--split", default="val", help="val (choices); train to fit a chooser on (never test)")
    parser.add_argument("--conventions", nargs="+", default=["mocap", "smpl-pelvis", "body25"])
    parser.add_argument("--presets", nargs="+", default=list(PRESETS))
    parser.add_argument("--candidates", nargs="+", default=["raw+mirror", "default+nopull", "default+nofloor"])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0],
                        help="blend weights of the candidate (1 = the candidate alone; 0, the default, implied)")
    parser.add_argument("--clip-stride", type=int, default=1, help="every K-th clip of the split, from the "
                        "preset's index (K > 1: other clips for each preset, e.g. a sample of the training split)")
    parser.add_argument("--save", default="", help="an .npz to write the per-clip figures to")
    parser.add_argument("--save-poses", default="", help="a pickle to write every clip's poses to (clean, "
                        "input, each run's output), for a chooser's features")
    args = parser.parse_args()
    torch.set_num_threads(1)
    weights = np.array(sorted(set(args.weights) | {1.0}))
    every_pose: dict[str, dict] = {}
    saved: dict[str, np.ndarray] = {"weights": weights}
    print("| convention | preset | " + " | ".join(["default", *[f"{n} / oracle / blend oracle" for n in
                                                     args.candidates]]) + " |")
    print("|---|---|" + "---:|" * (1 + len(args.candidates)))
    for convention in args.conventions:
        for index, preset in enumerate(args.presets):
            start = index % args.clip_stride  # every K-th clip of the split, this preset's own share of them
            protocol.load_split = lambda name, start=start: split_names(name)[start::args.clip_stride]
            poses = every_pose.setdefault(f"{convention}/{preset}", {}) if args.save_poses else None
            found = per_clip(args.split, preset, convention, args.candidates, weights, args.max_clips, poses)
            saved.update({f"{convention}/{preset}/{k}": v for k, v in found.items()})
            rows = summary(found, args.candidates, preset)
            cells = [f"{rows['default']:.3f}"] + [f"{rows[n]:.3f} / {rows[f'oracle({n})']:.3f} / "
                                                  f"{rows[f'blend oracle({n})']:.3f}" for n in args.candidates]
            print(f"| {convention} | {preset} | " + " | ".join(cells) + " |", flush=True)
    if args.save:
        np.savez(args.save, **saved)
    if args.save_poses:
        with open(args.save_poses, "wb") as file:
            pickle.dump(every_pose, file)


if __name__ == "__main__":
    main()
