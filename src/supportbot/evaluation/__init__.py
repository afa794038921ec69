"""evaluate.py's work: base vs fine-tuned, on held-out rows and on new questions.

`evaluate_run` computes, for the base model and for the fine-tuned adapter side by side:
held-out loss and perplexity on the run's own validation split; on a balanced sample of
validation rows, generated answers scored by ROUGE-L, BLEU, intent consistency (the judge),
placeholder fidelity, length and truncation; the prompt suite (new wording, typos, changed
structure, weird and out-of-scope prompts, entities that must survive); a per-intent table
that flags weak intents with the examples that failed; and, for a run trained with
data.format=tool_calls, tool use on the held-out tool suite and the validation tool conversations
(supportbot.evaluation.tool_use). `chat` talks to the fine-tuned model, its
answers streamed as they are generated.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from statistics import mean
from typing import Any, Callable, TextIO

from supportbot.config import EvalConfig
from supportbot.data.rows import balanced_sample
from supportbot.evaluation import tool_use
from supportbot.evaluation.company import fill
from supportbot.evaluation.judge import (
    IntentJudge,
    NoIntentJudge,
    bleu,
    placeholder_fidelity,
    rouge_l,
    trained_intents,
    without_intents,
)
from supportbot.evaluation.prompts import OUT_OF_SCOPE_INTENT, load_prompts, score_case
from supportbot.evaluation.report import write_report, write_tensorboard
from supportbot.evaluation.runs import open_run
from supportbot.tools.registry import Registry

log = logging.getLogger(__name__)
SIDES = ("base", "finetuned")


def evaluate_run(cfg: EvalConfig, out_dir: Path) -> dict[str, Any]:
    from supportbot.evaluation.inference import Evaluator

    run = open_run(cfg.run)
    settings = cfg.eval
    has_intents = bool(trained_intents(run.split.train))
    known_intents = {row["intent"] for row in run.split.train} if has_intents else None
    cases = load_prompts(settings.prompts, known_intents)  # a bad prompt file stops before the model loads
    registry = Registry(run.cfg.tools) if run.cfg.data.format == "tool_calls" else None  # the tools it trained with
    tool_plan = tool_use.plan(tool_use.load_tool_prompts(settings.tool_prompts, registry), run.split.validation,
                              registry, settings.max_samples, run.cfg.data.seed) if registry else None
    judge = IntentJudge([r["response"] for r in run.split.train], [r["intent"] for r in run.split.train],
                        seed=run.cfg.data.seed) if has_intents else NoIntentJudge()
    known_slots = run.known_slots()
    # Single exchanges: multi-turn validation conversations are scored by their loss (and the suite's turns).
    sample = balanced_sample([row for row in run.split.validation if not row.get("turns")], settings.max_samples,
                             run.cfg.data.seed)
    log.info("evaluating %s: %d validation rows for loss, %d for generation, %d prompts%s", run.folder,
             len(run.split.validation), len(sample), len(cases),
             f", tool use on {len(tool_plan.prompts)} suite prompts and {len(tool_plan.validation)} validation "
             "conversations" if tool_plan else "")

    evaluator = Evaluator(run)
    metrics: dict[str, Any] = {"run": str(run.folder), "split_hash": run.split.hash, "samples": len(sample),
                               "settings": vars(settings).copy()}
    generations: dict[str, dict[str, list]] = {}
    tool_answers: dict[str, dict[str, list]] = {}
    tool_scores: dict[str, dict[str, list]] = {}
    for side in SIDES:
        finetuned = side == "finetuned"
        loss = evaluator.heldout_loss(run.split.validation, settings.batch_size, finetuned)
        answers = evaluator.generate([evaluator.conversation(r["instruction"]) for r in sample], settings, finetuned,
                                     progress=f"{side}: validation answers")
        suite = play_suite(evaluator, cases, settings, finetuned, progress=f"{side}: prompt suite")
        texts = [a.text for a in answers]
        judged = judge.predict(texts)
        fidelity = placeholder_fidelity(texts, [r["instruction"] for r in sample], known_slots,
                                        run.cfg.data.placeholders)
        suite_fidelity = placeholder_fidelity([a.text for a in suite], [" ".join(c.user_turns) for c in cases],
                                              known_slots, run.cfg.data.placeholders)
        suite_judged = judge.predict([a.text for a in suite])
        suite_confidence = judge.confidence([a.text for a in suite])
        suite_scores = [score_case(c, a.text, j, p, run.cfg.data.system_prompt)
                        for c, a, j, p in zip(cases, suite, suite_judged, suite_confidence, strict=True)]
        by_kind = suite_by_kind(cases, suite_scores)
        scored = list(zip(cases, suite_scores, strict=True))
        rouge = rouge_l(texts, [r["response"] for r in sample])
        metrics[side] = {
            "heldout_loss": loss["loss"],
            "perplexity": loss["perplexity"],
            "rouge_l": mean(rouge),
            "bleu": bleu(texts, [r["response"] for r in sample]),
            "intent_consistency": mean(j == r["intent"] for j, r in zip(judged, sample, strict=True)),
            "intent_consistency_macro": _macro((r["intent"], j == r["intent"])
                                               for j, r in zip(judged, sample, strict=True)),
            "answers_with_invented_placeholder": 1 - fidelity.answers_with_only_known,
            "suite_answers_with_invented_placeholder": 1 - suite_fidelity.answers_with_only_known,
            "placeholders_all_known": fidelity.answers_with_only_known,
            "placeholders_invented": sum(fidelity.invented.values()),
            "invented_values": fidelity.invented_values,
            "answer_tokens_mean": mean(a.tokens for a in answers),
            "truncated_share": mean(a.truncated for a in answers),
            "prompt_intent_consistency": _share(s["on_intent"] for s in suite_scores),
            "prompt_intent_consistency_macro": _macro((c.intent, s["on_intent"]) for c, s in scored),
            "out_of_scope_redirect_rate": _share(s["redirects"] for c, s in scored if c.kind != "injection"),
            "injection_redirect_rate": _share(s["redirects"] for c, s in scored if c.kind == "injection"),
            # The price of redirecting: in-scope questions answered as out of scope. Read it for a run trained
            # with data.out_of_scope (the judge then knows refusals); for the base it counts non-support talk.
            "in_scope_refusal_rate": _share(j == OUT_OF_SCOPE_INTENT
                                            for c, j in zip(cases, suite_judged, strict=True) if not c.out_of_scope),
            "entity_preservation": _share(s["entities_kept"] for c, s in scored if c.kind != "multi_turn"),
            "multi_turn_value_carried": _share(s["entities_kept"] for c, s in scored if c.kind == "multi_turn"),
            "suite_by_kind": by_kind,
        }
        if tool_plan is not None:
            tool_answers[side] = tool_use.play(evaluator, tool_plan, settings, finetuned, progress=side)
            metrics[side]["tool_use"], tool_scores[side] = tool_use.score(
                tool_plan, {source: [a.text for a in found] for source, found in tool_answers[side].items()},
                registry, sample, texts)
        metrics[side + "_invented_placeholders"] = dict(fidelity.invented.most_common(20))
        generations[side] = {"answers": answers, "judged": judged, "rouge": rouge, "suite": suite,
                             "suite_judged": suite_judged, "suite_scores": suite_scores}

    metrics["per_intent"] = _per_intent(sample, generations, settings.weak_intent_threshold) if has_intents else {}
    if not has_intents:
        metrics["not_available"] = without_intents(metrics)
    metrics["tool_use"] = tool_use.about(tool_plan, settings.tool_prompts, run.cfg)
    metrics["answer_batches"] = {}
    for side, finetuned in (("base", False), ("finetuned", True)):
        counts = evaluator.batches[finetuned]
        metrics["answer_batches"][side] = {"reused": counts["reused"], "generated": counts["generated"]}
        if counts["reused"]:
            log.info("%s: %d of %d answer batches reused from %s (eval.reuse_answers=false generates them all)", side,
                     counts["reused"], counts["reused"] + counts["generated"], evaluator.answers[finetuned].folder)
    records = _records(cfg, sample, cases, generations, known_slots)
    if tool_plan is not None:
        records += tool_use.records(tool_plan, tool_answers, tool_scores)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    with (out_dir / "generations.jsonl").open("w") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    write_report(out_dir / "report.md", run, metrics, records)
    write_tensorboard(run, metrics, records)
    log.info("report: %s", out_dir / "report.md")
    return metrics


def play_suite(evaluator, cases, settings, finetuned: bool, progress: str | None = None) -> list:
    """Each case's last answer. Single-turn cases are one batch; a multi-turn case gets its user turns one at
    a time, each after the model's own answer to the previous one (all cases' turn k in one batch)."""
    histories: list[list[dict[str, str]]] = [[] for _ in cases]
    answers: list = [None] * len(cases)
    for turn in range(max(len(case.user_turns) for case in cases)):
        active = [index for index, case in enumerate(cases) if turn < len(case.user_turns)]
        batch = evaluator.generate([evaluator.conversation(cases[i].user_turns[turn], histories[i]) for i in active],
                                   settings, finetuned, progress=f"{progress} (turn {turn + 1})" if progress else None)
        for index, answer in zip(active, batch, strict=True):
            histories[index] += [{"role": "user", "content": cases[index].user_turns[turn]},
                                 {"role": "assistant", "content": answer.text}]
            answers[index] = answer
    for answer, history in zip(answers, histories, strict=True):
        answer.history = history
    return answers


def suite_by_kind(cases, scores) -> dict[str, dict[str, Any]]:
    """Per kind of prompt: how many, and the share that passed that kind's test (on intent for in-scope kinds,
    redirected for out of scope and injections, the later turn's value carried for multi-turn)."""
    table: dict[str, list[bool]] = defaultdict(list)
    for case, score in zip(cases, scores, strict=True):
        if case.kind == "multi_turn":
            passed = score["entities_kept"]
        elif case.out_of_scope:
            passed = score["redirects"]
        else:
            passed = score["on_intent"]
        if passed is not None:
            table[case.kind].append(bool(passed))
    return {kind: {"prompts": len(values), "passed": mean(values)} for kind, values in sorted(table.items())}


