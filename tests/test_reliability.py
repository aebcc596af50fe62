"""The bad-input matrix: every reader x every way a file can be wrong, every bad option, OS
failures, concurrent and killed runs. Each case asserts the exit code (2, or 0 where the input
is valid), exactly one line on stderr and no traceback, and that OUT is untouched (absent, or
byte-identical when it existed) with no temporary file left beside it.

The CLI runs in-process (``synsp.cli.main``) for speed; a few cases run it as a subprocess.
"""
from __future__ import annotations

import errno
import json
import os
import pickle
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import PoseData, write_poses

FIXTURES = Path(__file__).parent / "fixtures"
SRC = Path(__file__).parents[1] / "src"


def motion(t: int = 40, j: int = 17, c: int = 3, seed: int = 0) -> np.ndarray:
    """Smooth jittery poses: 3D around 500 mm, or 2D pixels around 500 px."""
    rng = np.random.default_rng(seed)
    frames = np.arange(t)[:, None, None]
    return 500 + 100 * np.sin(frames / 7 + rng.uniform(0, 6, (1, j, c))) + rng.normal(0, 5, (t, j, c))


# ---- valid files of every format, from (T, J, C) poses (a transform of them makes the bad ones) ----

def _pose_data(x: np.ndarray, fmt: str, scores: bool) -> PoseData:
    x = np.asarray(x, dtype=np.float64)[None]
    s = np.full(x.shape[:3], 0.9) if scores else None
    return PoseData(poses=x, scores=s, layout="coco17" if x.shape[2] == 17 and fmt in ("mmpose", "coco") else None)


def write_array(path: Path, x: np.ndarray) -> None:
    if path.suffix == ".npy":
        np.save(path, x)
    else:
        np.savez(path, poses=x)


def write_csv(path: Path, x: np.ndarray) -> None:
    write_poses(path, _pose_data(x, "csv", scores=False), format="csv")


def write_mmpose(path: Path, x: np.ndarray) -> None:
    x = x[..., :2]
    frames = [{"frame_id": t, "instances": [{"keypoints": x[t].tolist(), "keypoint_scores": [0.9] * x.shape[1]}]}
              for t in range(len(x))]
    path.write_text(json.dumps(frames))


def write_coco(path: Path, x: np.ndarray) -> None:
    x = x[..., :2]
    rows = [{"image_id": t, "category_id": 1, "score": 0.9,
             "keypoints": np.concatenate([x[t], np.full((x.shape[1], 1), 0.9)], -1).ravel().tolist()}
            for t in range(len(x))]
    path.write_text(json.dumps(rows))


def write_mediapipe_npz(path: Path, x: np.ndarray) -> None:
    x = np.resize(x, (len(x), 33, 3)) if x.shape[1] == 17 else x
    kp2d = np.concatenate([x[..., :2], np.full(x.shape[:2] + (1,), 0.9)], -1)
    np.savez(path, kp2d=kp2d, kp3d_world=(x - 500) / 1000)


def write_mediapipe_json(path: Path, x: np.ndarray) -> None:
    x = np.resize(x, (len(x), 33, 3)) if x.shape[1] == 17 else x
    frames = [{"landmarks": [{"x": p[0], "y": p[1], "visibility": 0.9} for p in frame.tolist()]} for frame in x]
    path.write_text(json.dumps(frames))


def write_bvh(path: Path, x: np.ndarray) -> None:
    """A two-joint BVH whose root moves as x's first joint (only the frames and values matter here)."""
    text = (FIXTURES / "formats" / "tiny.bvh").read_text()
    head = text[:text.index("MOTION")]
    rows = [" ".join(repr(float(v)) for v in [*frame[0, :3], 0, 0, 0, 0, 0, 0]) for frame in x]
    path.write_text(head + f"MOTION\nFrames: {len(x)}\nFrame Time: 0.04\n" + "\n".join(rows) + "\n")


# reader -> (file name, writer)
READERS: dict[str, tuple[str, Callable[[Path, np.ndarray], None]]] = {
    "npz": ("in.npz", write_array),
    "npy": ("in.npy", write_array),
    "csv": ("in.csv", write_csv),
    "mmpose": ("in.json", write_mmpose),
    "coco": ("in.json", write_coco),
    "mediapipe-npz": ("in.npz", write_mediapipe_npz),
    "mediapipe-json": ("in.json", write_mediapipe_json),
    "bvh": ("in.bvh", write_bvh),
}


def _all(value: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda x: np.full_like(x, value)


def _one(value: float) -> Callable[[np.ndarray], np.ndarray]:
    def put(x):
        x = x.copy()
        x[20, 0, 0] = value
        return x
    return put


# What is done to the poses before writing a valid file -> expected exit code
VALUE_CASES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], int]] = {
    "valid": (lambda x: x, 0),
    "all NaN": (_all(np.nan), 2),
    "all inf": (_all(np.inf), 2),
    "all 1e30": (_all(1e30), 2),
    "one inf": (_one(np.inf), 0),
    "one 1e30": (_one(1e30), 0),
    "one NaN": (_one(np.nan), 0),
    "one frame": (lambda x: x[:1], 0),
    "two frames": (lambda x: x[:2], 0),
    "zero frames": (lambda x: x[:0], 2),
}

