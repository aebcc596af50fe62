"""Errors beside frames where the person was not seen: read past those frames or not (audit 34, finding 1).

``synsp.estimator_errors.unseen_frames`` reads the glitch, whole-body jump and limb-astray tests over the seen frames,
runs of at most ``BRIDGED`` unseen frames left out, and a second look (``synsp.refining.refill``) hands those tests
no value of the frames it filled (``measurements(..., unseen=)``); before, a step from or to an unseen frame was no
step, and the second look read its own fill as measurements: an error beside a missed frame was refined as one.
Each figure is printed both ways: ``was`` (``BRIDGED`` = 0, ``unseen=`` dropped: the code before the change,
the same output) and ``now`` (the default). Validation clips, ``jitter`` (whose estimate holds glitches and limbs
astray):

- ``knee``: the left knee moved by ``--knee-px`` px (2D coco17) / ``--knee-mm`` mm (3D h36m17) in x for the 4 frames
  just before (after) G frames with every joint NaN in the middle of the clip (the person missed); the knee's error
  in those 4 frames: input, refined with no miss, refined with the miss (both ways).
- ``misses``: 2D, the person missed in 20 % of frames at random (seeded); MPJPE px on the seen frames: input, refined
  with no miss, the seen frames alone (no times: a bare array of them), with the misses as NaN frames (both ways), and
  the seen frames as a table with a time column (``refine_dataframe``, both ways).

``--clean``: clean validation clips (every one, 3D h36m17 mm and 2D coco17 px) with 20, 40 and 60 % of their frames
empty at random (seeded; first and last kept): the values ``measurements`` marks (glitches, limbs astray, frames of
whole-body jumps), both ways; a clean clip has none to mark.

``--guard``: whether either change fires, on every validation clip under ``--presets`` in each ``--spaces``
(``layout:space``): the frames read past (``bridged_frames``) and the refiner's calls handing filled frames
(``unseen=``) counted inside ``synsp.refine``; none means the output is the code path before the change.

``--demo``: the README's MediaPipe demo in 3D (``synsp refine ... --space world``), nobody detected at frames 169 and
201, someone else between them: the summary's displacement lines as before the change, with every run read past
(``one_body`` not asked: the branch held back), and now. Run:

    .venv/bin/python benchmarks/unseen_frames.py --split val
    .venv/bin/python benchmarks/unseen_frames.py --split val --clean
    .venv/bin/python benchmarks/unseen_frames.py --split val --guard --presets clean-ish typical hard
    .venv/bin/python benchmarks/unseen_frames.py --demo
"""
from __future__ import annotations

import argparse
import contextlib
import tempfile
import warnings
from typing import Any, Iterator
from unittest import mock

import numpy as np
import pandas as pd

import synsp
from synsp.estimator_errors import unseen_frames
from synsp.estimator_errors.measurements import measure, measurements
from synsp.evaluation.protocol import make_cases
from synsp.inference import refiner
from synsp.integrations.pandas import refine_dataframe
from synsp.metrics import mpjpe
from synsp.paths import data_root
from synsp.skeleton import LAYOUTS, get_layout

KNEE = {"2d": ("coco17", 13), "3d": ("h36m17", 5)}  # layout, left knee
SETS = ((1, "before"), (10, "before"), (1, "after"))  # (frames missed, side of the knee's 4 frames)
RUN = 4  # frames the knee is astray


@contextlib.contextmanager
def reading(past: bool) -> Iterator[None]:
    """Unseen frames read past (the default, ``past``) or as before the change (module docstring)."""
    if past:
        yield
        return

    def measured(*args: Any, unseen: Any = None, **options: Any) -> Any:
        return measurements(*args, **options)

    with mock.patch.object(unseen_frames, "BRIDGED", 0), mock.patch.object(refiner, "measurements", measured):
        yield


def refined(x: np.ndarray, past: bool) -> np.ndarray:
    """``synsp.refine`` of ``x`` (T, J, C) at 30 fps, reading past unseen frames (the default) or not."""
    with reading(past):
        return synsp.refine(x, fps=30)


