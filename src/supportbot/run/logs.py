"""Who logs what: the main process at INFO, the other ranks only warnings and errors (one voice per run)."""

from __future__ import annotations

import logging

from supportbot.distributed import Placement


def setup_logging(placement: Placement) -> None:
    """Log once: the main process at INFO, the others only warnings and errors."""
    import datasets
    import transformers

    level = logging.INFO if placement.is_main else logging.WARNING
    logging.getLogger().setLevel(level)
    logging.getLogger("supportbot").setLevel(level)
    # transformers at INFO prints every config it loads; warnings are what a user needs from it.
    transformers.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    datasets.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    if not placement.is_main:
        transformers.utils.logging.disable_progress_bar()
        datasets.disable_progress_bars()

