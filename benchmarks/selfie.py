"""A mirrored (selfie) 2D video: the split's clips with x -> W - x, the labels kept, refined by ``synsp.refine``.

A phone's front camera writes the image mirrored, and keypoints estimated on its raw frames and drawn on the mirrored
picture keep their labels: a left-handed body in the image. Each clip of the split (2D, pixels of a 1920-wide image)
is refined as it is and mirrored (input and ground truth alike), before (``handedness.MIRROR_READ = None``) and after
the handedness reading (the default); prints MPJPE (x input) of each, how many clips were refined mirrored, and how
many clips as they are came out other than before (the guard: 0). Run:

    .venv/bin/python benchmarks/selfie.py [--split val] [--presets typical jitter] [--layout coco17]
                                          [--max-clips N] [--read R]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import synsp
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases, score
from synsp.inference import handedness

WIDTH = 1920.0  # the simulator's image width (synsp.data.camera.Camera.image_size)


def mirrored(x: np.ndarray) -> np.ndarray:
    """(T, J, 2) pixels -> the mirrored image's: x -> WIDTH - x, the labels kept."""
    y = np.array(x, np.float64)
    y[..., 0] = WIDTH - y[..., 0]
    return y


def own_clips(layout: str, split: str, max_clips: int) -> dict[str, np.ndarray] | None:
    """The split's clean clips in ``layout`` when the mocap cannot be written in it (COCO-WholeBody-133: the mix of
    Halpe's and MediaPipe's points benchmarks/joint_groups.py builds), else None (``make_cases``'s own)."""
    if layout != "coco133":
        return None
    sys.path.insert(0, str(Path(__file__).parent))
    from joint_groups import clip_in

    names = load_split(split)[:max_clips] if max_clips else load_split(split)
    return {name: clip_in(name, layout) for name in names}


def refined(x: np.ndarray, reading: float | None) -> tuple[np.ndarray, float]:
    """``synsp.refine`` of ``x`` with :data:`~synsp.inference.handedness.MIRROR_READ` = ``reading``; the output and
    the highest mirror ratio read (0.0: none read)."""
    kept, fired = handedness.MIRROR_READ, []
    ratio = handedness.mirror_ratio

    def counted(*args, **kwargs) -> float:
        fired.append(ratio(*args, **kwargs))
        return fired[-1]
    handedness.MIRROR_READ, handedness.mirror_ratio = reading, counted
    try:
        out = synsp.refine(np.asarray(x, np.float32), "synsp")
    finally:
        handedness.MIRROR_READ, handedness.mirror_ratio = kept, ratio
    return np.asarray(out, np.float64), max(fired, default=0.0)


def mpjpe_cells(rows: list[tuple]) -> str:
    """Table cells of the frame-weighted MPJPE of ``rows`` (frames, input, as given before, after, mirrored before,
    after; px): the input's, then each of the others with its x input."""
    r = np.array(rows, float)
    v = [float(np.average(r[:, i], weights=r[:, 0])) for i in range(1, 6)]
    return " | ".join([f"{v[0]:.2f}", *(f"{x:.2f} ({x / v[0]:.3f})" for x in v[1:])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices; the test split is not run here)")
    parser.add_argument("--presets", nargs="+", default=["typical", "jitter"])
    parser.add_argument("--layout", default="coco17", help="coco17, or a layout the split can be written in")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--read", type=float, default=handedness.MIRROR_READ, help="MIRROR_READ after (the default's)")
    args = parser.parse_args()
    default = args.read
    print("| preset | clips | input (px) | as given: before | after | mirrored: before | after "
          "| mirrored refined mirrored back | as given: refined mirrored | as given: outputs changed "
          "| as given: highest reading | mirrored: readings (median, highest) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases(args.split, preset, layout=args.layout, space="2d", max_clips=args.max_clips,
                           clips=own_clips(args.layout, args.split, args.max_clips))
        rows, back, wrong, changed, given_top, readings = [], 0, 0, 0, 0.0, []
        for case in cases:
            s = lambda y, c=case: score(y, c.clean, layout=args.layout, space="2d")["MPJPE"]  # noqa: E731
            before, _ = refined(case.noisy, None)
            after, ratio = refined(case.noisy, default)
            wrong += ratio >= default
            given_top = max(given_top, ratio)
            changed += not np.array_equal(before, after)
            m_before, _ = refined(mirrored(case.noisy), None)
            m_after, ratio = refined(mirrored(case.noisy), default)
            back += ratio >= default
            readings.append(ratio)
            rows.append((len(case.clean), s(case.noisy), s(before), s(after),
                         s(mirrored(m_before)), s(mirrored(m_after))))
        print(f"| `{preset}` | {len(cases)} | {mpjpe_cells(rows)} | {back} | {wrong} | {changed} | {given_top:.2f} "
              f"| {np.median(readings):.2f}, {max(readings):.2f} |", flush=True)


if __name__ == "__main__":
    main()
