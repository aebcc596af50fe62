"""`synsp stream` against four steps the offline route took (benchmarks/RESULTS.md, section 12, "A stream catches up
with the offline route"): each case fed frame by frame as JSON lines through ``run_stream`` (the CLI's path; SynSP,
default lag and lookahead), and through ``synsp.refine`` for comparison.

Cases (the VALIDATION split, the first ``--clips`` clips under ``typical``):

- ``nan``: h36m17 3D, the first 120 frames through ``StreamingRefiner``, its bone step made to give the thorax NaN
  (a fault of a step, as offline's ``tests/test_finite_output.py`` injects): mm, the thorax and the other joints,
  and how many NaN values and warnings the stream gave.

- ``corner``: coco17 2D, the left wrist written at a fixed image point ((W - 1, H - 1) of a 1920 x 1080 picture) in
  runs of ``--runs`` frames (``benchmarks/fixed_point_lost.py``'s runs), and held at its last place instead (a
  tracker's: must be refined as before). px: the wrist in the runs / the wrist elsewhere / the other joints.
- ``speed``: CPU ms per line of ``PoseStream.push``, 1 and 10 people (``--frames`` lines); ``levels``: CPU per line
  of ``score_levels.RunningLevels`` alone.
- ``scores``: coco17 2D with scores (``benchmarks/score_levels.py``'s cases: the left side scored low all clip,
  an estimator's hidden joints and bursts of misses). px: the low-scored values / the confident ones.
- ``copies``: h36m17 3D (mm) and coco17 2D (px), the 17 joints plus a copy of joint 0 (an export's "root" and
  "pelvis"); streamed with no ``--layout``, and the 17 joints alone. MPJPE of the 17 joints, and whether the copy
  came back as its refined original.

``--guard FILE``: every validation clip under ``clean-ish``, ``typical`` and ``jitter``, h36m17 3D and coco17 2D,
through the same stream; each output's digest written to FILE (run once per source tree, then ``--compare A B``).

Run::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stream_offline_steps.py --case corner [--clips 6]
"""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import numpy as np
import torch

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.integrations.stream import PoseStream, run_stream

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixed_point_lost import POINTS, WRIST, _fixed, _held  # noqa: E402
from score_levels import LEFT, scored  # noqa: E402


def stream(x: np.ndarray, **options) -> tuple[np.ndarray, str]:
    """(T, J, D) keypoints (NaN: not detected; a last column of scores if D is C + 1) through ``run_stream``, one
    person; the output lines as (T, J, D) and what was said on stderr."""
    lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": [
        p.tolist() if np.isfinite(p).all() else None for p in x[t]]}]}) + "\n" for t in range(len(x)))
    out_io, err_io = io.StringIO(), io.StringIO()
    run_stream(PoseStream("synsp", **options), io.StringIO(lines), out_io, err_io)
    out = np.full(x.shape, np.nan)
    for line in out_io.getvalue().splitlines():
        frame = json.loads(line)
        out[frame["t"]] = [[np.nan] * x.shape[-1] if k is None else [np.nan if v is None else v for v in k]
                           for k in frame["people"][0]["keypoints"]]
    return out, err_io.getvalue()


def _error(a: np.ndarray, clean: np.ndarray, mask: np.ndarray) -> float:
    """Mean joint distance over the values in ``mask`` (T, J); NaN output counted as such (nanmean would hide it)."""
    e = np.linalg.norm(a[..., : clean.shape[-1]] - clean, axis=-1)[mask]
    return float(e.mean()) if e.size else float("nan")


def nan_step(clips: int) -> None:
    """The ``nan`` case (module docstring): a bone step that makes the thorax NaN, mm over the first ``clips``."""
    import warnings

    import synsp.inference.stream_output as stream_output
    from synsp.inference.streaming import StreamingRefiner
    bones = stream_output.constant_bone_lengths

    def nan_thorax(out, *args, **kwargs):
        out = bones(out, *args, **kwargs).copy()
        out[..., 8, :] = np.nan
        return out

    stream_output.constant_bone_lengths = nan_thorax
    rows = []
    for case in make_cases("val", "typical", max_clips=clips):
        x, clean = case.noisy[:120], case.clean[:120]
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            out = StreamingRefiner(synsp.load_model("synsp-h36m17")).refine_all(x)
        e = np.linalg.norm(out - clean, axis=-1)
        rows.append([np.linalg.norm(x - clean, axis=-1)[:, 8].mean(), e[:, 8].mean(), np.delete(e, 8, 1).mean(),
                     np.isnan(out).any(-1).sum(), len(said)])
        print(case.name, np.round(rows[-1], 2).tolist(), flush=True)
    print("thorax: input, stream / other joints: stream / NaN values given / warnings, mean over clips:",
          np.round(np.mean(rows, axis=0), 2).tolist())


