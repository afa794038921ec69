"""report.md for a person, and the same numbers in the run's TensorBoard next to its curves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LOSS, RATIO, SHARE, BLEU, COUNT = "nats/token, 0+", "1+", "share, 0-1", "0-100", "count"
HEADLINE = [  # (metric, label, higher is better, scale: BLEU 14 and ROUGE-L 0.23 are on different scales)
    ("heldout_loss", "held-out loss", False, LOSS),
    ("perplexity", "perplexity", False, RATIO),
    ("rouge_l", "ROUGE-L", True, "F-measure, 0-1"),
    ("bleu", "BLEU", True, BLEU),
    ("intent_consistency", "intent consistency (validation answers)", True, SHARE),
    ("intent_consistency_macro", "intent consistency, macro over intents", True, SHARE),
    ("answers_with_invented_placeholder", "answers with an invented placeholder", False, SHARE),
    ("placeholders_all_known", "answers using only known placeholders", True, SHARE),
    ("placeholders_invented", "invented placeholders", False, COUNT),
    ("invented_values", "invented values (VALUE8541-like)", False, COUNT),
    ("truncated_share", "answers cut at max_new_tokens", False, SHARE),
    ("prompt_intent_consistency", "prompt suite: on intent", True, SHARE),
    ("prompt_intent_consistency_macro", "prompt suite: on intent, macro over intents", True, SHARE),
    ("out_of_scope_redirect_rate", "prompt suite: out-of-scope redirected", True, SHARE),
    ("injection_redirect_rate", "prompt suite: injections redirected", True, SHARE),
    ("in_scope_refusal_rate", "prompt suite: in-scope questions refused", False, SHARE),
    ("entity_preservation", "prompt suite: entities kept", True, SHARE),
    ("multi_turn_value_carried", "prompt suite: multi-turn value carried", True, SHARE),
    ("suite_answers_with_invented_placeholder", "prompt suite: answers with an invented placeholder", False, SHARE),
]


TOOL_METRICS = [  # supportbot.tools.metrics.METRICS, each over the answers it applies to
    ("call_rate", "call made where one is needed"),
    ("right_tool", "right tool (of the needed calls made)"),
    ("valid_json", "valid JSON (of all calls)"),
    ("schema_valid", "arguments fit the schema (right-tool calls)"),
    ("argument_match", "arguments equal the question's values (right-tool calls)"),
    ("no_call_rate", "no call where none is needed"),
    ("asked_for_missing", "asked for a missing number instead of calling"),
]
TOOL_SOURCES = (("suite", "held-out tool suite"), ("validation", "validation"))


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def _share(value: Any) -> str:
    """A share (statistics.mean of booleans is an int for all-equal answers: 1, not 1.0)."""
    return _fmt(None if value is None else float(value))


def _cell(text: str, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return (text[:limit] + "…" if len(text) > limit else text).replace("|", "\\|")


def headline_rows(metrics: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(label, scale, base, fine-tuned, verdict) per headline metric."""
    rows = []
    for key, label, higher_better, scale in HEADLINE:
        base, tuned = metrics["base"].get(key), metrics["finetuned"].get(key)
        if base is None or tuned is None or base == tuned:
            verdict = "="
        else:
            verdict = "better" if (tuned > base) == higher_better else "worse"
        rows.append((label, scale, _fmt(base), _fmt(tuned), verdict))
    return rows


def headline_table(metrics: dict[str, Any]) -> list[str]:
    """The headline metrics as markdown table lines: base against fine-tuned, each with its scale."""
    return ["| metric | scale | base | fine-tuned | |", "|---|---|---|---|---|",
            *(f"| {label} | {scale} | {base} | {tuned} | {verdict} |"
              for label, scale, base, tuned, verdict in headline_rows(metrics))]


def write_report(path: Path, run, metrics: dict[str, Any], records: list[dict]) -> None:
    lines = [f"# Evaluation of {run.folder}", "",
             f"Model {run.cfg.model.name}, data {run.cfg.data.name} (placeholders: {run.cfg.data.placeholders}), "
             f"split {metrics['split_hash']}; {metrics['samples']} validation rows generated, greedy"
             f"{'' if not metrics['settings']['do_sample'] else ' (sampling)'}, at most "
             f"{metrics['settings']['max_new_tokens']} new tokens.", "",
             *headline_table(metrics)]
    if metrics.get("not_available"):  # n/a above, and why, rather than a 0 that reads as a result
        reasons = sorted(set(metrics["not_available"].values()))
        lines += ["", f"Not available ({', '.join(sorted(metrics['not_available']))}): {'; '.join(reasons)}."]
    kinds = sorted(set(metrics["base"].get("suite_by_kind", {})) | set(metrics["finetuned"].get("suite_by_kind", {})))
    if kinds:
        lines += ["", "## Prompt suite by kind", "",
                  "Passed: on intent (in-scope kinds), redirected (out_of_scope, injection), the later turn's value "
                  "in the last answer (multi_turn).", "",
                  "| kind | prompts | base | fine-tuned |", "|---|---|---|---|"]
        for kind in kinds:
            base = metrics["base"]["suite_by_kind"].get(kind, {})
            tuned = metrics["finetuned"]["suite_by_kind"].get(kind, {})
            lines.append(f"| {kind} | {tuned.get('prompts', base.get('prompts', 0))} | {_fmt(base.get('passed'))} | "
                         f"{_fmt(tuned.get('passed'))} |")
    if metrics["per_intent"]:  # empty for data without intents (metrics["not_available"] says why)
        lines += ["", "## Per intent (validation answers, judged by the intent classifier)", "",
                  "| intent | rows | on intent: base | fine-tuned | ROUGE-L: base | fine-tuned | |",
                  "|---|---|---|---|---|---|---|"]
    weak = []
    for intent, row in metrics["per_intent"].items():
        flag = "**weak**" if row["weak"] else ""
        lines.append(f"| {intent} | {row['rows']} | {_fmt(row['base_intent_consistency'])} | "
                     f"{_fmt(row['finetuned_intent_consistency'])} | {_fmt(row['base_rouge_l'])} | "
                     f"{_fmt(row['finetuned_rouge_l'])} | {flag} |")
        if row["weak"]:
            weak.append((intent, row))
    if weak:
        lines += ["", "### Weak intents: add examples of these and train again", ""]
        for intent, row in weak:
            lines.append(f"- **{intent}**")
            lines += [f"  - \"{_cell(e['instruction'], 120)}\" → judged {e['judged_as']}: {_cell(e['answer'], 200)}"
                      for e in row["failed_examples"]]
    lines += tool_use_lines(metrics)
    lines += ["", "## Prompt suite", "", "| kind | prompt | expected | base answer | fine-tuned answer | scores |",
              "|---|---|---|---|---|---|"]
    for record in (r for r in records if r["source"] == "prompt_suite"):
        tuned = record["finetuned"]
        scores = ", ".join(f"{k}={'yes' if tuned[k] else 'no'}" for k in ("on_intent", "redirects", "entities_kept")
                           if tuned.get(k) is not None)
        lines.append(f"| {record['kind']} | {_cell(record['prompt'], 80)} | {record['intent'] or 'out of scope'} | "
                     f"{_cell(record['base']['display'])} | {_cell(tuned['display'])} | {scores} |")
    path.write_text("\n".join(lines) + "\n")


