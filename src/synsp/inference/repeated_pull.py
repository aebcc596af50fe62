"""A second pass tells the network's pull from its correction: the floor step's evidence.

The floor step (:mod:`synsp.inference.floor`) cuts the network's slow correction back where the
input shows no slow error to fix, since there that correction is the network's pull towards the
poses it knows. 3D reads that evidence in the limbs (:func:`~synsp.inference.floor.bone_drift`);
in 2D, limbs change length as they turn, and no clip-level measure of the input told clips with
slow errors from clips without (benchmarks/RESULTS.md, section 4, "2D clips with little jitter").

The network's own output tells them. A correction of an estimator's slow error removes that
error, so refining the output a second time finds little left to correct; a pull is not
evidence-driven, so the second pass pulls again, the same way. :func:`repeated_share` is the
second pass's slow correction projected on the first's (1: the same move again; 0: nothing
more, or at right angles). On the validation split (2D, COCO-17, first 30 clips; 10th / 50th / 90th
percentiles) it reads 0.18 / 0.27 / 0.47 on `typical` input, 0.56 / 0.66 / 0.72 on jitter-only
input and 0.61 / 0.72 / 0.80 on the clean clips. :func:`repeat_factor` turns it into the floor
step's strength: none where the network's correction does not repeat (an estimator's slow error,
which the step would otherwise cut), the default strength in between, and ten times it where the
correction repeats (the pull itself), chosen there (RESULTS section 4, "A second pass").

The second pass's slow correction is the pull itself, read on the network's own output; where it
repeats, :func:`take_off_pull` takes a share of it off the refinement before the floor step
(:data:`PULL_RAMP`): a large pull, which the floor step keeps as it would a large correction,
is taken off by what the network does again, not by its size (RESULTS section 4, "The pull taken
off").

In 3D the share reads higher (validation, h36m17, all 65 clips: 0.31 / 0.41 / 0.52 on `typical`,
0.50 / 0.58 / 0.66 on jitter-only, 0.63 / 0.68 / 0.73 clean) and overlaps between the presets,
where the limbs' drift already tells them apart; a 3D ramp times the drift's factor was tried and
not shipped (:data:`REPEAT_RAMPS`; RESULTS section 4, "A second pass in 3D").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from synsp.inference.floor import slow_part

__all__ = ["PULL_RAMP", "PULL_RAMPS", "REPEAT_RAMP", "REPEAT_RAMPS", "TRIED_3D", "REPEAT_STRIDE", "SecondPass",
           "pull_share", "repeat_factor", "repeat_note", "repeated_share", "second_pass", "take_off_pull"]

# (shares, factors): the floor step's strength is multiplied by the factor interpolated at the
# clip's repeated share, held at the ends. Chosen on the validation split's first 30 clips
# (RESULTS section 4, "A second pass").
REPEAT_RAMP = ((0.35, 0.5, 0.6), (0.0, 1.0, 10.0))
# Per space (None: not read). 3D: tried, not shipped (RESULTS section 4, "A second pass in 3D"): the
# best ramp times the limbs' drift factor, ((0.45, 0.55, 0.65), (0, 1, 3)), gained on jitter-only
# input on the clips it was chosen on and lost on the other validation clips (0.7360 -> 0.7409 x
# input), and it takes the step away from a jitter-only clip whose share reads low.
REPEAT_RAMPS = {"2d": REPEAT_RAMP, "3d": None}
TRIED_3D = ((0.45, 0.55, 0.65), (0.0, 1.0, 3.0))
# The two passes' windows start every this many frames: only their slow part (below
# floor.SLOW_HZ) is read, which a stride of 8 changes little (the share's percentiles above
# within 0.015 of the refiner's stride 2) at a quarter of the work.
REPEAT_STRIDE = 8
# (shares, parts taken off): the share of the second pass's slow correction taken off the
# refinement, interpolated at the clip's repeated share and held at the ends: none where the
# network corrects (`typical` reads 0.17-0.49), half from 0.6 (a pull). Chosen on the validation
# split's first 30 clips (RESULTS section 4, "The pull taken off"); 3D does not read the share.
PULL_RAMP = ((0.4, 0.6), (0.0, 0.5))
PULL_RAMPS = {"2d": PULL_RAMP, "3d": None}


@dataclass
class SecondPass:
    """What refining the network's output again tells: per person (V,), the :func:`repeated_share`,
    and the second pass's slow correction (V, T, J, C), the pull it repeats, in the inputs' unit."""

    share: np.ndarray
    pull: np.ndarray


def second_pass(run: Callable[[np.ndarray], np.ndarray], inputs: np.ndarray,
                fps: float | None = None) -> SecondPass:
    """The network ``run`` (poses (V, T, J, C) -> its output, same shape) on ``inputs`` (V, T,
    J, C) without NaN, any unit, and again on its output; ``fps`` the rate ``run`` sees them at
    (None: 30), for the slow part (:func:`synsp.inference.floor.slow_part`, below 2 Hz). The share
    is the second pass's slow correction projected on the first's, over every frame, joint and
    coordinate (1: the same move again; 0 where the first pass corrects nothing slowly)."""
    inputs = np.asarray(inputs)
    first = run(inputs)
    second = run(first)
    s1 = slow_part(np.asarray(first, np.float64) - inputs, fps)
    s2 = slow_part(np.asarray(second, np.float64) - first, fps)
    axes = tuple(range(1, s1.ndim))
    energy = (s1 ** 2).sum(axis=axes)
    return SecondPass(np.where(energy > 0, (s1 * s2).sum(axis=axes) / np.maximum(energy, 1e-30), 0.0), s2)


def repeated_share(run: Callable[[np.ndarray], np.ndarray], inputs: np.ndarray,
                   fps: float | None = None) -> np.ndarray:
    """How much of the network's slow correction it makes again on its own output: (V,) per
    person, :func:`second_pass`'s share."""
    return second_pass(run, inputs, fps).share


