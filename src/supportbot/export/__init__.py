"""Export a finished run: the adapter merged into 16-bit weights, GGUF files, an Ollama Modelfile, a card, the hub.

    python -m supportbot.export run=outputs/2026-11-23/12-00-00                         # <run>/export/merged/
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 format=gguf gguf.types=[f16,q8_0,q4_k_m]
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 format=all              # both
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 dir=/big/disk/bot-export precision=fp16
    python -m supportbot.export run=outputs/2026-11-23/12-00-00 push_to_hub=true repo_id=acme/support-bot dry_run=true

What lands in <dir> (conf/export.yaml, default <run>/export):

    merged/      config, safetensors weights, tokenizer (chat template, eos = end of turn), README.md (the card)
    gguf/        model-<type>.gguf per gguf.types (tokenizer and chat template in the metadata), README.md (the
                 card), check.json (gguf_check.py's measurements), and the Ollama Modelfile: the training chat
                 template, system prompt and stop tokens, FROM the most quantized GGUF beside it
    tools.json   (both folders, data.format=tool_calls runs) the tool schemas the run trained with, to pass as
                 `tools=`; a template without tools gets one that renders them as training did (tool_template.py)

Steps, in order: open the run (config, adapter, split hash); refuse a GGUF type no installed tool can make
(gguf.py); count the base's parameters on the meta device and refuse a disk that cannot hold every output and
temporary at once (disk.py); load the base in 16-bit and merge (merged.py); write merged/ whole with its card
(card.py) and, for a tool run, the chat template that renders its tools (tool_template.py); convert and quantize
the GGUFs (gguf.py) and write the Modelfile (modelfile.py); check each GGUF against the merged model
(gguf_check.py); upload (hub.py). format=gguf writes merged/ as a temporary and removes
it at the end, unless a complete merged/ of this run is already there.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from supportbot.config import ExportConfig

log = logging.getLogger(__name__)


def export_run(cfg: ExportConfig) -> Path:
    """Export the run `cfg.run` into `cfg.dir`; returns the export folder."""
    import torch

    from supportbot.evaluation.runs import check_adapter_base, open_run
    from supportbot.export.card import model_card
    from supportbot.export.disk import check_plan, export_plan, hidden_size, parameter_count
    from supportbot.export.gguf import check_tools
    from supportbot.export.hub import push
    from supportbot.export.merged import export_dtype, merged_model, save_merged
    from supportbot.export.tool_template import needs_tool_template, served_tokenizer
    from supportbot.model.build import build_tokenizer
    from supportbot.model.sources import weights_source
    from supportbot.run.folders import is_complete, write_folder_atomically
    from supportbot.tools.formats import tool_style

    run = open_run(cfg.run)
    out = Path(cfg.dir).expanduser()
    model_cfg = run.cfg.model
    types = list(cfg.gguf.types) if cfg.format in ("gguf", "all") else []
    llama_cpp = Path(cfg.gguf.llama_cpp).expanduser()
    if types:
        check_tools(types, llama_cpp, run_check=cfg.gguf.check)
    cache_dir = Path(run.cfg.cache_dir).expanduser()
    dtype = export_dtype(cfg.precision)
    tokenizer = build_tokenizer(model_cfg, cache_dir)
    base_path = weights_source(model_cfg, tokenizer, cache_dir, run.cfg.train.seed, dtype)
    check_adapter_base(run, base_path)

    merged = out / "merged"
    keep_merged = cfg.format in ("merged", "all")
    if not keep_merged and _merged_of(merged, run.folder, is_complete):
        log.info("export: reusing %s (complete, from this run) as the converter's input", merged)
        write_merged = False
    else:
        write_merged = True
        merged = merged if keep_merged else out / ".merged-for-gguf"  # the converter's input, removed at the end
    parameters = parameter_count(base_path, trust_remote_code=model_cfg.trust_remote_code)
    plan = export_plan(parameters, torch.finfo(dtype).bits // 8, merged=write_merged, merged_kept=keep_merged,
                       gguf_types=types, hidden_size=hidden_size(base_path, model_cfg.trust_remote_code))
    check_plan(out, plan)
    log.info("export: %s (%.1fM parameters) in %s into %s: %s", run.name, parameters / 1e6, dtype, out,
             ", ".join(f"{name} ~{size / 1e9:.2f} GB" for name, size in plan.items()))

    tools = _trained_tools(run.cfg)
    card = model_card(run, cfg.repo_id, tool_style(tokenizer.chat_template) if tools else None)
    # The Modelfile speaks the supportbot tool format itself; templates with their own tool format keep theirs.
    modelfile_tools = tools if needs_tool_template(tokenizer, run.cfg.data.format) else None
    if write_merged:
        model = merged_model(base_path, run.adapter, tokenizer, dtype=dtype,
                             trust_remote_code=model_cfg.trust_remote_code)
        served = served_tokenizer(tokenizer, run.cfg.data.format)  # the merged (and GGUF) chat template
        write_folder_atomically(
            merged, lambda folder: (save_merged(model, served, folder), _write_card(folder, card, tools)),
            run=str(run.folder), dtype=str(dtype),
        )
        del model
        log.info("export: wrote %s", merged)
    if types:
        try:
            _write_gguf(cfg, out / "gguf", merged, types, llama_cpp, tokenizer, run.cfg.data.system_prompt, card,
                        tools, modelfile_tools)
        finally:
            if not keep_merged and write_merged:
                shutil.rmtree(merged, ignore_errors=True)
    if cfg.push_to_hub:
        if keep_merged:
            push(out / "merged", cfg.repo_id, dry_run=cfg.dry_run)
        if types:
            push(out / "gguf", cfg.repo_id, dry_run=cfg.dry_run, path_in_repo="gguf" if keep_merged else "")
    return out


def _trained_tools(run_cfg) -> list[dict] | None:
    """The tool schemas a data.format=tool_calls run trained with (None for a plain run)."""
    if run_cfg.data.format != "tool_calls":
        return None
    from supportbot.tools.registry import Registry

    return Registry(run_cfg.tools).schemas()


def _write_card(folder: Path, card: str, tools: list[dict] | None) -> None:
    """README.md, and a tool run's tools.json: the schemas a client passes as `tools=` (the card's examples)."""
    (folder / "README.md").write_text(card)
    if tools:
        (folder / "tools.json").write_text(json.dumps(tools, indent=1, ensure_ascii=False) + "\n")


def _write_gguf(cfg: ExportConfig, folder: Path, merged: Path, types: list[str], llama_cpp: Path, tokenizer,
                system_prompt: str, card: str, tools: list[dict] | None, modelfile_tools: list[dict] | None) -> None:
    """The GGUFs, their Modelfile (FROM the most quantized one) and card, then the check of every file.
    `modelfile_tools`: the tools a supportbot-format tool run's Modelfile writes (None: the plain TEMPLATE)."""
    from supportbot.export.card import gguf_card
    from supportbot.export.gguf import most_quantized, write_ggufs
    from supportbot.export.modelfile import modelfile

    files = write_ggufs(merged, folder, types, llama_cpp)
    names = {name: path.name for name, path in files.items()}
    chosen = names[most_quantized(types)]
    (folder / "Modelfile").write_text(modelfile(tokenizer, system_prompt, chosen,
                                                tuple(name for name in names.values() if name != chosen),
                                                tools=modelfile_tools))
    _write_card(folder, gguf_card(card, files), tools)
    log.info("export: wrote %s and its Modelfile (FROM ./%s)", ", ".join(names.values()), chosen)
    if cfg.gguf.check:
        from supportbot.export.gguf_check import check_ggufs, raise_on_failure

        report = check_ggufs(merged, files, system_prompt)
        (folder / "check.json").write_text(json.dumps(report, indent=1))
        raise_on_failure(report, folder / "check.json")


def _merged_of(folder: Path, run_folder: Path, is_complete) -> bool:
    """Whether `folder` is a finished merged export of this run (its completion marker names the run)."""
    if not is_complete(folder)[0]:
        return False
    from supportbot.run.folders import MARKER

    return json.loads((folder / MARKER).read_text()).get("run") == str(run_folder)
