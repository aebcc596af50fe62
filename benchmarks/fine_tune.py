"""Fine-tuning the shipped 3D model on "your own clips": the README's own-clips recipe from `synsp-h36m17`.

The audit's case (audit 14, finding 2): the first 12 validation clips stand in for a user's clean clips
(``[data] own_clips``; 10 trained on, 2 validated on), one epoch of the `typical` preset from
``init_from = "synsp-h36m17"`` with the shipped model's own ``[model]``. Each learning rate is one run
(``synsp train``: its floor measured into ``best.pt`` at the end, on those training clips); the row
"no floor" is the same ``best.pt`` with its floor taken out, as ``synsp train`` wrote it before it
measured one. Scored on validation clips the runs never saw: a 240-frame walk
(``dataset-2_walk_normal_002``) with 10 mm white noise (root-relative MPJPE, mm), and the next
``--clips`` validation clips under `typical` and `jitter` (MPJPE, mm), each as ``synsp.refine`` gives it.

Run (about 4 minutes on a loaded 2-core machine)::

    .venv/bin/python benchmarks/fine_tune.py --lrs 1e-3 3e-4 1e-4 --runs out/fine_tune
"""
from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

import synsp
from synsp.config import Config
from synsp.data.mocap import load_clip, load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import evaluate, make_cases
from synsp.inference.checkpoint import load_checkpoint, model_path, save_checkpoint
from synsp.training.train import train

SHIPPED = "synsp-h36m17"
OWN = 12  # the validation clips standing in for the user's
WALK = "dataset-2_walk_normal_002"


def run_config(lr: float, clips: Path, out_dir: Path) -> Config:
    """The own-clips recipe (configs/own-clips.toml) with the shipped model's [model] and init_from."""
    model = load_checkpoint(model_path(SHIPPED))["config"]["model"]
    return Config.from_dict({
        "model": model,
        "data": {"layout": "h36m17", "space": "3d", "presets": {"typical": 1.0}, "own_clips": str(clips),
                 "own_val_share": 0.2, "own_split_seed": 0, "windows_per_epoch": 0},
        "train": {"epochs": 1, "batch_size": 128, "out_dir": str(out_dir), "init_from": SHIPPED, "lr": lr,
                  "progress": False},
    })


def root_relative_error(pred: np.ndarray, clean: np.ndarray) -> float:
    return float(np.nanmean(np.linalg.norm((pred - pred[:, :1]) - (clean - clean[:, :1]), axis=-1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lrs", type=float, nargs="+", default=[1e-3, 1e-4])
    parser.add_argument("--runs", type=Path, default=Path("out/fine_tune"))
    parser.add_argument("--clips", type=int, default=12, help="held-out validation clips scored per preset")
    args = parser.parse_args()
    names = load_split("val")
    clips = args.runs / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    for name in names[:OWN]:
        np.save(clips / f"{name}.npy", load_clip(name, "h36m17"))
    models = {SHIPPED: SHIPPED}
    for lr in args.lrs:
        best = train(run_config(lr, clips, args.runs / f"lr{lr:g}"), force=True, log=print)
        bare = best.with_name("no_floor.pt")
        payload = load_checkpoint(best)
        for key in ("correction_floor", "correction_floor_clips"):
            payload["meta"].pop(key, None)
        save_checkpoint(bare, payload)
        models[f"lr {lr:g}, no floor"] = str(bare)
        models[f"lr {lr:g}"] = str(best)
    clean = load_clip(WALK, "h36m17")[:240].astype(np.float64)
    walk = clean + np.random.default_rng(1).normal(0, 10, clean.shape)
    held_out = names[OWN:OWN + args.clips]
    held = dict(zip(held_out, load_clips(held_out, layout="h36m17")))
    rows: dict[str, dict[str, float]] = {}
    with warnings.catch_warnings():  # the "no floor" rows' warning: what they show
        warnings.simplefilter("ignore", UserWarning)
        for name, ck in models.items():
            out = np.asarray(synsp.refine(walk, checkpoint=ck, layout="h36m17", fps=30), np.float64)
            rows[name] = {"walk": root_relative_error(out, clean)}
        for preset in ("typical", "jitter"):
            cases = make_cases("val", preset, clips=held)
            fns = {name: (lambda ck: lambda p: synsp.refine(p, checkpoint=ck, layout="h36m17", fps=30))(ck)
                   for name, ck in models.items()}
            for name, metrics in evaluate(fns, cases, layout="h36m17", space="3d").items():
                rows.setdefault(name, {})[preset] = metrics["MPJPE"]
    rows["input"]["walk"] = root_relative_error(walk, clean)  # evaluate gave its presets' input row
    print(f"\nvalidation, mm: walk {WALK} 10 mm white noise (root-relative); `typical` and `jitter` on "
          f"{len(held)} validation clips after the {OWN} trained on\n")
    print("| model | walk | typical | jitter |\n|---|---:|---:|---:|")
    for name in ["input", *models]:
        r = rows[name]
        print(f"| {name} | {r['walk']:.2f} | {r['typical']:.2f} | {r['jitter']:.2f} |")


if __name__ == "__main__":
    main()
