"""Clean h36m17 poses in a marker/anatomical convention: how far SynSP moves them (audit 21, finding 1).

The split's mocap joints (h36m17, mm) moved where marker and anatomical systems put them, in
:func:`synsp.conventions.body_frames` axes (audit 21's "anat" convention): hips at the greater trochanter (45 mm out,
40 down), shoulders at the acromion (25 out, 35 up), knees/ankles/elbows/wrists at lateral surface markers (50/35/35/25
mm out and 15 forward in the frame of the bone ending there, so the offset turns with the limb), thorax at C7 (70 back,
30 up), head top (+90), pelvis the hips' mean. Clean input: prints, per clip and over the clips (weighted by frames),
the mean distance each joint was moved (mm) and the same root-relative; ``--preset`` instead scores SynSP on the
protocol's errors drawn on these poses (MPJPE, root-relative mm).

Run (``PYTHONPATH`` picks the code measured):

    .venv/bin/python benchmarks/marker_joints.py --split val --clips 65
    .venv/bin/python benchmarks/marker_joints.py --split val --clips 65 --preset clean-ish
    .venv/bin/python benchmarks/marker_joints.py --split val --only run dash          # the runs and sprints only
    .venv/bin/python benchmarks/marker_joints.py --split val --only run dash --white 1   # 1 mm of white noise
    .venv/bin/python benchmarks/marker_joints.py --split val --only run dash --stream    # through ``synsp stream``

``--white MM`` adds white noise (MM per coordinate, seeded per clip) to the marker poses and gives each clip's mean
error against them (input / SynSP, mm) instead of the distance moved. ``--stream`` refines by SynSP's 3D stream
(:class:`~synsp.inference.streaming.StreamingRefiner`, its default lookahead, frame by frame) instead of offline.
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.conventions import body_frames
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import get_layout

LIMB_MARKERS = (("knee", 50.0), ("ankle", 35.0), ("elbow", 35.0), ("wrist", 25.0))  # mm out, then 15 forward


def anat(clip: np.ndarray) -> np.ndarray:
    """An h36m17 mocap clip (T, 17, 3) mm -> its joints where marker/anatomical systems put them (T, 17, 3)."""
    layout = get_layout("h36m17")
    x = clip.astype(np.float64)
    f = body_frames(x, layout)  # (T, J, 3, 3), columns: lateral (the trunk's left), along / up, forward
    y = x.copy()
    at = layout.index
    for side, sign in (("left", 1.0), ("right", -1.0)):
        hip, shoulder = f[:, at(f"{side}_hip")], f[:, at(f"{side}_shoulder")]
        y[:, at(f"{side}_hip")] += sign * hip[:, :, 0] * 45 - hip[:, :, 1] * 40
        y[:, at(f"{side}_shoulder")] += sign * shoulder[:, :, 0] * 25 + shoulder[:, :, 1] * 35
        for joint, out in LIMB_MARKERS:
            frame = f[:, at(f"{side}_{joint}")]
            y[:, at(f"{side}_{joint}")] += sign * frame[:, :, 0] * out + frame[:, :, 2] * 15
    y[:, at("thorax")] += -f[:, at("thorax"), :, 2] * 70 + f[:, at("thorax"), :, 1] * 30
    y[:, at("head")] += f[:, at("head"), :, 1] * 90
    y[:, at("pelvis")] = 0.5 * (y[:, at("left_hip")] + y[:, at("right_hip")])
    return y.astype(np.float32)


def streamed(x: np.ndarray) -> np.ndarray:
    """``x`` (T, 17, 3) mm refined by SynSP's 3D stream, frame by frame."""
    stream = StreamingRefiner(load_model(default_model("synsp", "3d")), mm_per_unit=1.0)
    return stream.refine_all(x.astype(np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=65)
    parser.add_argument("--preset", default=None, help="score this protocol preset instead of moving clean input")
    parser.add_argument("--only", nargs="+", default=None, help="only clips whose name holds one of these fragments")
    parser.add_argument("--white", type=float, default=0.0, help="white noise (mm per coordinate) on the input")
    parser.add_argument("--stream", action="store_true", help="refine by SynSP's 3D stream instead of offline")
    args = parser.parse_args()
    refine = streamed if args.stream else (lambda x: synsp.refine(x, layout="h36m17"))
    names = load_split(args.split)[:args.clips]
    if args.only:
        names = [n for n in names if any(part in n for part in args.only)]
    clips = {n: anat(c) for n, c in zip(names, load_clips(names, layout="h36m17"))}
    if args.preset:
        cases = make_cases(args.split, args.preset, layout="h36m17", space="3d", clips=clips)
        rows = [(len(c.clean), score(c.noisy, c.clean, layout="h36m17", space="3d")["MPJPE"],
                 score(synsp.refine(c.noisy, layout="h36m17"), c.clean, layout="h36m17", space="3d")["MPJPE"])
                for c in cases]
        w, before, after = np.array(rows).T
        print(f"{args.split} {args.preset}, {len(rows)} clips: input {np.average(before, weights=w):.2f} mm, "
              f"SynSP {np.average(after, weights=w):.2f} mm")
        return
    if args.white:
        rows = []
        for k, (name, x) in enumerate(clips.items()):
            noisy = (x + np.random.default_rng(k).normal(0.0, args.white, x.shape)).astype(np.float32)
            y = refine(noisy)
            rows.append((len(x), np.linalg.norm(noisy - x, axis=-1).mean(), np.linalg.norm(y - x, axis=-1).mean()))
            print(f"{name}: input {rows[-1][1]:.2f} mm, SynSP {rows[-1][2]:.2f}", flush=True)
        w, before, after = np.array(rows).T
        mean_in, mean_out = np.average(before, weights=w), np.average(after, weights=w)
        print(f"{args.split}, {len(rows)} clips, white {args.white:g} mm: input {mean_in:.2f} mm, SynSP {mean_out:.2f} "
              f"mm (x{mean_out / mean_in:.3f}), worse than input {np.sum(after > before)}")
        return
    rows = []
    for name, x in clips.items():
        y = refine(x)
        moved = np.linalg.norm(y - x, axis=-1).mean()
        relative = np.linalg.norm((y - y[:, :1]) - (x - x[:, :1]), axis=-1).mean()
        rows.append((len(x), moved, relative))
        print(f"{name}: moved {moved:.2f} mm, root-relative {relative:.2f}", flush=True)
    w, moved, relative = np.array(rows).T
    print(f"{args.split}, {len(rows)} clean clips: moved {np.average(moved, weights=w):.2f} mm (root-relative "
          f"{np.average(relative, weights=w):.2f}), over 2 mm {np.sum(moved > 2)}, over 3 mm {np.sum(moved > 3)}, "
          f"over 5 mm {np.sum(moved > 5)}, most {moved.max():.2f}")


if __name__ == "__main__":
    main()
