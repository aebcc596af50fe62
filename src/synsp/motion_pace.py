"""Fast motion: refine a clip at the pace of motion the networks learnt.

The networks learnt the mocap's motion at 30 fps. A sprint or a punch filmed at 30 fps changes
pose faster from frame to frame than most of what they saw, and they smooth part of the motion
away; told a high frame rate (sports filmed at 120 fps), the rate alone would resample the clip
to 30 fps and make its motion fast again. So each clip's own pace is measured, and a clip whose
pace, as the network would see it, is above :data:`PACE` is refined as if filmed at a lower
rate: below the rates the network covers, :func:`synsp.inference.frame_rate.run_at_rate`
interpolates frames between the input's, so that the network sees the motion at that pace,
and the clip-level steps (floor step, output low-pass) work in the same stretched time. What it
gains: benchmarks/RESULTS.md, section 6, "Fast motion".
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.rotations.conversions import geodesic_angle
from synsp.sequence import sorted_median, true_runs
from synsp.skeleton import Layout, get_layout

# The fastest pace (see motion_pace) a network is left to refine as it is; chosen on the
# validation split (RESULTS section 6, "Fast motion"): 0.18 before the trim below, which reads
# the mocap's own motion 0.93 times as fast in 3D and 0.92 in 2D.
PACE = 0.167
# Pose changes are measured over these lags (frames): noise that is independent between frames
# that far apart adds the same to two lags, and their difference leaves the motion.
SHORT_LAGS = (1, 2)
LAGS = (2, 4)
# The short lags' reading is taken where it is more than this many times the long lags' and those read the motion
# faster than PACE already (slower, noise held over a frame or two reads so: a nearly still face): motion that
# repeats within 8-12 frames moves nearly as far over 2 frames as over 4, and the long lags read it at half its pace
# (a dance or a kick played 3x at 30 fps, 2D: 0.31 against 0.49-0.51, refined as if at 16 fps for their true 10).
# Validation (RESULTS section 6, "The fastest contents: the pace of motion that repeats fast"): 2 before; runs
# played 2x read 1.34-1.53, the dance and kick at 3x 1.58-1.80, the protocol's clips over PACE 1.0-1.3.
QUICK = 1.55
# ... where the long lags read more than this pace (body sizes over 4 frames) already; 0.1 gave the same.
QUICK_FROM = PACE
# The share of frames left out of that difference, half from either end: a swap or an identity
# switch is a step in the input, which reads as motion over every lag that spans it (a large
# difference), and a glitch of one frame reads as motion at some frames and as its opposite at
# others.
TRIM = 0.2
# Groups of at least this many points move at their own pace (pace_groups): a hand's 21, a
# face's 48 and a mouth's 20 in the whole-body layouts; the three finger points of MediaPipe's
# body do not (they go with the wrist).
MIN_GROUP = 15
_HAND = ("hand", "thumb", "finger", "pinky")
_MOUTH = ("mouth", "lip")
# SMPL-H's and SMPL-X's fingers (``left_index1`` .. ``right_thumb3``, and SMPL-X's fingertips
# ``left_index`` ..): read as fingers only in a layout holding ``left_index1``, since MediaPipe's
# ``left_index`` and ``left_foot_index`` are body points. SMPL-X's mouth and face landmarks are no
# group: points of the mesh's head, posed with it, they refined better moving with the head
# (validation, jitter: 11.2 mm as groups, 8.8 with the head; RESULTS section 11, "SMPL-H and SMPL-X").
_SMPL_FINGER = re.compile(r"(left|right)_(index|middle|ring)\d?")


def _motion_rms(centred: np.ndarray, short: int, long: int, moved: dict[int, np.ndarray] | None = None) -> float:
    """RMS joint displacement over ``long`` frames that the motion makes, told from noise by
    the displacement over ``short`` frames; ``centred`` is (T, J, C). Both are measured per
    frame, about the same centre, and their difference averaged without its :data:`TRIM` tails.
    ``moved``: the displacements per lag already read (:func:`_displacement`), added to."""
    moved = {} if moved is None else moved
    d_long = _displacement(centred, long, moved)
    start = (long - short) // 2
    d_short = _displacement(centred, short, moved)[start:start + len(d_long)]
    cut = int(len(d_long) * TRIM / 2)
    kept = np.sort(d_long - d_short)[cut:len(d_long) - cut]
    return float(np.sqrt(max(0.0, kept.mean()) / (long ** 2 - short ** 2)) * long)


def _displacement(centred: np.ndarray, lag: int, moved: dict[int, np.ndarray]) -> np.ndarray:
    """(T - lag,) the mean squared joint displacement over ``lag`` frames of ``centred`` (T, J, C),
    kept in ``moved`` (the lags 2 and 4 and 1 and 2 share one)."""
    if lag not in moved:
        moved[lag] = ((centred[lag:] - centred[:-lag]) ** 2).sum(-1).mean(-1)
    return moved[lag]


def motion_pace(seq: np.ndarray) -> float:
    """How fast the poses of ``seq`` change: the RMS joint displacement over 4 frames that the
    motion alone makes, in units of the body's size (the median over frames of the RMS distance
    of its joints from their centroid).

    The motion's part is told from the noise's by two lags: for motion that is steady over 4
    frames the mean squared displacement grows with the lag squared, while white noise, spikes
    and any noise uncorrelated beyond 2 frames add the same to the displacements over 2 and 4
    frames, so their difference is the motion's. An estimator's jitter therefore reads as no
    pace (white noise of 50 mm on the mocap moves the median validation clip's pace by 0.1 %).
    The frames whose two displacements differ most either way are left out (:data:`TRIM`), so
    that swaps and glitches do not read as pace either (on the validation split's ``hard``
    clips the pace read 1.11 times their clean motion's at the median and 2.5 times at the 90th
    percentile without the trim; 1.07 and 1.48 with it). Motion that
    repeats within about 8 frames (a sprint filmed at 15 fps) moves as far over 2 frames as over
    4; then the displacements over 1 and 2 frames measure it instead (when they read more than
    twice as fast; on the validation split they never did at the mocap's own pace, and rescue
    most clips played 4-5 times as fast), or :data:`QUICK` times as fast where the long lags read more than
    :data:`PACE` already: a dance's and a kick's swings played 3x read so).

    ``seq``: (T, J, C) or (V, T, J, C) without NaN, any unit. Several sequences: the median of
    theirs. Returns 0 for a clip too short to measure or without size.
    """
    paces = []
    for centred in _centred(seq):
        size = sorted_median(np.sqrt((centred ** 2).sum(-1).mean(-1)))  # np.median's value, by one sort
        if not size > 0:
            continue
        paces.append(_motion(centred, QUICK_FROM * size) / size)
    return float(sorted_median(np.asarray(paces))) if paces else 0.0


def _centred(seq: np.ndarray) -> Iterator[np.ndarray]:
    """Each sequence of ``seq`` (T, J, C) or (V, T, J, C) in float64, about its joints' mean in every frame (its
    motion within the body's own place), one at a time (a long file of many tracks holds one copy, not V); none for a
    clip too short to measure (:func:`_measurable`)."""
    x = np.asarray(seq)
    if _measurable(x):
        for v in x[None] if x.ndim == 3 else x:
            v = v.astype(np.float64)
            yield v - v.mean(axis=1, keepdims=True)


def _measurable(seq: np.ndarray) -> bool:
    """Whether ``seq`` (T, J, C) or (V, T, J, C) is long enough to measure: over 2 x the longest of :data:`LAGS`."""
    return seq.shape[-3] > 2 * max(LAGS)


def _motion(centred: np.ndarray, fast: float = np.inf) -> float:
    """The RMS displacement over 4 frames that the motion of ``centred`` (T, J, C) makes, told
    from noise by :data:`LAGS` or, when they read less than half as fast, :data:`SHORT_LAGS`; or less than
    1 / :data:`QUICK` as fast where :data:`LAGS` read more than ``fast`` already (:func:`motion_pace`: :data:`PACE`
    body sizes); in the poses' unit."""
    moved: dict[int, np.ndarray] = {}
    steady, quick = (_motion_rms(centred, *lags, moved) * max(LAGS) / lags[1] for lags in (LAGS, SHORT_LAGS))
    return quick if quick > 2 * steady or (quick > QUICK * steady and steady > fast) else steady


