"""run/tensorboard.py: tags that put the curves first, and an HParams table that shows what a sweep swept."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from omegaconf import OmegaConf
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import backend_context, metadata

from supportbot.run.tensorboard import HPARAMS, RunTensorBoard, tag_for, write_experiment, write_session
from supportbot.sweeps.summary import swept_keys

# What the Trainer logs over a run: training windows, evaluations, and the end-of-training record.
LOGS = [
    {"loss": 10.8, "grad_norm": 0.13, "learning_rate": 2e-4, "tokens_per_second": 146.5, "memory_gb": 1.02,
     "epoch": 0.02, "num_input_tokens_seen": 995},
    {"eval_loss": 10.79, "eval_runtime": 1.2, "eval_samples_per_second": 16.1, "eval_steps_per_second": 4.0,
     "epoch": 0.04},
    {"train_runtime": 30.1, "train_samples_per_second": 0.5, "train_steps_per_second": 0.13, "total_flos": 1e9,
     "train_loss": 10.81, "epoch": 0.07},
]
CURVES = {"train/loss", "train/grad_norm", "train/learning_rate", "train/tokens_per_second", "train/memory_gb",
          "eval/loss"}


def events(folder: Path) -> EventAccumulator:
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0, "scalars": 0})
    accumulator.Reload()
    return accumulator


def test_trainer_logs_land_as_curves_first_and_bookkeeping_at_the_bottom(tmp_path):
    callback = RunTensorBoard(tmp_path)
    for step, logs in enumerate(LOGS, start=1):
        callback.on_log(SimpleNamespace(), SimpleNamespace(is_world_process_zero=True, global_step=step), None,
                        logs=dict(logs))
    callback.on_train_end(None, None, None)
    tags = set(events(tmp_path).Tags()["scalars"])
    assert CURVES <= tags
    top_level = {tag for tag in tags if tag.split("/", 1)[0] in ("train", "eval")}
    assert top_level == CURVES, "runtimes, samples/s, epoch and the like are not top-level"
    assert {"z_bookkeeping/eval/runtime", "z_bookkeeping/train/train_runtime", "z_bookkeeping/train/epoch"} <= tags
    # TensorBoard sorts tag groups by name; Time Series opens the first two, Scalars the first three.
    groups = sorted({tag.split("/", 1)[0] for tag in tags} | {HPARAMS})
    assert groups[:2] == ["eval", "train"]


def test_tag_names():
    assert tag_for("loss") == "train/loss" and tag_for("eval_loss") == "eval/loss"
    assert tag_for("tokens_per_second") == "train/tokens_per_second"
    assert tag_for("eval_samples_per_second") == "z_bookkeeping/eval/samples_per_second"


def test_the_hparams_table_shows_the_swept_key_first_with_short_trial_names_and_full_digits(tmp_path):
    standard = {"data.max_seq_length": 256, "data.name": "sample", "data.placeholders": "realistic",
                "data.val_fraction": 0.05, "hardware.gradient_accumulation_steps": 1, "train.learning_rate": 2e-4}
    write_experiment(tmp_path, {**standard, "lora.r": 16}, ["lora.r"])
    for job, (rank, loss) in enumerate(((8, 10.37121), (16, 10.37139))):
        write_session(tmp_path / str(job) / "tensorboard" / f"lora.r={rank}", {**standard, "lora.r": rank},
                      {"eval_loss": loss, "best_eval_loss": loss}, step=4, trial=f"lora.r={rank}")

    experiment_content = events(tmp_path).PluginTagToContent(metadata.PLUGIN_NAME)[metadata.EXPERIMENT_TAG]
    experiment = metadata.parse_experiment_plugin_data(experiment_content)
    backend_context._sort_and_reduce_to_hparams_limit(experiment)  # what the HParams plugin serves
    names = [info.name for info in experiment.hparam_infos]
    assert names[0] == "lora.r" and experiment.hparam_infos[0].differs
    assert not any(info.differs for info in experiment.hparam_infos[1:])
    assert [m.display_name for m in experiment.metric_infos][:2] == ["eval_loss", "best_eval_loss"]
    assert all(m.name.tag.startswith(f"{HPARAMS}/") for m in experiment.metric_infos)

    for job, (rank, loss) in enumerate(((8, 10.37121), (16, 10.37139))):
        run = events(tmp_path / str(job) / "tensorboard" / f"lora.r={rank}")
        contents = run.PluginTagToContent(metadata.PLUGIN_NAME)
        assert metadata.EXPERIMENT_TAG not in contents, "only the sweep defines the columns"
        start = metadata.parse_session_start_info_plugin_data(contents[metadata.SESSION_START_INFO_TAG])
        assert start.group_name == f"lora.r={rank}"  # the trial's name in the table
        assert start.hparams["lora.r"].number_value == rank
        value = run.Scalars(f"{HPARAMS}/eval_loss")[-1].value
        assert abs(value - loss) < 2e-6  # unrounded: 10.37121 and 10.37139 stay apart


def test_swept_keys_come_from_the_command_line_and_the_sweepers_search_space():
    config = OmegaConf.create({"hydra": {"overrides": {"task": [
        "model=tiny", "lora.r=8,16", "data=sample,bitext", "train.max_steps=4", "hydra.launcher.num_processes=2"]},
        "sweeper": {"params": {"train.learning_rate": "tag(log, interval(1e-5, 1e-3))"}}}})
    assert swept_keys(config) == ["lora.r", "data.name", "train.learning_rate"]