def knee_rows(split: str, space: str, shift: float, max_clips: int) -> None:
    """The ``knee`` figures (module docstring) for ``space``, printed per (G, side)."""
    layout, knee = KNEE[space]
    cases = make_cases(split, "jitter", layout=layout, space=space, max_clips=max_clips)
    rows: dict[tuple, list] = {s: [] for s in SETS}
    for case in cases:
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        h = len(noisy) // 2
        for gap, side in SETS:
            x = noisy.copy()
            bad = np.r_[h - RUN:h] if side == "before" else np.r_[h:h + RUN]
            x[bad, knee, 0] += shift

            def err(out: np.ndarray) -> float:
                return float(np.linalg.norm(out[bad, knee] - clean[bad, knee], axis=-1).mean())

            missed = np.concatenate([x[:h], np.full((gap, *x.shape[1:]), np.nan), x[h:]])
            rows[gap, side].append([err(x), err(synsp.refine(x, fps=30))] + [
                err(np.delete(refined(missed, past), np.s_[h:h + gap], axis=0)) for past in (False, True)])
    unit = "px" if space == "2d" else "mm"
    for (gap, side), got in rows.items():
        m = np.mean(got, axis=0)
        far = (np.asarray(got) > shift / 2).sum(axis=0)
        print(f"{space} knee +{shift:g} {unit}, {RUN} frames {side} {gap} missed, {len(got)} clips ({unit}, "
              f"still > {shift / 2:g} off): input {m[0]:.1f}, no miss {m[1]:.1f} ({far[1]}), miss: was "
              f"{m[2]:.1f} ({far[2]}), now {m[3]:.1f} ({far[3]})", flush=True)


def miss_rows(split: str, share: float, max_clips: int) -> None:
    """The ``misses`` figures (module docstring)."""
    joints = LAYOUTS["coco17"].joints
    rng, rows = np.random.default_rng(2), []
    for case in make_cases(split, "jitter", layout="coco17", space="2d", max_clips=max_clips):
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        seen = rng.random(len(noisy)) >= share
        seen[0] = seen[-1] = True
        x = np.where(seen[:, None, None], noisy, np.nan)
        kept = np.flatnonzero(seen)
        table = pd.DataFrame({"time": kept / 30, **{f"{j}_{a}": noisy[kept, k, i] for k, j in enumerate(joints)
                                                    for i, a in enumerate("xy")}})
        row = [mpjpe(noisy[seen], clean[seen]), mpjpe(synsp.refine(noisy, fps=30)[seen], clean[seen]),
               mpjpe(synsp.refine(noisy[seen], fps=30), clean[seen])]
        row += [mpjpe(refined(x, past)[seen], clean[seen]) for past in (False, True)]
        for past in (False, True):
            with reading(past):
                out = refine_dataframe(table, fps=30)
            row.append(mpjpe(np.stack([out[[f"{j}_x", f"{j}_y"]].to_numpy() for j in joints], 1), clean[seen]))
        rows.append(row)
        print(f"  {case.name[:30]:30s} " + " ".join(f"{v:6.2f}" for v in row), flush=True)
    m = np.mean(rows, axis=0)
    print(f"2d, {share:.0%} of frames missed, {len(rows)} clips, MPJPE px on seen frames: input {m[0]:.3f}, no miss "
          f"{m[1]:.3f}, seen frames alone (no times) {m[2]:.3f}; NaN frames: was {m[3]:.3f}, now {m[4]:.3f}; a table "
          f"with times: was {m[5]:.3f}, now {m[6]:.3f}", flush=True)


def clean_marks(split: str, max_clips: int) -> None:
    """The ``--clean`` counts (module docstring), one line per space and share."""
    for layout, space in (("h36m17", "3d"), ("coco17", "2d")):
        clips = [np.asarray(c.clean, np.float64) for c in make_cases(split, "none", layout=layout, space=space,
                                                                      max_clips=max_clips)]
        for share in (0.2, 0.4, 0.6):
            rng, marks, errors = np.random.default_rng(5), np.zeros((2, 3), dtype=int), []
            for clip in clips:
                seen = rng.random(len(clip)) >= share
                seen[0] = seen[-1] = True
                x = np.where(seen[:, None, None], clip, np.nan)
                found = []
                for i, past in enumerate((False, True)):
                    with reading(past):
                        m = measure(x, get_layout(layout))
                    found.append([m.glitches.sum(), m.astray.sum(), m.jumped.sum()])
                marks += found
                if found[0] != found[1]:  # the refined clip, where the marks differ: MPJPE on the seen frames
                    errors.append([mpjpe(refined(x, past)[seen], clip[seen]) for past in (False, True)])
            moved = (f"; {len(errors)} clips marked otherwise, refined: MPJPE was {np.mean(errors, axis=0)[0]:.3f}, "
                     f"now {np.mean(errors, axis=0)[1]:.3f}") if errors else ""
            print(f"clean {space}, {len(clips)} clips, {share:.0%} of frames empty: glitches, astray, jumped: was "
                  f"{', '.join(map(str, marks[0]))}; now {', '.join(map(str, marks[1]))}{moved}", flush=True)


