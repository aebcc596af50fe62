"""One clip in the DataFrame shapes pandas users hold it in, through ``refine_dataframe`` (audit 34 #10).

Each validation clip's estimate (COCO-17 pixels, or H36M-17 mm with ``--space 3d``) as (a) a wide table in the
layout's column order, (b) the same with its joint columns sorted by name (what ``pivot`` gives), (c) a tidy table
with one row per frame and joint (``frame, joint, x, y``), rows shuffled. MPJPE against the truth, frame-weighted
over clips ("refused" when the route raises). Validation split only. Run::

    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/table_shapes.py \
        --max-clips 12 [--preset typical] [--space 3d]
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from synsp.evaluation.protocol import make_cases, score
from synsp.integrations.pandas import refine_dataframe
from synsp.skeleton import LAYOUTS

LAYOUT = {"2d": "coco17", "3d": "h36m17"}


def shapes(noisy: np.ndarray, joints: list[str]) -> dict[str, pd.DataFrame]:
    """``noisy`` (T, J, C) as the three tables of the module docstring."""
    axes = "xyz"[:noisy.shape[-1]]
    wide = pd.DataFrame({"frame": np.arange(len(noisy)), **{f"{j}_{a}": noisy[:, k, c] for k, j in enumerate(joints)
                                                           for c, a in enumerate(axes)}})
    long = pd.DataFrame([(t, j, *noisy[t, k]) for t in range(len(noisy)) for k, j in enumerate(joints)],
                        columns=["frame", "joint", *axes])
    return {"wide, the layout's order": wide, "wide, columns sorted": wide[["frame", *sorted(wide.columns[1:])]],
            "one row per frame and joint": long.sample(frac=1, random_state=0)}


def poses(table: pd.DataFrame, joints: list[str], axes: str) -> np.ndarray:
    """(T, J, C) of a refined table of :func:`shapes`."""
    if "joint" in table.columns:
        table = table.pivot(index="frame", columns="joint", values=list(axes))
        return np.stack([table[[(a, j) for a in axes]].to_numpy() for j in joints], 1)
    return np.stack([table[[f"{j}_{a}" for a in axes]].to_numpy() for j in joints], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12)
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    args = parser.parse_args()
    layout = LAYOUT[args.space]
    joints, axes = list(LAYOUTS[layout].joints), "xyz"[:int(args.space[0])]
    cases = make_cases("val", args.preset, layout=layout, space=args.space, max_clips=args.max_clips)
    results: dict[str, list] = {"input": []}
    for case in cases:
        results["input"].append((len(case.noisy), score(case.noisy, case.clean, layout=layout, space=args.space)))
        for name, table in shapes(case.noisy, joints).items():
            try:
                refined = poses(refine_dataframe(table), joints, axes)
            except ValueError as error:
                results[name] = f"refused: {str(error)[:60]}"
                continue
            if not isinstance(results.get(name), str):
                scored = score(refined, case.clean, layout=layout, space=args.space)
                results.setdefault(name, []).append((len(case.noisy), scored))
    unit = "px" if args.space == "2d" else "mm"
    print(f"{len(cases)} val clips, {layout} {args.space.upper()} `{args.preset}`\n")
    print(f"| table | MPJPE {unit} (x input) |\n|---|---:|")
    base = None
    for name, scored in results.items():
        if isinstance(scored, str):
            print(f"| {name} | {scored} |")
            continue
        mpjpe = float(np.average([s["MPJPE"] for _, s in scored], weights=[n for n, _ in scored]))
        base = base or mpjpe
        print(f"| {name} | {mpjpe:.3f} ({mpjpe / base:.3f}) |")


if __name__ == "__main__":
    main()
