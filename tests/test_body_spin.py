"""A body spinning about the vertical (a pirouette in a BVH): its spin read, taken out before the refinement and
put back after (synsp.rotations.body_spin), so that it costs the rest of the body nothing."""
from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

from synsp.formats.motion import JointMotion
from synsp.refining.motion import refine_motion
from synsp.rotations.body_spin import heading_spin, spin_joints, spin_pace, spin_turn, turned_about_vertical
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle
from synsp.rotations.filters import smooth_rotations

# a ground joint that does not turn, the hips, a spine with a head, two legs with a knee each
PARENTS = np.array([-1, 0, 1, 2, 1, 4, 1, 6])
OFFSETS = np.array([[0, 0, 0], [0, 90, 0], [0, 25, 0], [0, 30, 0], [10, -5, 0], [0, -40, 0], [-10, -5, 0],
                    [0, -40, 0]], float)
FPS = 30.0


def _about_y(angles: np.ndarray) -> np.ndarray:
    return matrix_from_axis_angle(np.outer(angles, [0.0, 1.0, 0.0]))


def _walk(frames: int = 120) -> np.ndarray:
    """Smooth local rotations (T, 8, 3, 3): every joint but the ground one swinging about its own axis."""
    t = np.arange(frames) / FPS
    axes = np.array([[0, 0, 0], [0, 0.3, 0.1], [1, 0, 0], [0, 1, 0], [1, 0, 0.2], [1, 0, 0], [1, 0, -0.2], [1, 0, 0]])
    phase = np.arange(len(PARENTS))[None, :, None]
    return matrix_from_axis_angle(axes[None] * 0.4 * np.sin(2 * np.pi * 1.2 * t[:, None, None] + phase))


def _spun(rotations: np.ndarray, turns: float) -> np.ndarray:
    out = rotations.copy()
    out[:, 1] = _about_y(2 * np.pi * turns * np.arange(len(rotations)) / FPS) @ out[:, 1]
    return out


def _motion(rotations: np.ndarray) -> JointMotion:
    translations = np.broadcast_to(OFFSETS, (len(rotations), *OFFSETS.shape)).copy()
    return JointMotion(names=tuple(f"j{k}" for k in range(len(PARENTS))), parents=PARENTS, rotations=rotations,
                       translations=translations, animated=np.zeros(len(PARENTS), bool), fps=FPS,
                       mm_per_unit=10.0, format="bvh")


def test_a_steady_spin_is_read_at_the_hips_and_taken_out_and_put_back_exactly():
    spun = _spun(_walk(), 2.0)
    assert spin_joints(spun, PARENTS) == (1, 1)
    joint, turn = spin_turn(spun, PARENTS, FPS)
    assert joint == 1
    # two turns a second, less the walk's own small sway about +Y, taken out all through
    np.testing.assert_allclose(np.diff(turn) * FPS / (2 * np.pi), 2.0, atol=0.1)
    out = turned_about_vertical(spun, PARENTS, joint, -turn)
    np.testing.assert_allclose(turned_about_vertical(out, PARENTS, joint, turn), spun, atol=1e-12)
    assert geodesic_angle(out[:, 1], _walk()[:, 1]).max() < 15  # degrees: near the walk's own hips (and its sway)


def test_a_slow_turn_or_a_glitch_that_turns_back_is_no_spin():
    walk = _walk()
    slow = walk.copy()
    slow[:, 1] = _about_y(np.linspace(0, np.pi / 2, len(walk))) @ walk[:, 1]  # a quarter turn in 4 seconds
    glitch = walk.copy()
    glitch[50:54, 1] = _about_y(np.full(4, np.pi)) @ walk[50:54, 1]  # the back read as the front for 4 frames
    assert spin_turn(walk, PARENTS, FPS) is None
    assert spin_turn(slow, PARENTS, FPS) is None
    assert spin_turn(glitch, PARENTS, FPS) is None
    assert spin_turn(walk[:, [0, 1, 2, 3]], PARENTS[:4], FPS) is None  # a single chain: no pelvis


def test_a_frame_held_in_a_spin_still_repeats_the_one_before_with_the_spin_taken_out():
    spun = _spun(_walk(), 1.0)
    spun[1::2] = spun[0::2]  # every frame shown twice (a 15 fps estimate at 30 fps)
    joint, turn = spin_turn(spun, PARENTS, FPS)
    out = turned_about_vertical(spun, PARENTS, joint, -turn)
    assert (out[1::2] == out[0::2]).all()