def pull_share(share: np.ndarray | float, ramp: tuple = PULL_RAMP) -> np.ndarray:
    """The part of the second pass's slow correction taken off at a repeated ``share``, shaped like it."""
    return np.interp(np.asarray(share, np.float64), *ramp)


def take_off_pull(refined: np.ndarray, second: SecondPass, ramp: tuple = PULL_RAMP) -> np.ndarray:
    """``refined`` (V, T, J, C) less :func:`pull_share` of the ``second`` pass's slow correction
    (its pull), per person; same shape and dtype."""
    taken = pull_share(second.share, ramp).reshape((-1,) + (1,) * (second.pull.ndim - 1)) * second.pull
    return (np.asarray(refined, np.float64) - taken).astype(np.asarray(refined).dtype)


def repeat_factor(share: np.ndarray | float, ramp: tuple = REPEAT_RAMP) -> np.ndarray:
    """The floor step's strength multiplier at a :func:`repeated_share` of ``share``, shaped like it."""
    return np.interp(np.asarray(share, np.float64), *ramp)


def repeat_note(shares: list[float], ramp: tuple = REPEAT_RAMP, base: str = "SmoothNet's",
                pull_ramp: tuple | None = None) -> str:
    """What ``synsp refine`` says of the repeated shares of the spans it refined; ``base``: what
    the floor step's baseline is called (2D: SmoothNet's output; 3D: the Butterworth filter's);
    ``pull_ramp``: the part of the second pass's correction taken off (:func:`take_off_pull`)."""
    shares = sorted(shares)
    amount = f"{shares[0]:.2f}" + (f"-{shares[-1]:.2f}" if shares[-1] - shares[0] >= 0.005 else "")
    factors = repeat_factor(np.array(shares), ramp)
    if (factors == 0).all():
        done = "so it was kept whole, as a correction of the estimator's slow errors"
    elif (factors >= ramp[1][-1]).all():
        done = f"so it was cut back to {base}, as the network's pull towards the poses it knows"
    else:
        span = f"{factors.min():.1f}" + (f"-{factors.max():.1f}" if factors.max() - factors.min() >= 0.05 else "")
        done = f"so the floor step cut it back at {span} x its strength"
    taken = pull_share(np.array(shares), pull_ramp) if pull_ramp is not None else np.zeros(1)
    if taken.max() > 0:
        done += (f", after taking off {taken.min():.2f}" + (f"-{taken.max():.2f}" if np.ptp(taken) >= 0.005 else "")
                 + " of the second pass's slow correction (the pull it repeats)")
    return f"second pass: refined again, the network repeats {amount} of its slow correction, {done}"
