"""Where ``synsp refine IN OUT`` reads and writes: the two paths checked before any work, and OUT's default.

:func:`file_paths` reads IN and OUT as paths (OUT beside a TRC when not given, :func:`default_output`);
:func:`check_paths` refuses, before the file is read, an IN that does not exist, an OUT that is IN, a special
file (``--force`` must not replace ``/dev/null``) and an OUT that exists without ``--force``. They are two calls so
that :func:`synsp.refining.files.refine_file` checks the options between them, in the order its errors are said.
"""
from __future__ import annotations

import os
from pathlib import Path

from synsp.errors import InputNotFoundError, OptionError, OutputError, OutputExistsError
from synsp.formats import detect_format
from synsp.paths import refuse_special_file

__all__ = ["file_paths", "check_paths", "default_output"]


def file_paths(input: str | os.PathLike, output: str | os.PathLike | None,
               in_format: str | None = None) -> tuple[Path, Path]:
    """(IN, OUT) as paths: ``output`` None is :func:`default_output` of ``input`` (read as ``in_format``, None:
    guessed). OptionError for anything that is not a path, or no OUT for a file that has no default."""
    if not isinstance(input, (str, os.PathLike)) or not isinstance(output, (str, os.PathLike, type(None))):
        raise OptionError(f"input and output must be file paths, got {input!r} and {output!r}")
    src = Path(input)
    return src, default_output(src, in_format) if output is None else Path(output)


def check_paths(src: Path, dst: Path, force: bool) -> None:
    """Refuse, before the work, ``src`` that does not exist, ``dst`` that is a special file (a folder is only for a
    folder in: OpenPose's JSON folders), is ``src`` itself, or exists and ``force`` is False; one-line errors."""
    if not src.exists():
        raise InputNotFoundError(f"{src}: no such file")
    # before the work: --force must not replace /dev/null with a file; a folder in, a folder out (OpenPose)
    refuse_special_file(dst, folder_ok=src.is_dir())
    if dst.exists() and (dst.resolve() == src.resolve() or os.path.samefile(dst, src)):
        raise OutputError(f"{dst}: output is the input file; refusing to overwrite it")
    if dst.exists() and not force:
        raise OutputExistsError(f"{dst} exists; pass --force to replace it")


def default_output(src: Path, in_format: str | None = None) -> Path:
    """Where ``synsp refine IN`` writes without OUT: a TRC's ``<name>_filt_synsp.trc`` beside it
    (Pose2Sim's filtering step names its output ``<name>_filt_<filter>.trc`` and its later steps
    pick up ``*_filt_*.trc``). Other formats need OUT (ValueError)."""
    if not src.exists():  # said as check_paths says it with OUT given, not as a missing OUT
        raise InputNotFoundError(f"{src}: no such file")
    fmt = in_format or (detect_format(src) if src.is_file() and src.suffix.lower() != ".mot" else None)
    if fmt != "trc":
        raise OptionError(f"{src}: give OUT, where to write the refined poses (only a .trc input has a default: "
                         "<name>_filt_synsp.trc beside it, for Pose2Sim)")
    return src.with_name(f"{src.stem}_filt_synsp.trc")
