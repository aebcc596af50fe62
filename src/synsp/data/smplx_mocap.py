"""The mocap in SMPL-H's and SMPL-X's joint sets (``smplh52``, ``smplx55``, ``smplx127``), for
benchmarks and tests of the route such arrays take (benchmarks/RESULTS.md, section 11).

The body is the clip's SMPL body (``load_clip(name, "smpl22")``: retargeted to SMPL's template).
The other points are not anatomy: they are rigid with their segment, placed from the clip's
MediaPipe-33 points (:mod:`synsp.data.mocap_layouts`: the BVH's Hand, Head and Foot frames)
taken relative to MediaPipe's wrist, ears' midpoint or ankle and moved onto SMPL's wrist, head
or ankle, as ``benchmarks/joint_groups.py`` builds COCO-WholeBody's hands:

- each hand's 15 finger joints (and SMPL-X's 5 fingertips) along fixed mixes of the wrist-to-index,
  wrist-to-pinky and wrist-to-thumb vectors;
- SMPL-X's jaw and eyes, the nose, eyes and ears, and 51 face landmarks (fixed affine mixes of
  MediaPipe's 11 face points) about the head;
- the big and small toes and the heel about the ankle.
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import get_layout
from synsp.skeleton.smplx_layouts import FINGERS

SMPLX_FAMILY = ("smplh52", "smplx55", "smplx127")
# (index, pinky, thumb) weights of each finger's direction and its three joints' and tip's reach.
_FINGER_MIX = {"index": (1.0, 0.0, 0.0), "middle": (0.67, 0.33, 0.0), "ring": (0.33, 0.67, 0.0),
               "pinky": (0.0, 1.0, 0.0), "thumb": (0.0, 0.0, 1.0)}
_REACH = {"thumb": (0.45, 0.75, 1.05, 1.35)}
_FINGER_REACH = (0.9, 1.25, 1.5, 1.75)


def smplx_from_mocap(smpl22: np.ndarray, mp33: np.ndarray, layout: str) -> np.ndarray:
    """(T, J, 3) float32 mm: a clip in ``layout`` (one of :data:`SMPLX_FAMILY`) from its SMPL body
    ``smpl22`` (T, 22, 3) and MediaPipe-33 points ``mp33`` (T, 33, 3), both mm (module docstring)."""
    names = get_layout(layout).joints
    body, mp = np.asarray(smpl22, np.float64), np.asarray(mp33, np.float64)
    mp_at = lambda name: mp[:, get_layout("mediapipe33").index(name)]  # noqa: E731
    smpl_at = lambda name: body[:, names.index(name)]  # noqa: E731
    points: dict[str, np.ndarray] = {}
    for side in ("left", "right"):
        wrist = mp_at(f"{side}_wrist")
        vectors = np.stack([mp_at(f"{side}_{p}") - wrist for p in ("index", "pinky", "thumb")], axis=1)
        for finger in FINGERS:
            direction = np.einsum("k,tkc->tc", np.array(_FINGER_MIX[finger]), vectors)
            reach = _REACH.get(finger, _FINGER_REACH)
            for k, share in zip(("1", "2", "3", ""), reach):
                points[f"{side}_{finger}{k}"] = smpl_at(f"{side}_wrist") + share * direction
        ankle = mp_at(f"{side}_ankle")
        toe, heel = mp_at(f"{side}_foot_index") - ankle, mp_at(f"{side}_heel") - ankle
        out = np.cross(toe, heel) * (1.0 if side == "left" else -1.0)
        out *= 30.0 / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-9)  # 3 cm sideways
        points[f"{side}_big_toe"] = smpl_at(f"{side}_ankle") + toe - 0.3 * out
        points[f"{side}_small_toe"] = smpl_at(f"{side}_ankle") + 0.8 * toe + out
        points[f"{side}_heel"] = smpl_at(f"{side}_ankle") + heel
    ears = (mp_at("left_ear") + mp_at("right_ear")) / 2
    about_head = lambda p: smpl_at("head") + p - ears  # noqa: E731
    mouth = (mp_at("mouth_left") + mp_at("mouth_right")) / 2
    points["jaw"] = about_head(ears + 0.6 * (mouth - ears))
    for side in ("left", "right"):
        points[f"{side}_eye_smplhf"] = points[f"{side}_eye"] = about_head(mp_at(f"{side}_eye"))
        points[f"{side}_ear"] = about_head(mp_at(f"{side}_ear"))
    points["nose"] = about_head(mp_at("nose"))
    face = get_layout("smplx127").joints[76:]
    mix = np.random.default_rng(127).dirichlet(np.full(11, 0.7), len(face))
    placed = smpl_at("head")[:, None] + np.einsum("fk,tkc->tfc", mix, mp[:, :11] - ears[:, None])
    points.update(zip(face, np.moveaxis(placed, 1, 0)))
    out = [body[:, j] if j < 22 else points[name] for j, name in enumerate(names)]
    return np.stack(out, axis=1).astype(np.float32)
