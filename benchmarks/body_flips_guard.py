"""Protocol (c) for the whole body's flip candidates in 2D (:mod:`synsp.estimator_errors.body_flips`): where they
change the measurement step's output on the validation split.

Each validation clip as ``synsp evaluate`` builds it, under each preset, 2D (coco17, one random virtual camera) and
3D (h36m17), measured by :func:`synsp.estimator_errors.measurements.measure` twice: with the candidates off (their
charge :data:`~synsp.estimator_errors.body_flips.BODY_CHARGE` set to 1e30, no change of labelling ever pays) and at
``--charge`` (default: the shipped value). Prints per space and preset the clips on which the values or the
exchanged pairs differ (NaN alike), and the measured MPJPE (2D px, 3D root-relative mm) off -> on; where none
differ, ``synsp evaluate``'s figures cannot move. benchmarks/RESULTS.md, section 4, "A 2D flip seen from the side".
Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/body_flips_guard.py [--charge 0.1] [--presets clean-ish typical jitter hard]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp.estimator_errors.body_flips as body_flips
from synsp.estimator_errors.measurements import measure
from synsp.evaluation.protocol import make_cases, score
from synsp.skeleton import get_layout

OFF = 1e30  # a change of labelling charged this much is never taken: the candidates off


def guard(space: str, layout: str, preset: str, charge: float,
          split: str = "val") -> tuple[list[tuple], int, float, float]:
    """The clips of ``split`` under ``preset`` whose measurement differs with the candidates off and at ``charge``
    (name, exchanged pair-frames off, on), the clips' count, and the mean measured MPJPE off and on."""
    laid, shipped = get_layout(layout), body_flips.BODY_CHARGE
    changed, errors = [], ([], [])
    try:
        for case in make_cases(split, preset, layout=layout, space=space):
            outs = []
            for k, value in enumerate((OFF, charge)):
                body_flips.BODY_CHARGE = value  # read at call time by body_runs
                outs.append(measure(case.noisy, laid))
                errors[k].append(score(outs[-1].values, case.clean, layout=layout, space=space)["MPJPE"])
            if not (np.array_equal(outs[0].values, outs[1].values, equal_nan=True)
                    and np.array_equal(outs[0].exchanged, outs[1].exchanged)):
                changed.append((case.name, int(outs[0].exchanged.sum()), int(outs[1].exchanged.sum())))
    finally:
        body_flips.BODY_CHARGE = shipped
    return changed, len(errors[0]), float(np.mean(errors[0])), float(np.mean(errors[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charge", type=float, default=body_flips.BODY_CHARGE, help="the candidates' charge, on")
    parser.add_argument("--presets", nargs="+", default=["clean-ish", "typical", "jitter", "hard"])
    parser.add_argument("--spaces", nargs="+", default=["2d", "3d"], choices=["2d", "3d"])
    parser.add_argument("--split", default="val")
    args = parser.parse_args()
    for space in args.spaces:
        layout = "coco17" if space == "2d" else "h36m17"
        for preset in args.presets:
            changed, clips, off, on = guard(space, layout, preset, args.charge, args.split)
            print(f"{space} {layout} {preset}: changed on {len(changed)} of {clips}; measured MPJPE {off:.4f} -> "
                  f"{on:.4f}", flush=True)
            for row in changed:
                print("   ", row, flush=True)


if __name__ == "__main__":
    main()
