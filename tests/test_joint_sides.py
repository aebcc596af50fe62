"""A joint of another layout takes the correction of a model joint on its own side (or the midline)."""
import numpy as np

from synsp.inference.joint_corrections import nearest_joints
from synsp.integrations.stream import Frame, PoseStream
from synsp.skeleton import convert, get_layout

HALPE = get_layout("halpe26")
COCO = get_layout("coco17")


def _crossed_legs() -> np.ndarray:
    """(1, 26, 2) pixels of a side view whose left heel lies next to the right ankle."""
    pose = np.random.default_rng(0).uniform(0, 400, size=(1, 26, 2))
    heel = HALPE.index("left_heel")
    pose[0, heel] = pose[0, HALPE.index("right_ankle")] + 3.0
    pose[0, HALPE.index("left_ankle")] = pose[0, heel] + 40.0
    return pose


def test_sides_of_a_layout():
    sides = HALPE.sides
    assert sides[HALPE.index("left_heel")] == 1 and sides[HALPE.index("right_ankle")] == -1
    assert sides[HALPE.index("nose")] == 0 and sides[HALPE.index("neck")] == 0


def test_a_left_heel_next_to_the_right_ankle_moves_with_the_left_ankle():
    pose = _crossed_legs()
    converted = convert(pose, "halpe26", "coco17")
    heel, right, left = HALPE.index("left_heel"), COCO.index("right_ankle"), COCO.index("left_ankle")
    assert nearest_joints(pose, converted)[heel, right] == 1.0  # by distance alone: the wrong side
    weights = nearest_joints(pose, converted, ("halpe26", "coco17"))
    assert weights[heel, right] == 0.0 and weights[heel, left] == 1.0
    assert np.allclose(weights.sum(axis=1), 1.0)


def test_a_streams_first_frame_with_crossed_legs_pairs_the_heel_on_its_side():
    stream = PoseStream("synsp", layout="halpe26", space="2d")
    stream.push(Frame(0, {0: _crossed_legs()[0]}))
    nearest = stream._other._nearest[0][0]  # the pairing kept for the whole stream
    assert nearest[HALPE.index("left_heel"), COCO.index("right_ankle")] == 0.0


def test_a_midline_joint_nearer_one_shoulder_takes_both():
    pose = np.random.default_rng(1).uniform(0, 400, size=(1, 26, 2))
    neck, left, right = HALPE.index("neck"), COCO.index("left_shoulder"), COCO.index("right_shoulder")
    pose[0, left], pose[0, right] = pose[0, neck] + (30.0, 0.0), pose[0, neck] - (60.0, 0.0)  # a turned body
    converted = convert(pose, "halpe26", "coco17")
    assert nearest_joints(pose, converted)[neck, right] == 0.0  # by distance alone: the nearer shoulder only
    weights = nearest_joints(pose, converted, ("halpe26", "coco17"))
    assert weights[neck, left] == weights[neck, right] == 0.5
    assert np.allclose(weights.sum(axis=1), 1.0)