# Bytes that are no such file -> every reader must refuse them (exit 2)
_rng = np.random.default_rng(7)
BYTE_CASES: dict[str, Callable[[bytes], bytes]] = {
    "empty file": lambda valid: b"",
    "truncated": lambda valid: valid[: len(valid) // 2 + 3],
    "binary garbage": lambda valid: _rng.integers(0, 256, 2000, dtype=np.uint8).tobytes(),
    "text garbage": lambda valid: b"hello, this is not a pose file\n" * 3,
    "not UTF-8": lambda valid: b"\xff\xfe\x00\x81" * 50,
    "deep nesting": lambda valid: b"[" * 100_000 + b"]" * 100_000,
    "NUL bytes": lambda valid: b"\x00" * 512,
    "JSON string": lambda valid: b'"poses"',
    "JSON number": lambda valid: b"42",
    "JSON object, wrong keys": lambda valid: b'{"people": [{"pose": [1, 2]}], "version": 1}',
    "JSON list of numbers": lambda valid: b"[1, 2, 3]",
}


@dataclass
class Case:
    """One row of the matrix: how to make the input, the arguments, the expected exit code."""

    name: str
    make: Callable[[Path], Path | None]  # builds the input in the folder given, returns its path (or None)
    args: list[str] = field(default_factory=list)
    code: int = 2
    out: str = "out{suffix}"  # output name, {suffix} = the input's
    existing: bytes | None = None  # OUT exists beforehand with these bytes
    patch: Callable | None = None  # patch(monkeypatch, folder): simulate an OS failure
    method: list[str] = field(default_factory=lambda: ["--method", "savgol"])


def _file(name: str, content: bytes | Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
        return path
    return make


def _valid_bytes(reader: str) -> bytes:
    import tempfile

    name, write = READERS[reader]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(path, motion(c=2 if reader in ("mmpose", "coco") else 3))
        return path.read_bytes()


def _reader_cases() -> list[Case]:
    cases = []
    for reader, (name, write) in READERS.items():
        two_d = reader in ("mmpose", "coco")
        fmt = ["--input-format", {"mediapipe-npz": "mediapipe", "mediapipe-json": "mediapipe"}.get(reader, reader)]
        for what, (transform, code) in VALUE_CASES.items():
            def make(path, write=write, transform=transform, two_d=two_d):
                write(path, transform(motion(c=2 if two_d else 3)))
            out = "out.npz" if reader == "bvh" else "out{suffix}"  # BVH is read-only
            cases.append(Case(f"{reader}: {what}", _file(name, make), fmt, code, out=out))
        valid = _valid_bytes(reader)
        for what, corrupt in BYTE_CASES.items():
            cases.append(Case(f"{reader}: {what}", _file(name, corrupt(valid)), fmt, 2))
        j16 = _file(name, lambda p, write=write, two_d=two_d: write(p, motion(j=16, c=2 if two_d else 3)))
        if reader not in ("bvh", "mediapipe-npz", "mediapipe-json"):  # their joints are fixed by the format
            cases.append(Case(f"{reader}: 16 joints, --layout of 17", j16,
                              [*fmt, "--layout", "coco17" if two_d else "h36m17"], 2))
            cases.append(Case(f"{reader}: 16 joints, unknown layout, SynSP", j16, fmt, 0, method=["--method", "synsp"]))
        cases.append(Case(f"{reader}: existing OUT without --force", _file(name, valid), fmt, 2,
                          existing=b"the user's earlier result"))
        cases.append(Case(f"{reader}: existing OUT with --force", _file(name, valid), [*fmt, "--force"], 0,
                          existing=b"the user's earlier result", out="out.npz" if reader == "bvh" else "out{suffix}"))
        cases.append(Case(f"{reader}: unknown extension", _file("in.pose", valid), [], 2))
        cases.append(Case(f"{reader}: extension of another format", _file("in.bvh" if reader != "bvh" else "in.csv",
                                                                          valid), [], 2))
    return cases


# ---- files that are no pose file in other ways ----

def _pickled_npz(path: Path) -> None:
    np.savez(path, poses=np.array([{"a": 1}, None], dtype=object))


def _pickled_npy(path: Path) -> None:
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)


def _pickle_file(path: Path) -> None:
    path.write_bytes(pickle.dumps({"poses": [1, 2, 3]}))


def _zip_of_text(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("poses.npy", b"not an npy header")


OTHER_FILES = [
    Case("npz with a pickled object array", _file("in.npz", _pickled_npz)),
    Case("npy with a pickled object array", _file("in.npy", _pickled_npy)),
    Case("a Python pickle named .npz", _file("in.npz", _pickle_file)),
    Case("a Python pickle named .npy", _file("in.npy", _pickle_file)),
    Case("zip of a broken npy", _file("in.npz", _zip_of_text)),
    Case("npz with two unnamed arrays", _file("in.npz", lambda p: np.savez(p, a=motion(), b=motion()))),
    Case("npz with two arrays, --key picks one", _file("in.npz", lambda p: np.savez(p, a=motion(), b=motion())),
         ["--key", "a"], 0),
    Case("npz, --key of no array", _file("in.npz", lambda p: np.savez(p, poses=motion())), ["--key", "nope"]),
    Case("npz with only metadata", _file("in.npz", lambda p: np.savez(p, fps=30.0, layout="coco17"))),
    Case("npz of strings", _file("in.npz", lambda p: np.savez(p, poses=np.array([["a", "b"]])))),
    Case("npz of complex numbers", _file("in.npz", lambda p: np.savez(p, poses=motion() * 1j))),
    Case("npz of booleans", _file("in.npz", lambda p: np.savez(p, poses=motion() > 500))),
    Case("npz of int16", _file("in.npz", lambda p: np.savez(p, poses=motion().astype(np.int16))), [], 0),
    Case("npz of float16", _file("in.npz", lambda p: np.savez(p, poses=motion().astype(np.float16))), [], 0),
    Case("npy of rank 2", _file("in.npy", lambda p: np.save(p, np.zeros((10, 3))))),
    Case("npy of rank 5", _file("in.npy", lambda p: np.save(p, np.zeros((1, 2, 10, 17, 3))))),
    Case("npy with 4 coordinates", _file("in.npy", lambda p: np.save(p, motion(c=4)))),
    Case("npy with 1 coordinate", _file("in.npy", lambda p: np.save(p, motion(c=1)))),
    Case("npy with 0 joints", _file("in.npy", lambda p: np.save(p, np.zeros((10, 0, 3))))),
    Case("npy of shape (1, 1, 1)", _file("in.npy", lambda p: np.save(p, np.zeros((1, 1, 1))))),
    Case("npz with scores of another shape", _file("in.npz", lambda p: np.savez(p, poses=motion(),
                                                                                    scores=np.ones((3, 3))))),
    Case("npz with a bad fps", _file("in.npz", lambda p: np.savez(p, poses=motion(), fps=-5.0))),
    Case("npz with a NaN fps", _file("in.npz", lambda p: np.savez(p, poses=motion(), fps=np.nan))),
    Case("npz with a bad fps, --fps given", _file("in.npz", lambda p: np.savez(p, poses=motion(), fps=-5.0)),
         ["--fps", "30"], 0),
    Case("npz with an fps array", _file("in.npz", lambda p: np.savez(p, poses=motion(), fps=np.ones(3)))),
    Case("npz with an unknown layout name", _file("in.npz", lambda p: np.savez(p, poses=motion(), layout="smpl99")),
         method=["--method", "synsp"]),
    Case("npz with track_ids of the wrong length", _file("in.npz", lambda p: np.savez(p, poses=motion(),
                                                                                          track_ids=[1, 2, 3]))),
    Case("npz with filled flags not 0/1", _file("in.npz", lambda p: np.savez(p, poses=motion(),
                                                                                 filled=np.full((40, 17), 7))))
    ,
    Case("npz, every score 0", _file("in.npz", lambda p: np.savez(p, poses=motion(), scores=np.zeros((40, 17))))),
    Case("npz, NaN scores", _file("in.npz", lambda p: np.savez(p, poses=motion(), scores=np.full((40, 17),
                                                                                                    np.nan)))),
    Case("(T, J, 3) x, y in pixels + confidence", _file("in.npz", lambda p: np.savez(p, poses=_xy_conf())), [], 0),
    Case("(T, J, 3) x, y, confidence, --space 3d", _file("in.npz", lambda p: np.savez(p, poses=_xy_conf())),
         ["--space", "3d"], 0),
    Case("(T, J, 3) all in [0, 1]: ambiguous", _file("in.npz", lambda p: np.savez(p, poses=_normalised()))),
    Case("(T, J, 3) all in [0, 1], --space 2d", _file("in.npz", lambda p: np.savez(p, poses=_normalised())),
         ["--space", "2d"], 0),
    Case("(T, J, 3) x, y in pixels, constant third channel", _file("in.npz", lambda p: np.savez(
        p, poses=np.concatenate([motion(c=2), np.zeros((40, 17, 1))], -1))), [], 0),
    Case("(T, J, 3) metres, z in [0, 1]", _file("in.npz", lambda p: np.savez(p, poses=_metres())), [], 0),
    Case("MediaPipe npz with only kp2d", _file("in.npz", lambda p: np.savez(p, kp2d=_xy_conf(j=33))), [], 0),
    Case("MediaPipe npz with only kp2d, --space 3d on 2D + 3 channels", _file(
        "in.npz", lambda p: np.savez(p, kp2d=_xy_conf(j=33)[..., :2])), ["--space", "3d"]),
    Case("CSV separated by semicolons", _file("in.csv", b"nose_x;nose_y\n1;2\n3;4\n")),
    Case("CSV separated by tabs", _file("in.csv", b"nose_x\tnose_y\n1\t2\n3\t4\n")),
    Case("CSV with decimal commas", _file("in.csv", b"nose_x,nose_y\n\"1,5\",\"2,5\"\n")),
    Case("CSV header only", _file("in.csv", b"frame,j0_x,j0_y\n")),
    Case("CSV with a ragged row", _file("in.csv", b"j0_x,j0_y\n1,2\n3\n")),
    Case("CSV with text in a cell", _file("in.csv", b"j0_x,j0_y\n1,2\nabc,4\n")),
    Case("CSV with a duplicate frame", _file("in.csv", b"frame,j0_x,j0_y\n0,1,2\n0,3,4\n")),
    Case("CSV with axes x only", _file("in.csv", b"j0_x,j1_x\n1,2\n")),
    Case("CSV with a fractional track", _file("in.csv", b"track,j0_x,j0_y\n0.5,1,2\n")),
    Case("CSV with a huge frame number", _file("in.csv", b"frame,j0_x,j0_y\n1e300,1,2\n0,1,2\n"), [], 0),
    Case("CSV with a cell over the csv module's limit", _file("in.csv", b"j0_x,j0_y\n" + b"1" * 200_000 + b",2\n")),
    Case("JSON with NaN tokens everywhere", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"frame_id": 0, "instances": [{"keypoints": [[float("nan")] * 2] * 17, "keypoint_scores": [0.9] * 17}]}])))),
    Case("mmpose with keypoints of 3 numbers per joint", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"frame_id": t, "instances": [{"keypoints": [[1, 2, 3]] * 17, "keypoint_scores": [0.9] * 17}]}
         for t in range(5)]))), [], 0),
    Case("mmpose with scores of the wrong length", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"frame_id": 0, "instances": [{"keypoints": [[1, 2]] * 17, "keypoint_scores": [0.9] * 3}]}])))),
    Case("mmpose with string keypoints", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"frame_id": 0, "instances": [{"keypoints": "nose", "keypoint_scores": [0.9]}]}])))),
    Case("mmpose with ragged keypoints", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"frame_id": t, "instances": [{"keypoints": [[1, 2]] * (17 - t)}]} for t in range(3)])))),
    Case("COCO with keypoints not a multiple of 3", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"image_id": 0, "category_id": 1, "keypoints": [1, 2, 3, 4]}])))),
    Case("COCO with string image ids of no number", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"image_id": "abc", "category_id": 1, "keypoints": [1, 2, 1] * 17}]))), [], 0),
    Case("MediaPipe JSON, landmarks not dicts", _file("in.json", lambda p: p.write_text(json.dumps(
        [{"landmarks": [1, 2, 3]}])))),
    Case("BVH with a bad channel", _file("in.bvh", lambda p: p.write_text(
        (FIXTURES / "formats" / "tiny.bvh").read_text().replace("Yrotation\n  JOINT", "Wrotation\n  JOINT")))),
    Case("BVH with too few values per frame", _file("in.bvh", lambda p: p.write_text(
        (FIXTURES / "formats" / "tiny.bvh").read_text().replace("0 90 0 0 0 0 0 0 0", "0 90 0")))),
    Case("BVH with a negative frame time", _file("in.bvh", lambda p: p.write_text(
        (FIXTURES / "formats" / "tiny.bvh").read_text().replace("0.04", "-1")))),
]