def turning_pace(rotations: np.ndarray) -> np.ndarray:
    """How fast each joint turns: the RMS angle (degrees) that its local rotation turns through
    over 4 frames from the motion alone, told from noise by the turns over 2 and 4 frames as
    :func:`motion_pace` tells it. ``rotations`` (T, J, 3, 3); returns (J,), 0 for a clip too
    short to measure. On the mocap's clips at 30 fps, arms and legs turn 9-15 degrees per 4
    frames and the trunk and head 2-4 (validation, median over clips)."""
    r = np.asarray(rotations, dtype=np.float64)
    if len(r) <= 2 * max(LAGS):
        return np.zeros(r.shape[1])
    short, long = LAGS
    turned = {lag: (geodesic_angle(r[lag:], r[:-lag]) ** 2).mean(axis=0) for lag in LAGS}
    return np.sqrt(np.maximum(0.0, turned[long] - turned[short]) / (long ** 2 - short ** 2)) * long


def at_rate(seq: np.ndarray, fps: float, training_fps: float = TRAINING_FPS) -> np.ndarray:
    """``seq`` (T, J, C) or (V, T, J, C) recorded at ``fps`` (above ``training_fps``) as the
    network sees it: linearly resampled onto ``training_fps`` on k = round(fps / training_fps)
    phase-shifted grids, as :func:`synsp.inference.frame_rate.run_at_rate` cuts it; returns
    (V * k, N, J, C), N frames at ``training_fps``."""
    x = np.asarray(seq, dtype=np.float64)
    x = x[None] if x.ndim == 3 else x
    phases = max(1, int(round(fps / training_fps)))
    step = fps / training_fps  # input frames per network frame
    grids = []
    for phase in range(phases):
        at = phase * step / phases + np.arange(0.0, x.shape[1] - 1 + 1e-9, step)  # in input frames
        lo = np.clip(np.floor(at).astype(int), 0, max(0, x.shape[1] - 2))
        w = np.clip(at - lo, 0.0, 1.0)[None, :, None, None]
        hi = np.minimum(lo + 1, x.shape[1] - 1)
        grids.append(x[:, lo] * (1 - w) + x[:, hi] * w)
    n = min(len(g[0]) for g in grids)
    return np.concatenate([g[:, :n] for g in grids])


