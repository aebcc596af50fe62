"""Figures behind docs/deviations.md that need no training: the shipped 3D model taken apart.

- ``spectral_gain`` zeroed (the heads alone) and the heads zeroed (the gain path alone): where
  the shipped model's smoothing comes from;
- Accel averaged over the T - 2 frames that have one (ours) vs over T frames with a zero at
  each end (the authors' ``calculate_accel_error``);
- parameter counts of the default and the official variant.

Network outputs only (the refiner's joint-convention pull and bone lengths off), VALIDATION
split, ``typical`` preset, root-relative mm. Run::

    .venv/bin/python benchmarks/deviations.py
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import load_model
from synsp.metrics import accel_error
from synsp.model.synsp import OutputHead, SynSP, SynSPConfig
from synsp.skeleton import get_layout, root_position


def scores(refine, cases) -> dict[str, float]:
    weights = [c.clean.shape[0] for c in cases]
    per = [score(refine(c.noisy), c.clean, layout="h36m17", space="3d") for c in cases]
    return {k: float(np.average([s[k] for s in per], weights=weights)) for k in per[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="synsp-h36m17")
    parser.add_argument("--split", default="val", choices=["val", "test"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    cases = make_cases(args.split, "typical")
    refiner = load_model(args.model, "cpu")
    refiner.keep_convention, refiner.bone_strength = False, 0.0
    model = refiner.model
    rows = {"input": scores(lambda x: x, cases), f"{args.model}": scores(refiner.refine, cases)}
    saved = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        model.spectral_gain.zero_()
    rows["spectral_gain = 0 (heads alone)"] = scores(refiner.refine, cases)
    model.load_state_dict(saved)
    with torch.no_grad():
        for head in (m for m in model.modules() if isinstance(m, OutputHead)):
            head.fc_out.weight.zero_()
            head.fc_out.bias.zero_()
    rows["heads = 0 (spectral_gain alone)"] = scores(refiner.refine, cases)
    model.load_state_dict(saved)

    print(f"Split `{args.split}`, preset `typical`, {len(cases)} clips; network output only.\n")
    print("| output | MPJPE | PA-MPJPE | Accel |\n|---|---:|---:|---:|")
    for name, m in rows.items():
        print(f"| {name} | {m['MPJPE']:.2f} | {m['PA-MPJPE']:.2f} | {m['Accel']:.2f} |")

    layout = get_layout("h36m17")
    ours, theirs, weights = [], [], []
    for case in cases:
        pred = refiner.refine(case.noisy)
        pred = pred - root_position(pred, layout)
        t = len(pred)
        ours.append(accel_error(pred, case.clean))
        theirs.append(ours[-1] * (t - 2) / t)  # the same sum over T frames, two of them zeros
        weights.append(t)
    o, t_ = np.average(ours, weights=weights), np.average(theirs, weights=weights)
    print(f"\nAccel of {args.model}: {o:.3f} over T - 2 frames (ours), {t_:.3f} over zero-padded T "
          f"(official), ratio {t_ / o:.4f}; clips of {min(weights)}-{max(weights)} frames")

    def count(c: SynSPConfig) -> int:
        return sum(p.numel() for p in SynSP(c).parameters())

    default, official = count(SynSPConfig()), count(SynSPConfig(variant="official"))
    no_gain = count(SynSPConfig(spectral_gain=False))
    print(f"\nparameters: default {default:,}; without spectral_gain {no_gain:,} (gain {default - no_gain:,}); "
          f"official variant {official:,} (difference {default - official:,})")


if __name__ == "__main__":
    main()
