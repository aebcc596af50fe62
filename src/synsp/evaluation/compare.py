"""The accuracy benchmark behind ``synsp evaluate`` and ``synsp demo``.

Classic filters are tuned on the validation split (never the test split): each filter's
grid in ``synsp.filters.FILTER_GRIDS`` is searched for the lowest validation MPJPE.
Networks come from the shipped checkpoints (or any checkpoint path).
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
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
    from synsp.inference.checkpoint import DEFAULT_MODEL, load_model

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
    from synsp.inference.checkpoint import DEFAULT_MODEL, load_model

    refiner = load_model(checkpoint or DEFAULT_MODEL[space])
    gaps, errors = [], []
    for case in cases:
        out = refiner.refine_branches(case.noisy)
        gaps.append(np.linalg.norm(out["position"] - out["acceleration"], axis=-1).ravel())
        errors.append(np.linalg.norm(case.noisy - case.clean, axis=-1).ravel())
    return float(np.corrcoef(np.concatenate(gaps), np.concatenate(errors))[0, 1])


def run_evaluation(
    methods: list[str], presets: list[str], *, split: str = "test", space: str = "3d", max_clips: int = 0,
    tune: bool = True, views: int = 1, multi_view: str = "cameras", checkpoint: str | None = None,
    convention: str = "mocap", log: Callable[[str], None] = lambda s: None,
) -> str:
    """Markdown report: one table per error preset, rows = input + methods.

    ``views`` > 1 scores (V, T, J, C) cases (see :func:`synsp.evaluation.protocol.make_cases`): the
    networks refine the V sequences jointly, the filters one by one. ``checkpoint`` replaces
    the shipped SynSP model. ``convention`` marks the test joints as another skeleton would
    (:data:`synsp.conventions.CONVENTIONS`); filters are still tuned on the mocap convention."""
    layout = "h36m17" if space == "3d" else "coco17"
    if views < 1:
        raise ValueError(f"views must be >= 1, got {views}")
    unknown = [m for m in methods if m not in FILTERS and m not in NETWORKS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {', '.join([*FILTERS, *NETWORKS])}")
    sections = []
    for preset in presets:
        cases = make_cases(split, preset, layout=layout, space=space, max_clips=max_clips, views=views,
                           multi_view=multi_view, convention=convention)
        val = make_cases("val", "typical" if preset == "none" else preset, layout=layout, space=space,
                         max_clips=max_clips) if tune else []
        rows: dict[str, Callable] = {}
        notes = []
        for method in methods:
            if method in NETWORKS:
                rows.update(network_methods(method, space, checkpoint if method == "synsp" else None))
                continue
            options = tune_filter(method, val, layout=layout, space=space) if tune else {}
            rows[method] = partial(FILTERS[method], **options)
            if options:
                notes.append(f"{method} {options}")
            log(f"{preset}: {method} ready {options}")
        results = evaluate(rows, cases, layout=layout, space=space)
        frames = sum(c.clean.shape[-3] for c in cases)
        unit = "mm" if space == "3d" else "px"
        setting = f", {views} views ({multi_view})" if views > 1 else ""
        setting += f", joint convention `{convention}`" if convention != "mocap" else ""
        sections.append(f"### preset `{preset}` ({space}{setting}, {split} split: {len(cases)} clips, "
                        f"{frames} frames, {unit})\n\n"
                        + markdown_table(results))
        if notes:
            sections.append("Filters tuned on the validation split: " + "; ".join(notes))
        if "synsp" in methods and preset != "none":
            r = quality_correlation(cases, checkpoint, space=space)
            sections.append(f"Pearson r between ||PB - AB|| and the input's true error: {r:.3f}")
    return "\n\n".join(sections)


def run_demo(clip: str | None = None, preset: str = "typical", out_dir: str | None = "out") -> str:
    """The main job: (1) one real test clip corrupted by ``preset``, refined by every available
    method and scored against its ground truth; (2) MediaPipe's real output on a real video,
    refined in 2D and 3D, with smoothness figures and (into ``out_dir``) a before/after picture."""
    from synsp.inference.checkpoint import DEFAULT_MODEL, shipped_path

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
    header = (f"## 1. Motion capture with simulated estimator errors\n\nclip {case.name}: {len(case.clean)} frames, "
              f"17 joints (h36m17, root-relative mm), simulated estimator errors: preset `{preset}`")
    parts = [header, markdown_table(results)]
    if out_dir is not None:
        parts.append(mediapipe_demo(out_dir))
    return "\n\n".join(parts)


def mediapipe_demo(out_dir: str) -> str:
    """Refine ``mediapipe-sports2d`` (MediaPipe on a real video, no ground truth) in 2D and 3D
    with the default models; write the refined files and a before/after picture to ``out_dir``."""
    from pathlib import Path

    from synsp.paths import data_root
    from synsp.refine_file import refine_file

    folder = data_root() / "mediapipe-sports2d"
    source, video = folder / "demo_mediapipe.npz", folder / "demo.mp4"
    out = Path(out_dir)
    lines = [f"## 2. MediaPipe on a real video ({source.name}, no ground truth)"]
    refined = {}
    for space in ("image", "world"):
        refined[space] = out / f"demo_mediapipe_{space}.npz"
        # Demo outputs are the demo's own files, rewritten on every run.
        summary = refine_file(source, refined[space], layout="mediapipe33", space=space, force=True)
        lines.append(f"{space} ({'2D pixels' if space == 'image' else '3D world, mm'}): {summary}")
    try:
        from synsp.viz.files import animate_files

        # Frames where MediaPipe follows the person on the box, then the walker it jumps to.
        picture = animate_files(source, refined["image"], out / "demo_overlay.png", video=video, space="image",
                                frames=[30, 70, 110, 215])
        lines.append(f"before (red) / after (green) picture: {picture}")
    except ImportError as err:  # the viz extra is optional
        lines.append(f"(no picture: {err}; install the 'viz' extra)")
    return "\n\n".join(lines)
