"""The README demo's 3D world landmarks (MediaPipe on a real video, no truth): is what a method moves noise
removed, or the body pulled towards the model's?

Each method refines ``mediapipe-sports2d/demo_mediapipe.npz`` through the CLI (``synsp refine IN OUT --layout
mediapipe33 --space world --method M``). Then, over the landmark values MediaPipe saw (visibility >= 0.5) outside
frames 66-74 (the left/right exchange at 68-72, which synsp and SmoothNet exchange back and the filters do not):

- displacement (output - input) per joint group, in the body's frame (hips' left-right axis, up to the shoulders,
  forward; from the Gaussian's output, the smoothest frame every method shares): its constant part per joint (a
  pull: the same offset in every frame), that part over each half of the clip (a real pull keeps its place), and
  the varying part (noise removed, or the motion changed): mean norms, mm;
- each bone's length spread over the clip (std / mean, %): a real body's bones keep their length, so a refiner
  should lower it; limbs (the model's joints), the feet's bones, and all;
- left/right symmetry: |mean length left - right| per limb bone, and its mean per frame (mm);
- the demo's noise (:func:`mediapipe_known.demo_levels`, per group and axis; the second difference's correlation
  from frame to frame; whiteness; high-passed residuals' correlation between a point and its parent).
Run:

    .venv/bin/python benchmarks/mediapipe_demo.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.signal import butter, sosfiltfilt

from mediapipe_known import BONES, DEMO, METHODS, PARENT, demo_levels, lengths
from synsp.formats.mediapipe import MM_PER_M
from synsp.inference.white_noise import whiteness
from synsp.refining.summary import joint_groups

MIN_VISIBILITY = 0.5
EXCHANGED = slice(66, 75)  # frames 68-72 exchanged left/right, and a frame beside
CLEAN_SPANS = ((6, 64), (75, 126), (170, 200))  # a person detected in every frame, no exchange, no broken leg
LIMB_BONES = BONES[:8]
FOOT_BONES = BONES[12:]
PAIRS = ((0, 2), (1, 3), (4, 6), (5, 7), (12, 13), (14, 15), (16, 17))  # left/right bones of BONES


def every_method(folder: Path) -> dict[str, np.ndarray]:
    """{method: (T, 33, 3) mm} the CLI's output for every method of :data:`METHODS`."""
    out = {}
    for method in METHODS:
        target = folder / f"{method}.npz"
        subprocess.run([sys.executable, "-m", "synsp", "refine", str(DEMO), str(target), "--layout", "mediapipe33",
                        "--space", "world", "--method", method, "--force"], check=True, capture_output=True)
        out[method] = np.load(target)["kp3d_world"] * MM_PER_M
    return out


def body_frames(poses: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rows: the hips' left axis, up (to the shoulders' midpoint), forward, of ``poses`` (T, 33, 3). The left
    axis from the hips alone, not also the shoulders' line as :func:`synsp.conventions.trunk_frame`'s: MediaPipe's
    world landmarks are centred on the hips, and the shoulders carry the upper body's shared noise (``UPPER_SHARE``
    in mediapipe_known), which a frame through them would turn with."""
    hips, shoulders = (poses[:, 23] + poses[:, 24]) / 2, (poses[:, 11] + poses[:, 12]) / 2
    left = poses[:, 23] - poses[:, 24]
    left /= np.linalg.norm(left, axis=-1, keepdims=True)
    up = shoulders - hips
    up -= (up * left).sum(-1, keepdims=True) * left
    up /= np.linalg.norm(up, axis=-1, keepdims=True)
    return np.stack([left, up, np.cross(left, up)], axis=-2)


def displacement_split(moved: np.ndarray, seen: np.ndarray) -> dict[str, tuple[float, ...]]:
    """{group: (mean |moved|, |constant part|, |its first half's|, |second half's|, |varying part|)} of ``moved``
    (T, 33, 3) in the body's frame over the values ``seen`` (T, 33), each a mean over the group's joints."""
    half = len(moved) // 2
    out = {}
    for group, joints in joint_groups("mediapipe33").items():
        rows = []
        for j in joints:
            values, first = moved[seen[:, j], j], moved[seen[:, j] & (np.arange(len(moved)) < half), j]
            second = moved[seen[:, j] & (np.arange(len(moved)) >= half), j]
            constant = values.mean(0)
            rows.append([np.linalg.norm(values, axis=-1).mean(), np.linalg.norm(constant),
                         np.linalg.norm(first.mean(0)), np.linalg.norm(second.mean(0)),
                         np.linalg.norm(values - constant, axis=-1).mean()])
        out[group] = tuple(np.mean(rows, axis=0))
    return out


def spread(poses: np.ndarray, seen: np.ndarray, bones) -> float:
    """Mean over ``bones`` of the length's std / mean over the frames both ends were seen (%)."""
    length = lengths(poses, bones)
    both = np.stack([seen[:, a] & seen[:, b] for a, b in bones], axis=1)
    return float(np.mean([length[both[:, i], i].std() / length[both[:, i], i].mean() for i in range(len(bones))])
                 * 100)


