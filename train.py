"""Fine-tune a small chat model into a customer-support assistant with 4-bit QLoRA.

    python train.py experiment=quickstart                 # SmolLM2-135M on the bundled sample, ~2 min on CPU
    accelerate launch train.py hardware=2xT4              # Llama-3.2-3B-Instruct on Bitext, 2 GPUs data-parallel
    python train.py model=qwen3-4b lora.r=32 data.placeholders=generic data.max_seq_length=1024
    python train.py model=qwen3-4b data.path=/data/bitext.csv validate=true   # every check, the plan; exit 0 or 2

Everything a run makes lands in the folder Hydra gives it (outputs/<date>/<time>/): see
src/supportbot/run/folders.py. The run's steps: src/supportbot/train/pipeline.py. conf/ holds every
option; README.md has the table.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from supportbot.config import HardwareConfig, register_configs, to_run_config
from supportbot.config_errors import check_overrides
from supportbot.distributed import is_main_process, launch_prefix, world_size
from supportbot.errors import SupportbotError
from supportbot.run.logs import one_voice
from supportbot.sweeps import refuse_multirun_under_distributed

log = logging.getLogger("supportbot.train")
register_configs()


def resume_command(run_dir: Path, hardware: HardwareConfig) -> str:
    """This run's own command line, pinned to its folder: what to type to continue it."""
    overrides = " ".join(HydraConfig.get().overrides.task)
    return f"{launch_prefix(world_size(), hardware)} train.py {overrides} hydra.run.dir={run_dir}".replace("  ", " ")


@hydra.main(version_base="1.3", config_path="conf", config_name="train")
def main(cfg: DictConfig) -> float | None:
    from supportbot.train.pipeline import train
    from supportbot.train.preflight import discard_unused_run_dir, validate

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    # A single run's folder that holds only Hydra's files goes, so a failed check leaves nothing in outputs/;
    # a sweep's job folders stay (the sweep summary records the failed job), and only rank 0 removes anything.
    discard = HydraConfig.get().mode == RunMode.RUN and is_main_process()
    one_voice(is_main_process())  # from the first check on, the other ranks log only warnings and errors
    try:
        run_cfg = to_run_config(cfg)
        if run_cfg.validate:
            # Every rank runs the checks (each its own GPU and launch); one voice prints the plan (log once).
            plan = validate(run_cfg, run_dir)
            if is_main_process():
                log.info("%s", plan)
            return None
        summary = train(run_cfg, run_dir, resume_command(run_dir, run_cfg.hardware))
    except SupportbotError as error:
        log.error("%s", error)
        raise SystemExit(getattr(error, "exit_code", 2)) from None
    finally:
        if discard:
            discard_unused_run_dir(run_dir)
    return summary["eval_loss"]  # what a sweeper minimises


if __name__ == "__main__":
    refuse_multirun_under_distributed(sys.argv[1:])
    check_overrides("train", sys.argv[1:], Path(__file__).parent / "conf")  # lora.rank=8: "did you mean lora.r?"
    main()
