"""Gaps of a layout's joints beyond the model's (feet, hands, face points) filled from the points of their segment.

A heel, a toe, a finger or a face point lost for a while (its score low, the hand out of the detector's crop) was
filled as every joint is (:mod:`synsp.estimator_errors.measurements`): along its bone, its offset from its parent
interpolated over the gap, or on a straight line in time where the layout gives it no bone (MediaPipe-33's feet, hands
and face points; COCO-WholeBody's face). A foot turns with the shin, a hand with the forearm, the face with the head:
its offset turns with them while the gap lasts. Here it is carried by the points it moves with, as a lab's software
fills a marker from its segment's (:mod:`synsp.estimator_errors.rigid_fill`):

- its partners are told by the names: a foot's point by its foot's other points, its ankle and knee; a hand's by its
  hand's other points, its wrist and elbow; a face point by the other face points (nose, eyes, ears, mouth, head
  top); ordered by how constant their distance to it keeps where both are seen, at most :data:`DONORS`;
- over a gap, the partners seen throughout it and in the frame before and after it carry the point from each of those
  two frames: in 3D the rigid fit (Kabsch) of 3 or more not on one line, in 2D the similarity (turn, scale and shift)
  of 3 or more, which a segment's picture nearly keeps; with 2 (a whole foot lost: its ankle and knee; a whole hand:
  wrist and elbow) the turn of the line through them, without its change of length in 2D (a shin swinging towards
  the camera shortens in the picture, the foot beside it not alike), and where that line turns by less than
  :data:`STILL_TURN` over the gap the point's offset from the steadier partner held (a foot planted while the shin
  sways: it does not turn with the shin; so small a turn of a line of two points is their noise as much as a turn);
  the two carried paths are blended linearly over the gap, so the fill meets the seen values at both ends;
- a gap at the clip's edge, or with fewer than 2 partners seen, is left to the caller's fill.

A stream has no frame after the gap: :func:`carried` carries the point from the frame before alone, frame by frame,
a 2-partner line's offset held until it has turned by :data:`STILL_TURN` since (then turned with it from there on);
a stream carries hands and face points only (``synsp.inference.stream_layouts``).

benchmarks/RESULTS.md section 11, "Gaps in a layout's joints beyond the model's".
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.rigid_fill import FLAT, distance_spread, rigid_carried
from synsp.sequence import body_size, true_runs
from synsp.skeleton import Layout

__all__ = ["DONORS", "STILL_TURN", "carried", "segment_partners", "segment_fill", "steadiest"]

# The most constant partners a gap is carried by
DONORS = 4
# Frames a point and a partner must both be seen in for their distance's spread to order the partners
MIN_SEEN = 10
# Radians: a line of 2 partners turning less than this over a gap (from its frame before) holds the point's offset
# instead of turning it (module docstring); chosen on the validation split (RESULTS section 11)
STILL_TURN = 0.2

_FEET = ("toe", "heel", "foot")
_HANDS = ("hand", "thumb", "index", "pinky", "middle", "ring", "finger")
_FACE = ("face", "eye", "ear", "mouth", "nose", "head")


def _kind(name: str) -> tuple[str | None, str]:
    """A joint name's segment kind ('feet', 'hands', 'face' or None) and side ('left', 'right' or '')."""
    name = name.lower()
    side = "left" if "left" in name else "right" if "right" in name else ""
    if "ankle" in name or "knee" in name:
        return "leg", side
    if "wrist" in name or "elbow" in name:
        return "arm", side
    for kind, parts in (("feet", _FEET), ("hands", _HANDS), ("face", _FACE)):
        if any(p in name for p in parts):
            return kind, side
    return None, side


def segment_partners(layout: Layout, joints: list[int],
                     kinds: tuple[str, ...] = ("feet", "hands", "face")) -> dict[int, list[int]]:
    """The partners of each of ``joints`` of ``layout`` by their names (module docstring), unordered; a joint of
    no segment (a neck, a mid-hip), or of a segment not in ``kinds``, has none."""
    named = [_kind(n) for n in layout.joints]
    limb = {"feet": "leg", "hands": "arm"}
    out = {}
    for j in joints:
        kind, side = named[j]
        if kind not in kinds:
            continue
        if kind == "face":
            out[j] = [k for k, (c, _) in enumerate(named) if c == "face" and k != j]
        elif kind in limb:
            out[j] = [k for k, (c, s) in enumerate(named) if c in (kind, limb[kind]) and s == side and k != j]
    return {j: ks for j, ks in out.items() if ks}


