"""Joint conventions: where a skeleton puts each joint relative to the body.

Two skeletons of the same layout name rarely mark the same points: SMPL's pelvis sits ~9 cm
above the hip line, CMU's thorax is lower, one dataset's shoulder is the clavicle's end and
another's the humeral head, a "head" is the top or the centre of the skull. Such differences
are *constant offsets in a body-local frame*: they move with the body but never change over a
clip. A refiner must keep them, not "correct" them towards the skeleton it was trained on.

:func:`random_joint_offsets` makes such skeletons for training (every clip gets a convention
of its own, applied to input and target alike, so no fixed body can be learnt).
:func:`body_frames` gives the local frames the offsets live in.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.skeleton import HEAD_POINTS_MM, HIP_WIDEN, Layout, bone_tree, get_layout, head_fixed_points, trunk_vector

# Joint-name fragments that belong to the trunk (offsets in the trunk frame) or to the face
# (offsets in the head frame); every other joint is a limb joint (offsets in its bone's frame).
_TRUNK = ("pelvis", "hip", "spine", "thorax", "neck", "chest", "shoulder", "head", "root")
_FACE = ("nose", "eye", "ear", "mouth")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-9)


def trunk_frame(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Per-frame trunk axes (left, up, forward) of 3D poses.

    Parameters
    ----------
    x : ndarray (..., T, J, 3)
        Poses in a layout with ``left/right_shoulder`` and ``left/right_hip`` joints.

    Returns
    -------
    ndarray (..., T, 3, 3)
        Columns are the unit axes left (hip and shoulder lines), up (hips -> shoulders, made
        orthogonal to left) and forward (``left x up``).
    """
    layout = get_layout(layout)
    x = np.asarray(x, np.float64)
    hips = x[..., layout.index("left_hip"), :] - x[..., layout.index("right_hip"), :]
    shoulders = x[..., layout.index("left_shoulder"), :] - x[..., layout.index("right_shoulder"), :]
    left = _unit(_unit(hips) + _unit(shoulders))
    up = trunk_vector(x, layout)
    up = _unit(up - np.sum(up * left, axis=-1, keepdims=True) * left)
    return np.stack([left, up, np.cross(left, up)], axis=-1)


def _head_frame(x: np.ndarray, layout: Layout, trunk: np.ndarray) -> np.ndarray:
    """Head axes from the ears where the layout has them; the trunk's otherwise."""
    if "left_ear" not in layout.joints or "right_ear" not in layout.joints:
        return trunk
    left = _unit(x[..., layout.index("left_ear"), :] - x[..., layout.index("right_ear"), :])
    up = trunk[..., 1]
    up = _unit(up - np.sum(up * left, axis=-1, keepdims=True) * left)
    return np.stack([left, up, np.cross(left, up)], axis=-1)


