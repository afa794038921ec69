"""Sweeps on SLURM: every job an `accelerate launch` across its nodes, submitted with hydra-submitit-launcher.

    python train.py -m hydra/launcher=slurm hydra.launcher.partition=gpu hydra.launcher.nodes=2 \\
        hydra.launcher.gpus_per_node=2 lora.r=8,16,32
    python train.py -m hydra/launcher=slurm_local ...   # the same path on this machine (submitit's LocalExecutor)

conf/hydra/launcher/slurm.yaml and slurm_local.yaml select it (`pip install -e '.[slurm]'`). submitit's own
launcher would run train.py's task function inside its job, one process; here each job of the sweep is one
SLURM job whose task on every node runs the command the local `accelerate` launcher runs
(accelerate_launcher.py: the job's processes, precision and launch/ config, hydra.run.dir fixed to the job's
folder, run_name from the overrides that vary), plus the node's place in the job: `--num_machines`,
`--machine_rank` (SLURM_NODEID), `--main_process_ip` (the job's first host), `--main_process_port`. So
job.json, launcher.log, the sweep summary, TensorBoard names and `hydra.launcher.resume=true` work as in a
local sweep. The sweep folder must be on a filesystem every node sees.

Time limit and preemption: submitit asks for `--signal=USR2@<signal_delay_s>` and, on USR2, checkpoints the
job and requeues it (hydra.launcher.max_num_timeout times). USR2 reaches every process of the job, and it
would kill the ranks, so the job's command starts with USR2 ignored; the task on the first node turns it into
SIGTERM, which train.py's preemption handler takes (all ranks save a checkpoint and stop), waits for the
ranks, and submitit requeues the same job: the same folder, where train.resume=auto continues. A preemption
(SIGTERM from SLURM to every process) is saved the same way and, with `requeue: true`, run again likewise.
"""

# No `from __future__ import annotations`: Hydra imports plugins without registering them in sys.modules,
# and dataclasses then cannot resolve string annotations.
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from hydra.core.config_store import ConfigStore
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, setup_globals
from hydra.plugins.launcher import Launcher
from omegaconf import DictConfig, OmegaConf

from hydra_plugins.supportbot_launcher.accelerate_launcher import (
    AccelerateLauncher,
    _fixed_keys,
    fail_together,
)
from supportbot.distributed import accelerate_launch_args, visible_gpus
from supportbot.run.folders import launch_time
from supportbot.sweeps.summary import JobRecord

log = logging.getLogger(__name__)

INSTALL = "hydra/launcher=slurm needs hydra-submitit-launcher: pip install -e '.[slurm]'"

# slurm_local.yaml's gpus_per_node: the GPUs of this machine, counted when the launcher is built.
if not OmegaConf.has_resolver("visible_gpus"):
    OmegaConf.register_new_resolver("visible_gpus", visible_gpus)


@dataclass(frozen=True)
class NodeLayout:
    """Where this task runs within its job: what `accelerate launch` needs to join the other nodes."""

    nodes: int
    rank: int
    main_host: str
    main_port: int


def node_layout(main_process_port: Optional[int] = None) -> NodeLayout:
    """This task's node, from the environment submitit reads (SLURM_* on a cluster, SUBMITIT_LOCAL_* here).

    The port is derived from the job id unless given: jobs of one sweep may share a node."""
    import submitit

    env = submitit.JobEnvironment()
    port = main_process_port or 20000 + zlib.crc32(str(env.job_id).encode()) % 20000
    return NodeLayout(env.num_nodes, env.node, env.hostnames[0], port)


def multinode_args(args: List[str], layout: NodeLayout) -> List[str]:
    """`accelerate launch` arguments for one machine, made into this node's part of a multi-node job."""
    args = list(args)
    args[args.index("--num_machines") + 1] = str(layout.nodes)
    return args + ["--machine_rank", str(layout.rank), "--main_process_ip", layout.main_host,
                   "--main_process_port", str(layout.main_port)]


def _ignore_preemption_signal() -> None:  # in the job's command, before exec: inherited by accelerate and ranks
    import submitit

    signal.signal(submitit.JobEnvironment._usr_sig(), signal.SIG_IGN)


