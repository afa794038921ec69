"""Evaluate a training run's adapter against its base model, or talk to it.

    python evaluate.py run=outputs/2026-11-23/12-00-00                  # report: base vs fine-tuned
    python evaluate.py run=outputs/2026-11-23/12-00-00 eval.max_samples=300 eval.prompts=default
    python evaluate.py run=outputs/2026-11-23/12-00-00 mode=chat company=acme  # streamed; Ctrl-C stops an answer

The report lands in <run>/eval/<timestamp>/ (report.md, metrics.json, generations.jsonl) and the
numbers in the run's TensorBoard. What is measured: src/supportbot/evaluation/__init__.py.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from supportbot.config import EvalConfig, register_configs
from supportbot.config_errors import check_overrides
from supportbot.errors import SupportbotError

log = logging.getLogger("supportbot.evaluate")
register_configs()


@hydra.main(version_base="1.3", config_path="conf", config_name="evaluate")
def main(cfg: DictConfig) -> None:
    from supportbot.evaluation import chat, evaluate_run
    from supportbot.run.logs import quiet_console

    # As train.py's console: known library warnings only in the log file (evaluate.log), and no "Loading weights"
    # bar for each model load; the generation progress bars stay.
    quiet_console()
    try:
        eval_cfg = OmegaConf.to_object(cfg)
        assert isinstance(eval_cfg, EvalConfig)
        if eval_cfg.mode == "chat":
            chat(eval_cfg, sys.stdin, sys.stdout)
        else:
            evaluate_run(eval_cfg, Path(HydraConfig.get().runtime.output_dir))
    except SupportbotError as error:
        log.error("%s", error)
        raise SystemExit(2) from None


if __name__ == "__main__":
    check_overrides("evaluate", sys.argv[1:], Path(__file__).parent / "conf")  # eval.max_sample=5: did you mean ...?
    main()
