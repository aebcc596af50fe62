"""The frame a clip is refined in, and back: turned to the model's up, in millimetres at a size the
network trained on, about its root.

A user's 3D clip may stand along another axis, be in metres or centimetres, hold a child or a
giant, and walk across a room; the network learnt upright, root-relative bodies in millimetres of
the actors' sizes. :func:`into_network_frame` takes a clip there (:mod:`synsp.inference.upright`,
:func:`synsp.sequence.mm_per_unit`, :mod:`synsp.inference.body_scale`,
:mod:`synsp.inference.root_track`) and :meth:`NetworkFrame.back` gives a refined clip back in the
input's own axes, unit and place. 2D clips are only turned.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synsp.inference.body_scale import changing_size, size_factor, size_track
from synsp.inference.floor_up import floor_turn
from synsp.inference.heading import heading_turn
from synsp.inference.root_track import smoothed_track
from synsp.inference.upright import needed_turn
from synsp.sequence import mm_per_unit
from synsp.skeleton import Layout, root_position

__all__ = ["NetworkFrame", "into_network_frame"]


@dataclass(frozen=True)
class NetworkFrame:
    """How a clip was taken into the network's frame (:func:`into_network_frame`)."""

    turn: np.ndarray | None  # (C, C) from the input's axes to the model's (upright.model_axes); None: the same
    unit: float  # network millimetres per input unit, resize included (2D: 1)
    resized: float  # the factor that brought the body to a trained size (body_scale.size_factor); 1.0: none
    root_track: np.ndarray | None  # 3D (V, T, 1, 3): where the refined body is placed, network mm; 2D None
    mean_anchor: bool  # the refined body placed by its joints' mean (else by the root the input was taken about)
    heading: np.ndarray | None = None  # 3D (V, 3, 3): each person turned to its heading (inference.heading, floor_up)
    # 3D (V, T, 1, 1): each frame's body size against the clip's median, divided out where it changed beyond an
    # estimator's drift (body_scale.changing_size; ones for a person whose size held); None: nobody's changed
    size_track: np.ndarray | None = None

    def size_changes(self) -> list[tuple[float, float]] | None:
        """Each person's (smallest, largest) size against its median whose size changed over the clip and was divided
        out (:attr:`size_track`); None: nobody's."""
        if self.size_track is None:
            return None
        track = self.size_track[..., 0, 0]
        return [(float(p.min()), float(p.max())) for p in track if p.min() != p.max()]

    def back(self, out: np.ndarray) -> np.ndarray:
        """``out`` (V, T, J, C) in the network's frame -> the input's axes, unit and place, float32."""
        if self.root_track is not None:
            if self.mean_anchor:  # the output's joints' mean onto the input's (root_track.MEAN_ANCHOR)
                out = out - out.mean(axis=-2, keepdims=True)
            out = (out + self.root_track) / np.float32(self.unit)
        if self.size_track is not None:
            out = out * self.size_track
        if self.heading is not None:
            out = out @ self.heading.astype(np.float32)[:, None]
        if self.turn is not None:
            out = out @ self.turn.astype(np.float32)
        return out


def into_network_frame(seq: np.ndarray, layout: Layout, *, space: str, own_joints: bool, upright: bool,
                       trained_size: bool, mean_anchor: bool, smooth_root: bool, fps: float | None,
                       covered_fps: tuple[float, float], heading: bool = False,
                       whole_span: bool = False) -> tuple[np.ndarray, NetworkFrame]:
    """``seq`` (V, T, J, C) float32 without NaN, in the network's frame, and that frame.

    ``own_joints``: the joints are ``layout``'s (else no turn or resize, and the joints' centroid
    is the root); ``upright`` turns the clip to the model's up; 3D only: ``trained_size`` brings the
    body to a trained size, ``mean_anchor`` places it back by its joints' mean rather than its
    root, whose trajectory is smoothed (``smooth_root``) at the network's rate (``fps``, the
    rate ``seq`` is refined at, None: 30; ``covered_fps`` the rates the network trained at); ``heading`` turns each
    person about the vertical to its own heading over the clip (:func:`synsp.inference.heading.heading_turn`), so
    that the steps here that treat each coordinate alone (a paced clip's resampling, a monotone cubic) turn with the
    input too; the network's windows are turned again, each to its own heading. ``whole_span``: a paced clip's root
    track interpolated at its last frames (:func:`synsp.inference.root_track.smoothed_track`). With ``heading``, a
    world whose floor reads tilted is first turned level (:func:`synsp.inference.floor_up.floor_turn`, its feet's
    speeds read at ``fps``, as the network reads the motion's pace), and the heading is read about the floor's normal.
    """
    turn = needed_turn(seq, layout) if upright and own_joints else None
    if turn is not None:
        seq = seq @ turn.T.astype(np.float32)
    if space != "3d":
        return seq, NetworkFrame(turn, 1.0, 1.0, None, mean_anchor)
    head = None
    if heading and own_joints:
        level = floor_turn(seq, layout, fps)  # (V, 3, 3) or None: no tilt read
        if level is None:
            head = heading_turn(seq, layout)  # (V, 3, 3)
        else:  # the heading about the floor's normal, composed with the turn that levels it
            head = heading_turn(seq @ level.swapaxes(-1, -2).astype(np.float32)[:, None], layout) @ level
    if head is not None:
        seq = seq @ head.swapaxes(-1, -2).astype(np.float32)[:, None]
    sizes = None
    if trained_size and own_joints:  # a body whose size changes with its distance is refined at one size
        track = size_track(seq, layout, fps)
        changing = changing_size(track)
        if changing.any():
            sizes = np.where(changing[:, None], track, 1.0).astype(np.float32)[..., None, None]
            seq = seq / sizes
    unit = mm_per_unit(seq)
    resized = size_factor(seq * np.float32(unit), layout) if trained_size and own_joints else 1.0
    unit *= resized
    seq = seq * np.float32(unit)
    root = root_position(seq, layout) if own_joints else seq.mean(axis=-2, keepdims=True)
    anchor = seq.mean(axis=-2, keepdims=True) if mean_anchor else root
    track = smoothed_track(anchor, fps, covered_fps, whole_span) if smooth_root else anchor
    return seq - root, NetworkFrame(turn, unit, resized, track, mean_anchor, head, sizes)
