"""Angle curves (OpenSim ``.mot``, as Sports2D and Pose2Sim write them) refined by ``synsp refine x.mot y.mot``'s
filters (:func:`synsp.refining.angle_curves.smooth_angle_curves`), against the input's error (audit 35, finding 4).

The split's mocap clips (Human3.6M-17, 3D mm, 30 fps) under each preset give joint angles as Sports2D computes them,
from three points: knee flexion (hip, knee, ankle), elbow (shoulder, elbow, wrist), hip (spine, hip, knee), each
side, 0 to 180 degrees; and the pelvis's heading (the hips' line about the vertical, -180 to 180 degrees: wraps as
a body turns). Truth: the clean clip's angles; input: the noisy clip's. Prints the mean absolute angle error
(degrees, every angle and frame) of the input and of each filter at ``synsp refine``'s settings, the heading's
alone; the Butterworth on the curves as they are (no unwrap); with ``--synsp``, the angles of the positions
SynSP refined (what a TRC given instead gets); with ``--file``, checks that one clip written as a ``.mot`` and
refined by ``synsp refine`` (the CLI's code path) gives the same curves; with ``--gaps``, the Butterworth on the
clips whose heading wraps, every curve blanked over ``GAP`` frames centred on each wrap (missing cells, bridged for
the filter) or :data:`AWAY` frames after it: how far the gap moves the heading on the frames left. Run:

    .venv/bin/python benchmarks/mot_angles.py [--split val] [--max-clips 0] [--presets clean-ish typical jitter] \
        [--synsp] [--file] [--gaps]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.formats.mot import read_mot
from synsp.refining.angle_curves import smooth_angle_curves
from synsp.refining.files import refine_file
from synsp.skeleton import H36M17

METHODS = ("butterworth", "savgol", "gaussian", "one-euro", "median")
TRIPLES = [(f"{side}_{a}", f"{side}_{b}", f"{side}_{c}") for side in ("left", "right")
           for a, b, c in (("hip", "knee", "ankle"), ("shoulder", "elbow", "wrist"))]
TRIPLES += [("spine", "left_hip", "left_knee"), ("spine", "right_hip", "right_knee")]
GAP = 7  # frames blanked by --gaps: a quarter second missed, as a detector's dropout
AWAY = 30  # frames from the wrap of --gaps's control gap


def joint_angles(poses: np.ndarray) -> np.ndarray:
    """(T, 17, 3) Human3.6M-17 poses (Y up) -> (T, 7) degrees: the three-point angles of ``TRIPLES``, then the
    pelvis's heading in -180..180."""
    def j(name: str) -> np.ndarray:
        return poses[:, H36M17.index(name)]

    out = []
    for a, b, c in TRIPLES:
        u, v = j(a) - j(b), j(c) - j(b)
        cos = (u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)
        out.append(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    across = j("left_hip") - j("right_hip")
    out.append(np.degrees(np.arctan2(across[:, 0], across[:, 2])))
    return np.stack(out, 1)


def angle_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| in degrees, the shorter way round (a heading's 179 and -179 are 2 apart)."""
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def write_mot(path: Path, angles: np.ndarray, fps: float = 30.0) -> None:
    """``angles`` (T, K) degrees as Sports2D writes a ``.mot`` (6 decimals)."""
    names = [f"{b}" for _, b, _ in TRIPLES] + ["pelvis_heading"]
    rows = [f"{t / fps:.6f}\t" + "\t".join(f"{v:.6f}" for v in row) for t, row in enumerate(angles)]
    path.write_text("\n".join(["Coordinates", "version=1", f"nRows={len(angles)}", f"nColumns={len(names) + 1}",
                               "inDegrees=yes", "", "endheader", "time\t" + "\t".join(names), *rows]) + "\n")


def gap_shifts(noisy: np.ndarray, shift: int) -> np.ndarray | None:
    """How far (deg) a gap moves the Butterworth's heading: ``noisy`` (T, 7) degrees blanked over :data:`GAP` frames
    centred ``shift`` frames after each wrap of its heading, against the same curves unblanked, on the frames left;
    None for a heading that never wraps."""
    # a wrap: a step of more than 300 degrees, a turn of less than 60 the other way (a 180-degree flip is no wrap)
    wraps = np.flatnonzero(np.abs(np.diff(noisy[:, -1])) > 300.0) + 1 + shift
    if not len(wraps):
        return None
    gapped = noisy.copy()
    for w in wraps:
        gapped[max(w - GAP // 2, 0):w + GAP - GAP // 2] = np.nan
    every = np.ones(noisy.shape[1], bool)
    heading = smooth_angle_curves(gapped, every, fps=30.0)[:, -1]
    left = np.isfinite(heading)
    return angle_error(heading[left], smooth_angle_curves(noisy, every, fps=30.0)[left, -1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--split", default="val")
    p.add_argument("--max-clips", type=int, default=0)
    p.add_argument("--presets", nargs="+", default=["clean-ish", "typical", "jitter"])
    p.add_argument("--synsp", action="store_true", help="also the angles of the positions refined by SynSP")
    p.add_argument("--file", action="store_true", help="also refine one clip through a .mot file and synsp refine")
    p.add_argument("--gaps", action="store_true", help="also a gap at each wrap of the heading, and one away")
    a = p.parse_args()
    angles = np.ones(len(TRIPLES) + 1, dtype=bool)
    for preset in a.presets:
        cases = make_cases(a.split, preset, layout="h36m17", space="3d", max_clips=a.max_clips)
        errors: dict[str, list] = {"input": [], **{m: [] for m in METHODS}, "butterworth, no unwrap": []}
        errors |= {"synsp on positions": []} if a.synsp else {}
        shifts: dict[str, list] = {}
        for case in cases:
            truth, noisy = joint_angles(np.asarray(case.clean, np.float64)), joint_angles(np.asarray(case.noisy))
            errors["input"].append(angle_error(noisy, truth))
            for method in METHODS:
                errors[method].append(angle_error(smooth_angle_curves(noisy, angles, fps=30.0, method=method), truth))
            # the curves filtered as they are: a heading that wraps jumps 360 degrees
            errors["butterworth, no unwrap"].append(angle_error(smooth_angle_curves(noisy, ~angles, fps=30.0), truth))
            if a.synsp:  # the TRC's route: the positions refined by SynSP, the angles computed from them
                refined = synsp.refine(np.asarray(case.noisy, np.float64), "synsp", layout="h36m17", fps=30)
                errors["synsp on positions"].append(angle_error(joint_angles(refined), truth))
            if a.gaps:
                for key, shift in (("at the wrap", 0), ("away", AWAY)):
                    found = gap_shifts(np.asarray(noisy), shift)
                    shifts.setdefault(key, []).extend([] if found is None else [found])
        every = {name: np.concatenate(e) for name, e in errors.items()}
        print(f"{preset} ({len(cases)} clips): mean |angle error| deg, all 7 angles / heading only: "
              + ", ".join(f"{name} {e.mean():.2f} / {e[:, -1].mean():.2f}" for name, e in every.items()), flush=True)
        if shifts:
            print(f"  {len(shifts['at the wrap'])} clips whose heading wraps, {GAP}-frame gaps: the heading moved by "
                  "the gap on the frames left, mean / max deg: " + ", ".join(
                      f"{key} {np.concatenate(s).mean():.2f} / {np.concatenate(s).max():.2f}"
                      for key, s in shifts.items()), flush=True)
        if a.file:
            with tempfile.TemporaryDirectory() as tmp:
                src, dst = Path(tmp) / "angles.mot", Path(tmp) / "out.mot"
                noisy = joint_angles(np.asarray(cases[0].noisy))
                write_mot(src, noisy)
                refine_file(src, dst)
                direct = smooth_angle_curves(read_mot(src).values, angles, fps=30.0)
                print(f"  {cases[0].name} through synsp refine: max |file - direct| "
                      f"{np.abs(read_mot(dst).values - direct).max():.6f} deg", flush=True)


if __name__ == "__main__":
    main()
