"""Bad input stops before any model loads, with one paragraph naming the problem and the fix."""

from __future__ import annotations

import pytest

from conftest import compose_config, run_entrypoint, train_command
from supportbot.errors import ConfigError, LaunchError

# (overrides, what the message must say): the key, the bad value, what is allowed, an example fix.
BAD_CONFIGS = [
    (["lora.r=0"], "lora.r=0 is not valid: the rank must be a positive integer. Fix it on the command line, e.g. `lora.r=16`."),
    (["lora.alpha=-1"], "lora.alpha=-1 is not valid: alpha must be positive"),
    (["lora.dropout=1.0"], "lora.dropout=1.0 is not valid: dropout must be in [0, 1)"),
    (["data.val_fraction=0.7"], "data.val_fraction=0.7 is not valid: it must be in (0, 0.5]"),
    (["data.val_fraction=0"], "data.val_fraction=0.0 is not valid: it must be in (0, 0.5]"),
    (["data.max_seq_length=32"], "data.max_seq_length=32 is not valid: it must be at least 64 tokens"),
    (["model=smollm2-135m", "data.max_seq_length=16384"],
     "data.max_seq_length=16384 is not valid: model=smollm2-135m handles at most 8192 tokens"),
    (["data.placeholders=hide"], "data.placeholders='hide' is not valid: allowed values are keep, generic, strip"),
    (["hardware.per_device_batch_size=0"], "hardware.per_device_batch_size=0 is not valid: it must be >= 1"),
    (["hardware.gradient_accumulation_steps=0"], "hardware.gradient_accumulation_steps=0 is not valid: it must be >= 1"),
    (["hardware=cpu", "hardware.precision=bf16"], "hardware.precision='bf16' is not valid: CPU training runs in fp32"),
    (["train.save_steps=150"], "train.save_steps=150 is not valid: with load_best_at_end it must be a multiple of train.eval_steps=100"),
    (["train.optimizer=sgd"], "train.optimizer='sgd' is not valid: allowed values are paged_adamw_8bit"),
    (["model=tiny", "model.weights=pretrained"], "model=tiny is a random test architecture with no pretrained weights"),
    (["model.weights=trained"], "model.weights='trained' is not valid: allowed values are pretrained, random"),
]


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
     "not a file). Point it at a CSV, JSON, JSONL or parquet file with columns instruction, response, intent, category"),
    (["model=tiny", "data=sample", "data.intents=[cancel_order,refund_please]"], "data.intents names ['refund_please'], "
     "which the data does not have. Available: cancel_order"),
]


@pytest.mark.parametrize("overrides,message", BAD_CONFIGS, ids=[" ".join(o) for o, _ in BAD_CONFIGS])
def test_bad_values_fail_at_the_boundary_with_the_fix(overrides, message):
    with pytest.raises(ConfigError) as error:
        compose_config(*overrides)
    assert message in str(error.value)


@pytest.mark.parametrize("overrides,message", BAD_SETUPS, ids=[" ".join(o) for o, _ in BAD_SETUPS])
def test_bad_setups_fail_before_any_model_loads(overrides, message, monkeypatch, tmp_path):
    """What train.py runs before loading a model: preflight, then the data's rows and split."""
    import torch

    from supportbot.data.rows import load_rows
    from supportbot.data.split import split_rows
    from supportbot.errors import SupportbotError
    from supportbot.preflight import preflight

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


def test_a_wrong_type_fails_at_composition():
    with pytest.raises(Exception, match="lora.r"):
        compose_config("lora.r=sixteen")


def test_a_hardware_option_started_with_the_wrong_process_count_says_the_command(monkeypatch):
    from supportbot.parallel import resolve_placement

    monkeypatch.setenv("WORLD_SIZE", "1")
    with pytest.raises(LaunchError) as error:
        resolve_placement(compose_config("hardware=2xT4").hardware)
    text = str(error.value)
    assert "hardware=2xT4 expects 2 process(es), but 1 were started" in text
    assert "accelerate launch --multi_gpu --num_processes 2 train.py hardware=2xT4" in text
    assert "--config_file launch/2xT4.yaml" in text


@pytest.mark.slow
def test_the_entrypoint_prints_one_paragraph_and_exits_non_zero(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "hardware=cpu", f"data.path={tmp_path}/none.csv"))
    assert result.returncode == 2
    assert "does not exist" in result.log and "data.path=" in result.log
    assert "Traceback" not in result.log
    assert not (tmp_path / "run" / "checkpoints").exists()  # stopped before any model or training


@pytest.mark.slow
def test_an_unknown_group_option_lists_the_available_ones(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=llama9"))
    assert result.returncode != 0
    assert "Could not find 'model/llama9'" in result.log and "llama3.2-3b" in result.log


@pytest.mark.slow
def test_an_unreachable_hub_dataset_says_how_to_use_a_local_copy(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "hardware=cpu", "data=bitext"),
                            env={"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"})
    assert result.returncode == 2, result.log[-2000:]
    assert "Could not load the dataset 'bitext/Bitext-customer-support-llm-chatbot-training-dataset'" in result.log
    assert "data.path=/path/to/" in result.log and "Traceback" not in result.log


@pytest.mark.slow
def test_an_unreachable_hub_model_says_how_to_use_a_local_copy(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=llama3.2-3b", "hardware=cpu", "data=sample"),
                            env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 2, result.log[-2000:]
    assert "Could not load the tokenizer of 'meta-llama/Llama-3.2-3B-Instruct'" in result.log
    assert "model.path=/path/to/folder" in result.log and "model.weights=random" in result.log


@pytest.mark.parametrize("model", ["tiny", "llama3.2-3b", "qwen3-4b"])
def test_unknown_target_modules_are_named_before_any_load(model):
    from supportbot.model import check_target_modules

    cfg = compose_config(f"model={model}", "lora.target_modules=[q_proj,qkv_proj]")
    with pytest.raises(ConfigError) as error:
        check_target_modules(cfg.model, cfg.lora)
    assert f"names ['qkv_proj'], which model={model} does not have" in str(error.value)
    assert "down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj" in str(error.value)
    check_target_modules(cfg.model, compose_config(f"model={model}").lora)  # the defaults pass
