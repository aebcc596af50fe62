"""A per-clip blend of the 2D default and the network alone, read from the clip: fitted on train, measured on val.

Reads two pickles of :mod:`choice2d` ``--save-poses`` (every clip's clean, input and refined poses,
run with the candidate ``raw+mirror``): one of TRAINING-split clips (the chooser is fitted on them)
and one of the VALIDATION split (measured). Each clip's output is ``d + w (r - d)``, ``d`` the
default's, ``r`` the network alone with mirrored windows, ``w`` one of ``--weights``, chosen per
clip by a linear softmax over the clip's features (:func:`features`), fitted to the least expected
frame-weighted MPJPE over the training clips (every preset and convention mixed). Printed per
convention and preset (val): the default, the chooser, the mean ``w`` it chose and the oracle (each
clip at its best weight) (x input; px the clean input is moved for ``none``); then ``typical`` with
every clip at one weight. First, the training clips' median features per preset.

Run (after choice2d.py wrote both pickles)::

    .venv/bin/python benchmarks/choice2d.py --split train --clip-stride 10 --candidates raw+mirror \
        default+nopull --weights 0.5 1 --save-poses train.pkl
    .venv/bin/python benchmarks/choice2d.py --save-poses val.pkl
    .venv/bin/python benchmarks/choice2d_fit.py train.pkl val.pkl --weights 0 1
    .venv/bin/python benchmarks/choice2d_fit.py train.pkl val.pkl --weights 0 0.25 0.5 0.75 1 1.25 1.5
    .venv/bin/python benchmarks/choice2d_fit.py train.pkl val.pkl --weights 0 0.25 0.5 0.75 1 1.25 1.5 --guard 10
"""
from __future__ import annotations

import argparse
import pickle

import numpy as np
from scipy.optimize import minimize

from synsp.conventions import local_correction, symmetric_part
from synsp.evaluation.protocol import score
from synsp.inference.clean import input_noise
from synsp.inference.floor import slow_part
from synsp.sequence import body_sizes

LAYOUT = "coco17"
CANDIDATE = "raw+mirror"
NAMES = ("input noise", "default's correction", "default's slow correction", "correction / noise",
         "candidate's extra correction", "its slow share", "asymmetric share of its constant part")


def _rms(values: np.ndarray) -> float:
    """RMS length of the C-vectors of ``values`` (T, J, C)."""
    return float(np.sqrt(np.mean(np.sum(values ** 2, axis=-1))))