def body_frames(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The local frame every joint's convention offset is expressed in.

    Trunk joints (pelvis, hips, spine, thorax, neck, head, shoulders) use the trunk frame,
    face points the head frame (ears), limb joints (knees, ankles, elbows, wrists, ...) the
    frame of the bone that ends at them: (across, along the bone, ``across x along``), with
    "across" the trunk's left axis made orthogonal to the bone.

    Parameters
    ----------
    x : ndarray (..., T, J, 3) poses, any unit.

    Returns
    -------
    ndarray (..., T, J, 3, 3), columns = the joint's three unit axes; the first is the
    lateral one (mirrored between left and right joints).
    """
    layout = get_layout(layout)
    x = np.asarray(x, np.float64)
    trunk = trunk_frame(x, layout)
    head = _head_frame(x, layout, trunk)
    face, trunk_joints, limbs, parents = _joint_kinds(layout)
    frames = np.empty(x.shape[:-1] + (3, 3))
    frames[..., face, :, :] = head[..., None, :, :]
    frames[..., trunk_joints, :, :] = trunk[..., None, :, :]
    if limbs:  # every limb joint at once (the same arithmetic per joint as one at a time)
        along = _unit(x[..., limbs, :] - x[..., parents, :])  # (..., T, L, 3)
        left = trunk[..., None, :, 0]
        across = _unit(left - np.sum(left * along, axis=-1, keepdims=True) * along)
        frames[..., limbs, :, :] = np.stack([across, along, np.cross(across, along)], axis=-1)
    return frames


@lru_cache(maxsize=64)
def _joint_kinds(layout: Layout) -> tuple[list[int], list[int], list[int], list[int]]:
    """The joints of ``layout`` whose :func:`body_frames` frame is the head's (face points), the
    trunk's (trunk joints and the root), their bone's (limb joints), and those limb joints' parents."""
    parent = {child: p for p, child in bone_tree(layout)}
    face = [j for j, name in enumerate(layout.joints) if any(k in name for k in _FACE)]
    trunk = [j for j, name in enumerate(layout.joints)
             if j not in face and (any(k in name for k in _TRUNK) or j not in parent)]
    limbs = [j for j in range(len(layout.joints)) if j not in face and j not in trunk]
    return face, trunk, limbs, [parent[j] for j in limbs]


def apply_offsets(x: np.ndarray, layout: str | Layout, offsets: np.ndarray) -> np.ndarray:
    """Move every joint by a constant offset in its :func:`body_frames` frame.

    Parameters
    ----------
    x : ndarray (..., T, J, 3)
        Poses, any unit.
    offsets : ndarray (J, 3)
        Per joint (lateral, second, third axis) in the poses' unit; the lateral component is
        outward-positive for left joints only: pass mirrored values for right joints yourself
        or use :func:`random_joint_offsets`.

    Returns
    -------
    ndarray (..., T, J, 3), same dtype as ``x``.
    """
    layout = get_layout(layout)
    frames = body_frames(x, layout)  # frames of the original joints, so the offsets do not compound
    shift = np.einsum("...jab,jb->...ja", frames, np.asarray(offsets, np.float64))
    return (np.asarray(x, np.float64) + shift).astype(np.asarray(x).dtype, copy=False)


def random_joint_offsets(layout: str | Layout, spread: float, rng: np.random.Generator,
                         share: float = 0.5) -> np.ndarray:
    """(J, 3) random convention offsets for :func:`apply_offsets`.

    A random ``share`` of the joints is moved (left and right partners together, mirrored:
    conventions are symmetric); each moved joint by up to ``spread`` along each local axis
    (uniform; the same unit as the poses). ``spread`` itself is what the caller draws per clip.
    """
    layout = get_layout(layout)
    n = len(layout.joints)
    offsets = rng.uniform(-spread, spread, (n, 3)) * (rng.random((n, 1)) < share)
    for left, right in layout.left_right:
        offsets[right] = offsets[left] * np.array([-1.0, 1.0, 1.0])
    return offsets


# --- Named conventions of real skeletons, built from the mocap, for the benchmark ----------

def _bandai_points(positions: np.ndarray, head_rotation: np.ndarray) -> dict[str, np.ndarray]:
    """The mocap joints by name, plus the trunk's up axis and a head-frame point maker."""
    from synsp.skeleton import BANDAI22

    j = {name: positions[..., i, :].astype(np.float64) for i, name in enumerate(BANDAI22.joints)}
    hips = (j["UpperLeg_L"] + j["UpperLeg_R"]) / 2
    j["up"] = _unit(j["Neck"] - hips)
    j["hip_mid"] = hips
    j["rot"] = np.asarray(head_rotation, np.float64)
    return j


def _head_point(j: dict[str, np.ndarray], up: float, forward: float, left: float) -> np.ndarray:
    """A point fixed to the head, (up, forward, left) mm in the mocap Head joint's frame."""
    return head_fixed_points(j["Head"], j["rot"], [[up, forward, left]])[..., 0, :]


def _hips(j: dict[str, np.ndarray], widen: float, lower: float) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) hip points: the mocap hip joints pushed apart ``widen`` times from their
    midpoint and ``lower`` mm down the trunk."""
    mid, down = j["hip_mid"], -lower * j["up"]
    return mid + widen * (j["UpperLeg_L"] - mid) + down, mid + widen * (j["UpperLeg_R"] - mid) + down


def _shoulders(j: dict[str, np.ndarray], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) shoulder points: "humeral" (the mocap's), "clavicle" (half way to the
    clavicle's base, as markers on the acromion), "wide" (4.5 cm further out, 2 cm higher:
    Human3.6M's 30-cm shoulders)."""
    left, right = j["UpperArm_L"], j["UpperArm_R"]
    if kind == "clavicle":
        return (left + j["Shoulder_L"]) / 2, (right + j["Shoulder_R"]) / 2
    if kind == "wide":
        out = _unit(left - right)
        return left + 45 * out + 20 * j["up"], right - 45 * out + 20 * j["up"]
    return left, right


