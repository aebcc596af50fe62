"""Dense landmark sets of no layout (a face mesh's 478 points): the rigid-partner search's time against the count.

Audit 35, finding 3: ``synsp.estimator_errors.rigid_fill.rigid_partners`` (run by the 3D route of no layout for its
gap fill and ghost reading) tried every pair of markers with a percentile per pair: 478 markers took 19.5 of 54 s
CPU per 10 s clip. Today the pairs' spreads are read in blocks, and over ``rigid_fill.ALL_PAIRS`` markers each
marker tries only its ``rigid_fill.NEAREST`` nearest. Parts (``--before REV``: the module as it was at git revision
REV, run in the same process, alternating with today's):

- ``same``: outputs to the bit: ``rigid_partners(every=True)`` and ``rigid_fill(x, ghosts=8)`` of REV's module and
  today's on the val clips' layouts in 3D (h36m17, halpe26, mediapipe33, coco133 as ``benchmarks/joint_groups.py``
  makes them; ``--clips`` clips, 3 mm of white noise, 8 gaps of 5-40 frames) and on unknown layouts of
  ``--same-counts`` markers (17-120 unless told; ``dense`` below; over ``rigid_fill.ALL_PAIRS`` a marker tries its
  nearest only, so a REV without that search, as 0f474136, differs there by design);
- ``time``: CPU seconds of ``rigid_partners`` alone and of ``synsp.refine(x, fps=30)`` (3D, no layout; REV's
  ``rigid_fill`` patched in for "before") per marker count ``--counts`` (300 frames, audit 35's manyj input);
- ``error``: ``dense`` markers (``--dense`` of them, each at a random fixed offset, up to 0.1 m, from a random
  segment of ``benchmarks/lab_markers.py``'s, on the val clips' Bandai-22 bodies at 30 fps, 0.4 mm of white noise),
  30 markers given a gap of 5-40 frames and 5 a ghost (150 mm off for 6 frames): ``rigid_fill(x, ghosts=8)``'s
  values filled and their error (mm) against the truth, REV's and today's.

Run:

    .venv/bin/python benchmarks/dense_speed.py --before 0f474136 --parts same time error
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import numpy as np

import synsp
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.estimator_errors import rigid_fill as now

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab_markers  # noqa: E402
from csv_speed import module_at  # noqa: E402
from joint_groups import clip_in  # noqa: E402

SOURCE = "src/synsp/estimator_errors/rigid_fill.py"
LAYOUTS = ("h36m17", "halpe26", "mediapipe33", "coco133")


def with_gaps(x: np.ndarray, rng: np.random.Generator, count: int) -> np.ndarray:
    """``x`` (T, J, 3) with ``count`` markers given a NaN run of 5-40 frames each."""
    x = x.copy()
    for j in rng.choice(x.shape[1], min(count, x.shape[1]), replace=False):
        length = int(rng.integers(5, 41))
        s = int(rng.integers(1, max(len(x) - length - 1, 2)))
        x[s:s + length, j] = np.nan
    return x


def dense(name: str, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(truth, noisy) (T, count, 3) mm: ``count`` markers at random fixed offsets on clip ``name``'s segments."""
    rng = np.random.default_rng(seed)
    recipe = [lab_markers.MARKERS[i] for i in rng.integers(0, len(lab_markers.MARKERS), count)]
    recipe = [(f"M{k}", a, b, f + rng.uniform(-0.3, 0.3), *rng.uniform(-100, 100, 2), 0.0)
              for k, (_, a, b, f, *_) in enumerate(recipe)]
    joints = load_clips([name], layout="bandai22")[0].astype(np.float64)
    with patch.object(lab_markers, "MARKERS", recipe):
        truth = lab_markers.markers(joints)
    return truth, truth + rng.normal(0, 0.4, truth.shape)


