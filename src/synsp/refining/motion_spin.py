"""A motion of joint rotations (a BVH, an SMPL file) whose body spins about the vertical: the spin taken out before
the refinement and put back after (:mod:`synsp.rotations.body_spin`).

A BVH stands along +Y. An SMPL file's vertical is the file's: +Y for the mocap and most fits, -Y in an estimator's
camera frame (y down), +Z in a Z-up world (AMASS); it is the axis the body's trunk points along
(:func:`~synsp.inference.upright.upright_turn`, as the rotation refiner reads it). Spinning 3 turns a second, SMPL
refined by SynSP on rotations came out 32 % further from the truth than its still clip (benchmarks/RESULTS.md,
section 14, "One half-turn rule").
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.inference.upright import upright_turn
from synsp.rotations.body_spin import spin_pace, spin_turn, turned_about_vertical
from synsp.rotations.smpl_template import BODY_JOINTS

__all__ = ["motion_up", "without_motion_spin"]

Refine = Callable[[JointMotion], tuple[JointMotion, list[str]]]


def motion_up(motion: JointMotion) -> np.ndarray | None:
    """The (3, 3) turn from ``motion``'s world into axes whose +Y is the vertical its body spins about: None (+Y
    already) for a BVH; for SMPL, SMPL-H and SMPL-X, :func:`upright_turn` of its body's joints (the first
    ``BODY_JOINTS``): the axis its trunk points along turned to +Y."""
    if motion.format != "smpl":
        return None
    return upright_turn(motion.positions()[:, :BODY_JOINTS], "smpl22")


def without_motion_spin(motion: JointMotion, refine: Refine) -> tuple[JointMotion, list[str]] | None:
    """``refine`` (a motion -> the refined motion and its notes) of ``motion`` with a fast spin about the vertical
    (:func:`~synsp.rotations.body_spin.spin_turn` about :func:`motion_up`) taken out before and put back after, a
    note added; None (``refine`` not run) when the body does not spin (most motions)."""
    up = motion_up(motion)
    spin = spin_turn(motion.rotations, motion.parents, motion.fps, up=up)
    if spin is None:
        return None
    joint, turn = spin  # a body spinning faster than the networks' motion: refined with the excess taken out
    still = turned_about_vertical(motion.rotations, motion.parents, joint, -turn, up, motion.fps)
    refined, notes = refine(replace(motion, rotations=still))
    fastest = spin_pace(turn, motion.rotations, motion.fps)  # in the file's time, held frames or not
    notes.append(f"spin: the body spins about the vertical, up to {fastest:.1f} turns a second; refined with the "
                 "spin taken out, then put back")
    back = turned_about_vertical(refined.rotations, motion.parents, joint, turn, up, motion.fps)  # float64
    return replace(refined, rotations=back), notes
