"""The ``synsp`` command: argument parsing only; the work is done by library functions.

Every failure the user can cause (bad file, bad shape, unknown name, an OS error such as a
full disk or a read-only folder, input nested too deeply) ends in one line on stderr,
``synsp: error: ...``, and exit code 2 (130 for Ctrl-C), and nothing is written.
``SYNSP_DEBUG=1`` re-raises instead, with the traceback, for developers.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from synsp import __version__
from synsp.errors import OptionError, OutputExistsError, SynspError, one_line
from synsp.filter_options import FILTER_FLAGS, add_filter_flags
from synsp.heap import map_large_blocks
from synsp.paths import exclusive_writes
from synsp.refining.arrays import METHODS
from synsp.sequence import MIN_SCORE
from synsp.skeleton import LAYOUTS

# --joints -> Refiner.keep_convention ("keep": the default, undo the symmetric part of the pull)
_KEEP = {"keep": "symmetric", "keep-all": True, "model": False}


def _cmd_refine(args: argparse.Namespace) -> int:
    from synsp.refining.batch import refine_paths

    options = dict(method=args.method, checkpoint=args.checkpoint, layout=args.layout, in_format=args.input_format,
                   out_format=args.format, threshold=args.threshold, device=args.device, space=args.space,
                   fps=args.fps, keep_convention=_KEEP[args.joints] if args.joints else None,
                   floor=not args.whole_correction, key=args.key, max_gap=args.max_gap, network_only=args.network_only,
                   stride=args.stride, lowpass_hz=args.lowpass, image_size=args.image_size, units=args.units,
                   filter_options={name: getattr(args, name) for name in FILTER_FLAGS})
    return refine_paths(args.input, args.output, workers=args.workers, force=args.force, summary=args.summary,
                        **options)


def _cmd_stream(args: argparse.Namespace) -> None:
    from synsp.integrations.stream import PoseStream, run_stream
    from synsp.model import NETWORKS

    if args.threads < 1:
        raise OptionError(f"--threads must be a positive number of torch threads, got {args.threads}")
    if args.method in NETWORKS:
        import torch

        # one frame is too little work to share: a second thread only adds waiting (and on a
        # busy machine, much more; benchmarks/stream_latency.py)
        torch.set_num_threads(args.threads)
    space = {"image": "2d", "world": "3d"}.get(args.space, args.space)  # refine's names for the same choice
    stream = PoseStream(args.method, checkpoint=args.checkpoint, layout=args.layout, space=space, fps=args.fps,
                        lag=args.lag, threshold=args.threshold, timeout=args.timeout, device=args.device,
                        lookahead=args.lookahead, image_size=args.image_size)
    run_stream(stream, strict=args.strict)


def _cmd_evaluate(args: argparse.Namespace) -> None:
    from synsp.evaluation.compare import run_evaluation

    split_only = {"--preset": args.preset, "--split": args.split, "--max-clips": args.max_clips, "--views": args.views,
                  "--multi-view": args.multi_view, "--convention": args.convention, "--source": args.source,
                  "--paper-filters": args.paper_filters or None}
    if args.input is not None or args.truth is not None:
        if args.input is None or args.truth is None:
            raise OptionError("give both --input NOISY and --truth CLEAN (the estimator's output and its ground truth)")
        given = [name for name, value in split_only.items() if value is not None]
        if given:
            raise OptionError(f"{', '.join(given)}: for the Bandai split, not for --input/--truth")
        from synsp.evaluation.files import evaluate_files

        options = ("layout", "space", "fps", "checkpoint", "key", "threshold", "units")  # as synsp refine's
        print(evaluate_files(args.input, args.truth, methods=args.methods, **{k: getattr(args, k) for k in options}))
        return
    own = {f"--{k}": getattr(args, k) for k in ("layout", "fps", "key", "units")}
    own["--threshold"] = args.threshold != MIN_SCORE
    given = [name for name, value in own.items() if value]
    if given or args.space in ("image", "world"):
        raise OptionError(f"{', '.join(given) or '--space ' + args.space}: for --input/--truth, not for the split")
    print(run_evaluation(methods=args.methods, presets=args.preset or ["typical"], split=args.split or "test",
                         space=args.space or "3d", max_clips=args.max_clips or 0, tune=not args.paper_filters,
                         views=1 if args.views is None else args.views, multi_view=args.multi_view or "cameras",
                         checkpoint=args.checkpoint, convention=args.convention or "mocap", source=args.source))


def _cmd_train(args: argparse.Namespace) -> None:
    from synsp.config import load_config
    from synsp.training.train import train

    if args.resume and args.force:
        raise OptionError("--resume continues the run in OUT_DIR, --force replaces it: give one of them")
    config = load_config(args.config)
    if args.out_dir:
        config.train.out_dir = args.out_dir
    train(config, resume=args.resume, force=args.force)  # says where its best checkpoint is


def _cmd_export(args: argparse.Namespace) -> None:
    from synsp.inference.checkpoint import export_model

    if args.output.exists() and not args.force:
        raise OutputExistsError(f"{args.output} exists; pass --force to replace it")
    with exclusive_writes(not args.force):
        meta = export_model(args.checkpoint, args.output, note=args.note)
    print(f"wrote {args.output} (epoch {meta.get('epoch')}, val MPJPE {meta.get('val_mpjpe', float('nan')):.2f})")


def _cmd_floor(args: argparse.Namespace) -> None:
    from synsp.inference.checkpoint import model_path
    from synsp.training.floor import calibrate_floor

    if args.output.exists() and not args.force:
        same = args.output.resolve() == model_path(args.model).resolve()
        kept = " (the model itself: its weights are kept, only the floor is added)" if same else ""
        raise OutputExistsError(f"{args.output} exists; pass --force to replace it{kept}")
    floor = calibrate_floor(args.model, args.output, clips=args.clips)
    print(f"wrote {args.output}: floor {floor.mean():.4f} body sizes on average, most {floor.max():.4f}")


def _cmd_demo(args: argparse.Namespace) -> None:
    from synsp.evaluation.demo import run_demo

    print(run_demo(clip=args.clip, preset=args.preset, out_dir=None if args.no_video else args.out_dir))


def _cmd_show(args: argparse.Namespace) -> None:
    from synsp.viz import files

    read = {"track": args.track, "space": args.space, "layout": args.layout, "truth": args.truth,
            "log": lambda line: print(f"synsp {args.command}: warning: {line}", file=sys.stderr)}
    # before the exists check: --force must not be the way to overwrite an input
    files.refuse_inputs(args.output, before=args.before, after=args.after, truth=args.truth,
                        video=getattr(args, "video", None))
    if args.output.exists() and not args.force:
        raise OutputExistsError(f"{args.output} exists; pass --force to replace it")
    with exclusive_writes(not args.force):
        if args.command == "plot":
            out = files.plot_files(args.before, args.after, args.output, joints=args.joints, **read)
        elif args.command == "animate":
            out = files.animate_files(args.before, args.after, args.output, video=args.video,
                                      max_frames=args.max_frames, frames=args.frames, **read)
        else:
            out = files.report_files(args.before, args.after, args.output, title=args.title, **read)
    print(f"wrote {out}")


def _add_show(sub, name: str, help: str, suffix: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help)
    p.add_argument("before", type=Path, help="pose file before refinement")
    p.add_argument("after", type=Path, help="the same sequence after refinement")
    p.add_argument("output", type=Path, help=f"where to write the {suffix}")
    p.add_argument("--truth", type=Path, help="ground-truth pose file (adds it to the drawing and metrics)")
    p.add_argument("--track", type=int, default=0, help="which track/person of the files (default 0)")
    p.add_argument("--layout", help="joint layout when the files do not say")
    p.add_argument("--space", choices=["image", "world", "2d", "3d"],
                   help="as synsp refine's: MediaPipe's 2D pixels (image) or 3D (world); (T, J, 3) arrays and CSV: "
                        "x, y, confidence (2d) or x, y, z (3d) when synsp cannot tell")
    p.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    p.set_defaults(run=_cmd_show)
    return p


class _Parser(argparse.ArgumentParser):
    """argparse with its errors in one line (no usage block): ``synsp refine: error: ... (see -h)``."""

    def error(self, message: str):
        extra = message.removeprefix("unrecognized arguments: ").split()
        if message.startswith("unrecognized arguments") and all(os.path.exists(path) for path in extra):
            message = (f"{', '.join(extra)}: more files than IN and OUT (an unquoted glob?); to refine several, "
                       "quote the glob and give a folder: synsp refine 'poses/*.trc' OUTDIR")
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} -h)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``synsp`` parser: a sub-command per task, each calling a library function (``args.run``); one-line errors."""
    parser = _Parser(prog="synsp", description="Refine jittery human-pose sequences (SynSP, CVPR 2024).")
    parser.add_argument("--version", action="version", version=f"synsp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refine", help="refine a pose file and write the result")
    p.add_argument("input", help="pose file: .npz/.npy (T, J, C) or (V, T, J, C), .csv, mmpose/COCO/AlphaPose .json, "
                                 "an OpenPose folder, a YOLO-pose labels folder or Ultralytics .json, DeepLabCut "
                                 ".csv/.h5, anipose .csv, .trc, .c3d, .bvh, SMPL .npz; or a directory or quoted glob "
                                 "('clips/*.csv') of them: each refined into OUTPUT, a directory")
    p.add_argument("output", type=Path, nargs="?",
                   help="where to write the refined poses (never the input file); optional for a .trc input, or a "
                        "folder or quoted glob of them (Pose2Sim's pose-3d): <name>_filt_synsp.trc beside each")
    p.add_argument("--workers", type=int, default=1,
                   help="for a directory or glob: processes refining files in parallel, one per core (default 1); "
                   "outputs already written are skipped unless --force")
    p.add_argument("--summary", type=Path, metavar="FILE.jsonl",
                   help="for a directory or glob: each file's summary, one JSON line per input (output, status, "
                        "error, the lines saying it took a fallback route, every line printed for one file)")
    p.add_argument("--method", help=f"one of {', '.join(METHODS)} (default: synsp; for files of joint rotations, "
                   "SynSP on rotations for SMPL files, SmoothNet on rotations then a 4 Hz Butterworth filter on the "
                   "rotation manifold for BVH)")
    p.add_argument("--checkpoint", help="a model file or shipped model name instead of the default model; "
                   "without --method, the checkpoint's network (synsp or smoothnet) is the method")
    p.add_argument("--layout", help=f"joint layout of the input ({', '.join(LAYOUTS)}); "
                   "guessed from the file or its joint count if omitted (17 joints: COCO's or H36M's order, "
                   "told from the poses); an unknown one is refined by SmoothNet")
    p.add_argument("--space", choices=["image", "world", "2d", "3d"],
                   help="MediaPipe files: 2D pixels (image) or 3D (world); (T, J, 3) arrays and CSV: x, y, confidence "
                        "(2d) or x, y, z (3d) when synsp cannot tell")
    p.add_argument("--key", help="which array of an .npz holds the poses (default: 'poses', a known name, or the "
                   "only one)")
    p.add_argument("--input-format", help="force the input format instead of guessing from the file")
    p.add_argument("--format", help="output format (default: the input's)")
    p.add_argument("--threshold", type=float, default=MIN_SCORE, help="joints with confidence below this are missing")
    p.add_argument("--fps", type=float, help="the input's frame rate if the file does not record it or records it "
                   "wrongly (overrides the file's, the output records it; 50/60 fps refined at 30 and interpolated)")
    p.add_argument("--max-gap", help="leave gaps longer than this missing (NaN) instead of inventing them: frames "
                   "(15) or seconds (0.5s, at the file's frame rate); default: fill every gap")
    p.add_argument("--device", help="cpu, cuda, cuda:1 (default: CUDA when available)")
    p.add_argument("--joints", choices=list(_KEEP),
                   help="SynSP and the input's joint definitions: keep them (default: undo the left/right "
                        "symmetric part of the model's constant pull), keep-all (undo all of it, also the "
                        "constant corrections of errors), or let the model move them to its own (mocap) definitions; "
                        "on SMPL rotations: model = the rotation network alone, keep-all = each joint's rest frame "
                        "kept, keep = the network's default (kept, unless it learnt to remove slow errors); "
                        "refused for a method it does nothing for")
    p.add_argument("--whole-correction", action="store_true",
                   help="SynSP: keep the network's whole correction, also where it is no larger than the model's "
                        "floor (how far it moves clean poses); default: keep it in proportion to how far it "
                        "stands above it (benchmarks/RESULTS.md section 9)")
    p.add_argument("--lowpass", type=float, metavar="HZ",
                   help="SynSP: the cut-off of its last low-pass, a zero-phase Butterworth (default 6 Hz, "
                        "Pose2Sim's; 0: none; higher keeps more of fast motion; benchmarks/RESULTS.md section 4)")
    p.add_argument("--network-only", action="store_true",
                   help="the bare network (synsp or smoothnet) as the paper runs it: no step around it (errors "
                        "undone, pace, axes, size, root smoothing, mirrored windows, joint definitions, bones, floor, "
                        "low-pass), its windows merged by SWAA's plain mean at stride 1; gaps are still filled")
    p.add_argument("--stride", type=int, help="frames between the network's windows (SynSP's default: 3 in "
                   "3D, 2 in 2D; 1 is the smoothest, 4 faster and less smooth; benchmarks/RESULTS.md section 15)")
    p.add_argument("--image-size", type=float, nargs=2, metavar=("W", "H"), help="the video's width and height in "
                   "pixels, when x, y are normalised by them (MediaPipe's image landmarks, 0 to 1): refined in pixels, "
                   "written back normalised")
    add_filter_flags(p)
    p.add_argument("--units", choices=["m", "cm", "mm", "in", "cmu"], help="the length unit of a 3D file that does "
                   "not state it (arrays, CSV, JSON, BVH): refined in mm, written back in it (default: told from the "
                   "body's size; cmu: CMU mocap's 1/0.45 inch)")
    p.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    p.set_defaults(run=_cmd_refine)

    p = sub.add_parser("stream", help="live: JSON lines of poses on stdin -> refined JSON lines on stdout",
                       description="One frame per line: {\"t\": 12, \"people\": [{\"id\": 0, \"keypoints\": "
                       "[[x, y(, z)(, confidence)], ...]}]} or a bare list of keypoints; each output line is the "
                       "refined frame, same form, with the input's t (see synsp.integrations.stream).")
    p.add_argument("--method", default="synsp", help="synsp (default), smoothnet or one-euro")
    p.add_argument("--checkpoint", help="a model file or shipped model name instead of the default model; "
                   "without --method, the checkpoint's network (synsp or smoothnet) is the method")
    p.add_argument("--layout", help="the keypoints' joint layout (e.g. coco17, h36m17, halpe26, body25; "
                                    "one without a shipped model streams through the space's default)")
    p.add_argument("--space", choices=["2d", "3d", "image", "world"],
                   help="2d (or image): [x, y(, conf)] pixels; 3d (or world): [x, y, z(, conf)]. Default: the "
                        "checkpoint's, else 2d, but for a --layout whose shipped model is 3D (h36m17) 3d unless the "
                        "first line's keypoints are [x, y] or [x, y, confidence] in pixels")
    p.add_argument("--fps", type=float, default=30.0, help="frame rate (default 30): one-euro's, a stall's carry")
    p.add_argument("--lag", type=int, help="frames of delay for the networks, 0 .. window-1 (default window-1: "
                   "the offline result; less is faster but smooths less)")
    p.add_argument("--lookahead", type=int, help="frames each frame also waits for the ones after it, to tell "
                   "glitches, held values, jumps, inversions and short gaps (networks; default 3, 0 .. 30)")
    p.add_argument("--threshold", type=float, default=MIN_SCORE,
                   help="keypoints with confidence below this are missing")
    p.add_argument("--timeout", type=int, default=30, help="frames a person may go unseen before being forgotten")
    p.add_argument("--device", help="cpu, cuda, cuda:1 (default: CUDA when available)")
    p.add_argument("--threads", type=int, default=1, help="torch threads for the networks (default 1: lowest latency)")
    p.add_argument("--strict", action="store_true", help="stop at the first bad line (exit 2) instead of skipping it")
    p.add_argument("--image-size", type=float, nargs=2, metavar=("W", "H"),
                   help="the video's width and height in pixels, when 2D x, y are normalised by them (MediaPipe's "
                        "landmarks, 0 to 1): refined in pixels, written back normalised")
    p.set_defaults(run=_cmd_stream)

    p = sub.add_parser("evaluate", help="markdown table: input vs methods on the test split, or on your own "
                       "data (--input NOISY --truth CLEAN)")
    p.add_argument("--methods", nargs="+",
                   default=["one-euro", "savgol", "gaussian", "butterworth", "smoothnet", "synsp"])
    p.add_argument("--input", help="your estimator's output: a pose file synsp refine reads, or a .npy/.npz array "
                   "(T, J, C) or (V, T, J, C); each method refines it as synsp refine does (needs --truth)")
    p.add_argument("--truth", help="its ground truth, same tracks, frames, joints and unit; NaN = not scored")
    p.add_argument("--layout", help="with --input: its joint layout, if synsp refine cannot tell")
    p.add_argument("--fps", type=float, help="with --input: its frame rate, if the file does not record it")
    p.add_argument("--key", help="with --input: the array of the .npz files that holds the poses")
    p.add_argument("--threshold", type=float, default=MIN_SCORE, help="with --input: a score below this is missing")
    p.add_argument("--units", choices=["m", "cm", "mm", "in", "cmu"], help="with --input: as synsp refine's --units")
    p.add_argument("--preset", nargs="+",
                   help="error presets: clean-ish, typical (default), hard, jitter, synthetic, none (clean input)")
    p.add_argument("--split", choices=["train", "val", "test"], help="the split scored (default test)")
    p.add_argument("--space", choices=["3d", "2d", "image", "world"],
                   help="3d (default) or 2d; with --input, as synsp refine's --space (when it cannot tell)")
    p.add_argument("--max-clips", type=int, help="only the first N clips (default: all)")
    p.add_argument("--paper-filters", action="store_true",
                   help="filters at the paper's settings instead of tuned on val")
    p.add_argument("--views", type=int, help="V > 1: several estimates of each moment, refined jointly (default 1)")
    p.add_argument("--multi-view", choices=["cameras", "random"],
                   help="cameras (default): V corrupted copies of the clip; random: other clips as extra persons")
    p.add_argument("--checkpoint", help="a checkpoint file or shipped name (SynSP or SmoothNet) instead of the "
                   "default model of its kind; that kind must be among --methods")
    p.add_argument("--convention",
                   help="mark the joints as another skeleton does (synsp.conventions.CONVENTIONS: smpl-pelvis, "
                        "cmu-neck, clavicle-shoulders, wide-shoulders, head-centre, mediapipe-like, body25); "
                        "preset 'none' scores how far each method moves the clean poses")
    p.add_argument("--source", type=int, choices=[1, 2],
                   help="score only the clips of Bandai dataset 1 (held-out content/style pairs: motion in a "
                        "style never trained on) or 2 (other takes of trained motions); errors as in the full split")
    p.set_defaults(run=_cmd_evaluate)

    p = sub.add_parser("train", help="train SynSP or SmoothNet from a TOML config")
    p.add_argument("--config", required=True, type=Path, help="TOML file (see configs/)")
    p.add_argument("--resume", action="store_true", help="continue from OUT_DIR/last.pt")
    p.add_argument("--force", action="store_true", help="start afresh in an OUT_DIR that holds a run (its best.pt, "
                   "last.pt and log.jsonl removed first); without it or --resume such a folder is refused")
    p.add_argument("--out-dir", help="override [train] out_dir")
    p.set_defaults(run=_cmd_train)

    p = sub.add_parser("export", help="keep only what inference needs of a training checkpoint (to ship it)")
    p.add_argument("checkpoint", type=Path, help="a checkpoint written by synsp train (e.g. runs/x/best.pt)")
    p.add_argument("output", type=Path, help="the model file to write")
    p.add_argument("--note", default="", help="free text stored in the model's meta (training command, licence)")
    p.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("floor", help="measure how far a model moves clean training clips (its floor) and store "
                       "it in the model, for the refiner's correction-above-floor step")
    p.add_argument("model", help="a model file or shipped name")
    p.add_argument("output", type=Path, help="the model file to write (the model's own file with --force)")
    p.add_argument("--clips", type=int, default=40, help="clean train-split clips to measure on (default 40)")
    p.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    p.set_defaults(run=_cmd_floor)

    p = _add_show(sub, "plot", "PNG: chosen joints' trajectories and acceleration, before vs after", "PNG")
    p.add_argument("--joints", nargs="+", help="joint names or indices (default: wrists and ankles)")
    p = _add_show(sub, "animate", "GIF/MP4 of the skeleton before and after, side by side (a PNG still with --video)",
                  ".gif, .mp4 or .png")
    p.add_argument("--video", type=Path, help="draw 2D skeletons over this video's frames")
    p.add_argument("--max-frames", type=int, help="only the first N frames")
    p.add_argument("--frames", type=int, nargs="+", help="PNG still: which frames to show (default: four spread out)")
    p = _add_show(sub, "report", "one self-contained HTML page: player, metrics, plots", ".html page")
    p.add_argument("--title", default="synsp report")

    p = sub.add_parser("demo", help="the main job: mocap with simulated errors, scored; MediaPipe on a real video")
    p.add_argument("--clip", help="clip name (default: the first test clip)")
    p.add_argument("--preset", default="typical")
    p.add_argument("--out-dir", default="out", help="where the MediaPipe part writes its files (default: out)")
    p.add_argument("--no-video", action="store_true", help="skip the MediaPipe part (mocap table only)")
    p.set_defaults(run=_cmd_demo)
    return parser


