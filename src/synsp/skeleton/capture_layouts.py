"""Skeletons of capture systems that hold the model's joints among more of their own: Human3.6M's
full 32-joint skeleton (the dataset's own ``.cdf`` files), Kinect v2's 25 joints and Azure Kinect's 32. Each joint is
named in synsp's words where it is the point a model joint stands for (so a conversion finds it by
name, :func:`synsp.skeleton.conversions.convert`), else after the system's own name, given beside it.
"""
from __future__ import annotations

from synsp.skeleton.layout_type import Layout


def _chain(*joints: int) -> list[tuple[int, int]]:
    return list(zip(joints[:-1], joints[1:]))


H36M32 = Layout(
    name="h36m32",
    # Human3.6M's 32 joints (its metadata's names in brackets). Its 17-joint subset, H36M-17, is
    # joints 0-3, 6-8, 12-15, 17-19 and 25-27; some joints sit where another is: 11 at 0, 16 and 24 at 13,
    # each hand's 21 at 20 and 23 at 22 (the dataset writes them so).
    joints=("pelvis",  # Hips
            "right_hip", "right_knee", "right_ankle",  # RightUpLeg, RightLeg, RightFoot
            "right_toe", "right_toe_site",  # RightToeBase, Site
            "left_hip", "left_knee", "left_ankle",  # LeftUpLeg, LeftLeg, LeftFoot
            "left_toe", "left_toe_site",  # LeftToeBase, Site
            "spine_base", "spine", "thorax", "neck_nose", "head",  # Spine, Spine1, Neck, Head, Site
            "left_clavicle", "left_shoulder",  # LeftShoulder, LeftArm
            "left_elbow", "left_wrist",  # LeftForeArm, LeftHand
            "left_thumb", "left_thumb_site",  # LeftHandThumb, Site
            "left_wrist_end", "left_wrist_end_site",  # L_Wrist_End, Site
            "right_clavicle", "right_shoulder", "right_elbow", "right_wrist",
            "right_thumb", "right_thumb_site", "right_wrist_end", "right_wrist_end_site"),
    bones=tuple(_chain(0, 1, 2, 3, 4, 5) + _chain(0, 6, 7, 8, 9, 10) + _chain(0, 11, 12, 13, 14, 15)
                + _chain(13, 16, 17, 18, 19, 20, 21) + _chain(19, 22, 23)
                + _chain(13, 24, 25, 26, 27, 28, 29) + _chain(27, 30, 31)),
    left_right=tuple((left, left - 5) for left in range(6, 11)) + tuple((left, left + 8) for left in range(16, 24)),
    root=0,
)

KINECT25 = Layout(
    name="kinect25",
    # Kinect v2's JointType order (its names in brackets). Its neck lies between the shoulders' line and
    # the head; its head is the skull's centre (H36M's head point is higher: one more joint convention).
    joints=("pelvis", "spine", "neck", "head",  # SpineBase, SpineMid, Neck, Head
            "left_shoulder", "left_elbow", "left_wrist", "left_hand",  # ShoulderLeft, ElbowLeft, WristLeft, HandLeft
            "right_shoulder", "right_elbow", "right_wrist", "right_hand",
            "left_hip", "left_knee", "left_ankle", "left_foot",  # HipLeft, KneeLeft, AnkleLeft, FootLeft
            "right_hip", "right_knee", "right_ankle", "right_foot",
            "thorax",  # SpineShoulder
            "left_hand_tip", "left_thumb", "right_hand_tip", "right_thumb"),  # HandTipLeft, ThumbLeft, ...
    bones=tuple(_chain(0, 1, 20, 2, 3) + _chain(20, 4, 5, 6, 7, 21) + [(6, 22)] + _chain(20, 8, 9, 10, 11, 23)
                + [(10, 24)] + _chain(0, 12, 13, 14, 15) + _chain(0, 16, 17, 18, 19)),
    left_right=((4, 8), (5, 9), (6, 10), (7, 11), (12, 16), (13, 17), (14, 18), (15, 19), (21, 23), (22, 24)),
    root=0,
)

KINECT32 = Layout(
    name="kinect32",
    # Azure Kinect Body Tracking's (K4ABT) k4abt_joint_id_t order (its names in brackets), bones per its joint
    # hierarchy. Its neck sits at the neck's base, H36M's thorax; its nose stands for H36M's neck/nose point and its
    # head is the skull's centre (H36M's head point is higher: one more joint convention, as Kinect v2's).
    joints=("pelvis", "spine", "spine_chest", "thorax",  # PELVIS, SPINE_NAVEL, SPINE_CHEST, NECK
            "left_clavicle", "left_shoulder", "left_elbow", "left_wrist",  # CLAVICLE_LEFT, SHOULDER_LEFT, ...
            "left_hand", "left_hand_tip", "left_thumb",  # HAND_LEFT, HANDTIP_LEFT, THUMB_LEFT
            "right_clavicle", "right_shoulder", "right_elbow", "right_wrist", "right_hand", "right_hand_tip",
            "right_thumb",
            "left_hip", "left_knee", "left_ankle", "left_foot",  # HIP_LEFT, KNEE_LEFT, ANKLE_LEFT, FOOT_LEFT
            "right_hip", "right_knee", "right_ankle", "right_foot",
            "head", "nose", "left_eye", "left_ear", "right_eye", "right_ear"),  # HEAD, NOSE, EYE_LEFT, EAR_LEFT, ...
    bones=tuple(_chain(0, 1, 2, 3, 26, 27) + _chain(2, 4, 5, 6, 7, 8, 9) + [(7, 10)] + _chain(2, 11, 12, 13, 14, 15, 16)
                + [(14, 17)] + _chain(0, 18, 19, 20, 21) + _chain(0, 22, 23, 24, 25)
                + [(26, face) for face in range(28, 32)]),
    left_right=tuple((left, left + 7) for left in range(4, 11)) + tuple((left, left + 4) for left in range(18, 22))
    + ((28, 30), (29, 31)),
    root=0,
)
