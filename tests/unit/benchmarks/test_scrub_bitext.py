"""benchmarks/scrub_bitext.py: the questions evaluate.py quotes (failed examples in metrics.json and quality.json,
the weak-intents list of report.md) are withheld; answers, scores and the suite's own prompts stay."""

from __future__ import annotations

import json

from helpers import ROOT, load_script

scrub = load_script("scrub_bitext", ROOT / "benchmarks" / "scrub_bitext.py")

METRICS = {"variants": {"support": {"per_intent": {"cancel_order": {
    "rows": 4, "finetuned_intent_consistency": 0.75,
    "failed_examples": [{"instruction": "I can no longer pay for order F7L-895643", "answer": "I'm sorry to hear",
                         "judged_as": "payment_issue"}]}}}},
    "prompts": [{"prompt": "What's the weather like?", "answer": "I can't check forecasts."}]}
REPORT = """### Weak intents: add examples of these and train again
- **cancel_order** (0.25):
  - "cancel order {{Order Number}} now" → judged get_refund: I'm sorry to hear
  - "[Bitext text withheld]" → judged track_refund: Sure
| new_wording | Changed my mind about the desk | cancel_order | base | fine | on_intent=no |
"""


def test_failed_examples_lose_their_questions_and_keep_the_rest(tmp_path):
    (tmp_path / "quality.json").write_text(json.dumps(METRICS))
    (tmp_path / "report.md").write_text(REPORT)
    assert scrub.scrub_folder(tmp_path) == 2
    data = json.loads((tmp_path / "quality.json").read_text())
    example = data["variants"]["support"]["per_intent"]["cancel_order"]["failed_examples"][0]
    assert example == {"instruction": "[Bitext text withheld]", "answer": "I'm sorry to hear",
                       "judged_as": "payment_issue"}
    assert data["prompts"] == METRICS["prompts"]  # the project's own suite stays
    report = (tmp_path / "report.md").read_text()
    assert "cancel order" not in report and report.count("[Bitext text withheld]") == 2
    assert "judged get_refund: I'm sorry to hear" in report and "Changed my mind about the desk" in report
    assert scrub.scrub_folder(tmp_path) == 0  # a second pass finds nothing left