def _h36m(j: dict[str, np.ndarray], *, pelvis_up: float = 0.0, hips: tuple[float, float] = (HIP_WIDEN, 0.0),
          shoulders: str = "humeral", thorax: str = "neck",
          nose: tuple[float, float, float] = HEAD_POINTS_MM["h36m_nose"],
          head: tuple[float, float, float] = HEAD_POINTS_MM["h36m_head"]) -> np.ndarray:
    lhip, rhip = _hips(j, *hips)
    pelvis = (lhip + rhip) / 2 + pelvis_up * j["up"]
    lsh, rsh = _shoulders(j, shoulders)
    thorax_point = {"neck": j["Neck"], "low": j["Neck"] - 40 * j["up"], "shoulders": (lsh + rsh) / 2}[thorax]
    out = [pelvis, rhip, j["LowerLeg_R"], j["Foot_R"], lhip, j["LowerLeg_L"], j["Foot_L"],
           (j["Spine"] + j["Chest"]) / 2, thorax_point, _head_point(j, *nose), _head_point(j, *head),
           lsh, j["LowerArm_L"], j["Hand_L"], rsh, j["LowerArm_R"], j["Hand_R"]]
    return np.stack(out, axis=-2)


_MOCAP_FACE = {"nose": HEAD_POINTS_MM["nose"], "eyes": HEAD_POINTS_MM["left_eye"], "ears": HEAD_POINTS_MM["left_ear"]}
_MEDIAPIPE_FACE = {"nose": (95, 110, 0), "eyes": (160, 85, 33), "ears": (150, -15, 72)}


def _coco(j: dict[str, np.ndarray], *, hips: tuple[float, float] = (HIP_WIDEN, 0.0), shoulders: str = "humeral",
          face: dict[str, tuple[float, float, float]] = _MOCAP_FACE) -> np.ndarray:
    (nu, nf, _), (eu, ef, el), (au, af, al) = face["nose"], face["eyes"], face["ears"]
    lhip, rhip = _hips(j, *hips)
    lsh, rsh = _shoulders(j, shoulders)
    out = [_head_point(j, nu, nf, 0), _head_point(j, eu, ef, el), _head_point(j, eu, ef, -el),
           _head_point(j, au, af, al), _head_point(j, au, af, -al), lsh, rsh, j["LowerArm_L"], j["LowerArm_R"],
           j["Hand_L"], j["Hand_R"], lhip, rhip, j["LowerLeg_L"], j["LowerLeg_R"], j["Foot_L"], j["Foot_R"]]
    return np.stack(out, axis=-2)


