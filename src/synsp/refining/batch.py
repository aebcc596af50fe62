"""``synsp refine 'poses/*.json' OUT --workers N``: refine a corpus, one process per core.

The inputs are a glob or a directory (every pose file in it, recursively); each is refined by
:func:`synsp.refining.files.refine_file` into the same relative path under the output directory;
an output directory inside the input folder is not read as inputs (a rerun refines no output again).
The batch is resumable: an output that already exists is skipped unless ``force`` (writes are
atomic, so an interrupted run leaves no half-written output behind). A file that fails is
reported on one line and the batch goes on; folders it made that stay empty are removed. A
folder of OpenPose ``*_keypoints.json`` frames or of YOLO's label ``.txt`` is one sequence, never a batch of files.
Without an output directory (Pose2Sim's ``pose-3d`` folder, one TRC per person) each TRC is written beside itself as
``<name>_filt_synsp.trc``, as one TRC given alone is; a ``*_filt_*.trc`` there (Pose2Sim's filtered output, ours) is no
input then (:func:`beside_inputs`).

The same per-file function, :func:`refine_one`, runs on a cluster: ``examples/dask_refine.py``.
"""
from __future__ import annotations

import glob
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from synsp.formats import FORMATS
from synsp.formats.csv import pose_header
from synsp.formats.detect import folder_format

# Extensions of every readable pose format (synsp.formats.FORMATS).
POSE_EXTENSIONS = tuple(sorted({ext for fmt in FORMATS.values() for ext in fmt.extensions}))


def is_batch(source: str | os.PathLike) -> bool:
    """Whether ``source`` names many inputs: a glob pattern, or a directory that is not one
    sequence of per-frame files (OpenPose's JSON, YOLO's labels)."""
    text = str(source)
    if glob.has_magic(text) and not Path(text).exists():
        return True
    return Path(text).is_dir() and folder_format(text) is None


def batch_inputs(source: str | os.PathLike, left_out: list[Path] | None = None,
                 out_dir: str | os.PathLike | None = None) -> tuple[list[Path], Path]:
    """The inputs of a batch and the root their outputs are named from.

    Parameters
    ----------
    source : a glob (``"clips/**/*.csv"``, recursive ``**`` allowed) or a directory, whose pose
        files (:data:`POSE_EXTENSIONS`, hidden ones skipped) are taken recursively; a folder of
        OpenPose frames inside it is one input.
    left_out : when given, a directory's other files (not hidden, of no pose format's extension, or a
        ``.txt`` with no pose table's header: a log, a note)
        are appended to it, for the report to name.
    out_dir : the batch's output directory: when it lies inside the input folder (``synsp refine
        DIR DIR/refined``), nothing in it is an input, so a rerun does not refine its own outputs.

    Returns
    -------
    (sorted inputs, root): each output is ``OUT / input.relative_to(root)``. ``ValueError``
    when nothing matches.
    """
    text = str(source)
    outputs = None if out_dir is None else Path(out_dir).resolve()
    if Path(text).is_dir():
        root = Path(text)
        inputs, texts = [], 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and Path(dirpath, d).resolve() != outputs)  # its outputs: never inputs
            keep = []
            for d in dirnames:
                if folder_format(Path(dirpath, d)):
                    inputs.append(Path(dirpath, d))
                else:
                    keep.append(d)
            dirnames[:] = keep
            files = [Path(dirpath, f) for f in sorted(filenames) if not f.startswith(".")]
            poses = [f for f in files if _pose_file(f)]
            inputs += poses
            texts += sum(f.suffix.lower() == ".txt" and f not in poses for f in files)
            if left_out is not None:
                left_out += [f for f in files if f not in poses]
    else:
        inputs = [Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file() or folder_format(p)]
        root = _common_root(inputs)
        if outputs is not None and outputs != root.resolve() and outputs.is_relative_to(root.resolve()):
            inputs = [p for p in inputs if not p.resolve().is_relative_to(outputs)]  # its outputs: never inputs
            root = _common_root(inputs)  # as the first run, before there were outputs, named them
    if not inputs and Path(text).is_dir() and texts:  # .txt is readable, but these were not: say why
        raise ValueError(f"{text}: no pose files found: its {texts} .txt file(s) are neither a pose table (a header "
                         "of <joint>_x, <joint>_y columns) nor YOLO-pose labels (lines cls cx cy w h x1 y1 v1 ...)")
    if not inputs:
        raise ValueError(f"{text}: no pose files found (readable extensions: {', '.join(POSE_EXTENSIONS)})")
    return sorted(inputs), root