def guard(split: str, presets: list[str], spaces: list[str], max_clips: int) -> None:
    """The ``--guard`` counts (module docstring), one line per preset and space."""
    bridged, handed = unseen_frames.bridged_frames, refiner.measurements
    skipped: list[int] = []
    given: list[int] = []

    def counted(poses: np.ndarray, longest: int | None = None) -> np.ndarray:
        out = bridged(poses, longest)
        skipped.append(int(out.sum()))
        return out

    def measured(*args: Any, unseen: Any = None, **options: Any) -> Any:
        given.append(0 if unseen is None else int(np.sum(unseen)))
        return handed(*args, unseen=unseen, **options)

    with mock.patch.object(unseen_frames, "bridged_frames", counted), mock.patch.object(refiner, "measurements",
                                                                                         measured):
        for preset in presets:
            for pair in spaces:
                layout, space = pair.split(":")
                cases, fired = make_cases(split, preset, layout=layout, space=space, max_clips=max_clips), []
                for case in cases:
                    skipped.clear()
                    given.clear()
                    now = synsp.refine(np.asarray(case.noisy), fps=30)
                    if any(skipped) or any(given):  # the output as before the change, and MPJPE both ways
                        with reading(False):
                            was = synsp.refine(np.asarray(case.noisy), fps=30)
                        fired.append(f"{case.name}: max |now - was| {np.max(np.abs(now - was)):.4f}, MPJPE was "
                                     f"{mpjpe(was, case.clean):.3f}, now {mpjpe(now, case.clean):.3f}")
                print(f"guard {preset} {layout} {space}: fired on {len(fired)} of {len(cases)} clips"
                      + "".join(f"\n  {line}" for line in fired), flush=True)


def demo() -> None:
    """The ``--demo`` lines (module docstring)."""
    source = data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz"
    ways = {"before the change": reading(False), "every run read past": mock.patch.object(
        unseen_frames, "one_body", lambda *_: True), "now": contextlib.nullcontext()}
    with tempfile.TemporaryDirectory() as folder:
        for name, way in ways.items():
            with way:
                said = str(synsp.refine_file(source, f"{folder}/out.npz", layout="mediapipe33", space="world",
                                             force=True))
            print(f"demo 3D, {name}: " + " | ".join(line for line in said.splitlines() if "displacement" in line
                                                    or line.startswith("read past")), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=12)
    parser.add_argument("--knee-px", type=float, default=200.0)
    parser.add_argument("--knee-mm", type=float, default=300.0)
    parser.add_argument("--share", type=float, default=0.2, help="share of frames missed at random")
    parser.add_argument("--parts", nargs="+", default=["knee", "misses"], choices=["knee", "misses"])
    parser.add_argument("--clean", action="store_true")
    parser.add_argument("--steady", type=int, default=None, help="another unseen_frames.STEADY (tried)")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--guard-clips", type=int, default=0, help="clips --guard and --clean read (0: all)")
    parser.add_argument("--presets", nargs="+", default=["clean-ish", "typical"])
    parser.add_argument("--spaces", nargs="+", default=["h36m17:3d", "h36m17:2d"])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.steady is not None:
        unseen_frames.STEADY = args.steady
    if args.demo:
        demo()
        return
    if args.clean:
        clean_marks(args.split, args.guard_clips)
        return
    if args.guard:
        guard(args.split, args.presets, args.spaces, args.guard_clips)
        return
    if "knee" in args.parts:
        knee_rows(args.split, "2d", args.knee_px, args.max_clips)
        knee_rows(args.split, "3d", args.knee_mm, args.max_clips)
    if "misses" in args.parts:
        miss_rows(args.split, args.share, args.max_clips)


if __name__ == "__main__":
    main()
