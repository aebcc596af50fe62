"""Ultralytics YOLO-pose files refined: a validation clip written as YOLO writes it, refined, scored in pixels.

The first validation clips of the 2D ``typical`` preset (coco17, pixels of a 1920 x 1080 image) are written as
``yolo pose predict save_txt=True`` labels (a folder of ``clip_<frame>.txt``, one line ``cls cx cy w h x1 y1 v1 ...``
normalised by the image's sides, no file for every 40th frame: nobody found) and as ``Results.summary()`` JSON
(a list per frame, keypoints ``{x, y, visible}`` in pixels, ``track_id``), then refined by
:func:`synsp.refining.files.refine_file` (what ``synsp refine IN OUT`` runs): the labels as they are (normalised,
no image size), with ``--image-size 1920 1080``, the JSON, and beside them the same poses as an ``.npy`` (NaN where
nobody was found). The outputs are read back, times the image's sides
for the labels, and scored against the clean clip on the frames the input had (benchmarks/RESULTS.md, section 11,
"Ultralytics YOLO-pose files")::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/yolo_pose_files.py [--max-clips 6]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from synsp.evaluation.protocol import make_cases
from synsp.formats import read_poses
from synsp.refining.files import refine_file

SIDES = np.array([1920.0, 1080.0])
EMPTY_EVERY = 40  # every 40th frame has no label file: nobody found there


def write_yolo(folder: Path, poses: np.ndarray) -> tuple[Path, Path]:
    """``poses`` (T, 17, 2) pixels as YOLO-pose labels (a folder) and summary() JSON in ``folder``."""
    labels, frames = folder / "labels", []
    labels.mkdir()
    for t, p in enumerate(poses):
        lo, hi = p.min(0), p.max(0)
        seen = t % EMPTY_EVERY != EMPTY_EVERY - 1
        if seen:
            box = [(lo + hi)[0] / 2 / SIDES[0], (lo + hi)[1] / 2 / SIDES[1], *((hi - lo) / SIDES)]
            points = np.concatenate([p / SIDES, np.full((len(p), 1), 0.95)], 1).ravel()
            (labels / f"clip_{t + 1}.txt").write_text(" ".join(f"{v:.6f}" for v in [0, *box, *points]) + "\n")
        frames.append([{"name": "person", "class": 0, "confidence": 0.91, "track_id": 1,
                        "box": dict(zip(("x1", "y1", "x2", "y2"), map(float, [*lo, *hi]))),
                        "keypoints": {"x": p[:, 0].round(2).tolist(), "y": p[:, 1].round(2).tolist(),
                                      "visible": [0.95] * len(p)}}] if seen else [])
    (folder / "clip.json").write_text(json.dumps(frames))
    return labels, folder / "clip.json"


def error(out: Path, clean: np.ndarray, seen: np.ndarray, scale: np.ndarray) -> float:
    """Mean joint distance (px) of ``out`` read back (times ``scale``) from ``clean`` (T, J, 2) on ``seen`` frames."""
    poses = read_poses(out).poses[0] * scale
    return float(np.nanmean(np.linalg.norm(poses - clean, axis=-1)[seen]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-clips", type=int, default=6)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"val split, typical, coco17 2D, first {args.max_clips} clips, 1920 x 1080; px from the clean clip\n")
    print("| clip | input | labels, normalised | labels, --image-size 1920 1080 | summary() JSON "
          "| the same as a .npy |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = []
    for case in make_cases("val", "typical", layout="coco17", space="2d", max_clips=args.max_clips):
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        seen = np.arange(len(noisy)) % EMPTY_EVERY != EMPTY_EVERY - 1
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
            folder = Path(tmp)
            labels, summary = write_yolo(folder, noisy)
            refine_file(labels, folder / "out_norm")
            refine_file(labels, folder / "out_px", image_size=(1920, 1080))
            refine_file(summary, folder / "out.json")
            np.save(folder / "clip.npy", np.where(seen[:, None, None], noisy, np.nan))
            refine_file(folder / "clip.npy", folder / "out.npy")
            row = [float(np.mean(np.linalg.norm(noisy - clean, axis=-1)[seen])),
                   error(folder / "out_norm", clean, seen, SIDES), error(folder / "out_px", clean, seen, SIDES),
                   error(folder / "out.json", clean, seen, np.ones(2)),
                   error(folder / "out.npy", clean, seen, np.ones(2))]
        rows.append(row)
        print(f"| {case.name} | " + " | ".join(f"{v:.2f}" for v in row) + " |", flush=True)
    mean = np.mean(rows, axis=0)
    print("| mean | " + " | ".join(f"{v:.2f}" for v in mean) + " |")
    print("| x input | " + " | ".join(f"{v / mean[0]:.3f}" for v in mean) + " |")


if __name__ == "__main__":
    main()
