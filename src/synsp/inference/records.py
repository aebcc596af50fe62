"""What a :class:`~synsp.inference.refiner.Refiner` records of the input it refined last, for the summary: the route
it took (its own, or SmoothNet's for a body it does not know, joints never seen, from above, bent over), what its
steps read (the joint definitions' shift, the turn, size, pace, drift, shake, the alternating frames) and the figures
they were read against. ``not_finite``: the joint values its steps made NaN, which gave the fallback's output
instead (:mod:`synsp.inference.finite_output`).

:data:`RECORDS` holds each that a caller resets, as it is before any call (:func:`clear_records`): refining.tracks and
refining.stretches reset them before each span or stretch, whose route may not run the network, so that it reports
nothing of the one before. Torch-free, as refining.tracks, which reads them (:func:`read_records`), is.
"""
from __future__ import annotations

RECORDS = {"convention_offsets": None, "turn": None, "resized": 1.0, "paced_fps": None, "limb_drift": None,
           "size_changes": None, "unlike_body": False, "gave_way": False, "repeated": None, "shaken": None,
           "lacked": 0.0, "from_above": 0.0, "flexed": 0.0, "alternated": None, "not_finite": 0,
           "moved_motion": None,  # (V, J) joints given the low-pass: a motion the network never saw (unseen_motion)
           "fast_given": None,  # (V, J) frames of a limb's fast motion given back at least half (fast_limbs)
           "noise_only": None}  # set by the route's light-noise step (refining.person), not by the Refiner itself
# Read after a refinement: those, and what every call sets or the settings its figures are read against
READ = (*RECORDS, "convention_far", "unseen", "trunk_ratio", "trunk_bend", "steady", "repeat_ramp", "pull_ramp")


def clear_records(refiner: object) -> None:
    """Every one of ``refiner``'s :data:`RECORDS` as before any call."""
    for name, value in RECORDS.items():
        setattr(refiner, name, value)


def read_records(refiner: object) -> dict:
    """``refiner``'s :data:`READ` records by name (None for one it does not have)."""
    return {name: getattr(refiner, name, None) for name in READ}
