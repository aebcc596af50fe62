"""``synsp stream``'s joints that copy another: an export writing one joint twice (H36M-17 plus a copy of its pelvis,
"root" and "pelvis": 18 joints), read as offline reads them (:mod:`synsp.refining.copied_joints`).

Offline, the copies are found over the whole clip, the other joints refined as any input of their count, and each
copy given back as its refined original. A stream with no ``--layout`` refused every line of such a pose (18
keypoints, its layout 17): all skipped, nothing refined. :class:`StreamCopies` reads the copies from a person's pose
of more joints than the stream's layout has, with the offline test
(:func:`~synsp.refining.copied_joints.copied_joints`: within a millionth of the body's size of another joint, the
lowest index the original); where leaving them out leaves the layout's count, every such pose is refined without them
(:func:`~synsp.refining.copied_joints.without_copies`) and given back with each copy as its refined original
(:func:`~synsp.refining.copied_joints.with_copies`). A stream cannot wait for the whole clip: the copies are read from
the first pose that shows them, and every later pose is checked: a line whose copy is not its original's value gives
that copy back as it came (said once).
"""
from __future__ import annotations

import numpy as np

from synsp.refining.copied_joints import COPY_SHARE, Copies, copied_joints, with_copies, without_copies
from synsp.sequence import body_size

__all__ = ["StreamCopies"]


class StreamCopies:
    """The copied joints of a stream's poses (module docstring).

    Parameters
    ----------
    joints : the stream's layout's joint count (a pose of more joints is read for copies).
    coords : C, the coordinates of a keypoint (2 or 3; a confidence may follow them).
    """

    def __init__(self, joints: int, coords: int):
        self.joints, self.coords = int(joints), int(coords)
        self.found: Copies | None = None
        self.notes: list[str] = []  # said once each (PoseStream puts them among its own)
        self._differed = False

    def strip(self, kp: np.ndarray) -> np.ndarray:
        """A person's keypoints (J', D) without the copies found: (J, D) where J' is the copies' count more than the
        layout's (the copies read from this pose if none were yet); ``kp`` itself otherwise."""
        if len(kp) <= self.joints:
            return kp
        if self.found is None:
            copies = copied_joints(np.stack([kp[:, :self.coords]] * 2))  # one pose: its values, seen "twice"
            kept = [j for j in range(len(kp)) if j not in copies]
            if not copies or len(kept) != self.joints:
                return kp
            self.found = Copies(copies, kept, None, None)
            pairs = "; ".join(f"joint {copy} is a copy of joint {original}" for copy, original in copies.items())
            self.notes.append(f"copies: {pairs} (the same point); the other {self.joints} joints refined, and each "
                              "copy given back as its refined original (a line where a copy is not its original's "
                              "value gives it as it came)")
        if len(kp) != len(self.found.kept) + len(self.found.copies):
            return kp
        return without_copies(kp[None], self.found)[0]

    def back(self, points: np.ndarray, given: np.ndarray) -> np.ndarray:
        """Refined ``points`` (J, D) of a pose :meth:`strip` left copies out of, with each copy as its original's; a
        copy whose value in ``given`` (J', D, the pose as it came) is not its original's (beyond the test's
        tolerance), as it came. ``points`` itself when nothing was left out."""
        if self.found is None or len(points) == len(given):
            return points
        out = with_copies(points, self.found, axis=0)
        xy = np.asarray(given[:, :self.coords], np.float64)
        tolerance = COPY_SHARE * body_size(xy[None])
        for copy, original in self.found.copies.items():
            with np.errstate(invalid="ignore"):
                apart = bool(np.abs(xy[copy] - xy[original]).max() > tolerance)
            if apart:
                out[copy] = given[copy]
                if not self._differed:
                    self._differed = True
                    self.notes.append(f"copies: joint {copy} is not a copy of joint {original} in a line (another "
                                      "value): given back as it came where it is not")
        return out