def same(before, clips: int, counts: tuple[int, ...] = (17, 40, 80, 120)) -> None:
    rng, inputs = np.random.default_rng(0), []
    for layout in LAYOUTS:
        for name in load_split("val")[:clips]:
            x = clip_in(name, layout).astype(np.float64)
            inputs.append((layout, with_gaps(x + rng.normal(0, 3.0, x.shape), rng, 8)))
    for k, count in enumerate(counts):
        for name in load_split("val")[:clips]:
            inputs.append((f"unknown {count}", with_gaps(dense(name, count, k)[1], rng, 8)))
    equal: dict[str, list[bool]] = {}
    for label, x in inputs:
        size = now.body_size(x)
        parts = [np.array_equal(a, b) for a, b in zip(before.rigid_partners(x, size, every=True),
                                                      now.rigid_partners(x, size, every=True))]
        (out_a, hit_a), (out_b, hit_b) = before.rigid_fill(x, ghosts=8), now.rigid_fill(x, ghosts=8)
        equal.setdefault(label, []).append(all(parts) and np.array_equal(out_a, out_b, equal_nan=True)
                                           and np.array_equal(hit_a, hit_b))
    for label, flags in equal.items():
        print(f"same: {label} ({len(flags)} inputs): partners and fills identical on {sum(flags)}/{len(flags)}")


def timing(before, counts: list[int]) -> None:
    rng = np.random.default_rng(1)
    synsp.refine(rng.normal(0, 1, (300, 17, 3)), fps=30, space="3d")  # the model's loading: in neither column
    print("| markers | rigid_partners before (s) | now (s) | ratio | refine before (s) | now (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for count in counts:
        clean = 0.5 + rng.normal(0, 0.05, (count, 3)) + np.cumsum(rng.normal(0, 0.0005, (300, 1, 3)), 0)
        x = clean + rng.normal(0, 0.003, clean.shape)
        seconds = []
        for module in (before, now):
            start = time.process_time()
            module.rigid_partners(x, now.body_size(x), every=True)
            seconds.append(time.process_time() - start)
        for module in (before, now):
            start = time.process_time()
            with patch("synsp.refining.no_layout.rigid_fill", module.rigid_fill):
                synsp.refine(x, fps=30, space="3d")
            seconds.append(time.process_time() - start)
        a, b, c, d = seconds
        print(f"| {count} | {a:.2f} | {b:.2f} | {a / b:.1f} | {c:.1f} | {d:.1f} | {c / d:.2f} |", flush=True)


def error(before, count: int, clips: int) -> None:
    rows = []
    for k, name in enumerate(load_split("val")[:clips]):
        truth, noisy = dense(name, count, 100 + k)
        rng = np.random.default_rng(k)
        x = with_gaps(noisy, rng, 30)
        hit = np.isnan(x).any(-1)
        for j in rng.choice(count, 5, replace=False):
            s = int(rng.integers(10, len(x) - 20))
            x[s:s + 6, j] += [150.0, 0.0, 80.0]
            hit[s:s + 6, j] = True
        row = []
        for module in (before, now):
            start = time.process_time()
            out, _ = module.rigid_fill(x, ghosts=8)
            seconds = time.process_time() - start
            err = np.linalg.norm(out - truth, axis=-1)[hit]
            row += [np.isfinite(err).mean(), np.nanmean(err), seconds]
        rows.append(row)
        print(name, len(x), " ".join(f"{v:.3f}" for v in row), flush=True)
    r = np.array(rows)
    print(f"error: {count} markers, {len(rows)} val clips; values hit (gaps + ghosts): filled share / mean mm / CPU s")
    print(f"  before {r[:, 0].mean():.3f} / {r[:, 1].mean():.2f} / {r[:, 2].sum():.1f}; "
          f"now {r[:, 3].mean():.3f} / {r[:, 4].mean():.2f} / {r[:, 5].sum():.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="0f474136")
    parser.add_argument("--parts", nargs="+", default=["same", "time", "error"])
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--counts", type=int, nargs="+", default=[17, 60, 120, 240, 478, 956])
    parser.add_argument("--dense", type=int, default=478)
    parser.add_argument("--same-counts", type=int, nargs="+", default=[17, 40, 80, 120])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        before = module_at(args.before, Path(folder), SOURCE)
        if "same" in args.parts:
            same(before, args.clips, tuple(args.same_counts))
        if "time" in args.parts:
            timing(before, args.counts)
        if "error" in args.parts:
            error(before, args.dense, args.clips)


if __name__ == "__main__":
    main()