# name -> (what it imitates, h36m17 options, coco17 options); "mocap" is synsp.skeleton's own.
CONVENTIONS: dict[str, tuple[str, dict, dict]] = {
    "mocap": ("synsp.skeleton's conversion, the training convention", {}, {}),
    "smpl-pelvis": ("SMPL/CMU: pelvis 5-12 cm above the hip line (per clip), hips narrower and 3 cm deeper",
                    {"pelvis_up": (50.0, 120.0), "hips": (1.5, 30.0)}, {"hips": (1.5, 30.0)}),
    "cmu-neck": ("CMU-like thorax at the lower neck (4 cm lower), neck point at the upper neck (the mocap Head joint)",
                 {"thorax": "low", "nose": (0, 0, 0)}, None),
    "clavicle-shoulders": ("shoulders half way to the clavicle's base (acromion markers)",
                           {"shoulders": "clavicle"}, {"shoulders": "clavicle"}),
    "wide-shoulders": ("Human3.6M-like shoulders, 4.5 cm further out and 2 cm higher",
                       {"shoulders": "wide"}, {"shoulders": "wide"}),
    "head-centre": ("head point at the skull's centre instead of its top", {"head": (100, 10, 0)}, None),
    "mediapipe-like": ("MediaPipe: wider, higher hips; thorax between the shoulders; head above the ears; "
                       "its own face points",
                       {"hips": (2.4, -30.0), "thorax": "shoulders", "nose": (95, 110, 0), "head": (174, -2, 0)},
                       {"hips": (2.4, -30.0), "face": _MEDIAPIPE_FACE}),
    "body25": ("OpenPose BODY_25: neck between the shoulders, mid-hip of wide low hips, head at the ears",
               {"hips": (2.6, 20.0), "thorax": "shoulders", "nose": (110, 100, 0), "head": (140, 0, 0)},
               {"hips": (2.6, 20.0), "face": {**_MOCAP_FACE, "ears": (130, -10, 80)}}),
}


def convention_names(layout: str) -> list[str]:
    """The named conventions defined for ``layout`` ("h36m17" or "coco17")."""
    column = {"h36m17": 1, "coco17": 2}.get(layout)
    if column is None:
        raise ValueError(f"conventions are defined for h36m17 and coco17, not {layout!r}")
    return [name for name, entry in CONVENTIONS.items() if entry[column] is not None]


def convert_with_convention(positions: np.ndarray, head_rotation: np.ndarray, layout: str, convention: str,
                            rng: np.random.Generator) -> np.ndarray:
    """Mocap poses in ``layout`` under a named joint convention (:data:`CONVENTIONS`).

    Parameters
    ----------
    positions : ndarray (T, 22, 3) bandai22 mm; head_rotation : (T, 3, 3) its Head joint's frame.
    layout : "h36m17" or "coco17".
    rng : draws the per-clip values of conventions given as a range (the SMPL pelvis height).

    Returns
    -------
    ndarray (T, J, 3) float32 mm.
    """
    if convention not in convention_names(layout):
        raise ValueError(f"convention: unknown {convention!r} for {layout}; "
                         f"known: {', '.join(convention_names(layout))}")
    options = dict(CONVENTIONS[convention][1 if layout == "h36m17" else 2])
    options = {k: rng.uniform(*v) if k == "pelvis_up" else v for k, v in options.items()}
    j = _bandai_points(positions, head_rotation)
    build = _h36m if layout == "h36m17" else _coco
    return build(j, **options).astype(np.float32)


# --- The model's constant pull, measured on the clip itself ---------------------------------