def tool_use_lines(metrics: dict[str, Any]) -> list[str]:
    """report.md's "Tool use" section (a data.format=tool_calls run; nothing for a plain one): each metric base
    against fine-tuned on the held-out tool suite and on validation, overall and per intent."""
    sides = {side: metrics[side].get("tool_use") for side in ("base", "finetuned")}
    if not all(sides.values()):
        return []
    info = metrics.get("tool_use", {})
    sources = [(key, label) for key, label in TOOL_SOURCES if sides["finetuned"].get(key)]
    lines = ["", "## Tool use", "",
             f"First answers, rendered with the run's tools (conf/tools/{info.get('registry')}.yaml) in its training "
             f"format: the held-out tool suite (conf/eval/tool_prompts/{info.get('tool_prompts')}.yaml, "
             f"{info.get('suite_prompts')} prompts) and the validation split ({info.get('validation_conversations')} "
             "tool conversations, plus the validation answers of intents without a tool, which must call nothing). "
             "Each share is over the answers it applies to (n).", "",
             "| metric | " + " | ".join(f"{label}: n | base | fine-tuned" for _, label in sources) + " |",
             "|---|" + "---|---|---|" * len(sources)]
    for metric, label in TOOL_METRICS:
        cells = []
        for key, _ in sources:
            base, tuned = sides["base"][key]["overall"], sides["finetuned"][key]["overall"]
            cells.append(f"{tuned[metric + '_n']} | {_share(base[metric])} | {_share(tuned[metric])}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "### Tool use per intent", "", "Each cell: base → fine-tuned; n/a where no answer of the intent "
              "is scored for it.", "",
              "| intent | source | answers | " + " | ".join(metric.replace("_", " ") for metric, _ in TOOL_METRICS)
              + " |", "|---|---|---|" + "---|" * len(TOOL_METRICS)]
    for key, label in sources:
        for intent, tuned in sides["finetuned"][key]["per_intent"].items():
            base = sides["base"][key]["per_intent"].get(intent, {})
            cells = [f"{_share(base.get(metric))} → {_share(tuned[metric])}" if tuned[metric] is not None else "n/a"
                     for metric, _ in TOOL_METRICS]
            lines.append(f"| {intent} | {label} | {tuned['answers']} | " + " | ".join(cells) + " |")
    return lines


def write_tensorboard(run, metrics: dict[str, Any], records: list[dict]) -> None:
    """Scalars `vs_base/<side>/<metric>` and the prompt suite as text, in the run's own TensorBoard run.

    The group name sorts after `train` and before the bookkeeping (supportbot.run.tensorboard.GROUPS), so the
    training curves still open first in a run that has been evaluated."""
    from torch.utils.tensorboard import SummaryWriter

    from supportbot.run.tensorboard import VS_BASE

    writer = SummaryWriter(log_dir=str(run.folder / "tensorboard" / run.name))
    step = run.global_step
    for side in ("base", "finetuned"):
        for key, *_ in HEADLINE:
            value = metrics[side].get(key)
            if value is not None:
                writer.add_scalar(f"{VS_BASE}/{side}/{key}", float(value), step)
        for source, summary in (metrics[side].get("tool_use") or {}).items():  # data.format=tool_calls runs only
            for key, _ in TOOL_METRICS:
                value = summary["overall"][key] if summary else None
                if value is not None:
                    writer.add_scalar(f"{VS_BASE}/{side}/tool_{source}_{key}", float(value), step)
    table = ["| prompt | base | fine-tuned |", "|---|---|---|"]
    table += [f"| {_cell(r['prompt'], 80)} | {_cell(r['base']['display'], 300)} "
              f"| {_cell(r['finetuned']['display'], 300)} |"
              for r in records if r["source"] == "prompt_suite"]
    writer.add_text(f"{VS_BASE}/prompt_suite", "\n".join(table), step)
    writer.add_text(f"{VS_BASE}/headline", "\n".join(headline_table(metrics)), step)
    tool_lines = tool_use_lines(metrics)
    if tool_lines:
        writer.add_text(f"{VS_BASE}/tool_use", "\n".join(tool_lines), step)
    writer.close()