def corner(clips: int, runs: list[int]) -> None:
    """The ``corner`` case's rows (module docstring)."""
    cases = make_cases("val", "typical", layout="coco17", space="2d", max_clips=clips)
    print("| wrist written at | L | input | stream | SynSP offline |")
    print("|---|---|---|---|---|")
    corner_point = _fixed(POINTS["corner (W-1, H-1)"])
    for name, corrupt in (("corner (W-1, H-1)", corner_point), ("held at its last place", _held)):
        for length in runs:
            errs: dict[str, list[list[float]]] = {"input": [], "stream": [], "offline": []}
            for case in cases:
                noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
                x, hit = corrupt(noisy, clean, length)
                rest = np.zeros_like(hit)
                rest[:, WRIST] = ~hit[:, WRIST]
                others = np.ones_like(hit)
                others[:, WRIST] = False
                for method, out in (("input", x), ("stream", stream(x, space="2d")[0]),
                                    ("offline", synsp.refine(x, fps=30))):
                    errs[method].append([_error(out, clean, m) for m in (hit, rest, others)])
            cells = " | ".join("{:.2f} / {:.2f} / {:.2f}".format(*np.mean(v, axis=0)) for v in errs.values())
            print(f"| {name} | {length} | {cells} |", flush=True)


def scores(clips: int, kinds: list[str]) -> None:
    """The ``scores`` case's rows (module docstring): px, the low-scored values / the confident ones."""
    cases = make_cases("val", "typical", layout="coco17", space="2d", max_clips=clips)
    print("| case | input | stream | stream's low-scored values given back | SynSP offline |")
    print("|---|---|---|---|---|")
    for kind in kinds:
        errs: dict[str, list[list[float]]] = {"input": [], "stream": [], "offline": []}
        given = []
        for i, case in enumerate(cases):
            noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
            x, low = scored(noisy, kind, np.random.default_rng(i))
            out = stream(x, space="2d")[0]
            given.append(float(np.isfinite(out[..., :2]).all(-1)[low].mean()))
            for method, refined in (("input", x), ("stream", out), ("offline", synsp.refine(x, fps=30))):
                seen = np.isfinite(refined[..., :2]).all(-1)  # a value given back null: not scored (counted apart)
                errs[method].append([_error(refined, clean, low & seen), _error(refined, clean, ~low & seen)])
        cells = [" / ".join(f"{v:.2f}" for v in np.nanmean(errs[m], axis=0)) for m in errs]
        print(f"| {kind} | {cells[0]} | {cells[1]} | {100 * np.mean(given):.0f} % | {cells[2]} |", flush=True)


def copies(clips: int) -> None:
    """The ``copies`` case's rows (module docstring)."""
    print("| space | input | stream of the 17 | stream of the 18 | copy as its refined original | 17 identical |")
    print("|---|---|---|---|---|---|")
    for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
        rows, same, copied = [], 0, 0
        for case in make_cases("val", "typical", layout=layout, space=space, max_clips=clips):
            x, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
            alone = stream(x, space=space)[0]
            try:
                both = stream(np.concatenate([x, x[:, :1]], axis=1), space=space)[0]
            except Exception as err:  # every line refused (before): said, not refined
                print(f"  {case.name}: the 18 joints not streamed: {type(err).__name__}: {err}")
                both = np.full((*x.shape[:1], 18, x.shape[-1]), np.nan)
            whole = np.ones(x.shape[:2], bool)
            rows.append([_error(x, clean, whole), _error(alone, clean, whole), _error(both[:, :17], clean, whole)])
            same += bool(np.array_equal(alone, both[:, :17], equal_nan=True))
            copied += bool(np.array_equal(both[:, 17], both[:, 0], equal_nan=True) and np.isfinite(both).any())
        cells = " | ".join(f"{v:.2f}" for v in np.mean(rows, axis=0))
        print(f"| {space} ({'mm' if space == '3d' else 'px'}) | {cells} | {copied}/{len(rows)} | {same}/{len(rows)} |",
              flush=True)


