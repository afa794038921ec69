"""Export a finished run: the adapter merged into 16-bit weights, a model card, an Ollama Modelfile, the hub.

    python -m supportbot.export run=outputs/2026-11-23/12-00-00                         # <run>/export/merged/
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 dir=/big/disk/bot-export precision=fp16
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 push_to_hub=true repo_id=acme/support-bot dry_run=true

What lands in <dir> (conf/export.yaml, default <run>/export):

    merged/      config, safetensors weights, tokenizer (chat template, eos = end of turn), README.md (the card)
    Modelfile    Ollama: the training chat template, system prompt and stop tokens, for a GGUF of merged/

Steps, in order: open the run (config, adapter, split hash), count the base's parameters on the meta device
and refuse a disk that cannot hold the merged model (disk.py), load the base in 16-bit and merge (merged.py),
write merged/ whole with its card (card.py), the Modelfile (modelfile.py), then upload (hub.py).
format=gguf / all: not built yet (refused by the config).
"""

from __future__ import annotations

import logging
from pathlib import Path

from supportbot.config import ExportConfig

log = logging.getLogger(__name__)

GGUF_NAME = "model.gguf"  # the file the Modelfile names, for the GGUF export to write


def export_run(cfg: ExportConfig) -> Path:
    """Export the run `cfg.run` into `cfg.dir`; returns the merged folder."""
    import torch

    from supportbot.evaluation.runs import check_adapter_base, open_run
    from supportbot.export.card import model_card
    from supportbot.export.disk import check_disk, estimate_bytes, parameter_count
    from supportbot.export.hub import push
    from supportbot.export.merged import export_dtype, merged_model, save_merged
    from supportbot.export.modelfile import modelfile
    from supportbot.model.build import build_tokenizer
    from supportbot.model.sources import weights_source
    from supportbot.run.folders import write_folder_atomically

    run = open_run(cfg.run)
    out = Path(cfg.dir).expanduser()
    model_cfg = run.cfg.model
    cache_dir = Path(run.cfg.cache_dir).expanduser()
    dtype = export_dtype(cfg.precision)
    tokenizer = build_tokenizer(model_cfg, cache_dir)
    base_path = weights_source(model_cfg, tokenizer, cache_dir, run.cfg.train.seed, dtype)
    check_adapter_base(run, base_path)

    parameters = parameter_count(base_path, trust_remote_code=model_cfg.trust_remote_code)
    bytes_per_parameter = torch.finfo(dtype).bits // 8
    check_disk(out, estimate_bytes(parameters, bytes_per_parameter))
    log.info("export: %s (%.1fM parameters) in %s into %s", run.name, parameters / 1e6, dtype, out)

    model = merged_model(base_path, run.adapter, tokenizer, dtype=dtype, trust_remote_code=model_cfg.trust_remote_code)
    card = model_card(run, cfg.repo_id)
    merged = out / "merged"
    write_folder_atomically(
        merged, lambda folder: (save_merged(model, tokenizer, folder), (folder / "README.md").write_text(card)),
        run=str(run.folder), dtype=str(dtype),
    )
    (out / "Modelfile").write_text(modelfile(tokenizer, run.cfg.data.system_prompt, GGUF_NAME))
    log.info("export: wrote %s and %s", merged, out / "Modelfile")
    if cfg.push_to_hub:
        push(merged, cfg.repo_id, dry_run=cfg.dry_run)
    return merged
