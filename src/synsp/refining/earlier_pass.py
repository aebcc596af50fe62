"""What the summary says of the values a file's own mask marks as filled: an earlier pass's fills, and an input that
reads as already refined (audit 22, finding 6: a second pass said "16 joint values filled ... 1 gap longer than 0.5 s
was invented", the first pass's fills, and nothing said the input was refined already)."""
from __future__ import annotations

import numpy as np

from synsp.formats import PoseData
from synsp.refining.summary import gap_lines

__all__ = ["REFINED_MASK_FORMATS", "fill_lines", "refined_before_line"]

# Formats whose mask of filled values is synsp's own key (npz "filled", CSV "<joint>_filled" columns, JSON
# "keypoint_filled", MediaPipe's "filled_image"), which `synsp refine` writes, always (all False when it filled
# nothing): a file carrying it reads as refined already. A C3D's mask is its own (points a mocap system modelled,
# residual 0: clean mocap's gap fills), a TRC's the reader's (face points it placed): no sign of an earlier pass.
REFINED_MASK_FORMATS = ("npz", "csv", "mmpose", "alphapose", "coco", "mediapipe", "stream", "openpose")


def refined_before_line(source: PoseData, again: int) -> str | None:
    """The line saying ``source`` (the file as read) reads as an earlier ``synsp refine``'s output, when it carries
    synsp's mask of filled values (:data:`REFINED_MASK_FORMATS`); ``again``: how many of the values that mask marks
    this run filled again. None when it does not read so."""
    if source.filled is None or source.format not in REFINED_MASK_FORMATS:
        return None
    refilled = (f"; the {again} joint values that pass filled (the file's mask) were filled again here, not counted "
                "above") if again else ""
    return ("already refined: the file carries the mask of filled values that synsp refine writes, so it reads as an "
            "earlier pass's output; this run refined it again (the mean displacement below says how much that moved "
            f"it){refilled}")


def fill_lines(filled: np.ndarray, source: PoseData, names: list[str], fps: float | None,
               frame_ids: list | None = None, limited: bool = False,
               taken: np.ndarray | None = None) -> tuple[int, list[str]]:
    """This run's count of the values (V, T, J) ``filled`` marks, and the summary's lines of them
    (:func:`~synsp.refining.summary.gap_lines`, with ``taken``). Those the file's own mask (``source.filled``,
    :class:`PoseData` as read: an earlier pass's output, its fills scored 0, so missing again) marks were filled by
    that pass: filled again, said in a line of their own, and counted neither as this run's fills nor among its
    gaps; a file carrying synsp's own mask is said to read as refined already (:func:`refined_before_line`)."""
    earlier = source.filled
    again = filled & np.asarray(earlier, bool) if np.shape(earlier) == filled.shape else np.zeros_like(filled)
    ours = filled & ~again
    line = refined_before_line(source, int(again.sum()))
    if line is None and again.any():  # a mask of another tool's (a C3D's modelled points)
        line = (f"{int(again.sum())} joint values were filled by an earlier pass (the file's mask of filled "
                "values): filled again here, not counted above")
    return int(ours.sum()), gap_lines(ours, names, fps, frame_ids, limited, taken=taken) + [line] * (line is not None)
