"""Azure Kinect Body Tracking's 32 joints (``kinect32``) against Human3.6M's 32 (``h36m32``), the two 32-joint layouts
(audit 34, finding 3: Kinect's order was read as H36M-32's and refined 2.4 x worse than its input on running clips).

The split's mocap clips (``bandai22``, 3D mm) under each preset, placed in each layout: H36M-32's from the mocap's
H36M-17 (its toes the mocap's, the hand points off the forearm, its duplicates as the dataset writes them); Kinect's
from the mocap's own joints (pelvis, navel, chest, neck, head: Hips, Spine, Chest, Neck, Head), its hand, hand-tip,
thumb and face points placed off the bones. Prints, per preset, the layout each clip is read in (told by the poses,
:func:`synsp.skeleton.joint_order.guessed_layout`), the better layout named when the user gives either
(:func:`synsp.skeleton.bone_fit.better_layout`), and, with ``--refine``, the Kinect clips' root-relative MPJPE (mm,
every joint) of the input and of SynSP, SmoothNet and a Butterworth filter, told by the joint count. Run:

    .venv/bin/python benchmarks/kinect32.py [--split val] [--max-clips 12] [--presets typical jitter] [--refine]
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import BANDAI22, H36M17, H36M32, convert, guessed_layout
from synsp.skeleton.bone_fit import better_layout


def azure(b: np.ndarray) -> np.ndarray:
    """(T, 22, 3) mocap poses -> (T, 32, 3) in Azure Kinect's order; hand, tip, thumb and face points off the bones."""
    def g(name: str) -> np.ndarray:
        return b[:, BANDAI22.index(name)]

    out = [g("Hips"), g("Spine"), g("Chest"), g("Neck")]
    for side in "LR":
        c, s, e, w = (g(f"{j}_{side}") for j in ("Shoulder", "UpperArm", "LowerArm", "Hand"))
        f = w - e
        out += [c, s, e, w, w + 0.3 * f, w + 0.6 * f, w + 0.4 * f + 0.1 * (s - c)]
    out += [g(f"{j}_{side}") for side in "LR" for j in ("UpperLeg", "LowerLeg", "Foot", "Toes")]
    head, up, side = g("Head"), g("Head") - g("Neck"), g("Shoulder_L") - g("Shoulder_R")
    out += [head, head + 0.4 * up, head + 0.45 * up + 0.1 * side, head + 0.2 * up + 0.25 * side,
            head + 0.45 * up - 0.1 * side, head + 0.2 * up - 0.25 * side]
    return np.stack(out, 1)


def human36m(b: np.ndarray) -> np.ndarray:
    """(T, 22, 3) mocap poses -> (T, 32, 3) in Human3.6M's full order (duplicated joints where the dataset has them)."""
    h = convert(b, "bandai22", "h36m17")
    out = np.empty(b.shape[:1] + (32, 3))
    out[:, [H36M32.index(n) for n in H36M17.joints]] = h
    for side, s in (("left", "L"), ("right", "R")):
        toe, ankle = b[:, BANDAI22.index(f"Toes_{s}")], h[:, H36M17.index(f"{side}_ankle")]
        out[:, H36M32.index(f"{side}_toe")], out[:, H36M32.index(f"{side}_toe_site")] = toe, toe + 0.3 * (toe - ankle)
        wrist, elbow = h[:, H36M17.index(f"{side}_wrist")], h[:, H36M17.index(f"{side}_elbow")]
        for joint, share in (("thumb", 0.3), ("wrist_end", 0.45)):
            out[:, H36M32.index(f"{side}_{joint}")] = out[:, H36M32.index(f"{side}_{joint}_site")] = \
                wrist + share * (wrist - elbow)
        out[:, H36M32.index(f"{side}_clavicle")] = h[:, H36M17.index("thorax")]
    out[:, H36M32.index("spine_base")] = h[:, 0]
    return out


def mpjpe(a: np.ndarray, b: np.ndarray) -> float:
    """Root-relative (joint 0) mean joint error of (T, J, 3) poses, mm."""
    return float(np.linalg.norm((a - a[:, :1]) - (b - b[:, :1]), axis=-1).mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--split", default="val")
    p.add_argument("--max-clips", type=int, default=12)
    p.add_argument("--presets", nargs="+", default=["none", "clean-ish", "typical", "jitter", "hard"])
    p.add_argument("--refine", action="store_true", help="also refine the Kinect clips (SynSP, SmoothNet, Butterworth)")
    a = p.parse_args()
    for preset in a.presets:
        cases = make_cases(a.split, preset, layout="bandai22", space="3d", max_clips=a.max_clips)
        read = {name: Counter(guessed_layout(build(np.asarray(c.noisy, np.float64))) for c in cases)
                for name, build in (("h36m32", human36m), ("kinect32", azure))}
        print(f"{preset:10s} {len(cases)} clips: H36M-32 read as {dict(read['h36m32'])}; "
              f"Azure Kinect-32 read as {dict(read['kinect32'])}", flush=True)
        named = {(name, given): Counter(str((better_layout(build(np.asarray(c.noisy, np.float64)), given) or ("-",))[0])
                                        for c in cases)
                 for name, build in (("h36m32", human36m), ("kinect32", azure)) for given in ("h36m32", "kinect32")}
        print(f"{'':10s} a better layout named (bone_fit.better_layout; '-' none) when the user says: "
              + "; ".join(f"{given} of {name}: {dict(n)}" for (name, given), n in named.items()), flush=True)
        if a.refine:
            rows = []
            for c in cases:
                x, truth = azure(np.asarray(c.noisy, np.float64)), azure(np.asarray(c.clean, np.float64))
                rows.append([mpjpe(x, truth)] + [mpjpe(synsp.refine(x, m, fps=30), truth)
                                                 for m in ("synsp", "smoothnet", "butterworth")])
            print(f"{'':10s} Kinect-32 MPJPE mm, mean of clips: input / synsp / smoothnet / butterworth "
                  f"{' / '.join(f'{v:.2f}' for v in np.mean(rows, 0))}", flush=True)


if __name__ == "__main__":
    main()