def paced_rate(seq: np.ndarray, fps: float | None, covered: tuple[float, float],
               pace: float | None = None, training_fps: float = TRAINING_FPS) -> float | None:
    """The frame rate to refine ``seq`` (T, J, C) or (V, T, J, C) at, given its recorded rate ``fps`` (None:
    unknown, taken as ``training_fps``) and the ``covered`` rates that the network runs on
    as they are (:func:`synsp.inference.frame_rate.covered_rates`); ``pace`` None: :data:`PACE`.

    ``fps`` itself while the clip's pace as the network would see it (after resampling
    to ``training_fps`` where ``fps`` is outside ``covered``) is at most ``pace``; otherwise
    the rate at which the network sees ``pace``, lower than ``fps``. Above ``covered`` the pace
    is measured on the clip resampled to ``training_fps`` (:func:`at_rate`): at the input's own
    rate its 2 and 4 frames span a fraction of the network's, over which an estimator's noise
    (or motion blur) is not yet independent and reads as motion (a 1 Hz walk at 120 fps under
    noise held over about 2 frames was refined as if filmed at 83 fps instead of 120).
    """
    pace = PACE if pace is None else pace
    rate = training_fps if fps is None else float(fps)
    if not (np.isfinite(rate) and rate > 0):
        return fps  # run_at_rate names the problem
    if rate > covered[1]:  # measured where the network sees it; as the pace over 4 of the input's frames
        measured = motion_pace(at_rate(seq, rate, training_fps)) * training_fps / rate
    else:
        measured = motion_pace(seq)
    seen = measured if covered[0] <= rate <= covered[1] else measured * rate / training_fps
    if seen <= pace:
        return fps
    return training_fps * pace / measured


def fps_text(fps: float) -> str:
    """A frame rate as said to the user: to 2 decimals, so that a BVH's Frame Time 0.0166667 reads
    "60 fps" and NTSC's rate "29.97 fps"."""
    return f"{round(float(fps), 2):g} fps"


