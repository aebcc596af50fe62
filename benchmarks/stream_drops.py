"""A stream's dropped frames and alternating frames against offline refinement of the same input.

Offline ``synsp.refine`` reads frames dropped from poses with no times (``refining.dropped_frames``) and takes out a
whole body's alternation between two boxes (``inference.alternation``); this measures what a stream
(:class:`~synsp.inference.streaming.StreamingRefiner`, its defaults: lag 7, lookahead 3, as ``synsp stream``) does
with the same inputs. Cases, on each validation clip's ``preset`` estimate (COCO-17 px in 2D, Human3.6M-17
root-relative mm in 3D, as ``make_cases`` gives them): ``as is`` (the estimate itself), ``drop 1/7`` (every 7th frame
left out, from the 4th: audit 28's case), ``drop 2/7`` (2 in a row every 7), ``drop 3/20`` (3 in a row every 20;
the truth left out alike: ``unseen_errors.dropped``) and ``alternating`` (odd frames from another box: 3D x1.04 about
the root, 2D box x1.03 and +(2, 4) px; ``alternating_frames.estimate``, ``odd larger``). Scores: MPJPE (mm / px)
against the truth, frame-weighted over clips: the input, offline ``synsp.refine`` (SynSP, 30 fps) and the stream,
and each x input. ``--guard``: no network; each clip's frames through the stream's drop watch alone
(:class:`~synsp.inference.stream_drops.DropWatch`, as a stream with a lookahead has it), the frames whose step it
read as a possible drop (told by the frame after them; none is held, each goes on at once) and the frames it put
in, per preset (``as is``) and with drops made (read / made). Validation split only.
Run::

    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stream_drops.py \
        --space 2d --presets jitter typical --max-clips 12
    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stream_drops.py --guard \
        --space 2d --presets none clean-ish typical jitter hard --max-clips 0
"""
from __future__ import annotations

import argparse

import numpy as np
import torch

import synsp
from alternating_frames import estimate
from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner
from unseen_errors import dropped

MODELS = {"3d": ("h36m17", "synsp-h36m17"), "2d": ("coco17", "synsp-coco17")}
DROPS = {"drop 1/7": (7, 1), "drop 2/7": (7, 2), "drop 3/20": (20, 3)}
CASES = ("as is", *DROPS, "alternating")


def changed(case, name: str, space: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The estimate and its truth (T', J, C) for case ``name``."""
    if name in DROPS:
        every, run = DROPS[name]
        return dropped(case.noisy, "", every, run), dropped(case.clean, "", every, run)
    if name == "alternating":
        return estimate(case, "jitter", space, "odd larger", rng), case.clean  # "jitter": the preset's estimate
    return case.noisy, case.clean


def watched(x: np.ndarray) -> tuple[int, int]:
    """``x`` (T, J, C) through a :class:`DropWatch` alone: the frames whose step it read as a possible drop (told by
    the frame after them; given on at once all the same) and the frames it put in."""
    from synsp.inference.stream_drops import DropWatch  # here: the figures run on trees without it too
    watch, told, put_in = DropWatch(), 0, 0
    for frame in x:
        put_in += watch.push(frame[None])
        told += watch.suspect is not None
    return told, put_in


def guard(args: argparse.Namespace, layout: str) -> None:
    """The drop watch's frames told by the next and put in on each preset's clips as they are, and with drops made."""
    print("| space | preset | case | clips | frames | told by the next | put in | made |\n"
          "|---|---|---|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases("val", preset, layout=layout, space=args.space, max_clips=args.max_clips)
        for name in [c for c in args.cases if c == "as is" or c in DROPS]:
            inputs = [changed(case, name, args.space, np.random.default_rng(0))[0] for case in cases]
            counts = np.array([watched(x) for x in inputs]).reshape(-1, 2)
            made = 0 if name == "as is" else sum(len(c.noisy) - len(x) for c, x in zip(cases, inputs))
            print(f"| {args.space} | {preset} | {name} | {len(cases)} | {sum(map(len, inputs))} | "
                  f"{counts[:, 0].sum()} | {counts[:, 1].sum()} (in {int((counts[:, 1] > 0).sum())} clips) | {made} |",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=sorted(MODELS), default="2d")
    parser.add_argument("--presets", nargs="+", default=["jitter", "typical"])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--max-clips", type=int, default=12, help="the first N validation clips (0 = all 65)")
    parser.add_argument("--per-clip", action="store_true", help="also each clip's figures")
    parser.add_argument("--guard", action="store_true", help="the drop watch alone: frames told by the next and put in")
    args = parser.parse_args()
    torch.set_num_threads(1)
    layout, checkpoint = MODELS[args.space]
    if args.guard:
        return guard(args, layout)
    model = load_model(checkpoint)
    unit = "mm" if args.space == "3d" else "px"
    print(f"| space | preset | case | input {unit} | offline | stream | stream / offline |\n"
          "|---|---|---|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases("val", preset, layout=layout, space=args.space, max_clips=args.max_clips)
        for name in args.cases:
            rng = np.random.default_rng(0)
            rows = []
            for case in cases:
                x, truth = changed(case, name, args.space, rng)
                outs = (x, synsp.refine(x, "synsp", layout=layout, space=args.space, fps=30.0),
                        StreamingRefiner(model).refine_all(x))
                rows.append([len(x)] + [score(o, truth, layout=layout, space=args.space)["MPJPE"] for o in outs])
                if args.per_clip:
                    print(f"    {case.name} {name}: " + " / ".join(f"{v:.2f}" for v in rows[-1][1:]), flush=True)
            r = np.array(rows)
            inp, off, live = np.average(r[:, 1:], axis=0, weights=r[:, 0])
            print(f"| {args.space} | {preset} | {name} | {inp:.2f} | {off:.2f} ({off / inp:.3f}) | "
                  f"{live:.2f} ({live / inp:.3f}) | {live / off:.3f} |", flush=True)


if __name__ == "__main__":
    main()