def _xy_conf(t: int = 40, j: int = 17) -> np.ndarray:
    x = motion(t, j, 3)
    x[..., 2] = np.random.default_rng(1).uniform(0.2, 1.0, (t, j))
    return x


def _normalised() -> np.ndarray:
    x = _xy_conf()
    x[..., :2] /= 1000  # normalised image coordinates
    return x


def _metres() -> np.ndarray:
    x = (motion() - 500) / 300  # about 1 m tall, centred
    x[..., 2] = np.abs(x[..., 2]) % 1  # depth happens to lie in [0, 1]
    return x


# ---- arguments ----

def _valid_npz(path: Path) -> None:
    np.savez(path, poses=motion())


VALID = _file("in.npz", _valid_npz)
VALID_2D = _file("in.json", lambda p: write_mmpose(p, motion(c=2)))


def _garbage_checkpoint(path: Path) -> None:
    path.write_bytes(b"not a checkpoint at all")


def _pickled_checkpoint(path: Path) -> None:
    import torch

    torch.save({"config": {}, "state_dict": {}, "x": Path("/")}, path)  # a class to unpickle: weights_only refuses


def _list_checkpoint(path: Path) -> None:
    import torch

    torch.save([1, 2, 3], path)


def _nan_checkpoint(path: Path) -> None:
    import torch

    from synsp.inference.checkpoint import shipped_path

    payload = torch.load(shipped_path("smoothnet-h36m17"), weights_only=True)
    name = next(k for k, v in payload["state_dict"].items() if v.is_floating_point())
    payload["state_dict"][name] = payload["state_dict"][name] * float("nan")
    torch.save(payload, path)