def _pose_file(path: Path) -> bool:
    """Whether a folder's file is a pose file: of a pose format's extension, and a ``.txt`` only with a pose
    table's header (a folder's logs and notes, Pose2Sim's logs.txt, are no input that fails)."""
    name = path.name.lower()
    return name.endswith(POSE_EXTENSIONS) and (not name.endswith(".txt") or pose_header(path))


def _common_root(inputs: list[Path]) -> Path:
    """The deepest folder holding every input (``.`` for none)."""
    return Path(os.path.commonpath([p.parent for p in inputs])) if inputs else Path(".")


def output_path(input: Path, root: Path, out_dir: Path, out_format: str | None = None) -> Path:
    """``out_dir / input.relative_to(root)``, with ``out_format``'s first extension if given."""
    out = Path(out_dir) / Path(input).relative_to(root)
    if out_format:
        if out_format not in FORMATS:
            raise ValueError(f"unknown output format {out_format!r}; choose from {', '.join(FORMATS)}")
        out = out.with_suffix(FORMATS[out_format].extensions[0])
    return out


def refine_one(input: str | os.PathLike, output: str | os.PathLike, **options: Any) -> tuple[str, str | None]:
    """Refine one file (:func:`synsp.refining.files.refine_file` with ``options``), never raising:
    returns ``(input, None)`` on success, else ``(input, one-line error)``. Top level, so a
    process pool or a Dask worker can run it."""
    return refine_noted(input, output, **options)[:2]


def refine_noted(input: str | os.PathLike, output: str | os.PathLike | None,
                 **options: Any) -> tuple[str, str | None, list[str]]:
    """:func:`refine_one`, with the lines of the file's summary (what ``synsp refine`` prints for one file: the
    route taken, what was filled or cut) as a third item; [] when it failed. ``output`` None: beside the input, as
    ``synsp refine IN`` writes (a TRC's ``<name>_filt_synsp.trc``; any other file fails, asking for OUT)."""
    from synsp.refining.file_paths import default_output
    from synsp.refining.files import refine_file

    try:
        output = default_output(Path(input), options.get("in_format")) if output is None else output
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        summary = refine_file(input, output, **options)
    except Exception as err:  # noqa: BLE001 - one file's failure must not stop the batch
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return str(input), f"{type(err).__name__}: {first}", []
    return str(input), None, str(summary).splitlines()


def _one_thread() -> None:
    """Worker start-up: one torch thread per process, as the processes already fill the cores."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # filters need no torch
        pass


def _missing_folders(out_dir: Path, outputs: list[Path]) -> set[Path]:
    """The folders from ``out_dir`` down to each output's that do not exist yet (the batch makes them)."""
    missing = set()
    for dst in outputs:
        for folder in [dst.parent, *dst.parent.parents]:
            if folder.exists():
                break
            missing.add(folder)
            if folder == out_dir:
                break
    return missing


