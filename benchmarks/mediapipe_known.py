"""MediaPipe's 3D world landmarks with a known truth: the validation mocap in MediaPipe-33 world landmarks,
with noise shaped like the README demo's, refined by every method as ``synsp refine --space world`` does.

The truth: each clip in MediaPipe-33 (:mod:`synsp.data.mocap_layouts`), in MediaPipe's world frame (metres,
y down, z away from a camera looking along the mocap's -Z axis, every frame about the hips' midpoint). The
noise is the demo's (``mediapipe-sports2d/demo_mediapipe.npz``), measured on it (:func:`demo_levels`):

- its level per landmark and axis, read from the second difference (a median, so MediaPipe's glitches and
  left/right exchanges, which synsp refines apart, do not count; the mocap's own motion there is 0.1-4 mm);
- over frames an AR(1) of coefficient :data:`PHI`, the one whose second difference is correlated from one
  frame to the next as the demo's depth axis is (-0.555; white noise -0.667, x and y carry motion): with it
  the validation clips' whiteness (:func:`synsp.inference.white_noise.whiteness`) reads 1.17-2.95, median
  1.64, the demo's clean spans 1.89-2.13 (white noise of the same levels: median 0.93);
- correlated along the body (:data:`PARENT`): the demo's high-passed residuals correlate 0.95-1.0 between a
  face point and the nose, a hand's and its wrist, a foot's and its ankle, 0.7-0.9 along a limb, and the
  shoulders and nose share their y and z (:data:`UPPER_SHARE`); each joint's noise is its parent's plus its own.

Each noisy clip is written as a MediaPipe npz (visibility 1) and refined by :func:`synsp.refine_file` (what
``synsp refine IN OUT --layout mediapipe33 --space world --method M`` runs); outputs are scored about the hips'
midpoint (as MediaPipe's world landmarks are): MPJPE by joint group (mm), Accel (mm/frame^2), and the spread
of the bone lengths over a clip (mm, the truth's own spread subtracted: a real body's bones keep their length).
To tell which property of that noise a method gains or loses on, each can be changed alone (:func:`shaped_levels`,
:func:`demo_noise`): ``--phi`` the colour over frames (0: white over frames, the tree and levels kept), ``--no-tree``
every landmark's noise independent of its parent's, ``--no-shared`` the nose's and shoulders' noise independent of each
other's (:data:`UPPER_SHARE` 0), ``--levels`` the level profile (``isotropic``: each landmark's
three axes at their RMS, no depth-heavy axis; ``joints``: each axis at its RMS over the landmarks, hips as noisy as
the hands; ``flat``: both). The tree, shared and level options keep the noise's total power (its RMS within 1 %);
``--phi`` keeps its second difference's, the levels as the demo's were read, so the positions' noise changes with
the colour (RMS 23.5 mm at the default 0.5, 15.1 at 0, 39.5 at 0.8). These shape the tree noise only (``--noise
white``: independent white noise at the levels, ``--levels`` still applies). Run:

    .venv/bin/python benchmarks/mediapipe_known.py [--split val] [--max-clips 0] [--every 1] [--noise tree|white]
        [--phi 0.5] [--no-tree] [--no-shared] [--levels demo|isotropic|joints|flat] [--paced-share]

Each clip's line says "(paced)" when SynSP refined it at a slower pace than its own, where its SmoothNet blend reads
no noise share (:func:`paced_blends`); the table is followed by the MPJPE over those clips and the others.
``--paced-share`` reads the share there too.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
from scipy.signal import lfilter

import synsp
import synsp.inference.input_frame as input_frame
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.formats.mediapipe import MM_PER_M
from synsp.metrics import accel_error
from synsp.paths import data_root
from synsp.refining.summary import joint_groups

DEMO = data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz"
METHODS = ("synsp", "smoothnet", "gaussian", "one-euro")
PHI = 0.5
LEVELS = ("demo", "isotropic", "joints", "flat")
# Each MediaPipe-33 landmark's parent in the noise tree (None: a root): face on the nose, hands on the wrists,
# feet on the ankles, limbs down from the shoulders and hips.
PARENT = {0: None, **{j: 0 for j in range(1, 11)}, 11: None, 12: None, 13: 11, 14: 12, 15: 13, 16: 14,
          17: 15, 19: 15, 21: 15, 18: 16, 20: 16, 22: 16, 23: None, 24: None, 25: 23, 26: 24, 27: 25, 28: 26,
          29: 27, 31: 27, 30: 28, 32: 28}
OWN_FLOOR = 0.1  # a child's own noise at least this share of its level (correlation with its parent ~0.995)
# Share of the roots' (nose, shoulders) variance in one upper-body noise per axis x, y, z: the demo's
# shoulders correlate -0.49, 0.63, 0.78 with each other, the nose 0.03, 0.55, 0.82 with a shoulder.
UPPER_SHARE = np.array([0.0, 0.6, 0.75])
UPPER = (0, 11, 12)
BONES = ((11, 13), (13, 15), (12, 14), (14, 16), (23, 25), (25, 27), (24, 26), (26, 28), (11, 23), (12, 24),
         (11, 12), (23, 24), (27, 29), (28, 30), (29, 31), (30, 32), (27, 31), (28, 32))


def demo_levels(poses: np.ndarray) -> np.ndarray:
    """(33, 3) white-equivalent noise level per landmark and axis (mm) of ``poses`` (T, 33, 3) mm, NaN
    allowed: the median absolute second difference, over frames, scaled to a standard deviation
    (1.4826 / sqrt(6)): robust to glitches."""
    a = poses[2:] - 2 * poses[1:-1] + poses[:-2]
    a = a[np.isfinite(a).all((-1, -2))]
    return 1.4826 * np.median(np.abs(a - np.median(a, 0)), 0) / np.sqrt(6.0)


def shaped_levels(levels: np.ndarray, profile: str) -> np.ndarray:
    """``levels`` (33, 3) mm reshaped to ``profile`` (:data:`LEVELS`) at the same total power: "demo" as they are,
    "isotropic" each landmark's RMS over its axes, "joints" each axis' RMS over the landmarks, "flat" one RMS."""
    axes = {"demo": None, "isotropic": 1, "joints": 0, "flat": (0, 1)}[profile]
    if axes is None:
        return levels
    return np.broadcast_to(np.sqrt(np.mean(levels ** 2, axis=axes, keepdims=True)), levels.shape).copy()


def _ar(shape: tuple[int, ...], phi: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-variance AR(1) series of coefficient ``phi`` along axis 0."""
    return lfilter([1.0], [1.0, -phi], rng.normal(size=shape), axis=0) * np.sqrt(1.0 - phi ** 2)


