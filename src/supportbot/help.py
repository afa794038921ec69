"""`python train.py --help` and `python evaluate.py --help`: each script's own groups and most-used keys.

    python train.py --help
    python train.py model=qwen3-4b --help        # the values as that command would run them

conf/hydra/help/{train,evaluate}.yaml set Hydra's `hydra.help.template` to `${supportbot_help:train}`
(or `evaluate`); the resolver below writes the text when Hydra prints the help. The descriptions are the
trailing `# comments` of the fields in src/supportbot/config.py, read from its source, so the help cannot
drift from the schema. The groups are listed per script: Hydra's own `$APP_CONFIG_GROUPS` lists every
folder of conf/ (train.py would show evaluate's `company` and `eval/prompts`).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import io
import tokenize
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from omegaconf import OmegaConf

# The groups each script composes, in the order a user picks them; options are read from conf/.
GROUPS = {
    "train": ("model", "data", "lora", "hardware", "train", "tools", "experiment", "hparams_search"),
    "evaluate": ("company", "eval/prompts", "eval/tool_prompts"),
}
# The keys people set most (README's quick starts, the experiments); all others: README's configuration table.
KEYS = {
    "train": ("model.path", "model.weights", "data.path", "data.format", "data.max_seq_length", "data.placeholders",
              "data.max_samples", "lora.r", "lora.alpha", "lora.dropout",
              "hardware.precision", "hardware.num_processes", "train.learning_rate", "train.max_steps",
              "train.warmup", "train.load_best_at_end", "train.resume", "run_name", "validate"),
    "evaluate": ("run", "mode", "eval.max_samples", "eval.max_new_tokens", "eval.prompts", "eval.tool_prompts",
                 "eval.do_sample", "eval.weak_intent_threshold", "company"),
}
EXAMPLES = {
    "train": ("python train.py experiment=quickstart                # SmolLM2-135M on the bundled sample, CPU",
              "accelerate launch train.py hardware=2xT4             # Llama-3.2-3B on Bitext, 2 GPUs",
              "python train.py model=smollm2-135m data.format=tool_calls data.max_seq_length=1536   # tool calls "
              "(tools=support)",
              "python train.py -m lora.r=8,16 train.learning_rate=1e-4,2e-4   # a sweep: multirun/<date>/<time>/"),
    "evaluate": ("python evaluate.py run=outputs/2026-11-23/12-00-00                   # base vs fine-tuned",
                 "python evaluate.py run=outputs/2026-11-23/12-00-00 eval.max_samples=300 eval.prompts=default",
                 "python evaluate.py run=outputs/2026-11-23/12-00-00 mode=chat company=acme   # talk to it"),
}
TITLES = {
    "train": "train.py: fine-tune a chat model into a support assistant with 4-bit QLoRA.",
    "evaluate": "evaluate.py: a training run's adapter against its base model, or a chat with it.",
}


def _schema(script: str) -> type:
    from supportbot.config import EvalConfig, RunConfig

    return {"train": RunConfig, "evaluate": EvalConfig}[script]


@lru_cache(maxsize=None)
def field_comments(cls: type) -> dict[str, str]:
    """{field: its `# comment`} for one dataclass, read from its source, as one line.

    A field's comment starts on its own line and may go on over the comment-only lines below it: those
    indented deeper than the field, or any when the next field has a comment of its own (otherwise they
    are that next field's leading comment, a note on why, not its description).
    """
    source = inspect.getsource(cls)
    comments = {token.start[0]: (token.start[1], token.string.lstrip("#").strip())
                for token in tokenize.generate_tokens(io.StringIO(source).readline)
                if token.type == tokenize.COMMENT}
    lines = source.splitlines()
    class_node = ast.parse(source).body[0]
    assert isinstance(class_node, ast.ClassDef)
    fields = [node for node in class_node.body if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)]
    result = {}
    for index, node in enumerate(fields):
        if node.end_lineno not in comments:
            continue
        next_field = fields[index + 1] if index + 1 < len(fields) else None
        next_has_own = next_field is not None and next_field.end_lineno in comments
        text, line = [comments[node.end_lineno][1]], node.end_lineno + 1
        while line in comments and lines[line - 1].lstrip().startswith("#"):
            column, comment = comments[line]
            if column <= node.col_offset and not next_has_own:
                break
            text.append(comment)
            line += 1
        assert isinstance(node.target, ast.Name)
        result[node.target.id] = " ".join(text)
    return result


def _field_class(cls: type, name: str) -> Optional[type]:
    """The dataclass a field holds (Optional[X] unwrapped), or None for a plain value."""
    hint = typing.get_type_hints(cls)[name]
    for candidate in (hint, *typing.get_args(hint)):
        if dataclasses.is_dataclass(candidate):
            return candidate  # type: ignore[return-value]
    return None


def describe(script: str, key: str) -> str:
    """The field comment of a dotted key (`lora.r`) in the script's schema; KeyError if there is no such key."""
    cls, *parents = _schema(script), *key.split(".")[:-1]
    for part in parents:
        if part not in {f.name for f in dataclasses.fields(cls)}:
            raise KeyError(key)
        inner = _field_class(cls, part)
        if inner is None:
            raise KeyError(key)
        cls = inner
    name = key.rsplit(".", 1)[-1]
    if name not in {f.name for f in dataclasses.fields(cls)}:
        raise KeyError(key)
    return field_comments(cls).get(name, "")


def _options(config_dir: Optional[Path], group: str) -> list[str]:
    if config_dir is None or not (config_dir / group).is_dir():
        return []
    return sorted(path.stem for path in (config_dir / group).glob("*.yaml"))


def _config_dir(root: Any) -> Optional[Path]:
    """conf/ of this launch (Hydra's primary config source), from the composed config's hydra.runtime."""
    sources = OmegaConf.select(root, "hydra.runtime.config_sources", default=None) or []
    for source in sources:
        if source.provider == "main" and source.schema == "file":
            return Path(str(source.path))
    return None


def _value(root: Any, key: str) -> str:
    from omegaconf.errors import MissingMandatoryValue

    if root is None:
        return ""
    try:
        node = OmegaConf.select(root, key, throw_on_missing=True)
    except MissingMandatoryValue:
        return "required"
    except Exception:  # an interpolation that cannot resolve while help is printed: show no value
        return ""
    if OmegaConf.is_config(node):
        return "a group, above"
    return "null" if node is None else str(node)


def help_text(script: str, root: Any = None) -> str:
    """The whole help page of one script; `root` is the composed config (values and conf/ are read from it)."""
    config_dir = _config_dir(root) if root is not None else None
    choices = OmegaConf.select(root, "hydra.runtime.choices", default={}) if root is not None else {}
    lines = [TITLES[script], "", "== Config groups (group=option; * marks the one this command uses) =="]
    for group in GROUPS[script]:
        chosen = choices.get(group) if choices else None
        options = [f"*{name}" if name == chosen else name for name in _options(config_dir, group)]
        lines.append(f"  {group}: {', '.join(options)}")
    lines += ["", "== Most-used keys (key=value; the value this command would use) =="]
    width = max(len(key) for key in KEYS[script])
    for key in KEYS[script]:
        value = _value(root, key)
        lines.append(f"  {key:<{width}}  {describe(script, key)}" + (f"  [{value}]" if value else ""))
    lines += ["", "== Examples =="] + [f"  {example}" for example in EXAMPLES[script]]
    lines += ["", "Every key, its default and what it does: README.md, section \"Configuration\" (the table), and "
              "src/supportbot/config.py.", "The composed config: add --cfg job. Hydra's own flags: --hydra-help."]
    # Hydra runs string.Template over the text: a literal $ must be doubled.
    return "\n".join(lines).replace("$", "$$") + "\n"


def register_help_resolver() -> None:
    if not OmegaConf.has_resolver("supportbot_help"):
        OmegaConf.register_new_resolver("supportbot_help", lambda script, _root_: help_text(script, _root_))
