"""A network on joint rotations, run over a whole sequence: 6D windows in, SWAA, Gram-Schmidt out.

The rotation counterpart of :class:`synsp.inference.refiner.Refiner`'s core for networks
trained with ``[data] space = "rotation"``: every window of F frames of the 6D form
(Zhou et al. 2019) goes through the network, overlapping outputs are merged by the Sliding
Window Average Algorithm, and each joint's 6 numbers become a rotation again.

A network also pulls every joint a little towards the rest frames and poses it was trained on
(the retargeted mocap's), which on another rig's or estimator's rotations is an error of its
own; :func:`keep_rest_frames` undoes the constant part of that pull per clip, the rotation
analogue of the position refiner's ``keep_convention`` (benchmarks/RESULTS.md, section 14).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from scipy.ndimage import gaussian_filter1d

from synsp.config import TRAINING_FPS
from synsp.errors import check_fps
from synsp.inference.frame_rate import covered_rates, run_at_rate
from synsp.inference.rotation_clean import keep_rotations_to_noise
from synsp.inference.swaa import window_starts
from synsp.inference.upright import upright_turn
from synsp.model import get_network
from synsp.motion_pace import paced_rate
from synsp.rotations.conversions import (
    axis_angle_from_matrix,
    matrix_from_axis_angle,
    matrix_from_sixd,
    rotation_sequence,
    sixd_from_matrix,
)
from synsp.rotations.filters import ROTATION_PACE

# SmoothNet's 32-frame windows span four times the motion of SynSP's 8: a clip faster than this
# pace (synsp.motion_pace) is refined stretched in time to it, also inside the frame rates its
# training covered. Chosen on the validation split for BVH files (the mocap's own tree played 1,
# 2 and 3 x as fast; RESULTS section 14) by ROTATION_PACE's rule: the lowest of 0.15, 0.2, 0.24
# and 0.28 that costs at most 1 % MPJPE at the mocap's own pace. Networks of other kinds follow
# ROTATION_PACE, and only below the rates they cover.
STRETCHED_PACE = {"smoothnet": 0.24}
# A BVH's windows are cut every SKELETON_STRIDE frames, so each frame is still in 8 of SmoothNet's
# 32-frame windows: on the validation split (the mocap's own BVH tree, 20 clips) MPJPE within
# 0.3 % of a window at every frame, 4.5 x faster (RESULTS section 14).
SKELETON_STRIDE = 4
# Windows x channels per forward pass: SmoothNet's hidden layers run per channel, so 1024 windows
# of a 39-joint BVH (234 channels) held 0.5 GB per layer; 2**15 rows hold 64 MB, and 1 to 2 x the
# speed on one thread (section 15's finding for windows: smaller batches are not slower).
BATCH_ROWS = 2**15
# Above the covered rates the network sees every k-th frame: white noise above the network's Nyquist rate
# (15 Hz) folds into what it sees, 3/4 of it at 120 fps. SynSP gets a Gaussian of ANTIALIAS network frames
# (sigma) on the 6D form first, as before any decimation. Chosen on the validation split (RESULTS section 14,
# "SMPL at 120 fps"; 0.35 and 0.5 within 1 % everywhere, 0.35 the least cost on correlated jitter); SmoothNet
# gained under 3-5 degrees and lost under 1, so it runs without.
ANTIALIAS = {"synsp": 0.35}
# The same for a BVH's tree (refine_skeleton: SmoothNet, then the filter), sigma in network frames. Chosen on the
# validation split (the mocap's own tree, 11 clips, 60 and 120 fps; RESULTS section 14, "A BVH above 43 fps"): 0.35
# and 0.5 lowered MPJPE under every preset and moved clean motion less; 0.5 gained more under white jitter but
# raised `3dpw-pare`'s Accel at 120 fps 5 % (0.35: 2 %).
SKELETON_ANTIALIAS = {"smoothnet": 0.35}


def refine_rotation_sequence(model: torch.nn.Module, rotations: np.ndarray, *, window: int, stride: int = 1,
                             device: str | torch.device = "cpu", batch: int = 1024) -> np.ndarray:
    """Refine local joint rotations (T, J, 3, 3) with ``model``; returns (T, J, 3, 3).

    ``model`` maps (B, 1, F, J * 6) windows to the same shape (or a named tuple whose ``final``
    field is); F = ``window``. Sequences shorter than a window are padded by their last frame.
    """
    sixd = sixd_from_matrix(rotation_sequence(rotations))
    return matrix_from_sixd(refine_sixd(model, sixd, window=window, stride=stride, device=device, batch=batch))


@torch.no_grad()
def refine_sixd(model: torch.nn.Module, sixd: np.ndarray, *, window: int, stride: int = 1,
                device: str | torch.device = "cpu", batch: int = 1024) -> np.ndarray:
    """The network's 6D output (T, J, 6) for the 6D form ``sixd`` (T, J, 6) of local rotations,
    windows merged by the Sliding Window Average Algorithm, not yet made rotations again.

    At most ``batch`` windows, and :data:`BATCH_ROWS` windows x channels, go through the network at
    once; windows are cut batch by batch and their outputs summed into the sequence as they come,
    so memory stays a few copies of ``sixd`` however long the motion (a 10-minute 120 fps BVH of 39
    joints peaked at 4.4 GB when every window was cut, kept and copied at once)."""
    t, j = sixd.shape[:2]
    length = max(t, window)
    seq = sixd.reshape(t, j * 6).astype(np.float32)  # the network's dtype: windows are cut from this copy
    if t < window:  # one window, padded by the last frame (as sliding_windows pads)
        seq = np.concatenate([seq, np.repeat(seq[-1:], window - t, axis=0)])
    starts = window_starts(length, window, stride)
    per_pass = max(1, min(batch, BATCH_ROWS // (j * 6)))
    total = np.zeros((length, j * 6))
    count = np.zeros(length)
    offsets = np.arange(window)
    was_training = model.training
    model.eval()
    for first in range(0, len(starts), per_pass):
        chunk = starts[first:first + per_pass]
        x = torch.from_numpy(seq[chunk[:, None] + offsets][:, None]).to(device)  # (B, 1, F, J * 6)
        out = model(x)
        out = (out.final if hasattr(out, "final") else out)[:, 0].cpu().numpy()
        for k in range(window):  # a batch's starts differ, so each frame index appears once per k
            total[chunk + k] += out[:, k]
            count[chunk + k] += 1.0
    model.train(was_training)
    return (total / count[:, None])[:t].reshape(t, j, 6)


def keep_rest_frames(rotations: np.ndarray, refined: np.ndarray) -> np.ndarray:
    """``refined`` (T, J, 3, 3) without the constant part of its change to ``rotations`` (T, J, 3, 3):
    per joint, the median over frames of the change in the joint's own frame (as a rotation
    vector) is turned back. What varies over the clip (jitter, flips, swaps, frozen spans)
    stays corrected; what is the same in every frame (another rig's rest frame, or the
    network's pull towards the poses it learnt) is the input's again."""
    change = axis_angle_from_matrix(np.swapaxes(rotations, -1, -2) @ refined)  # refined = rotations @ change
    return refined @ matrix_from_axis_angle(-np.median(change, axis=0))


class RotationRefiner:
    """A trained network of joint rotations (``[data] space = "rotation"``), ready to refine.

    ``refine(rotations, fps)`` takes SMPL-family local rotations (T, K, 3, 3), K = 22, 24, 52
    (SMPL-H) or 55 (SMPL-X): the network refines the 22 body joints and the two hands (identity
    when the input has none); finger, jaw and eye joints are returned as they came.
    ``keep_rest_frames`` undoes the network's constant pull per joint (:func:`keep_rest_frames`);
    None (default): for a network trained to leave slow errors alone (the checkpoint's
    ``meta["learnt_slow_errors"]`` is False, as for ``synsp-smpl24`` and ``smoothnet-smpl24``), so
    that the step costs it only its pull (benchmarks/RESULTS.md, section 14). A network trained to
    remove them (``smoothnet-smpl24-prior``, ``synsp-smpl24-prior``) runs alone: with its constant
    change undone, ``smoothnet-smpl24-prior`` turned joints further from the truth than its input
    (test, ``3dpw-pare``: 7.49 against 7.45 degrees). A checkpoint without the field: SynSP keeps them.

    As the position refiner does, it runs a clip outside the frame rates its training covered
    (``covered_fps``) at 30 fps, and a clip faster than the default filter's
    :data:`synsp.rotations.filters.ROTATION_PACE` (``follow_pace``; chosen again for the network
    on the validation split, RESULTS section 14) as if filmed at a lower rate; SmoothNet follows
    its own pace, :data:`STRETCHED_PACE`. ``paced_fps`` records the rate used. Where the network sees every
    k-th frame (k >= 2), SynSP's input is low-passed first (``antialias``, :data:`ANTIALIAS`; a skeleton's for
    SmoothNet: ``skeleton_antialias``, :data:`SKELETON_ANTIALIAS`). An SMPL clip whose
    body does not stand along +Y (an estimator's camera frame, y down; a Z-up world) is refined with
    its root turned upright and turned back (``upright``; ``turn``, the last call's turn; RESULTS
    section 14, "SMPL roots in a camera frame or a Z-up world").

    ``keep_clean`` limits each joint's correction to what the input's own noise justifies, so that
    nearly clean rotations keep their values (:mod:`synsp.inference.rotation_clean`; validation:
    clean SMPL moved 2.9 -> 0.8 mm, the mocap's own BVH tree 4.4 -> 0.5 mm); False: the network's
    correction whole. Default: as ``keep_rest_frames``'s, on for a network trained to leave slow
    errors alone. A network trained to remove them corrects errors that have no fast part, so the
    input's noise does not bound its correction (with the step, ``synsp-smpl24-prior`` kept 0.92 x
    the input's Accel on three test clips of ``3dpw-pare``, which it halves alone).
    """

    def __init__(self, model: torch.nn.Module, kind: str, window: int, device: torch.device,
                 covered_fps: tuple[float, float] = (TRAINING_FPS, TRAINING_FPS),
                 learnt_slow_errors: bool | None = None, keep_rest_frames: bool | None = None):
        self.model, self.kind, self.window, self.device = model, kind, window, device
        self.covered_fps = covered_fps
        # a network trained to leave slow errors alone: what it changes beyond the fast noise is its own error
        leaves_slow = kind == "synsp" if learnt_slow_errors is None else not learnt_slow_errors
        self.keep_rest_frames = leaves_slow if keep_rest_frames is None else keep_rest_frames
        self.follow_pace = True
        self.paced_fps: float | None = None
        # input frames per frame the network saw (the last call's): keep_clean reads the noise on them
        self.noise_step = 1
        # SMPL roots turned to the model's up first (synsp.inference.upright); ``turn``: the last call's (3, 3)
        self.upright, self.turn = True, np.eye(3)
        # nearly clean input keeps its rotations: each joint's correction limited to its noise (rotation_clean)
        self.keep_clean = leaves_slow
        # the anti-aliasing Gaussian's sigma in network frames above the covered rates: SMPL files (ANTIALIAS) and
        # any skeleton's (SKELETON_ANTIALIAS), measured apart
        self.antialias = ANTIALIAS.get(kind, 0.0)
        self.skeleton_antialias = SKELETON_ANTIALIAS.get(kind, 0.0)

    def refine(self, rotations: np.ndarray, fps: float | None = None, stride: int = 1) -> np.ndarray:
        """Refined local rotations, shaped like ``rotations`` (T, K, 3, 3), recorded at ``fps``
        frames per second (None: the training rate, 30)."""
        from synsp.rotations.smpl_template import BODY_JOINTS, JOINT_COUNTS, SMPL_JOINTS, smpl_positions

        r = np.asarray(rotations, dtype=np.float64)
        if r.ndim != 4 or r.shape[-2:] != (3, 3) or r.shape[1] not in JOINT_COUNTS:
            raise ValueError(f"rotations must be SMPL (T, 24, 3, 3), (T, 22, 3, 3), SMPL-H (T, 52, 3, 3) or "
                             f"SMPL-X (T, 55, 3, 3), got shape {r.shape}")
        check_fps(fps)
        full = np.tile(np.eye(3), (len(r), len(SMPL_JOINTS), 1, 1))
        keep = len(SMPL_JOINTS) if r.shape[1] == len(SMPL_JOINTS) else BODY_JOINTS
        full[:, :keep] = r[:, :keep]
        positions = smpl_positions(full)
        # The network learnt the mocap's roots, +Y up; an estimator's camera frame (y down) or a Z-up
        # world turns every root far from them: the clip is refined turned upright and turned back.
        self.turn = turn = upright_turn(positions, "smpl24") if self.upright else np.eye(3)
        full[:, 0] = turn @ full[:, 0]
        refined = self._kept_clean(full, self._refine(full, positions @ turn.T, fps, stride, self.antialias))
        refined[:, 0] = turn.T @ refined[:, 0]
        out = r.copy()
        out[:, :keep] = refined[:, :keep]
        return out

    def refine_skeleton(self, rotations: np.ndarray, positions: np.ndarray, fps: float | None = None,
                        stride: int = SKELETON_STRIDE,
                        then: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
        """Refined local rotations (T, J, 3, 3) of any skeleton (a BVH's), for a network that refines
        every number on its own (SmoothNet): ``rotations`` (T, J, 3, 3), their joints' positions
        ``positions`` (T, J', 3) (for the pace), recorded at ``fps`` (None: 30); a window cut every
        ``stride`` frames. ``then``: a step run on the network's output (a BVH's filter) before
        :attr:`keep_clean` limits the correction, so that the limit holds for both together: on
        clean validation clips the filter alone moved them 1.2 mm, and limiting only the network's
        correction left 1.6 mm (0.5 mm limiting both; :mod:`synsp.inference.rotation_clean`)."""
        r = rotation_sequence(rotations)
        if not get_network(self.kind).per_coordinate:
            raise ValueError(f"a {self.kind} network of rotations refines SMPL's 24-joint tree only; "
                             "a network that refines every joint on its own (smoothnet) refines any skeleton")
        check_fps(fps)
        refined = self._refine(r, positions, fps, stride, self.skeleton_antialias)
        return self._kept_clean(r, refined if then is None else then(refined))

    def _kept_clean(self, rotations: np.ndarray, refined: np.ndarray) -> np.ndarray:
        """``refined`` with each joint's correction limited to the noise of ``rotations`` when
        :attr:`keep_clean` (:func:`synsp.inference.rotation_clean.keep_rotations_to_noise`), and a
        joint that does not move in ``rotations`` (the same in every frame) as it came."""
        kept = keep_rotations_to_noise(rotations, refined, self.noise_step) if self.keep_clean else refined
        # no motion, nothing to smooth: the network's output there is its own error (a Bandai Namco
        # joint_Root at 0 in every frame came back at +-0.03 degrees among joints with jitter)
        still = (rotations == rotations[:1]).all(axis=(0, 2, 3))
        if still.any():
            kept = kept.copy()
            kept[:, still] = rotations[:, still]
        return kept

    def _refine(self, rotations: np.ndarray, positions: np.ndarray, fps: float | None, stride: int,
                antialias: float = 0.0) -> np.ndarray:
        """The network's refinement of ``rotations`` (T, J, 3, 3) at ``fps`` and its pace; ``antialias``: the
        Gaussian's sigma in network frames before the network sees every k-th frame (:data:`ANTIALIAS`)."""
        rate, covered = fps, self.covered_fps
        if self.follow_pace and self.kind in STRETCHED_PACE:  # stretched whenever faster than its pace
            rate = paced_rate(positions, fps, (TRAINING_FPS, TRAINING_FPS), pace=STRETCHED_PACE[self.kind])
            covered = covered if rate == fps else (TRAINING_FPS, TRAINING_FPS)
        elif self.follow_pace:
            rate = paced_rate(positions, fps, covered, pace=ROTATION_PACE)
            low, high = covered
            if rate != fps and low <= rate <= high and low <= (fps or TRAINING_FPS) <= high:
                rate = fps  # both run as they are: nothing to stretch (no clip-level step here)
        self.paced_fps = rate
        # Above the covered rates the network sees every k-th frame: the clean-input step reads the noise
        # there, as at the 30 fps it was chosen at (an estimator's noise held over 0.05 s is nearly gone
        # from a 120 fps clip's fast band; RESULTS section 14, "Nearly clean rotations at high frame rates").
        fast = rate is not None and rate > covered[1]
        self.noise_step = max(1, int(rate / TRAINING_FPS + 0.5)) if fast else 1
        run = lambda s: {"sixd": refine_sixd(self.model, s[0], window=self.window, stride=stride,  # noqa: E731
                                             device=self.device)[None]}
        sixd = sixd_from_matrix(rotations)
        if self.noise_step > 1 and antialias > 0:  # sigma in input frames: a network frame spans rate / 30
            sixd = gaussian_filter1d(sixd, antialias * rate / TRAINING_FPS, axis=0, mode="nearest")
        sixd = run_at_rate(run, sixd[None], rate, covered)["sixd"][0]
        refined = matrix_from_sixd(sixd)
        return keep_rest_frames(rotations, refined) if self.keep_rest_frames else refined


def load_rotation_model(name_or_path: str, device: str | None = None,
                        keep_rest_frames: bool | None = None) -> RotationRefiner:
    """Rebuild a network of joint rotations from its checkpoint (a file written by ``synsp train``
    or a shipped name such as ``"synsp-smpl24"``), its weights checked as :func:`load_model`'s are.
    ``keep_rest_frames`` None: the network's default (see :class:`RotationRefiner`)."""
    from synsp.inference.checkpoint import trained_network

    model, config, payload, dev = trained_network(name_or_path, device, rotation=True)
    return RotationRefiner(model, config.model["kind"], model.config.window, dev,
                           covered_rates(tuple(config.data.time_scale)),
                           payload.get("meta", {}).get("learnt_slow_errors"), keep_rest_frames)