def second_difference(phi: float) -> float:
    """The standard deviation of a unit-variance AR(1) of coefficient ``phi``'s second difference: its lags 0, 1, 2
    correlate 1, phi, phi^2, so sqrt(6 - 8 phi + 2 phi^2) (white noise, phi 0: sqrt(6))."""
    return float(np.sqrt(6.0 - 8.0 * phi + 2.0 * phi ** 2))


def demo_noise(levels: np.ndarray, frames: int, rng: np.random.Generator, kind: str = "tree", phi: float = PHI,
               tree: bool = True, upper_share: np.ndarray = UPPER_SHARE) -> np.ndarray:
    """(frames, 33, 3) mm: noise of ``levels`` (33, 3, :func:`demo_levels`). ``kind`` "tree": the module
    docstring's, an AR(1) of ``phi`` over frames, each landmark's noise its parent's plus its own (``tree``) or
    independent of it, the nose's and shoulders' sharing ``upper_share`` of theirs per axis; "white": independent
    white noise of the same levels (not the demo's: a control)."""
    if kind == "white":
        return levels * rng.normal(size=(frames, 33, 3))
    std = levels * np.sqrt(6.0) / second_difference(phi)
    own = np.empty_like(std)
    for j, parent in PARENT.items():
        base = 0.0 if parent is None or not tree else std[parent] ** 2
        own[j] = np.sqrt(np.maximum(std[j] ** 2 - base, (OWN_FLOOR * std[j]) ** 2))
    shared = np.zeros_like(own)
    shared[list(UPPER)] = own[list(UPPER)] * np.sqrt(upper_share)
    own[list(UPPER)] *= np.sqrt(1.0 - upper_share)
    e = _ar((frames, 33, 3), phi, rng) * own + _ar((frames, 1, 3), phi, rng) * shared
    noise = np.zeros_like(e)
    for j, parent in PARENT.items():  # a parent's index is below its children's
        noise[:, j] = e[:, j] + (0.0 if parent is None or not tree else noise[:, parent])
    return noise


