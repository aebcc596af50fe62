"""A body spinning about the vertical in 3D joint positions (a pirouette, a spin kick): the spin taken out, put back.

The networks learnt bodies whose heading turns at most about 60 degrees a second; a dancer's pirouette turns 2-3
turns a second, every joint sweeping round the body's axis at 12-36 degrees a frame at 30 fps. The clip's pace
(:mod:`synsp.motion_pace`) is read over the whole clip, so one second of spinning does not move it, and the network
and the output low-pass cut the turn's speed: a user audit's full turn in 8 frames came out 1.3 times further from
the truth than its input over the spin (benchmarks/RESULTS.md, section 10, "A fast spin in 3D joint positions").

The BVH route's answer (:mod:`synsp.rotations.body_spin`) is reused: the body's heading is read per frame from its
left-right line (hips' and shoulders', as :mod:`synsp.inference.heading` reads a window's), about the clip's up
(:func:`~synsp.inference.upright.upright_turn`: +Y, or a Z-up file's +Z); where it turns faster than
:data:`~synsp.rotations.body_spin.SPIN_FROM` degrees a second over half a second and at least half a turn in all
(:func:`~synsp.rotations.body_spin.heading_spin`), its smooth turn is taken out about the vertical through the body's
smoothed centre before the refinement and put back after. A body that never turns that fast is refined exactly as
before (no val clip under the protocol's presets does).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from scipy.ndimage import gaussian_filter1d

from synsp.config import TRAINING_FPS
from synsp.estimator_errors.measurements import measurements
from synsp.inference.heading import SIDE_PAIRS, can_head
from synsp.inference.upright import upright_turn
from synsp.rotations.body_spin import heading_spin
from synsp.skeleton import Layout, get_layout

__all__ = ["MAX_STEP", "TURN_SIGMA", "Spin", "position_spin", "tracks_spins", "tracks_turned",
           "turned_positions", "without_spin"]

# The heading's Gaussian smoothing (sigma, seconds) before its turn is taken out: of 0.5, 1 and 2 frames, 0.5 the least
# MPJPE over a full turn in 8 and 12 frames (validation, 6 clips, `typical`; the BVH's SPIN_SIGMA is 4 frames, its
# heading read from a rotation, steadier than a line between noisy joints).
TURN_SIGMA = 0.5 / TRAINING_FPS
# A frame's heading step (radians) beyond which it is read as the body read back to front, not as a turn: 2/3 of
# a half turn (a full turn in 8 frames steps a quarter turn a frame at its fastest).
MAX_STEP = 2 * np.pi / 3


def _filled(values: np.ndarray) -> np.ndarray | None:
    """``values`` (T, ...) with non-finite frames interpolated from the finite ones (held at the ends); None when
    fewer than 3 frames are finite."""
    ok = np.isfinite(values).reshape(len(values), -1).all(axis=1)
    if ok.sum() < 3:
        return None
    t, flat = np.arange(len(values)), values.reshape(len(values), -1)
    return np.stack([np.interp(t, t[ok], column[ok]) for column in flat.T], axis=1).reshape(values.shape)


class Spin(NamedTuple):
    """A fast spin about the vertical read from one clip's 3D joint positions (:func:`position_spin`)."""

    up: np.ndarray  # (3, 3) turn into the model's axes (+Y up), upright.upright_turn
    turn: np.ndarray  # (T,) radians about +Y there from the first frame, +X towards -Z
    centre: np.ndarray  # (T, 3) the joints' mean in those axes, smoothed over TURN_SIGMA: the axis turned about
    fastest: float  # the fastest turn, turns a second


