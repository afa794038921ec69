"""Per-rank evidence (supportbot.run.rank_evidence) without a launch: what the checksums see and what they ignore."""

from __future__ import annotations

import torch

from supportbot.run.rank_evidence import FIRST_BATCHES, RankEvidence, adapter_sha256, compare_ranks


class TwoLayers(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.base = torch.nn.Linear(4, 4)
        self.lora = torch.nn.Linear(4, 2, bias=False)
        self.base.requires_grad_(False)


def test_the_adapter_checksum_covers_trainable_tensors_only():
    model = TwoLayers()
    before = adapter_sha256(model)
    assert before == adapter_sha256(TwoLayers()), "same values, same checksum"

    with torch.no_grad():
        model.base.weight[0, 0] += 1.0  # frozen: not part of the adapter
    assert adapter_sha256(model) == before
    with torch.no_grad():
        model.lora.weight[0, 0] += 1e-6  # one trainable value, barely changed
    assert adapter_sha256(model) != before


def test_the_adapter_checksum_reads_the_fp32_values_whatever_the_training_dtype():
    model, half = TwoLayers(), TwoLayers()
    with torch.no_grad():
        model.lora.weight.copy_(model.lora.weight.half().float())  # values a fp16 copy can hold exactly
    half.lora.to(torch.float16)
    with torch.no_grad():
        half.lora.weight.copy_(model.lora.weight.half())
    assert adapter_sha256(half) == adapter_sha256(model)


def test_only_the_first_batches_are_hashed_but_every_one_is_counted():
    evidence = RankEvidence()
    for step in range(FIRST_BATCHES + 3):
        evidence.observe({"input_ids": torch.full((2, 5), step)})
    assert evidence.micro_batches == FIRST_BATCHES + 3
    assert len(evidence.batch_digests) == FIRST_BATCHES == len(set(evidence.batch_digests))

    again = RankEvidence()
    for step in range(FIRST_BATCHES):
        again.observe({"input_ids": torch.full((2, 5), step)})
    assert again.batch_digests == evidence.batch_digests and again._batches.hexdigest() == evidence._batches.hexdigest()
    shape = RankEvidence()
    shape.observe({"input_ids": torch.zeros((5, 2), dtype=torch.long)})
    assert shape.batch_digests[0] != evidence.batch_digests[0], "same tokens in another shape are another batch"


def rank(number: int, adapter: str, batches: list[str]) -> dict:
    return {"rank": number, "adapter_sha256": adapter, "first_batches": batches}


def test_verdicts_across_ranks():
    assert compare_ranks([rank(0, "a", ["1", "2"]), rank(1, "a", ["3", "4"])]) == {
        "adapters_identical": True, "batches_distinct": True}
    assert compare_ranks([rank(0, "a", ["1", "2"]), rank(1, "b", ["2", "3"])]) == {
        "adapters_identical": False, "batches_distinct": False}
    idle = compare_ranks([rank(0, "a", ["1"]), rank(1, "a", [])])
    assert idle["batches_distinct"] is False, "a rank that ran nothing"
    assert compare_ranks([rank(0, "a", ["1", "1"])]) == {"adapters_identical": True, "batches_distinct": None}


def test_sharded_ranks_hold_parts_of_the_adapter_so_identity_is_not_claimed():
    from supportbot.run.rank_evidence import compare_ranks

    ranks = [rank(0, "a", ["1"]), rank(1, "b", ["2"])]
    assert compare_ranks(ranks, sharded=True) == {"adapters_identical": None, "batches_distinct": True}
    assert compare_ranks(ranks)["adapters_identical"] is False