class NodeJobs(AccelerateLauncher):
    """The local launcher's job runner, run by one node's task: its command joins the job's other nodes."""

    layout: Optional[NodeLayout] = None
    process: Optional[subprocess.Popen] = None

    def _accelerate_command(self, job: DictConfig) -> List[str]:
        layout = self.layout
        if layout is None or layout.nodes == 1:
            return super()._accelerate_command(job)
        args = accelerate_launch_args(self._total_processes(job, layout.nodes), str(job.hardware.precision),
                                      self._config_file(job), job.hardware.get("strategy"))
        return [sys.executable, "-m", "accelerate.commands.launch", *multinode_args(args, layout),
                *self.accelerate_args]

    def _total_processes(self, job: DictConfig, nodes: int) -> int:
        """The job's processes over all its nodes. hardware.num_processes is a total (train.py checks the world
        size against it), the launcher's num_processes and the visible GPUs count one node."""
        if self.num_processes:
            return self.num_processes * nodes
        total = job.hardware.num_processes
        if total:
            if total % nodes:
                raise ValueError(f"hardware.num_processes={total} cannot be split evenly over {nodes} nodes: "
                                 f"set it to a multiple of hydra.launcher.nodes, e.g. hardware.num_processes="
                                 f"{nodes * max(1, total // nodes)}, or hardware=auto (every GPU of every node)")
            return total
        return (visible_gpus() or 1) * nodes

    def __getstate__(self) -> Dict[str, Any]:
        # submitit pickles the launcher into the requeued job: a running Popen (its locks and pipes) cannot be
        # pickled, and the requeued job starts its own ranks anyway.
        return {**self.__dict__, "process": None}

    def _start(self, command: List[str]) -> subprocess.Popen:
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        bufsize=1, preexec_fn=_ignore_preemption_signal)
        return self.process

    def _execute(self, number: int, overrides: List[str], run_name: str, sweep_config: DictConfig,
                 job_dir: Path) -> JobRecord:
        if self.layout is None or self.layout.rank == 0:
            return super()._execute(number, overrides, run_name, sweep_config, job_dir)
        # The other nodes run the same command; the first node's task keeps the job's record and log.
        job_dir.mkdir(parents=True, exist_ok=True)
        record = JobRecord(number=number, overrides=overrides, run_name=run_name, command="")
        command = [*self._accelerate_command(sweep_config), self.script, *overrides, f"hydra.run.dir={job_dir}"]
        with (job_dir / f"launcher-node{self.layout.rank}.log").open("w") as log_file:
            process = self._start(command)
            assert process.stdout is not None
            shutil.copyfileobj(process.stdout, log_file)
            record.returncode = process.wait()
        record.status = "completed" if record.returncode == 0 else "failed"
        return record

    def stop(self, timeout: float) -> None:
        """SIGTERM to this node's ranks (train.py saves a checkpoint and exits), and wait for them."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        log.warning("stopping the job's ranks (SIGTERM): they save a checkpoint, the requeued job resumes from it")
        process.send_signal(signal.SIGTERM)
        if process.stdout is not None:  # keep the pipe drained, or ranks writing their last lines would block
            threading.Thread(target=shutil.copyfileobj, args=(process.stdout, sys.stdout), daemon=True).start()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.error("the ranks did not stop within %ss; requeueing anyway (the newest complete checkpoint "
                      "is still there)", timeout)


class _AccelerateSubmitit:
    """Mixin for hydra-submitit-launcher's launchers: the job each submits is NodeJobs' accelerate launch."""

    def __init__(self, resume: bool = False, accelerate_args: Optional[List[str]] = None,
                 main_process_port: Optional[int] = None, **params: Any) -> None:
        super().__init__(**params)  # type: ignore[call-arg]
        self.jobs = NodeJobs(resume=resume, accelerate_args=[str(a) for a in (accelerate_args or [])])
        self.main_process_port = main_process_port
        self.signal_delay_s = float(params.get("signal_delay_s", 30))
        self.fixed: set = set()
        self.launch_time = ""

    def setup(self, *, hydra_context, task_function, config: DictConfig) -> None:
        super().setup(hydra_context=hydra_context, task_function=task_function, config=config)  # type: ignore[misc]
        self.jobs.setup(hydra_context=hydra_context, task_function=task_function, config=config)
        self.jobs.script = str(Path(sys.argv[0]).resolve())  # the job runs submitit's entrypoint, not train.py

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        config, hydra_context = self.config, self.hydra_context  # type: ignore[attr-defined]
        self.fixed = _fixed_keys(OmegaConf.to_container(config.hydra.overrides.task, resolve=False) or [])
        # A job is a process of its own, with its own clock: pin ${launch_time:} so it finds the sweep's folder.
        self.launch_time = launch_time("%Y-%m-%dT%H:%M:%S.%f")
        log.info("Submitting %d job(s), each an accelerate launch on each of its nodes", len(job_overrides))
        returns = list(super().launch(job_overrides, initial_job_idx))  # type: ignore[misc]
        records = [JobRecord.load(Path(str(job_return.working_dir))) for job_return in returns]
        for job_return in returns:
            hydra_context.callbacks.on_job_end(config=job_return.cfg, job_return=job_return)
        return fail_together(returns, [record for record in records if record and record.status == "failed"])

    def __call__(self, sweep_overrides: List[str], job_dir_key: str, job_num: int, job_id: str,
                 singleton_state: Dict[type, Singleton]) -> JobReturn:
        """One node's task of one job (in the SLURM job, or submitit's local one)."""
        Singleton.set_state(singleton_state)
        setup_globals()
        os.environ["SUPPORTBOT_LAUNCH_TIME"] = self.launch_time
        self.jobs.layout = node_layout(self.main_process_port)
        job_return, _ = self.jobs._run_job(job_num, list(sweep_overrides), self.fixed)
        return job_return

    def checkpoint(self, *args: Any, **kwargs: Any) -> Any:
        """submitit's time-limit signal: the ranks save and stop, then submitit requeues this same job."""
        self.jobs.stop(timeout=max(self.signal_delay_s - 15, 10))
        return super().checkpoint(*args, **kwargs)  # type: ignore[misc]


