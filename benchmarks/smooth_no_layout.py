"""Joints of no layout with smooth errors at 60 / 120 Hz: kept as they came; SmoothNet without the clean step.

Cases: the first ``--clips`` clips of the split, 3D h36m17 under ``typical``, input and truth resampled 30 -> 60 and
120 Hz by a cubic spline (a 30 fps estimate brought to a lab's rate: its errors smooth, no frame-to-frame noise);
"unknown18": the 17 joints and a copy of the pelvis, a joint count the arrays route reads as no layout unless its bones
fit one (coco18). Methods: ``synsp.refine`` default and ``"smoothnet"`` on unknown18, SmoothNet with the clean-input
step off (``keep_clean`` of the cached 3D SmoothNet set False: what an explicit ``--method smoothnet`` would give if
it did not keep clean input), and h36m17 SmoothNet. MPJPE (mm, the 17 joints) per clip and the mean, x input
(benchmarks/RESULTS.md, section 11, "Smooth joints of no layout kept")::

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/smooth_no_layout.py [--split val] [--clips 6]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
from synsp.evaluation.protocol import make_cases, score
from synsp.refining.methods import network_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=6)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    model = network_model("smoothnet", 3)

    def unkept(x: np.ndarray, fps: float) -> np.ndarray:
        model.keep_clean = False
        try:
            return synsp.refine(x, "smoothnet", fps=fps)
        finally:
            model.keep_clean = True

    methods = {"unknown18 default": lambda x, fps: synsp.refine(x, fps=fps),
               "unknown18 smoothnet": lambda x, fps: synsp.refine(x, "smoothnet", fps=fps),
               "unknown18 smoothnet, clean step off": unkept}
    got: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for i, case in enumerate(make_cases(args.split, "typical", layout="h36m17", space="3d", max_clips=args.clips)):
        frames = len(case.clean)
        for fps in (60, 120):
            times = np.arange(0, frames - 1, 30 / fps)
            x, truth = (CubicSpline(np.arange(frames), a.astype(np.float64))(times).astype(np.float32)
                        for a in (case.noisy, case.clean))
            x18 = np.concatenate([x, x[:, :1]], axis=1)
            given = score(x, truth, layout="h36m17", space="3d")["MPJPE"]
            known = score(synsp.refine(x, "smoothnet", fps=fps), truth, layout="h36m17", space="3d")["MPJPE"]
            row = [f"h36m17 smoothnet {known:.2f}"]
            for name, run in methods.items():
                out = score(run(x18, fps)[:, :17], truth, layout="h36m17", space="3d")["MPJPE"]
                got.setdefault((fps, name), []).append((given, out))
                row.append(f"{name} {out:.2f}")
            print(f"clip {i} {fps} Hz: input {given:.2f}; " + "; ".join(row), flush=True)
    for (fps, name), pairs in got.items():
        given, out = np.mean(pairs, axis=0)
        print(f"{fps} Hz {name}: {given:.2f} -> {out:.2f} mm (x{out / given:.3f})")


if __name__ == "__main__":
    main()
