"""Side-by-side evaluation on a fixed split: raw input vs every refinement method.

Protocol (as in the paper and SmoothNet): test clips are corrupted by the error simulator
with a fixed seed; each method refines the whole clip; for 3D, outputs and ground truth are
made root-relative before scoring (millimetres); 2D is scored in pixels. Scores are
frame-weighted means over clips. The raw input row is the estimator output with its
missing joints linearly interpolated (a NaN cannot be scored).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from synsp.conventions import convert_with_convention
from synsp.data.mocap import load_bandai, load_clips
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import load_split
from synsp.metrics import accel_error, mpjpe, pa_mpjpe, pck
from synsp.skeleton import Layout, random_proportions, reproportion, root_position

EVAL_SEED = 7  # one seed for every benchmark, so all methods see identical inputs


@dataclass
class Case:
    """One evaluation clip: its name, simulated estimator output and ground truth (T, J, C)."""

    name: str
    noisy: np.ndarray
    clean: np.ndarray


def make_cases(
    split: str = "test", preset: str = "typical", *, layout: str = "h36m17", space: str = "3d",
    seed: int = EVAL_SEED, max_clips: int = 0, views: int = 1, multi_view: str = "cameras", proportions: float = 0.0,
    convention: str = "mocap", clips: dict[str, np.ndarray] | None = None,
) -> list[Case]:
    """Corrupt every clip of ``split`` with ``preset`` (no augmentation, fixed ``seed``);
    preset "none" gives the clean sequences themselves as input (what a refiner should leave alone).

    With ``views`` > 1 each case holds (V, T, J, C) arrays: V independent estimates of the
    same motion ("cameras"), or the clip plus V - 1 other clips of the split as extra
    persons ("random", the paper's random combination; others are looped to length T).
    ``proportions`` > 0 gives every clip other bone lengths first (factors in 1 +- it, see
    :func:`synsp.skeleton.random_proportions`): bodies unlike the training actors'.
    ``convention`` marks the joints as another skeleton would (a name of
    :data:`synsp.conventions.CONVENTIONS`; "mocap" is the training convention).
    ``clips`` ({name: (T, J, 3) mm, Y up, 30 fps, in ``layout``}) are corrupted instead of the
    split's clips (``split`` unused): the user's own clean clips (:mod:`synsp.training.own_clips`)."""
    names = load_split(split) if clips is None else list(clips)
    if max_clips:
        names = names[:max_clips]
    error_model = get_preset("jitter" if preset == "none" else preset)
    rng = np.random.default_rng(seed)
    if clips is not None:
        if convention != "mocap":
            raise ValueError(f"convention {convention!r} marks the Bandai mocap's joints; not for clips of your own")
        clips = [clips[n] for n in names]
    elif convention == "mocap":
        clips = load_clips(names, layout=layout)
    else:
        draws = np.random.default_rng([seed, 1])  # its own stream: the errors stay those of "mocap"
        clips = [convert_with_convention(*load_bandai(n), layout, convention, draws) for n in names]
    clips = [np.asarray(c, np.float32) for c in clips]
    cases = []
    for name, clip in zip(names, clips):
        if proportions:
            clip = reproportion(clip, layout, random_proportions(layout, proportions, rng))
        subjects = [clip] * views
        if multi_view == "random":
            extra = rng.choice(len(clips), views - 1)
            subjects = [clip] + [np.resize(clips[i], clip.shape) for i in extra]
        estimates = []
        for subject in subjects:
            other = clips[rng.integers(len(clips))]
            # The two draws training makes for its preset mix and severity range: the fixed
            # evaluation noise stays the one every table in benchmarks/RESULTS.md was made with.
            rng.choice(1, p=[1.0]), rng.uniform(1.0, 1.0)
            estimates.append(estimate(subject, other, rng, preset=error_model, layout=layout, space=space))
        noisy, clean = (np.stack(parts) for parts in zip(*estimates))
        if preset == "none":
            noisy = clean.copy()
        cases.append(Case(name, noisy[0], clean[0]) if views == 1 else Case(name, noisy, clean))
    return cases


def score(pred: np.ndarray, clean: np.ndarray, *, layout: str | Layout | None, space: str) -> dict[str, float]:
    """MPJPE, PA-MPJPE and Accel (3D, root-relative mm) or MPJPE, PCK@0.05 and Accel (2D, px).

    ``clean`` (..., T, J, C) is root-relative in 3D (``pred`` is made so here; ``layout`` None:
    both are scored as given). NaN in ``clean`` marks a joint value not scored."""
    if space == "3d":  # (..., T, J, C): one sequence or several views at once
        pred = pred if layout is None else pred - root_position(pred, layout)
        return {"MPJPE": mpjpe(pred, clean), "PA-MPJPE": pa_mpjpe(pred, clean), "Accel": accel_error(pred, clean)}
    with warnings.catch_warnings():  # a frame the truth has no joint of: no size, not scored
        warnings.simplefilter("ignore", RuntimeWarning)
        size = (np.nanmax(clean, axis=-2) - np.nanmin(clean, axis=-2)).max(axis=-1)  # (..., T) person box side, px
    return {"MPJPE": mpjpe(pred, clean), "PCK@0.05": pck(pred, clean, 0.05, normalize=size),
            "Accel": accel_error(pred, clean)}


def evaluate(
    methods: dict[str, Callable[[np.ndarray], np.ndarray]], cases: list[Case], *,
    layout: str | Layout | None = "h36m17", space: str = "3d", include_input: bool = True,
) -> dict[str, dict[str, float]]:
    """Score ``methods`` (and the raw input, first, unless ``include_input`` is False) on
    ``cases``; returns name -> metric -> value."""
    results: dict[str, dict[str, float]] = {}
    weights = np.array([c.clean.shape[-3] for c in cases], float)
    rows = {"input": lambda x: x, **methods} if include_input else methods
    for name, method in rows.items():
        per_clip = [score(method(c.noisy), c.clean, layout=layout, space=space) for c in cases]
        results[name] = {k: float(np.average([s[k] for s in per_clip], weights=weights)) for k in per_clip[0]}
    return results


def markdown_table(results: dict[str, dict[str, float]], *, reference: str = "input") -> str:
    """A markdown table: one row per method, each metric and its ratio to ``reference``."""
    metrics = list(next(iter(results.values())))
    head = "| method | " + " | ".join(f"{m} | x input" for m in metrics) + " |"
    rule = "|---|" + "---:|---:|" * len(metrics)
    rows = [head, rule]
    for name, values in results.items():
        cells = []
        for m in metrics:
            ref = results[reference][m]
            cells += [f"{values[m]:.2f}", f"{values[m] / ref:.3f}" if abs(ref) > 1e-9 else "-"]  # clean input: 0
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
