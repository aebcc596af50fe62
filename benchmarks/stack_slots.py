"""Audit 33 finding 4: a frames-first (T, P, J, 2) stack whose people change slots, as rtmlib orders its detections.

P val clips (2D coco17 or, ``--space 3d``, h36m17 in mm; preset ``typical`` or ``--preset``) placed ``gap`` px (mm)
apart (0: on top of each other, their paths crossing), cut to the shortest, stacked frames first; in a random
``rate`` of the frames the slots are reversed (a detector's order). For every stack,
:func:`synsp.formats.stack_slots.slot_people` (what ``synsp refine`` reads an ``.npz`` stack with) is scored against
the truth: frames whose slots it leaves holding another person than slot p's (``wrong``), and, for stacks with no
exchange, frames it relinked (``false relinks``). With ``--refine``, the mean joint distance to the clean clips (px,
mm) of the input and of ``synsp.refine`` of the slots as persons (how main read the file) and as linked. Run:

    OMP_NUM_THREADS=1 PYTHONPATH=src SYNSP_DATA=... .venv/bin/python benchmarks/stack_slots.py [--refine]
        [--pairs N] [--space 3d] [--preset P]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.formats.stack_slots import by_person, slot_people

GAPS = {"2d": (900.0, 300.0, 100.0, 0.0),  # px between the people's mean positions (bodies ~ 200-500 px tall)
        "3d": (3000.0, 1000.0, 300.0, 0.0)}  # mm (bodies ~ 1700 mm tall)
LAYOUTS = {"2d": "coco17", "3d": "h36m17"}
RATES = (0.0, 0.15, 0.5)


def _stack(cases: list, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, clean) (T, P, J, 2) of ``cases`` side by side ``gap`` px apart, cut to the shortest."""
    frames = min(len(c.noisy) for c in cases)
    place = np.zeros(cases[0].clean.shape[-1])
    place[:2] = [500.0, 540.0]
    shifts = [place + np.eye(len(place))[0] * i * gap - np.nanmean(c.clean[:frames], (0, 1))
              for i, c in enumerate(cases)]
    noisy = np.stack([c.noisy[:frames] + s for c, s in zip(cases, shifts)], 1)
    clean = np.stack([c.clean[:frames] + s for c, s in zip(cases, shifts)], 1)
    return noisy, clean


def _error(pred: np.ndarray, clean: np.ndarray) -> float:
    seen = np.isfinite(pred).all(-1) & np.isfinite(clean).all(-1)
    return float(np.linalg.norm(pred - clean, axis=-1)[seen].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10, help="stacks per (people, gap, rate)")
    parser.add_argument("--refine", action="store_true", help="also refine (slower)")
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--preset", default="typical")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    cases = make_cases("val", args.preset, layout=LAYOUTS[args.space], space=args.space)
    cases = [c for c in cases if len(c.noisy) >= 60]
    rng = np.random.default_rng(0)
    for people in (2, 3):
        for gap in GAPS[args.space]:
            for rate in RATES:
                wrong = relinked = frames = as_given = 0
                before, after, given = [], [], []
                for i in range(args.pairs):
                    chosen = [cases[(i * people + k) % len(cases)] for k in range(people)]
                    noisy, clean = _stack(chosen, gap)
                    swap = rng.random(len(noisy)) < rate
                    order = np.where(swap[:, None], np.arange(people)[::-1], np.arange(people))  # slot -> person
                    x = by_person(noisy, np.argsort(order, 1))  # x[t, p] = noisy[t, order[t, p]]
                    found = slot_people(x.astype(np.float32), np.full(x.shape[:3], 0.9))
                    held = order if found is None else by_person(order, found)  # truth person of each output slot
                    # output slot p is one person throughout: the one it holds most
                    mode = np.array([np.bincount(held[:, p], minlength=people).argmax() for p in range(people)])
                    wrong += int((held != mode).any(1).sum())
                    as_given += int(min(swap.sum(), (~swap).sum()))  # slots as persons (main): the fewer of the two
                    if found is not None and rate == 0:
                        relinked += int((found != np.arange(people)).any(1).sum())
                    frames += len(x)
                    if args.refine:
                        truth = by_person(clean, np.argsort(order, 1))
                        out = x if found is None else by_person(x, found)
                        want = truth if found is None else by_person(truth, found)
                        as_slots = synsp.refine(np.swapaxes(x, 0, 1).astype(np.float32), fps=30)
                        linked = synsp.refine(np.swapaxes(out, 0, 1).astype(np.float32), fps=30)
                        given.append(_error(x, truth))
                        before.append(_error(np.swapaxes(as_slots, 0, 1), truth))
                        after.append(_error(np.swapaxes(linked, 0, 1), want))
                unit = "px" if args.space == "2d" else "mm"
                line = (f"P={people} gap {gap:4.0f} {unit}, exchanged {rate:.2f}: frames with a slot holding another "
                        f"person {wrong} of {frames} (as given {as_given})")
                if rate == 0:
                    line += f", false relinks {relinked}"
                if args.refine:
                    line += (f" | error: input {np.mean(given):.2f}, slots as persons {np.mean(before):.2f}, "
                             f"linked {np.mean(after):.2f}")
                print(line, flush=True)


if __name__ == "__main__":
    main()
