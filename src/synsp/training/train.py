"""``synsp train``: Eq. 4 training on real mocap with simulated estimator errors.

``[data] space = "rotation"`` trains on joint rotations instead: the mocap retargeted to the
SMPL tree as 6D windows (:mod:`synsp.training.rotation_pairs`), the loss on 6D plus on joint
positions after forward kinematics (:mod:`synsp.training.rotation_loss`), validation MPJPE
after forward kinematics (:mod:`synsp.evaluation.rotations`).

One process, or several under ``torchrun`` (DDP; gloo on CPU, NCCL on CUDA). Every epoch
writes ``last.pt`` atomically (config, weights, optimizer, scheduler, RNG state, history)
and ``best.pt`` when the validation MPJPE improves, and ``log.jsonl`` (one line per epoch) from
the run's history; ``resume=True`` continues exactly where ``last.pt`` left off. A folder that
holds another run is refused unless ``resume`` or ``force`` (which starts afresh, its checkpoints
and log removed first). At the end a SynSP model of positions gets its floor measured into
``best.pt`` (:mod:`synsp.training.floor`), so that it refines as the shipped models do.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.distributed as dist

from synsp.config import Config
from synsp.data.mocap import clip_info, load_clips
from synsp.data.rotation_errors import slow_errors_in
from synsp.data.smpl_mocap import load_smpl_clip
from synsp.data.splits import load_split
from synsp.errors import OutputExistsError
from synsp.evaluation.protocol import Case, evaluate, make_cases
from synsp.evaluation.rotations import RotationCase, evaluate_rotations, rotation_cases
from synsp.inference.checkpoint import (
    build_model,
    load_checkpoint,
    model_path,
    resolve_device,
    save_checkpoint,
    trained_network,
)
from synsp.inference.refiner import Refiner
from synsp.inference.rotation_refiner import refine_rotation_sequence
from synsp.model import get_network
from synsp.paths import atomic_path
from synsp.training.distill import distillation_loss, shallower_state
from synsp.training.floor import calibrate_floor
from synsp.training.loss import training_loss
from synsp.training.own_clips import own_clips
from synsp.training.pairs import TrainingPairs
from synsp.training.rotation_loss import rotation_loss
from synsp.training.rotation_pairs import RotationPairs
from synsp.training.window_change import other_window_state

VAL_SEED = 20240617  # fixed validation noise: every epoch and every run is scored on the same inputs


# What may change between a run and its resumption (a longer budget, other hardware).
RESUMABLE_CHANGES = {"train.epochs", "train.max_minutes", "train.progress", "train.device", "train.threads",
                     "train.floor_clips"}


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {f"{section}.{key}" for section in new for key in set(new[section]) | set(old.get(section, {}))
            if old.get(section, {}).get(key) != new[section].get(key)}


@dataclass
class World:
    """Where this process stands in a (possibly single-process) data-parallel run."""

    rank: int = 0
    size: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def _init_world(device: torch.device) -> World:
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return World()
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return World(dist.get_rank(), dist.get_world_size())


def validation_cases(config: Config, own_val: dict[str, np.ndarray] | None = None) -> list[Case] | list[RotationCase]:
    """Whole validation clips under the run's main preset, with fixed noise: the split's, or with
    ``[data] own_clips`` your own (``own_val``: those already loaded)."""
    preset = max(config.data.presets, key=config.data.presets.get)
    if config.data.space == "rotation":
        return rotation_cases("val", preset, VAL_SEED, config.data.val_clips)
    if config.data.own_clips and own_val is None:
        own_val = own_clips(config.data)[1]
    return make_cases("val", preset, layout=config.data.layout, space=config.data.space, seed=VAL_SEED,
                      max_clips=config.data.val_clips, clips=own_val)


RUN_FILES = ("last.pt", "best.pt", "log.jsonl")  # what a run writes in its out_dir (and --force removes)


def held_run(out_dir: Path, resume: bool) -> str | None:
    """Why ``out_dir`` may not take a new run: it holds another's checkpoints (``resume`` continues
    one only from its ``last.pt``); None when it may."""
    held = [name for name in RUN_FILES[:2] if (out_dir / name).is_file()]
    if not held or (resume and "last.pt" in held):
        return None
    if resume:
        return f"{out_dir} holds best.pt but no last.pt to resume from; pass --force to start afresh (replacing it)"
    return (f"{out_dir} holds a run ({', '.join(held)}); pass --resume to continue it or --force to start afresh "
            "(its checkpoints and log replaced)")


def train(config: Config, *, resume: bool = False, force: bool = False, log: Callable[[str], None] = print) -> Path:
    """Train the model described by ``config``; returns the path of ``best.pt``. Only the main
    process of a data-parallel run calls ``log``: every process runs this function. An ``out_dir``
    holding another run is refused (``OutputExistsError``, nothing touched) unless ``resume``
    continues it or ``force`` starts afresh."""
    device = resolve_device(config.train.device)
    world = _init_world(device)
    if not world.main:
        log = _quiet
    if world.size > 1 and device.type == "cuda":
        device = torch.device("cuda", world.rank % torch.cuda.device_count())
    if config.train.threads:
        torch.set_num_threads(config.train.threads)
    out_dir = Path(config.train.out_dir)
    refusal = None if force else held_run(out_dir, resume)
    if refusal:
        raise OutputExistsError(refusal)
    torch.manual_seed(config.train.seed + world.rank)

    own = own_clips(config.data) if config.data.own_clips else None  # bad clips fail before any work
    record = {"own_clips": {"train": list(own[0]), "val": list(own[1])}} if own else {}
    model = build_model(config).to(device)
    window = model.config.window
    optimizer = torch.optim.Adam(
        model.parameters(), lr=config.train.lr, weight_decay=config.train.weight_decay, amsgrad=True
    )
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=config.train.lr_decay)
    state = {"epoch": 0, "history": [], "best": float("inf"), "seconds": 0.0}
    if resume and (out_dir / "last.pt").is_file():
        ckpt = load_checkpoint(out_dir / "last.pt", device)
        # Read through Config so that fields added since the checkpoint was written take their
        # defaults (which keep the old behaviour) instead of counting as changes.
        saved = Config.from_dict(ckpt["config"], source=str(out_dir / "last.pt")).to_dict()
        changed = _changed_fields(saved, config.to_dict()) - RESUMABLE_CHANGES
        if changed:
            raise ValueError(f"{out_dir / 'last.pt'}: config differs in {sorted(changed)}; refusing to resume")
        if ckpt.get("meta", {}).get("own_clips") != record.get("own_clips"):
            raise ValueError(f"{out_dir / 'last.pt'}: [data] own_clips finds other files than the run trained on "
                             "(see its meta['own_clips']); refusing to resume")
        model.load_state_dict(ckpt["state_dict"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        state = {k: ckpt[k] for k in state}
        torch.set_rng_state(ckpt["rng"]["torch"][world.rank % len(ckpt["rng"]["torch"])])
        if world.main:
            _rewrite_log(out_dir / "log.jsonl", state["history"])
        log(f"resumed from {out_dir / 'last.pt'} after epoch {state['epoch']}")
    else:
        if config.train.init_from:
            _init_weights(model, config, device)
            log(f"fine-tuning {config.train.init_from} at lr {config.train.lr:g}")
        if world.main:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name in RUN_FILES:  # --force: nothing of the run replaced is left to mix with this one
                (out_dir / name).unlink(missing_ok=True)
            (out_dir / "config.json").write_text(json.dumps(config.to_dict(), indent=2))

    names = list(own[0]) if own else load_split("train")
    if config.data.train_clips:
        names = names[: config.data.train_clips]
    if config.data.space == "rotation":
        pairs = RotationPairs([load_smpl_clip(name)[0] for name in names], config.data, window)
        refiner = None
    else:
        weights = config.data.dataset_weights
        clips = [own[0][n] for n in names] if own else load_clips(names, layout=config.data.layout)
        pairs = TrainingPairs(clips, config.data, window,
                              [weights.get(str(clip_info(n).dataset), 1.0) for n in names] if weights else None,
                              {name: load_clips(names, layout=name) for name in config.data.input_layouts},
                              each_point=get_network(config.model["kind"]).per_coordinate)
        # Float and sharing the weights being trained: an int8 refiner would quantise a copy of
        # the weights as they were at the start, and validate that copy every epoch.
        refiner = Refiner(model, config, device, {}, quantize=False)
    val = validation_cases(config, own[1] if own else None) if world.main else []
    net = torch.nn.parallel.DistributedDataParallel(model) if world.size > 1 else model
    teacher = _teacher(config, device)

    capped = False
    while state["epoch"] < config.train.epochs:
        started = time.time()
        epoch = state["epoch"] + 1
        # Seeded by (seed, epoch): every rank builds the same epoch and takes its own shard, and a
        # resumed run draws exactly the noise and order it would have drawn.
        noisy, clean = pairs.epoch(np.random.default_rng([config.train.seed, epoch]))
        if world.main and config.data.windows_per_epoch > len(noisy) and not capped:
            capped = True  # said once: the count changes a little from epoch to epoch (playback speed)
            log(f"windows_per_epoch = {config.data.windows_per_epoch} is more than the {len(noisy)} windows the "
                "training clips give: every window is used each epoch")
        order = np.random.default_rng([config.train.seed, epoch, 1]).permutation(len(noisy))
        train_loss = _train_epoch(net, optimizer, noisy, clean, order, config, device, epoch, world, teacher)
        scheduler.step()
        state["seconds"] += time.time() - started
        state["epoch"] = epoch
        if world.main:
            metrics = _validate(model, refiner, val, config, device, window)
            entry = {"epoch": epoch, "loss": train_loss, "val_mpjpe": metrics["MPJPE"], "val_accel": metrics["Accel"],
                     "lr": optimizer.param_groups[0]["lr"], "seconds": round(state["seconds"], 1)}
            state["history"].append(entry)
            improved = metrics["MPJPE"] < state["best"]
            state["best"] = min(state["best"], metrics["MPJPE"])
            _write_checkpoints(out_dir, config, model, optimizer, scheduler, state, world, improved, record)
            _rewrite_log(out_dir / "log.jsonl", state["history"])  # the run's own epochs, never another's
            log(f"epoch {epoch}: loss {train_loss:.4f}  val MPJPE {metrics['MPJPE']:.2f}  "
                f"Accel {metrics['Accel']:.2f}{'  (best)' if improved else ''}")
        if world.size > 1:
            dist.barrier()
        if config.train.max_minutes and state["seconds"] > 60 * config.train.max_minutes:
            log(f"stopping: time budget of {config.train.max_minutes} min used")
            break
    if world.size > 1:
        dist.destroy_process_group()
    if world.main and (out_dir / "best.pt").is_file():
        _measure_floor(out_dir / "best.pt", config, own[0] if own else None, log)
    log(f"best checkpoint: {out_dir / 'best.pt'}")
    return out_dir / "best.pt"


def _measure_floor(best: Path, config: Config, own_train: dict[str, np.ndarray] | None,
                   log: Callable[[str], None]) -> None:
    """Measure ``best``'s floor into it (``synsp floor``, on the run's own training clips if it has them):
    without one a fine-tuned copy of the shipped 3D model took a 10 mm white-noise walk to 1.19 x its input,
    with it to 0.47 x (benchmarks/RESULTS.md section 8). Only SynSP models of positions have a floor step."""
    if not config.train.floor_clips or config.data.space == "rotation" \
            or get_network(config.model["kind"]).per_coordinate:
        return
    started = time.time()
    floor = calibrate_floor(best, best, clips=config.train.floor_clips, own=own_train)
    log(f"floor measured into {best}: {floor.mean():.4f} body sizes on average ({time.time() - started:.0f} s)")


def _quiet(message: str) -> None:
    """The log of a data-parallel run's other processes: the main one says it all."""


