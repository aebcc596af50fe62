"""SynSP: Synergy of Smoothness and Precision in pose-sequence refinement (CVPR 2024).

One forward pass on a batch of windows ``x`` of shape ``(B, V, F, D)`` (V views or
persons of the same moment, F frames, D = joints x coords), numbered as the steps in
``shared/paper/notes.md``:

1. temporal DCT along F;  2. embedding D -> d_model;
3. local encoder over each view's F tokens;  4. global encoder over all V*F tokens;
5. cross-view similarity cue added to the global tokens each view sees;
6. base stage: a decoder whose last layer splits into the Position Branch (PB) and the
   Acceleration Branch (AB);
7. Pose Quality Encoding of the detached PB/AB disagreement + a refreshed similarity cue;
8. refinement stage: a decoder reading AB features and the cued global tokens.

Output path (two documented deviations, both switchable in ``SynSPConfig``): each head
reads ``decoder features + embedded input`` (the notes' "residual from the embedded
input", in feature space) and predicts, per token, a *spectrum correction*: token k is DCT
coefficient k, so an inverse DCT turns the heads' outputs into frames
(``spectral_output``), and the result is added to the input window with the heads' last
layer zero-initialised, so the untrained network is the identity (``pose_residual``).
The authors' code instead maps frequency token k straight to frame k's coordinates and
leaves the inverse transform to be learnt through attention. The short runs behind these
choices are in benchmarks/RESULTS.md, "Design measurements".

Every way this default model departs from the authors' code (InvertedForest/SynSP), with
its measured effect and the command that measures it, is in ``docs/deviations.md``.
``SynSPConfig(variant="official")`` builds the authors' forward pass instead (tested
against a transcription of it in ``tests/test_official_variant.py``), with their two
multi-view bugs fixed: their loss takes the acceleration along axis 1, which for
``(B, V, F, D)`` windows is the views axis (here: frames, in ``training.loss``), and with
V > 1 their forward returns ``(final, PB, AB)`` while the loss unpacks ``(PB, AB, final)``,
so their final output was trained with k = 0 (here: one named tuple for any V).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

import torch
from torch import Tensor, nn

from .config_dict import ConfigDict
from .dct import TemporalDCT
from .quality import PoseQualityEncoding, cross_view_similarity
from .transformer import Decoder, DecoderLayer, Encoder, init_xavier_, sinusoidal_positions

VARIANTS = ("synsp", "official")
REFINEMENTS = ("quality", "repeat")
FINAL_STARTS = ("input", "branches")
# The authors' attention layers drop attention weights with p = 0.1 whatever the model's
# dropout (their ScaledDotProductAttention is built with its default).
OFFICIAL_ATTN_DROPOUT = 0.1


@dataclass
class SynSPConfig(ConfigDict):
    """Hyper-parameters of SynSP. The sizes default to the paper's Human3.6M setting; the output
    path deliberately deviates from the authors' code by default (``pose_residual``,
    ``spectral_output`` and ``spectral_gain`` are True; all three False with
    ``variant="official"``), as measured in docs/deviations.md, rows 1-2. The shipped 3D default
    ``synsp-h36m17`` is also shallower than these defaults (1 layer, deviations row 16)."""

    n_joints: int = 17  # Human3.6M / COCO skeletons; any joint count works
    n_coords: int = 3  # 3 for 3D positions, 2 for 2D keypoints
    window: int = 8  # frames per window (paper: 8; supplementary: 16 best MPJPE, 32 worse)
    d_model: int = 128  # token width (paper: 128; 256 for SMPL parameters)
    n_layers: int = 4  # layers in each encoder and decoder
    n_heads: int = 4  # attention heads
    d_k: int = 64  # per-head query/key width; temperature is sqrt(d_k)
    d_v: int = 64  # per-head value width
    d_inner: int = 128  # feed-forward hidden width
    dropout: float = 0.1  # authors use 0.1-0.2
    # True (our default, a deviation): heads predict a correction added to the input
    # window and their last layer starts at zero, so the untrained net is the identity
    # and learning starts from the estimator's poses. False: the notes read literally
    # (Xavier heads output the pose itself). See the module docstring for measurements.
    pose_residual: bool = True
    # True (our default, a deviation): token k is DCT coefficient k, so each head predicts
    # a spectrum and an inverse DCT turns it into frames. False: the authors' code, where
    # heads map frequency token k straight to frame k's coordinates and must learn the
    # inverse transform through attention (with pose_residual it then stays at identity).
    spectral_output: bool = True
    # With spectral_output: each output adds a learned per-(frequency, feature) multiple of the
    # input's own spectrum. Post-norm LayerNorm removes the amplitude of the input from the
    # features, and that amplitude is what a correction must cancel (jitter lives in the high
    # frequencies); this linear path keeps it. Starts at 0, i.e. the plain residual.
    spectral_gain: bool = True
    # "synsp" (default): the model above. "official": the authors' forward pass line by line
    # (Models_inf.Transformer): unnormalised DCT; base stage = all n_layers decoder layers, then
    # the last one applied twice more with shared weights (once per branch); Linear-Linear heads;
    # heads output the window itself (implies pose_residual = spectral_output = spectral_gain =
    # False); the refinement memory takes the AB features after the residual; attention-weight
    # dropout fixed at 0.1 (the authors' `dropout` is 0.2). Their multi-view bugs are not
    # reproduced (they live in the loss and the output order, which synsp does not share):
    # the accel loss runs over frames, not views, and the outputs come in the order the loss reads.
    variant: str = "synsp"
    # "quality" (the paper): the refinement stage reads the Pose Quality Encoding. "repeat": the
    # supplementary's Sec. 2.5 alternative: the branches' average goes through a second copy of
    # the base pipeline (own weights) and the final output is the average of its two branches.
    refinement: str = "quality"
    # With pose_residual, what the refinement stage's correction is added to: "input" (the
    # estimator's window, like the branches) or "branches" (the detached mean of PB and AB: the
    # final output starts where the base stage ended; tried in benchmarks/ablation.py).
    final_from: str = "input"

    def __post_init__(self) -> None:
        for name in ("n_joints", "n_coords", "window", "d_model", "n_layers", "n_heads", "d_k", "d_v", "d_inner"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {self.variant!r}")
        if self.refinement not in REFINEMENTS:
            raise ValueError(f"refinement must be one of {REFINEMENTS}, got {self.refinement!r}")
        if self.final_from not in FINAL_STARTS:
            raise ValueError(f"final_from must be one of {FINAL_STARTS}, got {self.final_from!r}")
        if self.variant == "official":  # the authors' heads output the window itself
            self.pose_residual = self.spectral_output = self.spectral_gain = False

    @property
    def official(self) -> bool:
        """True for the authors' forward pass (``variant = "official"``)."""
        return self.variant == "official"

    @property
    def attn_dropout(self) -> float | None:
        """Dropout on attention weights: the authors' fixed 0.1, else ``dropout`` (None)."""
        return OFFICIAL_ATTN_DROPOUT if self.official else None

    @property
    def n_features(self) -> int:
        """D = joints x coords, the width of one flattened pose."""
        return self.n_joints * self.n_coords


