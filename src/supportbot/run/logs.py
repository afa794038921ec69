"""Who logs what, and where: the console shows a short summary; train.log keeps everything.

The main process logs at INFO, the other ranks only warnings and errors (one voice per run). Hydra's
job logging (conf/hydra/default.yaml) gives the root logger a console handler and train.log's file handler;
`setup_logging` puts `ConsoleFilter` on the console ones, which holds back two kinds of record:

- the details a file is for (the resolved config): logged with `extra=FILE_ONLY`;
- library deprecation warnings we know and cannot act on (KNOWN_WARNINGS, each with the reason), which
  `logging.captureWarnings` turns into records of the `py.warnings` logger, so they still reach train.log.

Progress bars: transformers' own (the "Loading weights" bar of every from_pretrained, "Writing model shards")
are off; a model that loads in seconds needs no bar. The bars of the long steps stay: the Trainer's training
bar and evaluate.py's generation bars are tqdm's own, and hub downloads are huggingface_hub's, none of which
goes through transformers' bar switch (`hide_transformers_bars`).

    log.info("config:\n%s", text, extra=FILE_ONLY)   # train.log only
"""

from __future__ import annotations

import logging
import re

from supportbot.distributed import Placement

FILE_ONLY = {"file_only": True}

# (message regex, why it is held back from the console): one place, so a new library version is one line here.
KNOWN_WARNINGS: tuple[tuple[str, str], ...] = (
    (r"`(is_gradient_checkpointing|gradient_checkpointing_enable|gradient_checkpointing_disable)` is deprecated",
     "transformers 5.x renamed gradient checkpointing to activation checkpointing; peft and the Trainer still "
     "call the old names, nothing for a user to change"),
    (r"Paged optimizers are not supported on CPU",
     "bitsandbytes runs the paged 8-bit AdamW unpaged on CPU: expected with hardware=cpu, same results"),
    (r"MatMul8bitLt: inputs will be cast from",
     "bitsandbytes casts fp32 activations to the compute dtype of the 4-bit layers: by design of QLoRA"),
    (r"The installed version of bitsandbytes was compiled without GPU support",
     "bitsandbytes on a CPU machine: the 4-bit path runs on CPU, as hardware=cpu intends"),
    (r"torch\.utils\.checkpoint: the use_reentrant parameter should be passed explicitly",
     "transformers passes use_reentrant through gradient_checkpointing_kwargs; the run sets it (non-reentrant)"),
)
_KNOWN = re.compile("|".join(f"(?:{pattern})" for pattern, _ in KNOWN_WARNINGS))


def is_known_warning(message: str) -> bool:
    return _KNOWN.search(message) is not None


class ConsoleFilter(logging.Filter):
    """On console handlers only: drop FILE_ONLY records and known library warnings (train.log keeps both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "file_only", False):
            return False
        return not (record.name == "py.warnings" and is_known_warning(record.getMessage()))


def console_handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers that write to a terminal: stream handlers that are not files (Hydra's `console`)."""
    return [handler for handler in logger.handlers
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)]


def _no_bar(factory, args, kwargs):
    """transformers' tqdm hook: the bar it asked for, disabled (it still iterates what it wraps)."""
    return factory(*args, **{**kwargs, "disable": True})


def hide_transformers_bars() -> None:
    """Turn off the bars transformers draws itself ("Loading weights", "Writing model shards"), no others.

    Not `transformers.utils.logging.disable_progress_bar()`: that also turns off huggingface_hub's bars, which
    are the only sign of life during a multi-GB model download. transformers routes its own bars, and only
    those, through `set_tqdm_hook` (there since before 5.17, this project's oldest supported version)."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_tqdm_hook(_no_bar)


def quiet_console(logger: logging.Logger | None = None) -> None:
    """Route warnings.warn into logging, filter the console handlers, hide transformers' bars; idempotent."""
    logger = logger or logging.getLogger()
    hide_transformers_bars()
    # Off, then on: captureWarnings(True) does nothing once called, even if warnings.showwarning was replaced since
    # (a library's or the test runner's catch_warnings), and the warnings would then bypass logging and the filter.
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    for handler in console_handlers(logger):
        if not any(isinstance(f, ConsoleFilter) for f in handler.filters):
            handler.addFilter(ConsoleFilter())


def one_voice(is_main: bool) -> None:
    """Log once: the main process at INFO, the other ranks only warnings and errors. Imports no library, so
    train.py applies it before its first check (under accelerate, validate=true's plan and the data line of the
    checks print once, not once per rank); setup_logging applies it again from the resolved placement."""
    level = logging.INFO if is_main else logging.WARNING
    logging.getLogger().setLevel(level)
    logging.getLogger("supportbot").setLevel(level)


def setup_logging(placement: Placement) -> None:
    """Log once: the main process at INFO, the others only warnings and errors; a quiet console."""
    import datasets
    import transformers

    one_voice(placement.is_main)
    # transformers at INFO prints every config it loads; warnings are what a user needs from it.
    transformers.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    datasets.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    if not placement.is_main:
        transformers.utils.logging.disable_progress_bar()
        datasets.disable_progress_bars()
    quiet_console()
