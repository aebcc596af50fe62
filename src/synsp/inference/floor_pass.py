"""The floor step as a refiner runs it (:mod:`synsp.inference.floor`): its strength read from the clip
(the limbs' drift in 3D, the share of its slow correction the network repeats), the repeated pull taken
off, then every branch kept above the floor against SmoothNet's output (2D) or a Butterworth (3D)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from synsp.estimator_errors import stalls
from synsp.inference import limb_turn
from synsp.inference.body_turn import cap_turn
from synsp.inference.floor import SMOOTHNET_BASE_STRIDE, drift_factor, floor_step
from synsp.inference.frame_rate import run_at_rate
from synsp.inference.joint_drift import joint_floor_shares
from synsp.inference.repeated_pull import REPEAT_STRIDE, repeat_factor, second_pass, take_off_pull

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner


@dataclass
class FloorReading:
    """What one clip's floor step read, per person (V,): its ``strength``; the input's ``limb_drift``
    (3D, which scaled it down; None: not read); the share of its slow correction the network
    ``repeated`` on its own output (None: not read); ``steady`` ((V, J) in [0, 1], 3D, None: not read): per joint,
    the share of the strength its own steady rigid distances gave back where the limbs' drift took it
    (inference.joint_drift)."""

    strength: np.ndarray
    limb_drift: np.ndarray | None = None
    repeated: np.ndarray | None = None
    steady: np.ndarray | None = None


def floor_pass(refiner: Refiner, outputs: dict[str, np.ndarray], seq: np.ndarray, strength: float, *,
               fps: float | None, given_fps: float | None, batch_size: int,
               seen: np.ndarray | None = None) -> tuple[dict[str, np.ndarray],
                                                                                     FloorReading]:
    """``refiner``'s floor step on its ``outputs`` (branch name -> (V, T, J, C), in the network's frame) of
    ``seq`` (V, T, J, C, the measured input in that frame) at ``strength`` (the refiner's ``shrink`` or the
    call's). ``fps``: the rate refined at (the paced rate); ``given_fps``: the input's own, at which the
    limbs' drift is read (at a sprint's paced 14 fps its jitter read as drift, RESULTS section 4); ``seen``
    ((V, T, J) bool, None: every value): the values measured, the only ones the drift is read on. Returns the
    kept outputs, shaped alike, and what was read."""
    reading = FloorReading(np.full(seq.shape[:-3], strength))
    shares = np.ones(seq.shape[:-3] + seq.shape[-2:-1])  # (V, J): each joint's share of the strength
    if refiner.drift_ramp is not None:
        reading.limb_drift = limb_turn.limb_drift(seq, refiner.layout, given_fps, seen)  # a marker's turn is no drift
        factor = drift_factor(reading.limb_drift, refiner.drift_ramp)
        reading.strength = reading.strength * factor
        # joints whose own rigid distances keep still (their slow change no more than their noise's) on a clip whose
        # limbs drift: a few joint definitions drifting, not the estimator's whole body; they get the floor step
        # back (inference.joint_drift)
        own = joint_floor_shares(seq, refiner.layout, given_fps, seen)
        shares = np.maximum(factor[..., None], own)
        reading.steady = np.where(own > factor[..., None], own - factor[..., None], 0.0)
    if refiner.repeat_ramp is not None:
        def again(s: np.ndarray) -> np.ndarray:
            run = lambda w: refiner._run(w, REPEAT_STRIDE, batch_size, ("final",))  # noqa: E731
            return run_at_rate(run, s, fps, refiner.covered_fps)["final"]
        second = second_pass(again, seq, fps)
        reading.repeated = second.share
        reading.strength = reading.strength * repeat_factor(reading.repeated, refiner.repeat_ramp)
        if refiner.pull_ramp is not None:
            outputs = {name: take_off_pull(out, second, refiner.pull_ramp) for name, out in outputs.items()}
    with stalls.frames_at(given_fps):  # the same frames told the paced rate: a stall's carry counts at theirs
        base = (np.stack([refiner.fallback().refine(person, fps=fps, stride=SMOOTHNET_BASE_STRIDE) for person in seq])
                if refiner.smoothnet_base and refiner.fallback is not None else None)  # each person at its own pace
    repeat = np.ones(seq.shape[:-3]) if reading.repeated is None else repeat_factor(reading.repeated,
                                                                                     refiner.repeat_ramp)
    joints = strength * shares * repeat[..., None]  # as reading.strength, per joint
    step = floor_step(seq, refiner.floor, shrink=joints, fps=fps, base=base)
    lean = refiner.max_lean and refiner.layout
    return {name: cap_turn(step(out), base, lean) for name, out in outputs.items()}, reading
