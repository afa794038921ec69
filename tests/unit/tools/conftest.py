"""What the tool tests share: the shipped registry (as a ToolsConfig, without composing Hydra) and the bundled
real chat templates of Llama 3.2 and Qwen3-4B-Instruct-2507 (tests/data/templates/README.md says where from)."""

from __future__ import annotations

import copy

import pytest
from omegaconf import OmegaConf

from helpers import CONF, ROOT
from supportbot.config import ToolsConfig

TEMPLATES = ROOT / "tests" / "data" / "templates"


def registry_config(edit=None) -> ToolsConfig:
    """conf/tools/support.yaml through the typed boundary, after `edit(raw dict)` changed it (bad YAML tests)."""
    raw = OmegaConf.to_container(OmegaConf.load(CONF / "tools" / "support.yaml"))
    if edit is not None:
        edit(raw)
    return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ToolsConfig), raw))


@pytest.fixture(scope="session")
def support_tools() -> ToolsConfig:
    return registry_config()


@pytest.fixture
def template_tokenizer(smollm2_tokenizer):
    """SmolLM2's tokenizer with a bundled template ('smollm2' keeps its own) and that model's end of turn."""
    def make(name: str):
        tokenizer = copy.deepcopy(smollm2_tokenizer)
        if name != "smollm2":
            tokenizer.chat_template = (TEMPLATES / f"{name}.jinja").read_text()
        if name.startswith("llama"):
            tokenizer.add_special_tokens({"additional_special_tokens": ["<|eot_id|>", "<|start_header_id|>",
                                                                        "<|end_header_id|>"]})
            tokenizer.eos_token = "<|eot_id|>"
        return tokenizer

    return make