class SynSPOutput(NamedTuple):
    """The three windows SynSP predicts, each ``(B, V, F, D)``."""

    position: Tensor  # Position Branch (trained on positions only)
    acceleration: Tensor  # Acceleration Branch (positions + accelerations)
    final: Tensor  # refinement stage


class Embedding(nn.Module):
    """Step 2: two linear maps D -> d_model -> d_model, no activation between (as published)."""

    def __init__(self, n_features: int, d_model: int):
        super().__init__()
        self.proj_in = nn.Linear(n_features, d_model)
        self.proj_out = nn.Linear(d_model, d_model)

    def forward(self, x: Tensor) -> Tensor:
        return self.proj_out(self.proj_in(x))  # (..., D) -> (..., d_model)


class OutputHead(nn.Module):
    """MLP d_model -> 2*d_model -> D mapping token features back to pose coordinates.

    ``activation=False`` is the authors' head: two Linear layers and no ReLU between (one
    linear map in effect)."""

    def __init__(self, d_model: int, n_features: int, *, activation: bool = True):
        super().__init__()
        self.fc_in = nn.Linear(d_model, 2 * d_model)
        self.fc_out = nn.Linear(2 * d_model, n_features)
        self.activation = activation

    def forward(self, h: Tensor) -> Tensor:
        h = self.fc_in(h)
        return self.fc_out(torch.relu(h) if self.activation else h)  # (..., d_model) -> (..., D)


class Branch(nn.Module):
    """One of the base stage's two outputs: its own last decoder layer and output head."""

    def __init__(self, c: SynSPConfig):
        super().__init__()
        self.layer = DecoderLayer(c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout)
        self.head = OutputHead(c.d_model, c.n_features)

    def forward(self, h: Tensor, memory: Tensor, query: Tensor) -> tuple[Tensor, Tensor]:
        features = self.layer(h, memory)  # (N, F, d_model)
        return features, self.head(features + query)  # (N, F, d_model), (N, F, D)


