"""The accuracy comparison behind ``synsp evaluate`` (and the demo's table).

Classic filters are tuned on the validation split (never the test split): each filter's
grid in ``synsp.filters.FILTER_GRIDS`` is searched for the lowest validation MPJPE; untuned
(``--paper-filters``) they run at the paper's settings, ``synsp.filters.PAPER_SETTINGS``.
Networks come from the shipped checkpoints (or any checkpoint path).
"""
from __future__ import annotations

import warnings
from functools import partial
from typing import Callable

import numpy as np

from synsp.data.mocap import clip_info
from synsp.errors import CheckpointError
from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTER_GRIDS, FILTERS, PAPER_SETTINGS
from synsp.model import NETWORKS


def tune_filter(name: str, cases: list[Case], *, layout: str, space: str) -> dict:
    """The options of filter ``name`` with the lowest MPJPE on ``cases`` (a validation set)."""
    grid = FILTER_GRIDS.get(name, [{}])
    scores = []
    for options in grid:
        result = evaluate({name: partial(FILTERS[name], **options)}, cases, layout=layout, space=space)
        scores.append(result[name]["MPJPE"])
    return grid[int(np.argmin(scores))]


def network_methods(kind: str, space: str, checkpoint: str | None = None) -> dict[str, Callable]:
    """Rows for a network, one per output (SynSP: its PB, AB and final; SmoothNet: one).

    The branches come from one call of the refiner per clip, kept for every row (the rows are scored one after
    the other over the same clips). SynSP's final row is what ``synsp.refine`` gives (:func:`synsp.refine`, the
    steps around the refiner too: a person's light noise, fast motion's second look, a video's cuts), so that the
    table scores the default a user gets."""
    from synsp.inference.checkpoint import default_model, load_model
    from synsp.refining.arrays import refine

    name = checkpoint or default_model(kind, space)
    with warnings.catch_warnings():  # a floor not measured: said once, by the final row's refine, which loads it too
        warnings.simplefilter("ignore", UserWarning)
        refiner = load_model(name)
    cache: dict[int, dict[str, np.ndarray]] = {}  # id of a clip's poses -> its outputs; the cases outlive the rows

    def branch(which: str, poses: np.ndarray) -> np.ndarray:
        if id(poses) not in cache:
            cache[id(poses)] = refiner.refine_branches(poses)
        return cache[id(poses)][which]

    title = refiner.model.__class__.__name__
    outputs = refiner.network.outputs
    if len(outputs) == 1:
        return {title: partial(branch, outputs[0])}
    short = {"position": "PB", "acceleration": "AB"}  # the paper's branch names
    rows = {f"{title} {short.get(out, out)}": partial(branch, out) for out in outputs if out != "final"}
    rows[f"{title} final"] = lambda poses: refine(poses, kind, checkpoint=name)
    return rows


def checkpoint_kinds(checkpoint: str | None, methods: list[str]) -> dict[str, str]:
    """{kind: checkpoint} for the network methods: ``checkpoint`` (a file or shipped name) goes to
    the method of its own kind, read from it; one of a kind not among ``methods`` is refused
    (``CheckpointError``), since it would silently change nothing."""
    if checkpoint is None:
        return {}
    from synsp.inference.checkpoint import checkpoint_kind

    kind = checkpoint_kind(checkpoint)
    if kind not in methods:
        raise CheckpointError(f"checkpoint {checkpoint} is a {kind} model, but the methods are {', '.join(methods)}; "
                              f"add {kind} to --methods or give a checkpoint of one of them")
    return {kind: checkpoint}


def quality_correlation(cases: list[Case], checkpoint: str | None = None, space: str = "3d") -> float:
    """Pearson r between the branches' disagreement ||PB - AB|| and the input's true error
    ||input - ground truth||, over every frame and joint (the supplementary reports 0.48)."""
    from synsp.inference.checkpoint import DEFAULT_MODEL, load_model

    with warnings.catch_warnings():  # a floor not measured: said by the table's own refinement already
        warnings.simplefilter("ignore", UserWarning)
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
    convention: str = "mocap", source: int | None = None, log: Callable[[str], None] = lambda s: None,
) -> str:
    """Markdown report: one table per error preset, rows = input + methods.

    ``views`` > 1 scores (V, T, J, C) cases (see :func:`synsp.evaluation.protocol.make_cases`): the
    networks refine the V sequences jointly, the filters one by one. ``checkpoint`` replaces
    the shipped SynSP model. ``convention`` marks the test joints as another skeleton would
    (:data:`synsp.conventions.CONVENTIONS`); filters are still tuned on the mocap convention.
    ``source`` (1 or 2) scores only the clips of that Bandai dataset, each with the errors it has
    in the whole split's tables: 1 = held-out (content, style) pairs, motion performed in a style
    the model never saw it in; 2 = other takes of motions trained on (:mod:`synsp.data.splits`)."""
    layout = "h36m17" if space == "3d" else "coco17"
    if views < 1:
        raise ValueError(f"views must be >= 1, got {views}")
    unknown = [m for m in methods if m not in FILTERS and m not in NETWORKS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {', '.join([*FILTERS, *NETWORKS])}")
    checkpoints = checkpoint_kinds(checkpoint, methods)
    sections = []
    for preset in presets:
        cases = make_cases(split, preset, layout=layout, space=space, max_clips=max_clips, views=views,
                           multi_view=multi_view, convention=convention)
        if source is not None:
            cases = [c for c in cases if clip_info(c.name).dataset == source]
            if not cases:
                raise ValueError(f"no clip of dataset {source} in the {split} split"
                                 + (f"'s first {max_clips}" if max_clips else ""))
        val = make_cases("val", "typical" if preset == "none" else preset, layout=layout, space=space,
                         max_clips=max_clips) if tune else []
        rows: dict[str, Callable] = {}
        notes = []
        for method in methods:
            if method in NETWORKS:
                rows.update(network_methods(method, space, checkpoints.get(method)))
                continue
            options = tune_filter(method, val, layout=layout, space=space) if tune else PAPER_SETTINGS.get(method, {})
            rows[method] = partial(FILTERS[method], **options)
            if options and tune:
                notes.append(f"{method} {options}")
            log(f"{preset}: {method} ready {options}")
        results = evaluate(rows, cases, layout=layout, space=space)
        frames = sum(c.clean.shape[-3] for c in cases)
        unit = "mm" if space == "3d" else "px"
        setting = f", {views} views ({multi_view})" if views > 1 else ""
        setting += f", joint convention `{convention}`" if convention != "mocap" else ""
        setting += f", dataset {source} only" if source is not None else ""
        sections.append(f"### preset `{preset}` ({space}{setting}, {split} split: {len(cases)} clips, "
                        f"{frames} frames, {unit})\n\n"
                        + markdown_table(results))
        if notes:
            sections.append("Filters tuned on the validation split: " + "; ".join(notes))
        if "synsp" in methods and preset != "none":
            r = quality_correlation(cases, checkpoints.get("synsp"), space=space)
            sections.append(f"Pearson r between ||PB - AB|| and the input's true error: {r:.3f}")
    return "\n\n".join(sections)
