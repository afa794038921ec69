"""The sweep launcher: job names hold only what varies."""

from __future__ import annotations


def test_job_names_hold_only_what_varies():
    from hydra_plugins.supportbot_launcher.accelerate_launcher import _fixed_keys, _key

    command_line = ["model=tiny", "train.eval_on_start=true", "lora.r=8,16", "+extra=1"]
    job = ["model=tiny", "train.eval_on_start=True", "lora.r=16", "+extra=1", "train.learning_rate=0.0003"]
    fixed = _fixed_keys(command_line)
    assert [o for o in job if _key(o) not in fixed] == ["lora.r=16", "train.learning_rate=0.0003"]
