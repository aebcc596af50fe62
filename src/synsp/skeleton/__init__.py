"""Joint layouts and what depends on them alone, one idea per module:

- :mod:`~synsp.skeleton.layouts`: every known layout (:data:`LAYOUTS`), of the type :class:`Layout`
  (:mod:`~synsp.skeleton.layout_type`);
- :mod:`~synsp.skeleton.smplx_layouts`: SMPL-H's and SMPL-X's joints with their hands and face;
- :mod:`~synsp.skeleton.capture_layouts`: Human3.6M's 32 joints, Kinect v2's 25 and Azure Kinect's 32,
  holding the model's;
- :mod:`~synsp.skeleton.pose_geometry`: a pose's root, trunk, mirror, bone tree and bone lengths;
- :mod:`~synsp.skeleton.holistic`: MediaPipe Holistic's blocks, given whole or not at all, and its z;
- :mod:`~synsp.skeleton.conversions`: :func:`convert` from one layout to another (the mocap's
  joints to the models', any layout with COCO's keypoints to them, SMPL's joints to H36M's);
- :mod:`~synsp.skeleton.head_points`: points fixed to the head (the mocap's face, H36M's head
  points placed on a COCO face);
- :mod:`~synsp.skeleton.joint_order`: which layout and joint order poses follow, told from them;
- :mod:`~synsp.skeleton.proportions`: bodies of other bone lengths.

Everything is importable from ``synsp.skeleton`` itself.
"""
from synsp.skeleton.conversions import (
    BANDAI_TO_SMPL,
    HEAD_POINTS_MM,
    HIP_WIDEN,
    SMPL_SHOULDERS_IN,
    SMPL_THORAX_DROP,
    THREE_D_SOURCES,
    can_convert,
    convert,
    h36m_head_points,
    head_fixed_points,
    head_frame_from_positions,
    makes_up_face,
    reorders,
    similarity_fit,
)
from synsp.skeleton.holistic import BLOCKS, depth_beside, missing_blocks
from synsp.skeleton.joint_order import (
    HOLISTIC_SPLIT,
    SEVENTEEN_SPLIT,
    TOLD_BY_POSES,
    TREE_EXCESS,
    TWENTY_TWO_SPLIT,
    follows_layout,
    guessed_layout,
    holistic_order,
    seventeen_joint_layout,
    tree_excess,
    tree_length,
    twenty_five_joint_layout,
    twenty_two_joint_layout,
)
from synsp.skeleton.layouts import (
    BANDAI22,
    BODY25,
    COCO17,
    COCO18,
    COCO133,
    H36M17,
    H36M32,
    HALPE26,
    HALPE136,
    HMR44,
    HOLISTIC543,
    HOLISTIC543_KAGGLE,
    KINECT25,
    KINECT32,
    LAYOUTS,
    MEDIAPIPE33,
    MPI17,
    OPENPOSE137,
    SHIPPED,
    SMPL22,
    SMPL24,
    SMPL29,
    SMPLH52,
    SMPLX55,
    SMPLX127,
    SPIN49,
    Layout,
    check_shape,
    generic_names,
    get_layout,
    in_layout_order,
    layout_joint_names,
    match_layout,
)
from synsp.skeleton.pose_geometry import (
    bone_tree,
    flip_lr,
    joint_distances,
    layout_bone_lengths,
    root_joints,
    root_position,
    trunk_vector,
)
from synsp.skeleton.proportions import random_proportions, reproportion

__all__ = [
    "BANDAI22", "BANDAI_TO_SMPL", "BLOCKS", "BODY25", "COCO17", "COCO18", "COCO133", "H36M17", "H36M32", "HALPE26",
    "HALPE136",
    "HEAD_POINTS_MM", "HIP_WIDEN", "HMR44",
    "HOLISTIC543", "HOLISTIC_SPLIT", "HOLISTIC543_KAGGLE", "KINECT25", "KINECT32", "LAYOUTS", "MEDIAPIPE33", "MPI17",
    "OPENPOSE137",
    "SEVENTEEN_SPLIT", "SHIPPED",
    "SMPL22", "SMPL24", "SMPL29", "SMPL_SHOULDERS_IN", "SMPL_THORAX_DROP", "SMPLH52",
    "SMPLX55", "SMPLX127", "SPIN49", "THREE_D_SOURCES", "TOLD_BY_POSES",
    "TREE_EXCESS",
    "TWENTY_TWO_SPLIT", "Layout", "bone_tree", "can_convert", "check_shape", "convert", "flip_lr", "follows_layout",
    "depth_beside", "generic_names", "get_layout", "guessed_layout",
    "h36m_head_points", "head_fixed_points", "holistic_order", "head_frame_from_positions", "joint_distances",
    "layout_bone_lengths", "layout_joint_names", "makes_up_face", "in_layout_order", "match_layout", "missing_blocks",
    "random_proportions", "reorders", "reproportion", "root_joints",
    "root_position", "seventeen_joint_layout", "similarity_fit", "tree_excess", "tree_length", "trunk_vector",
    "twenty_five_joint_layout", "twenty_two_joint_layout",
]
