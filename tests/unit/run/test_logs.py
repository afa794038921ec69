"""run/logs.py: known library warnings and the config dump stay off the console and reach train.log."""

from __future__ import annotations

import io
import logging
import warnings

import pytest

from supportbot.run.logs import FILE_ONLY, KNOWN_WARNINGS, quiet_console


@pytest.fixture
def console_and_file(tmp_path):
    """A logger wired like Hydra's job logging: a console stream handler and train.log's file handler."""
    logger = logging.getLogger("test_logs_root")
    console_stream = io.StringIO()
    console = logging.StreamHandler(console_stream)
    file = logging.FileHandler(tmp_path / "train.log")
    logger.handlers[:] = [console, file]
    logger.setLevel(logging.INFO)
    # captureWarnings sends warnings to the `py.warnings` logger: point it at this pair of handlers.
    py_warnings = logging.getLogger("py.warnings")
    saved = py_warnings.handlers[:], py_warnings.propagate
    py_warnings.handlers[:] = [console, file]
    py_warnings.propagate = False
    quiet_console(logger)
    yield logger, console_stream, tmp_path / "train.log"
    logging.captureWarnings(False)
    py_warnings.handlers[:], py_warnings.propagate = saved
    file.close()


def test_known_warnings_leave_the_console_and_stay_in_train_log(console_and_file):
    logger, console, train_log = console_and_file
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("`is_gradient_checkpointing` is deprecated and will be removed in v6.", FutureWarning,
                      stacklevel=1)
        warnings.warn("Paged optimizers are not supported on CPU. Falling back to non-paged optimizer behavior.",
                      UserWarning, stacklevel=1)
        warnings.warn("something nobody has seen before", UserWarning, stacklevel=1)
    for handler in logger.handlers:
        handler.flush()
    assert "is_gradient_checkpointing" not in console.getvalue()
    assert "Paged optimizers" not in console.getvalue()
    assert "something nobody has seen before" in console.getvalue(), "an unknown warning still shows"
    text = train_log.read_text()
    assert "is_gradient_checkpointing" in text and "Paged optimizers" in text


def test_the_config_dump_goes_to_train_log_only(console_and_file):
    logger, console, train_log = console_and_file
    logger.info("resolved config:\nlora:\n  r: 16", extra=FILE_ONLY)
    logger.info("run folder: outputs/x")
    for handler in logger.handlers:
        handler.flush()
    assert "lora:" not in console.getvalue() and "run folder: outputs/x" in console.getvalue()
    assert "lora:" in train_log.read_text()


def test_every_known_warning_says_why():
    assert all(pattern and len(why) > 20 for pattern, why in KNOWN_WARNINGS)


def test_the_quiet_console_hides_the_loading_weights_bar_and_keeps_the_long_steps_bars(capfd, monkeypatch):
    """A model load through the project's own loader (train.py and evaluate.py both use it) draws no bar on
    the console once the quiet console is on; tqdm's own bars (the Trainer's training bar, evaluate.py's
    generation bars) and huggingface_hub's download bars are left alone."""
    from pathlib import Path

    import torch
    from huggingface_hub.utils import are_progress_bars_disabled
    from tqdm.auto import tqdm
    from transformers.utils import logging as transformers_logging

    from helpers import compose_config
    from supportbot.distributed import Placement
    from supportbot.model.build import build_tokenizer, load_quantized
    from supportbot.model.sources import weights_source

    cfg = compose_config("model=tiny")
    cache = Path(cfg.cache_dir).expanduser()
    tokenizer = build_tokenizer(cfg.model, cache)
    path = weights_source(cfg.model, tokenizer, cache, cfg.train.seed, torch.float32)
    cpu = Placement("cpu", "fp32", world_size=1, rank=0, local_rank=0)
    # transformers' bars on and no hook, whatever an earlier test of the session left (quiet_console installs one).
    monkeypatch.setattr(transformers_logging, "_tqdm_active", True)
    previous_hook = transformers_logging.set_tqdm_hook(None)
    hub_bars_disabled = are_progress_bars_disabled()
    try:
        capfd.readouterr()
        load_quantized(path, cfg.model, cpu, attn_implementation="eager")
        assert "Loading weights" in capfd.readouterr().err, "the bar this test looks for is not drawn at all"

        quiet_console(logging.getLogger("test_logs_bars"))
        load_quantized(path, cfg.model, cpu, attn_implementation="eager")
        for _ in tqdm(range(3), desc="training steps"):
            pass
        console = capfd.readouterr().err
    finally:
        transformers_logging.set_tqdm_hook(previous_hook)
        logging.captureWarnings(False)
    assert "Loading weights" not in console
    assert "training steps" in console and "3/3" in console, "a bar of the project's own long steps stays"
    assert are_progress_bars_disabled() == hub_bars_disabled, "the hub's download bars are left as they were"
