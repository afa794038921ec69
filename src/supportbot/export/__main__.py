"""`python -m supportbot.export run=<run folder> ...`: the thin Hydra entrypoint over supportbot.export.export_run
(commands and outputs: supportbot/export/__init__.py; keys: conf/export.yaml and config.py's ExportConfig)."""

from __future__ import annotations

import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from supportbot.config import ExportConfig, register_configs
from supportbot.errors import SupportbotError

log = logging.getLogger("supportbot.export")
register_configs()

CONF = Path(__file__).resolve().parents[3] / "conf"  # the repository's conf/, as for train.py and evaluate.py


@hydra.main(version_base="1.3", config_path=str(CONF), config_name="export")
def main(cfg: DictConfig) -> None:
    from supportbot.export import export_run

    try:
        export_cfg = OmegaConf.to_object(cfg)
        assert isinstance(export_cfg, ExportConfig)
        export_run(export_cfg)
    except SupportbotError as error:
        log.error("%s", error)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