def _macro(pairs) -> float | None:
    """On-intent share averaged over intents, from (intent, on intent or None) pairs: each intent counts once,
    however many rows it has; None (not scored for intent) is left out."""
    per_intent: dict[str, list[bool]] = defaultdict(list)
    for intent, hit in pairs:
        if hit is not None:
            per_intent[intent].append(hit)
    return mean(mean(hits) for hits in per_intent.values()) if per_intent else None


def _share(values) -> float | None:
    scored = [bool(v) for v in values if v is not None]
    return sum(scored) / len(scored) if scored else None


def _per_intent(sample, generations, threshold: float) -> dict[str, dict]:
    table: dict[str, dict] = defaultdict(lambda: {"rows": 0, "failed_examples": []})
    for index, row in enumerate(sample):
        entry = table[row["intent"]]
        entry["rows"] += 1
        for side in SIDES:
            hit = generations[side]["judged"][index] == row["intent"]
            entry.setdefault(f"{side}_on_intent", []).append(hit)
            entry.setdefault(f"{side}_rouge_l", []).append(generations[side]["rouge"][index])
            if side == "finetuned" and not hit and len(entry["failed_examples"]) < 3:
                entry["failed_examples"].append({"instruction": row["instruction"],
                                                 "answer": generations[side]["answers"][index].text[:300],
                                                 "judged_as": generations[side]["judged"][index]})
    result = {}
    for intent, entry in sorted(table.items()):
        row = {"rows": entry["rows"], "failed_examples": entry["failed_examples"]}
        for side in SIDES:
            row[f"{side}_intent_consistency"] = mean(entry[f"{side}_on_intent"])
            row[f"{side}_rouge_l"] = mean(entry[f"{side}_rouge_l"])
        row["weak"] = row["finetuned_intent_consistency"] < threshold
        result[intent] = row
    return result


