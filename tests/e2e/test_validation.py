"""Bad input through the entrypoint: one paragraph, a non-zero exit, nothing left half-done."""

from __future__ import annotations

from helpers import run_entrypoint, train_command


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
