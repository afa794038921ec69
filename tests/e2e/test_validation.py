"""Bad input through the entrypoint: one paragraph, a non-zero exit, nothing left half-done."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers import ROOT, run_entrypoint, train_command


def test_the_entrypoint_prints_one_paragraph_and_exits_non_zero(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "hardware=cpu",
                                          f"data.path={tmp_path}/none.csv"))
    assert result.returncode == 2
    assert "does not exist" in result.log and "data.path=" in result.log
    assert "Traceback" not in result.log
    assert not (tmp_path / "run" / "checkpoints").exists()  # stopped before any model or training


def test_an_unknown_group_option_lists_the_available_ones(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=llama9"))
    assert result.returncode != 0
    assert "Could not find 'model/llama9'" in result.log and "llama3.2-3b" in result.log


def test_an_unreachable_hub_dataset_says_how_to_use_a_local_copy(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "hardware=cpu", "data=bitext"),
                            env={"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"})
    assert result.returncode == 2, result.log[-2000:]
    assert "Could not load the dataset 'bitext/Bitext-customer-support-llm-chatbot-training-dataset'" in result.log
    assert "data.path=/path/to/" in result.log and "Traceback" not in result.log


def test_an_unreachable_hub_model_says_how_to_use_a_local_copy(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=llama3.2-3b", "hardware=cpu", "data=sample"),
                            env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 2, result.log[-2000:]
    assert "Could not load the tokenizer of 'meta-llama/Llama-3.2-3B-Instruct'" in result.log
    assert "model.path=/path/to/folder" in result.log and "model.weights=random" in result.log


def test_a_mapped_column_the_file_lacks_exits_like_a_config_error(tmp_path):
    data = tmp_path / "qa.csv"
    data.write_text("question,answer\ncancel my order,Done.\nwhere is my parcel,It ships today.\n")
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "hardware=cpu", f"data.path={data}",
                                          "data.columns.instruction=question", "data.columns.response=reply"))
    assert result.returncode == 2, result.log[-2000:]
    assert "no column 'reply' for data.columns.response; its columns are: answer, question" in result.log
    assert "`data.columns.response=<column>`" in result.log and "Traceback" not in result.log


def in_a_fresh_folder(cwd: Path, *overrides: str, env: dict[str, str] | None = None):
    """train.py as a user starts it from their own folder: Hydra's default outputs/<date>/<time>/ under cwd."""
    return run_entrypoint([sys.executable, str(ROOT / "train.py"), *overrides], cwd=cwd, env=env)


def run_folders(cwd: Path) -> list[Path]:
    return sorted((cwd / "outputs").rglob("*")) if (cwd / "outputs").exists() else []


def test_a_run_that_fails_its_checks_leaves_no_folder_in_outputs(tmp_path):
    result = in_a_fresh_folder(tmp_path, "model=tiny", "hardware=cpu", "data.path=/nonexistent.csv")
    assert result.returncode == 2 and "data.path='/nonexistent.csv' does not exist" in result.log
    assert run_folders(tmp_path) == []  # no outputs/<date>/<time>/ holding only .hydra/ and train.log


def test_a_wrong_data_path_fails_before_torch_is_imported(tmp_path):
    """The data and hub checks come before the heavy imports (the speed of it is benchmarks' to measure)."""
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: print('heavy imports:', sorted(m for m in ('torch', 'transformers', 'peft') "
            "if m in sys.modules)))\n"
            f"sys.argv = ['train.py', 'hydra.run.dir={tmp_path}/run', 'model=tiny', 'data.path=/nonexistent.csv']\n"
            "runpy.run_path('train.py', run_name='__main__')\n")
    result = run_entrypoint([sys.executable, "-c", code])
    assert result.returncode == 2 and "does not exist" in result.log
    assert "heavy imports: []" in result.log
    assert "cache_dir:" not in result.log  # the 100-line config dump comes after the checks


def test_validate_prints_the_plan_exits_0_and_keeps_nothing(tmp_path):
    result = in_a_fresh_folder(tmp_path, "model=tiny", "data=sample", "hardware=cpu", "validate=true")
    assert result.returncode == 0, result.log[-2000:]
    for heading in ("validate=true: every check passed", "model      tiny", "data       builtin:sample: 378 rows",
                    "steps      at most", "precision  fp32", "processes  1", "batch      4 per device",
                    "output     ", "disk       "):
        assert heading in result.log, heading
    assert "Traceback" not in result.log and run_folders(tmp_path) == []


def test_validate_under_two_processes_prints_the_plan_once(tmp_path):
    """accelerate launch with two ranks: both run every check, the main process alone prints the plan."""
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", str(ROOT / "train.py"),
               "model=tiny", "data=sample", "hardware=cpu", "validate=true"]
    result = run_entrypoint(command, cwd=tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    assert result.log.count("validate=true: every check passed") == 1, result.log[-3000:]
    assert result.log.count("Drop validate=true to start it.") == 1
    assert result.log.count("data: 378 rows read from builtin:sample") == 1, "the checks' own lines: once too"
    assert "processes  2" in result.log and "x 2 process(es) = 8 packed rows per step" in result.log
    assert "Traceback" not in result.log and run_folders(tmp_path) == []


def test_validate_exits_2_with_the_fix_of_the_first_failing_check(tmp_path):
    result = in_a_fresh_folder(tmp_path, "model=tiny", "data=sample", "hardware=cpu", "validate=true",
                               "data.intents=[cancel_order,refund_please]")
    assert result.returncode == 2
    assert "data.intents names ['refund_please'], which the data does not have" in result.log
    assert run_folders(tmp_path) == []


def test_an_unreachable_hub_is_one_quick_message_not_minutes_of_retries(tmp_path):
    started = time.monotonic()
    result = run_entrypoint(train_command(tmp_path / "run", "model=llama3.2-3b", "hardware=cpu", "data=sample"),
                            env={"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "0",
                                 "HF_HUB_CACHE": str(tmp_path / "empty-cache")})  # a cached copy would be used
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.log[-2000:]
    assert "The Hugging Face hub (http://127.0.0.1:9) could not be reached" in result.log
    assert "HF_HUB_OFFLINE=1" in result.log and "model.path=/path/to/folder" in result.log
    assert "data.path=" in result.log and "Retrying" not in result.log and "Traceback" not in result.log
    assert elapsed < 30, f"{elapsed:.0f} s: the hub's retries are back (it took 45-53 s before the probe)"


def test_a_mistyped_key_says_which_key_was_meant(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "lora.rank=8"))
    assert result.returncode == 2
    assert "unknown key lora.rank; did you mean lora.r?" in result.log
    assert "To append to your config" not in result.log and "Traceback" not in result.log


def test_a_wrong_type_names_the_key_the_value_and_the_type(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "train.learning_rate=abc"))
    assert result.returncode == 2
    assert "train.learning_rate='abc' is not valid: expected a float" in result.log


def test_evaluate_gets_the_same_suggestions(tmp_path):
    result = run_entrypoint([sys.executable, "evaluate.py", "run=outputs/x", "eval.max_sample=5"])
    assert result.returncode == 2
    assert "unknown key eval.max_sample; did you mean eval.max_samples?" in result.log


def test_cfg_job_stays_hydras(tmp_path):
    result = run_entrypoint(train_command(tmp_path / "run", "model=tiny", "--cfg", "job"))
    assert result.returncode == 0 and "validate: false" in result.log and "lora:" in result.log