def test_the_spin_pace_is_read_in_the_files_time_each_frame_written_once_or_k_times():
    """The review's finding: the note read 2.00 / 3.00 turns a second on a 1.00 spin written twice / three times."""
    spun = _spun(_walk(), 1.0)
    for k in (1, 2, 3):
        held = spun[np.arange(len(spun)) // k * k]  # each frame written k times (a rate converted)
        pace = spin_pace(spin_turn(held, PARENTS, FPS)[1], held, FPS)
        assert 0.9 < pace < 1.2, (k, pace)


def _error(turns: float, spin=spin_turn) -> float:
    """Mean joint position error (mm) of a jittery walk spinning ``turns`` a second, refined by the default filter."""
    rng = np.random.default_rng(3)
    clean = _spun(_walk(), turns)
    noisy = clean @ matrix_from_axis_angle(np.deg2rad(rng.normal(0, 3.0, (*clean.shape[:2], 3))))
    noisy[:, 0] = clean[:, 0]  # the ground joint does not move
    with mock.patch("synsp.refining.motion_spin.spin_turn", spin):
        refined, notes = refine_motion(_motion(noisy), method="butterworth")
    assert any(n.startswith("spin:") for n in notes) == (spin is spin_turn and turns > 0.5)
    return float(np.linalg.norm(refined.positions() - _motion(clean).positions(), axis=-1).mean())


def test_a_spinning_body_is_refined_as_well_as_a_still_one():
    still = _error(0.0)
    assert _error(3.0, spin=lambda *args, **kwargs: None) > 1.1 * still  # as it was: the spin cost the body
    assert _error(3.0) < 1.03 * still
    assert _error(1.0) < 1.03 * still


def test_a_quick_turn_short_of_half_a_turn_is_no_spin_on_either_route():
    """One half-turn rule (body_spin.MIN_TURN) for BVH and positions: a body turning 170 degrees in 4 frames reads
    faster than SPIN_FROM, but a turn taken out had spanned 50 degrees, not a spin's."""
    turned = _walk()
    ramp = np.clip((np.arange(len(turned)) - 50) / 4, 0.0, 1.0)
    turned[:, 1] = _about_y(np.deg2rad(170) * ramp) @ turned[:, 1]
    assert spin_turn(turned, PARENTS, FPS, least=0.0) is not None  # as it was: read as a spin
    assert spin_turn(turned, PARENTS, FPS) is None
    assert heading_spin(np.deg2rad(170) * ramp, FPS, least=0.0) is not None
    assert heading_spin(np.deg2rad(170) * ramp, FPS) is None  # the route of 3D joint positions reads the same
    assert heading_spin(2 * np.pi * np.arange(len(turned)) / FPS, FPS) is not None  # a turn a second: a spin


def _smpl_error(turns: float, world: np.ndarray, spin=spin_turn) -> float:
    """Mean joint position error (mm) of a jittery SMPL motion spinning ``turns`` a second about its vertical in axes
    ``world`` (its root turned by it), refined by the default filter."""
    from synsp.refining.motion import refine_smpl
    from synsp.rotations.smpl_template import smpl_positions

    t = np.arange(120) / FPS
    axes = np.random.default_rng(0).normal(0.0, 0.3, (24, 3))
    clean = matrix_from_axis_angle(axes[None] * np.sin(2 * np.pi * 1.2 * t[:, None, None] + np.arange(24)[:, None]))
    clean[:, 0] = world @ _about_y(2 * np.pi * turns * t) @ clean[:, 0]
    noisy = clean @ matrix_from_axis_angle(np.deg2rad(np.random.default_rng(3).normal(0, 3.0, (*clean.shape[:2], 3))))
    with mock.patch("synsp.refining.motion_spin.spin_turn", spin):
        refined = refine_smpl(noisy, FPS, "butterworth")
    return float(np.linalg.norm(smpl_positions(refined) - smpl_positions(clean), axis=-1).mean())


def test_an_smpl_body_spinning_in_any_world_is_refined_as_well_as_a_still_one():
    camera = matrix_from_axis_angle(np.array([np.pi, 0.0, 0.0]))  # an estimator's camera frame: y down
    z_up = matrix_from_axis_angle(np.array([np.pi / 2, 0.0, 0.0]))
    still = _smpl_error(0.0, np.eye(3))
    assert _smpl_error(3.0, camera, spin=lambda *args, **kwargs: None) > 1.1 * still  # as it was
    for world in (np.eye(3), camera, z_up):
        assert _smpl_error(0.0, world) == pytest.approx(still, rel=1e-6)  # not spinning: not read as a spin
        assert _smpl_error(3.0, world) < 1.03 * still


def _hips_error(turns: float, parent=None) -> float:
    """The hips' mean angle error (degrees) of a jittery walk whose ground joint jitters too, spinning ``turns`` a
    second, refined by the default filter (``parent``: the turned joint's parent frame as it came, unsmoothed)."""
    rng = np.random.default_rng(5)
    clean = _spun(_walk(), turns)
    noisy = clean @ matrix_from_axis_angle(np.deg2rad(rng.normal(0, 3.0, (*clean.shape[:2], 3))))
    with mock.patch("synsp.rotations.body_spin.smooth_rotations", parent or smooth_rotations):
        refined, _ = refine_motion(_motion(noisy), method="butterworth")
    return float(geodesic_angle(refined.rotations[:, 1], clean[:, 1]).mean())


def test_a_ground_joints_noise_does_not_reach_the_spinning_hips():
    """The hips paid for a spin through the noise of the ground joint above them (the turn taken into their frame
    through it): its orientation is now smoothed first."""
    still = _hips_error(0.0)
    assert _hips_error(3.0, parent=lambda rotations, *args, **kwargs: rotations) > 1.15 * still  # as it was
    assert _hips_error(3.0) < 1.05 * still
    assert _hips_error(1.0) < 1.05 * still
