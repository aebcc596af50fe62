"""3D trunks bent over the legs for the whole clip, and hips bent (crawling, squats): today's default against SynSP
without the give-way to SmoothNet (:mod:`synsp.inference.leaned_trunk`), SmoothNet and Savitzky-Golay.

Built from the split's clips (one per motion, at least 200 frames, their first 300; h36m17 mm, root-relative): a
seated cyclist from the first pose of the first 6 (everything above the pelvis leaned 35 degrees forward, the
ankles on a 170 mm crank circle at 90 rpm in opposite phases, the knees by two-link IK, the arms as they stood;
240 frames at 30 fps), and the first 8 walked stooped (everything above the pelvis turned forward about the hips
by 0, 20, 35 or 50 degrees in every frame); from the first pose of the first 6, crawling (:func:`crawl`) and
squats (:func:`squats`, one per 2.5 or 1.5 s), as a user's audit built them. Each is given white jitter of 8 mm
("white"), the simulator's `typical` or `hard` errors (another clip of the split as the person beside), or none
("clean": how far each method moves the truth). Cells: mean MPJPE (mm) over the clips; "bend": the median of
:func:`~synsp.inference.leaned_trunk.trunk_bend` over them (degrees). RESULTS section 4, "A trunk leaned for the
whole clip" and "Hips bent: crawling, squats". Run:

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/leaned_trunk.py [--split val]
        [--errors none white typical hard] [--cases crawling "squats 2.5 s" ...]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.mocap import load_clip
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import clip_frames, load_split
from synsp.inference.leaned_trunk import trunk_bend
from synsp.metrics import mpjpe
from synsp.refining.methods import network_model
from synsp.skeleton import get_layout

H36M = get_layout("h36m17")
METHODS = ("input", "synsp", "synsp without give-way", "smoothnet", "savgol")


def clips(split: str, count: int) -> list[np.ndarray]:
    """The first ``count`` clips of ``split`` of distinct motions and at least 200 frames: (T <= 300, 17, 3) mm."""
    out, seen = [], set()
    for name in load_split(split):
        motion = name.split("_")[1]
        if motion in seen or clip_frames(name) < 200:
            continue
        seen.add(motion)
        out.append(load_clip(name, "h36m17")[:300].astype(np.float64))
        if len(out) == count:
            break
    return out


def turned(points: np.ndarray, about: np.ndarray, axis: np.ndarray, degrees: float) -> np.ndarray:
    """(..., 3) ``points`` turned by ``degrees`` about the unit ``axis`` through ``about`` (Rodrigues)."""
    a, p = np.deg2rad(degrees), points - about
    return about + p * np.cos(a) + np.cross(axis, p) * np.sin(a) + axis * (p @ axis)[..., None] * (1 - np.cos(a))


def facing(pose: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(side, forward) unit vectors, horizontal, of an h36m17 ``pose`` (17, 3), Y up: the hips' axis and the
    direction the head is turned towards by a forward lean."""
    side = pose[4] - pose[1]
    side[1] = 0
    side /= np.linalg.norm(side)
    return side, np.cross(side, [0.0, 1.0, 0.0])


def forward_lean(pose: np.ndarray, degrees: float) -> float:
    """``degrees`` signed so that turning about the hips' axis moves the head of ``pose`` (17, 3) forward."""
    side, forward = facing(pose)
    return degrees if np.dot(turned(pose[10], pose[0], side, degrees) - pose[10], forward) > 0 else -degrees


def stooped(clip: np.ndarray, degrees: float) -> np.ndarray:
    """``clip`` (T, 17, 3) with everything above the pelvis turned forward by ``degrees`` in every frame."""
    out = clip.copy()
    for t, pose in enumerate(clip):
        out[t, 7:] = turned(pose[7:], pose[0], facing(pose)[0], forward_lean(pose, degrees))
    return out


