"""Open a finished training run for evaluation: its config, adapter, data split and models.

Everything is rebuilt from the run's own config.yaml, and the split is checked against the hash
in its data_report.json: evaluating on rows the model trained on would flatter it silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from supportbot.config import HardwareConfig, RunConfig
from supportbot.data import Prepared, prepare_rows
from supportbot.data.placeholders import find_slots
from supportbot.errors import ConfigError, DataError, ModelSourceError
from supportbot.model.sources import local_base

# Runs trained before these data options existed have none of them in their config.yaml: they trained
# with what the options' "off" values do, not with today's defaults.
BEFORE_GENERALISATION = {"split": "question", "out_of_scope": 0.0, "balance": "none", "multi_turn": 0.0}


@dataclass
class TrainedRun:
    folder: Path
    cfg: RunConfig
    adapter: Path
    split: Prepared  # the run's conversations on each side, rebuilt from its config (.train, .validation, .hash)
    report: dict

    @property
    def name(self) -> str:
        return self.cfg.run_name or f"{self.cfg.model.name}-{self.cfg.data.name}"

    def known_slots(self) -> set[str]:
        """The `{{...}}` slots the training answers use: what is not one of them was invented."""
        return {slot for row in self.split.train for slot in find_slots(row["response"])}

    @property
    def global_step(self) -> int:
        metrics = self.folder / "metrics.json"
        return json.loads(metrics.read_text()).get("global_step", 0) if metrics.is_file() else 0


def open_run(folder: str | Path) -> TrainedRun:
    folder = Path(folder).expanduser()
    config_file = folder / "config.yaml"
    if not config_file.is_file():
        raise ConfigError(
            f"run={str(folder)!r} is not a training run folder: it has no config.yaml. Point run= at a folder "
            "that train.py made, e.g. run=outputs/2026-11-23/12-00-00 (ls outputs/*/* lists them)."
        )
    adapter = folder / "adapter"
    if not (adapter / "adapter_config.json").is_file():
        raise ConfigError(
            f"The run {folder} has no adapter (no {adapter / 'adapter_config.json'}): it did not finish. "
            "Train it to the end (train.py writes adapter/ last), or point run= at a finished run."
        )
    saved = OmegaConf.load(config_file)
    for key, value in BEFORE_GENERALISATION.items():  # a run's config.yaml lists every key it trained with
        if "data" in saved and key not in saved.data:
            saved.data[key] = value
    cfg = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(RunConfig), saved))
    report_file = folder / "data_report.json"
    report = json.loads(report_file.read_text()) if report_file.is_file() else {}
    split = prepare_rows(cfg.data, tools=cfg.tools)
    if report.get("split_hash") not in (None, split.hash):
        raise DataError(
            f"The data the run trained on is not the data found now: split hash {split.hash} here, "
            f"{report['split_hash']} in {report_file}. "
            f"The file at {cfg.data.path or cfg.data.hub_id or cfg.data.builtin} "
            "changed (or a different copy is found); restore the one the run used, "
            "or evaluate a run trained on this data."
        )
    return TrainedRun(folder, cfg, adapter, split, report)


def eval_hardware(run: TrainedRun) -> HardwareConfig:
    """One process on whatever this machine has, in the precision its device supports."""
    return HardwareConfig(name="auto", device="auto", num_processes=None, precision="auto",
                          attn_implementation=run.cfg.hardware.attn_implementation)


def check_adapter_base(run: TrainedRun, base_path: str) -> None:
    """Refuse a base other than the one the adapter trained on. Compared with the local source it recorded, not
    with adapter_config.json's hub id; by folder name, so a run copied to another machine (or cache) still passes."""
    recorded = local_base(run.adapter)
    if recorded and Path(recorded).name != Path(base_path).name:
        raise ModelSourceError(
            f"The adapter in {run.adapter} was trained on {recorded!r}, but the run's config now resolves the base "
            f"model to {base_path!r}. Evaluate with the model it was trained on "
            f"(model.path in {run.folder / 'config.yaml'}), "
            "or retrain the adapter on this base."
        )
