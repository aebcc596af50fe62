"""A motion of rotations held on a regular stride (synsp.refining.held_motion), and the unknown layout's note when
its joints come out as they came in (synsp.refining.route_notes.kept_clean_note)."""
from __future__ import annotations

import numpy as np

from synsp.formats.smpl import smpl_motion
from synsp.refining.held_motion import held_stride, refine_on_stride
from synsp.refining.route_notes import kept_clean_note, layout_notes
from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle


def _smooth_poses(frames: int = 90) -> np.ndarray:
    t = np.arange(frames)[:, None] / 30.0
    return (0.4 * np.sin(2 * np.pi * t + np.arange(72)[None])).reshape(frames, 24, 3)


def test_a_motion_repeated_every_other_frame_is_refined_on_its_new_frames_and_slerped_between():
    poses = _smooth_poses()
    doubled = np.repeat(poses[::2], 2, axis=0)  # a 15 fps estimate repeated to 30 fps
    motion = smpl_motion(doubled, None, 30.0)
    new, stride = held_stride(motion)
    assert stride == 2 and new.sum() == 45
    seen = []
    out, notes = refine_on_stride(motion, new, stride, lambda sub: (seen.append(sub) or sub, ["route"]))
    assert notes == ["route"] and seen[0].fps == 15.0 and seen[0].n_frames == 45
    truth = matrix_from_axis_angle(poses)
    inner = slice(1, 88, 2)  # held frames with a new frame after them
    assert np.array_equal(out.rotations[::2], motion.rotations[::2])  # the new frames as refined (here: as read)
    assert geodesic_angle(out.rotations[inner], truth[inner]).mean() < 0.2 * geodesic_angle(
        motion.rotations[inner], truth[inner]).mean()


def test_a_pulldown_or_a_root_measured_in_held_frames_is_no_stride():
    poses = _smooth_poses()
    pulled = poses.copy()
    pulled[4::5] = pulled[3::5]  # 24 -> 30 fps: one frame in five repeated
    assert held_stride(smpl_motion(pulled, None, 30.0))[1] == 1
    doubled = np.repeat(poses[::2], 2, axis=0)
    walk = np.linspace(0, 1, 90)[:, None] * [1.0, 0.0, 0.0]  # the root measured in every frame
    assert held_stride(smpl_motion(doubled, walk, 30.0))[1] == 1
    assert held_stride(smpl_motion(doubled, np.repeat(walk[::2], 2, axis=0), 30.0))[1] == 2


def test_the_full_route_says_the_new_frames_were_refined_alone():
    from synsp.refining.motion import refine_motion

    doubled = np.repeat(_smooth_poses()[::2], 2, axis=0)
    _, notes = refine_motion(smpl_motion(doubled, None, 30.0))
    assert any(n.startswith("held: 45 frames repeat") and "refined the new frames alone at 15 fps" in n for n in notes)


def test_an_unknown_layout_kept_as_it_came_is_said_so():
    rng = np.random.default_rng(0)
    poses = rng.normal(0, 300, (1, 40, 18, 3))
    route = layout_notes(None, "h36m17", "synsp", 18)[0]
    kept = kept_clean_note(18, poses, poses + 1e-6, 1.0, "mm")
    assert kept.startswith(route.split("; refined by ")[0] + "; kept as they came") and "refined by" not in kept
    assert kept_clean_note(18, poses, poses + 5.0, 1.0, "mm") is None  # refined: the route's note stands