def cyclist(pose: np.ndarray, frames: int = 240) -> np.ndarray:
    """(frames, 17, 3) mm: the standing h36m17 ``pose`` pedalling (module docstring)."""
    up = np.array([0.0, 1.0, 0.0])
    side, forward = facing(pose)
    out = np.repeat(pose[None], frames, 0).astype(np.float64)
    out[:, 7:] = turned(pose[7:], pose[0], side, forward_lean(pose, 35.0))
    thigh, shin = np.linalg.norm(pose[2] - pose[1]), np.linalg.norm(pose[3] - pose[2])
    crank = pose[0] + 250 * forward - 0.8 * (thigh + shin) * up
    for hip, knee, ankle, phase in ((1, 2, 3, 0.0), (4, 5, 6, np.pi)):
        for t in range(frames):
            angle = 2 * np.pi * 1.5 / 30 * t + phase  # 1.5 turns a second
            target = crank + (pose[hip] - pose[0]) * [1, 0, 1] + 170 * (np.cos(angle) * forward + np.sin(angle) * up)
            reach = target - pose[hip]
            length = min(np.linalg.norm(reach), thigh + shin - 1)
            along = reach / np.linalg.norm(reach)
            x = (thigh ** 2 - shin ** 2 + length ** 2) / (2 * length)
            bend = forward - np.dot(forward, along) * along
            out[t, knee] = pose[hip] + along * x + bend / np.linalg.norm(bend) * np.sqrt(max(thigh ** 2 - x ** 2, 0))
            out[t, ankle] = pose[hip] + along * length
    return out


def crawl(pose: np.ndarray, frames: int = 240, hz: float = 0.8) -> np.ndarray:
    """(frames, 17, 3) mm: on hands and knees with the bone lengths of the h36m17 ``pose`` (the audit's
    a17_crawling.py): trunk horizontal at thigh height, arms hanging to the floor, thighs vertical, shins flat
    behind, the diagonal limbs swinging +-20 degrees at ``hz`` (left arm with right leg), the head nodding 5
    degrees, moving forward 0.3 m/s."""
    length = lambda a, b: np.linalg.norm(pose[a] - pose[b])  # noqa: E731
    up, forward, side = np.array([0, 1.0, 0]), np.array([0, 0, 1.0]), np.array([1.0, 0, 0])
    out = np.zeros((frames, 17, 3))
    for t in range(frames):
        phase, o = 2 * np.pi * hz * t / 30, np.zeros((17, 3))
        o[0] = up * length(1, 2)
        o[7] = o[0] + forward * length(0, 7)
        o[8] = o[7] + forward * length(7, 8)
        nod = np.deg2rad(5) * np.sin(phase)
        o[9] = o[8] + turned(forward * 0.8 + up * 0.6, np.zeros(3), side, np.degrees(nod)) * length(8, 9)
        o[10] = o[9] + turned(forward * 0.9 + up * 0.44, np.zeros(3), side, np.degrees(nod)) * length(9, 10)
        for top, mid, end, sign, shift, first in ((4, 5, 6, 1, 0.0, 0), (1, 2, 3, -1, np.pi, 0),
                                                  (11, 12, 13, 1, np.pi, 8), (14, 15, 16, -1, 0.0, 8)):
            o[top] = o[first] + sign * side * (length(0, 4) if first == 0 else length(8, 11))
            swing = 20 * np.sin(phase + shift)
            o[mid] = o[top] + turned(-up, np.zeros(3), side, swing) * length(top, mid)
            lower = -forward if first == 0 else -up  # shins flat behind, forearms down
            o[end] = o[mid] + turned(lower, np.zeros(3), side, swing) * length(mid, end)
        out[t] = o + forward * 300 * t / 30
    return out


