"""Process layout and placement: a launch that does not match the hardware option says the command."""

from __future__ import annotations

import pytest

from helpers import compose_config
from supportbot.errors import LaunchError


def test_a_hardware_option_started_with_the_wrong_process_count_says_the_command(monkeypatch):
    from supportbot.distributed import resolve_placement

    monkeypatch.setenv("WORLD_SIZE", "1")
    with pytest.raises(LaunchError) as error:
        resolve_placement(compose_config("hardware=2xT4").hardware)
    text = str(error.value)
    assert "hardware=2xT4 expects 2 process(es), but 1 were started" in text
    assert "accelerate launch --multi_gpu --num_processes 2 train.py hardware=2xT4" in text
    assert "--config_file launch/2xT4.yaml" in text