def _rewrite_log(path: Path, history: list[dict[str, Any]]) -> None:
    """``log.jsonl`` as the run's history has it, written atomically after every epoch's checkpoint and
    on resume (a run killed between the two loses no line): one run's epochs, never appended to another's
    log (until 2026-12-06 a rerun in the same folder appended, mixing runs; audit 14)."""
    with atomic_path(path) as tmp:
        tmp.write_text("".join(json.dumps(entry) + "\n" for entry in history))


def _validate(model, refiner, val, config: Config, device, window: int) -> dict[str, float]:
    """The validation metrics (MPJPE, Accel, ...) of the model in its current state."""
    model.eval()
    if config.data.space == "rotation":
        metrics = evaluate_rotations(
            lambda r: refine_rotation_sequence(model, r, window=window, device=device), val)
    else:
        metrics = evaluate({"model": refiner.refine}, val, layout=config.data.layout,
                           space=config.data.space, include_input=False)["model"]
    model.train()
    return metrics


def _init_weights(model: torch.nn.Module, config: Config, device: torch.device) -> None:
    """Load ``train.init_from``'s weights into ``model``; its model section must match ours
    (the data may differ: that is the point of fine-tuning, e.g. on several views), except
    that ours may have fewer layers (a distillation student starts from its layers) and may see
    its rotation windows about each joint's mean (``rotation_centred``: the same weights), and a
    SynSP network may have another ``window`` (its spectral gain resampled by frequency,
    :mod:`synsp.training.window_change`)."""
    source = model_path(config.train.init_from)
    ckpt = load_checkpoint(source, device)
    theirs = ckpt["config"]["model"]
    same = {"n_layers": None, "rotation_centred": None}
    state = ckpt["state_dict"]
    if config.model.get("kind") == "synsp" and theirs.get("window", 8) != config.model.get("window", 8):
        same["window"] = None
        state = other_window_state(state, int(config.model.get("window", 8)))
    fewer_layers = ({**theirs, **same} == {**config.model, **same}
                    and config.model.get("n_layers", 4) <= theirs.get("n_layers", 4))
    if not fewer_layers or ckpt["config"]["data"]["layout"] != config.data.layout:
        raise ValueError(f"train.init_from {source}: its model {theirs} / layout {ckpt['config']['data']['layout']} "
                         f"differ from this config's {config.model} / {config.data.layout}")
    model.load_state_dict(shallower_state(state, model.state_dict()))


