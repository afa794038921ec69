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
