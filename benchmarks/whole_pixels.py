"""2D keypoints written as whole pixels (an exporter's integers): the light-noise readings with the grid's rounding
allowed for (:func:`synsp.inference.white_noise.whiteness`' ``rounding``, today's) against the same without it.

coco17 (or ``--layout``, e.g. halpe26: converted to the model's), the split's first clips, 30 fps. A condition is
``SOURCE[@HEIGHT][+SIGMA]/Q``: SOURCE a preset of the simulator (`typical`, `jitter`, `none`: the clean clip), its
image scaled about the image centre (960, 540) so the person is HEIGHT px tall (a far camera; none: as simulated,
300-500 px), SIGMA px of white noise per coordinate added, then every value rounded to a grid of Q px (0: not
rounded; the readings are then as before, bit for bit).
Cells: MPJPE (px) over every joint, frame-weighted; input, then `before` (the rounding not allowed for) and
`after`, x input; SmoothNet as a reference; how many clips read as light noise only
(:func:`~synsp.inference.noise_only.noise_only_share` above 0) and how many end worse than their input, before ->
after. ``--stream``: before and after through a live stream of the layout
(:class:`synsp.integrations.stream.PoseStream`, frame by frame; "before": its running whiteness read without the
rounding), SmoothNet offline. RESULTS section 10, "Whole-pixel 2D of a small person". Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/whole_pixels.py [--split val] [--max-clips 12] [--layout coco17]
        [--stream] [--conditions typical@120/1 typical/1 none/1 none+0.5/1 ...]
"""
from __future__ import annotations

import argparse
import time
from unittest import mock

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference import noise_only, stream_white_noise, white_noise
from synsp.integrations.stream import Frame, PoseStream
from table_cells import x_input

CONDITIONS = ("typical@120/0", "typical@120/1", "typical@120/2", "typical/1", "jitter@120/1", "jitter/1",
              "none/1", "none/2", "none@120/1", "none+0.25/1", "none+0.5/1", "none@120+0.5/1")
CENTRE = np.array([960.0, 540.0])


def clips(condition: str, split: str, max_clips: int, layout: str = "coco17") -> list[tuple[np.ndarray, np.ndarray]]:
    """[(clean, noisy)] (T, J, 2) float64 of ``condition`` (module docstring) in ``layout``, both scaled alike."""
    source, q = condition.split("/")
    source, sigma = (source.split("+") + ["0"])[:2]
    preset, height = (source.split("@") + ["0"])[:2]
    out = []
    for i, case in enumerate(make_cases(split, preset, layout=layout, space="2d", max_clips=max_clips)):
        clean, noisy = np.asarray(case.clean, np.float64), np.asarray(case.noisy, np.float64)
        if float(height):
            k = float(height) / (np.nanmax(clean[..., 1]) - np.nanmin(clean[..., 1]))
            clean, noisy = CENTRE + k * (clean - CENTRE), CENTRE + k * (noisy - CENTRE)
        if float(sigma):
            noisy = noisy + np.random.default_rng(i).normal(0.0, float(sigma), noisy.shape)
        if float(q):
            noisy = np.round(noisy / float(q)) * float(q)
        out.append((clean, noisy))
    return out


def streamed(noisy: np.ndarray, layout: str) -> np.ndarray:
    """(T, J, 2) pixels through a SynSP stream of one person in ``layout``, frame by frame."""
    stream = PoseStream("synsp", layout=layout, space="2d")
    lines = [line for t in range(len(noisy)) for line in stream.push(Frame(t, {0: noisy[t]}))] + stream.close()
    return np.array([np.asarray(line["people"][0]["keypoints"], np.float64)[:, :2] for line in lines])


def row(condition: str, split: str, max_clips: int, layout: str = "coco17", stream: bool = False) -> str:
    """One table row: ``condition`` over the split's first ``max_clips`` clips in ``layout`` (``stream``: through
    :func:`streamed`)."""
    refine = (lambda x: streamed(x, layout)) if stream else (lambda x: synsp.refine(x, layout=layout, fps=30))
    scores, frames, read, worse = [], [], [0, 0], [0, 0]
    for clean, noisy in clips(condition, split, max_clips, layout):
        error = lambda pred: float(np.linalg.norm(np.asarray(pred, np.float64) - clean, axis=-1).mean())  # noqa: E731
        with mock.patch.object(white_noise, "grid_step", lambda values: 0.0), mock.patch.object(  # not allowed for
                stream_white_noise, "band_ratio", lambda mid, top, floor=0.0: white_noise.band_ratio(mid, top)):
            before = refine(noisy)
            read[0] += bool(noise_only.noise_only_share(noisy, layout) > 0)
        s = [error(noisy), error(before), error(refine(noisy)),
             error(synsp.refine(noisy, "smoothnet", layout=layout, fps=30))]
        read[1] += bool(noise_only.noise_only_share(noisy, layout) > 0)
        worse[0] += s[1] > s[0]
        worse[1] += s[2] > s[0]
        scores.append(s)
        frames.append(len(clean))
    m = np.average(scores, axis=0, weights=frames)
    return (f"| {condition} | " + " | ".join(x_input(m)) + f" | {read[0]} -> {read[1]} of {len(frames)} | "
            f"{worse[0]} -> {worse[1]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=12, help="only the first N clips (0 = all)")
    parser.add_argument("--conditions", nargs="+", default=list(CONDITIONS))
    parser.add_argument("--layout", default="coco17")
    parser.add_argument("--stream", action="store_true", help="before and after through a live stream")
    args = parser.parse_args()
    start = time.time()
    kind = ", a stream" if args.stream else ""
    print(f"{args.layout}{kind}, {args.split} split, {args.max_clips or 'all'} clips, px\n")
    print("| condition | input | before | after | SmoothNet | read as noise only | clips worse than input |")
    print("|---|---:|---:|---:|---:|---|---|")
    for condition in args.conditions:
        print(row(condition, args.split, args.max_clips, args.layout, args.stream), flush=True)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