@dataclass
class BatchReport:
    """What :func:`refine_batch` did."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # outputs already there (resumed)
    failed: dict[str, str] = field(default_factory=dict)  # input -> one-line error
    left_out: list[str] = field(default_factory=list)  # files of the folder synsp reads no pose format from
    notes: dict[str, list[str]] = field(default_factory=dict)  # input -> its summary's lines (refine_noted)
    outputs: dict[str, str] = field(default_factory=dict)  # input -> the output it was written to (or skipped for)

    def recorder(self, log: Callable[[str], None] | None = None) -> Callable[..., None]:
        """A function taking :func:`refine_one`'s ``(input, error)``, or :func:`refine_noted`'s ``(input, error,
        notes)``, into this report (and ``log``)."""

        def record(name: str, error: str | None, notes: list[str] | None = None) -> None:
            if notes:
                self.notes[name] = notes
            if error is None:
                self.done.append(name)
            else:
                self.failed[name] = error
                if log:
                    log(f"failed: {name}: {error}")

        return record

    def __str__(self) -> str:
        lines = [f"failed: {name}: {error}" for name, error in self.failed.items()]
        lines.append(f"refined {len(self.done)} file(s), skipped {len(self.skipped)} already written, "
                     f"{len(self.failed)} failed" + self._left_out())
        return "\n".join(lines)

    def _left_out(self) -> str:
        """The files left out, by extension, a few named: ``; left out 2 file(s) ...``, or ''."""
        if not self.left_out:
            return ""
        by_ext: dict[str, list[str]] = {}
        for name in self.left_out:
            by_ext.setdefault(Path(name).suffix.lower() or "(none)", []).append(Path(name).name)
        shown = "; ".join(f"{ext}: {', '.join(names[:3])}{f' and {len(names) - 3} more' if len(names) > 3 else ''}"
                          for ext, names in by_ext.items())
        logs = ", or a .txt with no joint columns (a log, a note)" if ".txt" in by_ext else ""
        return (f"; left out {len(self.left_out)} file(s): no pose format's extension{logs} ({shown}; "
                f"readable: {', '.join(POSE_EXTENSIONS)})")


def beside_inputs(source: str | os.PathLike, inputs: list[Path],
                  in_format: str | None = None) -> list[tuple[Path, Path | None]]:
    """A batch with no output directory: each of ``inputs`` (of ``source``) with the output ``synsp refine IN`` gives
    it alone (a TRC's ``<name>_filt_synsp.trc`` beside it; None for a file that has none: it fails as alone, asking
    for OUT). A ``*_filt_*.trc`` is an output (Pose2Sim's filter's, ours), never an input: a rerun does not refine
    ``trial_filt_synsp.trc`` into ``trial_filt_synsp_filt_synsp.trc``. OptionError when no TRC is left."""
    from synsp.errors import OptionError
    from synsp.refining.file_paths import default_output

    pairs = []
    for path in inputs:
        if path.suffix.lower() == ".trc" and "_filt_" in path.stem:
            continue
        try:
            pairs.append((path, default_output(path, in_format)))
        except OptionError:
            pairs.append((path, None))
    if not any(dst is not None for _, dst in pairs):
        raise OptionError(f"{source}: give OUTDIR, the folder to write the refined files into (without it only TRC "
                          "files are refined, each into <name>_filt_synsp.trc beside it, and none is here"
                          + (" but *_filt_*.trc outputs)" if len(pairs) < len(inputs) else ")"))
    return pairs


def plan_batch(source: str | os.PathLike, out_dir: str | os.PathLike | None, *, force: bool = False,
               out_format: str | None = None, in_format: str | None = None
               ) -> tuple[list[tuple[Path, Path | None]], BatchReport]:
    """The (input, output) pairs still to refine, and a report listing those skipped because
    their output exists (all refined again if ``force``); ``out_dir`` None: each beside its input
    (:func:`beside_inputs`), output None for an input with no default output beside it."""
    left_out: list[Path] = []
    inputs, root = batch_inputs(source, left_out, out_dir)
    if out_dir is None:
        report, jobs = BatchReport(left_out=[str(p) for p in left_out]), []
        for path, dst in beside_inputs(source, inputs, in_format):
            report.outputs[str(path)] = None if dst is None else str(dst)
            if dst is not None and dst.exists() and not force:
                report.skipped.append(str(path))
            else:
                jobs.append((path, dst))
        return jobs, report
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} is a file; for many inputs the output must be a directory")
    if out_dir.exists() and out_dir.resolve() == root.resolve():
        raise ValueError(f"{out_dir}: the output directory is the input directory; choose another")
    report, jobs = BatchReport(left_out=[str(p) for p in left_out]), []
    for path in inputs:
        dst = output_path(path, root, out_dir, out_format)
        report.outputs[str(path)] = str(dst)
        if dst.exists() and not force:
            report.skipped.append(str(path))
        else:
            jobs.append((path, dst))
    return jobs, report


def refine_batch(source: str | os.PathLike, out_dir: str | os.PathLike | None, *, workers: int = 1, force: bool = False,
                 progress: bool = True, log: Callable[[str], None] | None = None,
                 summary: str | os.PathLike | None = None, **options: Any) -> BatchReport:
    """Refine every input of ``source`` (:func:`batch_inputs`) into ``out_dir``.

    Parameters
    ----------
    source : a glob or a directory.
    out_dir : output directory (made if missing); never the input directory. None: each TRC beside itself
        (:func:`beside_inputs`).
    workers : processes (one per core); 1 runs in this process.
    force : refine again inputs whose output exists (default: skip them, so a stopped batch resumes).
    progress : show a tqdm progress bar on stderr.
    log : called with each failure's line as it happens (default: nothing until the report).
    summary : a JSON Lines file written (atomically) at the end: one line per input, in order, with its output,
        its status (refined, failed, skipped) and its summary's lines (:func:`write_summary`).
    **options : for :func:`synsp.refining.files.refine_file` (method, checkpoint, out_format, ...).

    Returns
    -------
    A :class:`BatchReport`.
    """
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an int >= 1, got {workers!r}")
    jobs, report = plan_batch(source, out_dir, force=force, out_format=options.get("out_format"),
                              in_format=options.get("in_format"))
    options["force"] = force
    from tqdm import tqdm

    def write(line: str) -> None:  # failure lines above the progress bar, not through it
        with tqdm.external_write_mode(file=sys.stderr):
            log(line)

    record = report.recorder(write if log else None)
    made = set() if out_dir is None else _missing_folders(Path(out_dir), [dst for _, dst in jobs])

    bar = tqdm(total=len(jobs), unit="file", disable=not progress or not jobs, desc="synsp refine")
    if workers == 1 or len(jobs) <= 1:
        for src, dst in jobs:
            record(*refine_noted(src, dst, **options))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_one_thread) as pool:
            futures = [pool.submit(refine_noted, src, dst, **options) for src, dst in jobs]
            for future in as_completed(futures):
                record(*future.result())
                bar.update()
    bar.close()
    for folder in sorted(made, key=lambda p: len(p.parts), reverse=True):  # deepest first
        try:
            folder.rmdir()  # only if empty: every file meant for it failed; no empty OUT left behind
        except OSError:
            pass  # holds outputs
    report.done.sort()
    if summary is not None:
        write_summary(report, summary)
    return report


def refine_paths(input: str | os.PathLike, output: str | os.PathLike | None, *, workers: int = 1,
                 force: bool = False, summary: str | os.PathLike | None = None, **options: Any) -> int:
    """``synsp refine IN OUT``: a directory or glob ``input`` refined into the folder ``output`` (:func:`refine_batch`,
    failures on stderr as they happen, the totals printed, each file's summary to ``summary`` when given), or one
    file (:func:`synsp.refining.files.refine_file`, its summary printed; a bar on stderr while it runs, on a
    terminal: :mod:`synsp.refining.progress`); a batch with no ``output``: each TRC beside itself
    (:func:`beside_inputs`). Returns the exit code: 2 when a file of a batch failed, else 0."""
    from synsp.errors import OptionError
    from synsp.refining.files import refine_file
    from synsp.refining.progress import file_progress
    from synsp.refining.second_trial import check_not_a_second_trial

    if is_batch(input):  # a glob or a directory of files: OUTPUT is a directory, or none: TRCs beside themselves
        report = refine_batch(input, output, workers=workers, force=force, summary=summary,
                              log=lambda line: print(line, file=sys.stderr), **options)
        print(str(report).splitlines()[-1])  # the totals; each file's line went to stderr as it was done
        return 2 if report.failed else 0
    if summary is not None:
        raise OptionError(f"--summary {summary}: is for a directory or glob of inputs; one file's summary is printed")
    check_not_a_second_trial(Path(input), output)
    with file_progress(sys.stderr.isatty()):  # a bar on a terminal: a long file takes minutes
        print(refine_file(input, output, force=force, **options))
    return 0


def write_summary(report: BatchReport, path: str | os.PathLike) -> None:
    """``report`` as JSON Lines at ``path`` (written atomically): one object per input, in the inputs' order, with
    ``input``, ``output``, ``status`` (``refined``, ``failed`` or ``skipped``: its output was there already),
    ``error`` (the failure's line, or null), ``fallback`` (the summary's lines that say a route other than SynSP's
    own was taken: SmoothNet instead, or for part of the body or of the frames) and ``notes`` (every line of the
    summary ``synsp refine`` prints for one file), so a user of many files can find those that took a fallback."""
    from synsp.paths import atomic_path

    # the plan's order (batch_inputs': a folder's files by path), then any name a hand-made report lacks an output for
    names = [*report.outputs, *sorted({*report.done, *report.failed, *report.skipped} - report.outputs.keys())]
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        for name in names:
            notes = report.notes.get(name, [])
            status = "failed" if name in report.failed else "skipped" if name in report.skipped else "refined"
            out.write(json.dumps({"input": name, "output": report.outputs.get(name), "status": status,
                                  "error": report.failed.get(name), "fallback": fallback_lines(notes),
                                  "notes": notes}) + "\n")


def fallback_lines(notes: list[str]) -> list[str]:
    """The lines of a file's summary ``notes`` that say SynSP gave (part of) its output to its fallback, SmoothNet
    (joint definitions too far, seen from above, body parts never seen, a trunk bent over); the layout's own line
    (joints beyond the model's, refined by SmoothNet in any case) is not one."""
    return [line for line in notes if not line.startswith("layout:") and "by SmoothNet" in line]
