"""``synsp stream``'s loop (:mod:`synsp.integrations.stream`): lines from stdin into a :class:`PoseStream`, its
refined lines to stdout as they are ready; bad lines said on stderr and skipped."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from synsp.errors import InternalError, MissingDataError, SynspError
from synsp.integrations.stream_lines import LeftOut, parse_frame
from synsp.integrations.stream_repeats import RepeatedIds

if TYPE_CHECKING:
    from synsp.integrations.stream import PoseStream


def run_stream(stream: PoseStream, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
               stderr: TextIO = sys.stderr, strict: bool = False) -> None:
    """Read frames from ``stdin`` until it ends, write refined frames to ``stdout`` as they are
    ready (one line each, flushed). Bad lines: one line on ``stderr`` and skipped, or with
    ``strict`` a ``ValueError`` naming the line. A failure of synsp itself on a line stops the
    stream with an :class:`InternalError` naming it, not blaming the line. Lines that all were
    bad (none refined) end in a :class:`MissingDataError` counting them, for a non-zero exit."""
    def write(lines: list[dict]) -> None:
        for line in lines:
            stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
            stdout.flush()

    index = skipped = 0
    left_out, repeats = LeftOut(), RepeatedIds()  # malformed persons left out; an id given twice in a line
    unread = False  # a joint whose values were not numbers was said (once)
    for number, line in enumerate(iter(stdin.readline, ""), 1):
        if number == 1:  # a byte-order mark, as Windows tools (PowerShell, Notepad) write UTF-8, is no part of the JSON
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            frame = parse_frame(line, index, skip_people=not strict)
            slips = repeats.place(frame, number)  # a tracker's slip: matched to the ids free in the line
            lines = stream.push(frame, skip_people=not strict)
        except InternalError as err:  # ours (a SynspError too), not the line's
            raise _stopped(stream, write, f"line {number}", err) from err
        except SynspError as err:  # the line's fault (parse_frame, PoseStream.push)
            if strict:
                raise ValueError(f"line {number}: {err}") from None
            print(f"synsp stream: line {number}: {err}; skipped", file=stderr, flush=True)
            skipped += 1
            continue
        except Exception as err:  # ours, not the line's: the stream's state is unsure, so it stops
            raise _stopped(stream, write, f"line {number}", err) from err
        index += 1
        for note in left_out.notes(number, frame.refused) + slips:
            print(f"synsp stream: {note}", file=stderr, flush=True)
        if frame.bad and not unread:
            unread = True
            pid, joint, point = frame.bad[0]
            print(f"synsp stream: note: line {number}: person {pid!r} joint {joint} is not numbers "
                  f"({json.dumps(point)}): read as not detected, the frame kept (so are such joints on later lines, "
                  "without a note)", file=stderr, flush=True)
        while stream.notes:
            print(f"synsp stream: note: {stream.notes.pop(0)}", file=stderr, flush=True)
        write(lines)
    try:
        last = stream.close()
    except Exception as err:
        raise _stopped(stream, write, "at the end of the input", err) from err
    write(last)
    for said in filter(None, (left_out.summary(), repeats.summary())):
        print(f"synsp stream: {said}", file=stderr, flush=True)
    if skipped and not index:  # a wrong setting, most likely: the caller's exit code should say so
        raise MissingDataError(f"none of the {skipped} lines could be refined (each skipped above); nothing written")


def _stopped(stream: PoseStream, write: Callable[[list[dict]], None], where: str, err: Exception) -> InternalError:
    """A failure of synsp itself ``where``: the frames the stream held written first (:meth:`PoseStream.salvage`:
    unrefined where not refined yet), so that none the user gave is lost; the error to raise, naming it."""
    try:
        salvaged = stream.salvage()
    except Exception:  # the first failure is the one to report
        salvaged = []
    write(salvaged)
    return InternalError(f"{where}: internal error ({type(err).__name__}: {err}), not a fault of the input; the "
                         f"stream stopped, the {len(salvaged)} frames it held written (unrefined where not refined "
                         "yet); please report it (SYNSP_DEBUG=1 shows where)")