class _Terminated(BaseException):
    """SIGTERM as an exception, so that writes in progress clean up their temporary files."""


def _terminate(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``synsp`` and ``python -m synsp``; returns the exit code.

    Every user-caused failure is one line on stderr and exit code 2 (130 when interrupted);
    ``SYNSP_DEBUG=1`` in the environment re-raises it with its traceback instead.
    """
    args = build_parser().parse_args(argv)
    map_large_blocks()  # long files: the network's freed activations go back at once (synsp.heap)
    debug = os.environ.get("SYNSP_DEBUG", "") not in ("", "0")
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, *rest, **kw: print(  # one line, without Python's source line
                f"synsp {args.command}: warning: {message}", file=sys.stderr)
            code = args.run(args)
    except _Terminated:
        print(f"synsp {args.command}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"synsp {args.command}: interrupted", file=sys.stderr)
        return 130
    except (SynspError, ValueError, OSError, RecursionError, MemoryError, UnicodeError) as err:
        if debug:
            raise
        if isinstance(err, BrokenPipeError) and err.filename is None:
            # stdout's reader left (`synsp refine ... | head`): stop as a shell does, without blaming
            # the output file, and keep Python's exit-time flush from printing a traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 128 + signal.SIGPIPE
        print(f"synsp {args.command}: error: {one_line(err, getattr(args, 'output', None))}", file=sys.stderr)
        return 2
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    return code or 0