def _mismatched_checkpoint(path: Path) -> None:
    import torch

    from synsp.inference.checkpoint import shipped_path

    payload = torch.load(shipped_path("smoothnet-h36m17"), weights_only=True)
    payload["config"]["model"]["window"] = 16
    torch.save(payload, path)


def _checkpoint_case(name: str, make: Callable[[Path], None], method: str = "smoothnet") -> Case:
    def build(folder: Path) -> Path:
        make(folder / "model.pt")
        VALID(folder)
        return folder / "in.npz"
    return Case(f"--checkpoint {name}", build, ["--checkpoint", "model.pt"], method=["--method", method])


ARGUMENT_CASES = [
    *[Case(f"--fps {v}", VALID, ["--fps", v]) for v in ("0", "-1", "nan", "inf", "-inf", "abc", "", "1e400")],
    Case("--fps 60", VALID, ["--fps", "60"], 0),
    Case("--fps 60 for SynSP", VALID, ["--fps", "60"], 0, method=["--method", "synsp"]),
    *[Case(f"--device {v!r}", VALID, ["--device", v], method=["--method", "synsp"])
      for v in ("foo", "cuda", "cuda:7", "", "gpu", "cpu:x")],
    Case("--device cpu", VALID, ["--device", "cpu"], 0, method=["--method", "synsp"]),
    Case("--checkpoint missing file", VALID, ["--checkpoint", "none.pt"], method=["--method", "synsp"]),
    Case("--checkpoint unknown name", VALID, ["--checkpoint", "synsp-smpl"], method=["--method", "synsp"]),
    Case("--method smoothnet --checkpoint synsp-h36m17", VALID, ["--checkpoint", "synsp-h36m17"],
         method=["--method", "smoothnet"]),
    Case("--method synsp --checkpoint smoothnet-h36m17", VALID, ["--checkpoint", "smoothnet-h36m17"],
         method=["--method", "synsp"]),
    Case("--method savgol --checkpoint synsp-h36m17", VALID, ["--checkpoint", "synsp-h36m17"]),
    Case("2D checkpoint for 3D poses", VALID, ["--checkpoint", "synsp-coco17"], method=["--method", "synsp"]),
    Case("3D checkpoint for 2D poses", VALID_2D, ["--checkpoint", "synsp-h36m17"], method=["--method", "synsp"]),
    Case("--checkpoint is a directory", VALID, ["--checkpoint", "."], method=["--method", "synsp"]),
    _checkpoint_case("of text", _garbage_checkpoint),
    _checkpoint_case("empty", lambda p: p.write_bytes(b"")),
    _checkpoint_case("pickling a class", _pickled_checkpoint),
    _checkpoint_case("a list", _list_checkpoint),
    _checkpoint_case("with NaN weights", _nan_checkpoint),
    _checkpoint_case("whose weights do not fit its config", _mismatched_checkpoint),
    Case("--layout unknown", VALID, ["--layout", "smpl99"]),
    Case("--layout of 33 joints for 17", VALID, ["--layout", "mediapipe33"]),
    Case("--layout empty", VALID, ["--layout", ""], method=["--method", "synsp"]),
    Case("--layout h36m17", VALID, ["--layout", "h36m17"], 0, method=["--method", "synsp"]),
    Case("--method unknown", VALID, [], method=["--method", "kalman"]),
    Case("--method empty", VALID, [], method=["--method", ""]),
    Case("--method identity", VALID, [], 0, method=["--method", "identity"]),
    *[Case(f"--method {m}", VALID, [], 0, method=["--method", m])
      for m in ("one-euro", "gaussian", "butterworth", "median", "hampel", "smoothnet", "synsp")],
    Case("--threshold nan", VALID, ["--threshold", "nan"]),
    Case("--threshold abc", VALID, ["--threshold", "abc"]),
    Case("--threshold 2 (nothing confident)", _file("in.npz", lambda p: np.savez(p, poses=motion(),
                                                                                     scores=np.ones((40, 17)))),
         ["--threshold", "2"]),
    Case("--space world on an npz", VALID, ["--space", "world"]),
    Case("--space 4d", VALID, ["--space", "4d"]),
    Case("--space 2d on 3D poses with scores", _file("in.npz", lambda p: np.savez(p, poses=motion(),
                                                                                      scores=np.ones((40, 17)))),
         ["--space", "2d"]),
    Case("--space 2d on 3D poses (x, y, z)", _file("in.npz", lambda p: np.savez(p, poses=motion())), ["--space", "2d"]),
    Case("--key on a CSV", _file("in.csv", lambda p: write_csv(p, motion())), ["--key", "poses"]),
    Case("--format unknown", VALID, ["--format", "xlsx"]),
    Case("--format bvh", VALID, ["--format", "bvh"]),
    Case("--input-format unknown", VALID, ["--input-format", "xlsx"]),
    Case("--input-format csv for an npz", VALID, ["--input-format", "csv"]),
    Case("--input-format bvh for an npz", VALID, ["--input-format", "bvh"]),
    Case("--input-format mmpose for an npz", VALID, ["--input-format", "mmpose"]),
    Case("--joints unknown", VALID, ["--joints", "all"]),
    Case("unknown flag", VALID, ["--frobnicate"]),
    Case("output of unknown extension", VALID, [], out="out.xyz"),
    Case("output .csv from an npz", VALID, [], 0, out="out.csv"),
    Case("output .json from 3D npz (mmpose, 3 coordinates)", VALID, [], 0, out="out.json"),
    Case("output .bvh", VALID, [], out="out.bvh"),
    Case("output is the input", VALID, ["--force"], out="in.npz"),
    Case("output is the input without --force", VALID, [], out="in.npz"),
    Case("output is a directory", VALID, ["--force"], out="."),
    Case("output in a new folder", VALID, [], 0, out="new/deeper/out.npz"),
    Case("missing input", lambda folder: folder / "nope.npz"),
    Case("directory as input", lambda folder: (folder / "dir.npz").mkdir() or folder / "dir.npz"),
    Case("input is /dev/null", lambda folder: Path("/dev/null")),
]


