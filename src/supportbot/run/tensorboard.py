"""What a run writes to TensorBoard, and under which names, so that a sweep reads at a glance.

    tensorboard --logdir multirun/<date>/<time>

- **Scalars.** The curves keep their Trainer names (`train/loss`, `train/learning_rate`, `train/grad_norm`,
  `train/tokens_per_second`, `train/memory_gb`, `eval/loss`). evaluate.py's numbers, written later into the
  same run, go under `vs_base/` (`vs_base/base/rouge_l`, `vs_base/finetuned/rouge_l`); bookkeeping (runtimes,
  samples and steps per second, FLOPs, epoch, tokens seen, the end-of-training means) under `z_bookkeeping/`,
  and the run's final single points for the HParams table under `z_hparams/`. TensorBoard sorts the tags
  (digits and `/` before letters, then character by character) and groups them by their first part in that
  order; it opens only the first groups (Time Series two, Scalars three). Hence the names: `eval` and `train`
  are the first two (they open in both tabs), `vs_base` the third (it opens in Scalars), the rest waits,
  closed, at the bottom. evaluate.py's group was `evaluation/` once: that sorts between `eval` and `train`
  and left `train` closed in Time Series. `GROUPS` is the order; tests/unit/run/test_tensorboard.py holds it
  against TensorBoard's own sort.
- **HParams.** Each job writes its session (hyperparameter values, `group_name` = its run name, so the
  trial reads `lora.r=8` rather than `0/tensorboard/l...`) and its final metrics in full precision. The
  experiment, i.e. the table's columns, is written once per sweep by the sweep (`write_experiment`,
  called from supportbot.sweeps.summary.SweepSummary) with the swept keys marked `differs`: TensorBoard
  sorts those first and shows the first five by default. A job does not write one: with one experiment
  per job TensorBoard takes an arbitrary job's, in which nothing differs, and shows the first five
  hyperparameters alphabetically (the swept key hidden).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from transformers.integrations import TensorBoardCallback

TRAIN = "train"
EVAL = "eval"
# evaluate.py's base-vs-fine-tuned numbers (supportbot.evaluation.report): after `train`, before the bookkeeping.
VS_BASE = "vs_base"
BOOKKEEPING = "z_bookkeeping"
HPARAMS = "z_hparams"
# The tag groups in the order TensorBoard shows them (the first two open in Time Series, three in Scalars).
GROUPS = (EVAL, TRAIN, VS_BASE, BOOKKEEPING, HPARAMS)
# Trainer log keys that are bookkeeping, not training curves (eval_runtime, train_samples_per_second, ...).
_BOOKKEEPING_KEYS = re.compile(r"(runtime|samples_per_second|steps_per_second|total_flos|epoch|num_input_tokens_seen"
                               r"|num_tokens|train_loss|train_tokens_per_second)$")
# The final metrics in the HParams table (from metrics.json), in the order of its columns.
HPARAM_METRICS = ("eval_loss", "best_eval_loss", "train_loss", "tokens_per_second", "peak_memory_gb")


def tag_for(key: str) -> str:
    """The TensorBoard tag of one Trainer log key: `eval_loss` -> `eval/loss`, `eval_runtime` ->
    `z_bookkeeping/eval/runtime`, `loss` -> `train/loss`."""
    split, name = (EVAL, key[len("eval_"):]) if key.startswith("eval_") else (TRAIN, key)
    if _BOOKKEEPING_KEYS.search(key):
        return f"{BOOKKEEPING}/{split}/{name}"
    return f"{split}/{name}"


class RunTensorBoard(TensorBoardCallback):
    """transformers' TensorBoard callback (the writer, the args and model config as text), with our tags."""

    def __init__(self, logging_dir: Path):
        super().__init__()
        self.logging_dir = str(logging_dir)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs:
            return
        if self.tb_writer is None:
            self._init_summary_writer(args)
        for key, value in logs.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.tb_writer.add_scalar(tag_for(key), value, state.global_step)
        self.tb_writer.flush()


def _hparams_summary(tag: str, **data: Any):
    """A summary of the HParams plugin's own data (an experiment, a session's start or end). Built from the
    protos: tensorboard's summary helpers for these import TensorFlow, which this project does not install."""
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.plugins.hparams import metadata, plugin_data_pb2

    plugin_data = plugin_data_pb2.HParamsPluginData(version=metadata.PLUGIN_DATA_VERSION, **data)
    summary = summary_pb2.Summary()
    summary.value.add(tag=tag, metadata=metadata.create_summary_metadata(plugin_data), tensor=metadata.NULL_TENSOR)
    return summary


def _value(value: Any):
    from google.protobuf import struct_pb2

    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, (int, float)):
        return struct_pb2.Value(number_value=float(value))
    return struct_pb2.Value(string_value=str(value))


def _data_type(value: Any):
    from tensorboard.plugins.hparams import api_pb2

    if isinstance(value, bool):
        return api_pb2.DATA_TYPE_BOOL
    if isinstance(value, (int, float)):
        return api_pb2.DATA_TYPE_FLOAT64
    return api_pb2.DATA_TYPE_STRING


def write_session(log_dir: Path, hparams: Mapping[str, Any], metrics: Mapping[str, float], step: int,
                  trial: str) -> None:
    """One job's row of the HParams table: its hyperparameters, its trial name, its final metrics."""
    from tensorboard.plugins.hparams import api_pb2, metadata, plugin_data_pb2
    from torch.utils.tensorboard import SummaryWriter

    start = plugin_data_pb2.SessionStartInfo(group_name=trial, start_time_secs=time.time())
    for name, value in hparams.items():
        start.hparams[name].CopyFrom(_value(value))
    writer = SummaryWriter(log_dir=str(log_dir))
    writer.file_writer.add_summary(_hparams_summary(metadata.SESSION_START_INFO_TAG, session_start_info=start))
    for name, value in metrics.items():
        # Unrounded (metrics.json's values): float32 keeps ~7 significant digits, the table shows 5. Not as
        # doubles: TensorBoard's data server then leaves the HParams table's metric cells empty.
        writer.add_scalar(f"{HPARAMS}/{name}", float(value), step)
    end = plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_SUCCESS, end_time_secs=time.time())
    writer.file_writer.add_summary(_hparams_summary(metadata.SESSION_END_INFO_TAG, session_end_info=end))
    writer.close()


def write_experiment(log_dir: Path, hparams: Mapping[str, Any], swept: Iterable[str]) -> None:
    """The HParams table's columns for a whole sweep: the swept keys first (marked `differs`), then the rest.

    hparams: name -> an example value (its type is the column's type).
    """
    from tensorboard.plugins.hparams import api_pb2, metadata
    from torch.utils.tensorboard import SummaryWriter

    swept = list(swept)
    order = swept + sorted(key for key in hparams if key not in swept)
    infos = [api_pb2.HParamInfo(name=key, type=_data_type(hparams.get(key)), differs=key in swept)
             for key in order]
    metrics = [api_pb2.MetricInfo(name=api_pb2.MetricName(tag=f"{HPARAMS}/{name}"), display_name=name)
               for name in HPARAM_METRICS]
    writer = SummaryWriter(log_dir=str(log_dir))
    experiment = api_pb2.Experiment(hparam_infos=infos, metric_infos=metrics, time_created_secs=time.time())
    writer.file_writer.add_summary(_hparams_summary(metadata.EXPERIMENT_TAG, experiment=experiment))
    writer.close()
