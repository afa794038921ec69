"""run/tensorboard.py: tags that put the curves first, and an HParams table that shows what a sweep swept."""

from __future__ import annotations

import functools
from pathlib import Path
from types import SimpleNamespace

from omegaconf import OmegaConf
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import backend_context, metadata

from supportbot.run.tensorboard import (
    BOOKKEEPING,
    GROUPS,
    HPARAMS,
    TRAIN,
    VS_BASE,
    RunTensorBoard,
    tag_for,
    write_experiment,
    write_session,
)
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


def tensorboard_compare(a: str, b: str) -> int:
    """TensorBoard's tag order (tensorboard 2.x, its frontend's `compareTagNames`, served in webfiles.zip's
    index.js): runs of digits compare as numbers, digits and `/` come before any other character, the rest
    compares character by character. Both the Scalars and the Time Series tab sort tags with it."""
    i = j = 0
    while True:
        if i == len(a):
            return 0 if j == len(b) else -1
        if j == len(b):
            return 1
        if a[i].isdigit() and b[j].isdigit():
            i_end, j_end = i, j
            while i_end < len(a) and a[i_end].isdigit():
                i_end += 1
            while j_end < len(b) and b[j_end].isdigit():
                j_end += 1
            if int(a[i:i_end]) != int(b[j:j_end]):
                return -1 if int(a[i:i_end]) < int(b[j:j_end]) else 1
            i, j = i_end, j_end
            continue
        a_first, b_first = a[i] == "/" or a[i].isdigit(), b[j] == "/" or b[j].isdigit()
        if a_first != b_first:
            return -1 if a_first else 1
        if a[i] != b[j]:
            return -1 if a[i] < b[j] else 1
        i, j = i + 1, j + 1


def tensorboard_groups(tags) -> list[str]:
    """The tag groups in the order TensorBoard shows them: tags sorted, grouped by their first part."""
    groups: list[str] = []
    for tag in sorted(tags, key=functools.cmp_to_key(tensorboard_compare)):
        if tag.split("/", 1)[0] not in groups:
            groups.append(tag.split("/", 1)[0])
    return groups


def test_the_port_of_tensorboards_order_sorts_like_tensorboard():
    # Not plain string order: `/` before letters, numbers as numbers.
    assert tensorboard_groups(["evaluation/x", "eval/loss"]) == ["eval", "evaluation"]
    assert sorted(["eval_x/a", "eval/a"], key=functools.cmp_to_key(tensorboard_compare)) == ["eval/a", "eval_x/a"]
    assert sorted(["samples/10", "samples/9"], key=functools.cmp_to_key(tensorboard_compare)) == [
        "samples/9", "samples/10"]


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


def test_every_scalar_a_run_gets_sorts_with_the_training_curves_first(tmp_path):
    """A run as a user opens it after evaluate.py: the Trainer's logs, the HParams points and evaluate.py's numbers,
    all in the run's one TensorBoard folder. Time Series opens the first two groups, Scalars the first three
    (tensorboard 2.21: `slice(0,2)` and `_shouldOpen(index) {return index <= 2}` in its index.js): `train/`
    must be among the opened ones in both, and the bookkeeping after evaluate.py's numbers."""
    from supportbot.evaluation.report import HEADLINE, write_tensorboard

    folder = tmp_path / "run" / "tensorboard" / "quickstart"
    callback = RunTensorBoard(folder)
    for step, logs in enumerate(LOGS, start=1):
        callback.on_log(SimpleNamespace(), SimpleNamespace(is_world_process_zero=True, global_step=step), None,
                        logs=dict(logs))
    callback.on_train_end(None, None, None)
    write_session(folder, {"lora.r": 16}, {"eval_loss": 1.8, "train_loss": 2.0}, step=3, trial="quickstart")
    scores = {key: 0.5 for key, *_ in HEADLINE}
    write_tensorboard(SimpleNamespace(folder=tmp_path / "run", name="quickstart", global_step=3),
                      {"base": scores, "finetuned": scores}, records=[])

    groups = tensorboard_groups(events(folder).Tags()["scalars"])
    assert groups == list(GROUPS), groups
    assert TRAIN in groups[:2], "Time Series opens two groups: the training curves must be one of them"
    assert groups[2] == VS_BASE, "Scalars opens a third: evaluate.py's base-vs-fine-tuned numbers"
    assert groups.index(BOOKKEEPING) > groups.index(VS_BASE) and groups[-1] == HPARAMS


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
