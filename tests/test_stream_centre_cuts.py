"""A live stream cuts where two people crossing had their ids swapped (the body's centre stepped onto another line,
its motion turned), as offline refinement cuts the track (``track_switches.centre_cuts``), per-id streams and a
crowd's alike; a centre step that is no switch is held a frame or two and given on unchanged (benchmarks/RESULTS.md,
section 12, "A stream at a crossing with ids swapped")."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.stream_cuts import CutWatch
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import get_layout
from test_crowd_held_frames import _walkers_2d, _walkers_3d

pytestmark = needs_data


def _swapped(x: np.ndarray, lead: int, back: int = 95) -> np.ndarray:
    """(2, T, J, C) walkers crossing at frame 75 with their ids swapped from ``lead`` frames before it to ``back``."""
    y = x.copy()
    y[:, 75 - lead:back] = y[::-1, 75 - lead:back]
    return y


def _watched(track: np.ndarray, layout: str) -> list[int]:
    """The frames a stream's cut watch (lag + lookahead 10, the default stream's) cuts ``track`` (T, J, C) at."""
    watch = CutWatch(get_layout(layout).flip_index, 10, lambda frame: [], lambda: np.zeros(0))
    for frame in track:
        watch.push(frame[None])
    return watch.cuts


@pytest.mark.parametrize("space", ["2d", "3d"])
@pytest.mark.parametrize("lead", [5, 2])
def test_the_watch_cuts_both_people_where_their_ids_were_swapped(space, lead):
    """Audit 8's crossings (2D pair 4, 3D pair 1), ids swapped 5 or 2 frames before the crossing, back at 95: both
    tracks cut at the swap and at the swap back. Before, the video-cut rule alone cut 2D person 0 only, 3D nobody."""
    x = (_walkers_2d if space == "2d" else _walkers_3d)(150).astype(np.float64)
    y = _swapped(x, lead)
    layout = "coco17" if space == "2d" else "h36m17"
    assert [_watched(track, layout) for track in y] == [[75 - lead, 95]] * 2
    assert [_watched(track, layout) for track in x] == [[], []]  # the same walkers, nothing swapped


@pytest.fixture(scope="module")
def model_3d():
    return load_model("synsp-h36m17")


def test_a_3d_crowd_cuts_at_the_swap_and_refines_each_person_alone(model_3d):
    """The 3D crossing through ``MultiPersonStreamingRefiner`` (as ``synsp stream`` runs a file's people), ids
    swapped at 70 and back at 95: each person's frames in the stretch nearer the person the detection belonged to
    than before (main: refined across the swap, a ghost of both)."""
    x = _walkers_3d(150)
    own = _swapped(x, 5)  # the noisy detection of each id, whose error the refined one should not exceed much
    crowd, got = MultiPersonStreamingRefiner(model_3d), {0: [], 1: []}
    cuts: set[tuple[int, int]] = set()
    for t in range(150):
        for pid, frames in crowd.push(own[:, t], [0, 1]).items():
            got[pid].append(frames)
        cuts |= {(pid, t + 1 - s._cuts.frames + c) for pid, s in crowd._people.items() for c in s._cuts.cuts}
    for pid, frames in crowd.flush().items():
        got[pid].append(frames)
    assert cuts == {(0, 70), (1, 70)}
    out = np.stack([np.concatenate(got[pid]) for pid in (0, 1)]).astype(np.float64)
    truth = _swapped(_clean_3d(), 5)
    stretch = np.linalg.norm(out[:, 70:95] - truth[:, 70:95], axis=-1).mean()
    noisy = np.linalg.norm(own[:, 70:95] - truth[:, 70:95], axis=-1).mean()
    assert stretch < 0.75 * noisy  # main cut neither person there: the cuts assertion above failed first


def _clean_3d() -> np.ndarray:
    """:func:`_walkers_3d`'s walkers without their noise."""
    x = _walkers_3d(150).astype(np.float64)
    return x - np.random.default_rng(1).normal(0, 8, x.shape)


def test_a_box_shifted_for_good_is_held_and_given_on_unchanged():
    """A 2D estimator's box shifted 0.05 body sizes and kept (the centre steps, its motion not turned: no switch):
    the suspect is held two frames, told no cut, and the stream's output is the same as without the centre rule."""
    model = load_model("synsp-coco17")
    x = _walkers_2d(150)[0].astype(np.float64)
    x[80:] += np.array([0.05 * 500, 0.0])
    watched, plain = StreamingRefiner(model), StreamingRefiner(model)
    plain._cuts.centre.after = 0  # no centre rule: nothing held there
    counts, plain_counts, out, plain_out = [], [], [], []
    for frame in x.astype(np.float32):
        out.append(watched.push(frame))
        plain_out.append(plain.push(frame))
        counts.append(len(out[-1]))
        plain_counts.append(len(plain_out[-1]))
    assert watched.cuts == [] and counts != plain_counts  # held: the frames then due came out late
    np.testing.assert_array_equal(np.concatenate([*out, watched.flush()]),
                                  np.concatenate([*plain_out, plain.flush()]))



@pytest.mark.parametrize("length", [12, 30])
def test_a_lost_joint_written_at_an_image_corner_is_no_switch(length):
    """A tool that writes a lost wrist at the picture's corner moves the body's centre onto another line, but not its
    median joint: offline's centre rule asks the whole body to step (``track_switches.body_stepped``), and the watch
    now does. Before, a validation dash was cut there and started afresh on the corner, read as measured (the wrist
    82 px off over runs of 12 frames, 175 over runs of 30; benchmarks/RESULTS.md, section 12)."""
    from synsp.evaluation.protocol import make_cases

    dash = make_cases("val", "typical", layout="coco17", space="2d", max_clips=6)[5]
    y = np.asarray(dash.noisy, np.float64).copy()
    y[56:56 + length, 9] = (1919.0, 1079.0)  # its last run of benchmarks/fixed_point_lost.py's
    assert _watched(y, "coco17") == []
    assert _watched(_swapped(_walkers_2d(150).astype(np.float64), 5)[0], "coco17") == [70, 95]  # a swap still cut
