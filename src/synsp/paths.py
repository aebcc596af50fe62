"""Where synsp finds shared data, keeps its caches and writes files (atomically).

The project never downloads data: the real mocap and estimator outputs live in a
read-only ``shared/data`` folder beside the project (``../shared/data`` from the
project root), or wherever ``SYNSP_DATA`` points.
"""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from synsp.errors import OutputError, OutputExistsError

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """Return the folder holding ``bandai-namco/`` and ``mediapipe-sports2d/``.

    Order: ``$SYNSP_DATA``; then ``../shared/data`` from the working directory and from
    every parent of the installed package (covers editable installs and clones).
    Raises ``FileNotFoundError`` naming the places looked at.
    """
    env = os.environ.get("SYNSP_DATA")
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            return path
        raise FileNotFoundError(f"SYNSP_DATA={env} is not a folder")
    candidates = [Path.cwd() / ".." / "shared" / "data"]
    candidates += [parent / ".." / "shared" / "data" for parent in _PACKAGE_DIR.parents]
    for candidate in candidates:
        if (candidate / "bandai-namco").is_dir():
            return candidate.resolve()
    raise FileNotFoundError(
        "shared data not found: set SYNSP_DATA or place it at ../shared/data "
        f"(looked in {', '.join(str(c.resolve()) for c in candidates[:3])}, ...)"
    )


def cache_dir() -> Path:
    """Return (and create) the cache folder: ``$SYNSP_CACHE`` or ``~/.cache/synsp``."""
    path = Path(os.environ.get("SYNSP_CACHE", Path.home() / ".cache" / "synsp")).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource(name: str) -> Path:
    """Path of a file shipped inside the package (split lists, default models)."""
    return _PACKAGE_DIR / "resources" / name


# Without --force an output is created exclusively: writers deep inside a format module need not
# know, they all go through atomic_path, which reads this flag (a ContextVar: per thread/task).
_EXCLUSIVE: ContextVar[bool] = ContextVar("synsp_exclusive_writes", default=False)
_TMP_TAG = ".synsp-tmp-"  # temporary files are .<target name>.synsp-tmp-<pid>-<random><suffix>


@contextmanager
def exclusive_writes(enabled: bool = True) -> Iterator[None]:
    """Inside this block :func:`atomic_path` never replaces an existing file: the target is
    created exclusively (a hard link, else ``O_EXCL``), so of two runs writing the same file
    without ``--force`` the second fails with :class:`~synsp.errors.OutputExistsError` and the
    first one's file is kept."""
    token = _EXCLUSIVE.set(enabled)
    try:
        yield
    finally:
        _EXCLUSIVE.reset(token)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a platform that cannot tell: leave its file alone
    return True


def remove_stale_temporaries(folder: str | os.PathLike) -> list[Path]:
    """Delete the temporary files that killed synsp runs left in ``folder`` (their process is
    gone); returns them. Files of running processes and every other file are left alone.
    Process ids are this machine's: a folder shared with other machines or containers that write
    into it at the same moment is not a supported place for outputs."""
    removed = []
    for path in Path(folder).glob(f".*{_TMP_TAG}*"):
        pid = path.name.split(_TMP_TAG, 1)[1].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                path.unlink()
                removed.append(path)
            except OSError:  # removed by another run meanwhile, or not ours to remove
                pass
    return removed


def refuse_special_file(target: str | os.PathLike, folder_ok: bool = True) -> None:
    """Raise ``OutputError`` if ``target`` exists and is a device, a pipe or a socket (or a folder, unless
    ``folder_ok``): an atomic write renames a new regular file over its name, which would replace ``/dev/null``
    itself, not write into it."""
    try:
        mode = os.stat(target).st_mode
    except OSError:  # absent (or unreadable: the write itself will say why)
        return
    if stat.S_ISDIR(mode) and not folder_ok:
        raise OutputError(f"{target} is a directory; give a file name")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputError(f"{target} is not a regular file (a device, a pipe or a socket); give a file name")


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it to ``target``.

    The temporary file is ``.<name>.synsp-tmp-<pid>-<random><suffix>``: it keeps the target's
    suffix so writers that choose a format by extension (``np.savez``, ``torch.save``, PIL)
    still work, and names its process, so a later write to the folder removes it if that
    process was killed (:func:`remove_stale_temporaries`). On error it is removed and the
    target is left untouched. Inside :func:`exclusive_writes` an existing target is never
    replaced (``OutputExistsError``, raised at the final step, which is atomic: no check-then-write race).
    """
    target = Path(target)
    refuse_special_file(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{_TMP_TAG}{os.getpid()}-", suffix=target.suffix,
                                   dir=target.parent)
    except OSError as err:  # a read-only folder: name the output asked for, not our temporary file
        raise _naming(err, target, None) from None
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _new_file_mode())  # mkstemp makes 0600; a written file gets the usual mode
    try:
        yield tmp_path
        if _EXCLUSIVE.get():
            _link_exclusive(tmp_path, target)
        else:
            os.replace(tmp_path, target)
    except OSError as err:  # a full disk while writing the temporary file: the same
        named = _naming(err, target, tmp_path)
        if named is err:
            raise
        raise named from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def atomic_folder(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a new empty folder beside ``target`` (a folder of per-frame files: OpenPose's JSON, YOLO's labels); on
    success it takes ``target``'s name, the folder it replaces (the caller checked it may) removed. On error or an
    interrupt, ``target`` is left as it was and the temporary folder removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; the folder gets the usual mode
    old = None
    try:
        yield tmp
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
    finally:
        if old is not None:  # the folder it replaces: back in place where the new one is not (a Ctrl-C between)
            if not target.exists() and (old / target.name).exists():
                os.replace(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        if tmp.exists():
            shutil.rmtree(tmp)


def _naming(err: OSError, target: Path, tmp: Path | None) -> OSError:
    """``err`` naming ``target`` instead of the temporary file (``tmp``; None: any file under our
    temporary prefix), which the user never asked for; any other error as it is."""
    name = None if err.filename is None else Path(err.filename)
    ours = name is not None and (name == tmp if tmp is not None else _TMP_TAG in name.name)
    if not ours or err.errno is None:
        return err
    return type(err)(err.errno, err.strerror, str(target))


def _link_exclusive(tmp: Path, target: Path) -> None:
    """Give ``tmp``'s content the name ``target`` only if no such file exists, atomically."""
    try:
        os.link(tmp, target)  # fails if target exists, whoever created it and when
    except FileExistsError:
        raise _exists(target) from None
    except OSError:  # no hard links here (some network or FAT file systems): reserve the name
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _new_file_mode()))
        except FileExistsError:
            raise _exists(target) from None
        os.replace(tmp, target)  # over our own empty reservation


def _exists(target: Path) -> OutputExistsError:
    return OutputExistsError(f"{target} exists (written meanwhile by another run?); pass --force to replace it")


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
