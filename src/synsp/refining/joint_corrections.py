"""Which model joints' correction a joint of another layout takes: now :mod:`synsp.inference.joint_corrections`,
where a stream's front (:mod:`synsp.inference.stream_layouts`) reads it too; its names are kept here."""
from __future__ import annotations

from synsp.inference.joint_corrections import (
    DETACHED_SPREAD,
    NEAR_TIE,
    RIGID_TRUNK_COORDS,
    TRUNK_WORDS,
    detached_joints,
    in_trunk_frame,
    loose_trunk_points,
    nearest_joints,
    necks_on_shoulders,
    noise_ratio,
    on_trunk,
    rigid_on_trunk,
    shared_joints,
    trunk_anchors,
)

__all__ = ["DETACHED_SPREAD", "NEAR_TIE", "RIGID_TRUNK_COORDS", "TRUNK_WORDS", "detached_joints", "in_trunk_frame",
           "loose_trunk_points", "nearest_joints", "necks_on_shoulders", "noise_ratio", "on_trunk", "rigid_on_trunk",
           "shared_joints", "trunk_anchors"]