# ---- OS failures, simulated (the tests run as root in CI, where chmod does not deny anything) ----

def _raise(err: OSError) -> Callable:
    def fail(*args, **kwargs):
        raise err
    return fail


def _read_only(monkeypatch, folder: Path) -> None:
    monkeypatch.setattr("synsp.paths.tempfile.mkstemp", _raise(OSError(errno.EROFS, "Read-only file system",
                                                                          str(folder))))


def _disk_full(monkeypatch, folder: Path) -> None:
    import numpy

    monkeypatch.setattr(numpy, "savez", _raise(OSError(errno.ENOSPC, "No space left on device")))


def _disk_full_csv(monkeypatch, folder: Path) -> None:
    from synsp.formats import csv as csv_format

    class Full:
        def __enter__(self):
            return self

        def __exit__(self, *exc) -> bool:
            return False

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    def full_disk_open(file, mode="r", *args, **kwargs):
        return Full() if "w" in mode else open(file, mode, *args, **kwargs)
    monkeypatch.setattr(csv_format, "open", full_disk_open, raising=False)


def _unreadable(monkeypatch, folder: Path) -> None:
    real = os.access
    monkeypatch.setattr("synsp.formats.os.access", lambda p, mode: False if Path(p).name == "in.npz"
                        else real(p, mode))


