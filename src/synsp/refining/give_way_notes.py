"""The summary's notes on where SynSP gave way, wholly or in part, and to what: SmoothNet for joints never
seen, a 2D body seen from high above or a 3D trunk bent over the legs; a low-pass for input whose errors are
only light noise, or joints of a motion the network never saw (to a low-pass); a limb's fast frames given back."""
from __future__ import annotations

import numpy as np

from synsp.inference.fast_limbs import fast_note
from synsp.inference.foreshortening import BEYOND
from synsp.inference.leaned_trunk import BEYOND_BENT, BEYOND_BENT_2D
from synsp.inference.unseen_motion import moved_note
from synsp.refining.tracks import RefinedTracks
from synsp.sequence import UNSEEN_SHARE

__all__ = ["unseen_notes", "from_above_notes", "leaned_notes", "light_noise_notes", "give_way_notes"]


def _in_tracks(listed: list[int], tracks: int) -> str:
    """" in track 2" / " in tracks 1, 3" for the 0-based tracks ``listed`` of a file of ``tracks``; "" for one."""
    return "" if tracks == 1 else f" in track{'s' * (len(listed) > 1)} {', '.join(str(v + 1) for v in listed)}"


def unseen_notes(unseen: list[tuple[int, float, float]], tracks: int) -> list[str]:
    """What the summary says of the tracks SynSP gave way to SmoothNet in (:attr:`synsp.refining.tracks.
    RefinedTracks.unseen`: (track, share of the model's joints never seen, its part the input's layout lacks)),
    of ``tracks`` in the file: a body part out of the picture, or joints the file's markers do not include."""
    if not unseen:
        return []
    shares = ", ".join(f"{share:.0%}" for _, share, _ in unseen)
    which = _in_tracks([v for v, *_ in unseen], tracks)
    why = ("a waist-up view, the legs out of the picture?" if any(s - lacked > UNSEEN_SHARE for _, s, lacked in unseen)
           else "joints the file's marker set does not include, as Pose2Sim's 22 HALPE_26 markers have no eyes or ears")
    return [f"unseen: {shares} of the model's joints never seen{which} (more than {UNSEEN_SHARE:.0%}: {why}); "
            "SynSP's body model would refine a body partly made up by the gap fill, so refined by SmoothNet, which "
            "refines each joint on its own"]


def from_above_notes(above: list[tuple[int, float, float]], tracks: int) -> list[str]:
    """What the summary says of the 2D tracks seen from high above (:attr:`synsp.refining.tracks.RefinedTracks.
    above`: (track, trunk length over shoulder width, SmoothNet's share: 1 wholly its output, else the threshold's
    place on the ramp, :func:`synsp.inference.foreshortening.fallback_share`)), of ``tracks`` in the file."""
    if not above:
        return []
    ratios = ", ".join(f"{ratio:.2f}" for _, ratio, _ in above)
    which = _in_tracks([v for v, *_ in above], tracks)
    beyond = "" if all(share == 1 for *_, share in above) else (
        ", but for SynSP's corrections beyond " + ", ".join(f"{share * BEYOND:.1%}" for *_, share in above)
        + " of the body's size (gross errors it repairs)")
    return [f"seen from above: the trunk is {ratios} x the shoulder width{which} (1.5 or more from a camera level with "
            "the body: a camera high above the person?); SynSP's body model learnt cameras at most 30 degrees above "
            f"the body, so refined by SmoothNet, which refines each joint on its own{beyond}"]


def leaned_notes(leaned: list[tuple[int, float, float]], tracks: int) -> list[str]:
    """What the summary says of the 3D tracks whose trunk is bent over the legs throughout or hips bent in some frames
    (:attr:`synsp.refining.tracks.RefinedTracks.leaned`: (track, median trunk-to-legs angle in degrees, SmoothNet's
    mean share over the frames, :attr:`synsp.inference.refiner.Refiner.flexed`)), of ``tracks`` in the file."""
    if not leaned:
        return []
    shares = ", ".join(f"{s:.0%}" for *_, s in leaned)
    tracks_note = _in_tracks([v for v, *_ in leaned], tracks)
    if all(np.isnan(bend) for _, bend, _ in leaned):  # 2D: read frame by frame only (leaned_trunk.bent_frame_shares)
        return [f"trunk bent over the legs in some frames{tracks_note} (toe touches, picking things up?); SynSP's "
                "2D body model learnt standing and walking bodies and would pull the trunk and arms towards them, so "
                f"refined there by SmoothNet but for SynSP's corrections beyond {BEYOND_BENT_2D:.1%} of the body's "
                f"size x SmoothNet's share ({shares} on average over the frames; larger errors it repairs)"]
    bends = ", ".join(f"{bend:.0f}" for _, bend, _ in leaned)
    return [f"trunk bent over the legs: {bends} degrees through the clip{tracks_note}, "
            "or hips bent in some frames (cycling, walking stooped, squatting, crawling?); SynSP's body model learnt "
            "standing and walking bodies and would pull the trunk and arms towards them, so refined by SmoothNet but "
            f"for SynSP's corrections beyond {BEYOND_BENT:.1%} of the body's size x SmoothNet's share ({shares} on "
            "average over the frames; larger errors it repairs)"]


def light_noise_notes(light: list[tuple[int, float, float]], tracks: int) -> list[str]:
    """What the summary says of the tracks whose errors read as light noise only (:attr:`synsp.refining.tracks.
    RefinedTracks.light`: (track, the step's share, joints moved to their low-pass; the means over its spans,
    :mod:`synsp.inference.noise_only`)), of ``tracks`` in the file."""
    if not light:
        return []
    moved, shares = ", ".join(f"{k:.0f}" for *_, k in light), ", ".join(f"{s:.0%}" for _, s, _ in light)
    return [f"light noise only: the input's noise reads white or its limbs keep their length"
            f"{_in_tracks([v for v, *_ in light], tracks)} (markers, a tracker, mocap with noise added?), where "
            f"SynSP keeps a pull of its own; {moved} joints taken {shares} of the way to a low-pass that Stein's "
            "unbiased risk estimate, read from the input, puts nearer"]


def give_way_notes(tracks: RefinedTracks, n: int) -> list[str]:
    """The notes of the tracks (of ``n``) SynSP gave way in, wholly or in part: joints never seen, a 2D body seen
    from above, a 3D trunk bent over the legs (to SmoothNet), light noise only or joints of a motion the network
    never saw (to a low-pass), a limb's fast frames given back (to a light low-pass)."""
    return (unseen_notes(tracks.unseen, n) + from_above_notes(tracks.above, n) + leaned_notes(tracks.leaned, n)
            + light_noise_notes(tracks.light, n) + ([moved_note(list(tracks.pulled))] if tracks.pulled else [])
            + ([fast_note(tracks.struck)] if tracks.struck else []))
