"""The Trainer: arguments from the typed config, packed or padded batches, the loss, TensorBoard metrics.

transformers' Trainer rather than TRL's SFTTrainer: TRL casts QLoRA adapters to bf16, which
breaks the fp16 gradient scaler that T4s depend on; Trainer keeps the adapter in fp32 under
fp16 autocast. Data arrives already tokenised with assistant-only labels (supportbot.data).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from pathlib import Path

import torch
from transformers import Trainer, TrainingArguments
from transformers.integrations import TensorBoardCallback

from supportbot.config import DataConfig, HardwareConfig, TrainingConfig
from supportbot.data.batches import PackedBatch, PadBatch
from supportbot.data.packing import PackedDataset
from supportbot.losses import install_target_only_loss, resolve_cross_entropy
from supportbot.parallel import Placement, peak_memory_gb
from supportbot.profiling import StepProfiler
from supportbot.rank_evidence import RankEvidence
from supportbot.resilience import STAGING, StepGuard, mark_complete

log = logging.getLogger(__name__)


class SupportTrainer(Trainer):
    """Trainer that logs throughput and memory, records what each rank trained on (rank_evidence),
    watches every step's loss, and writes each checkpoint whole or not at all (supportbot.resilience)."""

    def __init__(self, *args, placement: Placement, guard: StepGuard, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.guard = guard
        # training_step is the one place that sees each batch in this process (a collator runs in the
        # dataloader's workers, callbacks never see the inputs); the callback hashes the adapter.
        self.rank_evidence = RankEvidence()
        self.add_callback(self.rank_evidence)
        self._last_log = (time.perf_counter(), 0)
        self._pending_tokens: torch.Tensor | None = None  # non-padding tokens since the last log, on the device
        pad = getattr(self.processing_class, "pad_token_id", None)
        self._pad_token_id = pad if pad is not None else -1
        self._saving = False

    def training_step(self, model, inputs, num_items_in_batch=None):
        self.rank_evidence.observe(inputs)
        loss = super().training_step(model, inputs, num_items_in_batch)
        self.guard.record_loss(loss.detach())
        return loss

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

    def _get_output_dir(self, trial) -> str:
        root = super()._get_output_dir(trial)
        return os.path.join(root, STAGING) if self._saving else root

    def _save_checkpoint(self, model, trial) -> None:
        """Save into checkpoints/.incomplete/checkpoint-N, then mark it complete and rename it into place."""
        if self.args.include_num_input_tokens_seen != "no":
            self._flush_token_count()  # trainer_state.json in the checkpoint carries the count to a resumed run
        root = Path(self.args.output_dir)
        name = f"checkpoint-{self.state.global_step}"
        staged, final = root / STAGING / name, root / name
        if self.args.should_save:
            shutil.rmtree(staged, ignore_errors=True)
        self.accelerator.wait_for_everyone()
        self._saving = True
        try:
            super()._save_checkpoint(model, trial)
        finally:
            self._saving = False
        self.accelerator.wait_for_everyone()  # every rank's RNG state is in the folder
        if self.args.should_save:
            if self.state.best_model_checkpoint == str(staged):
                self.state.best_model_checkpoint = str(final)
                self.state.save_to_json(str(staged / "trainer_state.json"))
            mark_complete(staged)
            shutil.rmtree(final, ignore_errors=True)
            staged.rename(final)
            if not any((root / STAGING).iterdir()):
                (root / STAGING).rmdir()
            _rotate(self, root)
        self.accelerator.wait_for_everyone()

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if self.args.include_num_input_tokens_seen != "no":
            self._flush_token_count()
        if "loss" in logs:  # a training log, not an evaluation's
            now, tokens = time.perf_counter(), self.state.num_input_tokens_seen
            last_time, last_tokens = self._last_log
            logs["tokens_per_second"] = round((tokens - last_tokens) / max(now - last_time, 1e-9), 1)
            logs["memory_gb"] = round(peak_memory_gb(self.placement), 3)
            self._last_log = (now, tokens)
        super().log(logs, start_time)


def _rotate(trainer: Trainer, root: Path) -> None:
    """Keep save_total_limit checkpoints (and the best); the rotation inside the save saw only the staging folder."""
    try:
        from transformers.trainer_utils import rotate_checkpoints
    except ImportError:  # transformers before 5.2x kept it as a Trainer method
        trainer._rotate_checkpoints(use_mtime=False, output_dir=str(root))
        return
    rotate_checkpoints(output_dir=str(root), save_total_limit=trainer.args.save_total_limit,
                       best_model_checkpoint=trainer.state.best_model_checkpoint, use_mtime=False)


def training_arguments(train: TrainingConfig, hardware: HardwareConfig, placement: Placement,
                       checkpoint_dir: Path, run_name: str, group_by_length: bool | None = None) -> TrainingArguments:
    """Trainer arguments from the typed config. group_by_length: None follows train.group_by_length
    (packed data has no per-row lengths to group by, so build_trainer passes False there)."""
    available = {f.name for f in dataclasses.fields(TrainingArguments)}
    arguments = dict(
        output_dir=str(checkpoint_dir),
        run_name=run_name,
        per_device_train_batch_size=hardware.per_device_batch_size,
        per_device_eval_batch_size=hardware.per_device_batch_size,
        gradient_accumulation_steps=hardware.gradient_accumulation_steps,
        learning_rate=train.learning_rate,
        lr_scheduler_type=train.lr_scheduler,
        warmup_steps=train.warmup,
        num_train_epochs=train.epochs,
        max_steps=train.max_steps,
        optim=train.optimizer,
        weight_decay=train.weight_decay,
        max_grad_norm=train.max_grad_norm,
        seed=train.seed,
        data_seed=train.seed,
        fp16=placement.precision == "fp16",
        bf16=placement.precision == "bf16",
        use_cpu=placement.device == "cpu",
        logging_steps=train.logging_steps,
        logging_first_step=True,
        eval_strategy="steps",
        eval_steps=train.eval_steps,
        eval_on_start=train.eval_on_start,
        save_strategy="steps",
        save_steps=train.save_steps,
        save_total_limit=train.save_total_limit,
        load_best_model_at_end=train.load_best_at_end,
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        ddp_find_unused_parameters=False,
        dataloader_num_workers=hardware.dataloader_num_workers,
        remove_unused_columns=False,
        prediction_loss_only=True,  # evaluation needs the loss only: never gather vocabulary-sized logits
        include_num_input_tokens_seen="non_padding",
        # The stock NaN filter reads every micro-batch's loss on the host (a GPU sync each time); StepGuard
        # watches for non-finite losses once per optimizer step instead, and a NaN shows in the log as NaN.
        logging_nan_inf_filter=False,
        report_to="none",  # TensorBoard is attached below, writing into the run folder
        disable_tqdm=not placement.is_main,
    )
    # transformers 5.2x renamed these; the GPU images still run earlier 5.x, so take whichever exists.
    checkpointing = "activation_checkpointing" if "activation_checkpointing" in available else "gradient_checkpointing"
    arguments[checkpointing] = train.gradient_checkpointing
    arguments[f"{checkpointing}_kwargs"] = {"use_reentrant": False}  # reentrant breaks with frozen 4-bit inputs
    if train.group_by_length if group_by_length is None else group_by_length:
        if "train_sampling_strategy" in available:
            arguments["train_sampling_strategy"] = "group_by_length"
        else:
            arguments["group_by_length"] = True
    return TrainingArguments(**arguments)


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
        # One folder per run name, so a sweep's runs are told apart in TensorBoard's run selector.
        # The callback (re)opens its writer lazily there, also for the evaluation after training.
        tensorboard = TensorBoardCallback()
        tensorboard.logging_dir = str(run_dir / "tensorboard" / run_name)
        callbacks.append(tensorboard)
    pad_to_multiple_of = 8 if placement.device == "cuda" else None  # tensor-core friendly shapes
    if data.packing:
        train_set = PackedDataset(datasets.train, data.max_seq_length, seed=train.seed)
        eval_set = PackedDataset(datasets.validation, data.max_seq_length, seed=train.seed)
        collator = PackedBatch(tokenizer.pad_token_id, pad_to_multiple_of)
        log.info("packing: %d train conversations in %d rows of up to %d tokens (%.1f%% full)", len(datasets.train),
                 len(train_set), data.max_seq_length, 100 * train_set.fill_ratio())
    else:
        train_set, eval_set = datasets.train, datasets.validation
        collator = PadBatch(tokenizer.pad_token_id, pad_to_multiple_of,
                            fixed_length=data.max_seq_length if data.padding == "max_length" else None)
    cross_entropy = resolve_cross_entropy(train.cross_entropy, placement.device, model.config.model_type)
    loss = install_target_only_loss(model, cross_entropy) if cross_entropy != "standard" else None
    return SupportTrainer(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=eval_set,
        data_collator=collator,
        processing_class=tokenizer,
        compute_loss_func=loss,
        callbacks=callbacks,
        placement=placement,
        guard=guard,
    )
