"""Once per model, before any measurement: the weights every system loads and the conversations it trains on.

    python benchmarks/peers/prepare_child.py --model llama3.2-3b --data bitext_sample.csv --work /tmp/peers \
        [--tokenizer DIR] [--dry-run]

Through the project's own builders (so supportbot's child, reading the same config, finds the same files):
  - weights: Llama-3.2-3B / Qwen3-4B with random weights from conf/model's architecture, saved once in bf16 with
    the tokenizer beside them (the project's random_checkpoint, under <work>/cache/random/); SmolLM2-135M: the
    project's conversion of its GGUF (<work>/cache/models/). --tokenizer: a folder with the model's real
    tokenizer (else the project falls back to SmolLM2's, as model.weights=random does offline);
  - <work>/<model>/rows.npz: the tokenised train conversations (input_ids and assistant-only labels, flat with
    offsets) exactly as the project tokenises them, for the peers' own packers;
  - <work>/<model>/meta.json: the folder, the parameter count behind MFU, the matmul peak per precision.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from supportbot_child import RANDOM, overrides


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="prepare_child.py", description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--tokenizer", default=None)
    p.add_argument("--dry-run", action="store_true")
    return p


def prepare(args) -> dict:
    import numpy as np
    import throughput
    import torch

    from supportbot.data import build_datasets
    from supportbot.model.build import build_tokenizer, count_parameters
    from supportbot.model.sources import weights_source

    started = time.time()
    work, cache = Path(args.work), Path(args.work) / "cache"
    chosen = overrides(args.model, None, args.data, str(cache), args.seq)
    if args.model in RANDOM:
        chosen += ["model.weights=random"] + ([f"model.path={args.tokenizer}"] if args.tokenizer else [])
    cfg = throughput.compose(chosen)
    folder = weights_source(cfg.model, build_tokenizer(cfg.model, cache), cache, cfg.train.seed, torch.bfloat16)
    # The conversations as the supportbot child will see them: its config reads the saved folder.
    cfg = throughput.compose(overrides(args.model, folder, args.data, str(cache), args.seq))
    tokenizer = build_tokenizer(cfg.model, cache)
    train = build_datasets(cfg.data, tokenizer, cache).train
    lengths = [len(ids) for ids in train["input_ids"]]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    target = work / args.model
    target.mkdir(parents=True, exist_ok=True)
    np.savez(target / "rows.npz", offsets=offsets,
             input_ids=np.concatenate([np.asarray(ids, dtype=np.int32) for ids in train["input_ids"]]),
             labels=np.concatenate([np.asarray(ids, dtype=np.int32) for ids in train["labels"]]))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    peaks = {name: throughput.matmul_peak_tflops(dtype, device)
             for name, dtype in (("fp16", torch.float16), ("bf16", torch.bfloat16))}
    trainable, total = count_parameters(cfg.model, cfg.lora)
    meta = {"model": args.model, "model_dir": str(folder), "rows_file": str(target / "rows.npz"),
            "weights": "random (bf16 on disk)" if args.model in RANDOM else "real",
            "tokenizer": args.tokenizer or str(folder), "conversations": len(lengths), "tokens": int(offsets[-1]),
            "parameters": total, "trainable_parameters": trainable,
            "matmul_peak_tflops": {name: round(peak, 1) if peak else None for name, peak in peaks.items()},
            "seconds": round(time.time() - started, 1)}
    (target / "meta.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta), flush=True)
    return meta


if __name__ == "__main__":
    arguments = parser().parse_args(sys.argv[1:])
    if arguments.dry_run:
        print(json.dumps(vars(arguments)))
    else:
        prepare(arguments)