def _open_denied(monkeypatch, folder: Path) -> None:
    import builtins

    real = builtins.open

    def deny(file, *args, **kwargs):
        if str(file).endswith("in.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", deny)


def _no_memory(monkeypatch, folder: Path) -> None:
    monkeypatch.setattr("synsp.formats.arrays.np.load", _raise(MemoryError("Unable to allocate 8.00 EiB")))


def _interrupted(monkeypatch, folder: Path) -> None:
    def stop(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("synsp.refining.tracks.refine_track", stop)


def _no_link(monkeypatch, folder: Path) -> None:
    monkeypatch.setattr("synsp.paths.os.link", _raise(OSError(errno.EPERM, "Operation not permitted")))


OS_CASES = [
    Case("read-only output folder", VALID, [], patch=_read_only),
    Case("disk full while writing npz", VALID, [], patch=_disk_full),
    Case("disk full while writing csv", _file("in.csv", lambda p: write_csv(p, motion())), [], patch=_disk_full_csv),
    Case("disk full, existing OUT with --force", VALID, ["--force"], patch=_disk_full, existing=b"earlier"),
    Case("unreadable input", VALID, [], patch=_unreadable),
    Case("permission denied opening the input", _file("in.csv", lambda p: write_csv(p, motion())), [],
         patch=_open_denied),
    Case("out of memory reading", VALID, [], patch=_no_memory),
    Case("Ctrl-C while refining", VALID, [], 130, patch=_interrupted),
    Case("no hard links on this file system", VALID, [], 0, patch=_no_link),
    Case("no hard links, existing OUT", VALID, [], 2, patch=_no_link, existing=b"earlier"),
]

CASES = [*_reader_cases(), *OTHER_FILES, *ARGUMENT_CASES, *OS_CASES]


def run_case(case: Case, folder: Path, monkeypatch, capsys) -> tuple[int, str, Path]:
    src = case.make(folder)
    out = folder / case.out.format(suffix=src.suffix if src else ".npz")
    if case.existing is not None:
        out.write_bytes(case.existing)
    if case.patch is not None:
        case.patch(monkeypatch, folder)
    monkeypatch.chdir(folder)
    capsys.readouterr()
    try:
        code = main(["refine", str(src), str(out), *case.method, *case.args])
    except SystemExit as exit:  # argparse
        code = exit.code
    return code, capsys.readouterr().err, out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_matrix(case, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SYNSP_DEBUG", raising=False)
    code, err, out = run_case(case, tmp_path, monkeypatch, capsys)
    monkeypatch.undo()
    assert code == case.code, err
    assert "Traceback" not in err
    temporaries = [n for n in os.listdir(out.parent if out.parent.is_dir() else tmp_path) if ".synsp-tmp-" in n]
    assert not temporaries, temporaries
    if code == 0:
        assert out.is_file() and out.stat().st_size > 0
        return
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("synsp"), lines[0]
    if out.resolve() == tmp_path.resolve():
        return  # the output "." is the folder itself
    if case.existing is not None:
        assert out.read_bytes() == case.existing
    elif out.name != "in.npz":
        assert not out.exists()


def test_the_matrix_has_the_size_of_the_issues(capsys):
    assert len(CASES) >= 178, len(CASES)


def test_a_device_or_pipe_as_output_is_refused_not_replaced(tmp_path, monkeypatch, capsys):
    """An atomic write renames a new file over OUT: with --force onto /dev/null that would replace the device
    itself (audit 16, finding 2). A pipe stands for the device here: mknod needs root."""
    monkeypatch.delenv("SYNSP_DEBUG", raising=False)
    src, out = VALID(tmp_path), tmp_path / "out.npz"
    os.mkfifo(out)
    code, err = main(["refine", str(src), str(out), "--method", "savgol", "--force"]), capsys.readouterr().err
    assert code == 2 and err.strip().splitlines() == [f"synsp refine: error: {out} is not a regular file (a device, a "
                                                      "pipe or a socket); give a file name"], err
    assert stat.S_ISFIFO(os.stat(out).st_mode)


def test_synsp_debug_reraises(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SYNSP_DEBUG", "1")
    (tmp_path / "in.npz").write_bytes(b"junk")
    with pytest.raises(ValueError, match="in.npz"):
        main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz")])


# ---- a few as real processes: exit codes, stderr, signals ----

def _cli(*args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC), "SYNSP_DEBUG": ""}
    return subprocess.Popen([sys.executable, "-m", "synsp", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, **popen)


@pytest.mark.parametrize("name, content, code", [
    ("in.json", b"[" * 200_000, 2),
    ("in.npz", b"PK\x03\x04garbage", 2),
    ("in.csv", b"j0_x,j0_y\n1,2\n3,4\n5,6\n", 0),
])
def test_subprocess_exit_code_and_one_line(tmp_path, name, content, code):
    (tmp_path / name).write_bytes(content)
    proc = _cli("refine", str(tmp_path / name), str(tmp_path / f"out{Path(name).suffix}"), "--method", "savgol")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    if code:
        assert len(stderr.strip().splitlines()) == 1 and not (tmp_path / f"out{Path(name).suffix}").exists()


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_killed_mid_write_then_a_second_run(tmp_path, sig, code):
    """A run killed while writing OUT leaves no OUT; a temporary only after SIGKILL, which the
    next run removes; the next run then writes OUT."""
    src = tmp_path / "in.npz"
    np.savez(src, poses=motion(t=2000))
    out = tmp_path / "out.npz"
    # hold the write open: the writer sleeps inside atomic_path, after the temporary exists
    slow = ("import time, numpy, synsp.cli, sys\n"
            "real = numpy.savez\n"
            "def slow(*a, **k):\n    real(*a, **k); print('writing', flush=True); time.sleep(60)\n"
            "numpy.savez = slow\n"
            f"sys.exit(synsp.cli.main(['refine', {str(src)!r}, {str(out)!r}, '--method', 'savgol']))\n")
    env = {**os.environ, "PYTHONPATH": str(SRC), "SYNSP_DEBUG": ""}
    proc = subprocess.Popen([sys.executable, "-c", slow], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and proc.stdout.readline().strip() != "writing":
            pass
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code and "Traceback" not in stderr
    assert not out.exists()
    left = [n for n in os.listdir(tmp_path) if ".synsp-tmp-" in n]
    assert len(left) == (1 if sig == signal.SIGKILL else 0), left
    again = _cli("refine", str(src), str(out), "--method", "savgol")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert out.is_file() and not [n for n in os.listdir(tmp_path) if ".synsp-tmp-" in n]


# ---- the Python API: one synsp error type per failure, never a TypeError naming internals ----

def _stream_push(frame):
    from synsp import StreamingRefiner, load_model

    return StreamingRefiner(load_model("smoothnet-h36m17", device="cpu")).push(frame)


def _api_cases():
    import synsp
    from synsp import errors
    from synsp.refining.files import refine_file

    x = motion().astype(np.float32)
    return {
        "refine(None)": (lambda: synsp.refine(None), errors.ShapeError),
        "refine(a string)": (lambda: synsp.refine("poses.npy"), errors.ShapeError),
        "refine(object array)": (lambda: synsp.refine(np.array([[[{}]]], dtype=object)), errors.ShapeError),
        "refine(all NaN)": (lambda: synsp.refine(np.full((10, 17, 3), np.nan)), errors.MissingDataError),
        "refine(x, unknown option)": (lambda: synsp.refine(x, "savgol", windw=5), errors.OptionError),
        "refine(x, fps='a')": (lambda: synsp.refine(x, "one-euro", fps="a"), errors.OptionError),
        "refine(x, fps=-1)": (lambda: synsp.refine(x, fps=-1), errors.OptionError),
        "refine(x, method=3)": (lambda: synsp.refine(x, 3), errors.OptionError),
        "refine(x, device='foo')": (lambda: synsp.refine(x, device="foo"), errors.DeviceError),
        "refine(x, smoothnet, synsp checkpoint)": (lambda: synsp.refine(x, "smoothnet", checkpoint="synsp-h36m17"),
                                                   errors.CheckpointError),
        "load_model(123)": (lambda: synsp.load_model(123), errors.CheckpointError),
        "load_model(unknown)": (lambda: synsp.load_model("synsp-smpl"), errors.InputNotFoundError),
        "StreamingRefiner(None)": (lambda: synsp.StreamingRefiner(None), errors.OptionError),
        "push(a string)": (lambda: _stream_push("abc"), errors.ShapeError),
        "refine_file(123, ...)": (lambda: refine_file(123, "out.npz"), errors.OptionError),
        "refine_file(missing)": (lambda: refine_file("/nonexistent/in.npz", "out.npz"), errors.InputNotFoundError),
    }


@pytest.mark.parametrize("name", list(_api_cases()))
def test_api_raises_one_synsp_error_type_per_failure(name):
    from synsp.errors import SynspError

    call, kind = _api_cases()[name]
    with pytest.raises(kind) as info:
        call()
    assert isinstance(info.value, SynspError) and "\n" not in str(info.value)


# ---- (T, J, 3) without scores: x, y + confidence, or x, y, z? ----

def test_third_channel_rule_both_sides():
    from synsp.channels import third_channel

    assert third_channel(_xy_conf()) == "confidence"  # pixels + scores
    assert third_channel(motion()) == "z"  # millimetres: the channel leaves [0, 1.5]
    assert third_channel(_metres()) == "z"  # metres, depth happens to lie in [0, 1]
    assert third_channel(motion() / 1000) is None  # metres, every coordinate in [0, 1]: could be either, ask
    assert third_channel(_normalised()) is None  # x, y, score all in [0, 1]: ask
    beyond = _normalised()
    beyond[:5, 9, 0] = -0.024  # MediaPipe's wrist a little left of the picture: still normalised, ask
    assert third_channel(beyond) is None
    assert third_channel(np.concatenate([motion(c=2), np.zeros((40, 17, 1))], -1)) == "constant"  # padded z = 0
    scores_over_1 = _xy_conf()
    scores_over_1[::10, ::4, 2] = 1.08  # RTMPose-like scores a little above 1, now and then
    assert third_channel(scores_over_1) == "confidence"


def test_simcc_scores_above_1_are_a_confidence_and_a_depth_that_moves_with_the_body_is_not():
    """RTMPose/RTMW's SimCC scores are no probabilities: 20 % of them above 1, up to 1.12, or a model's
    up to 1.7; x, y span pixels and the channel stays in [0, 2] without moving with the body: a score.
    A depth in metres beside pixels moves with the body (all joints together): not told, ask."""
    from synsp.channels import third_channel

    rtmw = _xy_conf()
    rtmw[..., 2] = np.random.default_rng(2).uniform(0.02, 1.12, (40, 17))
    assert np.mean(rtmw[..., 2] > 1) > 0.05 and third_channel(rtmw) == "confidence"
    rtmw[..., 2] *= 1.6  # scores up to 1.8
    assert third_channel(rtmw) == "confidence"
    depth = motion()  # pixels, and a depth walking from 1.8 to 0.3 m, each joint within 15 cm of the body's
    depth[..., 2] = np.linspace(1.8, 0.3, 40)[:, None] + np.random.default_rng(3).uniform(-0.15, 0.15, 17)
    assert third_channel(depth) is None


def test_confidence_channel_is_refined_in_2d_and_written_back_unchanged(tmp_path, capsys):
    import synsp
    from synsp.formats import read_poses

    x = _xy_conf()
    x[..., 2] = np.maximum(x[..., 2], 0.5)
    x[5:9, 3, 2] = 0.05  # low confidence: missing, filled
    np.savez(tmp_path / "in.npz", poses=x)
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--method", "savgol"]) == 0
    report = capsys.readouterr().out
    assert "third channel is a confidence" in report and "px/frame^2" in report
    out = read_poses(tmp_path / "out.npz").poses[0]
    np.testing.assert_array_equal(out[..., 2], x[..., 2].astype(out.dtype))
    others = [j for j in range(17) if j != 3]  # every joint but the filled one is x, y refined alone, in 2D
    np.testing.assert_allclose(out[:, others, :2], synsp.refine(x[..., :2], "savgol")[:, others], atol=1e-6)
    assert np.linalg.norm(out[5:9, 3, :2] - x[5:9, 3, :2], axis=-1).max() < 60  # the low-confidence joint was filled


def test_space_2d_on_a_depth_says_what_it_assumed(tmp_path):
    """--space 2d on MediaPipe Holistic's x, y, z (z a relative depth about 0): z read as the scores left every joint
    out ('no joint detected with confidence >= 0.3'); a channel neither in [0, 1] nor percent now leaves no joint
    out: x, y refined in 2D, the channel written back as read, and the summary says which channel it took."""
    from synsp import refine_file

    x = motion(40, 17, 3) / 1000  # normalised image coordinates
    x[..., 2] = np.random.default_rng(7).uniform(-0.1, 0.1, (40, 17))
    np.save(tmp_path / "hol.npy", x)
    summary = refine_file(tmp_path / "hol.npy", tmp_path / "out.npy", method="savgol", space="2d")
    out = np.load(tmp_path / "out.npy")
    assert np.array_equal(out[..., 2], x[..., 2]) and not np.array_equal(out[..., :2], x[..., :2])
    assert "neither [0, 1] nor percent: no joint left out by --threshold" in str(summary)