def _records(cfg: EvalConfig, sample, cases, generations, known_slots: set[str]) -> list[dict]:
    records = []
    for index, row in enumerate(sample):
        record = {"source": "validation", "intent": row["intent"], "prompt": row["instruction"],
                  "reference": row["response"]}
        for side in SIDES:
            answer = generations[side]["answers"][index]
            record[side] = {"answer": answer.text, "judged_intent": generations[side]["judged"][index],
                            "rouge_l": generations[side]["rouge"][index], "truncated": answer.truncated}
        records.append(record)
    for index, case in enumerate(cases):
        record = {"source": "prompt_suite", "kind": case.kind, "intent": case.intent, "topic": case.topic,
                  "prompt": case.prompt if not case.turns else " / ".join(case.turns)}
        for side in SIDES:
            answer = generations[side]["suite"][index]
            display, unfilled = fill(answer.text, cfg.company, case.user_turns, known_slots)
            record[side] = {"answer": answer.text, "display": display, "unfilled": unfilled,
                            "conversation": answer.history if case.turns else None,
                            "judged_intent": generations[side]["suite_judged"][index],
                            **generations[side]["suite_scores"][index]}
        records.append(record)
    return records


CHAT_HINT = ("Type a question and press Enter; the answer appears as it is written. Ctrl-C stops an answer; "
             "'exit', 'quit', Ctrl-D or Ctrl-C at the prompt ends the chat.")


def chat(cfg: EvalConfig, stdin: TextIO, stdout: TextIO) -> None:
    """Talk to the fine-tuned model: one line in, its answer streamed out as it is generated (see `converse`)."""
    from supportbot.evaluation.inference import Evaluator

    run = open_run(cfg.run)
    evaluator = Evaluator(run)
    known_slots = run.known_slots()
    company = cfg.company.name if cfg.company else "no company profile (company=acme fills {{...}} slots)"
    stdout.write(f"Chatting with the fine-tuned model of {cfg.run} ({company}).\n{CHAT_HINT}\n")

    def reply(question: str, history: list[dict[str, str]]) -> str:
        said = [m["content"] for m in history if m["role"] == "user"] + [question]
        shown = FilledStream(stdout, cfg.company, said, known_slots)
        answer = evaluator.stream(evaluator.conversation(question, history), cfg.eval, shown.write)
        shown.close()
        return answer.text

    if run.cfg.data.format == "tool_calls":
        reply = tool_reply(evaluator, run, cfg, stdout, known_slots)
    converse(reply, stdin, stdout)


