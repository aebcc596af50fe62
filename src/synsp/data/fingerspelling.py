"""A fingerspelling-like whole-body clip: fast finger motion on a slow body, in COCO-WholeBody's 133 points.

Sign-language footage is what a body model knows least: the trunk and arms barely move while the
fingers change shape several times a second (fingerspelling runs at about 5 letters a second) and
the mouth moves with them. :func:`fingerspelling` draws such a clip in 2D pixels, a person seen
waist-up on a 1280 x 720 image (shoulders 160 px apart, hands about 70 px long), with the noise
of a 2D whole-body estimator (RTMW-like: hands noisier than the body, partly correlated over
frames), so that tests and benchmarks can measure what refinement keeps of the fingers.
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import COCO133

# COCO-17 points of a person signing, waist-up (pixels, y down); the right hand is raised beside
# the chin, the left one in front of the chest (two-handed signs).
_BODY = np.array([
    [640, 200], [652, 188], [628, 188], [670, 196], [610, 196],  # nose, eyes, ears (left is image right)
    [720, 300], [560, 300], [755, 420], [525, 420], [700, 395], [585, 330],  # shoulders, elbows, wrists
    [690, 520], [590, 520], [695, 700], [585, 700], [700, 880], [580, 880],  # hips, knees, ankles
], dtype=np.float64)
# Fingers from the thumb: angle of the finger's base from the palm's axis (degrees), distance of
# its base from the wrist, and its three segments (pixels).
_FINGERS = (
    (-45.0, 14.0, (16.0, 12.0, 10.0)),
    (-14.0, 36.0, (18.0, 11.0, 9.0)),
    (-3.0, 37.0, (20.0, 12.0, 10.0)),
    (8.0, 35.0, (18.0, 11.0, 9.0)),
    (19.0, 31.0, (14.0, 9.0, 8.0)),
)
_BEND = np.radians([60.0, 80.0, 50.0])  # how far each finger joint turns when the finger is curled
LETTERS_PER_S = 5.0  # fingerspelling's pace
# Noise of each group's points (pixels, standard deviation), and the share of it that follows an
# AR(1) process over frames (correlated) rather than being new at every frame.
NOISE_PX = {"body": 2.0, "face": 1.5, "hands": 2.7}
CORRELATED, RHO = 0.3, 0.5


def _hand(wrist: np.ndarray, axis: np.ndarray, curl: np.ndarray, side: float) -> np.ndarray:
    """21 points (T, 21, 2) of a hand at ``wrist`` (T, 2) whose palm points along angle ``axis``
    (T,) radians, fingers curled by ``curl`` (T, 5) in [0, 1]; ``side`` +1/-1 mirrors the fingers."""
    points = [wrist]
    for f, (base_angle, base, segments) in enumerate(_FINGERS):
        direction = axis + side * np.radians(base_angle)
        joint = wrist + base * np.stack([np.cos(direction), np.sin(direction)], -1)
        points.append(joint)
        turned = direction.copy()
        for k, length in enumerate(segments):
            turned = turned + side * curl[:, f] * _BEND[k] * (0.6 if f == 0 else 1.0)
            joint = joint + length * np.stack([np.cos(turned), np.sin(turned)], -1)
            points.append(joint)
    return np.stack(points[:21], axis=1)


def _face(nose: np.ndarray, opening: np.ndarray) -> np.ndarray:
    """68 iBUG points (T, 68, 2) about ``nose`` (T, 2), the mouth opened by ``opening`` (T,) pixels."""
    jaw = np.stack([np.sin(np.linspace(-1.4, 1.4, 17)) * 32, 10 + np.cos(np.linspace(-1.4, 1.4, 17)) * 30], -1)
    brows = np.stack([np.r_[np.linspace(-26, -6, 5), np.linspace(6, 26, 5)], np.full(10, -22.0)], -1)
    nose_pts = np.r_[[[0, -16], [0, -10], [0, -5], [0, 0]], [[x, 5] for x in (-8, -4, 0, 4, 8)]].astype(float)
    eye = np.array([[-10, 0], [-6, -3], [-2, -3], [2, 0], [-2, 2], [-6, 2]], float)
    eyes = np.r_[eye + [-8, -12], eye * [-1, 1] + [8, -12]]
    outer = np.stack([np.cos(np.linspace(np.pi, -np.pi, 12, endpoint=False)) * 14,
                      np.sin(np.linspace(np.pi, -np.pi, 12, endpoint=False)) * 5], -1)
    inner = np.stack([np.cos(np.linspace(np.pi, -np.pi, 8, endpoint=False)) * 9,
                      np.sin(np.linspace(np.pi, -np.pi, 8, endpoint=False)) * 2], -1)
    still = np.r_[jaw, brows, nose_pts, eyes, outer + [0, 18], inner + [0, 18]]  # (68, 2)
    face = nose[:, None] + still
    chin = np.r_[jaw[:, 1] > 30, np.zeros(51, bool)]
    lower = chin | np.r_[np.zeros(48, bool), outer[:, 1] > 0, inner[:, 1] > 0]
    face[:, lower, 1] += opening[:, None]  # the lower lip and the chin go down as the mouth opens
    return face


def _letters(t: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """(T, n) values in [0, 1], one set per letter at :data:`LETTERS_PER_S`, each held for the
    first quarter of its letter and eased into the next one over the rest; a word's
    last letter is held 0.4 s longer (a pause after every 4-6 letters)."""
    keys, times, now = [], [], 0.0
    while now <= t[-1] + 1.0:
        for _ in range(rng.integers(4, 7)):
            keys.append(rng.choice([0.0, 0.5, 1.0], size=n) * rng.uniform(0.8, 1.0, n))
            times.append(now)
            now += 1.0 / LETTERS_PER_S
        now += 0.4
    keys, times = np.array(keys), np.array(times)
    k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 2)
    move = 0.75 / LETTERS_PER_S
    u = np.clip((t - (times[k + 1] - move)) / move, 0.0, 1.0)
    w = (0.5 - 0.5 * np.cos(np.pi * u))[:, None]  # eased: no step in speed
    return keys[k] * (1 - w) + keys[k + 1] * w


def _noise(shape: tuple[int, ...], sigma: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(T, J, 2) noise of per-joint ``sigma`` (J,): white plus an AR(1) part (:data:`CORRELATED`, :data:`RHO`)."""
    ar = rng.normal(size=shape)
    for i in range(1, shape[0]):
        ar[i] = RHO * ar[i - 1] + np.sqrt(1 - RHO ** 2) * ar[i]
    mixed = np.sqrt(1 - CORRELATED) * rng.normal(size=shape) + np.sqrt(CORRELATED) * ar
    return mixed * sigma[None, :, None]


