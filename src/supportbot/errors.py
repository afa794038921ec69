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
