"""Waist-up video through the stream: a live person whose lower body the picture never shows (a webcam, a desk, a
signer), refined by SynSP's stream (:class:`synsp.StreamingRefiner`, default lag and lookahead) against offline
refinement (``synsp.refine``, which gives way to SmoothNet above :data:`synsp.sequence.UNSEEN_SHARE` of the joints
never seen) and SmoothNet's stream.

Each validation clip gets the preset's 2D errors (the virtual cameras of
:func:`synsp.evaluation.protocol.make_cases`), then a row's joints NaN in every frame (benchmarks/unseen.py's
``hide_lower``): ``waist-up``, hips, knees and ankles (and MediaPipe's heels and toes); ``knee-up``, the ankles (and
feet: the picture's bottom edge cuts them off); ``full body``, none. Cells: mean error (px, not root-relative) over
the joints seen, per clip, then averaged over the clips; "worse" counts the clips the stream gave back worse than
its input, "failed" the clips it stopped on with an error (left out of its cell). ``--cli``: the stream through
``synsp stream`` (:func:`synsp.integrations.stream_run.run_stream` on JSON lines, one person per line, the hidden
joints written ``null``) instead of the Python API. Run:

    .venv/bin/python benchmarks/stream_waist_up.py [--preset jitter typical] [--max-clips 12] [--layout coco17]
        [--rows waist-up knee-up] [--cli] [--space 3d]
    .venv/bin/python benchmarks/stream_waist_up.py --guard --preset clean-ish typical hard --max-clips 0 [--space 3d]

``--guard``: no stream run; the clips as they come (no joint hidden) on which the stream's give-way could act at all: a
frame after the first detection at which more than :data:`synsp.sequence.UNSEEN_SHARE` of the joints were not seen
so far (SmoothNet's stream then), or one joint not seen so far (a stand-in, :mod:`synsp.inference.stream_fill`).

``--space 3d``: the 3D cases (mm, ``--layout`` default h36m17) and models; the root joint is left out of the error (0
in every frame of the root-relative cases, which a stream reads as "not found" where the hips are missing).
"""
from __future__ import annotations

import argparse
import io
import json
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases

ROWS = {"waist-up": "waist-up", "knee-up": "knee-up", "full body": "full body"}  # row -> unseen.hide_lower's rule


def api_stream(model: synsp.Refiner, layout: str):
    """(T, J, 2) -> (T, J, 2): the frames pushed one by one through ``model``'s stream."""
    return lambda x: np.asarray(synsp.StreamingRefiner(model, layout=layout).refine_all(x.astype(np.float32)))


def cli_stream(layout: str):
    """(T, J, 2) -> (T, J, 2): ``synsp stream --layout layout`` (its :func:`run_stream` on JSON lines, one person,
    NaN joints written ``null``, its notes on stderr kept in :data:`NOTES`)."""
    from synsp.integrations.stream import PoseStream
    from synsp.integrations.stream_run import run_stream

    def run(x: np.ndarray) -> np.ndarray:
        lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": [
            None if np.isnan(p).any() else [float(v) for v in p] for p in frame]}]}) + "\n"
            for t, frame in enumerate(x))
        out, err = io.StringIO(), io.StringIO()
        run_stream(PoseStream(layout=layout), io.StringIO(lines), out, err)
        NOTES.update(n for n in err.getvalue().splitlines() if n)
        y = np.full(x.shape, np.nan)
        for line in out.getvalue().splitlines():
            d = json.loads(line)
            if d["people"]:
                y[d["t"]] = [[np.nan, np.nan] if p is None else p[:2] for p in d["people"][0]["keypoints"]]
        return y
    return run


def _ran(stream, x: np.ndarray, name: str) -> np.ndarray:
    """``stream(x)``, or inf where the stream stopped with an error (said; a result here, counted as failed)."""
    try:
        return stream(x)
    except Exception as error:  # noqa: BLE001
        print(f"{name}: the stream stopped: {type(error).__name__}: {error}", flush=True)
        return np.full(x.shape, np.inf)


NOTES: set[str] = set()  # synsp stream's lines on stderr (--cli)


