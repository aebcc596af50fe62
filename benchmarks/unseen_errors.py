"""Error kinds and joint conventions no other benchmark makes (audit 28): how each refiner copes.

Each validation clip's ``jitter`` estimate (:func:`synsp.evaluation.protocol.make_cases`: the simulator's jitter,
spikes, misses, swaps and inversions; 3D root-relative mm, 2D COCO-17 pixels through the protocol's cameras) gets
one of these changes, which neither the simulator, ``synsp.conventions`` nor ``synsp.estimator_errors`` makes:

- error kinds, added to the estimate (the truth stays the clean clip):

  - ``mean-pose pull``: elbows, wrists, knees and ankles pulled 30 % of the way towards their mean place about the
    root over the clip (a monocular estimator's prior: extreme poses read as average ones; the error depends on
    the pose, so it moves with the motion);
  - ``depth flattened`` (3D): each joint's depth about the root (z, the camera's axis) read 0.6 x (a lifter that
    cannot see depth squashes the body);
  - ``depth noise growing with distance`` (3D): noise along z as for a person walking from 2 m to 8 m away over the
    clip (the truth is not moved), 4 mm x (distance / 2 m)^2 (4-64 mm, depth error grows with the square of the
    distance), lag-1 correlation 0.5 per joint;
  - ``alternating frames``: every other frame from another detector's box (a tracker that detects on even frames
    and tracks on odd ones): odd frames scaled by 1.04 about the root (3D) or by 1.03 about the box centre and
    shifted (2, 4) px (2D), a systematic error at half the frame rate;

- conventions and files, applied to the estimate and the truth alike:

  - ``root at the neck`` / ``root at the left ankle`` (3D): every frame about the thorax / the left ankle instead
    of the pelvis (a file rooted elsewhere; scored as given, in that frame);
  - ``about the hips in every frame`` (2D): pixels about the hips' midpoint, the body's path taken out (a 3D
    lifter's 2D input, VideoPose3D's and MotionBERT's files);
  - ``anamorphic squeeze`` (2D): x read 0.75 x about the picture's middle (a 4:3 video stored 16:9 or the reverse,
    the aspect never given);
  - ``every 7th frame dropped``: 1 frame in 7 missing from the file with no time column (a capture that skipped
    frames), refined as 30 fps.

Every method runs through the public API the CLI uses (``synsp.refine(poses, method, layout=, space=, fps=30)``):
Gaussian, One-Euro, SmoothNet, SynSP. Scores: MPJPE and Accel error (3D root-relative unless the case moves the
root; 2D px) against the truth, frame-weighted over clips; ``clean moved``: how far each method moves the case's
truth given as input (an error kind's: the clean clip itself, the same for every error kind), the mean distance.
A last table gives per clip where SynSP is worse than the input or SmoothNet.
Validation split only. Run (12.5 min for 12 clips on the shared 2-core machine at load 12)::

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/unseen_errors.py --max-clips 12 [--only TEXT]
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable

import numpy as np

import synsp
from synsp.evaluation.protocol import Case, make_cases, score
from synsp.skeleton import get_layout, root_position

METHODS = ("gaussian", "one-euro", "smoothnet", "synsp")
LAYOUT = {"3d": "h36m17", "2d": "coco17"}
LIMB_ENDS = ("left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_knee", "right_knee",
             "left_ankle", "right_ankle")
FPS = 30.0


@dataclass
class Change:
    """One change: ``error`` (clean (T, J, C) -> additive error, same shape) or ``transform`` (applied to the
    estimate and the truth alike); ``rooted``: 3D scored about the pelvis (False: as given)."""

    name: str
    space: str
    error: Callable[[np.ndarray, str, np.random.Generator], np.ndarray] | None = None
    transform: Callable[[np.ndarray, str], np.ndarray] | None = None
    rooted: bool = True


def _index(layout: str, names: tuple[str, ...]) -> list[int]:
    joints = get_layout(layout).joints
    return [joints.index(n) for n in names]


def mean_pose_pull(clean: np.ndarray, layout: str, rng: np.random.Generator, strength: float = 0.3) -> np.ndarray:
    """The limb ends pulled ``strength`` of the way to their mean place about the root: the error (T, J, C)."""
    rel = clean - root_position(clean, layout)
    error = np.zeros_like(clean)
    ends = _index(layout, LIMB_ENDS)
    error[:, ends] = strength * (rel[:, ends].mean(axis=0) - rel[:, ends])
    return error


def depth_flattened(clean: np.ndarray, layout: str, rng: np.random.Generator, factor: float = 0.6) -> np.ndarray:
    """Depth (z) about the root read ``factor`` x: the error (T, J, 3) mm."""
    error = np.zeros_like(clean)
    error[..., 2] = (factor - 1.0) * (clean - root_position(clean, layout))[..., 2]
    return error


def depth_noise_far(clean: np.ndarray, layout: str, rng: np.random.Generator) -> np.ndarray:
    """Noise along z of 4 mm x (distance / 2 m)^2 as for a person walking 2 -> 8 m away over the clip (the truth is
    not moved: only the noise grows), lag-1 correlation 0.5."""
    frames, joints = clean.shape[:2]
    std = 4.0 * (np.linspace(2.0, 8.0, frames) / 2.0) ** 2
    draws = rng.standard_normal((frames, joints))
    ar = np.empty_like(draws)
    ar[0] = draws[0]
    for t in range(1, frames):  # AR(1) of unit variance, lag-1 correlation 0.5
        ar[t] = 0.5 * ar[t - 1] + np.sqrt(0.75) * draws[t]
    error = np.zeros_like(clean)
    error[..., 2] = std[:, None] * ar
    return error


def alternating(clean: np.ndarray, layout: str, rng: np.random.Generator) -> np.ndarray:
    """Odd frames from another box: 3D x1.04 about the root; 2D x1.03 about the box centre and moved (2, 4) px."""
    error = np.zeros_like(clean)
    if clean.shape[-1] == 3:
        error[1::2] = 0.04 * (clean - root_position(clean, layout))[1::2]
    else:
        centre = (clean.min(axis=1, keepdims=True) + clean.max(axis=1, keepdims=True)) / 2
        error[1::2] = (0.03 * (clean - centre) + np.array([2.0, 4.0], clean.dtype))[1::2]
    return error


def rooted_at(joint: str) -> Callable[[np.ndarray, str], np.ndarray]:
    """Every frame about ``joint`` instead of the pelvis."""
    def transform(x: np.ndarray, layout: str) -> np.ndarray:
        k = _index(layout, (joint,))[0]
        return x - x[:, k:k + 1]
    return transform


def about_root(x: np.ndarray, layout: str) -> np.ndarray:
    """Every frame about the root (COCO-17: the hips' midpoint), as a lifter's 2D input is stored."""
    return x - root_position(x, layout)


def squeezed(x: np.ndarray, layout: str, factor: float = 0.75, middle: float = 960.0) -> np.ndarray:
    """x read ``factor`` x about the picture's middle (a 1920 px wide picture)."""
    y = x.copy()
    y[..., 0] = middle + factor * (x[..., 0] - middle)
    return y


def dropped(x: np.ndarray, layout: str, every: int = 7, run: int = 1) -> np.ndarray:
    """Every ``every``-th frame (from the 4th) left out of the file; ``run``: that many in a row each time."""
    keep = ~np.isin(np.arange(len(x)) % every, np.arange(3, 3 + run))
    return x[keep]


CHANGES = (
    Change("mean-pose pull 30 %", "3d", error=mean_pose_pull),
    Change("depth flattened x0.6", "3d", error=depth_flattened),
    Change("depth noise growing with distance (2 -> 8 m)", "3d", error=depth_noise_far),
    Change("alternating frames (x1.04 on odd frames)", "3d", error=alternating),
    Change("root at the neck (thorax)", "3d", transform=rooted_at("thorax"), rooted=False),
    Change("root at the left ankle", "3d", transform=rooted_at("left_ankle"), rooted=False),
    Change("every 7th frame dropped", "3d", transform=dropped),
    Change("mean-pose pull 30 %", "2d", error=mean_pose_pull),
    Change("alternating frames (box x1.03, +(2, 4) px on odd frames)", "2d", error=alternating),
    Change("about the hips in every frame", "2d", transform=about_root),
    Change("anamorphic squeeze x0.75", "2d", transform=squeezed),
    Change("every 7th frame dropped", "2d", transform=dropped),
)


def refined(x: np.ndarray, method: str, space: str) -> np.ndarray:
    """``method``'s output as ``synsp refine`` gives it (public API, 30 fps)."""
    return synsp.refine(x, method, layout=LAYOUT[space], space=space, fps=FPS)


def case_pair(change: Change, case: Case, rng: np.random.Generator) -> Case:
    """The changed estimate and its truth (the clean clip, or the clean clip changed alike)."""
    layout = LAYOUT[change.space]
    if change.error is not None:
        return Case(case.name, case.noisy + change.error(case.clean, layout, rng).astype(np.float32), case.clean)
    return Case(case.name, change.transform(case.noisy, layout).astype(np.float32),
                change.transform(case.clean, layout).astype(np.float32))


def scored(pred: np.ndarray, truth: np.ndarray, change: Change) -> dict[str, float]:
    """MPJPE and Accel (3D root-relative when ``change.rooted``)."""
    layout = LAYOUT[change.space] if change.space == "3d" and change.rooted else None
    if layout is not None:
        truth = truth - root_position(truth, layout)
    values = score(pred, truth, layout=layout, space=change.space)
    return {"MPJPE": values["MPJPE"], "Accel": values["Accel"]}


def moved(truth: np.ndarray, method: str, space: str, memo: dict, key: tuple) -> float:
    """How far ``method`` moves the clean ``truth``: the mean distance (px or mm); ``memo`` keeps it by ``key``."""
    if key not in memo:
        memo[key] = float(np.nanmean(np.linalg.norm(refined(truth, method, space) - truth, axis=-1)))
    return memo[key]


def run(change: Change, cases: list[Case], seed: int, memo: dict) -> tuple[dict, list[dict]]:
    """Frame-weighted scores per method (and ``moved``), and per-clip MPJPE of input, SmoothNet and SynSP.

    An error kind's clean clip is the split's own, the same for every error kind: ``memo`` keeps its figures."""
    rng = np.random.default_rng(seed)
    rows: dict[str, list] = {m: [] for m in ("input", *METHODS)}
    clips = []
    weights = []
    for base in cases:
        case = case_pair(change, base, rng)
        weights.append(len(case.clean))
        clip = {"name": case.name}
        for method in rows:
            out = case.noisy if method == "input" else refined(case.noisy, method, change.space)
            values = scored(out, case.clean, change)
            key = (change.space, case.name, method, None if change.error is not None else change.name)
            values["moved"] = 0.0 if method == "input" else moved(case.clean, method, change.space, memo, key)
            rows[method].append(values)
            clip[method] = values["MPJPE"]
        clips.append(clip)
    table = {m: {k: float(np.average([v[k] for v in vals], weights=weights)) for k in vals[0]}
             for m, vals in rows.items()}
    return table, clips


def markdown(table: dict[str, dict[str, float]]) -> str:
    """One row per method: MPJPE, Accel (each x input) and how far it moves the clean input."""
    ref = table["input"]
    lines = ["| method | MPJPE | x input | Accel | x input | clean moved |", "|---|---:|---:|---:|---:|---:|"]
    for name, v in table.items():
        lines.append(f"| {name} | {v['MPJPE']:.2f} | {v['MPJPE'] / ref['MPJPE']:.3f} | {v['Accel']:.2f} | "
                     f"{v['Accel'] / ref['Accel']:.3f} | {v['moved']:.2f} |")
    return "\n".join(lines)


def losses(name: str, clips: list[dict], margin: float) -> list[str]:
    """Clips where SynSP's MPJPE is above the input's or SmoothNet's by more than ``margin`` (a ratio)."""
    out = []
    for c in clips:
        worse = [f"{ref} {c[ref]:.2f}" for ref in ("input", "smoothnet") if c["synsp"] > (1 + margin) * c[ref]]
        if worse:
            out.append(f"| {name} | {c['name']} | {c['synsp']:.2f} | " + ", ".join(worse) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12, help="the first N validation clips (0 = all 65)")
    parser.add_argument("--only", default="", help="only the changes whose name or space holds this text")
    parser.add_argument("--margin", type=float, default=0.05, help="a loss: SynSP above a reference x (1 + margin)")
    args = parser.parse_args()
    base = {space: make_cases("val", "jitter", layout=LAYOUT[space], space=space, max_clips=args.max_clips)
            for space in LAYOUT}
    summary = ["| change | space | input | Gaussian | One-Euro | SmoothNet | SynSP | SynSP / SmoothNet |",
               "|---|---|---:|---:|---:|---:|---:|---:|"]
    lost = ["| change | clip | SynSP | worse than |", "|---|---|---:|---|"]
    memo: dict = {}
    for seed, change in enumerate(CHANGES, start=1):
        label = f"{change.name} ({change.space})"
        if args.only and args.only not in label:
            continue
        cases = base[change.space]
        table, clips = run(change, cases, seed, memo)
        unit = "mm" if change.space == "3d" else "px"
        frames = sum(len(case_pair(change, c, np.random.default_rng(0)).clean) for c in cases)
        print(f"### {label}: {len(cases)} val clips, {frames} frames, {unit}\n\n{markdown(table)}\n", flush=True)
        m = {k: v["MPJPE"] for k, v in table.items()}
        summary.append(f"| {change.name} | {change.space} | {m['input']:.2f} | " + " | ".join(
            f"{m[k]:.2f} ({m[k] / m['input']:.3f})" for k in METHODS) + f" | {m['synsp'] / m['smoothnet']:.3f} |")
        lost += losses(label, clips, args.margin)
    print("### Summary: MPJPE (x input)\n\n" + "\n".join(summary) + "\n")
    print(f"### Clips where SynSP's MPJPE is over {1 + args.margin:g} x the input's or SmoothNet's\n\n"
          + "\n".join(lost) + "\n")


if __name__ == "__main__":
    main()
