"""Sweeps: `python train.py -m ...`, every job its own `accelerate launch`.

    python train.py -m lora.r=8,16,32 data.max_seq_length=512,1024 data.placeholders=keep,generic,strip

The launcher (src/hydra_plugins/supportbot_launcher) runs the jobs; `summary` records each job and
writes the sweep's table. A sweep started inside `accelerate launch` is refused here, before Hydra starts.
"""

from __future__ import annotations

import sys

from supportbot.distributed import world_size


def refuse_multirun_under_distributed(argv: list[str]) -> None:
    """`accelerate launch train.py -m ...` would run every job of the sweep on every rank in one process.

    Jobs in lock-step across ranks can be made to work, but one stuck or failed job then hangs
    the whole sweep and leaks its memory into the next. The launcher gives each job its own
    process group instead, so this combination stops at once and says how to start the sweep.
    """
    multirun = any(arg in ("-m", "--multirun") or arg.startswith("hydra.mode=MULTIRUN") for arg in argv)
    if multirun and world_size() > 1:
        # Every rank says it: the first rank to exit makes the launcher stop the others, maybe before they print.
        sweep = " ".join(arg for arg in argv if arg not in ("-m", "--multirun"))
        print(
            "error: a sweep cannot run inside `accelerate launch` (every rank would run every job in one "
            "process, and one failed job would hang or poison the rest). Start it with plain python; each job "
            f"then gets its own `accelerate launch` with the processes its hardware option needs:\n"
            f"  python train.py -m {sweep}", file=sys.stderr, flush=True)
        raise SystemExit(2)
