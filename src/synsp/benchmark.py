"""The accuracy benchmark behind ``synsp evaluate`` and ``synsp demo``.

Classic filters are tuned on the validation split (never the test split): each filter's
grid in ``synsp.filters.FILTER_GRIDS`` is searched for the lowest validation MPJPE.
Networks come from the shipped checkpoints (or any checkpoint path).
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from synsp.evaluate import Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTER_GRIDS, FILTERS

NETWORKS = ("synsp", "smoothnet")


def tune_filter(name: str, cases: list[Case], *, layout: str, space: str) -> dict:
    """The options of filter ``name`` with the lowest MPJPE on ``cases`` (a validation set)."""
    grid = FILTER_GRIDS.get(name, [{}])
    scores = []
    for options in grid:
        result = evaluate({name: partial(FILTERS[name], **options)}, cases, layout=layout, space=space)
        scores.append(result[name]["MPJPE"])
    return grid[int(np.argmin(scores))]


def network_methods(kind: str, space: str, checkpoint: str | None = None) -> dict[str, Callable]:
    """Rows for a network: SynSP gives its PB, AB and final outputs, SmoothNet one output.

    Each branch is computed by the same call, so the refiner runs once per clip and
    caches the other outputs for the next row."""
    from synsp.checkpoint import DEFAULT_MODEL, load_model

    name = checkpoint or DEFAULT_MODEL[space].replace("synsp", kind)
    refiner = load_model(name)
    cache: dict[int, dict[str, np.ndarray]] = {}

    def branch(which: str, poses: np.ndarray) -> np.ndarray:
        key = id(poses)
        if key not in cache:
            cache.clear()
            cache[key] = refiner.refine_branches(poses)
        return cache[key][which]

    if kind == "smoothnet":
        return {"SmoothNet": partial(branch, "final")}
    return {"SynSP PB": partial(branch, "position"), "SynSP AB": partial(branch, "acceleration"),
            "SynSP final": partial(branch, "final")}


def quality_correlation(cases: list[Case], checkpoint: str | None = None, space: str = "3d") -> float:
    """Pearson r between the branches' disagreement ||PB - AB|| and the input's true error
    ||input - ground truth||, over every frame and joint (the supplementary reports 0.48)."""
    from synsp.checkpoint import DEFAULT_MODEL, load_model

    refiner = load_model(checkpoint or DEFAULT_MODEL[space])
    gaps, errors = [], []
    for case in cases:
        out = refiner.refine_branches(case.noisy)
        gaps.append(np.linalg.norm(out["position"] - out["acceleration"], axis=-1).ravel())
        errors.append(np.linalg.norm(case.noisy - case.clean, axis=-1).ravel())
    return float(np.corrcoef(np.concatenate(gaps), np.concatenate(errors))[0, 1])


def run_evaluation(
    methods: list[str], presets: list[str], *, split: str = "test", space: str = "3d", max_clips: int = 0,
    tune: bool = True, log: Callable[[str], None] = lambda s: None,
) -> str:
    """Markdown report: one table per error preset, rows = input + methods."""
    layout = "h36m17" if space == "3d" else "coco17"
    unknown = [m for m in methods if m not in FILTERS and m not in NETWORKS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {', '.join([*FILTERS, *NETWORKS])}")
    sections = []
    for preset in presets:
        cases = make_cases(split, preset, layout=layout, space=space, max_clips=max_clips)
        val = make_cases("val", preset, layout=layout, space=space, max_clips=max_clips) if tune else []
        rows: dict[str, Callable] = {}
        notes = []
        for method in methods:
            if method in NETWORKS:
                rows.update(network_methods(method, space))
                continue
            options = tune_filter(method, val, layout=layout, space=space) if tune else {}
            rows[method] = partial(FILTERS[method], **options)
            if options:
                notes.append(f"{method} {options}")
            log(f"{preset}: {method} ready {options}")
        results = evaluate(rows, cases, layout=layout, space=space)
        frames = sum(len(c.clean) for c in cases)
        unit = "mm" if space == "3d" else "px"
        sections.append(f"### preset `{preset}` ({space}, {split} split: {len(cases)} clips, {frames} frames, {unit})\n\n"
                        + markdown_table(results))
        if notes:
            sections.append("Filters tuned on the validation split: " + "; ".join(notes))
        if "synsp" in methods:
            r = quality_correlation(cases, space=space)
            sections.append(f"Pearson r between ||PB - AB|| and the input's true error: {r:.3f}")
    return "\n\n".join(sections)


def run_demo(clip: str | None = None, preset: str = "typical") -> str:
    """Refine one real test clip corrupted by ``preset`` with every available method."""
    from synsp.checkpoint import DEFAULT_MODEL, SHIPPED_MODELS, shipped_path

    cases = make_cases("test", preset)
    case = next((c for c in cases if c.name == clip), None) if clip else cases[0]
    if case is None:
        raise ValueError(f"clip {clip!r} is not in the test split")
    rows: dict[str, Callable] = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    for kind in NETWORKS:
        name = DEFAULT_MODEL["3d"].replace("synsp", kind)
        try:
            shipped_path(name)
        except FileNotFoundError:
            continue
        rows.update(network_methods(kind, "3d"))
    results = evaluate(rows, [case])
    header = (f"clip {case.name}: {len(case.clean)} frames, 17 joints (h36m17, root-relative mm), "
              f"simulated estimator errors: preset `{preset}`")
    return header + "\n\n" + markdown_table(results)
