"""Scoring joint-rotation refiners: SMPL cases from the mocap and the rotation error simulator.

Cases are mocap clips retargeted to the SMPL tree (:mod:`synsp.data.smpl_mocap`) and their
simulated estimator output (:func:`synsp.data.rotation_errors.corrupt_rotations`, seeded per
clip). Scores are frame-weighted means over clips on root-relative joint positions of the SMPL
template skeleton after forward kinematics: MPJPE (mm), Accel (acceleration error,
mm/frame^2), and Angle, the mean geodesic error of the local rotations (degrees).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.smpl_mocap import load_bandai_motion, load_smpl_clip
from synsp.data.splits import load_split
from synsp.formats.motion import JointMotion
from synsp.metrics import accel_error, mpjpe
from synsp.rotations.conversions import geodesic_angle
from synsp.rotations.smpl_template import smpl_positions


@dataclass
class RotationCase:
    """One clip: noisy and clean local rotations (T, J, 3, 3), and the clean joint positions (T, J, 3) mm.

    ``skeleton`` None: the SMPL template's 24 joints; otherwise the file's own skeleton (a BVH's),
    whose root-relative joint positions :meth:`positions_of` gives by forward kinematics.
    """

    noisy: np.ndarray
    clean: np.ndarray
    positions: np.ndarray
    skeleton: JointMotion | None = None

    def positions_of(self, rotations: np.ndarray) -> np.ndarray:
        """Root-relative joint positions (T, J, 3) in mm of ``rotations`` (T, J, 3, 3) on this case's skeleton."""
        if self.skeleton is None:
            return smpl_positions(rotations)
        p = replace(self.skeleton, rotations=rotations).positions()
        return p - p[:, :1]


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


def skeleton_cases(split: str, preset: str, seed: int, max_clips: int = 0, speed: int = 1) -> list[RotationCase]:
    """As :func:`rotation_cases`, on the mocap's own 22-joint BVH tree (a skeleton the rotation
    networks never trained on) instead of SMPL's; no left/right swaps (the simulator's mirror is
    SMPL's frames'). ``speed``: the motion played that many times as fast (every speed-th frame)."""
    cases = []
    for i, name in enumerate(load_split(split)[: max_clips or None]):
        motion = load_bandai_motion(name)
        motion = replace(motion, rotations=motion.rotations[::speed], translations=motion.translations[::speed])
        clean = motion.rotations
        noisy = clean if preset == "none" else corrupt_rotations(clean, None, preset, pairs=(),
                                                                 rng=np.random.default_rng([seed, i]))[0]
        case = RotationCase(noisy, clean, np.empty(0), motion)
        case.positions = case.positions_of(clean)
        cases.append(case)
    return cases


def evaluate_rotations(method: Callable[..., np.ndarray], cases: list[RotationCase], *,
                       given_case: bool = False) -> dict[str, float]:
    """MPJPE, Angle and Accel of ``method(noisy rotations) -> rotations`` over ``cases``
    (``given_case``: ``method(noisy rotations, case)``, for a method that needs the skeleton)."""
    frames = np.array([len(c.clean) for c in cases], float)
    per = []
    for case in cases:
        refined = method(case.noisy, case) if given_case else method(case.noisy)
        positions = case.positions_of(refined)
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

    name, keep = _network_spec(spec)
    return load_rotation_model(name, keep_rest_frames=keep).refine


def skeleton_refiner(method: str | None = None,
                     spec: str | None = None) -> Callable[[np.ndarray, RotationCase], np.ndarray]:
    """The refine function of cases of any skeleton (:func:`skeleton_cases`; run with
    ``evaluate_rotations(..., given_case=True)``): ``synsp refine`` on a BVH of the case's
    skeleton at 30 fps (:func:`synsp.refining.motion.refine_motion`), by ``method`` (None: the
    default) and the network ``spec`` (as :func:`rotation_network` takes it; None: the shipped one)."""
    from synsp.refining.motion import refine_motion

    checkpoint, keep = _network_spec(spec) if spec is not None else (None, None)
    return lambda r, case: refine_motion(replace(case.skeleton, rotations=r, fps=30.0), method=method,
                                         checkpoint=checkpoint, keep_rest_frames=keep)[0].rotations


def _network_spec(spec: str) -> tuple[str, bool | None]:
    """A network ``spec`` (NAME, NAME:raw, NAME:kept) as the name and ``keep_rest_frames``."""
    name, _, option = spec.partition(":")
    return name, {"raw": False, "kept": True}.get(option)
