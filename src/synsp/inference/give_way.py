"""The fallback's part in one refine call: where SynSP gives way to its fallback (SmoothNet), wholly or in part.

A :class:`~synsp.inference.refiner.Refiner` with a ``fallback`` gives it the whole output of poses the network
does not know: more than :data:`synsp.sequence.UNSEEN_SHARE` of the joints never seen (``Refiner.gives_way``), 2D
poses seen wholly from high above (:mod:`synsp.inference.foreshortening`), poses no human body the model knows
(:mod:`synsp.inference.convention_pass`). It keeps the fallback's output but for the network's larger corrections
where 2D poses are partly seen from above, or a 3D trunk is bent over the legs for the whole clip or the hips are bent
in some frames, or a 2D trunk is bent over standing legs in some frames (:mod:`synsp.inference.leaned_trunk`), or 3D
knees are set wide to the sides (:mod:`synsp.inference.wide_stance`). In 3D the whole-clip SmoothNet blend
(:mod:`synsp.inference.smoothnet_blend`) asks for the same output, the fallback's of the call's input at its given
rate: :meth:`GiveWay.fallback_output` refines it once per call, for every step that asks (a crawling clip of 300
frames under 8 mm white noise ran it twice; benchmarks/RESULTS.md, section 10, "The whole clip, part SmoothNet's").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np

from synsp.inference.foreshortening import seen_from_above, with_fallback
from synsp.inference.leaned_trunk import BEYOND_BENT, BEYOND_BENT_2D, bent_frame_shares, flexed_shares, leaned_trunk
from synsp.inference.wide_stance import leg_joints, wide_shares
from synsp.sequence import body_size

if TYPE_CHECKING:
    from synsp.inference.refiner import Refiner

__all__ = ["GiveWay", "read_give_way"]


@dataclass
class GiveWay:
    """What one call read of the poses the network gives way on, and the fallback's output of its input.

    ``gave_way``: more than the refiner's ``max_unseen`` of the joints never seen; ``trunk_ratio`` and
    ``from_above``: 2D, the trunk over the shoulders' width and the fallback's share
    (:func:`~synsp.inference.foreshortening.seen_from_above`); ``trunk_bend`` (degrees) and ``bent``: 3D, the
    trunk's median bend over the legs and the fallback's share for it (:func:`~synsp.inference.leaned_trunk.
    leaned_trunk`); ``flexed``: (V, T) the fallback's share per frame, the larger of ``bent``, the hips' bend's
    (:func:`~synsp.inference.leaned_trunk.flexed_shares`) and the knees set wide's (:func:`~synsp.inference.
    wide_stance.wide_shares`); 2D: the trunk's over the legs' (:func:`~synsp.inference.leaned_trunk.
    bent_frame_shares`); ``joints``: (V, T, J) the share per joint where the knees are set wide in some frame (on the
    legs only, :func:`~synsp.inference.wide_stance.leg_joints`), else None. ``refine_fallback`` refines the call's
    whole input with the fallback (as given, at the given rate), run by :meth:`fallback_output` when first asked."""

    gave_way: bool
    trunk_ratio: float
    from_above: float
    trunk_bend: float
    bent: float
    flexed: np.ndarray
    refine_fallback: Callable[[], np.ndarray] = field(repr=False)
    joints: np.ndarray | None = None
    _output: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def whole(self) -> bool:
        """Whether the call's output is the fallback's alone (nothing the network would do is in it)."""
        return bool(self.gave_way or self.from_above == 1)

    def fallback_output(self) -> np.ndarray:
        """The fallback's output of the call's whole input, shaped like it: refined when first asked, then given
        again to every step that asks (the SmoothNet blend, the give-ways): the fallback is deterministic, so one
        run is what two would give."""
        if self._output is None:
            self._output = self.refine_fallback()
        return self._output

    def blended(self, result: dict[str, np.ndarray], poses: np.ndarray) -> dict[str, np.ndarray]:
        """``result`` (name -> the refined ``poses``, (T, J, C) or (V, T, J, C), as given to the refiner) with the
        fallback's output in place of the network's smaller corrections, measured against the body's size: in the
        share ``from_above`` (2D seen from high above) and per frame ``flexed`` (3D bent over); ``result`` itself
        when neither. inf, like NaN, is a joint not seen: it does not count in the size."""
        if not (self.from_above or self.flexed.mean()):
            return result
        fallback = self.fallback_output()
        size = body_size(np.where(np.isfinite(poses), poses, np.nan))
        if self.from_above:  # 2D seen from high above
            result = with_fallback(result, fallback, self.from_above, size)
        if self.flexed.mean():  # 3D trunk bent over the legs for the whole clip or hips in some frames; 2D bent frames
            shares = self.flexed[..., None, None] if self.joints is None else self.joints[..., None]
            share = shares[0] if np.ndim(poses) == 3 else shares  # (..., T, 1 or J, 1)
            beyond = BEYOND_BENT if np.shape(poses)[-1] == 3 else BEYOND_BENT_2D
            result = with_fallback(result, fallback, share, size, beyond=beyond, whole=False)
        return result


def read_give_way(refiner: Refiner, seq: np.ndarray, unseen: np.ndarray, own_joints: bool,
                  refine_fallback: Callable[[], np.ndarray]) -> GiveWay:
    """What ``refiner`` reads of ``seq`` (V, T, J, C, the input as float32, NaN allowed) before refining it:
    ``unseen`` (bool, ``seq``'s shape without its last axis: values not measured) tells whether it gives way
    (``Refiner.gives_way``); the postures are read only where it has a fallback, did not give way and ``own_joints``
    (the model's layout). ``refine_fallback``: the fallback's run on the call's input (:class:`GiveWay`)."""
    gave_way = bool(own_joints and refiner.gives_way(unseen))
    asked = bool(own_joints and refiner.fallback and not gave_way)
    trunk_ratio, from_above = seen_from_above(seq, refiner.layout, refiner.foreshortened if asked else None)
    trunk_bend, bent = leaned_trunk(seq, refiner.layout, refiner.leaned if asked else None)
    flexed = np.maximum(bent, flexed_shares(seq, refiner.layout, refiner.hips_flexed if asked else None))  # (V, T)
    flexed = np.maximum(flexed, bent_frame_shares(seq, refiner.layout, refiner.bent_frames if asked else None))
    wide = wide_shares(seq, refiner.layout, refiner.wide_stance if asked else None)  # 3D: the legs' share
    joints = np.maximum(flexed[..., None], wide[..., None] * leg_joints(refiner.layout)) if wide.any() else None
    return GiveWay(gave_way, trunk_ratio, from_above, trunk_bend, bent, np.maximum(flexed, wide), refine_fallback,
                   joints)
