"""A lab's skin markers of no layout (Vicon Plug-in Gait's 39 names) at 100 Hz: what the default refines them to.

Audit 16 (2026-12-06), findings 3 and 6. Each clip of the split (Bandai-22 joints at 30 fps) is resampled on a cubic to
100 Hz and carries 39 markers, each at a fixed offset in its segment's frame (the frame follows the hips' lateral line,
so segments are only nearly rigid: distances on one segment wobble by up to ~10 mm), plus 0.4 mm of white noise per
coordinate (``--skin``: mm of slow skin sliding per marker on top). Cases, each scored against the truth in mm (mean per
marker value; "hit": the values the error touched):

- clean: all values;
- gaps: 10 markers each lose 5-50 frames (NaN): the gaps' values;
- ghost: RTIB 170 mm off for 8 frames; swap: LTHI/LKNE exchanged for 6 frames, LASI/RASI for 8;
- ghost column: a 40th marker seen in 20 frames: the largest move of the other 39 against the clean case;
- clap (real fast motion, no error): each side's forearm and hand (FRA, WRA, WRB, FIN, moved as one) sweeps past the
  other side's three times, 0.75 of the way between their centres and back, a Gaussian in time of 40 ms (the hands
  meet and cross): the values of those 8 markers within 0.15 s of a clap;
- fast x3 (no error): the clip played 3 times as fast: all values.

Run (the default is ``synsp.refine(x, fps=100)``; ``PYTHONPATH`` picks the code measured):

    .venv/bin/python benchmarks/lab_markers.py --split val --clips 8
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split

BANDAI = ("joint_Root", "Hips", "Spine", "Chest", "Neck", "Head", "Shoulder_L", "UpperArm_L", "LowerArm_L", "Hand_L",
          "Shoulder_R", "UpperArm_R", "LowerArm_R", "Hand_R", "UpperLeg_L", "LowerLeg_L", "Foot_L", "Toes_L",
          "UpperLeg_R", "LowerLeg_R", "Foot_R", "Toes_R")
# per side: name, segment from, to, fraction along it, lateral (+ outwards), forward, along the segment (mm)
SIDE = [("SHO", "UpperArm", "LowerArm", 0.0, 0, 0, 50), ("UPA", "UpperArm", "LowerArm", 0.5, 45, 0, 0),
        ("ELB", "UpperArm", "LowerArm", 1.0, 40, -20, 0), ("FRA", "LowerArm", "Hand", 0.5, 35, 0, 0),
        ("WRA", "LowerArm", "Hand", 1.0, 0, 30, 0), ("WRB", "LowerArm", "Hand", 1.0, 0, -30, 0),
        ("FIN", "LowerArm", "Hand", 1.4, 10, 0, 0), ("THI", "UpperLeg", "LowerLeg", 0.5, 70, 0, 0),
        ("KNE", "UpperLeg", "LowerLeg", 1.0, 55, 0, 0), ("TIB", "LowerLeg", "Foot", 0.5, 50, 0, 0),
        ("ANK", "LowerLeg", "Foot", 1.0, 40, 0, 0), ("HEE", "Foot", "Toes", -0.4, 0, -30, 0),
        ("TOE", "Foot", "Toes", 1.0, 0, 10, 0)]
MARKERS = [(f"{s}{n}", f"{a}_{s}", f"{b}_{s}", f, (1 if s == "L" else -1) * lat, fwd, up)
           for s in "LR" for (n, a, b, f, lat, fwd, up) in SIDE] + [
    ("LASI", "Hips", "Spine", 0.0, 120, 110, 0), ("RASI", "Hips", "Spine", 0.0, -120, 110, 0),
    ("LPSI", "Hips", "Spine", 0.0, 50, -110, 0), ("RPSI", "Hips", "Spine", 0.0, -50, -110, 0),
    ("T10", "Spine", "Chest", 0.5, 0, -110, 0), ("STRN", "Spine", "Chest", 1.0, 0, 110, 0),
    ("C7", "Chest", "Neck", 1.0, 0, -70, 0), ("CLAV", "Chest", "Neck", 0.8, 0, 80, 0),
    ("RBAK", "Spine", "Chest", 0.8, -80, -110, 0), ("LFHD", "Neck", "Head", 1.3, 60, 80, 0),
    ("RFHD", "Neck", "Head", 1.3, -60, 80, 0), ("LBHD", "Neck", "Head", 1.3, 60, -80, 0),
    ("RBHD", "Neck", "Head", 1.3, -60, -80, 0)]
AT = {name: i for i, (name, *_) in enumerate(MARKERS)}
GAPS = (("LKNE", 5), ("RANK", 15), ("LWRA", 30), ("RFHD", 50), ("LASI", 20), ("T10", 40), ("RTHI", 25), ("LELB", 10),
        ("RTOE", 30), ("C7", 12))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def markers(joints: np.ndarray) -> np.ndarray:
    """Bandai-22 joints (T, 22, 3) mm, y up -> the 39 markers (T, 39, 3)."""
    j = {n: i for i, n in enumerate(BANDAI)}
    hips = _unit(joints[:, j["UpperLeg_L"]] - joints[:, j["UpperLeg_R"]])
    out = []
    for _, a, b, f, lat, fwd, up in MARKERS:
        pa, pb = joints[:, j[a]], joints[:, j[b]]
        u = _unit(pb - pa)
        v = _unit(hips - (hips * u).sum(-1, keepdims=True) * u)
        w = _unit(np.cross(v, u))
        if np.mean(np.sum(w * -np.cross([0, 1.0, 0], hips), -1)) < 0:
            w = -w
        out.append(pa + f * (pb - pa) + lat * v + fwd * w + up * u)
    return np.stack(out, 1)


def clip(name: str, skin: float, seed: int, speed: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(truth, noisy) markers (T, 39, 3) at 100 Hz of clip ``name`` played ``speed`` times as fast."""
    joints = load_clips([name], layout="bandai22")[0].astype(np.float64)
    t = np.arange(len(joints)) / (30.0 * speed)
    truth = markers(CubicSpline(t, joints, axis=0)(np.arange(0, t[-1], 0.01)))
    rng = np.random.default_rng(seed)
    frames = np.arange(len(truth))[:, None, None] / 100.0
    phase = rng.uniform(0, 6.3, (1, 39, 3))
    truth = truth + skin * np.sin(2 * np.pi * rng.uniform(0.5, 2, (1, 39, 1)) * frames + phase)
    return truth, truth + rng.normal(0, 0.4, truth.shape)


