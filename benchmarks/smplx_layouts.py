"""SMPL-H's and SMPL-X's joint positions (52, 55, 127 joints) refined by ``synsp.refine(x)`` as a user
calls it: no layout, told by the joint count (RESULTS section 11, "SMPL-H and SMPL-X joints").

Clips: the validation split's first ``--max-clips`` (6) clips (at most ``--frames`` (300) frames each) in
``smplh52``, ``smplx55`` and ``smplx127`` (:mod:`synsp.data.smplx_mocap`: the clip's SMPL body, its
hands and face rigid with the wrists and head), under the simulator's ``typical`` and ``jitter``
errors (:func:`synsp.evaluation.protocol.make_cases`, missing joints filled linearly) and ``clean``
(the clean clip: how far refining moves it). Scores, mm, frame-weighted: MPJPE of the body (SMPL's 22
joints), of the hands (the 30 finger joints, and SMPL-X-127's 10 fingertips) and of the other points.

Two steps, so that the code before a change can score the same arrays (the arrays are built with
this branch's code; the scoring needs only ``synsp.refine``):

    PYTHONPATH=src .venv/bin/python benchmarks/smplx_layouts.py --dump out/smplx_cases
    PYTHONPATH=src .venv/bin/python benchmarks/smplx_layouts.py --score out/smplx_cases
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import synsp

LAYOUTS = ("smplh52", "smplx55", "smplx127")
KINDS = ("typical", "jitter", "clean")
# The hands' joints by count (the finger joints; SMPL-X-127 also its fingertips, 66-75).
HANDS = {52: np.arange(22, 52), 55: np.arange(25, 55), 127: np.r_[25:55, 66:76]}


def dump(folder: Path, max_clips: int, frames: int) -> None:
    """Write ``{layout}_{kind}.npz`` (noisy and clean, (N, T, J, 3) mm, clips cut to one length)."""
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split
    from synsp.evaluation.protocol import make_cases
    from synsp.sequence import fill_gaps

    folder.mkdir(parents=True, exist_ok=True)
    names = load_split("val")[:max_clips]
    for layout in LAYOUTS:
        clips = {name: load_clip(name, layout)[:frames] for name in names}
        for kind in KINDS:
            cases = make_cases("val", "jitter" if kind == "clean" else kind, layout=layout, space="3d",
                               max_clips=max_clips, clips=clips)
            noisy = [case.clean if kind == "clean" else fill_gaps(case.noisy)[0] for case in cases]
            np.savez(folder / f"{layout}_{kind}.npz", names=np.array(names), clean=np.array([c.clean for c in cases],
                     dtype=object), noisy=np.array(noisy, dtype=object))
    print(f"wrote {folder}: {', '.join(names)}")


def score(folder: Path) -> None:
    """Refine every dumped case with ``synsp.refine(x)`` and print the table's rows."""
    print(f"| layout | errors | group | input | synsp.refine (version: {synsp.__file__}) |")
    print("|---|---|---|---:|---:|")
    for layout in LAYOUTS:
        for kind in KINDS:
            data = np.load(folder / f"{layout}_{kind}.npz", allow_pickle=True)  # our own dump
            sums: dict[str, np.ndarray] = {}
            for clean, noisy in zip(data["clean"], data["noisy"]):
                refined = synsp.refine(noisy.astype(np.float32))
                j = clean.shape[1]
                groups = {"body": np.arange(22), "hands": HANDS[j],
                          "others": np.setdiff1d(np.arange(22, j), HANDS[j])}
                for group, joints in groups.items():
                    if len(joints) == 0:
                        continue
                    err = lambda x: np.linalg.norm(x[:, joints] - clean[:, joints], axis=-1).mean()  # noqa: E731
                    sums[group] = sums.get(group, np.zeros(3)) + [err(noisy) * len(clean), err(refined) * len(clean),
                                                                  len(clean)]
            for group, (before, after, n) in sums.items():
                digits = 2 if kind == "clean" else 1  # the clean clip is hardly moved
                print(f"| {layout} | {kind} | {group} | {before / n:.{digits}f} | {after / n:.{digits}f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--score", type=Path)
    parser.add_argument("--max-clips", type=int, default=6)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    if args.dump:
        dump(args.dump, args.max_clips, args.frames)
    if args.score:
        score(args.score)


if __name__ == "__main__":
    main()
