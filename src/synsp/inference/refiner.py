"""Run a trained network over whole sequences: windows in, SWAA-merged sequence out."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

from synsp.config import Config
from synsp.consistency import STRENGTH, constant_bone_lengths
from synsp.errors import OptionError, ShapeError, check_fps, check_keep_convention
from synsp.estimator_errors.measurements import measurements
from synsp.filters import butterworth, cutoff_for
from synsp.inference import edge_pad
from synsp.inference.alternation import read_alternation
from synsp.inference.body_shake import SHAKE_HZ, shake_shares, steady_body
from synsp.inference.camera_pan import keep_pan, pan_share
from synsp.inference.convention_pass import CONVENTION_PASSES, KEEP_CONVENTION, PULL_STRIDE, keep_definitions
from synsp.inference.finite_output import drop_steps, unfinite
from synsp.inference.floor import DRIFT_RAMP, SHRINK, SMOOTHNET_BASE
from synsp.inference.floor_pass import floor_pass
from synsp.inference.foreshortening import FORESHORTENED
from synsp.inference.frame_rate import covered_rates, run_at_rate
from synsp.inference.give_way import read_give_way
from synsp.inference.handedness import read_handedness
from synsp.inference.heading import HEADING, can_head
from synsp.inference.input_frame import against_input
from synsp.inference.leaned_trunk import BENT_2D, FLEXED, LEANED
from synsp.inference.limb_turn import limb_drift
from synsp.inference.low_rate import frames_rate, looks_for_jumps, reads_fast_band
from synsp.inference.network_frame import into_network_frame
from synsp.inference.network_windows import BATCH_SIZE, QUANTIZE, TRACE_BELOW, WindowNetwork, check_stride
from synsp.inference.network_windows import default_window as window_of
from synsp.inference.records import clear_records
from synsp.inference.repeated_pull import PULL_RAMPS, REPEAT_RAMPS
from synsp.inference.root_track import MEAN_ANCHOR
from synsp.inference.swaa import taper as swaa_taper
from synsp.inference.wide_stance import WIDE
from synsp.inference.window_lean import MAX_LEAN, can_lean
from synsp.model import get_network
from synsp.motion_pace import group_rates, paced_rate
from synsp.sequence import UNSEEN_SHARE, missing_mask, unseen_share
from synsp.skeleton import get_layout

# Refine every other window mirrored left/right and mirror its output back: the network's
# left/right-biased errors then cancel in the SWAA merge, at no extra cost (RESULTS section 9).
MIRROR_WINDOWS = True
# Merge the windows with Hann weights (swaa.taper) instead of the paper's plain mean: smoother
# at every stride, and what makes strided windows smooth (RESULTS section 15).
TAPER = True
# Turn clips whose trunk points along another axis (Z-up files, camera coordinates, 2D tracks on their side or head)
# to the model's up, and mirror left-handed 3D clips, before refining; turned back after (upright; RESULTS section 9).
UPRIGHT = True
# Refine a clip whose motion is faster than the mocap's as if filmed at a lower rate, so that the
# network sees the pace it learnt (synsp.motion_pace; RESULTS section 6, "Fast motion").
FOLLOW_PACE = True
# Low-pass SynSP's output, after the floor step, with a zero-phase Butterworth of this cut-off (Hz, order 4:
# Pose2Sim's default; None: not). An 8-frame window averages white noise over too few frames: the network left jitter
# that SmoothNet's 32 frames remove (RESULTS section 4, "2D, and the output low-passed"; validation: Accel -13 to -24 %
# on `typical`, MPJPE within 0.2 %).
LOWPASS_HZ: float | None = 6.0
# Give back the part of SynSP's correction shaped like the input's acceleration: real motion cut (sprints under
# jitter; synsp.inference.oversmoothing, RESULTS "Every validation clip, per layout").
GIVE_BACK_MOTION = True
# Speed defaults (benchmarks/RESULTS.md, section 15; chosen on the validation split): SynSP's windows cut every
# STRIDE[space] frames for the output (its tapered merge keeps them smooth; SmoothNet, merged by the plain mean, cuts
# one at every frame; the first pass of keep_convention at convention_pass.PULL_STRIDE). 2D keeps stride 2: at 3 its
# jitter-only and Accel figures were worse (section 15).
STRIDE = {"3d": 3, "2d": 2}


class Refiner(WindowNetwork):
    """A trained SynSP or SmoothNet with everything needed to refine sequences.

    Built by :func:`synsp.inference.checkpoint.load_model`; holds the network, the training config
    (joint layout, 2D/3D, window) and the checkpoint's metadata.

    Speed options (defaults measured on the validation split, benchmarks/RESULTS.md section 15): ``stride`` frames
    between window starts (1: every window, the smoothest); ``pull_stride``, the stride of keep_convention's first
    pass, which only measures a median over the clip; ``quantize``, int8 linear layers on the CPU (:data:`FLOAT_LAYERS`
    aside; 1.2-1.6 x faster, off by default: their activations are quantised per batch of windows, so the output moves
    with the batch, a translation or a unit by up to 1-2 px or mm; :data:`QUANTIZE`); ``convention_passes`` 1 to move
    the first pass back instead of refining again (not the default: less precise); ``taper``, Hann-weighted SWAA
    (SynSP's default; False: the paper's plain mean, :attr:`weights`); ``network_only``, the bare network as the paper
    runs it: every step around it off (no error undoing but gap filling, no pace, turn, resize, root smoothing,
    mirrored or leaning windows, joint definitions, bones, floor, low-pass or motion given back; float weights) and its
    windows merged by SWAA's plain mean at stride 1 (unless ``stride``/``taper``/``quantize`` say otherwise);
    :meth:`trace`, batches of fewer than :attr:`trace_below` windows through a traced network (what streams do).
    """

    def __init__(self, model: torch.nn.Module, config: Config, device: torch.device, meta: dict[str, Any], *,
                 stride: int | None = None, pull_stride: int | None = None, quantize: bool | None = None,
                 convention_passes: int | None = None, taper: bool | None = None, network_only: bool = False):
        self.model, self.config, self.device, self.meta = model.eval(), config, device, meta
        self.kind: str = config.model["kind"]
        self.layout = get_layout(config.data.layout)
        self.space: str = config.data.space
        self.network = get_network(self.kind)
        self.window: int = int(config.model.get("window", window_of(self.kind)))
        self.n_coords = 3 if self.space == "3d" else 2
        self.covered_fps = covered_rates(tuple(config.data.time_scale))
        # Keep the input's joint definitions (module docstring of synsp.conventions): "symmetric" (the default: undo
        # the left/right-symmetric part of the constant pull, the part a joint definition can have), True (undo all
        # of it, also constant corrections of errors) or False. SmoothNet has no body to pull the joints towards.
        self.keep_convention: bool | str = False if self.network.per_coordinate else KEEP_CONVENTION
        # Every other window mirrored (MIRROR_WINDOWS); SmoothNet refines each coordinate alone, with no left or right.
        self.mirror_windows = MIRROR_WINDOWS and not self.network.per_coordinate and bool(self.layout.left_right)
        # The clip extended at both ends before its windows are cut (inference.edge_pad); SmoothNet keeps its own cut.
        self.edge_pad = edge_pad.EDGE_PAD and not self.network.per_coordinate and not network_only
        # SWAA weights of the window frames: swaa.taper (TAPER) or None (the paper's mean); SmoothNet
        # keeps its own plain mean, as it was measured.
        tapered = (TAPER and not self.network.per_coordinate and not network_only) if taper is None else taper
        self.weights: np.ndarray | None = swaa_taper(self.window) if tapered else None
        # 3D SynSP: how far every bone is pulled towards the clip's own length (synsp.consistency).
        self.bone_strength = 0.0 if self.network.per_coordinate else STRENGTH
        # (J,) mean |shift| to the model's joint definitions measured by the last call of refine
        # (mm in 3D, pixels in 2D); None when that call kept no convention (SmoothNet, keep_convention=False).
        self.convention_offsets: np.ndarray | None = None
        self.convention_far = False  # whether that shift was far from the model's own definitions
        self.unlike_body = False  # whether it was so far that the poses are no human body the model knows
        # What refines such poses instead (load_model sets it: the shipped SmoothNet of this space,
        # loaded when first needed); None: the network's own output whatever the poses.
        self.fallback: Callable[[], "Refiner"] | None = None
        # Poses in which more than this share of the model's joints is never seen (a waist-up video)
        # are partly the gap fill's invention: the fallback refines them instead (gives_way; None: never).
        # ``unseen``: the last call's share (``lacked``: of joints its layout lacks); ``gave_way``: fallback's output.
        self.max_unseen: float | None = None if self.network.per_coordinate else UNSEEN_SHARE
        self.unseen, self.gave_way, self.lacked, self.not_finite = 0.0, False, 0.0, 0
        self.unmeasured: np.ndarray | None = None  # (V, T, J): the last call's values missing or held (no measurement)
        # (V, 4): the last call's reading of alternating frames (alternation.read_alternation; share taken out first)
        self.alternated: np.ndarray | None = None
        # 2D SynSP: a clip seen from high above is partly or wholly the fallback's (inference.foreshortening; None:
        # never); ``trunk_ratio`` and ``from_above``: the last call's trunk over shoulder width and fallback share.
        self.foreshortened = FORESHORTENED if self.space == "2d" and not self.network.per_coordinate else None
        self.trunk_ratio, self.from_above = float("nan"), 0.0
        # 3D SynSP: so for a trunk bent over the legs for the whole clip, frame by frame for hips bent or knees set wide
        # (inference.leaned_trunk, wide_stance; None: never); the last call's median trunk-to-legs angle, share, mean.
        self.leaned, self.hips_flexed, self.wide_stance = (LEANED, FLEXED, WIDE) if self.space == "3d" and not \
            self.network.per_coordinate else (None, None, None)
        self.trunk_bend, self.bent, self.flexed = float("nan"), 0.0, 0.0
        # 2D SynSP: so, frame by frame, for a trunk bent over standing legs (leaned_trunk.bent_frame_shares; None: no).
        self.bent_frames = BENT_2D if self.space == "2d" and not self.network.per_coordinate else None
        # The network's floor (synsp.inference.floor): (J,) how far it moves clean poses, in body
        # sizes, measured by `synsp floor` and stored in the checkpoint; its correction of a clip
        # is kept in proportion to how far it stands above it (strength ``shrink``; 0: off).
        floor = meta.get("correction_floor")
        self.floor = (np.asarray(floor, np.float64) if floor is not None and len(floor) == len(self.layout.joints)
                      and not self.network.per_coordinate else None)
        self.shrink = SHRINK[self.space] if self.floor is not None else 0.0
        # 2D: that correction measured from the fallback's (SmoothNet's) output, not the Butterworth's.
        self.smoothnet_base = SMOOTHNET_BASE[self.space]
        # 3D: the step's strength scaled down by the input's bone drift (floor.drift_factor over
        # this ramp; None: the whole strength whatever the input); ``limb_drift`` and
        # ``floor_strength`` are the last call's drift and strength per person, None when not measured.
        self.drift_ramp: tuple[float, float] | None = DRIFT_RAMP if self.space == "3d" else None
        self.limb_drift = self.floor_strength = self.repeated = None  # (V,) each when measured (and below)
        self.steady: np.ndarray | None = None  # (V, J): each joint's share given back (inference.joint_drift)
        # The strength scaled by how much of its slow correction the network repeats on its own output
        # (synsp.inference.repeated_pull; None: not); ``repeated`` is the last call's share per person.
        self.repeat_ramp: tuple | None = REPEAT_RAMPS[self.space]
        self.pull_ramp: tuple | None = PULL_RAMPS[self.space]  # the repeated pull taken off first, by that share
        self.lowpass_hz = None if self.network.per_coordinate else LOWPASS_HZ
        # SynSP: the body's track (2D), size and orientation steadied where they shake whole (inference.body_shake);
        # ``shaken``: the last call's (V, 3) shares of each (body_shake.shake_shares), None when not measured.
        self.shake_hz, self.shaken = (None if self.network.per_coordinate else SHAKE_HZ), None
        # 2D: a camera's pan given back to the joint-mean track (synsp.inference.camera_pan); None: not read
        self.keep_pans, self.panned = not self.network.per_coordinate, None
        self.give_back_motion = GIVE_BACK_MOTION and not self.network.per_coordinate and not network_only
        self.smoothnet_blend = not (self.network.per_coordinate or network_only)  # 3D: inference.smoothnet_blend
        # Turn each clip to the model's axes first (UPRIGHT); ``turn``: the last call's (C, C) map (upright.model_axes).
        self.upright, self.turn = UPRIGHT, None  # 2D SynSP mirrors a selfie's left-handed body too (handedness)
        # 3D: the clip and each window turned to the body's own heading about the vertical and back (inference.heading)
        self.heading = HEADING and self.space == "3d" and can_head(self.layout) and not network_only
        # 2D SynSP: windows whose trunk and legs lean over this many degrees turn upright and back (window_lean).
        leans = self.space == "2d" and can_lean(self.layout) and not self.network.per_coordinate
        self.max_lean: float | None = MAX_LEAN if leans else None
        # Follow each clip's motion pace (FOLLOW_PACE); ``paced_fps``: the rate the last call refined at (None: given).
        self.follow_pace, self.paced_fps = FOLLOW_PACE, None
        # SmoothNet given pace groups (refine's ``groups``): name -> the lower rate (fps) each was refined at, if any.
        self.group_fps: dict[str, float] = {}
        self.inverted = 0  # pair-frames whose left/right labels the last call exchanged back (inversions)
        # 3D: refine a body outside the trained sizes at the nearest one (synsp.inference.body_scale);
        # ``resized`` is the last call's factor, 1.0 when it changed nothing.
        self.trained_size, self.resized = True, 1.0
        # Speed options (section 15 of benchmarks/RESULTS.md): stride of the output windows, stride
        # of keep_convention's first (measuring) pass, batch of windows per forward pass.
        default_stride = 1 if self.network.per_coordinate or network_only else STRIDE[self.space]
        self.stride = default_stride if stride is None else check_stride("stride", stride, self.window)
        self.pull_stride = PULL_STRIDE if pull_stride is None else check_stride("pull_stride", pull_stride, self.window)
        self.batch_size = BATCH_SIZE[self.device.type == "cuda"]
        self.convention_passes = CONVENTION_PASSES if convention_passes is None else convention_passes
        if self.convention_passes not in (1, 2):
            raise ValueError(f"convention_passes must be 1 or 2, got {self.convention_passes!r}")
        self.quantized = False
        self._traced: torch.jit.ScriptModule | None = None  # see trace()
        self.trace_below = TRACE_BELOW  # batches of fewer windows run traced, once traced (0: never)
        # int8 was measured for SynSP only (section 15); SmoothNet stays float unless asked.
        # Measured errors undone before the network (synsp.estimator_errors.measurements; gaps are filled either way),
        # and the 3D root's own trajectory smoothed (ROOT_WINDOW): steps around the network too.
        self.undo_errors = self.smooth_root = True
        self.mean_anchor = MEAN_ANCHOR  # 3D: the body placed by its joints' mean (False: by its root joint)
        if network_only:  # every clip-level step off: the network's windows, merged (module docstring)
            self.keep_convention, self.bone_strength, self.mirror_windows, self.shrink = False, 0.0, False, 0.0
            self.upright = self.follow_pace = self.trained_size = self.undo_errors = self.smooth_root = False
            self.mean_anchor, self.hips_flexed, self.bent_frames, self.keep_pans = False, None, None, False
            self.wide_stance = None
            self.lowpass_hz = self.max_lean = self.max_unseen = self.shake_hz = self.foreshortened = self.leaned = None
        self.network_only = network_only
        # Nearly clean input keeps its values: the correction limited to its own noise (synsp.inference.clean).
        self.keep_clean = not network_only
        if quantize or (quantize is None and QUANTIZE and device.type == "cpu" and not self.network.per_coordinate
                        and not network_only):
            self.quantize()

    def __repr__(self) -> str:
        return (f"Refiner({self.kind}, layout={self.layout.name}, space={self.space}, window={self.window}, "
                f"stride={self.stride}, pull_stride={self.pull_stride}, quantized={self.quantized})")

    def clear_records(self) -> None:
        """Every record of a call (:data:`synsp.inference.records.RECORDS`) as before any, so that a refinement that
        does not run the network reports nothing of the one before. A method, not only the records' function:
        refining.stretches is layered below inference (tests/test_architecture.py) and resets the model handed in."""
        clear_records(self)

    def gives_way(self, missing: np.ndarray) -> bool:
        """Whether poses of the model's joints with this (T, J) or (V, T, J) bool mask of values not measured get the
        :attr:`fallback`'s output (SmoothNet's) instead of the network's: more than :attr:`max_unseen`
        (:data:`synsp.sequence.UNSEEN_SHARE`) of the joints never seen (:func:`synsp.sequence.unseen_share`), as in a
        waist-up video, leaves the body model refining a lower body made of the gap fill's stand-ins. Joints the
        input's layout lacks count too (2D markers without the face: SynSP refined the made-up face worse, validation
        2.47 px vs 2.03)."""
        return (self.max_unseen is not None and self.fallback is not None
                and unseen_share(missing) > self.max_unseen)

    def refine(self, poses: np.ndarray, *, stride: int | None = None, batch_size: int | None = None,
               fps: float | None = None, keep_convention: bool | str | None = None, floor: bool | float | None = None,
               lowpass_hz: float | None = None, other_layout: bool = False, missing: np.ndarray | None = None,
               groups: dict[str, np.ndarray] | None = None, lacking: np.ndarray | None = None) -> np.ndarray:
        """Refine ``poses`` (T, J, C) or (V, T, J, C); returns the same shape and dtype.

        The network sees :func:`synsp.estimator_errors.measurements.measurements`: NaN joints are filled by
        interpolation first, and so are held values (:mod:`synsp.estimator_errors.held_values`: a joint or a whole
        frame repeating the frame before) and glitches in the model's own layout
        (:mod:`synsp.estimator_errors.glitches`: a joint that left the body for a frame or two); a left/right pair
        whose labels the input exchanged for a while is exchanged back (:mod:`synsp.estimator_errors.inversions`,
        :attr:`inverted` counts the pair-frames). SynSP keeps the input's joint definitions (:attr:`keep_convention`)
        and, in 3D, pulls each bone towards the clip's own length (:attr:`bone_strength`, :mod:`synsp.consistency`). 3D
        inputs are refined root-relative and placed back by the smoothed trajectory of their joints' mean
        (:attr:`mean_anchor`; Savitzky-Golay, at the network's rate). 3D inputs in metres or centimetres are recognised
        by the body's size (:func:`synsp.sequence.mm_per_unit`) and refined in millimetres, then given back in their
        own unit; a body far smaller or larger than the training actors' (another unit, a child) is refined at the
        nearest trained size (:attr:`trained_size`, :mod:`synsp.inference.body_scale`). ``fps``, the input's frame
        rate, lets a rate the network was not trained at be refined at its training rate
        (:mod:`synsp.inference.frame_rate`); None assumes a rate it knows. ``keep_convention`` overrides
        :attr:`keep_convention` for this call; ``floor=False`` keeps the network's whole correction (no
        :mod:`synsp.inference.floor` step); a number sets that step's strength for this call (default
        :data:`~synsp.inference.floor.SHRINK`), which in 3D is scaled down by the input's bone drift
        (:attr:`drift_ramp`) and scaled by how much of its correction the network repeats (:attr:`repeat_ramp`), part
        of the repeated pull taken off first (:attr:`pull_ramp`). Last, SynSP's output is low-passed at
        :attr:`lowpass_hz` (:data:`LOWPASS_HZ`; None: not; nor under 15 fps for motion fast for it,
        :mod:`~synsp.inference.low_rate`); ``lowpass_hz`` overrides it (Hz; 0: none). Nearly clean input (mocap,
        markers) keeps its values: the correction is limited to the input's own noise (:mod:`synsp.inference.clean`;
        :attr:`keep_clean`). ``stride`` (frames between window starts, default :attr:`stride`) and ``batch_size``
        (windows per forward pass, default :attr:`batch_size`) trade precision and memory for speed
        (benchmarks/RESULTS.md, section 15). Poses whose joints are not the model's layout (another count, or
        ``other_layout``: another order of as many, for SmoothNet) get none of the layout's steps: no glitches or
        inversions told, no turn, resize, convention or bones, and their centroid for a root. ``missing`` (bool, shaped
        like ``poses`` without its last axis) marks values that were not measured though ``poses`` holds numbers there
        (filled already); with the NaN it decides :meth:`gives_way` (:attr:`gave_way`). ``lacking`` ((J,) bool): joints
        the input's layout has none of, never seen but not out of the picture (:attr:`lacked`). 2D poses seen from high
        above are partly or wholly the fallback's (:mod:`synsp.inference.foreshortening`), and 3D poses whose trunk is
        bent over the legs for the whole clip (:mod:`synsp.inference.leaned_trunk`). ``groups`` (SmoothNet only;
        name -> joint indices, :func:`synsp.motion_pace.pace_groups`: hands, face, mouth) are refined each at its own
        pace (:func:`synsp.motion_pace.group_rates`), the other joints at theirs; a group faster than them is recorded
        in :attr:`group_fps`.
        """
        return self.refine_branches(poses, stride=stride, batch_size=batch_size, fps=fps, floor=floor,
                                    keep_convention=keep_convention, lowpass_hz=lowpass_hz, outputs=("final",),
                                    other_layout=other_layout, missing=missing, groups=groups, lacking=lacking)["final"]

    def refine_branches(
        self, poses: np.ndarray, *, stride: int | None = None, batch_size: int | None = None,
        fps: float | None = None, keep_convention: bool | str | None = None, floor: bool | float | None = None,
        lowpass_hz: float | None = None, outputs: tuple[str, ...] | None = None, other_layout: bool = False,
        missing: np.ndarray | None = None, groups: dict[str, np.ndarray] | None = None,
        lacking: np.ndarray | None = None,
    ) -> dict[str, np.ndarray]:
        """Like :meth:`refine` but returns every output the network has: for SynSP
        ``{"position", "acceleration", "final"}`` (the two base-stage branches and the
        refinement stage), for SmoothNet only ``{"final"}``; each shaped like ``poses``.
        ``outputs`` names the ones wanted (None: all); the others are not merged or post-processed."""
        x = self._validate(poses)
        check_fps(fps)  # an absurd rate would resample the clip onto trillions of frames
        given_fps = fps
        self.convention_offsets, self.convention_far, self.unlike_body = None, False, False  # never a previous call's
        self.unmeasured, self.alternated, self.not_finite = None, None, 0
        single = x.ndim == 3
        seq = (x[None] if single else x).astype(np.float32)  # (V, T, J, C)
        own_joints = seq.shape[-2] == len(self.layout.joints) and not other_layout
        if other_layout and not self.network.per_coordinate:
            raise OptionError(f"other_layout: a {self.kind} network sees the joints together and refines its own "
                             f"{self.layout.name} only")
        if groups and not self.network.per_coordinate:
            raise OptionError(f"groups: a {self.kind} network sees the joints together; only SmoothNet refines "
                              "groups of joints at their own pace")
        if missing is not None and np.shape(missing) != x.shape[:-1]:
            raise ShapeError(f"missing must have shape {x.shape[:-1]} to match poses {x.shape}, "
                             f"got {np.shape(missing)}")
        unseen = missing_mask(x, missing)
        self.unseen = unseen_share(unseen) if own_joints else 0.0
        self.lacked = self.unseen - unseen_share(unseen, lacking) if own_joints and lacking is not None else 0.0
        # the fallback's output of the whole input, refined once for every step that asks (inference.give_way)
        way = read_give_way(self, seq, unseen, own_joints, lambda: self.fallback().refine(x, fps=given_fps))
        self.gave_way, self.trunk_ratio, self.from_above = way.gave_way, way.trunk_ratio, way.from_above
        self.trunk_bend, self.bent, self.flexed = way.trunk_bend, way.bent, float(way.flexed.mean())
        if way.whole:  # nothing SynSP would do is in the fallback's output: none reported
            drop_steps(self)
            out = way.fallback_output()
            return {name: out for name in (self.network.outputs if outputs is None else outputs)}
        # Glitches, inversions need the layout's bones and pairs (another layout's are read before its conversion);
        # jumps none under 15 fps (synsp.inference.low_rate); frames a caller filled (refill) read by no error test
        measured = measurements(seq, self.layout if own_joints else None, undo=self.undo_errors, jumps=looks_for_jumps(
            given_fps), unseen=None if missing is None else unseen.reshape(seq.shape[:-1]).all(-1), fps=given_fps)
        # a whole body alternating between two boxes frame by frame, out where it is most of the noise (alternation)
        values, self.alternated = read_alternation(measured.values) if self.undo_errors else (measured.values, None)
        seq, self.inverted = values, measured.inverted
        # no measurement: missing (NaN, or marked by the caller: a route that filled them) or held; the limbs' drift is
        # read without them (inference.floor), and synsp.refine refills them for a second look (refining.refill)
        self.unmeasured = unmeasured = unseen.reshape(measured.missing.shape) | measured.missing | measured.held
        fps = frames_rate(given_fps)  # 15 to 30 fps: read frame for frame (inference.low_rate)
        self.paced_fps, self.group_fps = None, {}
        apart: dict[str, float] = {}  # groups refined at their own rate (SmoothNet sees each coordinate alone)
        if self.follow_pace:
            if groups:
                paced, rates = group_rates(seq, groups, fps, self.covered_fps)
                apart = {name: rate for name, rate in rates.items() if rate is not None and rate != paced}
            else:
                paced = paced_rate(seq, fps, self.covered_fps)
            if paced != fps:
                self.paced_fps = fps = paced
            self.group_fps = dict(apart)
        seq, frame = into_network_frame(seq, self.layout, space=self.space, own_joints=own_joints, upright=self.upright,
                                        trained_size=self.trained_size, mean_anchor=self.mean_anchor, fps=fps,
                                        smooth_root=self.smooth_root, heading=self.heading,
                                        covered_fps=self.covered_fps, whole_span=self.edge_pad)
        stride = self.stride if stride is None else check_stride("stride", stride, self.window)
        batch_size = self.batch_size if batch_size is None else batch_size
        wanted = outputs  # the branches asked for; ``outputs`` holds their results from here on
        run = lambda s, step, rate=fps: run_at_rate(  # noqa: E731
            lambda w: self._run(w, step, batch_size, wanted, edges=True), s, rate, self.covered_fps,
            whole_span=self.edge_pad)
        seq, frame = read_handedness(run, seq, frame, fps,  # a selfie's mirror (2D)
                                     reads=self.upright and own_joints and not self.network.per_coordinate)
        self.turn, self.resized, self.size_changes = frame.turn, frame.resized, frame.size_changes()
        keep = self.keep_convention if keep_convention is None else check_keep_convention(keep_convention)
        if keep and not self.network.per_coordinate and own_joints:
            kept = keep_definitions(run, seq, self.layout, stride=stride, pull_stride=self.pull_stride,
                                    passes=self.convention_passes, symmetric=keep == "symmetric",
                                    resized=self.resized, stop_unlike=self.fallback is not None,
                                    never=unmeasured.all(axis=-2))
            self.convention_offsets, self.convention_far, self.unlike_body = kept.offsets, kept.far, kept.unlike_body
            if kept.stopped:  # no human body it knows: the fallback's output
                out = way.fallback_output()
                return {name: out for name in kept.outputs}
            outputs = kept.outputs
        else:
            outputs = run(seq, stride)
        for name, rate in apart.items():
            joints = np.asarray(groups[name], int)
            for branch, out in run(seq[:, :, joints], stride, rate).items():
                outputs[branch][:, :, joints] = out
        if self.bone_strength and self.space == "3d" and own_joints:
            outputs = {name: constant_bone_lengths(out, self.layout, self.bone_strength, seen=~unmeasured)
                       for name, out in outputs.items()}
        strength = self.shrink if floor is None or isinstance(floor, bool) else float(floor)
        self.limb_drift = self.floor_strength = self.repeated = self.steady = None
        if strength and self.floor is not None and own_joints and floor is not False:
            outputs, read = floor_pass(self, outputs, seq, strength, fps=fps, given_fps=given_fps,
                                       batch_size=batch_size, seen=~self.unmeasured)
            self.floor_strength, self.limb_drift, self.repeated = read.strength, read.limb_drift, read.repeated
            self.steady = read.steady
        self.shaken = shake_shares(seq) if self.shake_hz and own_joints and reads_fast_band(seq, given_fps) else None
        if self.shaken is not None:
            outputs = {n: steady_body(o, seq, fps, hz=self.shake_hz, layout=self.layout, shares=self.shaken)
                       for n, o in outputs.items()}
        broken = unfinite(outputs, seq)  # NaN a step made: counted before the low-pass fills it (finite_output)
        lowpass = (self.lowpass_hz if reads_fast_band(seq, given_fps) else None) if lowpass_hz is None else lowpass_hz
        if lowpass:
            rate = 30.0 if fps is None else float(fps)
            outputs = {name: butterworth(out, cutoff=cutoff_for(lowpass, rate), order=4, fps=rate)
                       for name, out in outputs.items()}
        last = outputs.get("final", next(iter(outputs.values())))
        self.panned = pan_share(seq, last) if self.keep_pans and self.space != "3d" else None
        if self.panned is not None:
            outputs = {name: keep_pan(out, seq, self.panned) for name, out in outputs.items()}
        drift = None if not (self.keep_clean and self.space == "3d" and own_joints) else (  # clean.DRIFT_OPEN
            self.limb_drift if self.limb_drift is not None  # read once, on the values measured
            else limb_drift(seq, self.layout, given_fps, ~self.unmeasured))
        # back in the input's axes and unit, set against the values it measured (inference.input_frame)
        return against_input(self, outputs, frame, values, x, way, fps=given_fps, drift=drift, broken=broken)
