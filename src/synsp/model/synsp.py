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
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, NamedTuple

import torch
from torch import Tensor, nn

from .dct import TemporalDCT
from .quality import PoseQualityEncoding, cross_view_similarity
from .transformer import Decoder, DecoderLayer, Encoder, init_xavier_, sinusoidal_positions


@dataclass
class SynSPConfig:
    """Hyper-parameters of SynSP; the defaults are the paper's Human3.6M setting."""

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

    def __post_init__(self) -> None:
        for name in ("n_joints", "n_coords", "window", "d_model", "n_layers", "n_heads", "d_k", "d_v", "d_inner"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    @property
    def n_features(self) -> int:
        """D = joints x coords, the width of one flattened pose."""
        return self.n_joints * self.n_coords

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for checkpoints (``{"config": ..., "state_dict": ...}``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SynSPConfig":
        """Inverse of ``to_dict``; unknown keys raise ``ValueError``, missing keys take defaults."""
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"d has unknown SynSPConfig keys: {sorted(unknown)}")
        return cls(**d)


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
    """MLP d_model -> 2*d_model -> D mapping token features back to pose coordinates."""

    def __init__(self, d_model: int, n_features: int):
        super().__init__()
        self.fc_in = nn.Linear(d_model, 2 * d_model)
        self.fc_out = nn.Linear(2 * d_model, n_features)

    def forward(self, h: Tensor) -> Tensor:
        return self.fc_out(torch.relu(self.fc_in(h)))  # (..., d_model) -> (..., D)


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


class RefinementStage(nn.Module):
    """Step 8: a decoder over AB features + quality-cued global tokens, then a head."""

    def __init__(self, c: SynSPConfig):
        super().__init__()
        self.decoder = Decoder(c.n_layers, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout)
        self.head = OutputHead(c.d_model, c.n_features)

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
        self.dct = TemporalDCT(c.window)
        self.embedding = Embedding(c.n_features, c.d_model)
        enc = (c.n_layers, c.d_model, c.n_heads, c.d_k, c.d_v, c.d_inner, c.dropout)
        self.local_encoder = Encoder(*enc)
        self.global_encoder = Encoder(*enc)
        self.base = BaseStage(c)
        self.quality = PoseQualityEncoding()
        self.refinement = RefinementStage(c)
        self.register_buffer("positions", sinusoidal_positions(c.window, c.d_model), persistent=False)
        init_xavier_(self)
        if c.spectral_output and c.spectral_gain:  # one (F, D) gain per output: PB, AB, final
            self.spectral_gain = nn.Parameter(torch.zeros(3, c.window, c.n_features))
        if c.pose_residual:  # start as the identity map: every head's correction is 0
            for head in (self.base.position.head, self.base.acceleration.head, self.refinement.head):
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

    def forward(self, x: Tensor) -> SynSPOutput:
        self._check(x)
        c = self.config
        b, v, f, dim = x.shape
        d = c.d_model
        spectrum = self.dct(x)  # (B, V, F, D) step 1
        emb = self.embedding(spectrum)  # (B, V, F, d) step 2
        query = emb.reshape(b * v, f, d)  # (B*V, F, d)
        local = self.local_encoder(query, self.positions).view(b, v, f, d)  # (B, V, F, d) step 3
        shared = self.global_encoder(emb.reshape(b, v * f, d), self.positions.repeat(v, 1))  # (B, V*F, d) step 4
        cue = cross_view_similarity(x)  # (B, V, V*F) step 5

        p, a, ab_features = self.base(query, view_memory(local, shared, cue))  # step 6
        p, a = p.view(b, v, f, dim), a.view(b, v, f, dim)  # (B, V, F, D)
        if c.spectral_output:
            p, a = self._to_frames(p, spectrum, 0), self._to_frames(a, spectrum, 1)
        if c.pose_residual:
            p, a = x + p, x + a

        quality, similarity = self.quality(p, a)  # (B, V, V*F) each, detached; step 7
        memory = view_memory(ab_features.view(b, v, f, d), shared, similarity + quality)  # (B*V, F+V*F, d)
        final = self.refinement(query, memory).view(b, v, f, dim)  # (B, V, F, D) step 8
        if c.spectral_output:
            final = self._to_frames(final, spectrum, 2)
        if c.pose_residual:
            final = x + final
        return SynSPOutput(p, a, final)
