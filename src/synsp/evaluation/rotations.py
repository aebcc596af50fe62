"""Scoring joint-rotation refiners: SMPL cases from the mocap and the rotation error simulator.

Cases are mocap clips retargeted to the SMPL tree (:mod:`synsp.data.smpl_mocap`) and their
simulated estimator output (:func:`synsp.data.rotation_errors.corrupt_rotations`, seeded per
clip). Scores are frame-weighted means over clips on root-relative joint positions of the SMPL
template skeleton after forward kinematics: MPJPE (mm), Accel (acceleration error,
mm/frame^2), and Angle, the mean geodesic error of the local rotations (degrees).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.metrics import accel_error, mpjpe
from synsp.rotations import geodesic_angle
from synsp.smpl_template import smpl_positions


@dataclass
class RotationCase:
    """One clip: noisy and clean local rotations (T, 24, 3, 3), and the clean joint positions (T, 24, 3) mm."""

    noisy: np.ndarray
    clean: np.ndarray
    positions: np.ndarray


def rotation_cases(split: str, preset: str, seed: int, max_clips: int = 0) -> list[RotationCase]:
    """The cases of ``split`` (its first ``max_clips`` clips; 0 = all) under error ``preset``,
    clip i seeded ``[seed, i]``; preset "none": the clean motion as input."""
    cases = []
    for i, name in enumerate(load_split(split)[: max_clips or None]):
        clean, trans = load_smpl_clip(name)
        noisy = clean if preset == "none" else corrupt_rotations(clean, trans, preset,
                                                                 rng=np.random.default_rng([seed, i]))[0]
        cases.append(RotationCase(noisy, clean, smpl_positions(clean)))
    return cases


def evaluate_rotations(method: Callable[[np.ndarray], np.ndarray], cases: list[RotationCase]) -> dict[str, float]:
    """MPJPE, Angle and Accel of ``method(noisy rotations) -> rotations`` over ``cases``."""
    frames = np.array([len(c.clean) for c in cases], float)
    per = []
    for case in cases:
        refined = method(case.noisy)
        positions = smpl_positions(refined)
        per.append({"MPJPE": mpjpe(positions, case.positions),
                    "Angle": float(geodesic_angle(refined, case.clean).mean()),
                    "Accel": accel_error(positions, case.positions)})
    return {k: float(np.average([p[k] for p in per], weights=frames)) for k in per[0]}


def rotation_network(spec: str) -> Callable[[np.ndarray], np.ndarray]:
    """The refine function (rotations (T, 24, 3, 3) at 30 fps -> the same) of the rotation network
    ``spec``: a shipped name or checkpoint file, with ``:raw`` for the network alone or ``:kept``
    for each joint's rest frame kept (:func:`synsp.inference.rotation_refiner.keep_rest_frames`;
    neither: the network's default, from its checkpoint, see
    :class:`~synsp.inference.rotation_refiner.RotationRefiner`)."""
    from synsp.inference.rotation_refiner import load_rotation_model

    name, _, option = spec.partition(":")
    return load_rotation_model(name, keep_rest_frames={"raw": False, "kept": True}.get(option)).refine
