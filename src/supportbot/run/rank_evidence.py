"""What each data-parallel process trained on and what it ended with, for metrics.json's `ranks`.

Data parallelism is correct when every rank ends with the same adapter while each trained on its
own share of the batches. One record per process, gathered to rank 0 by train.py:

    rank, pid              the process (pid matches nvidia-smi --query-compute-apps=pid,used_memory)
    device                 cuda:<local rank> and the GPU's name, or cpu
    examples               conversations this rank trained on (packed rows hold several)
    peak_memory_gb         this process's peak (supportbot.distributed.peak_memory_gb: torch's allocated
                           GPU memory, or the CPU process's peak RSS); peak_reserved_gb: what torch's
                           caching allocator held at most (closer to nvidia-smi), GPU only
    micro_batches          micro-batches this rank ran through training_step
    first_batches          a 16-hex digest of each of the first FIRST_BATCHES micro-batches' input_ids
    batch_sha256           sha256 over those micro-batches' input_ids (shape and int64 bytes)
    adapter_sha256         sha256 over every trainable tensor (names sorted; name, shape and fp32
                           bytes), taken after the last optimizer step: before load_best_at_end swaps in
                           the best checkpoint, which every rank reads from the same file and so would
                           agree whether or not training kept the replicas in sync
    adapter_trained        the adapter's checksum changed between the first optimizer step and then
                           (identical untrained adapters, from one seed, would prove nothing)

Only the first FIRST_BATCHES micro-batches are hashed: copying input_ids to the host waits for the
GPU, which is fine a few times, not at every step of a throughput measurement.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import torch
from transformers import TrainerCallback

from supportbot.data.batches import conversations_in
from supportbot.run.profiling import StepProfiler

FIRST_BATCHES = 8


def tensor_bytes(tensor: torch.Tensor, dtype: torch.dtype) -> bytes:
    """Shape and raw bytes of a tensor in `dtype`, on the host, contiguous."""
    host = tensor.detach().to("cpu", dtype).contiguous()
    return str(tuple(host.shape)).encode() + host.numpy().tobytes()


def adapter_sha256(model) -> str:
    """sha256 over every trainable parameter: name, shape and fp32 bytes, in name order."""
    digest = hashlib.sha256()
    trainable = {name: parameter for name, parameter in model.named_parameters() if parameter.requires_grad}
    for name in sorted(trainable):
        digest.update(name.encode())
        digest.update(tensor_bytes(trainable[name], torch.float32))
    return digest.hexdigest()


class RankEvidence(TrainerCallback):
    """Watches one rank's training: the batches it ran (SupportTrainer.training_step) and its final adapter."""

    def __init__(self, first_batches: int = FIRST_BATCHES):
        self.first_batches = first_batches
        self.micro_batches = 0
        self._examples: int | torch.Tensor = 0  # may live on the GPU: read once, at the end
        self.batch_digests: list[str] = []
        self._batches = hashlib.sha256()
        self.adapter: str | None = None
        self.adapter_start: str | None = None

    def observe(self, inputs: dict[str, Any]) -> None:
        """One micro-batch this rank trains on (SupportTrainer.training_step calls this)."""
        self.micro_batches += 1
        self._examples = self._examples + conversations_in(inputs, as_tensor=True)
        if self.micro_batches <= self.first_batches:
            data = tensor_bytes(inputs["input_ids"], torch.int64)
            self._batches.update(data)
            self.batch_digests.append(hashlib.sha256(data).hexdigest()[:16])

    def on_step_begin(self, args, state, control, model=None, **kwargs):
        # Before the first optimizer step, after the model was prepared (on_train_begin comes before DeepSpeed
        # casts the adapter to fp16, which would change the bytes without any training).
        if self.adapter_start is None and model is not None:
            self.adapter_start = adapter_sha256(model)

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if model is not None and state.max_steps > 0 and state.global_step >= state.max_steps:
            self.adapter = adapter_sha256(model)

    def record(self, trainer, placement, peak_memory_gb: float) -> dict[str, Any]:
        """This rank's record; the adapter is hashed now if training stopped before its last step."""
        adapter = self.adapter or adapter_sha256(trainer.model)
        device = "cpu"
        peak_reserved = None
        if placement.device == "cuda":
            device = f"cuda:{placement.local_rank} {placement.gpu_name or ''}".strip()
            peak_reserved = round(torch.cuda.max_memory_reserved(placement.local_rank) / 2**30, 3)
        return {
            "rank": placement.rank,
            "pid": os.getpid(),
            "device": device,
            "examples": int(self._examples),
            "peak_memory_gb": round(peak_memory_gb, 3),
            "peak_reserved_gb": peak_reserved,
            "micro_batches": self.micro_batches,
            "first_batches": list(self.batch_digests),
            "batch_sha256": self._batches.hexdigest() if self.batch_digests else None,
            "adapter_sha256": adapter,
            "adapter_trained": self.adapter_start is not None and adapter != self.adapter_start,
            "profile": next((c.summary for c in trainer.callback_handler.callbacks if isinstance(c, StepProfiler)),
                            None),
        }


def compare_ranks(ranks: list[dict[str, Any]], sharded: bool = False) -> dict[str, Any]:
    """The verdicts metrics.json states next to the per-rank records.

    adapters_identical: every rank ended with the same adapter bytes; None where the adapter is sharded (ZeRO-3,
    FSDP: each rank's checksum covers the part of the adapter it holds, and the saved adapter is gathered whole).
    batches_distinct: no micro-batch (of the hashed first ones) was trained on by two ranks; None with one rank.
    """
    adapters = {rank["adapter_sha256"] for rank in ranks}
    seen: dict[str, int] = {}
    shared = 0
    for rank in ranks:
        for digest in set(rank["first_batches"]):
            shared += digest in seen
            seen.setdefault(digest, rank["rank"])
    return {
        "adapters_identical": None if sharded and len(ranks) > 1 else len(adapters) == 1,
        "batches_distinct": (shared == 0 and all(rank["first_batches"] for rank in ranks)) if len(ranks) > 1 else None,
    }
