"""Errors a user can fix. The entrypoints print their message as one paragraph and exit non-zero.

Every message names the problem, the value that caused it, and the fix (an override to type or a
file to check): a traceback tells a user where the code broke, not what to do about it.
"""


class SupportbotError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""


class ConfigError(SupportbotError):
    """A config value is out of range or inconsistent with another value."""


class DataError(SupportbotError):
    """The data file is missing, malformed, or leaves nothing to train on."""


class ModelSourceError(SupportbotError):
    """A model or tokenizer could not be loaded from where the config points."""


class LaunchError(SupportbotError):
    """The process layout (number of ranks, devices) does not match the hardware option."""


class IncompatibleVersion(SupportbotError):
    """An installed library changed an API that supportbot relies on (supportbot.compat)."""


class DiskSpaceError(SupportbotError):
    """The output folder's disk cannot hold what the run will write."""


class NonFiniteLoss(SupportbotError):
    """The loss stayed NaN/inf for too many steps in a row."""


class Preempted(SupportbotError):
    """SIGTERM/SIGINT arrived; a checkpoint was saved and the run stopped cleanly."""

    def __init__(self, message: str, signal_number: int):
        super().__init__(message)
        self.exit_code = 128 + signal_number