def _turned(a_from: np.ndarray, a_to: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``offset`` (C,) turned as the line ``a_from`` (C,) turns into each frame's ``a_to`` (L, C): in 2D by its
    turn alone (not its change of length), in 3D by the least rotation between the two directions."""
    if a_from.shape[-1] == 2:
        z_from, z_to = complex(*a_from), a_to[:, 0] + 1j * a_to[:, 1]
        ratio = z_to / z_from if abs(z_from) > 0 else np.ones(len(a_to))
        z = complex(*offset) * ratio / np.maximum(np.abs(ratio), 1e-12)
        return np.stack([z.real, z.imag], -1)
    u = a_from / max(np.linalg.norm(a_from), 1e-12)
    v = a_to / np.maximum(np.linalg.norm(a_to, axis=-1, keepdims=True), 1e-12)
    axis, cos = np.cross(u, v), v @ u  # Rodrigues' rotation carrying u onto v, per frame
    k = axis / np.maximum(1.0 + cos, 1e-9)[:, None]  # a line turned right round (never seen): no blow-up
    return (offset * cos[:, None] + np.cross(axis, offset) + k * (axis @ offset)[:, None])


def _turn(line: np.ndarray) -> float:
    """The largest angle (radians) between ``line`` (L, C) in any frame and in its first."""
    if line.shape[-1] == 2:
        z = line[:, 0] + 1j * line[:, 1]
        return float(np.abs(np.angle(z / z[0])).max()) if abs(z[0]) > 0 else 0.0
    u = line / np.maximum(np.linalg.norm(line, axis=-1, keepdims=True), 1e-12)
    return float(np.arccos(np.clip(u @ u[0], -1.0, 1.0)).max())


def _similar(donors_from: np.ndarray, donors_to: np.ndarray, point: np.ndarray) -> np.ndarray:
    """2D: ``point`` (2,) carried by the least-squares similarity fitting ``donors_from`` (D, 2) onto each frame's
    ``donors_to`` (L, D, 2); returns (L, 2)."""
    a = donors_from - donors_from.mean(0)
    centre = donors_to.mean(1)
    b = donors_to - centre[:, None]
    za, zb = a[:, 0] + 1j * a[:, 1], b[..., 0] + 1j * b[..., 1]
    scale = (zb @ np.conj(za)) / max(float(np.sum(np.abs(za) ** 2)), 1e-12)  # (L,) complex: turn and scale
    p = complex(*(point - donors_from.mean(0))) * scale
    return np.stack([p.real, p.imag], -1) + centre


def _carry(x: np.ndarray, j: int, use: np.ndarray, r: int, s: int, e: int, size: float) -> np.ndarray:
    """Point ``j`` of ``x`` (T, J, C) at seen frame ``r`` carried over frames ``s .. e - 1`` by its seen partners
    ``use`` (most constant first); (L, C)."""
    if x.shape[-1] == 2 and len(use) >= 3:
        return _similar(x[r, use], x[s:e, use], x[r, j])
    flat = len(use) < 3 or np.linalg.svd(x[r, use] - x[r, use].mean(0), compute_uv=False)[1] < FLAT * size
    if not flat:
        return rigid_carried(x[r, use], x[s:e, use], x[r, j])[0]
    a, b = use[0], use[1]  # the line through the two most constant: the point turns with it
    if len(use) == 2 and _turn(x[s - 1:e + 1, a] - x[s - 1:e + 1, b]) < STILL_TURN:
        return x[s:e, a] + (x[r, j] - x[r, a])  # hardly a turn: the offset held (module docstring)
    return x[s:e, a] + _turned(x[r, a] - x[r, b], x[s:e, a] - x[s:e, b], x[r, j] - x[r, a])


def steadiest(x: np.ndarray, j: int, partners: list[int], min_seen: int = MIN_SEEN) -> list[int]:
    """``partners`` of point ``j`` ordered by how constant their distance to it keeps where both are seen in ``x``
    (T, J, C) (in at least ``min_seen`` frames; the others left out), most constant first."""
    seen = np.isfinite(x).all(-1)
    spreads = []
    for k in partners:
        both = seen[:, j] & seen[:, k]
        if both.sum() >= min_seen:
            spreads.append((distance_spread(np.linalg.norm(x[both, j] - x[both, k], axis=-1)), k))
    return [k for _, k in sorted(spreads)]


def carried(then: np.ndarray, now: np.ndarray, j: int, donors: list[int], size: float,
            held: bool = True) -> tuple[np.ndarray | None, bool]:
    """A stream's point ``j`` of frame ``then`` (J, C), its last seen, carried into frame ``now`` (J, C) by the
    ``donors`` (most constant first, :func:`steadiest`) seen in both: as :func:`segment_fill` carries it from the frame
    before a gap. ``held``: whether a 2-partner line has turned less than :data:`STILL_TURN` so far (False: it turned
    since, and the point turns with it). Returns the point (C,) (None with fewer than 2 donors seen) and ``held``."""
    use = np.array([k for k in donors if np.isfinite(then[k]).all() and np.isfinite(now[k]).all()][:DONORS], int)
    if len(use) < 2 or not np.isfinite(then[j]).all():
        return None, held
    x = np.stack([then, now]).astype(np.float64)
    if len(use) > 2:
        return _carry(x, j, use, 0, 1, 2, size)[0], held
    a, b = use
    held = held and _turn(x[:, a] - x[:, b]) < STILL_TURN
    if held:
        return x[1, a] + (x[0, j] - x[0, a]), held
    return x[1, a] + _turned(x[0, a] - x[0, b], x[1:, a] - x[1:, b], x[0, j] - x[0, a])[0], held


def segment_fill(poses: np.ndarray, layout: Layout, joints: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Fill the gaps of ``joints`` in ``poses`` (T, J, C), C = 2 or 3, NaN where unseen, from their segment's points
    (module docstring). Returns the poses with those gaps filled (the others NaN still) and (T, J) bool: the values
    filled here."""
    x = np.array(poses, np.float64)
    filled = np.zeros(x.shape[:2], bool)
    seen = np.isfinite(x).all(-1)
    size = body_size(x)
    if x.ndim != 3 or x.shape[-1] not in (2, 3) or not np.isfinite(size) or size <= 0:
        return x, filled
    out = x.copy()
    for j, partners in segment_partners(layout, [j for j in joints if not seen[:, j].all()]).items():
        donors = np.array(steadiest(x, j, partners), int)
        for s, e in true_runs(~seen[:, j]):
            if s == 0 or e == len(x) or not len(donors):
                continue
            use = donors[seen[s - 1:e + 1, donors].all(0)][:DONORS]
            if len(use) < 2:
                continue
            w = ((np.arange(s, e) - s + 1.0) / (e - s + 1.0))[:, None]
            out[s:e, j] = _carry(x, j, use, s - 1, s, e, size) * (1 - w) + _carry(x, j, use, e, s, e, size) * w
            filled[s:e, j] = True
    return out, filled
