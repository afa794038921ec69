"""Hydra launcher that runs every sweep job as its own `accelerate launch` process group.

    python train.py -m hardware=2xT4 lora.r=8,16,32 data.max_seq_length=512,1024

Selected by `hydra/launcher=accelerate` (conf/train.yaml makes it the default for sweeps). Running
18 jobs inside one process is how sweeps die at job 3: CUDA memory, bitsandbytes state and the
process group leak from one job into the next. Here each job is a fresh `accelerate launch`
with the process count, mixed precision and accelerate config that the job's hardware option
names, and with its output folder decided up front (hydra.run.dir), so all its ranks write to one
folder. A failed job is recorded and the sweep goes on; the sweep's exit status says if any failed.
"""

# No `from __future__ import annotations`: Hydra imports plugins without registering them in
# sys.modules, and dataclasses then cannot resolve string annotations.
import logging
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Set

from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.utils import JobReturn, JobStatus, configure_log, filter_overrides, setup_globals
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf, open_dict

from supportbot.distributed import accelerate_launch_args, visible_gpus
from supportbot.sweeps.summary import JobRecord, SweepFailed, run_name_from_overrides

log = logging.getLogger(__name__)


@dataclass
class AccelerateLauncherConf:
    _target_: str = "hydra_plugins.supportbot_launcher.accelerate_launcher.AccelerateLauncher"
    # Processes per job; null: the job's hardware.num_processes, else every visible GPU (1 on CPU).
    num_processes: Optional[int] = None
    # Skip jobs whose folder says they finished (re-run a sweep into its folder with hydra.sweep.dir=...).
    resume: bool = False
    # More `accelerate launch` arguments, e.g. [--main_process_port, "29600"].
    accelerate_args: List[str] = field(default_factory=list)


ConfigStore.instance().store(group="hydra/launcher", name="accelerate", node=AccelerateLauncherConf,
                             provider="supportbot")


class AccelerateLauncher(Launcher):
    def __init__(self, num_processes: Optional[int] = None, resume: bool = False,
                 accelerate_args: Optional[List[str]] = None) -> None:
        self.num_processes = num_processes
        self.resume = resume
        self.accelerate_args = list(accelerate_args or [])
        self.config: Optional[DictConfig] = None
        self.hydra_context: Optional[HydraContext] = None
        self.task_function: Optional[TaskFunction] = None
        self.script = sys.argv[0]  # train.py; kept, for a job that runs elsewhere (submitit_launcher.py)

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        self.config = config
        self.hydra_context = hydra_context
        self.task_function = task_function

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        assert self.config is not None and self.hydra_context is not None
        setup_globals()
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        Path(str(self.config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
        fixed = _fixed_keys(OmegaConf.to_container(self.config.hydra.overrides.task, resolve=False) or [])
        log.info("Launching %d job(s), each with accelerate launch", len(job_overrides))
        returns, failures = [], []
        for offset, overrides in enumerate(job_overrides):
            number = initial_job_idx + offset
            job_return, record = self._run_job(number, list(overrides), fixed)
            returns.append(job_return)
            if record.status == "failed":
                failures.append(record)
            self.hydra_context.callbacks.on_job_end(config=job_return.cfg, job_return=job_return)
        return fail_together(returns, failures)

    def _run_job(self, number: int, overrides: List[str], fixed: Set[str]) -> tuple[JobReturn, JobRecord]:
        assert self.config is not None and self.hydra_context is not None
        sweep_config = self.hydra_context.config_loader.load_sweep_config(self.config, overrides)
        with open_dict(sweep_config):
            sweep_config.hydra.job.id = str(number)
            sweep_config.hydra.job.num = number
        HydraConfig.instance().set_config(sweep_config)  # so ${hydra:...} in the folder names resolves
        job_dir = Path(str(sweep_config.hydra.sweep.dir)) / str(sweep_config.hydra.sweep.subdir)
        varying = [override for override in overrides if _key(override) not in fixed]
        run_name = run_name_from_overrides(varying) or f"job{number}"
        log.info("\t#%d : %s", number, " ".join(filter_overrides(overrides)))

        previous = JobRecord.load(job_dir)
        if self.resume and previous is not None and previous.finished_with(overrides):
            log.info("\t#%d finished earlier (%s): skipped", number, job_dir)
            record = previous
        else:
            record = self._execute(number, overrides, run_name, sweep_config, job_dir)
        job_return = JobReturn(overrides=overrides, cfg=sweep_config, hydra_cfg=sweep_config,
                               working_dir=str(job_dir), task_name=str(sweep_config.hydra.job.name))
        job_return.status = JobStatus.COMPLETED if record.status == "completed" else JobStatus.FAILED
        job_return.return_value = record.objective if record.status == "completed" else None
        return job_return, record

    def _execute(self, number: int, overrides: List[str], run_name: str, sweep_config: DictConfig,
                 job_dir: Path) -> JobRecord:
        job_dir.mkdir(parents=True, exist_ok=True)
        has_run_name = any(o.split("=", 1)[0].lstrip("+~") == "run_name" for o in overrides)
        command = [*self._accelerate_command(sweep_config), self.script, *overrides, f"hydra.run.dir={job_dir}",
                   *([] if has_run_name else [f"run_name='{run_name}'"])]
        record = JobRecord(number=number, overrides=overrides, run_name=run_name, command=shlex.join(command))
        started = time.time()
        with (job_dir / "launcher.log").open("w") as log_file:
            log_file.write(f"$ {record.command}\n")
            log_file.flush()
            process = self._start(command)
            assert process.stdout is not None
            for line in process.stdout:  # to the job's log and to the console, as it happens
                log_file.write(line)
                sys.stdout.write(line)
            returncode = process.wait()
        record.finish(job_dir, returncode, time.time() - started)
        if record.status == "failed":
            log.error("\t#%d failed (exit %d): %s; log: %s", number, returncode, record.error, job_dir / "launcher.log")
        return record

    def _start(self, command: List[str]) -> subprocess.Popen:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def _accelerate_command(self, job: DictConfig) -> List[str]:
        hardware = job.hardware
        return [sys.executable, "-m", "accelerate.commands.launch",
                *accelerate_launch_args(self._processes(job), str(hardware.precision), self._config_file(job),
                                        hardware.get("strategy")),
                *self.accelerate_args]

    def _processes(self, job: DictConfig) -> int:
        """Processes on one machine."""
        return self.num_processes or job.hardware.num_processes or visible_gpus() or 1

    def _config_file(self, job: DictConfig) -> Optional[Path]:
        if not job.hardware.accelerate_config:
            return None
        candidate = Path(self.script).resolve().parent / str(job.hardware.accelerate_config)
        return candidate if candidate.is_file() else None


def fail_together(returns: List[JobReturn], failures: List[JobRecord]) -> List[JobReturn]:
    """Hydra's sweepers raise the first failed JobReturn's value once the batch is done: make it say
    everything, after every job of the batch has had its turn."""
    if failures:
        error = SweepFailed(failures, len(returns))
        for job_return in returns:
            if job_return.status == JobStatus.FAILED:
                job_return.return_value = error
    return returns


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def _fixed_keys(command_line: List[str]) -> Set[str]:
    """Keys the command line sets to one value: the same in every job, so not part of a job's name.

    Hydra re-serialises values (true -> True), so jobs are matched by key, not by text. A key from
    the sweeper's own search space (hparams_search) is not on the command line and so varies.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(command_line)
    return {override.key_or_group for override in parsed if not override.is_sweep_override()}
