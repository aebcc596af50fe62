"""A video decoder's stall: the whole pose written again for ``--frames`` frames at 3 places, then caught up.

A decoder that stalls shows the same picture for a few frames and then jumps to where the video got to; the
estimator writes the very same pose for each repeat (every value, noise and all). Each clip (``--split``, the first
``--clips``, preset ``--preset``; coco17 2D in pixels, or h36m17 3D with the body's world path: the mocap's
positions plus the preset's errors, as a 3D estimator with a root track gives) gets a stall after the frames at a
quarter, a half and three quarters of it. Prints the error on the held frames (px or mm, against the truth): the
input, SynSP with stalls not read (``synsp.estimator_errors.stalls`` off: the repeats and the catch-up read as
moves, as before 2026-12-07), SynSP, and SynSP on the input with the held frames linearly interpolated (what
reading them as a gap gives); and the error over the other frames for the three SynSP rows (audit 34, finding 2;
benchmarks/RESULTS.md, section 10, "A video decoder's stall").

``--end``: one stall instead, the clip's last ``--frames`` frames a copy of the frame before them (no catch-up); the
reference row is the input as it was. ``--stream``: the held frames' error through ``synsp.StreamingRefiner`` too
(stalls unread, read, and on the held frames interpolated), offline's beside it, and each frame's latency (the most
frames a frame came back after it went in, and how many came back later than the stream's lag + lookahead; RESULTS
section 10, "A decoder's stall in a stream and at a track's end"). The stream and offline are told ``--fps`` (the
stream ``--stream-fps`` if given: 30 is a stream that knew no rate, as before 2026-12-08).

``--carry N``: a stall at the end carried on ``N`` frames at most at 30 fps, then held (``stalls.CARRY_SECONDS``,
0.5 s: 15; 0: held from its first repeat; RESULTS section 10, "A stall at a track's end carried at most half a second").
``--fps F``: each clip's truth and input resampled to ``F`` fps first (cubic spline, as ``frame_rate.py``), ``--frames``
counted at that rate, and refined told it (``refine(fps=F)``; RESULTS section 10, "A stall's carry capped in seconds").

``--guard`` instead counts, on every clip of the split (2D coco17 and 3D h36m17 root-relative, presets clean-ish,
typical, hard), the stalls read in the inputs as they are, and the tracks whose spans (``track_segments``, the
networks' route) differ with stalls read and not: the input as it is, and with every 2nd, 3rd or 4th frame kept
and held (a 15, 10 or 7.5 fps estimate repeated to 30 fps: runs of 1 to 3 repeats, no stall).

Run::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/decoder_stalls.py [--space 2d|3d] [--frames 8]
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/decoder_stalls.py --stream [--end] [--space 3d]
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/decoder_stalls.py --guard
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/decoder_stalls.py --fires
    PYTHONPATH=src .venv/bin/python benchmarks/decoder_stalls.py --write stall.npy --clips 5  # dash_masculinity
    PYTHONPATH=src .venv/bin/python -m synsp refine stall.npy out.npy --layout coco17 --fps 30
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager

import numpy as np

import synsp
from frame_rate import at_rate  # this folder's: a 30 fps clip resampled
from synsp.data.mocap import load_clip
from synsp.estimator_errors import stalls
from synsp.estimator_errors.track_switches import track_segments
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import LAYOUTS


@contextmanager
def stalls_unread():
    """Within: no run of repeats is long enough to be read as a stall (the behaviour before the step)."""
    kept = stalls.STALL_FRAMES
    stalls.STALL_FRAMES = 10 ** 9
    try:
        yield
    finally:
        stalls.STALL_FRAMES = kept


def stalled(x: np.ndarray, frames: int, end: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x`` (T, J, C) with the frames after a quarter, a half and three quarters of it a copy of that frame for
    ``frames`` frames (``end``: the last ``frames`` frames, a copy of the frame before them, no catch-up); the same
    with them linearly interpolated between the frame copied and the one after (``end``: as they were, the truth's
    motion); (T,) bool the copies."""
    held, bridged, copies = x.copy(), x.copy(), np.zeros(len(x), bool)
    for s in (len(x) - 1 - frames,) if end else (len(x) // 4, len(x) // 2, 3 * len(x) // 4):
        held[s + 1: s + 1 + frames] = held[s]
        copies[s + 1: s + 1 + frames] = True
        if not end:
            w = np.arange(1, frames + 1)[:, None, None] / (frames + 1)
            bridged[s + 1: s + 1 + frames] = (1 - w) * held[s] + w * held[s + frames + 1]
    return held, bridged, copies


def error(out: np.ndarray, truth: np.ndarray, frames: np.ndarray) -> float:
    """Mean joint distance of ``out`` from ``truth`` (T, J, C) over ``frames`` (T,) bool."""
    return float(np.nanmean(np.linalg.norm(np.asarray(out, np.float64)[frames] - truth[frames], axis=-1)))


def cases(args: argparse.Namespace):
    """Each clip of the run (module docstring) as (name, truth, input), (T, J, C) float64."""
    layout = "coco17" if args.space == "2d" else "h36m17"
    for case in make_cases(args.split, args.preset, layout=layout, space=args.space, max_clips=args.clips):
        truth, noisy = case.clean.astype(np.float64), case.noisy.astype(np.float64)
        if args.space == "3d":  # the body's world path kept: the mocap's positions, the preset's errors on them
            world = load_clip(case.name, layout=layout).astype(np.float64)[: len(truth)]
            truth, noisy = world, world + (noisy - truth)
        if args.fps != 30:
            truth, noisy = (at_rate(x, args.fps).astype(np.float64) for x in (truth, noisy))
        yield case.name, truth, noisy


def where(args: argparse.Namespace) -> str:
    """The run's stalls and unit, for the means' line."""
    return (f"{args.split}, {args.space}, {args.preset}, {args.fps:g} fps, {args.frames} frames held "
            f"{'at the end' if args.end else 'at 3 places'}; {'mm' if args.space == '3d' else 'px'}")


def compare(args: argparse.Namespace) -> None:
    """The table of the module docstring."""
    rows, ref = [], "no stall" if args.end else "interpolated"
    for name, truth, noisy in cases(args):
        held, bridged, copies = stalled(noisy, args.frames, args.end)
        with stalls_unread():
            before = synsp.refine(held, fps=args.fps)
        now, gap = synsp.refine(held, fps=args.fps), synsp.refine(bridged, fps=args.fps)
        row = [error(held, truth, copies), error(before, truth, copies), error(now, truth, copies),
               error(gap, truth, copies), error(before, truth, ~copies), error(now, truth, ~copies),
               error(gap, truth, ~copies)]
        rows.append(row)
        print(f"{name[:34]:34s} held: input {row[0]:7.2f}  stalls unread {row[1]:7.2f}  synsp {row[2]:7.2f}  "
              f"{ref} {row[3]:7.2f} | other frames: unread {row[4]:6.2f}  synsp {row[5]:6.2f}  {ref} "
              f"{row[6]:6.2f}", flush=True)
    m = np.mean(rows, axis=0)
    print(f"mean over {len(rows)} clips ({where(args)}): held frames: input {m[0]:.2f}, stalls unread {m[1]:.2f}, "
          f"synsp {m[2]:.2f}, {ref} {m[3]:.2f}; other frames: stalls unread {m[4]:.2f}, synsp {m[5]:.2f}, "
          f"{ref} {m[6]:.2f}")


LATENCY = 7 + 3  # frames: the stream's default lag and lookahead, each frame's wait without a cut watch's suspect


def streamed(model, x: np.ndarray, fps: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (T, J, C) pushed frame by frame through a :class:`synsp.StreamingRefiner` of ``model`` told ``fps``, then
    flushed: the frames given back (T, J, C), and (T,) how many frames later than its own each came out (latency)."""
    stream, out, at = synsp.StreamingRefiner(model, fps=fps), [], []
    for t, frame in enumerate(x):
        got = stream.push(frame)
        out, at = out + list(got), at + [t] * len(got)
    tail = stream.flush()
    return np.stack(out + list(tail)), np.array(at + [len(x)] * len(tail)) - np.arange(len(x))


def compare_stream(args: argparse.Namespace) -> None:
    """``--stream``: the held frames' error through the stream (stalls unread, read, on the held frames
    interpolated) and offline; the other frames'; each frame's latency with stalls unread and read."""
    model = synsp.load_model("synsp-coco17" if args.space == "2d" else "synsp-h36m17")
    rows, ref, lengths = [], "no stall" if args.end else "interpolated", []
    for name, truth, noisy in cases(args):
        held, bridged, copies = stalled(noisy, args.frames, args.end)
        lengths.append(held)
        told = args.fps if args.stream_fps is None else args.stream_fps
        with stalls_unread():
            before, waited = streamed(model, held, told)
        (now, waits), gap = streamed(model, held, told), streamed(model, bridged, told)[0]
        offline = synsp.refine(held, fps=args.fps)
        row = [error(held, truth, copies), *(error(o, truth, copies) for o in (before, now, gap, offline)),
               *(error(o, truth, ~copies) for o in (before, now, offline)), waited.max(), waits.max(),
               int((waited > LATENCY).sum()), int((waits > LATENCY).sum())]
        rows.append(row)
        print(f"{name[:34]:34s} held: input {row[0]:7.2f}  stream unread {row[1]:7.2f}  stream {row[2]:7.2f}  "
              f"stream {ref} {row[3]:7.2f}  offline {row[4]:7.2f} | other frames: unread {row[5]:6.2f}  stream "
              f"{row[6]:6.2f}  offline {row[7]:6.2f} | latency max {row[8]:.0f} -> {row[9]:.0f} frames, frames later "
              f"than {LATENCY}: {row[10]:.0f} -> {row[11]:.0f}", flush=True)
    m = np.mean(rows, axis=0)
    print(f"mean over {len(rows)} clips ({where(args)}): held frames: input {m[0]:.2f}, stream unread {m[1]:.2f}, "
          f"stream {m[2]:.2f}, stream {ref} {m[3]:.2f}, offline {m[4]:.2f}; other frames: stream unread {m[5]:.2f}, "
          f"stream {m[6]:.2f}, offline {m[7]:.2f}; latency max {max(r[8] for r in rows):.0f} -> "
          f"{max(r[9] for r in rows):.0f} frames; frames later than {LATENCY} (of {sum(len(n) for n in lengths)}): "
          f"{sum(r[10] for r in rows)} -> {sum(r[11] for r in rows)}")


def guard(args: argparse.Namespace) -> None:
    """The counts of the module docstring."""
    for space, layout in (("2d", "coco17"), ("3d", "h36m17")):
        for preset in ("clean-ish", "typical", "hard"):
            read, differ, tracks = 0, {1: 0, 2: 0, 3: 0, 4: 0}, 0
            pairs = LAYOUTS[layout].left_right  # the networks' route's cuts
            for case in make_cases(args.split, preset, layout=layout, space=space):
                x = case.noisy.astype(np.float64)
                read += len(stalls.stall_gaps(x))
                tracks += 1
                for k in differ:  # k = 1: the input as it is
                    held = np.repeat(x[::k], k, axis=0)[: len(x)]
                    with stalls_unread():
                        before = track_segments(held, pairs=pairs)
                    differ[k] += before != track_segments(held, pairs=pairs)
            print(f"{space} {preset:9s} {tracks} clips: stalls read in the input {read}; spans changed: the input "
                  f"{differ[1]}, every 2nd frame held {differ[2]}, every 3rd {differ[3]}, every 4th {differ[4]}",
                  flush=True)


def fires(args: argparse.Namespace) -> None:
    """``--fires``: on every clip of the split (2D coco17 and 3D h36m17 root-relative, presets clean-ish, typical,
    hard), how many inputs hold a stall, and in how many a stall at the end is carried on (``stalls.carried_on``)."""
    for space, layout in (("2d", "coco17"), ("3d", "h36m17")):
        for preset in ("clean-ish", "typical", "hard"):
            xs = [case.noisy.astype(np.float64) for case in make_cases(args.split, preset, layout=layout, space=space)]
            held = sum(bool(stalls.stall_gaps(x)) for x in xs)
            carried = sum(stalls.carried_on(x, x) is not x for x in xs)
            print(f"{space} {preset:9s} {len(xs)} clips: with a stall {held}, a stall at the end carried on {carried}",
                  flush=True)


def write(args: argparse.Namespace) -> None:
    """Clip ``--clips`` (counted from 0) of the split, 2D, stalled as in :func:`compare`, saved to ``--write`` (.npy)
    for ``synsp refine``; prints its held frames."""
    case = make_cases(args.split, args.preset, layout="coco17", space="2d", max_clips=args.clips + 1)[args.clips]
    held, _, copies = stalled(case.noisy.astype(np.float64), args.frames)
    np.save(args.write, held.astype(np.float32))
    print(f"{case.name}: {held.shape}, frames held {np.flatnonzero(copies).tolist()} -> {args.write}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--space", default="2d", choices=("2d", "3d"))
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--frames", type=int, default=8, help="frames held at each stall")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--end", action="store_true", help="one stall: the track's last --frames frames")
    parser.add_argument("--stream", action="store_true", help="through synsp's stream too")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--fires", action="store_true", help="count the inputs a stall step fires on")
    parser.add_argument("--carry", type=int, default=None,
                        help="frames a stall at the end is carried on at most, 30 fps (default: stalls.CARRY_SECONDS; "
                             "0: held)")
    parser.add_argument("--fps", type=float, default=30.0, help="the clips resampled to this rate (frames per second)")
    parser.add_argument("--stream-fps", type=float, default=None,
                        help="--stream: the rate the stream is told (default --fps; before 2026-12-08 it read 30)")
    parser.add_argument("--write", help="save clip --clips (from 0) stalled, 2D, to this .npy instead")
    args = parser.parse_args()
    if args.carry is not None:
        stalls.CARRY_SECONDS = args.carry / 30  # frames at 30 fps
    run = guard if args.guard else fires if args.fires else write if args.write else \
        compare_stream if args.stream else compare
    run(args)


if __name__ == "__main__":
    main()