def symmetry(poses: np.ndarray, seen: np.ndarray) -> tuple[float, float]:
    """(mean over the limbs' left/right bones of |mean length left - right|, of its mean per frame), mm."""
    length = lengths(poses)
    both = np.stack([seen[:, a] & seen[:, b] for a, b in BONES], axis=1)
    means, frames = [], []
    for left, right in PAIRS:
        means.append(abs(length[both[:, left], left].mean() - length[both[:, right], right].mean()))
        frames.append(np.abs(length[both[:, left] & both[:, right], left]
                             - length[both[:, left] & both[:, right], right]).mean())
    return float(np.mean(means)), float(np.mean(frames))


def noise_report(poses: np.ndarray) -> list[str]:
    """The demo's noise, measured (module docstring)."""
    levels = demo_levels(poses)
    lines = ["| group | x | y | z (depth) |", "|---|---:|---:|---:|"]
    lines += [f"| {g} | " + " | ".join(f"{v:.1f}" for v in levels[j].mean(0)) + " |"
              for g, j in joint_groups("mediapipe33").items()]
    second = poses[2:] - 2 * poses[1:-1] + poses[:-2]
    lag = []
    for axis in range(3):
        a = second[..., axis]
        a = np.clip(a, -3 * np.nanstd(a), 3 * np.nanstd(a))  # glitches clipped
        lag.append(np.nanmean(a[1:] * a[:-1]) / np.nanmean(a * a))
    lines.append("second difference's correlation with the next frame's, x y z: "
                 + ", ".join(f"{c:.3f}" for c in lag) + " (white noise -0.667)")
    spans = [poses[a:b] for a, b in CLEAN_SPANS]
    lines.append("whiteness of the clean spans: " + ", ".join(f"{float(whiteness(s)):.2f}" for s in spans)
                 + " (white noise reads about 1, the white ramp 1.1-1.3)")
    sos = butter(2, 4.0, fs=30, output="sos")
    residual = np.concatenate([s - sosfiltfilt(sos, s, axis=0) for s in spans])
    pairs = [(j, p) for j, p in PARENT.items() if p is not None]
    corr = np.array([[np.corrcoef(residual[:, j, k], residual[:, p, k])[0, 1] for k in range(3)] for j, p in pairs])
    lines.append(f"high-passed (4 Hz) residuals' correlation of a point with its parent (face on the nose, hands on "
                 f"the wrists, feet on the ankles, limbs), median over {len(pairs)} points, x y z: "
                 + ", ".join(f"{c:.2f}" for c in np.median(corr, axis=0)))
    return lines


def main() -> None:
    with np.load(DEMO) as demo:
        poses, visibility = demo["kp3d_world"] * MM_PER_M, demo["kp2d"][..., 2]
    with tempfile.TemporaryDirectory() as folder:
        outputs = every_method(Path(folder))
    seen = np.isfinite(poses).all(-1) & (np.nan_to_num(visibility) >= MIN_VISIBILITY)
    seen[EXCHANGED] = False
    frames = body_frames(outputs["gaussian"])
    seen &= np.isfinite(frames).all((-1, -2))[:, None]
    groups = list(joint_groups("mediapipe33"))
    print("## displacement: mean | constant (first half, second half) | varying, mm\n")
    print("| method | " + " | ".join(groups) + " |\n|---|" + "---|" * len(groups))
    for method, refined in outputs.items():
        moved = np.einsum("tab,tjb->tja", np.nan_to_num(frames), np.nan_to_num(refined - poses))
        split = displacement_split(moved, seen & np.isfinite(refined).all(-1))
        print(f"| {method} | " + " | ".join("{:.1f} / {:.1f} ({:.1f}, {:.1f}) / {:.1f}".format(*split[g])
                                            for g in groups) + " |")
    print("\n## bone lengths' spread (std / mean over the clip, %) and left/right symmetry (mm)\n")
    print("| | limbs | feet | all 18 | L-R of mean lengths | L-R per frame |\n|---|---:|---:|---:|---:|---:|")
    for method, refined in {"input": poses, **outputs}.items():
        kept = seen & np.isfinite(refined).all(-1)
        print(f"| {method} | {spread(refined, kept, LIMB_BONES):.2f} | {spread(refined, kept, FOOT_BONES):.2f} | "
              f"{spread(refined, kept, BONES):.2f} | " + " | ".join(f"{v:.1f}" for v in symmetry(refined, kept)) + " |")
    print("\n## the demo's noise: level per group and axis (mm, from the second difference)\n")
    print("\n".join(noise_report(poses)))


if __name__ == "__main__":
    main()
