"""Back in the input's frame: the last steps of a refine call, each setting the output against the input.

:meth:`~synsp.inference.network_frame.NetworkFrame.back` gives the network's output back in the input's own axes,
unit and place; there, against the values measured from the input (gaps filled, the estimator's errors undone:
:func:`synsp.estimator_errors.measurements.measurements`), in this order:

- 3D: part SmoothNet's output on the clip's ends and, under heavier noise, inside (:mod:`synsp.inference.
  smoothnet_blend`);
- the part of the correction shaped like the input's acceleration given back: real motion cut
  (:mod:`synsp.inference.oversmoothing`);
- nearly clean input keeps its values: where its noise reads white, the slow part of SynSP's correction limited
  (:func:`synsp.inference.white_noise.limit_slow`), then the whole correction limited to the input's noise
  (:func:`synsp.inference.clean.keep_to_noise`);
- on a clip with no slow error to correct, a joint the network moved far beyond the input's noise (a motion it
  never saw, its prior pulling it towards the ones it learnt) takes the low-pass instead
  (:mod:`synsp.inference.unseen_motion`);
- a limb's few fast frames where the output departs from a light low-pass of the input (a golf swing's strike, which
  the window smooths like a gesture) given back to that low-pass, the slow part of the correction kept
  (:mod:`synsp.inference.fast_limbs`);
- where the network gives way in part (2D seen from high above, 3D bent over), the fallback's output but for
  its larger corrections (:meth:`synsp.inference.give_way.GiveWay.blended`);
- last, an output that came out NaN where the input held values (a step's fault): the fallback's, said in one line
  (:mod:`synsp.inference.finite_output`).

The input's noise (:func:`synsp.inference.clean.input_noise`) is read once for the blend and the clean-input steps.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from synsp.inference.clean import input_noise, keep_to_noise
from synsp.inference.fast_limbs import SPACES as FAST_SPACES
from synsp.inference.fast_limbs import give_back_fast, limb_speed
from synsp.inference.finite_output import finite_or_fallback
from synsp.inference.give_way import GiveWay
from synsp.inference.network_frame import NetworkFrame
from synsp.inference.oversmoothing import give_back_motion
from synsp.inference.smoothnet_blend import smoothnet_blend
from synsp.inference.unseen_motion import SPACES, low_pass_moved, moved_shares
from synsp.inference.white_noise import limit_slow

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner

__all__ = ["against_input"]


def against_input(refiner: Refiner, outputs: dict[str, np.ndarray], frame: NetworkFrame, measured: np.ndarray,
                  poses: np.ndarray, way: GiveWay, *, fps: float | None,
                  drift: np.ndarray | None, broken: int = 0) -> dict[str, np.ndarray]:
    """``refiner``'s ``outputs`` (name -> (V, T, J, C) in the network's ``frame``) back in the input's frame and
    through the steps of the module docstring, as the refiner's switches say (``smoothnet_blend``,
    ``give_back_motion``, ``keep_clean``). ``measured``: (V, T, J, C) the values measured from ``poses`` (the input
    as given to the refiner, (T, J, C) or (V, T, J, C), NaN allowed) in its own axes and unit; ``way``: what the
    call read of the fallback's part; ``fps``: the input's own rate (None: one the network knows); ``drift``: 3D,
    each person's limb drift (:func:`synsp.inference.floor.bone_drift`), which opens the clean-input limit (None:
    not read); ``broken``: joint values the refiner's steps made NaN before its low-pass
    (:func:`~synsp.inference.finite_output.unfinite`). Returns name -> shaped like ``poses``, its dtype."""
    poses = np.asarray(poses)
    noise = input_noise(measured) if refiner.keep_clean else None  # (V, J); the clean-input step reads it anyway
    ends = smoothnet_blend(lambda p: refiner.fallback().refine(p, fps=fps), poses, refiner.limb_drift,
                           refiner.drift_ramp, fps, measured, whole=way.fallback_output, noise=noise,
                           layout=refiner.layout if refiner.paced_fps is None else None) if (
        refiner.smoothnet_blend and refiner.fallback) else None  # 3D
    space = "" if refiner.network.per_coordinate else refiner.space  # SmoothNet has no slow pull of its own
    refiner.moved_motion = None  # (V, J) shares given the low-pass (unseen_motion); None: the step did not run
    refiner.fast_given = None  # (V, J) frames of a limb's fast motion given back (fast_limbs); None: did not run
    unseen = space in SPACES and refiner.floor_strength is not None and refiner.shrink > 0  # floor False: not
    # fast_limbs: the input's limb speed is the same for every output (each branch's): read once
    speed = limb_speed(measured, fps) if space in FAST_SPACES and refiner.give_back_motion else None
    result = {}
    for name, out in outputs.items():
        out = frame.back(out) if ends is None else ends(frame.back(out))
        if refiner.give_back_motion:  # against the values it measured, before the clean-input step
            out = give_back_motion(measured, out, pooled=refiner.space == "3d")  # 3D: turns with the input
        if refiner.keep_clean:  # SynSP's slow pull, then the whole correction
            out = limit_slow(measured, out, space=space, noise=noise, fps=fps)
            out = keep_to_noise(measured, out, space=refiner.space, drift=drift, noise=noise)
        if unseen:  # each branch read on its own; the final output's shares recorded
            noise = input_noise(measured) if noise is None else noise
            shares = moved_shares(measured, out, noise, refiner.floor_strength / refiner.shrink, fps=fps)
            refiner.moved_motion = shares if name == "final" or refiner.moved_motion is None else refiner.moved_motion
            out = low_pass_moved(measured, out, shares, fps)
        if speed is not None:  # SynSP's window on a limb's fast frames
            noise = input_noise(measured) if noise is None else noise
            body = refiner.layout if measured.shape[-2] == len(refiner.layout.joints) else None
            out, fast = give_back_fast(measured, out, noise, fps, body, speed)
            refiner.fast_given = (fast >= 0.5).sum(1) if name == "final" or refiner.fast_given is None else (
                refiner.fast_given)  # (V, J): the frames each gave at least half back
        result[name] = (out[0] if poses.ndim == 3 else out).astype(poses.dtype, copy=False)
    return finite_or_fallback(refiner, way.blended(result, poses), measured, way, broken)
