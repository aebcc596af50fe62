"""The classic filters' defaults (``synsp refine --method savgol|one-euro|...`` without options),
chosen and checked at the frame rates a gait lab records at: Vicon markers at 100 Hz, Pose2Sim's
triangulated video at 30-60 fps.

Two kinds of data, each clip corrupted once with a fixed seed:

- the VALIDATION split (Bandai Namco mocap, :mod:`synsp.data.splits`; never the test split),
  Human3.6M-17 joints, with the ``typical`` estimator errors (:mod:`synsp.data.simulator`) at
  30 fps and resampled to 60 fps (cubic), scored root-relative (mm);
- a gait-like marker clip made here (:func:`gait_markers`): 16 markers of a walk at 1.3 m/s,
  each foot standing still for 60 % of a 1.1 s stride and swinging in the rest, 8 s, at 30, 60
  and 100 Hz; with Pose2Sim-like noise (white 15 mm per coordinate plus a slow AR(1) 5 mm) and
  with Vicon-like noise (white 1.5 mm), scored in the lab's frame (mm).

Every filter runs at the clip's frame rate (``fps=``). Prints each grid's mean MPJPE (the choice:
the lowest mean over the validation rows and the gait rows) and the defaults before and after.

    .venv/bin/python benchmarks/filter_defaults.py            # about a minute
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline

from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, Case, evaluate
from synsp.filters import butterworth, gaussian, one_euro, savgol
from synsp.sequence import fill_gaps
from synsp.skeleton import root_position

STRIDE_S, SPEED = 1.1, 1300.0  # stride time (s), walking speed (mm/s): an adult's comfortable walk
THIGH, SHANK = 450.0, 430.0  # mm


def _leg(t: np.ndarray, phase: float, side: float) -> tuple[np.ndarray, ...]:
    """Hip, knee, ankle and toe (T, 3) of one leg: the foot still for 60 % of each stride, then
    swung one stride length forwards (a smooth step) and lifted up to 90 mm."""
    cycle = (t / STRIDE_S + phase) % 1.0
    strides = np.floor(t / STRIDE_S + phase)
    swing = np.clip((cycle - 0.6) / 0.4, 0.0, 1.0)
    length = SPEED * STRIDE_S
    ankle_x = length * (strides + swing * swing * (3 - 2 * swing)) - length * phase
    ankle = np.stack([ankle_x, 80.0 + 90.0 * np.sin(np.pi * swing), np.full_like(t, side * 100.0)], axis=-1)
    pelvis_y = 930.0 + 20.0 * np.cos(4 * np.pi * t / STRIDE_S)
    hip = np.stack([SPEED * t, pelvis_y, np.full_like(t, side * 90.0)], axis=-1)
    reach = ankle - hip
    d = np.clip(np.linalg.norm(reach, axis=-1, keepdims=True), 1.0, THIGH + SHANK - 1.0)
    along = (THIGH ** 2 - SHANK ** 2 + d ** 2) / (2 * d)  # the knee's foot point on the hip-ankle line
    up = np.sqrt(np.maximum(THIGH ** 2 - along ** 2, 0.0))
    unit = reach / d
    forward = np.stack([-unit[:, 1], unit[:, 0], np.zeros_like(t)], axis=-1)  # in the sagittal plane, knee ahead
    knee = hip + along * unit + up * forward
    toe = ankle + np.array([150.0, -60.0, 0.0])
    return hip, knee, ankle, toe


def gait_markers(fps: float, seconds: float = 8.0) -> np.ndarray:
    """(T, 16, 3) clean marker positions in mm, Y up, X forward: head, C7, shoulders, elbows,
    wrists, hips, knees, ankles, toes (left then right) of a walk at ``fps``."""
    t = np.arange(int(seconds * fps)) / fps
    left, right = _leg(t, 0.0, -1.0), _leg(t, 0.5, 1.0)
    pelvis = (left[0] + right[0]) / 2
    c7 = pelvis + [40.0, 520.0, 0.0]
    head = c7 + [30.0, 200.0, 0.0]
    arms = []
    for side, phase in ((-1.0, 0.5), (1.0, 0.0)):  # each arm swings with the other side's leg
        shoulder = c7 + [0.0, -30.0, side * 180.0]
        angle = 0.35 * np.sin(2 * np.pi * (t / STRIDE_S + phase))[:, None]
        elbow = shoulder + 300.0 * np.concatenate([np.sin(angle), -np.cos(angle), 0 * angle], axis=-1)
        bent = angle + 0.3
        wrist = elbow + 280.0 * np.concatenate([np.sin(bent), -np.cos(bent), 0 * bent], axis=-1)
        arms.append((shoulder, elbow, wrist))
    joints = [head, c7, arms[0][0], arms[1][0], arms[0][1], arms[1][1], arms[0][2], arms[1][2],
              *[part for pair in zip(left, right) for part in pair]]
    return np.stack(joints, axis=1)


def gait_cases(fps: float, noise: str) -> list[Case]:
    """One gait clip at ``fps`` with ``noise`` "pose2sim" (white 15 mm + AR(1) 5 mm, 0.3 s) or "vicon" (1.5 mm)."""
    rng = np.random.default_rng([EVAL_SEED, int(fps)])
    clean = gait_markers(fps)
    if noise == "vicon":
        noisy = clean + rng.normal(0, 1.5, clean.shape)
    else:
        keep = np.exp(-1.0 / (0.3 * fps))
        slow = np.zeros_like(clean)
        steps = rng.normal(0, 5.0 * np.sqrt(1 - keep ** 2), clean.shape)
        slow[0] = rng.normal(0, 5.0, clean.shape[1:])
        for i in range(1, len(clean)):
            slow[i] = keep * slow[i - 1] + steps[i]
        noisy = clean + rng.normal(0, 15.0, clean.shape) + slow
    return [Case(f"gait {fps:g} Hz {noise}", noisy.astype(np.float32), clean.astype(np.float32))]


def validation_cases(fps: float, preset: str, max_clips: int) -> list[Case]:
    """The validation split at ``fps`` (cubic resampling from 30), errors of ``preset``, root-relative."""
    names = load_split("val")[: max_clips or None]
    rng = np.random.default_rng(EVAL_SEED)
    cases = []
    for name, clip in zip(names, load_clips(names)):
        times = np.arange(len(clip)) / 30.0
        clean = CubicSpline(times, clip, axis=0)(np.arange(0, times[-1] + 1e-9, 1 / fps)).astype(np.float32)
        noisy, _ = fill_gaps(corrupt(clean, preset, rng=rng, fps=fps).noisy)
        cases.append(Case(name, noisy - root_position(noisy, "h36m17"), clean - root_position(clean, "h36m17")))
    return cases


def grids(fps: float) -> dict[str, dict]:
    """{row: filter} at ``fps``: each grid, the old defaults and the new."""
    rows = {}
    for seconds in (0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0):
        window = max(int(round(seconds * fps)) | 1, 5)
        rows[f"savgol {seconds:g} s"] = lambda x, w=window: savgol(x, window=w, fps=fps)
    rows["savgol 31 frames (old default)"] = lambda x: savgol(x, window=31, fps=fps)
    rows["savgol default"] = lambda x: savgol(x, fps=fps)
    for m in (0.25, 0.5, 1.0, 2.0):
        for b in (1.0, 5.0, 20.0, 50.0, 100.0, 200.0):
            rows[f"one-euro {m:g} Hz, {b:g}/size"] = lambda x, m=m, b=b: one_euro(x, fps=fps, min_cutoff=m,
                                                                                  body_beta=b)
    rows["one-euro 1.2 Hz, 1/size (old default)"] = lambda x: one_euro(x, fps=fps, min_cutoff=1.2, body_beta=1.0)
    rows["one-euro default"] = lambda x: one_euro(x, fps=fps)
    for hz in (3.0, 4.0, 6.0, 8.0):
        rows[f"butterworth {hz:g} Hz"] = lambda x, hz=hz: butterworth(x, cutoff=min(hz, 0.4 * fps), fps=fps)
    rows["gaussian sigma 3 frames (old default)"] = lambda x: gaussian(x, sigma=3.0, window=31)
    for hz in (4.0, 6.0):
        rows[f"gaussian cutoff {hz:g} Hz"] = lambda x, hz=hz: gaussian(x, cutoff=min(hz, 0.4 * fps), fps=fps)
    rows["gaussian default"] = lambda x: gaussian(x, fps=fps)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N validation clips (0 = all)")
    args = parser.parse_args()
    sets = [(f"val {fps:g} fps {preset}", fps, validation_cases(fps, preset, args.max_clips), "h36m17")
            for preset in ("typical", "jitter") for fps in (30.0, 60.0)]
    sets += [(f"gait {fps:g} Hz {noise}", fps, gait_cases(fps, noise), None)
             for noise in ("pose2sim", "vicon") for fps in (30.0, 60.0, 100.0)]
    table: dict[str, list[float]] = {}
    accel: dict[str, list[float]] = {}
    for _, fps, cases, layout in sets:
        for row, value in evaluate(grids(fps), cases, layout=layout).items():
            table.setdefault(row, []).append(value["MPJPE"])
            accel.setdefault(row, []).append(value["Accel"])
    # the choice: the mean of each column's MPJPE / the input's, so that 2 mm of Vicon noise weighs as 25 of video's
    ratio = {row: float(np.mean(np.divide(values, table["input"]))) for row, values in table.items()}
    # video-like: the validation split and the Pose2Sim-like gait (the finding's case), without the Vicon-like rows
    video = [i for i, (name, *_) in enumerate(sets) if "vicon" not in name]
    on_video = {row: float(np.mean(np.divide(values, table["input"])[video])) for row, values in table.items()}
    print("MPJPE (mm); x input = the mean over the columns of MPJPE / the input's MPJPE (video: without Vicon's)\n")
    print("| filter | " + " | ".join(name for name, *_ in sets) + " | x input | x input, video |")
    print("|---" * (len(sets) + 3) + "|")
    for row, values in table.items():
        print(f"| {row} | " + " | ".join(f"{v:.1f}" for v in values) + f" | {ratio[row]:.3f} | {on_video[row]:.3f} |")
    for family in ("savgol", "one-euro", "butterworth", "gaussian"):
        for label, score in (("all columns", ratio), ("video-like columns", on_video)):
            grid = {row: score[row] for row in table if row.startswith(family) and "default" not in row}
            best = min(grid, key=grid.get)
            print(f"\nbest {family} over {label}: {best} ({grid[best]:.3f} x input)", end="")
    print("\n\nAccel (mm/frame^2) of the defaults and One-Euro's neighbours\n")
    print("| filter | " + " | ".join(name for name, *_ in sets) + " |")
    print("|---" * (len(sets) + 1) + "|")
    for row, values in accel.items():
        if row == "input" or "default" in row or "one-euro 0.5 Hz" in row:
            print(f"| {row} | " + " | ".join(f"{v:.2f}" for v in values) + " |")


if __name__ == "__main__":
    main()
