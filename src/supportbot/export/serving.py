"""Serving the adapter as it is, without a merge: the vLLM command, and what vLLM accepts of a LoRA adapter.

    vllm serve HuggingFaceTB/SmolLM2-135M-Instruct --enable-lora --lora-modules support=outputs/<run>/adapter

vLLM loads a PEFT adapter folder through its PEFTHelper, which refuses (vLLM 0.6-0.11, its
tests/lora/test_peft_helper.py): `modules_to_save` that is not None ("only supports modules_to_save being
None"), DoRA ("does not yet support DoRA"), a bias without `--enable-lora-bias`, and a rank above
`--max-lora-rank` (16 unless raised, to one of LORA_RANKS). The adapters this project trains have no
modules_to_save and no bias by default; the rank and DoRA are the user's choice, so the command carries the
rank flag when it is needed and `vllm_problems` names what vLLM would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_MAX_LORA_RANK = 16
LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)  # --max-lora-rank's choices


def vllm_problems(adapter_config: dict) -> list[str]:
    """What vLLM would refuse in an adapter_config.json (empty: it serves it)."""
    problems = []
    if adapter_config.get("modules_to_save"):
        problems.append(f"modules_to_save={adapter_config['modules_to_save']} (vLLM serves adapters without them; "
                        "train without modules_to_save, or merge: python -m supportbot.export run=<run>)")
    if adapter_config.get("use_dora"):
        problems.append("DoRA (lora.use_dora=true): vLLM serves plain LoRA only; merge it instead "
                        "(python -m supportbot.export run=<run>) or train with lora.use_dora=false")
    rank = int(adapter_config.get("r", 0))
    if rank > LORA_RANKS[-1]:
        problems.append(f"rank {rank} is above vLLM's largest --max-lora-rank ({LORA_RANKS[-1]})")
    return problems


def vllm_command(base: str, adapter: str, adapter_config: dict, name: str = "support") -> str:
    """`vllm serve` for this adapter: the flags its rank and bias need on top of --enable-lora."""
    flags = [f"vllm serve {base}", "--enable-lora", f"--lora-modules {name}={adapter}"]
    rank = int(adapter_config.get("r", 0))
    if rank > DEFAULT_MAX_LORA_RANK:
        flags.append(f"--max-lora-rank {next((r for r in LORA_RANKS if r >= rank), rank)}")
    if adapter_config.get("bias", "none") != "none":
        flags.append("--enable-lora-bias")
    return " ".join(flags)


def read_adapter_config(adapter: Path) -> dict:
    return json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
