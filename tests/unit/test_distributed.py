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


@pytest.mark.parametrize("layout,main", [({}, True), ({"WORLD_SIZE": "2", "RANK": "0", "LOCAL_RANK": "0"}, True),
                                         ({"WORLD_SIZE": "2", "RANK": "1", "LOCAL_RANK": "1"}, False),
                                         ({"WORLD_SIZE": "4", "RANK": "2", "LOCAL_RANK": "0"}, False)])
def test_the_main_process_is_global_rank_0_before_a_placement_exists_and_after(layout, main, monkeypatch):
    """train.py prints the validate=true plan and removes an unused run folder from this process only: the same
    one that Placement.is_main names once the run has resolved its placement (rank 0 of the second machine is not)."""
    from supportbot.distributed import is_main_process, resolve_placement

    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    for name, value in layout.items():
        monkeypatch.setenv(name, value)
    assert is_main_process() is main
    assert resolve_placement(compose_config("hardware=cpu").hardware).is_main is main