def about_hips(poses: np.ndarray) -> np.ndarray:
    """``poses`` (T, 33, C) about their hips' midpoint, as MediaPipe's world landmarks are."""
    return poses - (poses[:, 23:24] + poses[:, 24:25]) / 2


def truth(name: str) -> np.ndarray:
    """A mocap clip as MediaPipe's world landmarks (T, 33, 3) mm: y down, z away from the camera, about the hips."""
    return about_hips(load_clip(name, "mediapipe33").astype(np.float64)) * np.array([1.0, -1.0, -1.0])


def lengths(poses: np.ndarray, bones=BONES) -> np.ndarray:
    """(T, B) the lengths of ``bones`` (pairs of joints) in ``poses`` (T, J, 3), in its unit (mm)."""
    return np.linalg.norm(poses[:, [a for a, _ in bones]] - poses[:, [b for _, b in bones]], axis=-1)


def bone_spread(poses: np.ndarray) -> float:
    """Mean over :data:`BONES` of each bone's length's standard deviation over the clip (mm)."""
    return float(lengths(poses).std(0).mean())


def scores(pred: np.ndarray, clean: np.ndarray) -> dict[str, float]:
    """MPJPE (all and per joint group), Accel and the bone spread above the truth's, of ``pred`` about its hips."""
    pred = about_hips(pred)
    error = np.linalg.norm(pred - clean, axis=-1)
    out = {"MPJPE": float(error.mean()), "Accel": accel_error(pred, clean),
           "bones": bone_spread(pred) - bone_spread(clean)}
    return out | {group: float(error[:, joints].mean()) for group, joints in joint_groups("mediapipe33").items()}


def refined(noisy: np.ndarray, method: str, folder: Path) -> np.ndarray:
    """``noisy`` (T, 33, 3) mm written as a MediaPipe npz and refined as ``synsp refine --space world`` does."""
    source, output = folder / "in.npz", folder / f"out_{method}.npz"
    if not source.exists():
        frames = len(noisy)
        kp2d = np.concatenate([noisy[..., :2] / 2 + 500.0, np.ones((frames, 33, 1))], axis=-1)  # visibility 1
        np.savez(source, kp2d=kp2d, kp3d_world=noisy / MM_PER_M)
    with contextlib.redirect_stdout(io.StringIO()):
        synsp.refine_file(source, output, method=method, layout="mediapipe33", space="world", force=True)
    return np.load(output)["kp3d_world"] * MM_PER_M


