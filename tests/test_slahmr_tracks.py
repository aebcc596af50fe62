"""SLAHMR's track_info.json beside its results (vye16/slahmr's layout: the JSON in the output folder, each phase's
``<seq>_<iter>_world_results.npz`` one folder below): its per-track ``vis_mask`` over the run's images, cut to the
results' frames by ``meta.seq_interval``, is the frames' missing mask, as a file's own ``track_mask`` is."""
from __future__ import annotations

import json

import numpy as np

from synsp.cli import main
from test_smpl_people import _people
from test_smpl_variants import T


def _results(folder, mask=None) -> dict[str, np.ndarray]:
    """Two tracks' SLAHMR world results (2, T, ...) saved in ``folder/smooth_fit``; returns the arrays."""
    flat = _people("flat")
    arrays = dict(root_orient=flat[..., :3], pose_body=flat[..., 3:66], betas=np.zeros((2, 16)),
                  trans=np.random.default_rng(0).normal(0, 0.01, (2, T, 3)), **({} if mask is None else
                                                                                {"track_mask": mask}))
    (folder / "smooth_fit").mkdir(parents=True)
    np.savez(folder / "smooth_fit" / "seq_000100_world_results.npz", **arrays)
    return arrays


def _track_info(folder, seen: np.ndarray, start: int = 5) -> None:
    """SLAHMR's track_info.json: tracks keyed by their id (not in index order), vis_mask over all images."""
    images = np.zeros((2, start + T + 7), bool)
    images[:, start:start + T] = seen
    tracks = {"12": {"index": 1, "vis_mask": images[1].tolist()}, "3": {"index": 0, "vis_mask": images[0].tolist()}}
    meta = {"seq_interval": [start, start + T], "data_interval": [0, -1]}
    (folder / "track_info.json").write_text(json.dumps({"tracks": tracks, "meta": meta}))


def _refine(src, dst) -> int:
    return main(["refine", str(src), str(dst), "--method", "butterworth", "--force"])


def test_vis_mask_beside_the_results_is_the_missing_mask(tmp_path, capsys):
    """Track 1 unseen in frames 20-24 (SLAHMR filled them in): refined as one motion with those frames bridged,
    as the same results with NaN there are, frames 20-24 written back as SLAHMR wrote them; no mask added to the
    file. Beside the file's own track_mask (track 0 absent before frame 8) both are read, and the file's written."""
    seen = np.ones((2, T), bool)
    seen[1, 20:25] = False
    arrays = _results(tmp_path / "run")
    _track_info(tmp_path / "run", seen)
    src = tmp_path / "run" / "smooth_fit" / "seq_000100_world_results.npz"
    assert _refine(src, tmp_path / "out.npz") == 0
    said = capsys.readouterr().out
    assert "absent from some frames (False in track_info.json's vis_mask or NaN there, kept as they were), refined " \
           "where present: person 1, frames 0-59, the 5 missing frames between read as missing and bridged" in said
    assert f"tracks: {tmp_path / 'run' / 'track_info.json'} read: 5 frame(s) of 2 track(s) unseen" in said
    nan = {k: a.copy() for k, a in arrays.items()}
    for k in ("root_orient", "pose_body", "trans"):
        nan[k][~seen] = np.nan
    np.savez(tmp_path / "nan.npz", **nan)
    assert _refine(tmp_path / "nan.npz", tmp_path / "out_nan.npz") == 0
    with np.load(tmp_path / "out.npz") as out, np.load(tmp_path / "out_nan.npz") as ref:
        assert "track_mask" not in out.files
        for k in ("root_orient", "pose_body", "trans"):
            assert np.array_equal(out[k][~seen], arrays[k][~seen])
            assert np.array_equal(out[k][seen], ref[k][seen])
    own = np.ones((2, T), bool)
    own[0, :8] = False
    _results(tmp_path / "masked", own)
    _track_info(tmp_path / "masked", seen)
    assert _refine(tmp_path / "masked" / "smooth_fit" / "seq_000100_world_results.npz", tmp_path / "m.npz") == 0
    said = capsys.readouterr().out
    assert "refined where present: person 0, frames 8-59 and person 1, frames 0-59, the 5 missing frames between " \
           "read as missing and bridged for the refinement (each person refined as one motion); the frames present " \
           "read from track_mask and track_info.json's vis_mask" in said
    with np.load(tmp_path / "m.npz") as out:
        assert np.array_equal(out["track_mask"], own)


def test_a_track_info_of_another_run_is_not_read_and_said(tmp_path, capsys):
    """A JSON of more frames than its run spans or of other tracks: not read, said in one line; the results
    refined as without it."""
    _results(tmp_path / "run")
    (tmp_path / "run" / "track_info.json").write_text(json.dumps({"tracks": {"1": {"index": 0, "vis_mask": [1] * T}},
                                                                  "meta": {"seq_interval": [0, T]}}))
    src = tmp_path / "run" / "smooth_fit" / "seq_000100_world_results.npz"
    assert _refine(src, tmp_path / "out.npz") == 0
    said = capsys.readouterr().out
    assert "1 track(s) of 60 images (run frames 0-60) do not fit results of 2 track(s); not read" in said
    np.savez(tmp_path / "alone.npz", **_results(tmp_path / "other"))
    assert _refine(tmp_path / "alone.npz", tmp_path / "out_alone.npz") == 0
    with np.load(tmp_path / "out.npz") as out, np.load(tmp_path / "out_alone.npz") as ref:
        assert all(np.array_equal(out[k], ref[k]) for k in ref.files)
