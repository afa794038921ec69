"""Hydra's composition errors in the project's words: a mistyped key or a wrong type, said with the fix.

    python train.py lora.rank=8               # error: unknown key lora.rank; did you mean lora.r? ...
    python train.py train.learning_rate=abc   # error: train.learning_rate='abc' is not valid: expected a float ...

Hydra answers `lora.rank=8` with "To append to your config use +lora.rank=8", which would add a key
that nothing reads, and `+lora.rank=8` itself composes and is dropped without a word by the
conversion to dataclasses. `check_overrides` composes the command line once with Hydra's own
compose API before `@hydra.main` runs (Hydra catches and prints its errors inside hydra.main, out of
the entrypoint's reach) and turns these two errors into one line and exit 2; every other problem
is left for Hydra to report as it does. `check_known_keys` catches the `+key=` case at the typed
boundary. The suggestions come from the schema's dataclasses (supportbot.config), so they follow it.
"""

from __future__ import annotations

import dataclasses
import difflib
import sys
import typing
from pathlib import Path
from typing import Any, Optional

from omegaconf import DictConfig, OmegaConf

from supportbot.errors import ConfigError


def check_overrides(config_name: str, argv: list[str], config_dir: Path) -> None:
    """Compose `config_name` with the command line's overrides; exit 2 with the fix on an unknown key or a
    wrong type. Anything else (an unknown group option, a bad YAML file) is Hydra's to report, unchanged."""
    from hydra import compose, initialize_config_dir
    from hydra._internal.utils import get_args_parser
    from hydra.errors import ConfigCompositionException

    args = get_args_parser().parse_args(argv)  # Hydra's own parser: its flags (-m, --cfg job) are not overrides
    if args.help or args.hydra_help or args.info or args.shell_completion or args.config_path or args.config_dir:
        return
    try:
        with initialize_config_dir(config_dir=str(config_dir), version_base="1.3"):
            compose(args.config_name or config_name, overrides=_one_value_per_sweep(args.overrides))
    except ConfigCompositionException as exc:
        message = explain_composition_error(exc)
        if message is None:
            return
        print(f"error: {message}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    except Exception:  # noqa: BLE001 - Hydra reports these itself when hydra.main composes the same overrides
        return


def _one_value_per_sweep(overrides: list[str]) -> list[str]:
    """A sweep's keys are checked with its first value (`lora.r=8,16` as `lora.r=8`); an interval sweep, which
    has no first value, is left out: its key is checked when the sweeper composes each job."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:  # noqa: BLE001 - a malformed override: Hydra's message says where
        return overrides
    single = []
    for override in parsed:
        if not override.is_sweep_override():
            single.append(override.input_line)
            continue
        try:
            first = next(iter(override.sweep_string_iterator()))
        except Exception:  # noqa: BLE001 - interval(...) sweeps cannot be enumerated
            continue
        single.append(f"{override.get_key_element()}={first}")
    return single


def explain_composition_error(exc: BaseException) -> Optional[str]:
    """The message for an unknown key or a wrong type behind a ConfigCompositionException; None for others."""
    from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

    cause = exc.__cause__
    full_key = getattr(cause, "full_key", None)
    if not full_key:
        return None
    schema = getattr(cause, "object_type", None)
    if isinstance(cause, (ConfigAttributeError, ConfigKeyError)):
        value = str(exc).rsplit(f"+{full_key}=", 1)[-1] if f"+{full_key}=" in str(exc) else "..."
        return unknown_key(full_key, schema, value)
    if isinstance(cause, ValidationError):
        return wrong_type(full_key, schema, getattr(cause, "value", None))
    return None


def unknown_key(full_key: str, schema: Any, value: str = "...") -> str:
    """`unknown key lora.rank; did you mean lora.r?`, with the keys the group has and the fixed override."""
    parent, _, key = full_key.rpartition(".")
    where = parent or "the top level"
    if not dataclasses.is_dataclass(schema):  # a free mapping (model.architecture): new keys are added with +
        return (f"unknown key {full_key}: {where} holds no key {key!r}. To add one to this mapping, prefix it with +: "
                f"`+{full_key}={value}`.")
    names = [field.name for field in dataclasses.fields(schema)]
    closest = _closest(key, names)
    fixed = f"{parent}.{closest}" if parent else closest
    guess = f"; did you mean {fixed}?" if closest else "."
    return (f"unknown key {full_key}{guess} The keys of {where} are: {', '.join(names)}. "
            f"Fix it on the command line, e.g. `{fixed if closest else full_key}={value}`.")


def wrong_type(full_key: str, schema: Any, value: Any) -> str:
    """`train.learning_rate='abc' is not valid: expected a float ...`: the key, the value, the type, an example."""
    key = full_key.rpartition(".")[2]
    expected, example = "a different type", None
    if dataclasses.is_dataclass(schema):
        hints = typing.get_type_hints(schema)
        if key in hints:
            expected = _describe(hints[key])
        field = next((f for f in dataclasses.fields(schema) if f.name == key), None)
        if field is not None:
            example = _example(field)
    fix = f" Fix it on the command line, e.g. `{full_key}={example}`." if example is not None else ""
    return f"{full_key}={value!r} is not valid: expected {expected}.{fix}"


def check_known_keys(cfg: DictConfig) -> None:
    """Refuse keys the schema does not have (`+lora.rank=8`): OmegaConf.to_object drops them without a word."""
    for full_key, schema in _unknown_keys(cfg, ""):
        raise ConfigError(unknown_key(full_key, schema, str(OmegaConf.select(cfg, full_key))))


def _unknown_keys(node: DictConfig, prefix: str):
    schema = OmegaConf.get_type(node)
    names = {field.name for field in dataclasses.fields(schema)} if dataclasses.is_dataclass(schema) else None
    for key in node.keys():
        full_key = f"{prefix}{key}"
        if names is not None and key not in names:
            yield full_key, schema
            continue
        child = node._get_node(key)
        if isinstance(child, DictConfig) and not child._is_none() and not child._is_missing():
            yield from _unknown_keys(child, f"{full_key}.")


def _closest(key: str, names: list[str]) -> Optional[str]:
    """The schema key the user most likely meant: a close spelling, else one that the typed key starts with
    (`rank` -> `r`; difflib alone scores a one-letter key too low to suggest it)."""
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    prefixes = [name for name in names if key.startswith(name) or name.startswith(key)]
    if prefixes:
        return max(prefixes, key=len)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.4)
    return close[0] if close else None


def _describe(hint: Any) -> str:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union and type(None) in args:
        inner = [arg for arg in args if arg is not type(None)]
        return f"{_describe(inner[0])} or null" if len(inner) == 1 else "one of several types or null"
    if origin in (list, typing.List):
        plural = {str: "strings", int: "ints", float: "floats", bool: "bools"}.get(args[0] if args else None)
        return f"a list of {plural or 'values'}, e.g. [a,b]"
    if origin in (dict, typing.Dict):
        return "a mapping, e.g. {key: value}"
    if dataclasses.is_dataclass(hint):
        return f"a mapping of {hint.__name__}'s keys"
    return {float: "a float (a number such as 0.0002 or 2e-4)", int: "an int (a whole number)",
            bool: "a bool (true or false)", str: "a string"}.get(hint, getattr(hint, "__name__", str(hint)))


def _example(field: dataclasses.Field) -> Optional[str]:
    """The schema's default as it is typed on the command line (None where there is no useful one)."""
    if field.default is not dataclasses.MISSING:
        default = field.default
    elif field.default_factory is not dataclasses.MISSING:
        default = field.default_factory()
    else:
        return None
    if default is None or default == "???" or dataclasses.is_dataclass(default) or isinstance(default, dict):
        return None
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, list):
        return "[" + ",".join(str(item) for item in default) + "]"
    return str(default)
