"""report.md's headline table: each metric with its scale, and the verdict the right way round."""

from __future__ import annotations

from supportbot.evaluation.report import HEADLINE, headline_table


def test_every_headline_metric_says_its_scale_and_lower_loss_reads_better():
    metrics = {"base": {"heldout_loss": 3.3, "bleu": 1.0, "rouge_l": 0.12, "intent_consistency": 0.04},
               "finetuned": {"heldout_loss": 1.8, "bleu": 14.0, "rouge_l": 0.23, "intent_consistency": 0.04}}
    table = headline_table(metrics)
    assert table[0] == "| metric | scale | base | fine-tuned | |"
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table[2:]}
    assert len(rows) == len(HEADLINE)
    assert rows["BLEU"] == "| BLEU | 0-100 | 1.0000 | 14.0000 | better |"
    assert rows["ROUGE-L"] == "| ROUGE-L | F-measure, 0-1 | 0.1200 | 0.2300 | better |"
    assert rows["held-out loss"].endswith("| 3.3000 | 1.8000 | better |")
    assert rows["intent consistency (validation answers)"] == (
        "| intent consistency (validation answers) | share, 0-1 | 0.0400 | 0.0400 | = |")
    assert rows["perplexity"].endswith("| n/a | n/a | = |")  # not measured: said, not zero