def fingerspelling(n_frames: int = 300, fps: float = 30.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) poses (T, 133, 2) in COCO-WholeBody's order (:data:`synsp.skeleton.COCO133`),
    pixels, ``n_frames`` frames at ``fps``: a slow body (sway of a few pixels at 0.2-0.3 Hz, wrists
    drifting 10 px), both hands spelling letters at :data:`LETTERS_PER_S` (fingertips up to 10-15
    px per frame at 30 fps), the mouth mouthing at 3 Hz; noise per :data:`NOISE_PX`."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_frames) / fps
    sway = np.stack([4 * np.sin(2 * np.pi * 0.2 * t), 2 * np.sin(2 * np.pi * 0.13 * t + 1)], -1)  # (T, 2)
    body = _BODY[None] + sway[:, None]
    body[:, :5, 1] += 3 * np.sin(2 * np.pi * 0.3 * t)[:, None]  # a nod
    drift = 10 * np.stack([np.sin(2 * np.pi * 0.25 * t), np.cos(2 * np.pi * 0.17 * t)], -1)
    body[:, 10] += drift
    body[:, 9] -= 0.6 * drift
    toes = np.array([[12, 14], [24, 10], [-6, 8]], float)  # big toe, small toe, heel from the ankle
    feet = np.concatenate([body[:, 15:16] + toes, body[:, 16:17] + toes * [-1, 1]], axis=1)
    curls = _letters(t, rng, 12)  # 5 curls and a turn of the palm, per hand
    right = _hand(body[:, 10], np.radians(-80) + 0.35 * (curls[:, 5] - 0.5), curls[:, :5], side=1.0)
    left = _hand(body[:, 9], np.radians(-100) + 0.35 * (curls[:, 11] - 0.5), curls[:, 6:11], side=-1.0)
    opening = 4 * (1 - np.cos(2 * np.pi * 3.0 * t)) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.4 * t))
    clean = np.concatenate([body, feet, _face(body[:, 0], opening), left, right], axis=1)
    assert clean.shape[1] == len(COCO133.joints)
    sigma = np.r_[np.full(23, NOISE_PX["body"]), np.full(68, NOISE_PX["face"]), np.full(42, NOISE_PX["hands"])]
    return clean, clean + _noise(clean.shape, sigma, rng)