def group_pace_note(rates: dict[str, float], fps: float | None) -> str:
    """What ``synsp refine`` says when SmoothNet refined pace groups (:func:`pace_groups`) given
    at ``fps`` (None: not given) each at a rate of its own, ``rates`` (name -> fps)."""
    names = ", ".join(name.replace("_", " ") for name in rates)
    at = ", ".join(f"{rate:.1f}" for rate in rates.values())
    given, named = _fast_for(list(rates.values()), fps, "SmoothNet")
    by = "" if named else " by SmoothNet"
    move = "moves" if len(rates) == 1 else "move"
    return f"pace: the {names} {move} fast for {given}; refined{by} as if filmed at {at} fps, each at its own pace"


def pace_note(rate: float, fps: float | None) -> str:
    """What ``synsp refine`` says when it refined a clip given at ``fps`` (None: not given) as if
    filmed at ``rate`` (:func:`paced_rate`)."""
    given, _ = _fast_for([rate], fps, "the network")
    return f"pace: the motion is fast for {given}; refined as if filmed at {rate:.1f} fps, the pace the network learnt"


def _fast_for(rates: list[float], fps: float | None, network: str) -> tuple[str, bool]:
    """The rate the pace notes say the motion is fast for: ``fps`` (None: the assumed training rate), or, where a
    rate refined at is above ``fps`` (a 20-30 fps clip: the networks run the rates they cover frame for frame, as
    their training rate, and read its pace so; :func:`paced_rate`), the training rate, which every such rate is
    below: "fast for 25 fps; refined as if filmed at 26.6 fps" read as slower, not faster (audit 29). Also whether
    the text names ``network`` (then the note need not again)."""
    if fps and max(rates) > fps:
        return (f"{fps_text(TRAINING_FPS)}, the rate {network} runs these {fps_text(fps)} frames at (frame for "
                "frame)", True)
    return (fps_text(fps) if fps else f"the assumed {fps_text(TRAINING_FPS)}"), False


def pace_groups(layout: str | Layout) -> dict[str, np.ndarray]:
    """The joints of ``layout`` that move at their own pace, by group: ``left_hand`` and
    ``right_hand`` (points named after a hand or a finger, by side), ``mouth`` (named after the
    mouth or the lips, and points 48-67 of an iBUG face of 68 or 70 ``face-*`` points) and
    ``face`` (the other ``face-*`` points); each (N,) joint indices, only the groups of at least
    :data:`MIN_GROUP` points (COCO-WholeBody, Halpe-136, OpenPose-137: all four; SMPL-H-52 and SMPL-X-55
    and -127: the hands; body layouts: none)."""
    names = [name.lower() for name in get_layout(layout).joints]
    groups: dict[str, list[int]] = {"left_hand": [], "right_hand": [], "mouth": [], "face": []}
    face = [j for j, name in enumerate(names) if name.startswith("face")]
    ibug_mouth = set(face[48:68]) if len(face) in (68, 70) else set()
    smpl_fingers = "left_index1" in names
    for j, name in enumerate(names):
        side = next((s for s in ("left", "right") if name.startswith(s)), None)
        if side and (any(part in name for part in _HAND) or (smpl_fingers and _SMPL_FINGER.fullmatch(name))):
            groups[f"{side}_hand"].append(j)
        elif smpl_fingers:  # SMPL-X's face: with the head (above)
            continue
        elif j in ibug_mouth or any(part in name for part in _MOUTH):
            groups["mouth"].append(j)
        elif name.startswith("face"):
            groups["face"].append(j)
    return {name: np.array(joints) for name, joints in groups.items() if len(joints) >= MIN_GROUP}