def speed(people: int, frames: int) -> None:
    """CPU ms per line of ``PoseStream.push`` (``process_time``; the first 30 lines untimed), ``people`` persons per
    line from the validation clips (``typical``, coco17 2D, one after another, person i 150 frames on and 50 px
    right, as ``benchmarks/stream_steps.py``), with no scores, every joint scored 0.9, and the left side scored 0.25
    (each line then reads the levels: ``score_levels.RunningLevels``)."""
    import time

    from synsp.integrations.stream import parse_frame
    seq = np.concatenate([c.noisy for c in make_cases("val", "typical", layout="coco17", space="2d")])
    index = np.arange(frames + 30)[:, None] + 150 * np.arange(people)[None]
    poses = seq.take(index, axis=0, mode="wrap").astype(np.float64)
    poses[..., 0] += 50 * np.arange(people)[:, None]
    for name, level in (("no scores", None), ("scores 0.9", 0.9), ("left side 0.25", 0.25)):
        x = poses
        if level is not None:
            scores = np.full(poses.shape[:-1] + (1,), 0.9)
            scores[..., LEFT, :] = level
            x = np.concatenate([poses, scores], axis=-1)
        lines = [parse_frame(json.dumps({"people": [{"id": i, "keypoints": p.tolist()} for i, p in enumerate(f)]}), k)
                 for k, f in enumerate(x)]
        torch.set_num_threads(1)
        stream, spent = PoseStream("synsp", space="2d"), 0.0
        for k, line in enumerate(lines):
            start = time.process_time()
            stream.push(line)
            spent += (time.process_time() - start) * (k >= 30)
        print(f"{people} people, {name}: {1000 * spent / frames:.2f} ms per line", flush=True)


def levels_cost(frames: int) -> None:
    """CPU microseconds per line of ``score_levels.RunningLevels.measured`` alone (17 joints, the left 8 scored 0.25,
    the rest 0.9), over ``frames`` lines after the first 900 (its history full)."""
    import time

    from synsp.score_levels import HISTORY, RunningLevels
    scores = np.full(17, 0.9)
    scores[LEFT] = 0.25
    seen, levels = np.ones(17, bool), RunningLevels(0.3)
    for _ in range(HISTORY):
        levels.measured(scores, seen)
    start = time.process_time()
    for _ in range(frames):
        levels.measured(scores, seen)
    print(f"RunningLevels.measured, history full: {1e6 * (time.process_time() - start) / frames:.0f} us per line")


def guard(path: str, clips: int) -> None:
    """The ``--guard`` digests (module docstring), one line per output: preset, space, clip, sha1 of its bytes."""
    import hashlib
    with open(path, "w") as out:
        for preset in ("clean-ish", "typical", "jitter"):
            for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
                for case in make_cases("val", preset, layout=layout, space=space, max_clips=clips):
                    refined = stream(np.asarray(case.noisy, np.float64), space=space, layout=layout)[0]
                    digest = hashlib.sha1(np.ascontiguousarray(refined).tobytes()).hexdigest()
                    out.write(f"{preset} {space} {case.name} {digest}\n")
                    out.flush()


def compare(a: str, b: str) -> None:
    """How many of the ``--guard`` outputs in files ``a`` and ``b`` are bit-identical."""
    first, second = (dict(line.rsplit(" ", 1) for line in open(p).read().splitlines()) for p in (a, b))
    same = [k for k in first if second.get(k) == first[k]]
    print(f"{len(same)} of {len(first)} stream outputs bit-identical ({len(second)} in the second file)")
    for k in first:
        if second.get(k) != first[k]:
            print("  differs:", k)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["nan", "corner", "scores", "copies", "speed", "levels"])
    parser.add_argument("--frames", type=int, default=300, help="speed: lines timed")
    parser.add_argument("--guard", metavar="FILE", help="write the val streams' digests to FILE")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two --guard files")
    parser.add_argument("--clips", type=int, default=6, help="validation clips (of 65)")
    parser.add_argument("--runs", type=int, nargs="+", default=[2, 3, 12, 30], help="corner: run lengths (frames)")
    parser.add_argument("--kinds", nargs="+", default=["steady 0.1", "steady 0.25", "steady 0.35", "steady 0.25 +-0.1",
                                                       "garbage 0.2", "hidden", "bursts"], help="scores: the cases")
    parser.add_argument("--min-frames", type=int, help="scores: score_levels.MIN_FRAMES instead of its own")
    args = parser.parse_args()
    if args.min_frames is not None:
        import synsp.score_levels
        synsp.score_levels.MIN_FRAMES = args.min_frames
    if args.guard:
        return guard(args.guard, args.clips)
    if args.compare:
        return compare(*args.compare)
    if args.case == "nan":
        nan_step(args.clips)
    elif args.case == "corner":
        corner(args.clips, args.runs)
    elif args.case == "scores":
        scores(args.clips, args.kinds)
    elif args.case == "levels":
        levels_cost(args.frames)
    elif args.case == "speed":
        for people in (1, 10):
            speed(people, args.frames)
    elif args.case == "copies":
        copies(args.clips)


if __name__ == "__main__":
    main()