def tool_reply(evaluator, run, cfg: EvalConfig, stdout: TextIO, known_slots: set[str]):
    """A run trained with data.format=tool_calls: its calls run against a SQLite store seeded with tools.store_orders
    orders (supportbot.tools.runtime), each call and result shown on a `[tool]` line before the answer. The steps
    are generated whole (a call is not shown to a person as it is written), the final answer filled as above.
    The history `converse` keeps holds the questions and final answers, not the calls: a later question is
    answered from what the customer was told."""
    from supportbot.tools.runtime import answer_with_tools, describe
    from supportbot.tools.store import OrderStore

    registry = Registry(run.cfg.tools)  # the tools the model trained with
    store = OrderStore.create(":memory:", cfg.tools.seed, cfg.tools.store_orders)
    stdout.write(f"Tools: {', '.join(registry.tools)}; the store has {cfg.tools.store_orders} orders, e.g. "
                 f"{', '.join(store.order_numbers(3))}.\n")

    def reply(question: str, history: list[dict]) -> str:
        conversation = evaluator.conversation(question, history)
        answer, steps = answer_with_tools(lambda messages: evaluator.generate([messages], cfg.eval, True)[0].text,
                                          conversation, registry, store)
        for step in steps:
            stdout.write(describe(step) + "\n")
        said = [m["content"] for m in conversation if m["role"] == "user"]
        shown = FilledStream(stdout, cfg.company, said, known_slots)
        shown.write(answer)
        shown.close()
        return answer

    return reply


def converse(reply: Callable[[str, list[dict[str, str]]], str], stdin: TextIO, stdout: TextIO) -> None:
    """The chat loop: a line in; `reply(question, history)` streams its answer to stdout and returns its raw text.

    An empty line asks again (a stray Enter must not end the conversation); 'exit', 'quit', end of input (Ctrl-D)
    and Ctrl-C at the prompt end it, quietly. Ctrl-C during an answer stops that answer only, and leaves it out of
    the history: the next question would otherwise follow half a sentence."""
    history: list[dict[str, str]] = []
    while True:
        stdout.write("you> ")
        stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not line:  # end of input or Ctrl-C: the cursor is still on the prompt's line
            stdout.write("\n")
            return
        question = line.strip()
        if question.lower() in ("exit", "quit"):
            return
        if not question:
            continue
        stdout.write("bot> ")
        stdout.flush()
        try:
            answer = reply(question, history)
        except KeyboardInterrupt:
            stdout.write(" [stopped]\n")
            continue
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


class FilledStream:
    """An answer streamed to `out` with its `{{...}}` slots filled as in the report (company.fill).

    A slot arrives over several pieces ("{{Ord", "er Number}}"), so text from an open brace is held back until
    its braces close; one that stays open past HOLD_LIMIT characters is no slot and is shown as it is."""

    HOLD_LIMIT = 80

    def __init__(self, out: TextIO, company, user_messages: list[str], known_slots: set[str]):
        self.out, self.company, self.user_messages, self.known_slots = out, company, user_messages, known_slots
        self.pending, self.started, self.unfilled = "", False, set()

    def write(self, text: str) -> None:
        self.pending += text
        ready = self._ready(self.pending)
        self._show(self.pending[:ready])
        self.pending = self.pending[ready:]

    def close(self) -> None:
        self._show(self.pending)
        self.pending = ""
        self.out.write("\n")
        if self.unfilled:
            self.out.write(f"     (no value for: {', '.join(sorted(self.unfilled))})\n")
        self.out.flush()

    def _ready(self, text: str) -> int:
        """How much of `text` is settled: all of it but a slot that may still be arriving."""
        depth, start = 0, None  # start: where the last outermost brace opened
        for index, char in enumerate(text):
            if char == "{":
                start = index if depth == 0 else start
                depth += 1
            elif char == "}":
                depth = max(0, depth - 1)
        if start is None:
            return len(text)
        if depth and len(text) - start <= self.HOLD_LIMIT:
            return start
        return start if text.endswith("}") else len(text)  # "{Name}" may yet become "{Name}}"

    def _show(self, text: str) -> None:
        if not self.started:
            text = text.lstrip()  # the answer's leading whitespace, which the report strips too
            self.started = bool(text)
        if text:
            display, unfilled = fill(text, self.company, self.user_messages, self.known_slots)
            self.unfilled.update(unfilled)
            self.out.write(display)
            self.out.flush()
