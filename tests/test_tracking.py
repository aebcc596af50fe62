"""Tracking across frames: people crossing are not swapped, newcomers far away are new tracks."""
from __future__ import annotations

import json

import numpy as np
import pytest

from synsp.formats import read_poses
from synsp.formats.tracking import link_tracks

RNG = np.random.default_rng(0)
BODY_A = RNG.normal(size=(17, 2)) * [20, 60]  # two different postures, about 200 px tall, centred on 0
BODY_A -= BODY_A.mean(0)
BODY_B = RNG.normal(size=(17, 2)) * [20, 60]
BODY_B -= BODY_B.mean(0)


def _crossing(n_frames=40, speed=12.0, noise=3.0, drop=0.0, seed=1):
    """Two people walking towards each other on nearly the same line, crossing mid-clip: one
    frame after the crossing each stands where the other stood (the trap of nearest-centroid
    matching). Returns the detections per frame (listed in the other order every frame) and who is who."""
    rng = np.random.default_rng(seed)
    frames, who = [], []
    for t in range(n_frames):
        a = BODY_A + [100 + speed * t, 300] + rng.normal(size=(17, 2)) * noise
        b = BODY_B + [100 + speed * (n_frames - 1 - t), 305] + rng.normal(size=(17, 2)) * noise
        for pose in (a, b):
            pose[rng.random(17) < drop] = np.nan
        order = [0, 1] if t % 2 else [1, 0]
        frames.append([(a, b)[k] for k in order])
        who.append(order)
    return frames, who


@pytest.mark.parametrize("drop", [0.0, 0.3])
def test_two_people_crossing_in_alternating_list_order_are_not_swapped(drop):
    frames, who = _crossing(drop=drop)
    tracks = link_tracks(frames)
    person_of_track = {}
    for t, (slots, persons) in enumerate(zip(tracks, who)):
        for slot, person in zip(slots, persons):
            assert person_of_track.setdefault(slot, person) == person, f"swap in frame {t}"
    assert len(person_of_track) == 2


def test_a_person_leaving_and_another_entering_far_away_get_distinct_tracks():
    frames = [[BODY_A + [100 + 5 * t, 300]] for t in range(20)]
    frames += [[] for _ in range(3)]
    frames += [[BODY_B + [1500 + 5 * t, 300]] for t in range(20)]
    tracks = link_tracks(frames)
    assert {s for f in tracks[:20] for s in f} == {0} and {s for f in tracks[23:] for s in f} == {1}
    # in the very next frame too
    back_to_back = [[BODY_A + [100, 300]]] * 5 + [[BODY_B + [1500, 300]]] * 5
    assert [f[0] for f in link_tracks(back_to_back)] == [0] * 5 + [1] * 5


def test_a_track_lost_briefly_is_relinked_but_not_after_max_lost():
    walk = [[BODY_A + [100 + 8 * t, 300]] if not 10 <= t < 16 else [] for t in range(30)]
    assert {f[0] for f in link_tracks(walk) if f} == {0}  # 6 frames unseen, moved on: same person
    assert {f[0] for f in link_tracks(walk, max_lost=3) if f} == {0, 1}


def test_missing_joints_and_empty_detections():
    a = BODY_A + [100, 300]
    upper, lower = a.copy(), a.copy()
    upper[9:] = np.nan
    lower[:9] = np.nan  # no joint in common with `upper`: the centroids are compared
    empty = np.full((17, 2), np.nan)
    tracks = link_tracks([[a, BODY_B + [900, 300]], [BODY_B + [905, 300], upper], [lower, empty], [a]])
    assert tracks[0] == [0, 1] and tracks[1] == [1, 0] and tracks[2][0] == 0 and tracks[3] == [0]
    assert tracks[2][1] == 2  # nothing to link: a track of its own


def test_units_do_not_matter():
    frames, who = _crossing()
    in_metres = [[p / 1000 for p in f] for f in frames]
    assert link_tracks(in_metres) == link_tracks(frames)


def test_bad_settings():
    with pytest.raises(ValueError, match="max_distance"):
        link_tracks([], max_distance=0)


def test_mmpose_file_without_track_ids_keeps_crossing_people_apart(tmp_path):
    frames, who = _crossing(drop=0.2)
    doc = [{"frame_id": t, "instances": [
        {"keypoints": [[None, None] if np.isnan(p[j]).any() else p[j].tolist() for j in range(17)],
         "keypoint_scores": [0.9] * 17} for p in f]} for t, f in enumerate(frames)]
    (tmp_path / "cross.json").write_text(json.dumps(doc))
    data = read_poses(tmp_path / "cross.json")
    assert data.poses.shape[:2] == (2, 40)
    x = np.nanmean(data.poses[..., 0], axis=-1)  # (V, T) mean x
    assert (np.abs(np.diff(x, axis=1)) < 40).all()  # each track moves 12 px a frame, never jumps across


@pytest.mark.parametrize("scored", [True, False])
def test_joints_written_at_the_origin_when_hidden_do_not_break_a_track(tmp_path, scored):
    """mmpose writes a joint it did not find as (0, 0) with a low score: an arm hidden for a while,
    then seen again, is the same person (as OpenPose's 0, 0, 0 is, read as missing)."""
    rng = np.random.default_rng(4)
    doc = []
    for t in range(60):
        instances = []
        for k, body in enumerate((BODY_A, BODY_B)):
            pose = body + [1200 + 400 * k + 2 * t, 400] + rng.normal(size=(17, 2))
            scores = np.full(17, 0.9)
            if k == 0 and 20 <= t < 40:  # an arm and a leg hidden: (0, 0), scored low
                pose[[7, 9, 13, 15]], scores[[7, 9, 13, 15]] = 0.0, 0.05
            instance = {"keypoints": pose.round(2).tolist()}
            if scored:
                instance["keypoint_scores"] = scores.tolist()
            instances.append(instance)
        doc.append({"frame_id": t + 1, "instances": instances[::-1] if t % 3 else instances})
    (tmp_path / "hidden.json").write_text(json.dumps({"meta_info": {"dataset_name": "coco"},
                                                      "instance_info": doc}))
    data = read_poses(tmp_path / "hidden.json")
    assert data.poses.shape[:2] == (2, 60)
    x = np.nanmedian(data.poses[..., 0], axis=-1)  # (V, T) median x: each track keeps its person
    assert (np.abs(np.diff(x, axis=1)) < 40).all()
