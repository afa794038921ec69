"""SupportTrainer: the token count is the stock Trainer's, read once per log."""

from __future__ import annotations


def test_tokens_are_counted_as_the_stock_trainer_counts_them_but_read_once_per_log():
    """SupportTrainer keeps the non-padding token count on the device between logs (the stock count reads it
    on the host every micro-batch, a GPU sync and, data-parallel, a wait for the other ranks)."""
    from types import SimpleNamespace

    import torch
    from accelerate import Accelerator
    from transformers import Trainer

    from supportbot.train.trainer import SupportTrainer

    def fake_trainer():
        return SimpleNamespace(args=SimpleNamespace(include_num_input_tokens_seen="non_padding",
                                                    device=torch.device("cpu")),
                               accelerator=Accelerator(cpu=True), state=SimpleNamespace(num_input_tokens_seen=0),
                               processing_class=SimpleNamespace(pad_token_id=0), model=torch.nn.Module(),
                               _pending_tokens=None, _pad_token_id=0)

    batches = [{"input_ids": torch.tensor([[5, 6, 7, 0], [8, 0, 0, 0]]),
                "position_ids": torch.tensor([[0, 1, 0, 1]] * 2)},
               {"input_ids": torch.tensor([[5, 6, 9], [1, 2, 3]]),
                "attention_mask": torch.tensor([[1, 1, 0], [1, 1, 1]])}]
    stock, ours = fake_trainer(), fake_trainer()
    for batch in batches:
        Trainer._track_num_input_tokens(stock, batch)
        SupportTrainer._track_num_input_tokens(ours, batch)
    assert stock.state.num_input_tokens_seen == 4 + 5
    assert ours.state.num_input_tokens_seen == 0 and int(ours._pending_tokens) == 9  # nothing read on the host yet
    SupportTrainer._flush_token_count(ours)
    assert ours.state.num_input_tokens_seen == 9 and ours._pending_tokens is None
    SupportTrainer._flush_token_count(ours)  # a log with nothing new adds nothing
    assert ours.state.num_input_tokens_seen == 9
