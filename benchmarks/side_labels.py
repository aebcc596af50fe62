"""A turn labelled by image side (synsp.estimator_errors.side_labels): offline and a stream, and the step's guard.

turn: each COCO-17 validation clip of 100 frames or more (of the first --max-clips), its 3D body turned about the
vertical through its hips by 180 degrees over --turn frames from 0.2 T, held, turned back over --turn frames from
0.65 T; seen face-on, projected, scaled to the 2D case's size, + the 2D case's error (--preset). Labels: `side`, an
estimator that labels by image side (every left/right pair exchanged where the back faces the camera; scored against
the input's labelling, what a 2D refiner can give), `legs` (the hips', knees' and ankles' pairs only: an error,
scored against the true labels), `true` (the control). Per clip: MPJPE (px) of the input, SynSP offline and
`StreamingRefiner` (what `synsp stream` runs), and the frames more than 10 px off (mean over the joints).

guard: the validation clips in 2D (COCO-17) under each preset (and `flipped`: clean, every left/right label
exchanged for 1 s from T / 3, as benchmarks/stream_measurements.py's last input): the clips where the step leaves a
run out or a glitch in, read offline (the clip's measurements) and in a stream (RunningMeasurements, frame by frame).

    .venv/bin/python benchmarks/side_labels.py turn [--labels side legs true] [--turn 20] [--preset jitter]
    .venv/bin/python benchmarks/side_labels.py guard [--presets clean-ish typical jitter hard flipped] [--max-clips 0]
"""
from __future__ import annotations

import argparse

import numpy as np

from robustness import _exchanged_second
from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.refining.arrays import refine

PAIRS = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)]  # COCO-17's left/right pairs
SHOULDERS, HIPS = [5, 6], [11, 12]
FLIPPED = "flipped"  # the guard's input: clean clips with every left/right label exchanged for 1 s (robustness.py)


def _order(pairs: list[tuple[int, int]]) -> np.ndarray:
    order = np.arange(17)
    for a, b in pairs:
        order[a], order[b] = b, a
    return order


def _height(poses: np.ndarray) -> float:
    return float(np.nanmedian(np.linalg.norm(poses.max(1) - poses.min(1), axis=-1)))


def turned(clean3d: np.ndarray, noisy2d: np.ndarray, clean2d: np.ndarray, labels: str, turn: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input, truth with its true labels, truth as the input labels it), each (T, 17, 2) px (module docstring)."""
    t_count = len(clean3d)
    t = np.arange(t_count)
    t1, t2 = int(0.2 * t_count), int(0.65 * t_count)
    ramp = lambda s: 0.5 * (1 - np.cos(np.pi * np.clip(s, 0, 1)))  # noqa: E731
    angle = np.pi * (ramp((t - t1) / turn) - ramp((t - t2) / turn))
    up, root = np.array([0.0, 1.0, 0.0]), clean3d[:, HIPS].mean(1)
    side = np.nanmean(clean3d[:, SHOULDERS[1]] - clean3d[:, SHOULDERS[0]], 0)
    side[1] = 0
    side /= np.linalg.norm(side)
    front = np.cross(up, side)
    rel = clean3d - root[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    across, ahead, height = rel @ side, rel @ front, rel @ up
    across, ahead = cos * across - sin * ahead, sin * across + cos * ahead
    body = root[:, None] + across[..., None] * side + ahead[..., None] * front + height[..., None] * up
    picture = np.stack([body @ side, -(body @ up)], -1) * (_height(clean2d) / _height(clean3d))
    truth = picture - np.nanmean(picture, (0, 1)) + np.nanmean(clean2d, (0, 1))
    back, labelled = np.abs(angle) > np.pi / 2, truth.copy()
    if labels != "true":
        labelled[back] = truth[back][:, _order(PAIRS if labels == "side" else PAIRS[5:])]
    return labelled + (noisy2d - clean2d), truth, labelled


def turn(args: argparse.Namespace) -> None:
    """Print the turn's table per labelling (module docstring)."""
    model = load_model("synsp-coco17")
    bodies = make_cases("val", args.preset, layout="coco17", space="3d", max_clips=args.max_clips)
    pictures = make_cases("val", args.preset, layout="coco17", space="2d", max_clips=args.max_clips)
    for labels in args.labels:
        rows = []
        print(f"\nlabels {labels}, turn over {args.turn} frames, {args.preset}; scored "
              + ("against the true labels" if labels == "legs" else "as labelled")
              + "; px: input, offline, stream | frames > 10 px off: input, offline, stream")
        for body, picture in zip(bodies, pictures):
            if len(body.clean) < 100:
                continue
            x, truth, labelled = turned(*(np.asarray(a, np.float64) for a in (body.clean, picture.noisy,
                                                                               picture.clean)), labels, args.turn)
            goal = truth if labels == "legs" else labelled
            outs = [x, refine(x, "synsp", fps=30, layout="coco17"), StreamingRefiner(model).refine_all(x)]
            errors = [np.linalg.norm(y - goal, axis=-1).mean(1) for y in outs]  # (T,) each
            rows.append([e.mean() for e in errors] + [(e > 10).sum() for e in errors])
            print(f"  {body.name:38s} " + " ".join(f"{v:7.3f}" for v in rows[-1][:3]) + " | "
                  + " ".join(f"{v:3d}" for v in rows[-1][3:]), flush=True)
        r = np.array(rows, float)
        m = r.mean(0)
        print(f"  mean ({len(r)} clips) px {m[0]:.3f} {m[1]:.3f} {m[2]:.3f} (x input: offline {m[1] / m[0]:.3f}, "
              f"stream {m[2] / m[0]:.3f}); worse than the input: offline {(r[:, 1] > r[:, 0]).sum()}, stream "
              f"{(r[:, 2] > r[:, 0]).sum()}; frames > 10 px off per clip {m[3]:.1f} {m[4]:.1f} {m[5]:.1f}")