@contextlib.contextmanager
def paced_blends(paced: list[bool], lift: bool = False):
    """Record in ``paced``, per SmoothNet blend SynSP runs, whether its clip was refined at a slower pace than its
    own (:attr:`~synsp.inference.refiner.Refiner.paced_fps`: the blend gets no layout, so no noise share,
    :func:`synsp.inference.smoothnet_blend.noise_share`); ``lift``: give it the model's layout anyway (the share read
    on paced clips too, what the blend would do without that limit)."""
    blend = input_frame.smoothnet_blend

    def recorded(*args, layout=None, **kwargs):
        paced.append(layout is None)
        # the default checkpoint's layout, the one these MediaPipe-33 landmarks are converted to
        return blend(*args, layout="h36m17" if lift and layout is None else layout, **kwargs)

    with mock.patch.object(input_frame, "smoothnet_blend", recorded):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    parser.add_argument("--noise", choices=("tree", "white"), default="tree")
    parser.add_argument("--phi", type=float, default=PHI, help="the noise's AR(1) coefficient over frames (tree), "
                        "at the same second-difference level: the positions' noise RMS grows with it")
    parser.add_argument("--no-tree", action="store_true", help="every landmark's noise independent of its parent's")
    parser.add_argument("--no-shared", action="store_true", help="the nose's and shoulders' noise independent")
    parser.add_argument("--levels", choices=LEVELS, default="demo", help="the level profile (same total power)")
    parser.add_argument("--every", type=int, default=1, help="every k-th clip of the split")
    parser.add_argument("--paced-share", action="store_true", help="SynSP's blend reads the noise share on clips "
                        "refined at a slower pace too (the limit lifted); either way, which clips are paced is shown")
    parser.add_argument("--methods", nargs="+", default=list(METHODS))
    args = parser.parse_args()
    if not 0.0 <= args.phi < 1.0 or args.every < 1:
        parser.error("--phi takes [0, 1), --every a positive count")
    if args.noise == "white" and (args.phi != PHI or args.no_tree or args.no_shared):
        parser.error("--phi, --no-tree and --no-shared shape the tree noise; --noise white takes --levels only")
    with np.load(DEMO) as demo:
        levels = shaped_levels(demo_levels(demo["kp3d_world"] * MM_PER_M), args.levels)
    # each clip keeps its noise (seeded by its place in the split) whichever clips are taken
    names = list(enumerate(load_split(args.split)))[:: args.every][: args.max_clips or None]
    rows: dict[str, list[dict[str, float]]] = {m: [] for m in ["input", *args.methods]}
    weights, paced = [], []
    for i, name in names:
        clean = truth(name)
        noise = demo_noise(levels, len(clean), np.random.default_rng([7, i]), args.noise, args.phi, not args.no_tree,
                           0.0 * UPPER_SHARE if args.no_shared else UPPER_SHARE)
        noisy = about_hips(clean + noise)
        weights.append(len(clean))
        blends: list[bool] = []
        with tempfile.TemporaryDirectory() as folder, paced_blends(blends, args.paced_share):
            for method in rows:
                pred = noisy if method == "input" else refined(noisy, method, Path(folder))
                rows[method].append(scores(pred, clean))
        paced.append(any(blends))
        print(f"{i} {name} " + " ".join(f"{m} {r[-1]['MPJPE']:.2f}" for m, r in rows.items())
              + " (paced)" * paced[-1], flush=True)
    keys = list(rows["input"][0])
    shape = (f"phi {args.phi}, tree {not args.no_tree}, shared {not args.no_shared}, " if args.noise == "tree"
             else "") + f"levels {args.levels}"
    print(f"\n{args.noise} noise ({shape}), {args.split} split: {len(names)} clips, {sum(weights)} frames, mm")
    print("| method | " + " | ".join(keys) + " |\n|---|" + "---:|" * len(keys))
    for method, per_clip in rows.items():
        cells = [np.average([r[k] for r in per_clip], weights=weights) for k in keys]
        print(f"| {method} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    paced, weights = np.array(paced), np.array(weights)
    for label, clips in (("refined at a slower pace (paced)", paced), ("at their own pace", ~paced)):
        if clips.any():
            print(f"{label}: {clips.sum()} clips, {weights[clips].sum()} frames; MPJPE " + ", ".join(
                f"{m} {np.average([r['MPJPE'] for r in per_clip], weights=weights * clips):.2f}"
                for m, per_clip in rows.items()))


if __name__ == "__main__":
    main()
