"""Why SynSP's refinement stage gives no gain over its branches in 3D: measurements.

On the VALIDATION split (``typical``, network output only: no joint-convention pull, no bone
lengths), for a SynSP checkpoint (default: the shipped ``synsp-h36m17``):

1. scores of PB, AB and the final output;
2. does the final output collapse onto one branch? Least-squares ``final ~ a PB + (1 - a) AB``
   and the share of ``final - AB`` that this mix does not explain;
3. does the refinement stage read the quality cue? The final output with the cue replaced by
   its per-window mean (no per-frame information) and by 0 (no cue);
4. is the cue informative? Pearson r, per frame and joint, of the disagreement ||PB - AB||
   with the input's true error, with the AB output's remaining error, and with the input's
   own |acceleration| (what the network can see without any cue).

Run::

    .venv/bin/python benchmarks/refinement_stage.py [--checkpoint synsp-h36m17] [--max-clips 0]
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import load_model
from synsp.metrics import acceleration
from synsp.skeleton import get_layout, root_position


@contextmanager
def quality_cue(model: torch.nn.Module, mode: str):
    """Replace the quality tokens the refinement stage reads: "mean" over the window, "zero"."""
    original = model.quality.forward

    def replaced(p, a):
        quality, similarity = original(p, a)
        if mode == "zero":
            quality = torch.zeros_like(quality)
        else:  # every token of a window gets the window's mean quality (V = 1: no per-frame cue)
            quality = quality.mean(dim=-1, keepdim=True).expand_as(quality)
        return quality, similarity

    model.quality.forward = replaced
    try:
        yield
    finally:
        model.quality.forward = original


def r(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    return float(np.corrcoef(np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b]))[0, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default="synsp-h36m17")
    parser.add_argument("--max-clips", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    cases = make_cases("val", "typical", max_clips=args.max_clips)
    refiner = load_model(args.checkpoint, "cpu")
    refiner.keep_convention, refiner.bone_strength = False, 0.0
    layout = get_layout("h36m17")
    weights = [c.clean.shape[0] for c in cases]
    outs = [refiner.refine_branches(c.noisy) for c in cases]

    def mean_score(seqs: list[np.ndarray]) -> str:
        s = [score(x, c.clean, layout="h36m17", space="3d") for x, c in zip(seqs, cases)]
        metrics = ("MPJPE", "PA-MPJPE", "Accel")
        return " / ".join(f"{np.average([v[k] for v in s], weights=weights):.2f}" for k in metrics)

    print(f"`{args.checkpoint}`, validation split, `typical`, {len(cases)} clips; MPJPE / PA-MPJPE / Accel (mm)\n")
    print(f"- input: {mean_score([c.noisy for c in cases])}")
    for name in ("position", "acceleration", "final"):
        print(f"- {name}: {mean_score([o[name] for o in outs])}")

    # 2. collapse: final - AB = a (PB - AB) + rest
    gap = np.concatenate([(o["position"] - o["acceleration"]).ravel() for o in outs])
    move = np.concatenate([(o["final"] - o["acceleration"]).ravel() for o in outs])
    a = float(gap @ move / (gap @ gap))
    rest = np.linalg.norm(move - a * gap) / np.linalg.norm(move)
    dist = {k: np.mean([np.linalg.norm(o["final"] - o[k], axis=-1).mean() for o in outs])
            for k in ("position", "acceleration")}
    pb_ab = np.mean([np.linalg.norm(o["position"] - o["acceleration"], axis=-1).mean() for o in outs])
    print(f"\nfinal ~ {a:.3f} PB + {1 - a:.3f} AB; unexplained share of ||final - AB||: {rest:.3f}; "
          f"mean distance final-PB {dist['position']:.2f} mm, final-AB {dist['acceleration']:.2f} mm, "
          f"PB-AB {pb_ab:.2f} mm")

    # 3. the cue replaced
    for mode in ("mean", "zero"):
        with quality_cue(refiner.model, mode):
            finals = [refiner.refine_branches(c.noisy)["final"] for c in cases]
        moved = np.mean([np.linalg.norm(f - o["final"], axis=-1).mean() for f, o in zip(finals, outs)])
        print("- final with the quality cue set to its window mean" if mode == "mean" else
              "- final with the quality cue removed (0)", end="")
        print(f": {mean_score(finals)}; moved {moved:.3f} mm from the real final")

    # 4. what the disagreement tracks
    def rel(seq: np.ndarray) -> np.ndarray:
        return seq - root_position(seq, layout)

    disagree = [np.linalg.norm(o["position"] - o["acceleration"], axis=-1)[1:-1] for o in outs]
    err_in = [np.linalg.norm(rel(c.noisy) - c.clean, axis=-1)[1:-1] for c in cases]
    err_ab = [np.linalg.norm(rel(o["acceleration"]) - c.clean, axis=-1)[1:-1] for o, c in zip(outs, cases)]
    jerk = [acceleration(c.noisy) for c in cases]  # (T - 2, J): frames 1..T-2
    print(f"\nPearson r of ||PB - AB|| with: the input's error {r(disagree, err_in):.3f}; "
          f"AB's remaining error {r(disagree, err_ab):.3f}; the input's |acceleration| {r(disagree, jerk):.3f}")


if __name__ == "__main__":
    main()