def squats(pose: np.ndarray, period: float = 2.5, frames: int = 300) -> np.ndarray:
    """(frames, 17, 3) mm: the standing h36m17 ``pose`` squatting once per ``period`` seconds (the audit's
    a16_squats.py): ankles fixed, the pelvis down 45 % and back 15 % of the leg length, the knees by two-link IK,
    the trunk leaned up to 40 degrees and the arms raised forward to shoulder height at the bottom."""
    up = np.array([0, 1.0, 0])
    side, forward = facing(pose)
    thigh, shin = np.linalg.norm(pose[2] - pose[1]), np.linalg.norm(pose[3] - pose[2])
    depth = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frames) / (30 * period))
    out = np.zeros((frames, 17, 3))
    for t in range(frames):
        pelvis = pose[0] - (up * 0.45 + forward * 0.15) * (thigh + shin) * depth[t]
        o = pose.astype(np.float64).copy()
        o[7:] = pelvis + turned(pose[7:], pose[0], side, forward_lean(pose, 40 * depth[t])) - pose[0]
        degrees = -90 * depth[t]  # the arms raised forward: the turn that takes a hanging arm ahead
        degrees = degrees if np.dot(turned(-up, np.zeros(3), side, degrees), forward) >= 0 else -degrees
        for shoulder, arm in ((11, [12, 13]), (14, [15, 16])):
            o[arm] = turned(o[arm], o[shoulder], side, degrees)
        o[0] = pelvis
        for hip, knee, ankle in ((1, 2, 3), (4, 5, 6)):
            top = pelvis + pose[hip] - pose[0]
            reach = pose[ankle] - top
            span = min(np.linalg.norm(reach), thigh + shin - 1e-6)
            along = reach / np.linalg.norm(reach)
            x = (thigh ** 2 - shin ** 2 + span ** 2) / (2 * span)
            bend = forward - np.dot(forward, along) * along
            o[hip], o[ankle] = top, top + along * span
            o[knee] = top + along * x + bend / np.linalg.norm(bend) * np.sqrt(max(thigh ** 2 - x ** 2, 0))
        out[t] = o
    return out


def refined(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """Every method's output for ``noisy`` (T, 17, 3) mm."""
    model = network_model("synsp", 3)
    ramps = model.leaned, model.hips_flexed, model.wide_stance
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {"input": noisy, "synsp": model.refine(noisy.astype(np.float32), fps=30)}
        try:
            model.leaned = model.hips_flexed = model.wide_stance = None
            out["synsp without give-way"] = model.refine(noisy.astype(np.float32), fps=30)
        finally:
            model.leaned, model.hips_flexed, model.wide_stance = ramps
        for method in ("smoothnet", "savgol"):
            out[method] = synsp.refine(noisy.astype(np.float32), method, fps=30)
    return {name: np.asarray(o, np.float64) for name, o in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--errors", nargs="+", default=["none", "white", "typical", "hard"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", nargs="+", default=None, help="only these rows (default: all)")
    args = parser.parse_args()
    pool = clips(args.split, 8)
    cases = {"cyclist": [cyclist(c[0]) for c in pool[:6]]}
    cases.update({f"stooped {d}": [stooped(c, d) for c in pool] for d in (0, 20, 35, 50)})
    cases.update({"crawling": [crawl(c[0]) for c in pool[:6]], "squats 2.5 s": [squats(c[0]) for c in pool[:6]],
                  "squats 1.5 s": [squats(c[0], 1.5) for c in pool[:6]]})
    cases = {name: built for name, built in cases.items() if args.cases is None or name in args.cases}
    print(f"| case | errors | bend | {' | '.join(METHODS)} |\n|---|---|---:|{'---:|' * len(METHODS)}")
    for errors in args.errors:
        rng = np.random.default_rng(args.seed)
        for case, built in cases.items():
            scores, bends = {m: [] for m in METHODS}, []
            for clip in built:
                clean = clip - clip[:, :1]
                if errors == "none":
                    noisy = clean.copy()
                elif errors == "white":
                    noisy = clean + rng.normal(0.0, 8.0, clean.shape)
                else:
                    other = pool[rng.integers(len(pool))][: len(clean)]
                    noisy, clean = (np.asarray(a, np.float64) for a in estimate(
                        clean.astype(np.float32), (other - other[:, :1]).astype(np.float32), rng,
                        preset=get_preset(errors), layout="h36m17"))
                bends.append(trunk_bend(noisy, H36M))
                for method, out in refined(noisy).items():
                    scores[method].append(mpjpe(out, clean))
            cells = " | ".join(f"{np.mean(scores[m]):.2f}" for m in METHODS)
            print(f"| {case} | {'clean' if errors == 'none' else errors} | {np.median(bends):.0f} | {cells} |",
                  flush=True)


if __name__ == "__main__":
    main()
