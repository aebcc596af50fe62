"""Property-based fuzzing of every reader in ``synsp.formats.FORMATS`` (readers added later are
included: the test iterates over the table). Each reader is fed 1,000 generated files, bytes,
text, JSON, CSV, BVH-like tokens, NumPy arrays and mutated valid files, under each of its
extensions; it may only raise a synsp error or a ``ValueError`` (one-line messages for the
CLI), never another exception. Derandomized, so CI runs the same examples every time.
"""
from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from synsp.errors import SynspError
from synsp.formats import FORMATS, read_poses

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = 1000

# ---- cheap generators: small inputs made of the words the readers look for ----

_WORDS = ["frame_id", "instances", "keypoints", "keypoint_scores", "image_id", "category_id", "score", "landmarks",
          "world_landmarks", "x", "y", "z", "visibility", "frames", "track_id", "bbox", "meta_info", "instance_info",
          "keypoint_filled", "keypoint_id2name", "poses", "fps", "layout", "id"]
_numbers = st.one_of(st.integers(-3, 1000), st.floats(allow_nan=True, allow_infinity=True, width=32),
                     st.sampled_from([1e308, -1e308, 1e30, 0.5, 0.0]))
_json = st.recursive(st.one_of(st.none(), st.booleans(), _numbers, st.sampled_from(_WORDS + ["", "nose"])),
                     lambda inner: st.one_of(st.lists(inner, max_size=6),
                                             st.dictionaries(st.sampled_from(_WORDS), inner, max_size=5)),
                     max_leaves=30)


def _json_bytes(value) -> bytes:
    return json.dumps(value).encode()  # NaN/Infinity tokens included: Python's json reads them


_cells = st.one_of(_numbers.map(repr), st.sampled_from(["", "nan", "abc", "1e400", "-inf", "1,5", "0", "1"]))
_columns = st.lists(st.sampled_from(["frame", "track", "j0_x", "j0_y", "j0_z", "j0_score", "j0_filled", "nose_x",
                                     "nose_y", "j1_x", "j1_y", "person", "frame_id", "other"]), min_size=1, max_size=7)


@st.composite
def _csv(draw) -> bytes:
    header = draw(_columns)
    rows = draw(st.lists(st.lists(_cells, min_size=len(header) - 1, max_size=len(header) + 1), max_size=6))
    sep = draw(st.sampled_from([",", ",", ";", "\t"]))
    return "\n".join(sep.join(row) for row in [header, *rows]).encode()


_BVH = ["HIERARCHY", "ROOT", "JOINT", "End", "Site", "{", "}", "OFFSET", "CHANNELS", "3", "6", "Xposition",
        "Yposition", "Zposition", "Zrotation", "Xrotation", "Yrotation", "MOTION", "Frames:", "Frame", "Time:",
        "Hips", "\n", "0.04", "0", "-1", "nan", "1e400"]
_bvh_tokens = st.lists(st.sampled_from(_BVH), max_size=60).map(lambda t: " ".join(t).encode())

_DTYPES = [np.float32, np.float64, np.int16, np.uint8, np.bool_, np.complex64, np.float16]
_shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
_arrays = st.one_of(hnp.arrays(st.sampled_from(_DTYPES), _shapes),
                    hnp.arrays(st.sampled_from(["<U3", "S2"]), hnp.array_shapes(max_dims=2, max_side=3)))
_KEYS = ["poses", "keypoints", "kp2d", "kp3d_world", "scores", "fps", "layout", "filled", "track_ids", "other"]


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _npz_bytes(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _valid_files() -> list[bytes]:
    """A valid file of every kind, to mutate."""
    rng = np.random.default_rng(0)
    poses = rng.normal(500, 50, (6, 17, 2))
    mmpose = [{"frame_id": t, "instances": [{"keypoints": poses[t].tolist(), "keypoint_scores": [0.9] * 17}]}
              for t in range(6)]
    coco = [{"image_id": t, "category_id": 1, "keypoints": np.c_[poses[t], np.ones(17)].ravel().tolist()}
            for t in range(6)]
    mediapipe = [{"landmarks": [{"x": 0.5, "y": 0.4, "visibility": 0.9}] * 33} for _ in range(4)]
    csv = "frame,j0_x,j0_y,j0_score\n0,1,2,0.9\n1,2,3,0.8\n".encode()
    return [json.dumps(mmpose).encode(), json.dumps(coco).encode(), json.dumps(mediapipe).encode(), csv,
            (FIXTURES / "formats" / "tiny.bvh").read_bytes(), _npy_bytes(poses),
            _npz_bytes({"poses": poses, "scores": np.ones((6, 17)), "fps": np.float64(30)}),
            _npz_bytes({"kp2d": rng.uniform(0, 1, (4, 33, 3)), "kp3d_world": rng.uniform(0, 1, (4, 33, 3))}),
            _npz_bytes({"poses": rng.normal(0, 0.3, (4, 72)), "trans": rng.normal(0, 1, (4, 3)),
                        "betas": np.zeros(10)}),
            *(path.read_bytes() for path in sorted((FIXTURES / "formats").iterdir())
              if path.suffix in (".trc", ".c3d", ".csv", ".json", ".h5")),
            min((FIXTURES / "formats" / "openpose_body25").iterdir()).read_bytes()]


_VALID = _valid_files()


@st.composite
def _mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(_VALID)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 16))
        data[at:at + cut] = draw(st.binary(max_size=8))
    return bytes(data)


CONTENT = st.one_of(
    st.binary(max_size=300),
    _json.map(_json_bytes),
    _csv(),
    _bvh_tokens,
    _arrays.map(_npy_bytes),
    st.dictionaries(st.sampled_from(_KEYS), _arrays, max_size=3).map(_npz_bytes),
    _mutated(),
    st.sampled_from([b"[" * 5000, b"{\"a\":" * 3000, b"\xef\xbb\xbf", b"\x00" * 64]),
)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as path:
        yield Path(path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_reader_raises_only_synsp_errors(fmt, folder):
    """Whatever the bytes, ``read_poses(path, format=fmt)`` returns poses or raises a
    ``SynspError``/``ValueError``; nothing else (no IndexError, struct.error, RecursionError...)."""
    extensions = FORMATS[fmt].extensions or ("/",)  # no extension: a folder format (OpenPose's JSON per frame)
    seen = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(content=CONTENT, ext=st.sampled_from(extensions))
    def read(content, ext):
        path = folder / f"fuzz{ext}"
        if ext == "/":
            path.mkdir(exist_ok=True)
            (path / "clip_000000000000_keypoints.json").write_bytes(content)
        else:
            path.write_bytes(content)
        seen.append(1)
        try:
            data = read_poses(path, format=fmt)
        except (SynspError, ValueError):
            return
        assert data.poses.ndim == 4

    read()
    print(f"fuzz {fmt}: {len(seen)} inputs, none raised anything but a synsp error or ValueError")  # pytest -s
    assert len(seen) >= EXAMPLES
