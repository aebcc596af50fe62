"""Waist-up video: the lower body missing in most frames, and what each refiner makes of the upper body.

A webcam, a signer or a seated person is filmed from the waist up: the estimator has no hips,
knees or ankles in most frames. Each clip of the split gets the preset's errors in 2D (the
virtual cameras of :func:`synsp.evaluation.protocol.make_cases`), then its lower body goes
missing (NaN): the hips are seen in one run of ``1 - hidden`` of the frames (the person leaning
back, the camera tilting), the knees in the middle half of that run, the ankles never. A
``thigh-up`` row hides the knees and ankles (a desk), ``knee-up`` the ankles alone (feet out of
the picture), ``one arm`` the left elbow and wrist in every frame (a profile view).

Mean error (px, not root-relative) over the upper body's joints never hidden (face, shoulders,
arms; one arm's for the ``one arm`` row) in every frame, for the input, SynSP made to refine
every clip (``max_unseen = None``), SynSP as shipped (giving way to SmoothNet when more than
:data:`synsp.sequence.UNSEEN_SHARE` of the joints are never seen), and SmoothNet; with
``--sweep``, the shipped rule at other thresholds and the rule first tried (the share of missing
values, not of joints never seen, above 0.2), from the same per-clip errors. Run:

    .venv/bin/python benchmarks/unseen.py [--split val] [--preset typical] [--max-clips N] [--sweep]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.refining.arrays import network_model, refine
from synsp.sequence import UNSEEN_SHARE, unseen_share
from synsp.skeleton import get_layout

LOWER = ("hip", "knee", "ankle", "foot", "heel", "toe")  # name fragments of the joints below the waist
ROWS = (("waist-up", 1.0), ("waist-up", 0.97), ("waist-up", 0.85), ("waist-up", 0.55), ("waist-up", 0.25),
        ("thigh-up", 1.0), ("knee-up", 1.0), ("one arm", 1.0), ("full body", 0.0))
THRESHOLDS = (0.1, 0.2, 0.3)


def hide_lower(poses: np.ndarray, layout: str, rule: str, hidden: float, rng: np.random.Generator) -> np.ndarray:
    """``poses`` (T, J, C) with the lower body NaN as ``rule`` says ("waist-up", "knee-up", "full
    body": nothing) in a share ``hidden`` of the frames (module docstring)."""
    names = get_layout(layout).joints
    lower = {part: [j for j, n in enumerate(names) if part in n.lower()] for part in LOWER}
    t = len(poses)
    seen = np.ones(poses.shape[:2], dtype=bool)
    if rule == "full body":
        return poses.copy()
    if rule == "one arm":  # a profile view: the far elbow and wrist never seen (not waist-up; for the rule's reach)
        out = poses.copy()
        out[:, [names.index("left_elbow"), names.index("left_wrist")]] = np.nan
        return out
    run = int(round((1 - hidden) * t))
    start = int(rng.integers(0, t - run + 1))
    visible = np.zeros(t, dtype=bool)
    visible[start:start + run] = True
    if rule == "thigh-up":  # a desk: the hips seen, the knees and ankles hidden in ``hidden`` of the frames
        for part in ("knee", "ankle", "foot", "heel", "toe"):
            seen[:, lower[part]] = visible[:, None]
    elif rule == "knee-up":
        for part in ("ankle", "foot", "heel", "toe"):
            seen[:, lower[part]] = visible[:, None]
    else:
        middle = np.zeros(t, dtype=bool)
        middle[start + run // 4:start + run - run // 4] = True
        for part, frames in (("hip", visible), ("knee", middle), ("ankle", np.zeros(t, bool)),
                             ("foot", np.zeros(t, bool)), ("heel", np.zeros(t, bool)), ("toe", np.zeros(t, bool))):
            seen[:, lower[part]] = frames[:, None]
    out = poses.copy()
    out[~seen] = np.nan
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--sweep", action="store_true", help="also the shipped rule at other thresholds")
    parser.add_argument("--rules", help="only these rows' rules, comma-separated (waist-up, thigh-up, ...)")
    parser.add_argument("--save", help="an .npz for the per-clip shares and error sums of every row")
    args = parser.parse_args()
    layout = "coco17"
    cases = make_cases(args.split, args.preset, layout=layout, space="2d", max_clips=args.max_clips)
    upper = [j for j, n in enumerate(get_layout(layout).joints) if not any(p in n.lower() for p in LOWER)]
    model = network_model("synsp", 2)
    print(f"#### 2D waist-up, `{args.preset}` ({args.split} split, {len(cases)} clips, "
          f"{sum(len(c.clean) for c in cases)} frames, px; joints never hidden)\n")
    sweep = "".join(f" | never seen > {s:g}" for s in THRESHOLDS) + " | missing > 0.2" if args.sweep else ""
    print(f"| lower body | missing share | never seen | input | SynSP, never giving way | SynSP (default) | "
          f"SmoothNet{sweep} |\n|---|---:|---:|---:|---:|---:|---:{'|---:' * (len(THRESHOLDS) + 1) * args.sweep}|")
    saved = {}
    for rule, hidden in ROWS:
        if args.rules and rule not in args.rules.split(","):
            continue
        rng = np.random.default_rng(0)
        # per clip: (missing, never seen) shares; (input, forced, default, smoothnet) error sums; values counted
        shares, errors, counts = [], [], []
        for case in cases:
            noisy = hide_lower(case.noisy, layout, rule, hidden, rng)
            missing = np.isnan(noisy).any(-1)
            shares.append((missing.mean(), unseen_share(missing)))
            kept = [j for j in upper if not missing[:, j].all()]  # (one arm: the other's joints)
            counts.append(len(noisy) * len(kept))
            err = lambda y: np.linalg.norm(y[:, kept] - case.clean[:, kept], axis=-1).sum()  # noqa: E731
            default = refine(noisy, "synsp")
            if model.gave_way:  # SmoothNet's output, as refine(noisy, "smoothnet") gives it
                model.max_unseen = None
                forced, smoothnet = refine(noisy, "synsp"), default
                model.max_unseen = UNSEEN_SHARE
            else:
                forced, smoothnet = default, refine(noisy, "smoothnet")
            errors.append([err(case.noisy), err(forced), err(default), err(smoothnet)])
        count = sum(counts)
        e = np.array(errors)
        cells = [f"{v / count:.2f}" for v in e.sum(axis=0)]
        s = np.array(shares)
        rules = [s[:, 1] > limit for limit in THRESHOLDS] + [s[:, 0] > 0.2]
        swept = [f"{np.where(given, e[:, 3], e[:, 1]).sum() / count:.2f}" for given in rules] * args.sweep
        label = rule if rule in ("full body", "one arm") else f"{rule}, hidden in {hidden:.0%} of frames"
        print(f"| {label} | {s[:, 0].mean():.3f} | {s[:, 1].mean():.3f} | " + " | ".join(cells + swept) + " |",
              flush=True)
        saved[f"{rule} {hidden:g}"] = np.column_stack([s, e / count * len(e)])
    if args.save:
        np.savez(args.save, **saved)


if __name__ == "__main__":
    main()