def guard(args: argparse.Namespace) -> None:
    """``--guard`` (module docstring): per preset, the clips a stream's give-way or stand-ins could act on."""
    from synsp.sequence import UNSEEN_SHARE, not_found

    layout = args.layout or ("h36m17" if args.space == "3d" else "coco17")
    for preset in args.preset:
        cases = make_cases(args.split, preset, layout=layout, space=args.space, max_clips=args.max_clips)
        gives, stands = [], []
        for case in cases:
            x = np.asarray(case.noisy, np.float64)
            detected = np.isfinite(x).all(-1) & ~not_found(x)  # (T, J), as the stream reads them
            first = np.flatnonzero(detected.any(-1))
            seen = np.logical_or.accumulate(detected[first[0]:] if len(first) else detected[:0], axis=0)
            gives += [case.name] * bool((1 - seen.mean(-1) > UNSEEN_SHARE).any())
            stands += [case.name] * bool((~seen).any())
        print(f"{args.space} {layout} `{preset}`: {len(cases)} clips, {sum(len(c.noisy) for c in cases)} frames; "
              f"the give-way could act on {len(gives)} {gives}, a stand-in on {len(stands)} {stands}", flush=True)


def main() -> None:
    from unseen import hide_lower  # benchmarks/, this script's folder

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--preset", nargs="+", default=["jitter", "typical"])
    parser.add_argument("--max-clips", type=int, default=12, help="the first N clips (0: all)")
    parser.add_argument("--layout", default=None, help="the poses' layout (default coco17 in 2D, h36m17 in 3D)")
    parser.add_argument("--space", default="2d", choices=("2d", "3d"))
    parser.add_argument("--rows", nargs="+", default=["waist-up", "knee-up"], choices=list(ROWS))
    parser.add_argument("--cli", action="store_true", help="synsp stream's class instead of the Python API")
    parser.add_argument("--guard", action="store_true", help="where the give-way could act on the clips as they come")
    args = parser.parse_args()
    if args.guard:
        return guard(args)
    start, three = time.time(), args.space == "3d"
    args.layout = args.layout or ("h36m17" if three else "coco17")
    kind = "h36m17" if three else "coco17"
    model, smooth = synsp.load_model(f"synsp-{kind}"), synsp.load_model(f"smoothnet-{kind}")
    stream = cli_stream(args.layout) if args.cli else api_stream(model, args.layout)
    print(f"{args.space.upper()} {args.layout}, {args.split}, mean error ({'mm' if three else 'px'}) over the joints "
          f"seen; stream: {'synsp stream (PoseStream)' if args.cli else 'StreamingRefiner'}")
    print("| preset | never seen | input | offline SynSP | stream | stream worse than input | SmoothNet's stream |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for preset in args.preset:
        cases = make_cases(args.split, preset, layout=args.layout, space=args.space, max_clips=args.max_clips)
        for row in args.rows:
            rng, errors = np.random.default_rng(0), []
            for case in cases:
                x = hide_lower(np.asarray(case.noisy, np.float64), args.layout, ROWS[row], 1.0, rng)
                hidden = np.isnan(x).any(-1).all(0)
                seen = ~hidden
                seen[0] &= not three  # the root of root-relative 3D cases (module docstring)
                outs = [x, synsp.refine(x, fps=30, layout=args.layout), _ran(stream, x, case.name),
                        _ran(api_stream(smooth, args.layout), x, case.name)]
                errors.append([float(np.linalg.norm(o[:, seen] - case.clean[:, seen], axis=-1).mean()) for o in outs])
            e = np.array(errors)
            ran = np.isfinite(e[:, 2])
            worse, failed = int((e[ran, 2] > e[ran, 0]).sum()), int((~ran).sum())
            smooth_ran = np.isfinite(e[:, 3])  # none: a layout other than the model's (the API stream refuses it)
            print(f"| `{preset}` ({len(e)} clips) | {row} ({hidden.sum()}/{len(seen)}) | {e[:, 0].mean():.2f} | "
                  f"{e[:, 1].mean():.2f} | **{e[ran, 2].mean():.2f}** | {worse}/{ran.sum()}"
                  f"{f', {failed} failed' if failed else ''} | "
                  f"{f'{e[smooth_ran, 3].mean():.2f}' if smooth_ran.any() else 'n/a'}"
                  f"{f' ({(~smooth_ran).sum()} failed)' if smooth_ran.any() and not smooth_ran.all() else ''} |",
                  flush=True)
    for note in sorted(NOTES):
        print("synsp stream said:", note)
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