class PositionBranch(Branch):
    """PB: trained with the position loss only (precision)."""


class AccelerationBranch(Branch):
    """AB: trained with position + acceleration loss (smoothness)."""


class BaseStage(nn.Module):
    """Step 6: a decoder whose shared first ``n_layers - 1`` layers feed two last layers,
    one per branch ("the last layer yields two outputs")."""

    def __init__(self, c: SynSPConfig):
        super().__init__()
        self.decoder = Decoder(c.n_layers - 1, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout)
        self.position = PositionBranch(c)
        self.acceleration = AccelerationBranch(c)

    def forward(self, query: Tensor, memory: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        # query (N, F, d_model), memory (N, F + V*F, d_model), N = B*V
        h = self.decoder(query, memory)  # (N, F, d_model)
        _, p = self.position(h, memory, query)  # (N, F, D)
        ab_features, a = self.acceleration(h, memory, query)  # (N, F, d_model), (N, F, D)
        return p, a, ab_features


class RepeatedLastLayerBaseStage(nn.Module):
    """The authors' base stage (``variant = "official"``): all ``n_layers`` decoder layers,
    then the *last* layer applied twice more with the same weights, once per branch; each
    branch adds the embedded input (the in-place residual) and has a Linear-Linear head.

    In eval mode both extra passes compute the same features: the branches differ only by
    their heads (and, in training, by dropout masks).
    """

    def __init__(self, c: SynSPConfig):
        super().__init__()
        self.decoder = Decoder(c.n_layers, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout,
                               c.attn_dropout)
        self.position_head = OutputHead(c.d_model, c.n_features, activation=False)
        self.acceleration_head = OutputHead(c.d_model, c.n_features, activation=False)

    def forward(self, query: Tensor, memory: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        h = self.decoder(query, memory)  # (N, F, d_model)
        last = self.decoder.layers[-1]
        p_features = last(h, memory) + query
        a_features = last(h, memory) + query  # the refinement memory takes it with the residual
        return self.position_head(p_features), self.acceleration_head(a_features), a_features


class RefinementStage(nn.Module):
    """Step 8: a decoder over AB features + quality-cued global tokens, then a head."""

    def __init__(self, c: SynSPConfig):
        super().__init__()
        self.decoder = Decoder(c.n_layers, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout,
                               c.attn_dropout)
        self.head = OutputHead(c.d_model, c.n_features, activation=not c.official)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        return self.head(self.decoder(query, memory) + query)  # (N, F, D)


def view_memory(own: Tensor, shared: Tensor, cue: Tensor) -> Tensor:
    """Memory of each view's decoder: its own F tokens, then all V*F global tokens + cue.

    own (B, V, F, d), shared (B, V*F, d), cue (B, V, V*F) -> (B*V, F + V*F, d).
    """
    b, v, f, d = own.shape
    cued = shared[:, None] + cue[..., None]  # (B, V, V*F, d): the cue is broadcast over d
    return torch.cat([own, cued], dim=2).reshape(b * v, f + v * f, d)  # (B*V, F+V*F, d)


class SynSP(nn.Module):
    """SynSP refiner: ``forward(x)`` with ``x`` ``(B, V, F, D)`` returns ``SynSPOutput``.

    Works on normalised poses (the caller scales, e.g. mm to about unit range) and on any
    number of views V >= 1; the device follows the module (move it with ``.to``).
    """

    def __init__(self, config: SynSPConfig):
        super().__init__()
        c = self.config = config
        self.dct = TemporalDCT(c.window, orthonormal=not c.official)
        for name, module in _base_pipeline(c).items():  # embedding, encoders, base stage
            self.add_module(name, module)
        if c.refinement == "repeat":
            self.second = nn.ModuleDict(_base_pipeline(c))
        else:
            self.quality = PoseQualityEncoding(official=c.official)
            self.refinement = RefinementStage(c)
        self.register_buffer("positions", sinusoidal_positions(c.window, c.d_model), persistent=False)
        init_xavier_(self)
        if c.spectral_output and c.spectral_gain:  # one (F, D) gain per output: PB, AB, final (+ 2nd PB, AB)
            self.spectral_gain = nn.Parameter(torch.zeros(5 if c.refinement == "repeat" else 3, c.window,
                                                          c.n_features))
        if c.pose_residual:  # start as the identity map: every head's correction is 0
            for head in self.modules():
                if isinstance(head, OutputHead):
                    nn.init.zeros_(head.fc_out.weight)
                    nn.init.zeros_(head.fc_out.bias)

    def _check(self, x: Tensor) -> None:
        c = self.config
        if not isinstance(x, Tensor) or x.dim() != 4 or not x.is_floating_point():
            got = tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__
            raise ValueError(f"x must be a float tensor (B, V, F, D), got {got}")
        if x.shape[2] != c.window or x.shape[3] != c.n_features or x.shape[0] < 1 or x.shape[1] < 1:
            raise ValueError(f"x must have shape (B, V, {c.window}, {c.n_features}) with B, V >= 1, "
                             f"got {tuple(x.shape)}")

    def _to_frames(self, out: Tensor, spectrum: Tensor, which: int) -> Tensor:
        """A head's spectrum (B, V, F, D) (+ the gained input spectrum) back to frames."""
        if self.config.spectral_gain:
            # x10: Adam moves a parameter by about lr per step; the gain must reach -1 (remove a
            # frequency) within a few hundred steps, not thousands.
            out = out + 10.0 * self.spectral_gain[which] * spectrum
        return self.dct.inverse(out)

    def _output(self, out: Tensor, start: Tensor, spectrum: Tensor, which: int) -> Tensor:
        """A head's output (B, V, F, D) as a window of poses (the two switchable deviations);
        with ``pose_residual`` it is a correction of ``start`` (B, V, F, D)."""
        if self.config.spectral_output:
            out = self._to_frames(out, spectrum, which)
        return start + out if self.config.pose_residual else out

    def _base_pass(self, x: Tensor, parts: nn.Module, gains: Sequence[int]) -> "_BasePass":
        """Steps 1-6 on windows ``x`` (B, V, F, D) with the embedding, encoders and base
        stage of ``parts`` (this model, or its second copy for ``refinement = "repeat"``)."""
        b, v, f, dim = x.shape
        d = self.config.d_model
        spectrum = self.dct(x)  # (B, V, F, D) step 1
        emb = parts.embedding(spectrum)  # (B, V, F, d) step 2
        query = emb.reshape(b * v, f, d)  # (B*V, F, d)
        local = parts.local_encoder(query, self.positions).view(b, v, f, d)  # (B, V, F, d) step 3
        shared = parts.global_encoder(emb.reshape(b, v * f, d), self.positions.repeat(v, 1))  # (B, V*F, d) step 4
        cue = cross_view_similarity(x)  # (B, V, V*F) step 5
        p, a, ab_features = parts.base(query, view_memory(local, shared, cue))  # step 6
        p = self._output(p.view(b, v, f, dim), x, spectrum, gains[0])  # (B, V, F, D)
        a = self._output(a.view(b, v, f, dim), x, spectrum, gains[1])
        return _BasePass(p, a, ab_features.view(b, v, f, d), query, shared, spectrum)

    def forward(self, x: Tensor) -> SynSPOutput:
        self._check(x)
        b, v, f, dim = x.shape
        base = self._base_pass(x, self, (0, 1))
        p, a = base.position, base.acceleration
        if self.config.refinement == "repeat":  # supplementary Sec. 2.5
            second = self._base_pass((p + a) / 2, self.second, (3, 4))
            return SynSPOutput(p, a, (second.position + second.acceleration) / 2)
        quality, similarity = self.quality(p, a)  # (B, V, V*F) each, detached; step 7
        memory = view_memory(base.ab_features, base.shared, similarity + quality)  # (B*V, F+V*F, d)
        final = self.refinement(base.query, memory).view(b, v, f, dim)  # (B, V, F, D) step 8
        start = x if self.config.final_from == "input" else ((p + a) / 2).detach()
        return SynSPOutput(p, a, self._output(final, start, base.spectrum, 2))


class _BasePass(NamedTuple):
    position: Tensor  # (B, V, F, D) PB window
    acceleration: Tensor  # (B, V, F, D) AB window
    ab_features: Tensor  # (B, V, F, d_model) what the refinement stage reads as its own memory
    query: Tensor  # (B*V, F, d_model) embedded input
    shared: Tensor  # (B, V*F, d_model) global encoder tokens
    spectrum: Tensor  # (B, V, F, D) DCT of the input


def _base_pipeline(c: SynSPConfig) -> dict[str, nn.Module]:
    """Steps 2-6 as named modules: embedding, local and global encoders, base stage."""
    enc = (c.n_layers, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout, c.attn_dropout)
    return {"embedding": Embedding(c.n_features, c.d_model), "local_encoder": Encoder(*enc),
            "global_encoder": Encoder(*enc),
            "base": RepeatedLastLayerBaseStage(c) if c.official else BaseStage(c)}