def cases(truth: np.ndarray, noisy: np.ndarray, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """name -> (input, truth, (T, 39) bool values hit)."""
    rng, n = np.random.default_rng(seed), len(truth)
    out = {"clean": (noisy, truth, np.ones(truth.shape[:2], bool))}
    gappy, hit = noisy.copy(), np.zeros(truth.shape[:2], bool)
    for name, length in GAPS:
        s = rng.integers(20, n - length - 20)
        gappy[s:s + length, AT[name]], hit[s:s + length, AT[name]] = np.nan, True
    out["gaps"] = (gappy, truth, hit)
    s, ghost, hit = n // 2, noisy.copy(), np.zeros(truth.shape[:2], bool)
    ghost[s:s + 8, AT["RTIB"]] += [150.0, 0.0, 80.0]
    hit[s:s + 8, AT["RTIB"]] = True
    out["ghost"] = (ghost, truth, hit)
    swap, hit = noisy.copy(), np.zeros(truth.shape[:2], bool)
    for (a, b), at, length in ((("LTHI", "LKNE"), s, 6), (("LASI", "RASI"), s + 40, 8)):
        pair = [AT[a], AT[b]]
        swap[at:at + length, pair] = swap[at:at + length, pair[::-1]]
        hit[at:at + length, pair] = True
    out["swap"] = (swap, truth, hit)
    clap, hit = truth.copy(), np.zeros(truth.shape[:2], bool)
    frames = np.arange(n)[:, None]
    hands = [[AT[f"{side}{m}"] for m in ("FRA", "WRA", "WRB", "FIN")] for side in "LR"]
    between = truth[:, hands[1]].mean(1, keepdims=True) - truth[:, hands[0]].mean(1, keepdims=True)  # (T, 1, 3)
    for at in (n // 4, n // 2 + 20, 3 * n // 4):
        bump = 0.75 * np.exp(-0.5 * ((frames - at) / 4.0) ** 2)[..., None]  # (T, 1, 1): 0.75 of the way at its top
        clap[:, hands[0]] += bump * between
        clap[:, hands[1]] -= bump * between
        hit[max(at - 15, 0):at + 15, hands[0] + hands[1]] = True
    out["clap"] = (clap + noisy - truth, clap, hit)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--skin", type=float, default=0.0)
    args = parser.parse_args()
    names = load_split(args.split)[:args.clips]
    table: dict[str, list[tuple[float, float, float]]] = {}
    moved = []
    for k, name in enumerate(names):
        truth, noisy = clip(name, args.skin, k)
        clean_out = None
        for case, (x, true, hit) in cases(truth, noisy, k).items():
            out = synsp.refine(x.astype(np.float32), fps=100).astype(np.float64)
            err, err_in = np.linalg.norm(out - true, axis=-1), np.linalg.norm(x - true, axis=-1)
            table.setdefault(case, []).append((np.nanmean(err_in[hit]), err[hit].mean(), err[hit].max()))
            clean_out = out if case == "clean" else clean_out
        fast_truth, fast_noisy = clip(name, args.skin, k, speed=3.0)
        out = synsp.refine(fast_noisy.astype(np.float32), fps=100).astype(np.float64)
        err, err_in = np.linalg.norm(out - fast_truth, axis=-1), np.linalg.norm(fast_noisy - fast_truth, axis=-1)
        table.setdefault("fast x3", []).append((err_in.mean(), err.mean(), err.max()))
        ghost = np.full((len(noisy), 1, 3), np.nan)
        ghost[len(noisy) // 3:len(noisy) // 3 + 20, 0] = noisy[len(noisy) // 3:len(noisy) // 3 + 20, 5] + 300.0
        beside = synsp.refine(np.concatenate([noisy, ghost], 1).astype(np.float32), fps=100)[:, :-1]
        moved.append(float(np.abs(beside - clean_out).max()))
        print(name, len(truth), {c: round(v[-1][1], 2) for c, v in table.items()}, f"column {moved[-1]:.2f}",
              flush=True)
    print(f"\n{args.split} split, {len(names)} clips, 100 Hz, 0.4 mm noise, skin {args.skin:g} mm")
    print("| case | input (hit) | synsp (hit) | max | clips worse than input |\n|---|---:|---:|---:|---:|")
    for case, rows in table.items():
        r = np.array(rows, dtype=float)
        input_mean = "(gaps)" if case == "gaps" else f"{np.nanmean(r[:, 0]):.2f}"
        print(f"| {case} | {input_mean} | {r[:, 1].mean():.2f} | {r[:, 2].max():.1f} | "
              f"{int((r[:, 1] > r[:, 0]).sum()) if case != 'gaps' else '-'} |")
    print(f"| ghost column: others' largest move (mm) | | {np.mean(moved):.2f} (mean) | {max(moved):.2f} | |")


if __name__ == "__main__":
    main()
