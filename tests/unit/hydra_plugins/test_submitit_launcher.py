"""hydra/launcher=slurm: it composes, and each node's task builds the local launcher's command plus its place
in the job; submitit's time-limit signal (USR2) spares the ranks and becomes the SIGTERM train.py saves on."""

from __future__ import annotations

import signal
import sys

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from helpers import CONF

pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
from hydra_plugins.supportbot_launcher.submitit_launcher import NodeJobs, NodeLayout, node_layout  # noqa: E402


@pytest.mark.parametrize("launcher, target", [("slurm", "SlurmAccelerateLauncher"),
                                              ("slurm_local", "LocalAccelerateLauncher")])
def test_the_launchers_compose_with_their_resources(launcher, target):
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose("train", overrides=[f"hydra/launcher={launcher}", "hydra.launcher.nodes=2",
                                          "hydra.launcher.gpus_per_node=2"], return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    assert (cfg.hydra.launcher.nodes, cfg.hydra.launcher.gpus_per_node, cfg.hydra.launcher.tasks_per_node) == (2, 2, 1)
    if launcher == "slurm":
        assert cfg.hydra.launcher.additional_parameters.requeue is True and cfg.hydra.launcher.signal_delay_s == 120


def test_the_node_layout_comes_from_slurm(monkeypatch):
    for key, value in {"SUBMITIT_EXECUTOR": "slurm", "SLURM_JOB_ID": "81234", "SLURM_JOB_NUM_NODES": "2",
                       "SLURM_NODEID": "1", "SLURM_JOB_NODELIST": "gpu-a[17-18]", "SLURM_PROCID": "1",
                       "SLURM_LOCALID": "0", "SLURM_NTASKS": "2"}.items():
        monkeypatch.setenv(key, value)
    layout = node_layout()
    assert (layout.nodes, layout.rank, layout.main_host) == (2, 1, "gpu-a17")
    assert 20000 <= layout.main_port < 40000 and layout.main_port == node_layout().main_port  # same on every node
    assert node_layout(29612).main_port == 29612


def test_a_node_runs_the_local_launchers_command_with_the_multinode_flags():
    job = OmegaConf.create({"hardware": {"num_processes": None, "precision": "fp16", "accelerate_config": None}})
    jobs = NodeJobs(num_processes=2, accelerate_args=["--dynamo_backend", "no"])
    jobs.layout = NodeLayout(nodes=2, rank=1, main_host="gpu-a17", main_port=29612)
    args = jobs._accelerate_command(job)
    assert args[:3] == [sys.executable, "-m", "accelerate.commands.launch"]
    assert "--multi_gpu" in args and "--mixed_precision" in args
    pairs = [(args[i], args[i + 1]) for i in range(3, len(args) - 1)]
    for pair in [("--num_machines", "2"), ("--num_processes", "4"), ("--machine_rank", "1"),
                 ("--main_process_ip", "gpu-a17"), ("--main_process_port", "29612")]:
        assert pair in pairs, (pair, args)
    jobs.layout = NodeLayout(nodes=1, rank=0, main_host="localhost", main_port=29612)
    assert "--machine_rank" not in jobs._accelerate_command(job)  # one node: exactly the local launcher's command


def test_the_accelerate_cli_accepts_the_multinode_flags():
    from accelerate.commands.launch import launch_command_parser

    job = OmegaConf.create({"hardware": {"num_processes": None, "precision": "fp16", "accelerate_config": None}})
    jobs = NodeJobs(num_processes=2)
    jobs.layout = NodeLayout(nodes=2, rank=1, main_host="gpu-a17", main_port=29612)
    args = launch_command_parser().parse_args([*jobs._accelerate_command(job)[3:], "train.py", "lora.r=8"])
    assert (args.num_machines, args.machine_rank, args.main_process_ip, args.main_process_port,
            args.num_processes, args.training_script) == (2, 1, "gpu-a17", 29612, 4, "train.py")


def test_the_ranks_ignore_submitits_signal_and_stop_saves_them_with_sigterm():
    jobs = NodeJobs()
    probe = jobs._start([sys.executable, "-c", "import signal as s; print(s.getsignal(s.SIGUSR2) == s.SIG_IGN)"])
    assert probe.communicate(timeout=30)[0].strip() == "True"
    rank = ("import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, lambda *_: (print('saving', flush=True), sys.exit(143)))\n"
            "print('training', flush=True)\n"
            "while True: time.sleep(0.05)\n")
    process = jobs._start([sys.executable, "-c", rank])
    assert process.stdout is not None and process.stdout.readline().strip() == "training"
    jobs.stop(timeout=20)
    assert process.returncode == 128 + signal.SIGTERM
    jobs.stop(timeout=1)  # nothing left to stop: no error


def test_submitit_requeues_after_the_ranks_have_stopped(monkeypatch):
    from hydra_plugins.supportbot_launcher.submitit_launcher import LocalAccelerateLauncher

    launcher = LocalAccelerateLauncher(submitit_folder="/tmp/unused", signal_delay_s=40)
    stopped = []
    monkeypatch.setattr(launcher.jobs, "stop", lambda timeout: stopped.append(timeout))
    resubmission = launcher.checkpoint(["lora.r=8"], "hydra.sweep.dir", 0, "id", {})
    assert stopped == [25] and resubmission.function is launcher and resubmission.args[0] == ["lora.r=8"]


def test_stop_is_idle_when_no_job_runs():
    assert NodeJobs().stop(timeout=1) is None


def test_the_requeued_job_pickles_while_its_ranks_ran():
    # submitit pickles the resubmission (the launcher and its NodeJobs) inside the time-limit signal's handler;
    # the Popen of the ranks it just stopped must not go with it, or the job fails instead of being requeued.
    import cloudpickle

    from hydra_plugins.supportbot_launcher.submitit_launcher import LocalAccelerateLauncher

    launcher = LocalAccelerateLauncher(submitit_folder="/tmp/unused", signal_delay_s=40)
    process = launcher.jobs._start([sys.executable, "-c", "import time; time.sleep(60)"])
    resubmission = launcher.checkpoint(["lora.r=8"], "hydra.sweep.dir", 0, "id", {})
    assert process.returncode is not None, "the ranks were stopped first"
    restored = cloudpickle.loads(cloudpickle.dumps(resubmission))
    assert restored.function.jobs.process is None and restored.args[0] == ["lora.r=8"]
    assert launcher.jobs.process is process, "the running launcher keeps its own handle"


@pytest.mark.parametrize("launcher_processes,hardware_processes,gpus,total", [
    (2, None, 0, 4),     # the launcher's num_processes counts one node
    (None, 2, 0, 2),     # hardware.num_processes is the job's total, as train.py checks it
    (None, None, 4, 8),  # neither: every GPU of every node
    (None, None, 0, 2),  # no GPU: one process a node
])
def test_a_multinode_job_starts_the_processes_train_py_expects(monkeypatch, launcher_processes,
                                                                hardware_processes, gpus, total):
    from hydra_plugins.supportbot_launcher import submitit_launcher

    monkeypatch.setattr(submitit_launcher, "visible_gpus", lambda: gpus)
    jobs = NodeJobs(num_processes=launcher_processes)
    job = OmegaConf.create({"hardware": {"num_processes": hardware_processes}})
    assert jobs._total_processes(job, nodes=2) == total


def test_a_total_that_does_not_split_over_the_nodes_is_refused_with_a_fix():
    job = OmegaConf.create({"hardware": {"num_processes": 3}})
    with pytest.raises(ValueError, match=r"hardware.num_processes=3 cannot be split evenly over 2 nodes.*"
                                         r"hardware.num_processes=2"):
        NodeJobs()._total_processes(job, nodes=2)


def test_without_the_slurm_extra_the_launcher_says_what_to_install(tmp_path):
    # The plugin hidden from this interpreter, as on a machine without `pip install -e '.[slurm]'`.
    import subprocess

    from helpers import ROOT

    hide = ("import sys, runpy\n"
            "for name in ('hydra_plugins.hydra_submitit_launcher', 'hydra_plugins.hydra_submitit_launcher.config',\n"
            "             'hydra_plugins.hydra_submitit_launcher.submitit_launcher'):\n"
            "    sys.modules[name] = None\n"
            f"sys.argv = [{str(ROOT / 'train.py')!r}, '-m', 'hydra/launcher=slurm', 'model=tiny', 'lora.r=8,16']\n"
            f"runpy.run_path({str(ROOT / 'train.py')!r}, run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", hide], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "hydra/launcher=slurm needs hydra-submitit-launcher: pip install -e '.[slurm]'" in output


def test_the_local_executor_is_given_every_gpu_of_this_machine():
    # submitit's LocalExecutor sets CUDA_VISIBLE_DEVICES to gpus_per_node GPUs, none when it is unset.
    from supportbot.distributed import visible_gpus

    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose("train", overrides=["hydra/launcher=slurm_local"], return_hydra_config=True)
    assert cfg.hydra.launcher.gpus_per_node == visible_gpus()
