"""A mirrored (selfie) 2D clip: read by the network's correction and refined mirrored back (inference.handedness)."""
import numpy as np

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.handedness import mirror_ratio, read_handedness
from synsp.inference.network_frame import NetworkFrame
from synsp.inference.upright import describe_axes

WIDTH = 1920.0  # the simulator's image width


def _selfie(x: np.ndarray) -> np.ndarray:
    """x -> WIDTH - x, the labels kept: keypoints drawn on a front camera's mirrored picture."""
    y = np.array(x, np.float32)
    y[..., 0] = WIDTH - y[..., 0]
    return y


def test_the_clip_whose_mirror_the_network_corrects_less_is_mirrored_and_given_back():
    rng = np.random.default_rng(0)
    seq = np.cumsum(rng.normal(0, 1, (1, 60, 17, 2)), axis=1).astype(np.float32) + [200.0, 300.0]

    def run(s: np.ndarray, stride: int) -> dict[str, np.ndarray]:  # pulls bodies standing at negative x by 5 px
        return {"final": s + (5.0 if s[..., 0].mean() > 0 else 0.5)}

    assert mirror_ratio(run, seq, 30.0) > 5
    frame = NetworkFrame(None, 1.0, 1.0, None, True)
    mirrored, turned = read_handedness(run, seq, frame, 30.0, reads=True)
    np.testing.assert_array_equal(mirrored[..., 0], -seq[..., 0])
    np.testing.assert_array_equal(turned.back(mirrored), seq)
    kept, same = read_handedness(run, seq, frame, 30.0, reads=False)  # 3D, SmoothNet, no upright turn: not read
    assert kept is seq and same is frame


@needs_data
def test_a_selfie_clip_is_refined_as_the_clip_itself():
    from synsp.evaluation.protocol import make_cases

    # validation clip 30 (`jitter`): mirrored, it came out 1.45 x its input, as given 0.70
    clip = make_cases("val", "jitter", layout="coco17", space="2d", max_clips=30)[-1].noisy
    model = load_model("synsp-coco17", device="cpu", quantize=False)
    given = model.refine(clip)
    assert model.turn is None  # the clip as given is not mirrored
    selfie = _selfie(model.refine(_selfie(clip)))
    assert np.linalg.det(model.turn) < 0
    np.testing.assert_allclose(selfie, given, atol=0.01)  # px, float32 rounding of WIDTH - x
    assert describe_axes(model.turn) == "the picture is mirrored, its labels kept (a front camera's selfie?)"