def position_spin(x: np.ndarray, layout: str | Layout | None, fps: float | None) -> Spin | None:
    """The spin about the vertical in 3D poses ``x`` (T, J, 3), any unit, NaN missing, in ``layout`` (with hips and
    shoulders; joints after its own, a file's markers, are turned with the body but not read), recorded at ``fps``
    (None: the networks' 30); None when the heading never turns faster than
    :data:`~synsp.rotations.body_spin.SPIN_FROM` degrees a second over half a second (or there is no layout, it has
    no hips and shoulders, or fewer than 3 frames show them)."""
    if layout is None or np.ndim(x) != 3 or np.shape(x)[-1] != 3 or len(x) < 3 or not can_head(layout):
        return None
    layout, rate = get_layout(layout), TRAINING_FPS if fps is None else float(fps)
    body = np.asarray(x, np.float32)[:, :len(layout.joints)]  # a file's own markers after the layout's: not read
    if body.shape[1] < len(layout.joints):
        return None
    up = upright_turn(body, layout)
    upright = np.asarray(x, np.float64) @ up.T
    # read on the values with the estimator's errors undone (left and right exchanged, a joint thrown for a frame)
    seen = measurements(body, layout, jumps=False, fps=fps).values @ up.T
    line = sum(seen[:, layout.index(left)] - seen[:, layout.index(right)] for left, right in SIDE_PAIRS)
    flat = _filled(line[:, [0, 2]])  # the horizontal part; frames without one take their neighbours'
    if flat is None or not (np.linalg.norm(flat, axis=-1) > 0).all():
        return None
    step = np.angle(np.exp(1j * np.diff(np.arctan2(-flat[:, 1], flat[:, 0]))))  # each frame's turn, (-pi, pi]
    # a step near half a turn is the body read back to front (a half turn and back): no turn either way
    step[np.abs(step) > MAX_STEP] = 0.0
    # a spin goes round (body_spin.MIN_TURN): a line between noisy joints also reads quick quarter turns
    turn = heading_spin(np.concatenate([[0.0], np.cumsum(step)]), rate, sigma=TURN_SIGMA)
    if turn is None:
        return None
    seen = np.isfinite(upright).all(-1)  # frames with no joint take their neighbours' centre
    mean = _filled(np.where(seen.any(1)[:, None], np.nansum(np.where(seen[..., None], upright, 0.0), 1)
                            / np.maximum(seen.sum(1), 1)[:, None], np.nan))
    centre = gaussian_filter1d(mean, TURN_SIGMA * rate, axis=0, mode="nearest")
    return Spin(up, turn, centre, float(np.abs(np.diff(turn)).max() * rate / (2 * np.pi)))


def turned_positions(x: np.ndarray, spin: Spin, sign: float) -> np.ndarray:
    """``x`` (T, J, 3) turned by ``sign`` times ``spin``'s turn about the vertical through its centre: -1 takes the
    spin out, +1 puts it back. Returns x's dtype."""
    c, s = np.cos(sign * spin.turn)[:, None], np.sin(sign * spin.turn)[:, None]
    upright = np.asarray(x, np.float64) @ spin.up.T
    r = upright - spin.centre[:, None]
    out = upright.copy()
    out[..., 0] = spin.centre[:, None, 0] + c * r[..., 0] + s * r[..., 2]
    out[..., 2] = spin.centre[:, None, 2] - s * r[..., 0] + c * r[..., 2]
    return (out @ spin.up).astype(np.asarray(x).dtype, copy=False)


def without_spin(x: np.ndarray, layout: str | Layout | None, fps: float | None,
                 refine: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, float] | None:
    """``refine`` (poses (T, J, 3) -> the same shape) of ``x`` in ``layout`` at ``fps`` with a fast spin about the
    vertical (:func:`position_spin`) taken out before and put back after: the output and the fastest turn in turns
    a second. None (``refine`` not run) when there is no such spin."""
    spin = position_spin(x, layout, fps)
    if spin is None:
        return None
    return turned_positions(refine(turned_positions(x, spin, -1.0)), spin, 1.0), spin.fastest


def tracks_spins(poses: np.ndarray, layout: str | Layout | None, fps: float | None) -> list[Spin | None]:
    """Each track's :func:`position_spin` of tracks ``poses`` (V, T, J, 3) (a file's people), read alone."""
    return [position_spin(track, layout, fps) for track in poses]


def tracks_turned(poses: np.ndarray, spins: list[Spin | None], sign: float) -> np.ndarray:
    """Tracks ``poses`` (V, T, J, 3) each turned by ``sign`` times its spin (:func:`turned_positions`; a track with
    none as it is); NaN stays NaN."""
    return np.stack([track if spin is None else turned_positions(track, spin, sign)
                     for track, spin in zip(poses, spins)]).astype(poses.dtype, copy=False)
