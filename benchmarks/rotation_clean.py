"""Nearly clean rotations kept (:mod:`synsp.inference.rotation_clean`): before / after, SMPL and BVH.

Each case is refined as ``synsp refine`` refines it, with the rotation network's correction whole
(``RotationRefiner.keep_clean = False``, before) and limited to the input's noise (after): SMPL
clips (the mocap retargeted, :func:`synsp.evaluation.rotations.rotation_cases`) by ``synsp-smpl24``,
and the mocap's own 22-joint BVH tree (:func:`~synsp.evaluation.rotations.skeleton_cases`) by
SmoothNet, then the filter. Inputs: the clean motion, white rotation jitter of 0.25, 0.5, 1 and 3
degrees (per axis, independent per frame and joint), and the rotation error presets
(``synsp.data.rotation_errors.ROTATION_PRESETS``). Figures: MPJPE after forward kinematics
(root-relative, mm), and as a share of the input's (clean: how far the motion was moved).

    .venv/bin/python benchmarks/rotation_clean.py                        # val, 8 clips spread over it
    .venv/bin/python benchmarks/rotation_clean.py --split test --clips 0  # every test clip
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

import synsp.refining.motion as refining_motion
from synsp.data.rotation_errors import ROTATION_PRESETS, RotationErrorModel
from synsp.evaluation.rotations import RotationCase, rotation_cases, skeleton_cases
from synsp.inference.rotation_clean import keep_rotations_to_noise
from synsp.inference.rotation_refiner import load_rotation_model
from synsp.metrics import mpjpe

SEED = 2024
NETWORKS: dict = {}  # refine_motion's network per its arguments
WHITE = (0.25, 0.5, 1.0, 3.0)


def white(degrees: float) -> RotationErrorModel:
    """White rotation jitter of ``degrees`` per axis, nothing else."""
    return RotationErrorModel(jitter_deg=degrees, jitter_time=0.0, spike_rate=0.0, bias_deg=0.0, drift_deg=0.0,
                              flip_rate=0.0, swap_rate=0.0, freeze_rate=0.0, trans_jitter_mm=0.0, trans_drift_mm=0.0)


KINDS: dict[str, str | RotationErrorModel] = {"clean": "none", **{f"white {d:g} deg": white(d) for d in WHITE},
                                              **{name: name for name in ROTATION_PRESETS}}


def spread(cases: list[RotationCase], count: int) -> list[RotationCase]:
    """``count`` of ``cases`` spread evenly over them (0: all)."""
    if not count or count >= len(cases):
        return cases
    return [cases[i] for i in np.linspace(0, len(cases) - 1, count).round().astype(int)]


def bvh_refine(rotations: np.ndarray, case: RotationCase, keep_clean: bool) -> np.ndarray:
    """``synsp refine`` of a BVH of ``case``'s skeleton with these ``rotations`` at 30 fps, its network's
    ``keep_clean`` as given (refine_motion builds its own network: set on it as it is built)."""
    build = refining_motion._rotation_network

    def network(*args):
        if args not in NETWORKS:  # loaded once, not once a clip
            NETWORKS[args] = build(*args)
        NETWORKS[args].keep_clean = keep_clean
        return NETWORKS[args]

    refining_motion._rotation_network = network
    try:
        return refining_motion.refine_motion(replace(case.skeleton, rotations=rotations, fps=30.0))[0].rotations
    finally:
        refining_motion._rotation_network = build


def table(route: str, split: str, clips: int) -> str:
    """The before / after table of one route ("smpl" or "bvh")."""
    smpl = load_rotation_model("synsp-smpl24") if route == "smpl" else None
    rows, start = [], time.time()
    for kind, model in KINDS.items():
        # every clip's seed as the other rotation benchmarks draw it (its index in the whole split)
        make = rotation_cases if route == "smpl" else skeleton_cases
        cases = spread(make(split, model, SEED) if kind != "clean" else make(split, "none", SEED), clips)
        sums = np.zeros(3)
        for case in cases:
            if route == "smpl":
                smpl.keep_clean = False
                before = smpl.refine(case.noisy, 30.0)
                after = keep_rotations_to_noise(case.noisy, before)  # as refine's step (the root's turn aside)
            else:
                before, after = (bvh_refine(case.noisy, case, keep) for keep in (False, True))
            sums += len(case.clean) * np.array([mpjpe(case.positions_of(r), case.positions)
                                                for r in (case.noisy, before, after)])
        e_in, e_before, e_after = sums / sum(len(c.clean) for c in cases)
        share = "" if kind == "clean" else f" (x {e_before / e_in:.3f})"
        share_after = "" if kind == "clean" else f" (x {e_after / e_in:.3f})"
        rows.append(f"| {kind} | {'-' if kind == 'clean' else f'{e_in:.2f}'} | {e_before:.2f}{share} | "
                    f"{e_after:.2f}{share_after} | {e_after / e_before:.3f} |")
    name = ("SMPL, synsp-smpl24" if route == "smpl" else "the mocap's own BVH tree, SmoothNet then the filter")
    return "\n".join([f"{name}: {split} split, {len(cases)} clips; MPJPE after FK (mm; clean: moved by); "
                      f"{time.time() - start:.0f} s", "",
                      "| input | input | before (keep_clean off) | after | after / before |",
                      "|---|---:|---:|---:|---:|", *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=["val", "test"])
    parser.add_argument("--clips", type=int, default=8, help="N clips spread over the split (0 = all)")
    parser.add_argument("--routes", nargs="+", default=["smpl", "bvh"], choices=["smpl", "bvh"])
    args = parser.parse_args()
    for route in args.routes:
        print(table(route, args.split, args.clips), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