def _teacher(config: Config, device: torch.device) -> torch.nn.Module | None:
    """``train.teacher``'s network, frozen in eval mode, or None without one."""
    if not config.train.teacher:
        return None
    if config.data.space == "rotation":
        raise ValueError("train.teacher: distillation is for networks of positions, not rotations")
    teacher, theirs, _, _ = trained_network(config.train.teacher, device, rotation=False)
    if theirs.model["kind"] != config.model["kind"] or theirs.data.layout != config.data.layout:
        raise ValueError(f"train.teacher {config.train.teacher}: a {theirs.model['kind']} {theirs.data.layout} model, "
                         f"not {config.model['kind']} {config.data.layout}")
    return teacher.eval().requires_grad_(False)  # float32: trained_network loads into a float model


def _train_epoch(net, optimizer, noisy, clean, order, config, device, epoch, world, teacher=None) -> float:
    """One pass over this rank's shard of ``order`` (window indices); returns the mean loss."""
    from tqdm import tqdm

    net.train()
    per_rank = len(order) // world.size  # equal shards keep DDP's collective calls in step
    order = order[world.rank * per_rank : (world.rank + 1) * per_rank]
    batch = config.train.batch_size
    steps = range(0, len(order) - batch + 1, batch) if len(order) >= batch else range(0, 1)
    bar = tqdm(steps, desc=f"epoch {epoch}", disable=not (config.train.progress and world.main), leave=False)
    total, count = 0.0, 0
    kind = config.model["kind"]
    for start in bar:
        idx = order[start : start + batch]
        x = torch.from_numpy(noisy[idx]).to(device)
        y = torch.from_numpy(clean[idx]).to(device)
        weights = {"lambda_p": config.train.lambda_p, "lambda_a": config.train.lambda_a}
        if config.data.space == "rotation":
            loss = rotation_loss(kind, net(x), y, lambda_fk=config.train.lambda_fk, **weights)
        else:
            out = net(x)
            loss = training_loss(kind, out, y, **weights)
            if teacher is not None:
                with torch.no_grad():
                    taught = teacher(x)
                share = config.train.teacher_weight
                loss = (1 - share) * loss + share * distillation_loss(kind, out, taught, **weights)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.item()
        count += 1
        bar.set_postfix(loss=f"{total / count:.4f}")
    return total / max(count, 1)


def _rotation_meta(config: Config) -> dict[str, bool]:
    """What a rotation network's refiner needs to know of its training mix: whether it learnt to
    remove slow errors (then it runs without keeping each joint's rest frame by default)."""
    if config.data.space != "rotation":
        return {}
    return {"learnt_slow_errors": slow_errors_in(config.data.presets)}


def _write_checkpoints(out_dir, config, model, optimizer, scheduler, state, world, improved, record) -> None:
    payload = {
        "config": config.to_dict(),
        "state_dict": model.state_dict(),
        "meta": {"epoch": state["epoch"], "val_mpjpe": state["history"][-1]["val_mpjpe"],
                 "world_size": world.size, "torch": str(torch.__version__), **_rotation_meta(config),
                 **record},
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": {"torch": [torch.get_rng_state()]},
        **state,
    }
    save_checkpoint(out_dir / "last.pt", payload)
    if improved:
        save_checkpoint(out_dir / "best.pt", {k: payload[k] for k in ("config", "state_dict", "meta")})