def local_frames(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Per joint, per frame axes in which a joint convention is constant.

    3D: :func:`body_frames` (mm). 2D: the image-plane trunk frame (across, up) scaled by the
    trunk's length, so that an offset is a fraction of the body's size whatever its distance.

    Parameters
    ----------
    x : ndarray (..., T, J, C), C = 2 or 3, without NaN.

    Returns
    -------
    ndarray (..., T, J, C, C): columns are the axes.
    """
    layout = get_layout(layout)
    x = np.asarray(x, np.float64)
    if x.shape[-1] == 3:
        return body_frames(x, layout)
    up = trunk_vector(x, layout)
    length = np.linalg.norm(up, axis=-1, keepdims=True)
    unit_up = up / (length + 1e-9)
    across = np.stack([unit_up[..., 1], -unit_up[..., 0]], axis=-1)
    frame = np.stack([across, unit_up], axis=-1) * length[..., None]  # (..., T, 2, 2)
    return np.broadcast_to(frame[..., None, :, :], x.shape + (2,))


def local_correction(inputs: np.ndarray, refined: np.ndarray,
                     layout: str | Layout) -> tuple[np.ndarray, np.ndarray]:
    """A refiner's correction ``refined - inputs`` (..., T, J, C) in :func:`local_frames` of
    ``refined``: returns those frames (..., T, J, C, C) and the local correction (..., T, J, C),
    0 where a frame has no axes (a body of no size: every joint at one point)."""
    frames = local_frames(refined, layout)
    local, _, axes = in_frames(frames, np.asarray(refined, np.float64) - inputs)
    return frames, np.where(axes[..., None], local, 0.0)


def in_frames(frames: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``vectors`` (..., C) in ``frames`` (..., C, C; :func:`local_frames`): returns the local
    vectors (..., C), the frames solved with (the identity where a frame has no axes: a body of no
    size, every joint at one point; the largest of ``frames`` sets the scale) and whether each
    frame has axes (...)."""
    det = np.abs(np.linalg.det(frames))
    axes = det > 1e-9 * det.max(initial=0.0)
    frames = np.where(axes[..., None, None], frames, np.eye(frames.shape[-1]))
    return np.linalg.solve(frames, np.asarray(vectors)[..., None])[..., 0], frames, axes


def constant_pull(inputs: np.ndarray, refined: np.ndarray, layout: str | Layout, symmetric: bool = False,
                  never: np.ndarray | None = None) -> np.ndarray:
    """The part of a refiner's correction that is the same in every frame of the body's own
    frames: what it does to the joint *definitions*, not to the errors.

    Parameters
    ----------
    inputs, refined : ndarray (..., T, J, C) without NaN, before and after refinement.
    never : (..., J) bool, joints never measured in the sequence (stand-ins), or None; see :func:`symmetric_part`.

    Returns
    -------
    ndarray (..., T, J, C): that part, per frame, in the poses' coordinates (the median over
    frames of the local correction, turned back by :func:`local_frames` of ``refined``).
    """
    frames, local = local_correction(inputs, refined, layout)
    pull = np.median(local, axis=-3, keepdims=True)
    if symmetric:
        pull = symmetric_part(pull, layout, None if never is None else np.asarray(never)[..., None, :])
    return np.einsum("...jab,...jb->...ja", frames, np.broadcast_to(pull, local.shape))


def symmetric_part(local: np.ndarray, layout: str | Layout, never: np.ndarray | None = None) -> np.ndarray:
    """The part of local offsets (..., J, C) that a joint convention can have: the same for a
    joint and its mirror partner (lateral axis mirrored), and no lateral move of a midline
    joint. The rest is what no convention makes: an error. A pair with a joint ``never`` ((..., J) bool, or None)
    measured keeps each joint's own offset: a stand-in's (a leg never seen, put at the body's centroid) is the
    network placing it, no definition, and averaged in it moved the seen partner (benchmarks/RESULTS.md section 4,
    "A limb never seen in 3D")."""
    layout = get_layout(layout)
    mirror = np.ones(local.shape[-1])
    mirror[0] = -1.0
    out = local * (1 - np.eye(local.shape[-1])[0])  # midline joints: no lateral part
    for left, right in layout.left_right:
        mean = (local[..., left, :] + local[..., right, :] * mirror) / 2
        out[..., left, :], out[..., right, :] = mean, mean * mirror
        if never is not None:
            lone = (never[..., left] | never[..., right])[..., None]
            out[..., left, :] = np.where(lone, local[..., left, :], out[..., left, :])
            out[..., right, :] = np.where(lone, local[..., right, :], out[..., right, :])
    return out
