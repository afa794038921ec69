"""Preflight: bad setups and a small disk stop before any model loads, with the fix."""

from __future__ import annotations

import pytest
import torch

from helpers import compose_config

# Problems the typed boundary cannot see: the launch, the GPU, the architecture, the data.
BAD_SETUPS = [
    (["hardware=2xT4"], "hardware=2xT4 expects 2 process(es), but 1 were started. Start it as: "
     "accelerate launch --multi_gpu --num_processes 2 train.py hardware=2xT4 ..."),
    (["hardware=1xT4", "hardware.precision=bf16"], "hardware.precision=bf16, but Tesla T4 (compute capability 7.5) has "
     "no native bf16; it needs 8.0 or newer. Use fp16 on this GPU: hardware.precision=fp16 (or hardware=1xT4)."),
    (["model=tiny", "lora.target_modules=[q_proj,qkv_proj]"], "lora.target_modules=['q_proj', 'qkv_proj'] names "
     "['qkv_proj'], which model=tiny does not have. Its linear layers are: down_proj, gate_proj, k_proj, o_proj, "
     "q_proj, up_proj, v_proj. Fix it on the command line, e.g. `lora.target_modules=[down_proj,gate_proj]`."),
    (["model=tiny", "data=sample", "data.min_response_chars=5000", "data.max_response_chars=9000"],
     "No rows left to train on: 378 read from builtin:sample, dropped: {'response shorter than "
     "data.min_response_chars=5000': 378}. Loosen the filters"),
    (["model=tiny", "data.path=/nonexistent/bitext.csv"], "data.path='/nonexistent/bitext.csv' does not exist (or is "
     "not a file). Point it at a CSV, JSON, JSONL or parquet file with columns instruction, response, "
     "intent, category"),
    (["model=tiny", "data=sample", "data.intents=[cancel_order,refund_please]"],
     "data.intents names ['refund_please'], "
     "which the data does not have. Available: cancel_order"),
]


@pytest.mark.parametrize("overrides,message", BAD_SETUPS, ids=[" ".join(o) for o, _ in BAD_SETUPS])
def test_bad_setups_fail_before_any_model_loads(overrides, message, monkeypatch, tmp_path):
    """What train.py runs before loading a model: preflight, then the data's rows and split."""

    from supportbot.data.rows import load_rows
    from supportbot.data.split import split_rows
    from supportbot.errors import SupportbotError
    from supportbot.train.preflight import preflight

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    if "hardware=1xT4" in overrides:  # a T4 as torch would report it
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
        monkeypatch.setattr(torch.cuda, "get_device_capability", lambda index=0: (7, 5))
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Tesla T4")
    with pytest.raises(SupportbotError) as error:
        cfg = compose_config(*overrides)
        preflight(cfg, tmp_path)
        split_rows(load_rows(cfg.data).kept, cfg.data.val_fraction, cfg.data.seed)
    assert message in str(error.value)


def test_a_disk_too_small_for_the_checkpoints_is_refused_up_front(tmp_path, monkeypatch):
    import shutil as shutil_module

    from supportbot.errors import DiskSpaceError
    from supportbot.train.preflight import check_disk, output_bytes_needed

    needed = output_bytes_needed(24_313_856, "paged_adamw_8bit", save_total_limit=2)  # Llama-3.2-3B r16
    assert 0.5 * 2**30 < needed < 2 * 2**30
    assert output_bytes_needed(24_313_856, "adamw_torch", 2) > needed  # 32-bit moments weigh more
    free = type("Usage", (), {"free": needed // 2})()
    monkeypatch.setattr(shutil_module, "disk_usage", lambda path: free)
    with pytest.raises(DiskSpaceError, match="GB free, and this run will write about.*train.save_total_limit=1"):
        check_disk(tmp_path, needed)
