"""Outputs bit for bit: a behaviour-neutral change (a module split, work done once instead of twice) must give
every array back unchanged. Builds a dozen validation clips once (3D `typical`, `jitter`, `none`, 1 mm white noise,
a 60-frame piece, two people, crawling and a stooped walk under 8 mm white noise (benchmarks/leaned_trunk.py); 2D
`typical`, 1 px white noise, HALPE-26 `typical`), refines them with the code of one source tree, then compares two
trees' outputs with ``np.array_equal`` and their CPU times (the least of ``--repeat`` runs, s). Run from a tree::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/same_outputs.py build CASES.npz [--split val]
    OMP_NUM_THREADS=1 PYTHONPATH=BEFORE/src .venv/bin/python benchmarks/same_outputs.py run CASES.npz BEFORE.npz
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/same_outputs.py run CASES.npz AFTER.npz
    .venv/bin/python benchmarks/same_outputs.py compare BEFORE.npz AFTER.npz
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

import synsp
from leaned_trunk import clips as long_clips  # this folder's scripts share their clips
from leaned_trunk import crawl, stooped
from synsp.evaluation.protocol import make_cases


def build(split: str) -> dict[str, np.ndarray]:
    """{name: poses} and {name + '.meta': json of layout and fps}: the clips of the module docstring."""
    rng = np.random.default_rng(0)
    first = lambda preset, layout="h36m17", space="3d", n=1: [  # noqa: E731
        np.asarray(c.noisy, np.float32) for c in make_cases(split, preset, layout=layout, space=space, max_clips=n)]
    clean3 = np.asarray(make_cases(split, "none", max_clips=1)[0].clean, np.float64)
    clean2 = np.asarray(make_cases(split, "none", space="2d", layout="coco17", max_clips=1)[0].clean, np.float64)
    pose = long_clips(split, 1)[0][0]
    walk = long_clips(split, 2)[1]
    two = first("typical", n=2)
    cases = {
        "3d typical": (first("typical")[0], "h36m17"),
        "3d jitter": (first("jitter")[0], "h36m17"),
        "3d none": (first("none")[0], "h36m17"),
        "3d white 1 mm": ((clean3 + rng.normal(0, 1.0, clean3.shape)).astype(np.float32), "h36m17"),
        "3d typical 60 frames": (first("typical")[0][:60], "h36m17"),
        "3d jitter 60 frames": (first("jitter")[0][:60], "h36m17"),
        "3d two people typical": (np.stack([c[:min(len(d) for d in two)] for c in two]), "h36m17"),
        "3d crawling white 8 mm": ((crawl(pose, 300) + rng.normal(0, 8.0, (300, 17, 3))).astype(np.float32), "h36m17"),
        "3d stooped 50 white 8 mm": ((stooped(walk, 50.0) + rng.normal(0, 8.0, walk.shape)).astype(np.float32),
                                     "h36m17"),
        "2d typical": (first("typical", "coco17", "2d")[0], "coco17"),
        "2d white 1 px": ((clean2 + rng.normal(0, 1.0, clean2.shape)).astype(np.float32), "coco17"),
        "2d halpe26 typical": (first("typical", "halpe26", "2d")[0], "halpe26"),
    }
    out = {}
    for name, (poses, layout) in cases.items():
        out[name] = poses
        out[name + ".meta"] = np.array(json.dumps({"layout": layout, "fps": 30}))
    return out


def run(cases: dict[str, np.ndarray], repeat: int) -> dict[str, np.ndarray]:
    """{name: synsp.refine's output} and {name + '.seconds': the least CPU time of ``repeat`` runs}."""
    names = [n for n in cases if not n.endswith(".meta")]
    synsp.refine(cases[names[0]][:40], layout="h36m17", fps=30)  # load the models first
    synsp.refine(cases["2d typical"][:40], layout="coco17", fps=30)
    out = {}
    for name in names:
        meta = json.loads(str(cases[name + ".meta"]))
        times = []
        for _ in range(repeat):
            start = time.process_time()  # CPU time: the machine's other loads move the wall clock
            result = synsp.refine(cases[name], layout=meta["layout"], fps=meta["fps"])
            times.append(time.process_time() - start)
        out[name], out[name + ".seconds"] = result, np.array(min(times))
        print(f"{name}: {min(times):.2f} s", flush=True)
    return out


def compare(before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> bool:
    """Print a table of every clip: identical or not, seconds before and after; True when all are identical."""
    names = [n for n in before if not n.endswith(".seconds")]
    same = True
    print("| clip | frames | identical | before (CPU s) | after (CPU s) |\n|---|---|---|---|---|")
    for name in names:
        equal = name in after and np.array_equal(before[name], after[name])
        same &= equal
        print(f"| {name} | {before[name].shape[-3]} | {'yes' if equal else 'NO'} | "
              f"{float(before[name + '.seconds']):.2f} | {float(after[name + '.seconds']):.2f} |")
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("build", "run", "compare"))
    parser.add_argument("files", nargs="+")
    parser.add_argument("--split", default="val")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if args.step == "build":
        np.savez(args.files[0], **build(args.split))
    elif args.step == "run":
        with np.load(args.files[0]) as cases:
            np.savez(args.files[1], **run(dict(cases), args.repeat))
    else:
        with np.load(args.files[0]) as before, np.load(args.files[1]) as after:
            raise SystemExit(0 if compare(dict(before), dict(after)) else 1)


if __name__ == "__main__":
    main()
