"""transformers TrainingArguments from the typed config: the one place where config keys meet Trainer names."""

from __future__ import annotations

import logging
from pathlib import Path

from transformers import TrainingArguments

from supportbot.compat import training_argument_names
from supportbot.config import HardwareConfig, TrainingConfig
from supportbot.distributed import Placement

log = logging.getLogger(__name__)

# train.optimizer values that are bitsandbytes optimizers (8-bit state, paged memory): whole-parameter state only.
BITSANDBYTES_OPTIMIZERS = ("paged_adamw_8bit", "adamw_8bit", "paged_adamw_32bit")


def training_optimizer(optimizer: str, placement: Placement) -> str:
    """The Trainer's `optim` for train.optimizer under this launch's strategy.

    bitsandbytes' optimizers keep state per whole parameter (8-bit blocks, paged buffers); ZeRO-3 and FSDP hand
    the optimizer flat shards instead (PEFT's FSDP guide: paged_adamw_8bit fails when the checkpoint is saved).
    There the run switches to torch's AdamW and says so: the same hyperparameters, 32-bit state, which sharding
    divides by the number of ranks anyway. ZeRO-2 keeps the configured optimizer.

    Not the fused AdamW: under FSDP with fp16, the Trainer's ShardedGradScaler hands the optimizer a found-inf flag
    of shape [1] where torch's fused kernel expects a scalar, and the first step fails ("output with shape []
    doesn't match the broadcast shape [1]"; measured on an H200, torch 2.11, 2026-12-04; pytorch#140514). An
    explicit train.optimizer=adamw_torch_fused there is switched the same way. For a LoRA's few million
    parameters the fused kernel saves well under a millisecond a step."""
    if optimizer == "adamw_torch_fused" and placement.strategy == "fsdp" and placement.precision == "fp16":
        replacement, reason = "adamw_torch", ("torch's fused AdamW fails on the gradient scaler of FSDP with fp16 "
                                              "(pytorch#140514)")
    elif optimizer in BITSANDBYTES_OPTIMIZERS and placement.shards_optimizer_state:
        replacement, reason = "adamw_torch", (f"{optimizer} is a bitsandbytes optimizer, which cannot hold the "
                                              f"sharded optimizer state of {placement.strategy}")
    else:
        return optimizer
    if placement.is_main:
        log.warning("train.optimizer=%s: %s; training with %s instead (set train.optimizer=%s to silence this)",
                    optimizer, reason, replacement, replacement)
    return replacement


def training_arguments(train: TrainingConfig, hardware: HardwareConfig, placement: Placement,
                       checkpoint_dir: Path, run_name: str, group_by_length: bool | None = None) -> TrainingArguments:
    """Trainer arguments from the typed config. group_by_length: None follows train.group_by_length
    (packed data has no per-row lengths to group by, so build_trainer passes False there)."""
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
        optim=training_optimizer(train.optimizer, placement),
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
        report_to="none",  # TensorBoard is attached by build_trainer, writing into the run folder
        disable_tqdm=not placement.is_main,
    )
    training_argument_names(arguments, gradient_checkpointing=train.gradient_checkpointing,
                            use_reentrant=placement.reentrant_checkpointing,
                            group_by_length=train.group_by_length if group_by_length is None else group_by_length)
    return TrainingArguments(**arguments)