def guard(args: argparse.Namespace) -> None:
    """Print, per input, the clips where the steps change a mark, offline and in a stream (module docstring)."""
    import synsp.estimator_errors.measurements as measuring
    import synsp.estimator_errors.side_labels as side_labels
    from synsp.estimator_errors.measurements import measurements
    from synsp.inference.stream_measurements import RunningMeasurements
    from synsp.skeleton import get_layout

    layout, fired = get_layout("coco17"), [0]

    def counting(step):  # the step, each call that changed its marks counted
        def counted(marks: np.ndarray, poses: np.ndarray, lay) -> np.ndarray:
            out = step(marks, poses, lay)
            fired[0] += int(out is not marks)
            return out
        return counted

    for name in ("without_side_turns", "beside_side_turns"):
        setattr(measuring, name, counting(getattr(side_labels, name)))
    for preset in args.presets:
        cases = make_cases("val", "none" if preset == FLIPPED else preset, layout="coco17", space="2d",
                           max_clips=args.max_clips)
        offline, streamed = [], []
        for case in cases:
            x = np.asarray(case.noisy, np.float64)
            if preset == FLIPPED:  # clean, as benchmarks/stream_measurements.py's last kind
                x = _exchanged_second(np.asarray(case.clean, np.float64), None, "coco17", 0.0)
            fired[0] = 0
            measurements(x, layout)
            offline.append(fired[0])
            fired[0] = 0
            running = RunningMeasurements(layout)
            for frame in x:
                running.push(frame[None])
            running.flush()
            streamed.append(fired[0])
        names = [c.name for c, o, s in zip(cases, offline, streamed) if o or s]
        print(f"{preset}: {len(cases)} clips; the steps changed a mark offline on {np.count_nonzero(offline)}"
              f", in a stream on {np.count_nonzero(streamed)} (windows {sum(streamed)}) {names}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["turn", "guard"])
    parser.add_argument("--labels", nargs="+", default=["side", "legs", "true"], choices=["side", "legs", "true"])
    parser.add_argument("--turn", type=int, default=20, help="frames each half turn takes")
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--presets", nargs="+", default=["clean-ish", "typical", "jitter", "hard", FLIPPED],
                        help=f"the guard's inputs: presets, and {FLIPPED!r}: clean, every label exchanged for 1 s")
    parser.add_argument("--max-clips", type=int, help="the first N validation clips (0 = all; turn 12, guard all)")
    args = parser.parse_args()
    args.max_clips = (12 if args.what == "turn" else 0) if args.max_clips is None else args.max_clips
    turn(args) if args.what == "turn" else guard(args)


if __name__ == "__main__":
    main()
