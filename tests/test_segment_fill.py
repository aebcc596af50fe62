"""A layout's joints beyond the model's: gaps filled from their segment's points (estimator_errors.segment_fill)."""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.segment_fill import segment_fill, segment_partners
from synsp.inference.stream_layouts import OtherLayout
from synsp.refining.person import refine_person
from synsp.refining.segment_values import filter_values
from synsp.refining.segment_values import segment_filled as _segment_filled
from synsp.skeleton import get_layout

HALPE = get_layout("halpe26")


def _rot_x(angle: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations about x."""
    c, s = np.cos(angle), np.sin(angle)
    out = np.zeros((len(angle), 3, 3))
    out[:, 0, 0], out[:, 1, 1], out[:, 1, 2], out[:, 2, 1], out[:, 2, 2] = 1, c, -s, s, c
    return out


def _swinging_leg(frames: int = 80) -> np.ndarray:
    """(T, 26, 3) mm: a Halpe-26 body still but for its left leg swinging 120 degrees about the hip (a kick), the
    foot rigid with the shin."""
    rng = np.random.default_rng(0)
    x = np.repeat(rng.normal(0.0, 300.0, (1, 26, 3)), frames, axis=0)
    names = HALPE.joints
    hip = x[0, names.index("left_hip")]
    leg = [names.index(n) for n in ("left_knee", "left_ankle", "left_heel", "left_big_toe", "left_small_toe")]
    rest = hip + np.array([[0, -450, 0], [0, -900, 0], [0, -960, -60], [0, -960, 150], [40, -960, 120]], float)
    turn = _rot_x(np.linspace(0.0, 2 * np.pi / 3, frames))
    x[:, leg] = hip + np.einsum("tij,lj->tli", turn, rest - hip)
    return x


def test_partners_by_names():
    names = HALPE.joints
    heel = names.index("left_heel")
    partners = {names[k] for k in segment_partners(HALPE, [heel])[heel]}
    assert partners == {"left_ankle", "left_knee", "left_big_toe", "left_small_toe"}
    assert segment_partners(HALPE, [names.index("neck")]) == {}  # no segment: the caller's fill


def test_a_toe_turns_with_its_foot_in_3d():
    x = _swinging_leg()
    toe = HALPE.joints.index("left_big_toe")
    gappy = x.copy()
    gappy[20:60, toe] = np.nan
    filled, done = segment_fill(gappy, HALPE, [toe])
    assert done[20:60, toe].all() and done.sum() == 40
    assert np.abs(filled[20:60, toe] - x[20:60, toe]).max() < 1e-6  # rigid with heel, other toe, ankle: exact
    along = measurements(gappy, HALPE, undo=False).values  # its offset from the ankle interpolated: off
    assert np.linalg.norm(along[20:60, toe] - x[20:60, toe], axis=-1).max() > 15.0


def test_a_whole_foot_lost_turns_with_the_shin():
    x = _swinging_leg()
    foot = [HALPE.joints.index(n) for n in ("left_heel", "left_big_toe", "left_small_toe")]
    gappy = x.copy()
    gappy[20:60, foot] = np.nan  # only the ankle and knee seen: the line of the shin carries the foot
    filled, _ = segment_fill(gappy, HALPE, foot)
    assert np.abs(filled[20:60, foot] - x[20:60, foot]).max() < 1e-6


def test_2d_similarity_and_the_clip_edges():
    x = _swinging_leg()[..., 1:] * np.linspace(1.0, 1.3, 80)[:, None, None]  # the side view, growing
    heel = HALPE.joints.index("left_heel")
    gappy = x.copy()
    gappy[10:50, heel] = np.nan
    gappy[:5, heel] = np.nan  # at the clip's start: no frame before, left to the caller
    filled, done = segment_fill(gappy, HALPE, [heel])
    assert np.abs(filled[10:50, heel] - x[10:50, heel]).max() < 1e-6
    assert np.isnan(filled[:5, heel]).all() and not done[:5].any()


def test_the_models_own_layout_is_left_as_it_was():
    values = np.zeros((30, 17, 3))
    gaps = np.zeros((30, 17), bool)
    gaps[5:10, 0] = True
    assert _segment_filled(values, gaps, "h36m17", "h36m17") is values


def _leg_2d(turn: np.ndarray, shin: np.ndarray) -> np.ndarray:
    """(T, 26, 2) px: a Halpe-26 body still but for its left leg, the knee at ``shin`` (T,) px above the ankle turned
    by ``turn`` (T,) radians about it, the foot's points turned alike at their own length."""
    x = np.repeat(np.random.default_rng(1).normal(0.0, 200.0, (1, 26, 2)), len(turn), axis=0)
    names = HALPE.joints
    ankle = x[0, names.index("left_ankle")]
    c, s = np.cos(turn), np.sin(turn)
    for name, (dx, dy) in (("left_knee", (0.0, -1.0)), ("left_heel", (-20.0, 10.0)), ("left_big_toe", (60.0, 15.0)),
                           ("left_small_toe", (50.0, 20.0))):
        dx, dy = (dx * shin, dy * shin) if name == "left_knee" else (dx, dy)
        x[:, names.index(name)] = ankle + np.stack([c * dx - s * dy, s * dx + c * dy], -1)
    return x


def test_a_planted_foot_holds_its_offset_while_the_shin_sways():
    frames = 60
    x = _leg_2d(0.15 * np.sin(np.linspace(0, np.pi, frames)), np.full(frames, 200.0))
    foot = [HALPE.joints.index(n) for n in ("left_heel", "left_big_toe", "left_small_toe")]
    x[:, foot] = x[:1, foot]  # planted: the foot keeps still while the shin sways over it (under STILL_TURN)
    gappy = x.copy()
    gappy[10:50, foot] = np.nan
    filled, done = segment_fill(gappy, HALPE, foot)
    assert done[10:50, foot].all() and np.abs(filled[10:50, foot] - x[10:50, foot]).max() < 1e-9


def test_a_swinging_foot_turns_with_the_shin_without_its_foreshortening_in_2d():
    frames = 60
    x = _leg_2d(np.linspace(0.0, 1.2, frames), np.linspace(200.0, 120.0, frames))  # swung towards the camera
    foot = [HALPE.joints.index(n) for n in ("left_heel", "left_big_toe", "left_small_toe")]
    gappy = x.copy()
    gappy[10:50, foot] = np.nan
    filled, _ = segment_fill(gappy, HALPE, foot)
    assert np.abs(filled[10:50, foot] - x[10:50, foot]).max() < 1e-9


def test_a_filter_is_given_the_segment_fill():
    x = _swinging_leg()
    toe = HALPE.joints.index("left_big_toe")
    gappy = x.copy()
    gappy[20:60, toe] = np.nan
    given = filter_values(gappy, "halpe26")  # what butterworth, savgol, ... smooth (method="butterworth")
    assert np.abs(given[20:60, toe] - x[20:60, toe]).max() < 1e-6
    assert np.array_equal(given[~np.isnan(gappy).any(-1)], x[~np.isnan(gappy).any(-1)])


def test_smoothnet_route_fills_from_the_segment():
    x = _swinging_leg()
    toe = HALPE.joints.index("left_big_toe")
    gappy = x.copy()
    gappy[20:60, toe] = np.nan
    filled = filter_values(gappy, "halpe26")
    out = refine_person(gappy, "smoothnet", "halpe26", {})
    assert np.allclose(out, refine_person(filled, "smoothnet", "halpe26", {}), atol=1e-4)  # as if measured there
    assert not np.allclose(out, refine_person(gappy, "smoothnet", "halpe26", {}, segments=False), atol=1e-2)


def test_a_stream_can_carry_a_lost_point_with_its_segment():
    x = _swinging_leg()
    toe = HALPE.joints.index("left_big_toe")
    other = OtherLayout("halpe26", "h36m17", 10, 30.0)
    assert toe not in other.partners  # a stream holds a foot's points (feet lost to holding on validation)
    other.partners = segment_partners(HALPE, [toe])  # the carry itself, as a hand's or a face point's
    for t in range(60):
        frame = x[t].copy()
        if t >= 20:
            frame[toe] = np.nan
        other.to_model(0, t, frame)  # the input as the stream keeps it, before the conversion
        assert np.abs(other._frames[0][t][0][toe] - x[t, toe]).max() < 1e-6  # rigid with heel, toe, ankle: exact
    held = OtherLayout("halpe26", "h36m17", 10, 30.0)
    held.partners = {}
    held.to_model(0, 0, frame)
    assert np.isnan(held._frames[0][0][0][toe]).all()  # without partners: the stream's fill as before