def features(inputs: np.ndarray, default: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """(7,) clip features from the input, the default's and the candidate's output (each (T, J, 2) px,
    no NaN); sizes in body sizes, logs of sizes and ratios (:data:`NAMES`): the input's noise
    (median over joints of :func:`synsp.inference.clean.input_noise`), the default's correction RMS, its
    part below 2 Hz (:func:`synsp.inference.floor.slow_part`), its ratio to the noise, the candidate's
    extra correction RMS, that extra's slow share, and the asymmetric share of its per-clip constant
    part in the body's local frames (:func:`synsp.conventions.symmetric_part`)."""
    x, d, c = (np.asarray(a, np.float64) for a in (inputs, default, candidate))
    size = float(np.median(body_sizes(x)))
    noise = float(np.median(input_noise(x))) / size
    correction, extra = _rms(d - x) / size, _rms(c - d) / size
    constant = np.median(local_correction(d, c, LAYOUT)[1], axis=0)  # (J, 2), trunk lengths
    asymmetric = _rms((constant - symmetric_part(constant, LAYOUT))[None]) / max(_rms(constant[None]), 1e-12)
    return np.array([np.log(noise), np.log(correction), np.log(_rms(slow_part(d - x)) / size),
                     np.log(correction / noise), np.log(extra), _rms(slow_part(c - d)) / max(_rms(c - d), 1e-12),
                     asymmetric])


def read(path: str, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Per clip of a choice2d pickle: convention, preset, frames, input MPJPE, features (N, 7) and the
    MPJPE (N, len(weights)) of ``d + w (r - d)`` at each weight, px."""
    rows: dict[str, list] = {k: [] for k in ("convention", "preset", "frames", "input", "features", "errors")}
    with open(path, "rb") as file:
        every = pickle.load(file)
    for key, poses in every.items():
        convention, preset = key.split("/")
        for clean, x, d, r in zip(poses["clean"], poses["input"], poses["default"], poses[CANDIDATE]):
            d, r = d.astype(np.float64), r.astype(np.float64)
            rows["convention"].append(convention)
            rows["preset"].append(preset)
            rows["frames"].append(len(clean))
            rows["input"].append(score(x, clean, layout=LAYOUT, space="2d")["MPJPE"])
            rows["features"].append(features(x, d, r))
            rows["errors"].append([score(d + w * (r - d), clean, layout=LAYOUT, space="2d")["MPJPE"] for w in weights])
    return {k: np.array(v) for k, v in rows.items()}


def fit(train: dict[str, np.ndarray], l2: float = 1e-4,
        guard: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A linear softmax over the weights, fitted to the least expected frame-weighted MPJPE (px) of the
    training clips (L2 ``l2`` on the standardised features; the clips of ``jitter`` and of clean input
    count ``guard`` times); returns its mean, scale and coefficients."""
    mean, scale = train["features"].mean(0), train["features"].std(0) + 1e-9
    z = np.c_[np.ones(len(train["frames"])), (train["features"] - mean) / scale]
    counted = np.where(np.isin(train["preset"], ["jitter", "none"]), guard, 1.0) * train["frames"]
    cost = train["errors"] * counted[:, None]
    cost = (cost - cost.min(1, keepdims=True)) / train["frames"].sum()
    shape = (z.shape[1], cost.shape[1])
    ridge = np.r_[np.zeros((1, shape[1])), np.ones((shape[0] - 1, shape[1]))]

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        b = flat.reshape(shape)
        s = z @ b
        p = np.exp(s - s.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        expected = (p * cost).sum(1, keepdims=True)
        grad = z.T @ (p * (cost - expected)) + 2 * l2 * ridge * b
        return float(expected.sum() + l2 * (ridge * b ** 2).sum()), grad.ravel()

    coef = minimize(loss, np.zeros(np.prod(shape)), jac=True, method="L-BFGS-B").x.reshape(shape)
    return mean, scale, coef


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", help="choice2d --save-poses pickle of training-split clips (fitted on)")
    parser.add_argument("val", help="choice2d --save-poses pickle of the validation split (measured)")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 1.0], help="blend weights to choose from")
    parser.add_argument("--guard", type=float, default=1.0, help="jitter-only and clean training clips count this "
                        "many times in the fit (> 1: a chooser that spares them)")
    args = parser.parse_args()
    weights = np.array(args.weights)
    train, val = read(args.train, weights), read(args.val, weights)
    mean, scale, coef = fit(train, guard=args.guard)
    print("training clips, median per preset: " + "; ".join(
        f"{preset}: " + ", ".join(f"{name} {np.median(train['features'][train['preset'] == preset, i]):.2f}"
                                  for i, name in enumerate(NAMES)) for preset in dict.fromkeys(train["preset"])))
    chosen = (np.c_[np.ones(len(val["frames"])), (val["features"] - mean) / scale] @ coef).argmax(1)
    default = int(np.argmin(np.abs(weights)))
    print(f"weights {' '.join(f'{w:g}' for w in weights)}; default -> chooser (mean w chosen), x input "
          "(none: px moved)\n| convention | " + " | ".join(dict.fromkeys(val["preset"])) + " |")
    print("|---|" + "---|" * len(set(val["preset"])))
    for convention in dict.fromkeys(val["convention"]):
        cells = []
        for preset in dict.fromkeys(val["preset"]):
            m = (val["convention"] == convention) & (val["preset"] == preset)
            frames = val["frames"][m]
            unit = 1.0 if preset == "none" else float(np.average(val["input"][m], weights=frames))
            before = np.average(val["errors"][m, default], weights=frames) / unit
            after = np.average(val["errors"][m][np.arange(m.sum()), chosen[m]], weights=frames) / unit
            best = np.average(val["errors"][m].min(1), weights=frames) / unit
            cells.append(f"{before:.3f} -> {after:.3f} ({weights[chosen[m]].mean():.2f}; oracle {best:.3f})")
        print(f"| {convention} | " + " | ".join(cells) + " |")
    print("\n`typical`, every clip at one weight: | convention | " + " | ".join(f"w {w:g}" for w in weights) + " |")
    for convention in dict.fromkeys(val["convention"]):
        m = (val["convention"] == convention) & (val["preset"] == "typical")
        unit = np.average(val["input"][m], weights=val["frames"][m])
        print(f"| {convention} | " + " | ".join(f"{np.average(e, weights=val['frames'][m]) / unit:.3f}"
                                              for e in val["errors"][m].T) + " |")


if __name__ == "__main__":
    main()
