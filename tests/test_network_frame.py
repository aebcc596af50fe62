"""The frame a clip is refined in, and back (synsp.inference.network_frame)."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.inference.network_frame import into_network_frame
from synsp.skeleton import get_layout, root_position
from walking import walking

H36M = get_layout("h36m17")
COCO = get_layout("coco17")
OPTIONS = dict(own_joints=True, upright=True, trained_size=True, mean_anchor=True, fps=None, covered_fps=(30.0, 30.0))


@needs_data
def test_3d_clip_in_z_up_centimetres_is_taken_upright_in_mm_about_its_root_and_back():
    from synsp.data.mocap import load_clip

    mm = load_clip("dataset-2_walk_normal_002")[:60].astype(np.float32)  # (T, 17, 3) H36M-17, mm, Y up
    given = (mm[..., [0, 2, 1]] / 10 + [300, -200, 0])[None].astype(np.float32)  # Z up, cm, off the origin
    seq, frame = into_network_frame(given, H36M, space="3d", smooth_root=False, **OPTIONS)
    assert frame.turn is not None and frame.resized == 1.0
    assert abs(frame.unit - 10.0) < 1e-6
    np.testing.assert_allclose(root_position(seq, H36M), 0.0, atol=1e-3)
    head_up = (seq[0, :, H36M.joints.index("head")] - seq[0, :, 0]).mean(axis=0)
    assert np.argmax(np.abs(head_up)) == 1 and head_up[1] > 0  # the model's +y up
    np.testing.assert_allclose(frame.back(seq), given, atol=1e-3)  # the input's axes, unit and place


def test_2d_track_on_its_side_is_turned_and_back_and_has_no_root():
    clean, _ = walking()
    given = clean[None, :, :, ::-1].astype(np.float32)  # x and y exchanged: lying on its side
    seq, frame = into_network_frame(given, COCO, space="2d", smooth_root=True, **OPTIONS)
    assert frame.turn is not None and frame.root_track is None and frame.unit == 1.0
    np.testing.assert_allclose(frame.back(seq), given, atol=1e-3)
