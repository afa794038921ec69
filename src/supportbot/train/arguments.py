"""transformers TrainingArguments from the typed config: the one place where config keys meet Trainer names."""

from __future__ import annotations

from pathlib import Path

from transformers import TrainingArguments

from supportbot.compat import training_argument_names
from supportbot.config import HardwareConfig, TrainingConfig
from supportbot.distributed import Placement


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
        report_to="none",  # TensorBoard is attached by build_trainer, writing into the run folder
        disable_tqdm=not placement.is_main,
    )
    training_argument_names(arguments, gradient_checkpointing=train.gradient_checkpointing,
                            group_by_length=train.group_by_length if group_by_length is None else group_by_length)
    return TrainingArguments(**arguments)
