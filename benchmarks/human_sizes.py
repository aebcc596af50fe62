"""The sizes a human body measures (x the training actors', ``synsp.inference.body_scale.relative_size``) against
those of a wrong unit: where ``synsp refine``'s ``size:`` line asks whether the file's unit is right
(``body_scale.HUMAN_RANGE``; audit 23, finding 4: a child of about 1 m in millimetres was asked).

Each clip (h36m17, mm) is scaled to a stature of 0.8, 1.0 and 1.3 m with the adults' proportions and with a child's
(audit 23's: legs 0.55, head and neck 0.85, arms 0.6, the rest 0.65, then scaled), clean, with ``typical`` errors, and
``typical`` seen waist-up (legs and pelvis missing); adults (their own size, and 1.5 m) in inches read as centimetres
(x 0.3937) and feet read as metres (x 3.2808). The stature: the 95th percentile over frames of the head above the
lower ankle, plus 0.12 m (skull top, ankle height) at the body's scale. Prints min, median and max over the clips.
Run:

    .venv/bin/python benchmarks/human_sizes.py --split val
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases
from synsp.inference.body_scale import HUMAN_RANGE, relative_size
from synsp.skeleton import get_layout, reproportion


def child_factors(joints: tuple[str, ...]) -> np.ndarray:
    """(J,) bone factors of a child's proportions (audit 23's mkcli.py) for the bone ending at each joint."""
    return np.array([0.55 if any(k in j for k in ("knee", "ankle")) else 0.85 if any(k in j for k in ("neck", "head"))
                     else 0.6 if any(k in j for k in ("elbow", "wrist")) else 0.65 for j in joints])


def stature(x: np.ndarray) -> float:
    """Metres: the head above the lower ankle (95th percentile over frames) of (T, 17, 3) mm, plus skull and ankle."""
    y = x[..., 1]
    head = np.linalg.norm(x[:, 10] - x[:, 9], axis=-1).mean()  # the neck-to-head bone sets the body's scale
    return float(np.percentile(y[:, 10] - np.minimum(y[:, 3], y[:, 6]), 95) + 120 * head / 114) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    args = parser.parse_args()
    names = load_split(args.split)
    names = names[:args.max_clips] if args.max_clips else names
    layout = get_layout("h36m17")
    rows: dict[str, list[float]] = {}
    for name, x in zip(names, load_clips(names, layout="h36m17")):
        x = x.astype(np.float64)
        height = stature(x)
        rows.setdefault("adult stature (m)", []).append(height)
        kid = reproportion(x, layout, child_factors(layout.joints))
        for metres in (0.8, 1.0, 1.3):
            for kind, body, own in (("adult proportions", x, height), ("child proportions", kid, stature(kid))):
                y = body * metres / own
                noisy = make_cases(args.split, "typical", clips={name: y.astype(np.float32)})[0].noisy
                waist_up = noisy.copy()
                waist_up[:, :7] = np.nan  # pelvis, hips, knees, ankles unseen
                for case, poses in (("clean", y), ("typical", noisy), ("typical waist-up", waist_up)):
                    rows.setdefault(f"{metres} m, {kind}, {case}", []).append(relative_size(poses, layout))
        noisy = make_cases(args.split, "typical", clips={name: x.astype(np.float32)})[0].noisy
        for factor, unit in ((0.3937, "inches read as cm"), (3.2808, "feet read as m")):
            rows.setdefault(f"adult, {unit}, typical", []).append(relative_size(factor * noisy, layout))
            rows.setdefault(f"1.5 m adult, {unit}, typical", []).append(
                relative_size(factor * 1.5 / height * noisy, layout))
    print(f"{len(names)} clips of {args.split}; the unit is asked outside {HUMAN_RANGE[0]}-{HUMAN_RANGE[1]} x\n")
    print("| body | min | median | max |\n|---|---:|---:|---:|")
    for key, values in rows.items():
        v = np.asarray(values)
        print(f"| {key} | {v.min():.3f} | {np.median(v):.3f} | {v.max():.3f} |")


if __name__ == "__main__":
    main()
