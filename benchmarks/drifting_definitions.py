"""Joint definitions that drift slowly over the clip (audit 19, finding 1): a monocular estimator whose wrist
or knee point moves with the pose or the view, a marker slipping on the skin. Do the joints with no error of
their own stay where they are?

Each clip of at least 150 frames gets 8 mm of white noise, then each drifting joint moves from 0 to the
amount over the clip along a direction of its own (``ramp``), or out and back (``back``: a half sine). Mean
error (mm, root-relative as given) on the joints that do not drift ("rest") and on all. ``stream``: SynSP through
``synsp stream`` (:class:`~synsp.inference.streaming.StreamingRefiner`, its default lookahead), with a first row of
no drift (the stream's own distance from offline). Run:

    .venv/bin/python benchmarks/drifting_definitions.py [--split val] [--clips 4] [--methods synsp stream ...]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import get_layout

LAYOUT = get_layout("h36m17")
WRISTS_KNEES = ("left_wrist", "right_wrist", "left_knee", "right_knee")
# (name, shape, amount mm, joints)
CASES = [("wrists+knees 24 mm", "ramp", 24.0, WRISTS_KNEES), ("wrists+knees 48 mm", "ramp", 48.0, WRISTS_KNEES),
         ("wrists+knees 96 mm", "ramp", 96.0, WRISTS_KNEES), ("one wrist 96 mm", "ramp", 96.0, ("left_wrist",)),
         ("wrists+knees 48 mm out and back", "back", 48.0, WRISTS_KNEES),
         ("a wrist and a knee 48 mm", "ramp", 48.0, ("left_wrist", "right_knee")),
         ("one knee 96 mm out and back", "back", 96.0, ("left_knee",))]
METHODS = ("synsp", "smoothnet", "butterworth")
STILL = ("no drift", "ramp", 0.0, ())


def streamed(x: np.ndarray) -> np.ndarray:
    """``x`` (T, J, 3) mm refined by SynSP's 3D stream, frame by frame."""
    stream = StreamingRefiner(load_model(default_model("synsp", "3d")), mm_per_unit=1.0)
    return stream.refine_all(x.astype(np.float32))


def drifted(clean: np.ndarray, shape: str, amount: float, joints: list[int], rng: np.random.Generator) -> np.ndarray:
    """``clean`` (T, J, 3) mm with 8 mm of white noise and ``joints`` drifting by up to ``amount`` mm."""
    x = clean + rng.normal(0, 8.0, clean.shape)
    t = np.linspace(0, 1, len(clean))
    course = t if shape == "ramp" else np.sin(np.pi * t)
    for j in joints:
        way = rng.normal(size=3)
        x[:, j] += course[:, None] * amount * way / np.linalg.norm(way)
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS + ("stream",))
    args = parser.parse_args()
    methods = tuple(args.methods)
    clips = [c.clean.astype(np.float64) for c in make_cases(args.split, "none", max_clips=0)
             if len(c.clean) >= 150][:args.clips]
    print(f"{args.split} split, {len(clips)} clips; mean error mm, rest (joints with no drift) / all\n")
    print("| case | input | " + " | ".join(methods) + " |")
    print("|---|" + "---:|" * (len(methods) + 1))
    for name, shape, amount, names in [STILL] * ("stream" in methods) + CASES:
        rng = np.random.default_rng(1)
        joints = [LAYOUT.index(n) for n in names]
        rest = [j for j in range(len(LAYOUT.joints)) if j not in joints]
        errors: dict[str, list[tuple[float, float]]] = {}
        for clean in clips:
            x = drifted(clean, shape, amount, joints, rng)
            outs = {"input": x} | {m: streamed(x) if m == "stream" else
                                   synsp.refine(x.astype(np.float32), m, layout="h36m17", fps=30) for m in methods}
            for method, out in outs.items():
                e = np.linalg.norm(np.asarray(out, np.float64) - clean, axis=-1)
                errors.setdefault(method, []).append((e[:, rest].mean(), e.mean()))
        cells = ["{:.2f} / {:.2f}".format(*np.mean(errors[m], axis=0)) for m in ("input",) + methods]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