def motion_above_noise(seq: np.ndarray) -> bool:
    """Whether the motion of ``seq`` (T, J, C) or (V, T, J, C) rises above its noise: the RMS
    displacement over 4 frames that the motion makes (:func:`motion_pace`, before dividing by
    the size) is larger than the RMS difference the noise makes between two frames (over
    the shorter of :data:`LAGS`, less the motion's part there). A group a few tens of pixels
    across (a far signer's hand or mouth) under an estimator's noise reads as fast by its size;
    refined at a lower rate for it, it would keep its noise. Several sequences: the median's verdict;
    False for a clip too short to measure."""
    if not _measurable(np.asarray(seq)):
        return False
    margins = []
    for centred in _centred(seq):
        motion = _motion(centred)
        short = LAGS[0]
        moved = ((centred[short:] - centred[:-short]) ** 2).sum(-1).mean(-1)
        cut = int(len(moved) * TRIM / 2)
        noise = np.sort(moved)[cut:len(moved) - cut].mean() - (motion * short / max(LAGS)) ** 2
        margins.append(motion ** 2 - max(0.0, noise))
    return bool(np.median(margins) > 0)


def group_rates(seq: np.ndarray, groups: dict[str, np.ndarray], fps: float | None, covered: tuple[float, float],
                pace: float | None = None, training_fps: float = TRAINING_FPS
                ) -> tuple[float | None, dict[str, float | None]]:
    """The rates to refine ``seq`` (T, J, C) or (V, T, J, C) at, group by group (:func:`paced_rate`
    each): that of the joints in none of ``groups`` (name -> joint indices, :func:`pace_groups`),
    and each group's. A group's own pace is measured on its points alone (about their own
    centre, in its own size: the fingers' motion within the hand), and followed when its motion
    rises above its noise (:func:`motion_above_noise`); a group is never refined at a higher
    rate than the other joints, since it also moves with them (a hand with its wrist)."""
    x = np.asarray(seq)
    grouped = np.concatenate([np.asarray(j, int) for j in groups.values()]) if groups else np.zeros(0, int)
    rest = np.setdiff1d(np.arange(x.shape[-2]), grouped)
    body = paced_rate(x[..., rest, :], fps, covered, pace, training_fps) if len(rest) else fps
    as_rate = lambda r: training_fps if r is None else r  # noqa: E731
    rates = {}
    for name, joints in groups.items():
        part = x[..., np.asarray(joints, int), :]
        own = paced_rate(part, fps, covered, pace, training_fps) if motion_above_noise(part) else body
        rates[name] = own if as_rate(own) < as_rate(body) else body
    return body, rates


# The pace (:func:`motion_pace`, body sizes per 4 frames) below which a clip given without its rate is said to move
# as slowly as 60-120 fps footage does. Validation (RESULTS section 6, "Tried: the rate read from the motion"): of the
# 65 clips at 30 fps, 3-5 read below it (standing, a slow bow or wave); resampled to 60 fps 9-34, to 120 fps 39-55.
# Only a hint: refined at 60 fps, the slow 30-fps clips came out worse (up to 1.2 mm, 1 px), so the rate is not taken.
SLOW = 0.04
MIN_RUN = 30  # frames of every joint seen, at the least, to read the pace of a file's track for the hint
MAX_RUN = 9000  # ... and at the most (5 minutes at 30 fps): a long file's pace is read on a copy this long


def slow_hint(poses: np.ndarray) -> str:
    """The summary's addition to "fps: 30 (assumed; pass --fps)" when ``poses`` (T, J, C) or (V, T, J, C), NaN
    missing, any unit, move slower than :data:`SLOW` at the median over their tracks, read on each track's longest
    run of frames in which the joints seen in most frames all are (at least :data:`MIN_RUN`, its first
    :data:`MAX_RUN` frames); "" otherwise."""
    x = np.asarray(poses)  # not copied: a long file's frames are many
    paces = []
    for v in x[None] if x.ndim == 3 else x:
        seen = np.isfinite(v).all(-1)
        joints = seen.sum(axis=0) >= 0.5 * seen.any(axis=-1).sum()  # of the frames holding the person, not empty ones
        runs = true_runs(seen[:, joints].all(-1) & joints.any())  # the runs of frames with every such joint seen
        if not runs:
            continue
        start, end = max(runs, key=lambda run: run[1] - run[0])
        if end - start >= MIN_RUN:
            paces.append(motion_pace(v[start:min(end, start + MAX_RUN)][:, joints]))
    if not paces or not 0 < float(np.median(paces)) < SLOW:
        return ""
    return (f"; the motion reads slow for 30 fps ({float(np.median(paces)):.3f} body sizes per 4 frames), as most "
            "60-120 fps footage does: if the file was filmed faster, pass its rate")
