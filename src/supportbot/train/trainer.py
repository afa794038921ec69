"""The Trainer: batches, the loss, TensorBoard metrics, whole checkpoints and the step guard, put together.

transformers' Trainer rather than TRL's SFTTrainer: TRL casts QLoRA adapters to bf16, which
breaks the fp16 gradient scaler that T4s depend on; Trainer keeps the adapter in fp32 under
fp16 autocast. Data arrives already tokenised with assistant-only labels (supportbot.data).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path

import torch

from supportbot.compat import overrides_trainer
from supportbot.config import DataConfig, HardwareConfig, TrainingConfig
from supportbot.data.batches import training_batches
from supportbot.distributed import Placement, peak_memory_gb
from supportbot.model.compile import compile_decoder_layers
from supportbot.model.losses import install_target_only_loss, resolve_cross_entropy
from supportbot.model.neftune import add_neftune_noise
from supportbot.run.profiling import StepProfiler
from supportbot.run.rank_evidence import RankEvidence
from supportbot.run.samples import SamplePrompts
from supportbot.run.tensorboard import RunTensorBoard
from supportbot.train.arguments import training_arguments
from supportbot.train.checkpointing import StagedCheckpoints
from supportbot.train.guard import StepGuard
from supportbot.train.offload import OffloadToHost

log = logging.getLogger(__name__)


class SupportTrainer(StagedCheckpoints):
    """Trainer that logs throughput and memory, records what each rank trained on (rank_evidence),
    watches every step's loss (guard), and writes each checkpoint whole or not at all (checkpointing)."""

    def __init__(self, *args, placement: Placement, guard: StepGuard, offload: OffloadToHost | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.guard = guard
        self.offload = offload  # train.offload_checkpoints: around the training forward (train/offload.py)
        self._offloaded_bytes = 0
        # training_step is the one place that sees each batch in this process (a collator runs in the
        # dataloader's workers, callbacks never see the inputs); the callback hashes the adapter.
        self.rank_evidence = RankEvidence()
        self.add_callback(self.rank_evidence)
        self._last_log = (time.perf_counter(), 0)
        self._pending_tokens: torch.Tensor | None = None  # non-padding tokens since the last log, on the device
        pad = getattr(self.processing_class, "pad_token_id", None)
        self._pad_token_id = pad if pad is not None else -1

    def get_train_dataloader(self):
        return signals_to_the_main_process(super().get_train_dataloader())

    def get_eval_dataloader(self, eval_dataset=None):
        return signals_to_the_main_process(super().get_eval_dataloader(eval_dataset))

    def training_step(self, model, inputs, num_items_in_batch=None):
        self.rank_evidence.observe(inputs)
        loss = super().training_step(model, inputs, num_items_in_batch)
        self.guard.record_loss(loss.detach())
        return loss

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if self.offload is None or not model.training:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        with self.offload:  # the forward only: backward brings back what it moved
            result = super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        self._offloaded_bytes = self.offload.reset_count()  # one micro-batch's, logged as offloaded_gb
        return result

    @overrides_trainer
    def _track_num_input_tokens(self, inputs) -> None:
        """Count the non-padding tokens on the device; add them up across ranks only when logging.

        The stock version gathers the count from every rank and reads it on the host for every
        micro-batch: each rank then waits for its GPU to drain and for the other ranks, every
        micro-batch, which costs a host-bound data-parallel run a good part of its second GPU.
        Same rule as the stock "non_padding" count (a mask where there is one, else the pad token)."""
        if self.args.include_num_input_tokens_seen == "no":
            return
        ids = inputs["input_ids"]
        count = inputs["attention_mask"].sum() if "attention_mask" in inputs else (ids != self._pad_token_id).sum()
        self._pending_tokens = count if self._pending_tokens is None else self._pending_tokens + count

    def _flush_token_count(self) -> None:
        # Trainer.log runs on every rank at the same points (its loss is gathered there too), so this gather is
        # collective-safe; a rank with nothing pending sends a zero.
        pending = self._pending_tokens if self._pending_tokens is not None else torch.zeros((), dtype=torch.long)
        self._pending_tokens = None
        total = self.accelerator.gather(pending.to(self.args.device, torch.int64).reshape(1)).sum()
        self.state.num_input_tokens_seen += int(total)

    def before_checkpoint(self) -> None:
        if self.args.include_num_input_tokens_seen != "no":
            self._flush_token_count()  # trainer_state.json in the checkpoint carries the count to a resumed run

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if self.args.include_num_input_tokens_seen != "no":
            self._flush_token_count()
        if "loss" in logs:  # a training log, not an evaluation's
            now, tokens = time.perf_counter(), self.state.num_input_tokens_seen
            last_time, last_tokens = self._last_log
            logs["tokens_per_second"] = round((tokens - last_tokens) / max(now - last_time, 1e-9), 1)
            logs["memory_gb"] = round(peak_memory_gb(self.placement), 3)
            if self.offload is not None:
                logs["offloaded_gb"] = round(self._offloaded_bytes / 1e9, 3)
            self._last_log = (now, tokens)
        super().log(logs, start_time)


def final_evaluation(trainer: SupportTrainer) -> dict[str, float]:
    """Eval metrics of the adapter about to be saved, without a second pass where one is known.

    With load_best_at_end the saved adapter is the best checkpoint, whose eval loss is recorded;
    otherwise an evaluation at the last step already scored it. Only if neither holds, evaluate.
    """
    state = trainer.state
    if trainer.args.load_best_model_at_end and state.best_metric is not None:
        return {"eval_loss": state.best_metric}
    last_eval = next((entry for entry in reversed(state.log_history) if "eval_loss" in entry), None)
    if last_eval is not None and last_eval["step"] == state.global_step:
        return {"eval_loss": last_eval["eval_loss"]}
    return trainer.evaluate()


def build_trainer(model, tokenizer, datasets, data: DataConfig, train: TrainingConfig, hardware: HardwareConfig,
                  placement: Placement, run_dir: Path, run_name: str, guard: StepGuard) -> SupportTrainer:
    args = training_arguments(train, hardware, placement, run_dir / "checkpoints", run_name,
                              group_by_length=train.group_by_length and not data.packing)
    callbacks: list = [guard]
    if train.profile_from:
        callbacks.append(StepProfiler(train.profile_from, train.profile_steps, run_dir / "profile", placement.rank,
                                      placement.device))
    if placement.is_main:
        # One folder per run name, so a sweep's runs are told apart in TensorBoard's run selector. The callback
        # (re)opens its writer lazily there, also for the evaluation after training; its tags: run/tensorboard.py.
        callbacks.append(RunTensorBoard(run_dir / "tensorboard" / run_name))
        if train.sample_prompts and placement.shards_weights:
            # Sampling runs on rank 0 alone, and under ZeRO-3 / FSDP every forward gathers weights from all ranks:
            # the others would be in a different collective (a hang, or gloo's size mismatch on CPU).
            log.warning("train.sample_prompts: skipped under %s (the weights are sharded; sampling on one rank would "
                        "wait for the others); evaluate.py samples the finished adapter", placement.strategy)
        elif train.sample_prompts:
            callbacks.append(SamplePrompts(train.sample_prompts, data.system_prompt, tokenizer,
                                           run_dir / "tensorboard" / run_name, train.sample_max_new_tokens))
    batches = training_batches(datasets, data, tokenizer.pad_token_id, placement.device, seed=train.seed)
    cross_entropy = resolve_cross_entropy(train.cross_entropy, placement.device, model.config.model_type,
                                          placement.shards_weights)
    loss = install_target_only_loss(model, cross_entropy) if cross_entropy != "standard" else None
    if train.neftune_noise_alpha:
        add_neftune_noise(model, train.neftune_noise_alpha)
    if train.torch_compile:  # a training concern, like the noise: evaluate.py builds its own model and runs eager
        compile_decoder_layers(model)
    offload = None
    if train.offload_checkpoints and placement.device == "cpu":
        log.info("train.offload_checkpoints: nothing to do on CPU, where the checkpoints already are in host memory")
    elif train.offload_checkpoints:
        offload = OffloadToHost()
    return SupportTrainer(
        model=model,
        args=args,
        train_dataset=batches.train,
        eval_dataset=batches.validation,
        data_collator=batches.collator,
        processing_class=tokenizer,
        compute_loss_func=loss,
        callbacks=callbacks,
        placement=placement,
        guard=guard,
        offload=offload,
    )


def signals_to_the_main_process(loader):
    """Start the loader's workers in a process group of their own, so that SIGTERM and SIGINT reach only the
    training process, whose StepGuard saves a checkpoint at the end of the step.

    A signal is often sent to a whole process group: by `timeout`, by a terminal's Ctrl-C, by a scheduler stopping
    a job. The workers were in that group and died of it at once; torch then raised "DataLoader worker ... is
    killed by signal: Terminated" in the training process, in the middle of the checkpoint save, and no checkpoint
    was written (2026-12-07, on the GPU machine; tests/e2e/test_resilience.py replays it). In their own group the
    workers still stop when the training process stops them or exits (torch's workers watch their parent)."""
    inner = getattr(loader, "base_dataloader", loader)  # accelerate's wrapper iterates the DataLoader it holds
    if inner.num_workers > 0:
        inner.worker_init_fn = functools.partial(_in_own_process_group, inner.worker_init_fn)
    return loader


def _in_own_process_group(init, worker_id: int) -> None:
    os.setpgid(0, 0)
    if init is not None:
        init(worker_id)