class MissingSubmititLauncher(Launcher):
    """hydra/launcher=slurm without the [slurm] extra. A Launcher, because Hydra instantiates only registered
    launcher classes ("Unknown plugin class" otherwise): building it says what to install."""

    def __init__(self, **_: Any) -> None:
        raise ImportError(INSTALL)

    def setup(self, *, hydra_context, task_function, config: DictConfig) -> None:  # pragma: no cover
        raise ImportError(INSTALL)

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        raise ImportError(INSTALL)  # pragma: no cover


try:
    from hydra_plugins.hydra_submitit_launcher.config import LocalQueueConf, SlurmQueueConf
    from hydra_plugins.hydra_submitit_launcher.submitit_launcher import LocalLauncher, SlurmLauncher
except ImportError:  # the [slurm] extra is not installed: selecting the launcher says how to get it
    for name in ("slurm_schema", "slurm_local_schema"):
        ConfigStore.instance().store(group="hydra/launcher", name=name, provider="supportbot",
                                     node={"_target_": f"{__name__}.MissingSubmititLauncher"})
else:

    class SlurmAccelerateLauncher(_AccelerateSubmitit, SlurmLauncher):
        pass

    class LocalAccelerateLauncher(_AccelerateSubmitit, LocalLauncher):
        pass

    @dataclass
    class AccelerateJobConf:
        """What both launchers add to hydra-submitit-launcher's own settings."""

        # Skip jobs whose folder says they finished (re-run a sweep into its folder with hydra.sweep.dir=...).
        resume: bool = False
        # More `accelerate launch` arguments, e.g. [--dynamo_backend, inductor].
        accelerate_args: List[str] = field(default_factory=list)
        # The main node's port; null: one derived from the SLURM job id.
        main_process_port: Optional[int] = None

    @dataclass
    class SlurmAccelerateConf(SlurmQueueConf, AccelerateJobConf):
        _target_: str = "hydra_plugins.supportbot_launcher.submitit_launcher.SlurmAccelerateLauncher"

    @dataclass
    class LocalAccelerateConf(LocalQueueConf, AccelerateJobConf):
        _target_: str = "hydra_plugins.supportbot_launcher.submitit_launcher.LocalAccelerateLauncher"

    ConfigStore.instance().store(group="hydra/launcher", name="slurm_schema", node=SlurmAccelerateConf,
                                 provider="supportbot")
    ConfigStore.instance().store(group="hydra/launcher", name="slurm_local_schema", node=LocalAccelerateConf,
                                 provider="supportbot")
