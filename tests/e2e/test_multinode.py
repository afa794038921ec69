"""Two "machines" on one: launch/accelerate/multinode.yaml started twice, as two nodes of one process each.

Each `accelerate launch` is what one node of a cluster runs (launch/slurm/train.sbatch does the same with
SLURM's values): --num_machines 2, its own --machine_rank, node 0's address and port. gloo on CPU."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from helpers import ROOT, TINY_RUN


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_nodes_of_one_process_each_train_one_adapter(tmp_path):
    run_dir = tmp_path / "run"  # one folder for both nodes, as on a shared filesystem
    port = str(free_port())
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false"}
    nodes = []
    for machine_rank in ("0", "1"):
        command = [sys.executable, "-m", "accelerate.commands.launch",
                   "--config_file", str(ROOT / "launch" / "accelerate" / "multinode.yaml"),
                   "--num_machines", "2", "--machine_rank", machine_rank, "--num_processes", "2",
                   "--main_process_ip", "127.0.0.1", "--main_process_port", port, "--dynamo_backend", "no",
                   str(ROOT / "train.py"), *TINY_RUN, "train.load_best_at_end=false", f"hydra.run.dir={run_dir}"]
        log = (tmp_path / f"node{machine_rank}.log").open("w")
        nodes.append((subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT), log))
    for process, log in nodes:
        try:
            process.wait(timeout=600)
        finally:
            if process.poll() is None:
                process.kill()
            log.close()
    logs = [(tmp_path / f"node{rank}.log").read_text() for rank in ("0", "1")]
    assert [process.returncode for process, _ in nodes] == [0, 0], "\n\n".join(text[-3000:] for text in logs)

    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["global_step"] == 4
    ranks = metrics["ranks"]
    assert [rank["rank"] for rank in ranks] == [0, 1] and len({rank["pid"] for rank in ranks}) == 2
    assert metrics["adapters_identical"] is True and all(rank["adapter_trained"] for rank in ranks)
    assert metrics["batches_distinct"] is True
    assert len(list(run_dir.glob("adapter/adapter_model.safetensors"))) == 1
