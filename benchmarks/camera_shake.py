"""A shaking camera's 3D output: the whole body shaken at 3-8 Hz on top of each joint's own noise.

A user audit (audit 7, minor) lifted clips from a shaking camera: every joint moved together by a 3-8 Hz
wobble of 15 mm (per axis) on top of 8 mm of white noise, and the default's absolute error stayed well
behind Savitzky-Golay's. This is the validation counterpart: the split's clips (h36m17, mm, the first 240
frames), each shaken by its own draw (``--shake`` mm per axis, band ``--band`` Hz) plus ``--white`` mm of
white noise, refined by the default and its peers at the assumed 30 fps. Columns: MPJPE root-relative
and absolute, Accel, and the error of the joints' mean (where the body is), each the mean over clips. Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/camera_shake.py [--split val] [--clips 16]
        [--shake 15] [--white 8] [--band 3 8]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import synsp
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.metrics import accel_error, mpjpe

METHODS = ("input", "synsp", "smoothnet", "savgol", "butterworth")
SEED = 700


def shaken(clean: np.ndarray, rng: np.random.Generator, shake: float, white: float,
           band: tuple[float, float]) -> np.ndarray:
    """``clean`` (T, J, 3) mm plus one whole-body shake (band-limited Gaussian noise at 30 fps, ``shake`` mm
    RMS per axis) and each joint's own white noise (``white`` mm per coordinate)."""
    n = len(clean)
    spectrum = np.fft.rfft(rng.normal(0.0, 1.0, (n, 3)), axis=0)
    hz = np.fft.rfftfreq(n, 1.0 / 30.0)
    spectrum[(hz < band[0]) | (hz > band[1])] = 0.0
    wobble = np.fft.irfft(spectrum, n, axis=0)
    wobble *= shake / max(float(wobble.std()), 1e-12)
    return clean + wobble[:, None, :] + rng.normal(0.0, white, clean.shape)


def scores(pred: np.ndarray, clean: np.ndarray) -> tuple[float, float, float, float]:
    """Root-relative MPJPE, absolute MPJPE, Accel and the joints' mean's error of ``pred`` (T, J, 3) mm."""
    rr = lambda x: x - x[:, :1]  # noqa: E731  (h36m17's root is joint 0)
    centre = float(np.linalg.norm(pred.mean(1) - clean.mean(1), axis=-1).mean())
    return mpjpe(rr(pred), rr(clean)), mpjpe(pred, clean), accel_error(pred, clean), centre


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures, once)")
    parser.add_argument("--clips", type=int, default=16, help="that many clips, evenly over the split")
    parser.add_argument("--shake", type=float, default=15.0, help="the whole body's shake, mm RMS per axis")
    parser.add_argument("--white", type=float, default=8.0, help="each joint's white noise, mm per coordinate")
    parser.add_argument("--band", type=float, nargs=2, default=(3.0, 8.0), help="the shake's band, Hz")
    args = parser.parse_args()
    names = load_split(args.split)
    names = names[:: max(1, len(names) // args.clips)][: args.clips]
    start, rows = time.time(), {m: [] for m in METHODS}
    for i, name in enumerate(names):
        clean = load_clip(name, "h36m17").astype(np.float64)[:240]
        noisy = shaken(clean, np.random.default_rng(SEED + i), args.shake, args.white, tuple(args.band))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for m in METHODS:
                pred = noisy if m == "input" else np.asarray(synsp.refine(noisy, m), np.float64)
                rows[m].append(scores(pred, clean))
    print(f"\n#### {len(names)} {args.split} clips, shake {args.shake:g} mm at {args.band[0]:g}-{args.band[1]:g} Hz"
          f" + {args.white:g} mm white, 30 fps ({time.time() - start:.0f} s)\n")
    print("| method | MPJPE root-relative | MPJPE absolute | Accel | the joints' mean |\n|---|---:|---:|---:|---:|")
    for m in METHODS:
        rr, absolute, accel, centre = np.mean(rows[m], axis=0)
        print(f"| {m} | {rr:.2f} | {absolute:.2f} | {accel:.2f} | {centre:.2f} |")


if __name__ == "__main__":
    main()
